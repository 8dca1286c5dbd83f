/*
 * demo.h - the demonstration database behind `make run` and `incident-tui
 * demo`.
 *
 * Contract: demo_create() writes a believable set of incidents into `path`
 * (times relative to `now`), through the store like any other writer.  It
 * replaces an earlier demo database but refuses a file holding real
 * incidents.  Main thread.
 */
#ifndef ITUI_DEMO_H
#define ITUI_DEMO_H

#include <stdint.h>

#include "itui/err.h"
#include "itui/policy.h"

enum itui_code demo_create(const char *path, const struct policy *p,
                           int64_t now, struct itui_err *err);

#endif
