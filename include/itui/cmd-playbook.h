/*
 * cmd-playbook.h - the checklist verbs: check, checklist and runbook.
 *
 * Contract: table rows for cmd.c; they run on the main thread through
 * cmd_exec() and own nothing after they return.  checklist_verb() is the
 * store call behind `check` (tick, untick, skip with a reason), leaving a
 * one-line, sanitised result in msg.  checklist_json() returns a new
 * reference the caller releases.
 */
#ifndef ITUI_CMD_PLAYBOOK_H
#define ITUI_CMD_PLAYBOOK_H

#include <jansson.h>

#include "itui/checklist.h"
#include "itui/cmd.h"
#include "itui/store.h"
#include "itui/strbuf.h"

extern const struct cmd_entry cmd_check_entry;
extern const struct cmd_entry cmd_checklist_entry;
extern const struct cmd_entry cmd_runbook_entry;

enum checklist_verb { CHECK_TICK, CHECK_UNTICK, CHECK_SKIP };

/*
 * Ticks, unticks or skips (reason required) the step `ref` names (its
 * number, or a piece of its text); one committed transaction with its
 * `checklist` entry and audit rows.
 */
enum itui_code checklist_verb(struct store *st, int64_t id, const char *ref,
                              enum checklist_verb verb, const char *reason,
                              int64_t at, struct strbuf *msg,
                              struct itui_err *err);

/* The computed checklist as JSON (docs/json.md, "checklist"). */
json_t *checklist_json(const struct checklist *cl);

#endif
