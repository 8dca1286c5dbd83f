/*
 * report.h - the shift-handoff summary and the statistics, rendered once
 * for the command line and the dashboard's views.
 *
 * Contract: main thread; reads through the store, writes only the reader's
 * last-look marker (report_handoff).  Text fits 80 columns and every stored
 * string is sanitised; with `json` the documented JSON shape is written.
 */
#ifndef ITUI_REPORT_H
#define ITUI_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "itui/err.h"
#include "itui/policy.h"
#include "itui/store.h"

/* `why` says where `since` came from: "--since", "your last look", "default".
 * With mark_look the reading counts as the user's look (the next starts
 * from now); the dashboard's view shows it without, until confirmed.
 */
enum itui_code report_handoff(struct store *st, const struct policy *p,
                              const char *user, int64_t now, int64_t since,
                              const char *why, int json, int mark_look, FILE *f,
                              struct itui_err *err);
enum itui_code report_stats(struct store *st, const struct policy *p,
                            int64_t now, int64_t since, int json, FILE *f,
                            struct itui_err *err);

#endif
