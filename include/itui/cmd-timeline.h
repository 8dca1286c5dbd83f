/*
 * cmd-timeline.h - verbs on timeline entries: log, entry edit, entry
 * delete, entry restore, entry pin, and the audit trail.
 *
 * Contract: table rows for cmd.c; main thread, through cmd_exec().
 */
#ifndef ITUI_CMD_TIMELINE_H
#define ITUI_CMD_TIMELINE_H

#include "itui/cmd.h"

extern const struct cmd_entry cmd_log_entry;
extern const struct cmd_entry cmd_entry_edit_entry;
extern const struct cmd_entry cmd_entry_delete_entry;
extern const struct cmd_entry cmd_entry_restore_entry;
extern const struct cmd_entry cmd_entry_pin_entry;
extern const struct cmd_entry cmd_audit_entry;

#endif
