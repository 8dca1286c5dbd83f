/*
 * cmd-admin.c - demo and help, and the help text every other verb's row
 * produces (the same text `incident-tui --help` and the dashboard's
 * `:help VERB` show).
 */
#include <stdio.h>
#include <string.h>

#include "itui/cmd-admin.h"
#include "itui/demo.h"

const struct cmd_option cmd_global_options[] = {
    {"--db", "PATH", "the database file"},
    {"--config", "PATH", "the configuration file"},
    {"--user", "NAME",
     "who is acting (default: INCIDENT_TUI_USER, config, login)"},
    {"--policy", "NAME|PATH", "severity policy: default, sev, or a file"},
    {"--help", NULL, "show help and exit"},
    {"--version", NULL, "show the version and exit"},
    {NULL, NULL, NULL},
};

static enum itui_code
cmd_demo(struct cmd_q *q, struct itui_err *err)
{
	struct context *ctx = q->ctx;
	const struct policy *p;

	if (context_policy(ctx, &p, err) != ITUI_OK)
		return err->code;
	if (demo_create(ctx->db_path, p, ctx->now, err) != ITUI_OK)
		return err->code;
	fprintf(q->out, "demo database ready: %s\n", ctx->db_path);
	return ITUI_OK;
}

static void
print_options(FILE *f, const struct cmd_option *o, int n)
{
	int i;

	for (i = 0; i < n && o[i].name != NULL; i++) {
		char left[64];

		snprintf(left, sizeof left, "%s%s%s", o[i].name,
		         o[i].arg ? " " : "", o[i].arg ? o[i].arg : "");
		fprintf(f, "  %-22s %s\n", left, o[i].help);
	}
}

void
cmd_usage(FILE *f)
{
	const struct cmd_entry *const *e;

	fprintf(f,
	        "usage: incident-tui [global options] [command [arguments]]\n"
	        "\n"
	        "With no command, opens the dashboard on the shared database.\n"
	        "\nGlobal options:\n");
	print_options(f, cmd_global_options, 99);
	fprintf(f, "\nCommands:\n");
	for (e = cmd_table; *e != NULL; e++)
		fprintf(f, "  %-14s %s\n", (*e)->name, (*e)->summary);
	fprintf(f, "\n'incident-tui help COMMAND' shows a command's options; "
	           "incident-tui(1) has the rest.\n");
}

void
cmd_help_for(FILE *f, const struct cmd_entry *e)
{
	fprintf(f, "usage: incident-tui %s %s\n\n%s\n", e->name, e->synopsis,
	        e->summary);
	if (e->target != CMD_T_NONE)
		fprintf(f,
		        "\nOn the dashboard the first argument may be left "
		        "out: it is the %s on the screen.\n",
		        e->target == CMD_T_INCIDENT ? "incident"
		        : e->target == CMD_T_ENTRY  ? "selected entry"
		                                    : "selected action item");
	if (e->options[0].name != NULL) {
		fprintf(f, "\nOptions:\n");
		print_options(f, e->options, CMD_MAX_OPTS);
	}
}

static enum itui_code
cmd_help(struct cmd_q *q, struct itui_err *err)
{
	const struct cmd_args *a = &q->args;
	const struct cmd_entry *e;
	int used;

	if (a->npos == 0) {
		cmd_usage(q->out);
		return ITUI_OK;
	}
	e = cmd_find(a->npos, a->pos, &used, err);
	if (e == NULL)
		return err->code;
	cmd_help_for(q->out, e);
	return ITUI_OK;
}

const struct cmd_entry cmd_demo_entry = {
    .name = "demo",
    .synopsis = "",
    .summary = "create or refresh a demonstration database",
    .exec = cmd_demo,
    .flags = CMD_CLI_ONLY | CMD_WRITES,
};

const struct cmd_entry cmd_help_entry = {
    .name = "help",
    .synopsis = "[COMMAND]",
    .summary = "show help for a command",
    .exec = cmd_help,
    .max_pos = 2,
    .flags = CMD_NO_CONTEXT,
};
