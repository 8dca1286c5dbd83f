/*
 * jsonout.h - the stable --json shapes (docs/json.md documents them).
 *
 * Contract: each builder returns a new jansson reference the caller releases
 * with json_decref().  Text is emitted as stored; jsonout_print() escapes all
 * non-ASCII and control characters (JSON_ENSURE_ASCII), so printing the JSON
 * to a terminal can neither move the cursor nor reorder text.  Main thread.
 */
#ifndef ITUI_JSONOUT_H
#define ITUI_JSONOUT_H

#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "itui/clocks.h"
#include "itui/model.h"
#include "itui/policy.h"

/* An ISO 8601 UTC string, or null for TIME_NONE. */
json_t *jsonout_time(int64_t t);
/*
 * One clock: name, state, start, due, stopped_at, remaining_seconds and
 * text (as show and the dashboard render it).
 */
json_t *jsonout_clock(const struct sla_clock *c);
json_t *jsonout_clocks(const struct sla_clock c[CLOCK_KIND_COUNT]);
/* The incident's fields, roles and clocks (no timeline). */
json_t *jsonout_incident(const struct incident *inc, const struct policy *p,
                         int64_t now);
json_t *jsonout_entry(const struct entry *e);
json_t *jsonout_action(const struct action_item *a, int64_t now);
json_t *jsonout_audit(const struct audit_row *a);
struct alert_row;
/* One alert of `alerts --json` (AL-N, labels, the incident it belongs to). */
json_t *jsonout_alert(const struct alert_row *r);
/* Prints with two-space indentation and a final newline; 0 or -1. */
int jsonout_print(json_t *root, FILE *f);

#endif
