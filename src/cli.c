/*
 * cli.c - parses the command line and runs one command against the store.
 *
 * Global options may stand anywhere before "--".  Each command's options come
 * from its row in cli_commands[], which also produces --help; a handler sees
 * parsed values only, and returns an itui code with one message.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "itui/cli.h"
#include "itui/comms.h"
#include "itui/demo.h"
#include "itui/jsonout.h"
#include "itui/metrics.h"
#include "itui/poller.h"
#include "itui/report.h"
#include "itui/sanitize.h"
#include "itui/stats.h"
#include "itui/strbuf.h"
#include "itui/textout.h"
#include "itui/timeutil.h"
#include "itui/ui.h"
#include "itui/xalloc.h"

#define MAX_STDIN_TEXT (64 * 1024)

static enum itui_code cmd_declare(struct context *, const struct cli_args *,
                                  struct itui_err *);
static enum itui_code cmd_list(struct context *, const struct cli_args *,
                               struct itui_err *);
static enum itui_code cmd_show(struct context *, const struct cli_args *,
                               struct itui_err *);
static enum itui_code cmd_log(struct context *, const struct cli_args *,
                              struct itui_err *);
static enum itui_code cmd_ack(struct context *, const struct cli_args *,
                              struct itui_err *);
static enum itui_code cmd_status(struct context *, const struct cli_args *,
                                 struct itui_err *);
static enum itui_code cmd_severity(struct context *, const struct cli_args *,
                                   struct itui_err *);
static enum itui_code cmd_assign(struct context *, const struct cli_args *,
                                 struct itui_err *);
static enum itui_code cmd_unassign(struct context *, const struct cli_args *,
                                   struct itui_err *);
static enum itui_code cmd_action(struct context *, const struct cli_args *,
                                 struct itui_err *);
static enum itui_code cmd_audit(struct context *, const struct cli_args *,
                                struct itui_err *);
static enum itui_code cmd_snapshot(struct context *, const struct cli_args *,
                                   struct itui_err *);
static enum itui_code cmd_alerts(struct context *, const struct cli_args *,
                                 struct itui_err *);
static enum itui_code cmd_poll(struct context *, const struct cli_args *,
                               struct itui_err *);
static enum itui_code cmd_update(struct context *, const struct cli_args *,
                                 struct itui_err *);
static enum itui_code cmd_postmortem(struct context *, const struct cli_args *,
                                     struct itui_err *);
static enum itui_code cmd_handoff(struct context *, const struct cli_args *,
                                  struct itui_err *);
static enum itui_code cmd_stats(struct context *, const struct cli_args *,
                                struct itui_err *);
static enum itui_code cmd_demo(struct context *, const struct cli_args *,
                               struct itui_err *);
static enum itui_code cmd_help(struct context *, const struct cli_args *,
                               struct itui_err *);

#define OPT_AT                                                             \
	{                                                                  \
		"--at", "TIME", "when it happened (HH:MM, -15m, ISO 8601)" \
	}
#define OPT_JSON                                                \
	{                                                       \
		"--json", NULL, "print JSON (see docs/json.md)" \
	}

const struct cli_option cli_global_options[] = {
    {"--db", "PATH", "the database file"},
    {"--config", "PATH", "the configuration file"},
    {"--user", "NAME",
     "who is acting (default: INCIDENT_TUI_USER, config, login)"},
    {"--policy", "NAME|PATH", "severity policy: default, sev, or a file"},
    {"--help", NULL, "show help and exit"},
    {"--version", NULL, "show the version and exit"},
    {NULL, NULL, NULL},
};

const struct cli_command cli_commands[] = {
    {
        .name = "declare",
        .synopsis = "--severity LEVEL --title TEXT [options]",
        .summary = "declare an incident and print its id",
        .run = cmd_declare,
        .options =
            {{"--severity", "LEVEL", "a level of the policy (required)"},
             {"--title", "TEXT", "a one-line title (required)"},
             {"--service", "NAME", "the affected service"},
             {"--impact", "TEXT", "who or what is affected"},
             {"--commander", "NAME", "assign the incident commander"},
             {"--at", "TIME", "when it was declared (default: now)"},
             {"--drill", NULL, "a drill: kept, but left out of stats"},
             {"--alert", "AL-N",
              "declare from an alert (its summary and mapped severity)"}},
    },
    {
        .name = "list",
        .synopsis = "[--all] [--json]",
        .summary = "list active incidents (all with --all)",
        .run = cmd_list,
        .options = {{"--all", NULL, "include resolved and closed incidents"},
                    OPT_JSON},
    },
    {
        .name = "show",
        .synopsis = "ID [--limit N] [--json]",
        .summary =
            "show one incident: fields, clocks, roles, actions, timeline",
        .run = cmd_show,
        .min_pos = 1,
        .max_pos = 1,
        .options = {{"--limit", "N",
                     "newest timeline entries to show (default 50, 0: all)"},
                    OPT_JSON},
    },
    {
        .name = "log",
        .synopsis = "ID [--kind KIND] [--at TIME] TEXT...|-",
        .summary =
            "add a timeline entry (- reads the text from standard input)",
        .run = cmd_log,
        .min_pos = 2,
        .max_pos = -1,
        .options = {{"--kind", "KIND",
                     "note, decision, action, comms, escalation or handoff"},
                    OPT_AT},
    },
    {
        .name = "ack",
        .synopsis = "ID [--at TIME]",
        .summary = "acknowledge an incident",
        .run = cmd_ack,
        .min_pos = 1,
        .max_pos = 1,
        .options = {OPT_AT},
    },
    {
        .name = "status",
        .synopsis = "ID STATUS [--at TIME]",
        .summary = "change the status (investigating, identified, mitigating, "
                   "monitoring, resolved, closed)",
        .run = cmd_status,
        .min_pos = 2,
        .max_pos = 2,
        .options = {OPT_AT},
    },
    {
        .name = "severity",
        .synopsis = "ID LEVEL [--at TIME]",
        .summary = "change the severity",
        .run = cmd_severity,
        .min_pos = 2,
        .max_pos = 2,
        .options = {OPT_AT},
    },
    {
        .name = "assign",
        .synopsis = "ID ROLE NAME [--at TIME]",
        .summary = "assign a role (commander/ic, tech-lead/tl, "
                   "comms-lead/comms, scribe)",
        .run = cmd_assign,
        .min_pos = 3,
        .max_pos = 3,
        .options = {OPT_AT},
    },
    {
        .name = "unassign",
        .synopsis = "ID ROLE [--at TIME]",
        .summary = "leave a role unfilled",
        .run = cmd_unassign,
        .min_pos = 2,
        .max_pos = 2,
        .options = {OPT_AT},
    },
    {
        .name = "action",
        .synopsis = "ID add TEXT... [--owner NAME] [--due DATE] [--horizon H]"
                    " | edit ACTION-ID [--text T] [--owner N] [--due D]"
                    " | done ACTION-ID | drop ACTION-ID"
                    " | list [--owner NAME] [--open] [--json]",
        .summary = "action items: add, edit, mark done or dropped, list",
        .run = cmd_action,
        .min_pos = 1,
        .max_pos = -1,
        .options = {{"--owner", "NAME", "who owns it (list: only theirs)"},
                    {"--due", "DATE", "YYYY-MM-DD, +3d, or ISO 8601"},
                    {"--horizon", "H",
                     "immediate, short-term (default) or long-term"},
                    {"--text", "TEXT", "new text (edit)"},
                    {"--open", NULL, "only open items (list)"},
                    OPT_JSON},
    },
    {
        .name = "audit",
        .synopsis = "[ID] [--json]",
        .summary = "show who changed what, and when",
        .run = cmd_audit,
        .max_pos = 1,
        .options = {OPT_JSON},
    },
    {
        .name = "update",
        .synopsis = "ID [--template NAME] [--mark-sent]",
        .summary = "render a status update (initial, update, resolution, "
                   "statuspage, executive, tactical)",
        .run = cmd_update,
        .min_pos = 1,
        .max_pos = 1,
        .options = {{"--template", "NAME",
                     "the template (default: initial, update or resolution)"},
                    {"--mark-sent", NULL,
                     "log it as a comms entry (restarts the update clock)"}},
    },
    {
        .name = "postmortem",
        .synopsis = "ID [-o FILE]",
        .summary = "write the postmortem draft (Markdown)",
        .run = cmd_postmortem,
        .min_pos = 1,
        .max_pos = 1,
        .options = {{"-o", "FILE", "write to FILE instead of standard output"}},
    },
    {
        .name = "handoff",
        .synopsis =
            "[--since DURATION] [--json] | --record --to NAME [--note TEXT]",
        .summary = "the shift-handoff summary, or record a handoff",
        .run = cmd_handoff,
        .options = {{"--since", "DURATION",
                     "changes since then (default: since your last look)"},
                    OPT_JSON,
                    {"--record", NULL, "record a handoff instead"},
                    {"--to", "NAME", "who takes over (with --record)"},
                    {"--note", "TEXT", "a note for them (with --record)"}},
    },
    {
        .name = "stats",
        .synopsis = "[--since DURATION] [--json]",
        .summary = "incidents by severity, MTTA, MTTR, MTBF, SLA breaches, "
                   "escalation rate",
        .run = cmd_stats,
        .options = {{"--since", "DURATION", "the period (default 30d)"},
                    OPT_JSON},
    },
    {
        .name = "alerts",
        .synopsis = "[--json]",
        .summary = "firing alerts from the configured sources",
        .run = cmd_alerts,
        .options = {OPT_JSON},
    },
    {
        .name = "snapshot",
        .synopsis = "ID",
        .summary = "take a metrics snapshot now and attach it",
        .run = cmd_snapshot,
        .min_pos = 1,
        .max_pos = 1,
    },
    {
        .name = "poll",
        .synopsis = "[--once]",
        .summary = "run the metrics poller in the foreground (no dashboard)",
        .run = cmd_poll,
        .options = {{"--once", NULL, "one round, then exit"}},
    },
    {
        .name = "demo",
        .synopsis = "",
        .summary = "create or refresh a demonstration database",
        .run = cmd_demo,
    },
    {
        .name = "help",
        .synopsis = "[COMMAND]",
        .summary = "show help for a command",
        .run = cmd_help,
        .max_pos = 1,
        .flags = CMD_NO_CONTEXT,
    },
    {.name = NULL},
};

/* ---- small helpers ------------------------------------------------------- */

