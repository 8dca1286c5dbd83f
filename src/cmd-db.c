/*
 * cmd-db.c - db init and db migrate (open the --db location, which creates
 * or upgrades its schema, and say so) and db copy FROM TO.
 */
#include <stdio.h>

#include "itui/cmd-db.h"
#include "itui/store.h"

static enum itui_code
cmd_db_ready(struct cmd_q *q, struct itui_err *err)
{
	struct store *st;

	if (context_store(q->ctx, 0, &st, err) != ITUI_OK ||
	    store_init_roles(st, err) != ITUI_OK)
		return err->code;
	fprintf(q->out, "schema %d ready: %s\n", store_schema_version(),
	        store_path(st));
	return ITUI_OK;
}

static enum itui_code
cmd_db_copy(struct cmd_q *q, struct itui_err *err)
{
	const struct cmd_args *a = &q->args;

	if (store_copy(a->pos[0], a->pos[1], q->out, err) != ITUI_OK)
		return err->code;
	fprintf(q->out, "copied; every table's count verified\n");
	return ITUI_OK;
}

const struct cmd_entry cmd_db_init_entry = {
    .name = "db init",
    .synopsis = "",
    .summary = "create the --db database's schema (SQLite or PostgreSQL)",
    .exec = cmd_db_ready,
    .flags = CMD_CLI_ONLY | CMD_WRITES,
};

const struct cmd_entry cmd_db_migrate_entry = {
    .name = "db migrate",
    .synopsis = "",
    .summary = "bring the --db database's schema up to this version",
    .exec = cmd_db_ready,
    .flags = CMD_CLI_ONLY | CMD_WRITES,
};

const struct cmd_entry cmd_db_copy_entry = {
    .name = "db copy",
    .synopsis = "FROM TO",
    .summary = "copy every table of one database into a new, empty one "
               "(ids kept, counts verified)",
    .exec = cmd_db_copy,
    .min_pos = 2,
    .max_pos = 2,
    .flags = CMD_CLI_ONLY | CMD_WRITES,
};
