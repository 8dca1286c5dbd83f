/*
 * cmd-incident.h - verbs on incidents: declare, list, show, set, ack,
 * status, severity, assign, unassign.
 *
 * Contract: table rows for cmd.c; they run on the main thread through
 * cmd_exec() and own nothing after they return.
 */
#ifndef ITUI_CMD_INCIDENT_H
#define ITUI_CMD_INCIDENT_H

#include "itui/cmd.h"

extern const struct cmd_entry cmd_declare_entry;
extern const struct cmd_entry cmd_list_entry;
extern const struct cmd_entry cmd_show_entry;
extern const struct cmd_entry cmd_set_entry;
extern const struct cmd_entry cmd_ack_entry;
extern const struct cmd_entry cmd_status_entry;
extern const struct cmd_entry cmd_severity_entry;
extern const struct cmd_entry cmd_assign_entry;
extern const struct cmd_entry cmd_unassign_entry;

#endif
