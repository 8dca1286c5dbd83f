/*
 * cmd-db.h - the database verbs: db init, db migrate, db copy.
 *
 * Contract: table rows for cmd.c; command line only; main thread.
 */
#ifndef ITUI_CMD_DB_H
#define ITUI_CMD_DB_H

#include "itui/cmd.h"

extern const struct cmd_entry cmd_db_init_entry;
extern const struct cmd_entry cmd_db_migrate_entry;
extern const struct cmd_entry cmd_db_copy_entry;

#endif
