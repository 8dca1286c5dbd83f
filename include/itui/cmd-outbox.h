/*
 * cmd-outbox.h - the `outbox` and `statuspage` commands, and the outbox
 * view's rows for the dashboard.
 *
 * Contract: table rows for cmd.c; main thread, through cmd_exec().  The
 * verbs print to q->out; retry and cancel also leave a note for the
 * dashboard's status bar.  outbox_row_line() is curses-free: it appends one
 * inert (sanitised) line for a message to a strbuf the caller owns, the same
 * line `incident-tui outbox` prints, so the dashboard's outbox view and the
 * command agree.  outbox_update_preview() is the "where it goes" line shown
 * before a status update is marked sent.
 */
#ifndef ITUI_CMD_OUTBOX_H
#define ITUI_CMD_OUTBOX_H

#include "itui/cmd.h"
#include "itui/store-outbox.h"
#include "itui/strbuf.h"

extern const struct cmd_entry cmd_outbox_entry;
extern const struct cmd_entry cmd_outbox_retry_entry;
extern const struct cmd_entry cmd_outbox_cancel_entry;
extern const struct cmd_entry cmd_statuspage_entry;

/* "MSG-12  sent     stakeholders (email)  INC-3 declared  tries 1  ..." */
void outbox_row_line(const struct outbox_row *r, struct strbuf *out);
/*
 * "Also sends to: incidents (slack), stakeholders (email)" for a status
 * update on an incident of this level, or "Sends to no destination".
 */
void outbox_update_preview(const struct policy *p, const struct config *cfg,
                           const char *level, struct strbuf *out);

#endif
