/*
 * cmd-admin.h - demo and help, and the help text of every verb.
 *
 * Contract: table rows for cmd.c; main thread.  cmd_usage() and
 * cmd_help_for() print the help the command table produces to any FILE.
 */
#ifndef ITUI_CMD_ADMIN_H
#define ITUI_CMD_ADMIN_H

#include <stdio.h>

#include "itui/cmd.h"

extern const struct cmd_entry cmd_demo_entry;
extern const struct cmd_entry cmd_help_entry;
/* The options every command takes, before the command's name. */
extern const struct cmd_option cmd_global_options[];

void cmd_usage(FILE *f);
void cmd_help_for(FILE *f, const struct cmd_entry *e);

#endif
