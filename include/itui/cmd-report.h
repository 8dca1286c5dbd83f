/*
 * cmd-report.h - verbs that write for people: update, postmortem, handoff,
 * stats.
 *
 * Contract: table rows for cmd.c; main thread, through cmd_exec().
 */
#ifndef ITUI_CMD_REPORT_H
#define ITUI_CMD_REPORT_H

#include "itui/cmd.h"

extern const struct cmd_entry cmd_update_entry;
extern const struct cmd_entry cmd_postmortem_entry;
extern const struct cmd_entry cmd_handoff_entry;
extern const struct cmd_entry cmd_stats_entry;

#endif
