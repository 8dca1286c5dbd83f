/*
 * cmd-action.h - verbs on action items: action add, edit, done, drop, list.
 *
 * Contract: table rows for cmd.c; main thread, through cmd_exec().
 */
#ifndef ITUI_CMD_ACTION_H
#define ITUI_CMD_ACTION_H

#include "itui/cmd.h"

extern const struct cmd_entry cmd_action_add_entry;
extern const struct cmd_entry cmd_action_edit_entry;
extern const struct cmd_entry cmd_action_done_entry;
extern const struct cmd_entry cmd_action_drop_entry;
extern const struct cmd_entry cmd_action_list_entry;

#endif