static const struct cli_command *
find_command(const char *name)
{
	const struct cli_command *c;

	for (c = cli_commands; c->name != NULL; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

static const char *
opt(const struct cli_args *a, const char *name)
{
	int i;

	for (i = 0; i < CLI_MAX_OPTS && a->cmd->options[i].name != NULL; i++)
		if (strcmp(a->cmd->options[i].name, name) == 0)
			return a->val[i];
	return NULL;
}

static int
terminal_width(void)
{
	struct winsize ws;

	if (isatty(STDOUT_FILENO) &&
	    ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 0;
}

static enum itui_code
parse_id(const char *s, const char *prefix, int64_t *out, struct itui_err *err)
{
	const char *p = s;
	size_t plen = strlen(prefix);
	char *end;
	long long v;

	if (strncasecmp(p, prefix, plen) == 0 && p[plen] == '-')
		p += plen + 1;
	errno = 0;
	v = strtoll(p, &end, 10);
	if (*p == '\0' || *end != '\0' || errno != 0 || v <= 0)
		return err_set(err, ITUI_USAGE,
		               "bad %s id '%s' (expected a number or %s-N)",
		               strcmp(prefix, "INC") == 0 ? "incident"
		                                          : "action item",
		               s, prefix);
	*out = v;
	return ITUI_OK;
}

static enum itui_code
parse_at(struct context *ctx, const struct cli_args *a, int64_t *at,
         struct itui_err *err)
{
	const char *s = opt(a, "--at");

	*at = TIME_NONE;
	if (s == NULL)
		return ITUI_OK;
	if (time_parse_at(s, ctx->now, at, err) != ITUI_OK)
		return err_prefix(err, ITUI_USAGE, "--at");
	return ITUI_OK;
}

/* The policy's spelling of a level, or a usage error listing the levels. */
static enum itui_code
parse_level(struct context *ctx, const char *s, const char **level,
            struct itui_err *err)
{
	const struct policy *p;
	const struct policy_level *l;

	if (context_policy(ctx, &p, err) != ITUI_OK)
		return err->code;
	l = policy_level(p, s);
	if (l == NULL)
		return err_set(err, ITUI_USAGE,
		               "unknown severity '%s' (policy %s has %s)", s,
		               p->name, policy_level_list(p));
	*level = l->name;
	return ITUI_OK;
}

static enum itui_code
open_store(struct context *ctx, int writes, struct store **st,
           struct itui_err *err)
{
	char advice[1024];

	if (context_store(ctx, writes ? 0 : STORE_NOCREATE, st, err) != ITUI_OK)
		return err->code;
	if (writes) {
		store_permission_advice(ctx->db_path, advice, sizeof advice);
		if (advice[0] != '\0')
			fprintf(stderr, "incident-tui: warning: %s\n", advice);
	}
	return ITUI_OK;
}

static enum itui_code
print_json(json_t *root, struct itui_err *err)
{
	int rc = jsonout_print(root, stdout);

	json_decref(root);
	if (rc != 0)
		return err_set(err, ITUI_IO, "writing output: %s",
		               strerror(errno));
	return ITUI_OK;
}

/* Joins words with spaces, or reads standard input for a lone "-". */
static enum itui_code
gather_text(char **words, int n, char **out, struct itui_err *err)
{
	struct strbuf sb = STRBUF_INIT;
	int i;

	if (n == 1 && strcmp(words[0], "-") == 0) {
		char buf[4096];
		size_t got;

		while ((got = fread(buf, 1, sizeof buf, stdin)) > 0) {
			strbuf_add(&sb, buf, got);
			if (sb.len > MAX_STDIN_TEXT) {
				strbuf_free(&sb);
				return err_set(
				    err, ITUI_INPUT,
				    "standard input holds more than %d bytes",
				    MAX_STDIN_TEXT);
			}
		}
		if (ferror(stdin)) {
			strbuf_free(&sb);
			return err_set(err, ITUI_IO,
			               "reading standard input: %s",
			               strerror(errno));
		}
		if (memchr(sb.buf ? sb.buf : "", '\0', sb.len) != NULL) {
			strbuf_free(&sb);
			return err_set(
			    err, ITUI_INPUT,
			    "standard input holds a NUL byte (binary data?)");
		}
		while (sb.len > 0 && (sb.buf[sb.len - 1] == '\n' ||
		                      sb.buf[sb.len - 1] == '\r'))
			sb.buf[--sb.len] = '\0';
	} else {
		for (i = 0; i < n; i++) {
			if (i > 0)
				strbuf_addch(&sb, ' ');
			strbuf_addstr(&sb, words[i]);
		}
	}
	*out = strbuf_detach(&sb);
	return ITUI_OK;
}

/* ---- commands --------------------------------------------------------------
 */

/* The alert named AL-N (or N); *found points into *rows. */
static enum itui_code
find_alert(struct store *st, const char *ref, struct alert_rows *rows,
           const struct alert_row **found, struct itui_err *err)
{
	int64_t id;
	size_t i;

	if (parse_id(ref, "AL", &id, err))
		return err_set(
		    err, ITUI_USAGE,
		    "bad alert id '%s' (AL-N, as incident-tui alerts shows)",
		    ref);
	if (store_alerts(st, 0, rows, err) != ITUI_OK)
		return err->code;
	for (i = 0; i < rows->n; i++)
		if (rows->v[i].id == id) {
			*found = &rows->v[i];
			return ITUI_OK;
		}
	alert_rows_free(rows);
	return err_set(err, ITUI_NOTFOUND,
	               "no alert AL-%lld (incident-tui alerts lists them)",
	               (long long)id);
}

/* [severity-map]: the alert's severity label to a policy level. */
static const char *
mapped_severity(const struct context *ctx, const char *label)
{
	size_t i;

	for (i = 0; label != NULL && i < ctx->cfg.nseverity_map; i++)
		if (strcmp(ctx->cfg.severity_map[i].key, label) == 0)
			return ctx->cfg.severity_map[i].value;
	return NULL;
}

static enum itui_code
cmd_declare(struct context *ctx, const struct cli_args *a, struct itui_err *err)
{
	struct incident_new in = {0};
	struct store *st;
	int64_t id;

	struct alert_rows alerts = {NULL, 0};
	const char *sev = opt(a, "--severity"), *title = opt(a, "--title");
	enum itui_code rc;

	if (opt(a, "--alert") != NULL) {
		const struct alert_row *al = NULL;

		if (open_store(ctx, 1, &st, err) ||
		    find_alert(st, opt(a, "--alert"), &alerts, &al, err))
			return err->code;
		if (title == NULL)
			title = al->summary ? al->summary : al->name;
		if (sev == NULL)
			sev = mapped_severity(ctx, al->severity);
		if (sev == NULL) {
			rc = err_set(
			    err, ITUI_USAGE,
			    "alert %s has severity '%s', which [severity-map] "
			    "does not map; give --severity",
			    opt(a, "--alert"),
			    al->severity ? al->severity : "");
			alert_rows_free(&alerts);
			return rc;
		}
		in.alert_key = al->key;
	}
	if (sev == NULL || title == NULL) {
		alert_rows_free(&alerts);
		return err_set(err, ITUI_USAGE, "%s is required",
		               sev == NULL ? "--severity LEVEL"
		                           : "--title TEXT");
	}
	if (parse_level(ctx, sev, &in.severity, err) ||
	    parse_at(ctx, a, &in.at, err)) {
		alert_rows_free(&alerts);
		return err->code;
	}
	in.title = title;
	in.service = opt(a, "--service");
	in.impact = opt(a, "--impact");
	in.commander = opt(a, "--commander");
	in.drill = opt(a, "--drill") != NULL;
	rc = open_store(ctx, 1, &st, err);
	if (rc == ITUI_OK)
		rc = store_incident_declare(st, &in, &id, err);
	alert_rows_free(&alerts);
	if (rc != ITUI_OK)
		return rc;
	printf("INC-%lld\n", (long long)id);
	return ITUI_OK;
}

static enum itui_code
cmd_list(struct context *ctx, const struct cli_args *a, struct itui_err *err)
{
	struct incident_list l;
	const struct policy *p;
	struct store *st;
	size_t i;

	if (context_policy(ctx, &p, err) || open_store(ctx, 0, &st, err) ||
	    store_incident_list(st, opt(a, "--all") != NULL, 0, &l, err))
		return err->code;
	incident_list_sort(&l, p);
	if (opt(a, "--json") != NULL) {
		json_t *root = json_object(), *arr = json_array();

		for (i = 0; i < l.n; i++)
			json_array_append_new(
			    arr, jsonout_incident(&l.v[i], p, ctx->now));
		json_object_set_new(root, "now", jsonout_time(ctx->now));
		json_object_set_new(root, "policy", json_string(p->name));
		json_object_set_new(root, "incidents", arr);
		incident_list_free(&l);
		return print_json(root, err);
	}
	textout_incident_list(stdout, &l, p, ctx->now, terminal_width());
	incident_list_free(&l);
	return ITUI_OK;
}

static enum itui_code
cmd_show(struct context *ctx, const struct cli_args *a, struct itui_err *err)
{
	struct incident inc;
	struct entry_list tl;
	struct action_list acts;
	const struct policy *p;
	struct store *st;
	const char *lim = opt(a, "--limit");
	int64_t id;
	long limit = 50;
	char *end;
	size_t i;

	if (parse_id(a->pos[0], "INC", &id, err))
		return err->code;
	if (lim != NULL) {
		errno = 0;
		limit = strtol(lim, &end, 10);
		if (*lim == '\0' || *end != '\0' || errno || limit < 0 ||
		    limit > 1000000)
			return err_set(
			    err, ITUI_USAGE,
			    "--limit: '%s' is not a count from 0 to 1000000",
			    lim);
	}
	if (context_policy(ctx, &p, err) || open_store(ctx, 0, &st, err) ||
	    store_incident_get(st, id, &inc, err))
		return err->code;
	if (store_timeline(st, id, 0, 0, (int)limit, &tl, err)) {
		incident_free(&inc);
		return err->code;
	}
	if (store_actions(st, id, 0, &acts, err)) {
		incident_free(&inc);
		entry_list_free(&tl);
		return err->code;
	}
	if (opt(a, "--json") != NULL) {
		json_t *root = jsonout_incident(&inc, p, ctx->now);
		json_t *ents = json_array(), *arr = json_array();

		for (i = 0; i < tl.n; i++)
			json_array_append_new(ents, jsonout_entry(&tl.v[i]));
		for (i = 0; i < acts.n; i++)
			json_array_append_new(
			    arr, jsonout_action(&acts.v[i], ctx->now));
		json_object_set_new(root, "now", jsonout_time(ctx->now));
		json_object_set_new(root, "timeline", ents);
		json_object_set_new(root, "timeline_truncated",
		                    json_boolean(tl.more));
		json_object_set_new(root, "actions", arr);
		incident_free(&inc);
		entry_list_free(&tl);
		action_list_free(&acts);
		return print_json(root, err);
	}
	textout_incident(stdout, &inc, &tl, &acts, p, ctx->now,
	                 terminal_width());
	incident_free(&inc);
	entry_list_free(&tl);
	action_list_free(&acts);
	return ITUI_OK;
}

static enum itui_code
cmd_log(struct context *ctx, const struct cli_args *a, struct itui_err *err)
{
	const char *ks = opt(a, "--kind");
	enum entry_kind kind = KIND_NOTE;
	struct store *st;
	int64_t id, at;
	char *text = NULL;
	enum itui_code rc;

	if (parse_id(a->pos[0], "INC", &id, err) || parse_at(ctx, a, &at, err))
		return err->code;
	if (ks != NULL) {
		int k = kind_parse(ks);

		if (k < 0)
			return err_set(
			    err, ITUI_USAGE,
			    "unknown kind '%s' (note, decision, action, comms, "
			    "escalation, handoff)",
			    ks);
		if (!kind_loggable((enum entry_kind)k))
			return err_set(
			    err, ITUI_USAGE,
			    "%s entries are written by the system; use the %s "
			    "command",
			    ks,
			    k == KIND_STATUS     ? "status"
			    : k == KIND_SEVERITY ? "severity"
			    : k == KIND_ROLE     ? "assign"
			                         : "matching");
		kind = (enum entry_kind)k;
	}
	if (gather_text(a->pos + 1, a->npos - 1, &text, err))
		return err->code;
	rc = open_store(ctx, 1, &st, err);
	if (rc == ITUI_OK)
		rc = store_entry_add(st, id, kind, at, text, NULL, NULL, err);
	free(text);
	return rc;
}

static enum itui_code
cmd_ack(struct context *ctx, const struct cli_args *a, struct itui_err *err)
{
	struct store *st;
	int64_t id, at;
	int already;

	if (parse_id(a->pos[0], "INC", &id, err) ||
	    parse_at(ctx, a, &at, err) || open_store(ctx, 1, &st, err) ||
	    store_incident_ack(st, id, at, &already, err))
		return err->code;
	if (already)
		fprintf(stderr,
		        "incident-tui: ack: INC-%lld was already acknowledged; "
		        "nothing changed\n",
		        (long long)id);
	return ITUI_OK;
}

static enum itui_code
cmd_status(struct context *ctx, const struct cli_args *a, struct itui_err *err)
{
	struct store *st;
	int64_t id, at;
	int s;

	if (parse_id(a->pos[0], "INC", &id, err) || parse_at(ctx, a, &at, err))
		return err->code;
	s = status_parse(a->pos[1]);
	if (s < 0)
		return err_set(
		    err, ITUI_USAGE,
		    "unknown status '%s' (investigating, identified, "
		    "mitigating, monitoring, resolved, closed)",
		    a->pos[1]);
	if (open_store(ctx, 1, &st, err) ||
	    store_incident_set_status(st, id, (enum inc_status)s, at, err))
		return err->code;
	return ITUI_OK;
}

static enum itui_code
cmd_severity(struct context *ctx, const struct cli_args *a,
             struct itui_err *err)
{
	const char *level;
	struct store *st;
	int64_t id, at;

	if (parse_id(a->pos[0], "INC", &id, err) ||
	    parse_at(ctx, a, &at, err) ||
	    parse_level(ctx, a->pos[1], &level, err) ||
	    open_store(ctx, 1, &st, err) ||
	    store_incident_set_severity(st, id, level, at, err))
		return err->code;
	return ITUI_OK;
}

static enum itui_code
parse_role(const char *s, enum role *out, struct itui_err *err)
{
	int r = role_parse(s);

	if (r < 0)
		return err_set(err, ITUI_USAGE,
		               "unknown role '%s' (commander/ic, tech-lead/tl, "
		               "comms-lead/comms, scribe)",
		               s);
	*out = (enum role)r;
	return ITUI_OK;
}

static enum itui_code
cmd_assign(struct context *ctx, const struct cli_args *a, struct itui_err *err)
{
	struct store *st;
	enum role role = ROLE_COMMANDER;
	int64_t id, at;

	if (parse_id(a->pos[0], "INC", &id, err) ||
	    parse_at(ctx, a, &at, err) || parse_role(a->pos[1], &role, err) ||
	    open_store(ctx, 1, &st, err) ||
	    store_role_assign(st, id, role, a->pos[2], at, err))
		return err->code;
	return ITUI_OK;
}

static enum itui_code
cmd_unassign(struct context *ctx, const struct cli_args *a,
             struct itui_err *err)
{
	struct store *st;
	enum role role = ROLE_COMMANDER;
	int64_t id, at;

	if (parse_id(a->pos[0], "INC", &id, err) ||
	    parse_at(ctx, a, &at, err) || parse_role(a->pos[1], &role, err) ||
	    open_store(ctx, 1, &st, err) ||
	    store_role_unassign(st, id, role, at, err))
		return err->code;
	return ITUI_OK;
}

/* Prints a report line without the padding of its last cell. */
static void
print_line(struct strbuf *sb)
{
	while (sb->len > 0 && sb->buf[sb->len - 1] == ' ')
		sb->buf[--sb->len] = '\0';
	printf("%s\n", strbuf_str(sb));
	strbuf_reset(sb);
}

/* action list: open (or all) action items across incidents. */
static enum itui_code
action_list(struct context *ctx, const struct cli_args *a, struct itui_err *err)
{
	const char *owner = opt(a, "--owner");
	struct action_list l;
	struct strbuf sb = STRBUF_INIT;
	struct store *st;
	char t[TIME_BUF];
	size_t i;

	if (open_store(ctx, 0, &st, err) ||
	    store_actions(st, 0, opt(a, "--open") != NULL, &l, err))
		return err->code;
	if (opt(a, "--json") != NULL) {
		json_t *root = json_object(), *arr = json_array();

		for (i = 0; i < l.n; i++)
			if (owner == NULL ||
			    (l.v[i].owner && strcmp(l.v[i].owner, owner) == 0))
				json_array_append_new(
				    arr, jsonout_action(&l.v[i], ctx->now));
		json_object_set_new(root, "actions", arr);
		action_list_free(&l);
		return print_json(root, err);
	}
	for (i = 0; i < l.n; i++) {
		const struct action_item *ai = &l.v[i];
		char id[24], inc[24], due[TIME_BUF] = "-";

		if (owner != NULL &&
		    (ai->owner == NULL || strcmp(ai->owner, owner)))
			continue;
		snprintf(id, sizeof id, "ACT-%lld", (long long)ai->id);
		snprintf(inc, sizeof inc, "INC-%lld",
		         (long long)ai->incident_id);
		if (ai->due_at != TIME_NONE)
			snprintf(due, sizeof due, "%.10s",
			         time_format_local(ai->due_at, t));
		textout_cell(&sb, id, 8);
		textout_cell(&sb, inc, 8);
		textout_cell(&sb, action_state_name(ai->state), 8);
		textout_cell(&sb, ai->owner ? ai->owner : "-", 10);
		textout_cell(&sb, due, 11);
		textout_cell(&sb,
		             ai->state == ACTION_OPEN &&
		                     ai->due_at != TIME_NONE &&
		                     ai->due_at < ctx->now
		                 ? "OVERDUE"
		                 : "",
		             8);
		textout_cell(&sb, ai->text, 60);
		print_line(&sb);
	}
	strbuf_free(&sb);
	action_list_free(&l);
	return ITUI_OK;
}

static enum itui_code
cmd_action(struct context *ctx, const struct cli_args *a, struct itui_err *err)
{
	const char *h = opt(a, "--horizon"), *due = opt(a, "--due");
	enum action_horizon horizon = HORIZON_SHORT_TERM;
	struct store *st;
	int64_t id, aid, due_at = TIME_NONE;
	char *text;
	enum itui_code rc;

	if (strcmp(a->pos[0], "list") == 0)
		return action_list(ctx, a, err);
	if (strcmp(a->pos[0], "edit") == 0) {
		if (a->npos != 2)
			return err_set(
			    err, ITUI_USAGE,
			    "expected: action edit ACTION-ID [--text T] [--owner "
			    "N] [--due D]");
		if (parse_id(a->pos[1], "ACT", &aid, err))
			return err->code;
		if (due != NULL && time_parse_due(due, ctx->now, &due_at, err))
			return err_prefix(err, ITUI_USAGE, "--due");
		if (opt(a, "--text") == NULL && opt(a, "--owner") == NULL &&
		    due == NULL)
			return err_set(
			    err, ITUI_USAGE,
			    "nothing to change (--text, --owner or --due)");
		if (open_store(ctx, 1, &st, err) ||
		    store_action_edit(st, aid, opt(a, "--text"),
		                      opt(a, "--owner"), due_at, err))
			return err->code;
		return ITUI_OK;
	}
	if (strcmp(a->pos[0], "done") == 0 || strcmp(a->pos[0], "drop") == 0) {
		if (a->npos != 2)
			return err_set(err, ITUI_USAGE,
			               "expected: action %s ACTION-ID",
			               a->pos[0]);
		if (parse_id(a->pos[1], "ACT", &aid, err) ||
		    open_store(ctx, 1, &st, err) ||
		    store_action_set_state(st, aid,
		                           a->pos[0][1] == 'o' ? ACTION_DONE
		                                               : ACTION_DROPPED,
		                           err))
			return err->code;
		return ITUI_OK;
	}
	if (parse_id(a->pos[0], "INC", &id, err))
		return err->code;
	if (a->npos < 3 || strcmp(a->pos[1], "add") != 0)
		return err_set(
		    err, ITUI_USAGE,
		    "expected: action ID add TEXT, action done ACTION-ID or "
		    "action drop ACTION-ID");
	if (h != NULL) {
		int v = horizon_parse(h);

		if (v < 0)
			return err_set(
			    err, ITUI_USAGE,
			    "--horizon: unknown horizon '%s' (immediate, "
			    "short-term, long-term)",
			    h);
		horizon = (enum action_horizon)v;
	}
	if (due != NULL && time_parse_due(due, ctx->now, &due_at, err))
		return err_prefix(err, ITUI_USAGE, "--due");
	if (gather_text(a->pos + 2, a->npos - 2, &text, err))
		return err->code;
	rc = open_store(ctx, 1, &st, err);
	if (rc == ITUI_OK)
		rc = store_action_add(st, id, text, opt(a, "--owner"), due_at,
		                      horizon, &aid, err);
	free(text);
	if (rc == ITUI_OK)
		printf("ACT-%lld\n", (long long)aid);
	return rc;
}

static enum itui_code
cmd_audit(struct context *ctx, const struct cli_args *a, struct itui_err *err)
{
	struct audit_list l;
	struct store *st;
	struct incident inc;
	int64_t id = 0;
	size_t i;

	if (a->npos == 1 && parse_id(a->pos[0], "INC", &id, err))
		return err->code;
	if (open_store(ctx, 0, &st, err))
		return err->code;
	if (id != 0) {
		if (store_incident_get(st, id, &inc, err))
			return err->code;
		incident_free(&inc);
	}
	if (store_audit(st, id, &l, err))
		return err->code;
	if (opt(a, "--json") != NULL) {
		json_t *arr = json_array(), *root = json_object();

		for (i = 0; i < l.n; i++)
			json_array_append_new(arr, jsonout_audit(&l.v[i]));
		json_object_set_new(root, "audit", arr);
		audit_list_free(&l);
		return print_json(root, err);
	}
	textout_audit(stdout, &l, terminal_width());
	audit_list_free(&l);
	return ITUI_OK;
}

/* Records each source's health (transitions reach the timelines). */
static void
record_sources(struct store *st, const struct source_result *res, int n)
{
	struct itui_err err;
	int i, changed;

	for (i = 0; i < n; i++)
		(void)store_source_set(st, res[i].name, res[i].ok,
		                       res[i].detail, &changed, &err);
}

static enum itui_code
cmd_snapshot(struct context *ctx, const struct cli_args *a,
             struct itui_err *err)
{
	struct metrics m;
	struct source_result src;
	struct incident inc;
	struct store *st;
	char *data = NULL, *text = NULL;
	enum itui_code rc;
	int64_t id;

	if (parse_id(a->pos[0], "INC", &id, err) ||
	    open_store(ctx, 1, &st, err) ||
	    store_incident_get(st, id, &inc, err))
		return err->code;
	if (!metrics_configured(&ctx->cfg)) {
		incident_free(&inc);
		return err_set(
		    err, ITUI_CONFIG,
		    "no metrics source configured (see [prometheus] in "
		    "incident-tui(1))");
	}
	if (metrics_init(&m, &ctx->cfg, NULL, err) != ITUI_OK) {
		incident_free(&inc);
		return err->code;
	}
	rc = metrics_snapshot(&m, inc.service, ctx->now, &data, &text, &src,
	                      err);
	if (rc != ITUI_CONFIG)
		record_sources(st, &src, 1);
	if (rc == ITUI_OK)
		rc = store_entry_add(st, id, KIND_METRIC, TIME_NONE, text, data,
		                     NULL, err);
	if (rc == ITUI_OK) {
		char *safe = sanitize_line(text, 0);

		printf("%s\n", safe);
		free(safe);
	}
	free(data);
	free(text);
	incident_free(&inc);
	metrics_free(&m);
	return rc;
}

static enum itui_code
cmd_alerts(struct context *ctx, const struct cli_args *a, struct itui_err *err)
{
	struct source_result res[METRICS_MAX_SOURCES];
	struct alert_list fetched;
	struct alert_rows rows;
	struct metrics m;
	struct store *st;
	enum itui_code rc;
	int nres = 0, i, complete = 1, changed;
	size_t k;

	if (!metrics_configured(&ctx->cfg))
		return err_set(
		    err, ITUI_CONFIG,
		    "no alert source configured (see [prometheus] in "
		    "incident-tui(1))");
	if (open_store(ctx, 1, &st, err) ||
	    metrics_init(&m, &ctx->cfg, NULL, err))
		return err->code;
	rc = metrics_alerts(&m, &fetched, res, &nres, err);
	record_sources(st, res, nres);
	metrics_free(&m);
	if (rc != ITUI_OK)
		return rc;
	for (i = 0; i < nres; i++)
		if (!res[i].ok) {
			char *safe = sanitize_line(res[i].detail, 200);

			complete = 0;
			fprintf(stderr,
			        "incident-tui: alerts: warning: %s: %s\n",
			        res[i].name, safe);
			free(safe);
		}
	rc = poller_sync_alerts(st, &fetched, complete, &changed, err);
	alerts_free(&fetched);
	if (rc != ITUI_OK || store_alerts(st, 1, &rows, err) != ITUI_OK)
		return err->code;
	if (opt(a, "--json") != NULL) {
		json_t *root = json_object(), *arr = json_array();
		json_t *srcs = json_array();

		for (k = 0; k < rows.n; k++)
			json_array_append_new(arr, jsonout_alert(&rows.v[k]));
		for (i = 0; i < nres; i++) {
			json_t *o = json_object();

			json_object_set_new(o, "name",
			                    json_string(res[i].name));
			json_object_set_new(o, "ok", json_boolean(res[i].ok));
			json_object_set_new(o, "detail",
			                    json_string(res[i].detail));
			json_array_append_new(srcs, o);
		}
		json_object_set_new(root, "alerts", arr);
		json_object_set_new(root, "sources", srcs);
		alert_rows_free(&rows);
		return print_json(root, err);
	}
	if (rows.n == 0)
		printf("No firing alerts.\n");
	for (k = 0; k < rows.n; k++) {
		const struct alert_row *r = &rows.v[k];
		struct strbuf sb = STRBUF_INIT;
		char ref[32], inc[32] = "", t[TIME_BUF];

		snprintf(ref, sizeof ref, "AL-%lld", (long long)r->id);
		if (r->incident_id)
			snprintf(inc, sizeof inc, "INC-%lld",
			         (long long)r->incident_id);
		textout_cell(&sb, ref, 7);
		textout_cell(&sb, r->severity ? r->severity : "-", 10);
		textout_cell(&sb, time_format_hhmm(r->since, t), 6);
		textout_cell(&sb, inc, 9);
		textout_cell(&sb, r->name, 24);
		textout_cell(&sb, r->summary, 60);
		printf("%s\n", strbuf_str(&sb));
		strbuf_free(&sb);
	}
	alert_rows_free(&rows);
	return ITUI_OK;
}

static enum itui_code
cmd_poll(struct context *ctx, const struct cli_args *a, struct itui_err *err)
{
	struct poller p;
	struct store *st;
	enum itui_code rc;
	int changed;

	if (!metrics_configured(&ctx->cfg))
		return err_set(
		    err, ITUI_CONFIG,
		    "no metrics source configured (see [prometheus] in "
		    "incident-tui(1))");
	/* Creates and migrates the file if needed; the poller then opens it. */
	if (open_store(ctx, 1, &st, err) != ITUI_OK)
		return err->code;
	if (poller_open(&p, &ctx->cfg, ctx->db_path, ctx->user, -1, err) !=
	    ITUI_OK) {
		poller_close(&p);
		return err->code;
	}
	if (opt(a, "--once") != NULL) {
		rc = poller_round(&p, &changed, err);
		poller_close(&p);
		return rc;
	}
	/* In the foreground until SIGINT or SIGTERM. */
	{
		sigset_t set;
		int sig;

		sigemptyset(&set);
		sigaddset(&set, SIGINT);
		sigaddset(&set, SIGTERM);
		sigaddset(&set, SIGHUP);
		pthread_sigmask(SIG_BLOCK, &set, NULL);
		if (poller_start(&p, err) != ITUI_OK) {
			poller_close(&p);
			return err->code;
		}
		sigwait(&set, &sig);
	}
	poller_close(&p);
	return ITUI_OK;
}

static enum itui_code
cmd_update(struct context *ctx, const struct cli_args *a, struct itui_err *err)
{
	struct strbuf out = STRBUF_INIT;
	const struct policy *p;
	const char *name = opt(a, "--template");
	struct incident inc;
	struct store *st;
	enum itui_code rc;
	int64_t id;

	if (parse_id(a->pos[0], "INC", &id, err) ||
	    context_policy(ctx, &p, err) ||
	    open_store(ctx, opt(a, "--mark-sent") != NULL, &st, err) ||
	    store_incident_get(st, id, &inc, err))
		return err->code;
	if (name == NULL)
		name = comms_default_template(&inc);
	incident_free(&inc);
	rc = comms_render(st, p, ctx->share_dir, id, name, ctx->now, ctx->user,
	                  &out, err);
	if (rc == ITUI_OK && opt(a, "--mark-sent") != NULL) {
		char *data = xasprintf("{\"template\":\"%s\"}", name);

		rc = store_entry_add(st, id, KIND_COMMS, TIME_NONE,
		                     strbuf_str(&out), data, NULL, err);
		free(data);
	}
	if (rc == ITUI_OK)
		fputs(strbuf_str(&out), stdout);
	strbuf_free(&out);
	return rc;
}

static enum itui_code
cmd_postmortem(struct context *ctx, const struct cli_args *a,
               struct itui_err *err)
{
	struct strbuf out = STRBUF_INIT;
	const struct policy *p;
	const char *file = opt(a, "-o");
	struct store *st;
	enum itui_code rc;
	int64_t id;

	if (parse_id(a->pos[0], "INC", &id, err) ||
	    context_policy(ctx, &p, err) || open_store(ctx, 0, &st, err))
		return err->code;
	rc = comms_render(st, p, ctx->share_dir, id, "postmortem", ctx->now,
	                  ctx->user, &out, err);
	if (rc == ITUI_OK && file != NULL) {
		/* Whole or nothing: a temporary file renamed into place. */
		char *tmp = xasprintf("%s.tmp%d", file, (int)getpid());
		FILE *f = fopen(tmp, "w");

		if (f == NULL || fputs(strbuf_str(&out), f) == EOF ||
		    fclose(f) != 0 || rename(tmp, file) != 0) {
			rc = err_set(err, ITUI_IO, "writing %s: %s", file,
			             strerror(errno));
			unlink(tmp);
		}
		free(tmp);
	} else if (rc == ITUI_OK) {
		fputs(strbuf_str(&out), stdout);
	}
	strbuf_free(&out);
	return rc;
}

/* Since when a report looks: --since, else the last look, else `dflt` ago. */
static enum itui_code
report_since(struct context *ctx, struct store *st, const struct cli_args *a,
             int64_t dflt, int64_t *since, const char **why,
             struct itui_err *err)
{
	const char *s = opt(a, "--since");
	int64_t d, look = TIME_NONE;

	if (s != NULL) {
		if (time_parse_duration(s, &d) != 0 &&
		    time_parse_at(s, ctx->now, since, NULL) != ITUI_OK)
			return err_set(
			    err, ITUI_USAGE,
			    "--since: '%s' is not a duration (12h, 7d) or a time",
			    s);
		if (time_parse_duration(s, &d) == 0)
			*since = ctx->now - d;
		*why = "--since";
		return ITUI_OK;
	}
	if (st != NULL && store_last_look(st, ctx->user, &look, err) != ITUI_OK)
		return err->code;
	if (look != TIME_NONE) {
		*since = look;
		*why = "your last look";
	} else {
		*since = ctx->now - dflt;
		*why = "default";
	}
	return ITUI_OK;
}

static enum itui_code
cmd_handoff(struct context *ctx, const struct cli_args *a, struct itui_err *err)
{
	const struct policy *p;
	struct store *st;
	const char *why = NULL;
	int64_t since = 0;

	if (opt(a, "--record") != NULL) {
		int n;

		if (opt(a, "--to") == NULL)
			return err_set(
			    err, ITUI_USAGE,
			    "--record needs --to NAME (who takes over)");
		if (open_store(ctx, 1, &st, err) ||
		    store_handoff_record(st, opt(a, "--to"), opt(a, "--note"),
		                         &n, err))
			return err->code;
		printf("handoff to %s recorded on %d active incident%s\n",
		       opt(a, "--to"), n, n == 1 ? "" : "s");
		return ITUI_OK;
	}
	if (opt(a, "--to") != NULL || opt(a, "--note") != NULL)
		return err_set(err, ITUI_USAGE,
		               "--to and --note go with --record");
	if (context_policy(ctx, &p, err) || open_store(ctx, 0, &st, err) ||
	    report_since(ctx, st, a, 12 * 3600, &since, &why, err))
		return err->code;
	return report_handoff(st, p, ctx->user, ctx->now, since, why,
	                      opt(a, "--json") != NULL, stdout, err);
}

static enum itui_code
cmd_stats(struct context *ctx, const struct cli_args *a, struct itui_err *err)
{
	const struct policy *p;
	struct store *st;
	const char *why;
	int64_t since = ctx->now - 30 * 86400;

	if (context_policy(ctx, &p, err) || open_store(ctx, 0, &st, err))
		return err->code;
	if (opt(a, "--since") != NULL &&
	    report_since(ctx, NULL, a, 0, &since, &why, err))
		return err->code;
	return report_stats(st, p, ctx->now, since, opt(a, "--json") != NULL,
	                    stdout, err);
}

static enum itui_code
cmd_demo(struct context *ctx, const struct cli_args *a, struct itui_err *err)
{
	const struct policy *p;

	(void)a;
	if (context_policy(ctx, &p, err) != ITUI_OK)
		return err->code;
	if (demo_create(ctx->db_path, p, ctx->now, err) != ITUI_OK)
		return err->code;
	printf("demo database ready: %s\n", ctx->db_path);
	return ITUI_OK;
}

/* ---- help -------------------------------------------------------------------
 */

static void
print_options(FILE *f, const struct cli_option *o, int n)
{
	int i;

	for (i = 0; i < n && o[i].name != NULL; i++) {
		char left[64];

		snprintf(left, sizeof left, "%s%s%s", o[i].name,
		         o[i].arg ? " " : "", o[i].arg ? o[i].arg : "");
		fprintf(f, "  %-22s %s\n", left, o[i].help);
	}
}

static void
usage(FILE *f)
{
	const struct cli_command *c;

	fprintf(f,
	        "usage: incident-tui [global options] [command [arguments]]\n"
	        "\n"
	        "With no command, opens the dashboard on the shared database.\n"
	        "\nGlobal options:\n");
	print_options(f, cli_global_options, 99);
	fprintf(f, "\nCommands:\n");
	for (c = cli_commands; c->name != NULL; c++)
		fprintf(f, "  %-10s %s\n", c->name, c->summary);
	fprintf(f, "\n'incident-tui help COMMAND' shows a command's options; "
	           "incident-tui(1) has the rest.\n");
}

static void
command_help(FILE *f, const struct cli_command *c)
{
	fprintf(f, "usage: incident-tui %s %s\n\n%s\n", c->name, c->synopsis,
	        c->summary);
	if (c->options[0].name != NULL) {
		fprintf(f, "\nOptions:\n");
		print_options(f, c->options, CLI_MAX_OPTS);
	}
}

static enum itui_code
cmd_help(struct context *ctx, const struct cli_args *a, struct itui_err *err)
{
	const struct cli_command *c;

	(void)ctx;
	if (a->npos == 0) {
		usage(stdout);
		return ITUI_OK;
	}
	c = find_command(a->pos[0]);
	if (c == NULL)
		return err_set(err, ITUI_USAGE, "unknown command '%s'",
		               a->pos[0]);
	command_help(stdout, c);
	return ITUI_OK;
}

/* ---- parsing and dispatch --------------------------------------------------
 */

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
		*dst = val;
	}
	*argc = o;
	argv[o] = NULL;
	return 0;
}

static int
parse_command_args(const struct cli_command *c, int argc, char **argv,
                   struct cli_args *a, struct itui_err *err)
{
	int i, only_pos = 0;

	memset(a, 0, sizeof *a);
	a->cmd = c;
	a->pos = xcalloc((size_t)argc + 1, sizeof *a->pos);
	for (i = 0; i < argc; i++) {
		const char *s = argv[i], *eq;
		size_t n;
		int j, found = -1;

		if (only_pos || s[0] != '-' || strcmp(s, "-") == 0 ||
		    (s[1] >= '0' && s[1] <= '9')) {
			a->pos[a->npos++] = argv[i];
			continue;
		}
		if (strcmp(s, "--") == 0) {
			only_pos = 1;
			continue;
		}
		eq = strchr(s, '=');
		n = eq != NULL ? (size_t)(eq - s) : strlen(s);
		for (j = 0; j < CLI_MAX_OPTS && c->options[j].name != NULL; j++)
			if (strlen(c->options[j].name) == n &&
			    strncmp(c->options[j].name, s, n) == 0)
				found = j;
		if (found < 0)
			return err_set(
			           err, ITUI_USAGE,
			           "unknown option '%.*s' (see 'incident-tui help %s')",
			           (int)n, s, c->name),
			       -1;
		if (c->options[found].arg == NULL) {
			if (eq != NULL)
				return err_set(err, ITUI_USAGE,
				               "%s takes no value",
				               c->options[found].name),
				       -1;
			a->val[found] = "";
		} else if (eq != NULL) {
			a->val[found] = eq + 1;
		} else if (i + 1 < argc) {
			a->val[found] = argv[++i];
		} else {
			return err_set(err, ITUI_USAGE, "%s needs a value (%s)",
			               c->options[found].name,
			               c->options[found].arg),
			       -1;
		}
	}
	if (a->npos < c->min_pos || (c->max_pos >= 0 && a->npos > c->max_pos))
		return err_set(err, ITUI_USAGE, "%s arguments; usage: %s %s",
		               a->npos < c->min_pos ? "missing" : "too many",
		               c->name, c->synopsis),
		       -1;
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

/* Flushes stdout; a closed pipe is the reader's choice, not a failure. */
static int
finish_output(void)
{
	if (fflush(stdout) != 0 && errno != EPIPE) {
		fprintf(stderr, "incident-tui: writing output: %s\n",
		        strerror(errno));
		return 1;
	}
	return 0;
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
	struct cli_args a = {0};
	const struct cli_command *c;
	int help = 0, version = 0, status;

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
			usage(stdout);
			return finish_output();
		}
		return run_dashboard(&g);
	}
	c = find_command(argv[1]);
	if (c == NULL) {
		err_set(&err, ITUI_USAGE,
		        "unknown command '%s' (see incident-tui --help)",
		        argv[1]);
		print_error(NULL, err.msg);
		return 2;
	}
	if (help) {
		command_help(stdout, c);
		return finish_output();
	}
	if (parse_command_args(c, argc - 2, argv + 2, &a, &err) != 0) {
		print_error(c->name, err.msg);
		free(a.pos);
		return 2;
	}
	memset(&ctx, 0, sizeof ctx);
	if (!(c->flags & CMD_NO_CONTEXT) &&
	    context_init(&ctx, &g, &err) != ITUI_OK) {
		print_error(NULL, err.msg);
		free(a.pos);
		context_free(&ctx);
		return err_exit_status(err.code);
	}
	if (c->run(&ctx, &a, &err) != ITUI_OK) {
		print_error(c->name, err.msg);
		status = err_exit_status(err.code);
	} else {
		status = finish_output();
	}
	free(a.pos);
	context_free(&ctx);
	return status;
}
