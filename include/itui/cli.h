/*
 * cli.h - the scriptable command line: the command table and its runner.
 *
 * Contract: cli_main() is called once from main() on the main thread and
 * returns the process exit status (0, 1 or 2).  The tables below are the
 * single source for --help, per-command help and the man page's command list
 * (a test checks incident-tui.1 against them).  Every failure prints exactly
 * one line on stderr: "incident-tui: COMMAND: what was wrong".
 */
#ifndef ITUI_CLI_H
#define ITUI_CLI_H

#include "itui/context.h"
#include "itui/err.h"

#define CLI_MAX_OPTS 10

struct cli_option {
	const char *name; /* "--severity" */
	const char *arg;  /* "LEVEL", or NULL for a flag */
	const char *help;
};

struct cli_command;

struct cli_args {
	const struct cli_command *cmd;
	const char *val[CLI_MAX_OPTS]; /* per option; flags get "" */
	char **pos;
	int npos;
};

enum { CMD_NO_CONTEXT = 1 << 0 };

struct cli_command {
	const char *name;
	const char *synopsis; /* arguments after the name */
	const char *summary;
	enum itui_code (*run)(struct context *ctx, const struct cli_args *a,
	                      struct itui_err *err);
	int min_pos;
	int max_pos; /* -1: any number */
	unsigned flags;
	struct cli_option options[CLI_MAX_OPTS];
};

extern const struct cli_command cli_commands[];
extern const struct cli_option cli_global_options[];

int cli_main(int argc, char **argv);

#endif
