/*
 * cli.c - the command line: global options, then one verb from the table
 * in cmd.c, run with its output on stdout.
 *
 * Global options may stand anywhere before "--".  Every failure is one line
 * on stderr naming the verb and what was wrong.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "itui/cli.h"
#include "itui/cmd-admin.h"
#include "itui/cmd.h"
#include "itui/sanitize.h"
#include "itui/ui.h"
#include "itui/xalloc.h"

/*
 * Takes the global options out of argv (anywhere before "--"), leaving the
 * rest in order.  Returns 0, or -1 with err set.
 */
static int
take_globals(int *argc, char **argv, struct globals *g, int *help, int *version,
             struct itui_err *err)
{
	int i, o = 1;

	for (i = 1; i < *argc; i++) {
		const char *s = argv[i], *eq, *val = NULL;
		const char **dst = NULL;
		size_t n;

		if (strcmp(s, "--") == 0) {
			while (i < *argc)
				argv[o++] = argv[i++];
			break;
		}
		if (strcmp(s, "--help") == 0 || strcmp(s, "-h") == 0) {
			*help = 1;
			continue;
		}
		if (strcmp(s, "--version") == 0) {
			*version = 1;
			continue;
		}
		eq = strchr(s, '=');
		n = eq != NULL ? (size_t)(eq - s) : strlen(s);
		if (n == 4 && strncmp(s, "--db", n) == 0)
			dst = &g->db;
		else if (n == 8 && strncmp(s, "--config", n) == 0)
			dst = &g->config;
		else if (n == 6 && strncmp(s, "--user", n) == 0)
			dst = &g->user;
		else if (n == 8 && strncmp(s, "--policy", n) == 0)
			dst = &g->policy;
		if (dst == NULL) {
			argv[o++] = argv[i];
			continue;
		}
		if (eq != NULL)
			val = eq + 1;
		else if (i + 1 < *argc)
			val = argv[++i];
		if (val == NULL || *val == '\0')
			return err_set(err, ITUI_USAGE, "%.*s needs a value",
			               (int)n, s),
			       -1;
		/* Last-wins would hide a mistake in a long command line. */
		if (*dst != NULL)
			return err_set(err, ITUI_USAGE, "%.*s is given twice",
			               (int)n, s),
			       -1;
		*dst = val;
	}
	*argc = o;
	argv[o] = NULL;
	return 0;
}

/* One line on stderr; messages may quote stored or typed text. */
static void
print_error(const char *command, const char *msg)
{
	char *safe = sanitize_line(msg, 0);

	if (command != NULL)
		fprintf(stderr, "incident-tui: %s: %s\n", command, safe);
	else
		fprintf(stderr, "incident-tui: %s\n", safe);
	free(safe);
}

/*
 * Flushes stdout; a closed pipe is the reader's choice, not a failure.
 * After a verb committed something it made (`made`, described by `done`),
 * a failure is a warning and the status stays 0: a script that retried on
 * exit 1 would make it twice.
 */
static int
finish_output_after(const char *done)
{
	if (fflush(stdout) != 0 && errno != EPIPE) {
		if (done != NULL) {
			fprintf(stderr,
			        "incident-tui: warning: %s (committed), but "
			        "writing output failed: %s\n",
			        done, strerror(errno));
			return 0;
		}
		fprintf(stderr, "incident-tui: writing output: %s\n",
		        strerror(errno));
		return 1;
	}
	return 0;
}

static int
finish_output(void)
{
	return finish_output_after(NULL);
}

/* No command: the full-screen dashboard. */
static int
run_dashboard(const struct globals *g)
{
	struct itui_err err = {ITUI_OK, ""};
	struct context ctx;
	int status = 0;

	if (context_init(&ctx, g, &err) != ITUI_OK ||
	    ui_run(&ctx, &err) != ITUI_OK) {
		print_error(NULL, err.msg);
		status = err_exit_status(err.code);
	}
	context_free(&ctx);
	return status;
}

int
cli_main(int argc, char **argv)
{
	struct globals g = {0};
	struct itui_err err = {ITUI_OK, ""};
	struct context ctx;
	struct cmd_q q;
	const struct cmd_entry *c;
	int help = 0, version = 0, status, used;

	if (take_globals(&argc, argv, &g, &help, &version, &err) != 0) {
		print_error(NULL, err.msg);
		return 2;
	}
	if (version) {
		printf("incident-tui %s\n", ITUI_VERSION);
		return finish_output();
	}
	if (argc < 2) {
		if (help) {
			cmd_usage(stdout);
			return finish_output();
		}
		return run_dashboard(&g);
	}
	c = cmd_find(argc - 1, argv + 1, &used, &err);
	if (c == NULL) {
		print_error(NULL, err.msg);
		return 2;
	}
	if (help) {
		cmd_help_for(stdout, c);
		return finish_output();
	}
	memset(&q, 0, sizeof q);
	q.ctx = &ctx;
	q.out = stdout;
	memset(&ctx, 0, sizeof ctx);
	if (cmd_parse(&q, c, argc - 1 - used, argv + 1 + used, &err) !=
	    ITUI_OK) {
		print_error(c->name, err.msg);
		cmd_q_free(&q);
		return 2;
	}
	if (!(c->flags & CMD_NO_CONTEXT) &&
	    context_init(&ctx, &g, &err) != ITUI_OK) {
		print_error(NULL, err.msg);
		cmd_q_free(&q);
		context_free(&ctx);
		return err_exit_status(err.code);
	}
	if (cmd_exec(&q, &err) != ITUI_OK) {
		/* The advice may be why it failed: on the same line. */
		if (q.advice[0] != '\0') {
			char *both = xasprintf("%s (%s)", err.msg, q.advice);

			print_error(c->name, both);
			free(both);
		} else {
			print_error(c->name, err.msg);
		}
		status = err_exit_status(err.code);
	} else {
		if (q.advice[0] != '\0')
			fprintf(stderr, "incident-tui: warning: %s\n",
			        q.advice);
		if (q.warned)
			print_error(c->name, q.note);
		status = finish_output_after(q.made == 0 ? NULL
		                             : q.warned || q.note[0] == '\0'
		                                 ? "the change"
		                                 : q.note);
	}
	cmd_q_free(&q);
	context_free(&ctx);
	return status;
}
