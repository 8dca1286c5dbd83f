/*
 * cmd.c - the verb table and its runner: finding a verb by name, parsing
 * its words against its row, putting in the target a person sees, and the
 * small parsers every verb shares.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "itui/cmd-alerts.h"
#include "itui/cmd-action.h"
#include "itui/cmd-admin.h"
#include "itui/cmd-db.h"
#include "itui/cmd-incident.h"
#include "itui/cmd-memory.h"
#include "itui/cmd-metrics.h"
#include "itui/cmd-outbox.h"
#include "itui/cmd-playbook.h"
#include "itui/cmd-report.h"
#include "itui/cmd-timeline.h"
#include "itui/cmd.h"
#include "itui/jsonout.h"
#include "itui/strbuf.h"
#include "itui/timeutil.h"
#include "itui/xalloc.h"

#define MAX_STDIN_TEXT (64 * 1024)

const struct cmd_entry *const cmd_table[] = {
    &cmd_declare_entry,       &cmd_list_entry,
    &cmd_show_entry,          &cmd_set_entry,
    &cmd_log_entry,           &cmd_entry_edit_entry,
    &cmd_entry_delete_entry,  &cmd_entry_restore_entry,
    &cmd_entry_pin_entry,     &cmd_ack_entry,
    &cmd_status_entry,        &cmd_severity_entry,
    &cmd_assign_entry,        &cmd_unassign_entry,
    &cmd_action_add_entry,    &cmd_action_edit_entry,
    &cmd_action_done_entry,   &cmd_action_drop_entry,
    &cmd_action_list_entry,   &cmd_check_entry,
    &cmd_checklist_entry,     &cmd_runbook_entry,
    &cmd_audit_entry,         &cmd_update_entry,
    &cmd_postmortem_entry,    &cmd_handoff_entry,
    &cmd_stats_entry,         &cmd_alerts_entry,
    &cmd_receive_entry,       &cmd_ingest_entry,
    &cmd_silence_entry,       &cmd_attach_entry,
    &cmd_snapshot_entry,      &cmd_poll_entry,
    &cmd_outbox_entry,        &cmd_outbox_retry_entry,
    &cmd_outbox_cancel_entry, &cmd_statuspage_entry,
    &cmd_verify_entry,        &cmd_sign_entry,
    &cmd_export_entry,        &cmd_import_entry,
    &cmd_replay_entry,        &cmd_who_entry,
    &cmd_db_init_entry,       &cmd_db_migrate_entry,
    &cmd_db_copy_entry,       &cmd_demo_entry,
    &cmd_help_entry,          NULL,
};

/* ---- finding a verb ------------------------------------------------ */

/* "action add" -> the group "action" and the word "add". */
static size_t
group_len(const char *name)
{
	const char *sp = strchr(name, ' ');

	return sp != NULL ? (size_t)(sp - name) : 0;
}

static int
is_group(const char *word)
{
	const struct cmd_entry *const *e;

	for (e = cmd_table; *e != NULL; e++) {
		size_t n = group_len((*e)->name);

		if (n > 0 && strlen(word) == n &&
		    strncmp((*e)->name, word, n) == 0)
			return 1;
	}
	return 0;
}

/* Exact name wins; else the only entry the words abbreviate. */
static const struct cmd_entry *
lookup(const char *name, int *ambiguous)
{
	const struct cmd_entry *const *e, *found = NULL;
	size_t len = strlen(name);
	int n = 0;

	*ambiguous = 0;
	for (e = cmd_table; *e != NULL; e++) {
		size_t a;

		if (strcmp((*e)->name, name) == 0)
			return *e;
		for (a = 0; a < sizeof(*e)->aliases / sizeof *(*e)->aliases &&
		            (*e)->aliases[a] != NULL;
		     a++)
			if (strcmp((*e)->aliases[a], name) == 0)
				return *e;
	}
	for (e = cmd_table; *e != NULL; e++) {
		const char *full = (*e)->name, *sp = strchr(name, ' ');

		if (sp != NULL) {
			/* "act ad": each word abbreviates its part. */
			size_t g = group_len(full), w = (size_t)(sp - name);

			if (g == 0 || w > g || strncmp(full, name, w) != 0 ||
			    strncmp(full + g + 1, sp + 1, strlen(sp + 1)) != 0)
				continue;
		} else if (group_len(full) > 0 ||
		           strncmp(full, name, len) != 0) {
			continue;
		}
		found = *e;
		n++;
	}
	if (n > 1)
		*ambiguous = 1;
	return n == 1 ? found : NULL;
}

const struct cmd_entry *
cmd_find(int argc, char **argv, int *used, struct itui_err *err)
{
	const struct cmd_entry *e;
	int ambiguous = 0;

	*used = 0;
	if (argc < 1 || argv[0] == NULL || argv[0][0] == '\0') {
		err_set(err, ITUI_USAGE, "no command given");
		return NULL;
	}
	/* "action 3 add TEXT", the older order: the group, the id, the verb. */
	if (argc >= 3 && is_group(argv[0]) && !is_group(argv[1])) {
		char two[96];

		snprintf(two, sizeof two, "%s %s", argv[0], argv[2]);
		if (lookup(two, &ambiguous) != NULL &&
		    lookup(two, &ambiguous)->target != CMD_T_NONE) {
			char *id = argv[1];

			argv[1] = argv[2];
			argv[2] = id;
		}
	}
	if (argc >= 2 && is_group(argv[0])) {
		char two[96];

		snprintf(two, sizeof two, "%s %s", argv[0], argv[1]);
		e = lookup(two, &ambiguous);
		if (e != NULL) {
			*used = 2;
			return e;
		}
	}
	e = lookup(argv[0], &ambiguous);
	if (e != NULL) {
		*used = 1;
		return e;
	}
	if (is_group(argv[0]))
		err_set(err, ITUI_USAGE,
		        argc >= 2 ? "unknown %s command '%s' (see incident-tui "
		                    "help %s)"
		                  : "%s needs a command (see incident-tui help "
		                    "%s)",
		        argv[0], argc >= 2 ? argv[1] : argv[0], argv[0]);
	else
		err_set(err, ITUI_USAGE,
		        ambiguous
		            ? "'%s' is ambiguous (see incident-tui --help)"
		            : "unknown command '%s' (see incident-tui "
		              "--help)",
		        argv[0]);
	return NULL;
}

/* ---- parsing ------------------------------------------------------- */

static const char *const target_prefix[] = {NULL, "INC-", "E-", "ACT-"};

/*
 * Whether the first positional names a target explicitly: INC-3, ACT-2, or
 * digits.  On the dashboard a bare number before free text is text
 * ("restarted 5 pods"); where the verb's words are counted (`status 1
 * sleeping`, `entry delete 999`) a full count says the number is the
 * target, so the same words mean the same on both sides.
 */
static int
names_target(const struct cmd_q *q, const struct cmd_entry *e, const char *w)
{
	const char *p = target_prefix[e->target];
	int digits =
	    w[0] >= '0' && w[0] <= '9' && w[strspn(w, "0123456789")] == 0;

	if (p != NULL && strncasecmp(w, p, strlen(p)) == 0)
		return 1;
	if (q->interactive)
		return digits && e->max_pos >= 0 && q->args.npos == e->max_pos;
	return digits;
}

static int64_t
seen_target(const struct cmd_q *q, enum cmd_target t)
{
	switch (t) {
	case CMD_T_INCIDENT:
		return q->seen.incident;
	case CMD_T_ENTRY:
		return q->seen.entry;
	case CMD_T_ACTION:
		return q->seen.action;
	case CMD_T_NONE:
		break;
	}
	return 0;
}

static const char *
target_noun(enum cmd_target t)
{
	return t == CMD_T_INCIDENT ? "incident"
	       : t == CMD_T_ENTRY  ? "timeline entry"
	                           : "action item";
}

enum itui_code
cmd_parse(struct cmd_q *q, const struct cmd_entry *e, int argc, char **argv,
          struct itui_err *err)
{
	struct cmd_args *a = &q->args;
	int i, only_pos = 0;

	free(a->pos);
	memset(a, 0, sizeof *a);
	a->entry = e;
	a->pos = xcalloc((size_t)argc + 2, sizeof *a->pos);
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
		for (j = 0; j < CMD_MAX_OPTS && e->options[j].name != NULL; j++)
			if (strlen(e->options[j].name) == n &&
			    strncmp(e->options[j].name, s, n) == 0)
				found = j;
		if (found < 0)
			return err_set(
			    err, ITUI_USAGE,
			    "unknown option '%.*s' (see 'incident-tui "
			    "help %s')",
			    (int)n, s, e->name);
		if (a->val[found] != NULL)
			return err_set(err, ITUI_USAGE, "%s is given twice",
			               e->options[found].name);
		if (e->options[found].arg == NULL) {
			if (eq != NULL)
				return err_set(err, ITUI_USAGE,
				               "%s takes no value",
				               e->options[found].name);
			a->val[found] = "";
		} else if (eq != NULL) {
			a->val[found] = eq + 1;
		} else if (i + 1 < argc) {
			a->val[found] = argv[++i];
		} else {
			return err_set(err, ITUI_USAGE, "%s needs a value (%s)",
			               e->options[found].name,
			               e->options[found].arg);
		}
	}
	/* The dashboard: what the person sees, unless the words name one. */
	if (q->interactive && e->target != CMD_T_NONE &&
	    (a->npos == 0 || !names_target(q, e, a->pos[0]))) {
		int64_t id = seen_target(q, e->target);

		if (id == 0)
			return err_set(err, ITUI_USAGE, "no %s selected",
			               target_noun(e->target));
		memmove(a->pos + 1, a->pos, (size_t)a->npos * sizeof *a->pos);
		a->pos[0] = q->words[0] = xasprintf(
		    "%s%lld",
		    target_prefix[e->target] ? target_prefix[e->target] : "",
		    (long long)id);
		a->npos++;
	}
	if (a->npos < e->min_pos || (e->max_pos >= 0 && a->npos > e->max_pos))
		return err_set(err, ITUI_USAGE, "%s arguments; usage: %s %s",
		               a->npos < e->min_pos ? "missing" : "too many",
		               e->name, e->synopsis);
	if (e->target != CMD_T_NONE && a->npos > 0) {
		static const char *const pfx[] = {NULL, "INC", "E", "ACT"};

		if (cmd_parse_id(a->pos[0], pfx[e->target], &q->target, err))
			return err->code;
	}
	return ITUI_OK;
}

enum itui_code
cmd_exec(struct cmd_q *q, struct itui_err *err)
{
	const struct cmd_entry *e = q->args.entry;

	q->note[0] = '\0';
	q->warned = 0;
	q->made = 0;
	if (q->interactive && (e->flags & CMD_CLI_ONLY))
		return err_set(
		    err, ITUI_USAGE,
		    "%s runs from the command line, not the dashboard",
		    e->name);
	return e->exec(q, err);
}

void
cmd_q_free(struct cmd_q *q)
{
	size_t i;

	free(q->args.pos);
	q->args.pos = NULL;
	for (i = 0; i < sizeof q->words / sizeof q->words[0]; i++) {
		free(q->words[i]);
		q->words[i] = NULL;
	}
}

enum itui_code
cmd_split(const char *line, char ***argv, int *argc, struct itui_err *err)
{
	size_t len = strlen(line), nwords = 0, cap = 8;
	char **v = xcalloc(cap, sizeof *v);
	char *buf = xmalloc(len + 1), *o = buf;
	const char *p = line;

	while (*p != '\0') {
		char quote = 0;

		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		if (nwords + 2 >= cap)
			v = xreallocarray(v, cap *= 2, sizeof *v);
		v[nwords++] = o;
		while (*p != '\0' && (quote || (*p != ' ' && *p != '\t'))) {
			/* A quote opens at a word's start or after "=": inside
			 * a word ("it's down") it is the text's own. */
			int opens = o == v[nwords - 1] || o[-1] == '=';

			if (quote == 0 && opens && (*p == '\'' || *p == '"')) {
				quote = *p++;
			} else if (quote != 0 && *p == quote) {
				quote = 0;
				p++;
			} else if (*p == '\\' && quote != '\'' &&
			           p[1] != '\0') {
				*o++ = p[1];
				p += 2;
			} else {
				*o++ = *p++;
			}
		}
		if (quote != 0) {
			free(v);
			free(buf);
			return err_set(err, ITUI_USAGE, "unmatched %c", quote);
		}
		*o++ = '\0';
	}
	if (nwords == 0) {
		free(buf);
		v[0] = NULL;
	}
	v[nwords] = NULL;
	*argv = v;
	*argc = (int)nwords;
	return ITUI_OK;
}

/* ---- what the verbs share ----------------------------------------- */

const char *
cmd_opt(const struct cmd_q *q, const char *name)
{
	const struct cmd_entry *e = q->args.entry;
	int i;

	for (i = 0; i < CMD_MAX_OPTS && e->options[i].name != NULL; i++)
		if (strcmp(e->options[i].name, name) == 0)
			return q->args.val[i];
	fatal("%s asks for option %s, which its row does not have", e->name,
	      name);
}

static void
vnote(struct cmd_q *q, const char *fmt, va_list ap)
{
	vsnprintf(q->note, sizeof q->note, fmt, ap);
}

void
cmd_note(struct cmd_q *q, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vnote(q, fmt, ap);
	va_end(ap);
}

void
cmd_warn(struct cmd_q *q, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vnote(q, fmt, ap);
	va_end(ap);
	q->warned = 1;
}

enum itui_code
cmd_parse_id(const char *s, const char *prefix, int64_t *out,
             struct itui_err *err)
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
		               strcmp(prefix, "INC") == 0   ? "incident"
		               : strcmp(prefix, "ACT") == 0 ? "action item"
		               : strcmp(prefix, "AL") == 0  ? "alert"
		                                            : "entry",
		               s, prefix);
	*out = v;
	return ITUI_OK;
}

enum itui_code
cmd_parse_revision(const char *s, int64_t *out, struct itui_err *err)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (*s < '0' || *s > '9' || *end != '\0' || errno != 0)
		return err_set(err, ITUI_USAGE,
		               "--if-revision: '%s' is not a revision number",
		               s);
	*out = v;
	return ITUI_OK;
}

enum itui_code
cmd_parse_at(struct cmd_q *q, int64_t *at, struct itui_err *err)
{
	const char *s = cmd_opt(q, "--at");

	*at = TIME_NONE;
	if (s == NULL)
		return ITUI_OK;
	if (time_parse_at(s, q->ctx->now, at, err) != ITUI_OK)
		return err_prefix(err, ITUI_USAGE, "--at");
	return ITUI_OK;
}

enum itui_code
cmd_parse_level(struct cmd_q *q, const char *s, const char **level,
                struct itui_err *err)
{
	const struct policy *p;
	const struct policy_level *l;

	if (context_policy(q->ctx, &p, err) != ITUI_OK)
		return err->code;
	l = policy_level(p, s);
	if (l == NULL)
		return err_set(err, ITUI_USAGE,
		               "unknown severity '%s' (policy %s has %s)", s,
		               p->name, policy_level_list(p));
	*level = l->name;
	return ITUI_OK;
}

enum itui_code
cmd_store(struct cmd_q *q, int writes, struct store **st, struct itui_err *err)
{
	if (context_store(q->ctx, writes ? 0 : STORE_NOCREATE, st, err) !=
	    ITUI_OK)
		return err->code;
	/* Kept for the caller: one line on stderr, whatever happens next. */
	if (writes && !q->interactive)
		store_permission_advice(q->ctx->db_path, q->advice,
		                        sizeof q->advice);
	return ITUI_OK;
}

enum itui_code
cmd_print_json(struct cmd_q *q, void *json_root, struct itui_err *err)
{
	json_t *root = json_root;
	int rc = jsonout_print(root, q->out);

	json_decref(root);
	if (rc != 0)
		return err_set(err, ITUI_IO, "writing output: %s",
		               strerror(errno));
	return ITUI_OK;
}

static enum itui_code
read_stdin(struct strbuf *sb, struct itui_err *err)
{
	char buf[4096];
	size_t got;

	while ((got = fread(buf, 1, sizeof buf, stdin)) > 0) {
		strbuf_add(sb, buf, got);
		if (sb->len > MAX_STDIN_TEXT)
			return err_set(
			    err, ITUI_INPUT,
			    "standard input holds more than %d bytes",
			    MAX_STDIN_TEXT);
	}
	if (ferror(stdin))
		return err_set(err, ITUI_IO, "reading standard input: %s",
		               strerror(errno));
	return ITUI_OK;
}

enum itui_code
cmd_gather_text(struct cmd_q *q, char **words, int n, char **out,
                struct itui_err *err)
{
	struct strbuf sb = STRBUF_INIT;
	int i;

	if (n == 1 && strcmp(words[0], "-") == 0) {
		enum itui_code rc = ITUI_OK;

		if (q->interactive)
			strbuf_addstr(&sb, q->stdin_text ? q->stdin_text : "");
		else
			rc = read_stdin(&sb, err);
		if (rc == ITUI_OK &&
		    memchr(sb.buf ? sb.buf : "", '\0', sb.len) != NULL)
			rc = err_set(
			    err, ITUI_INPUT,
			    "standard input holds a NUL byte (binary data?)");
		if (rc != ITUI_OK) {
			strbuf_free(&sb);
			return rc;
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

int
cmd_width(const struct cmd_q *q)
{
	struct winsize ws;

	if (q->out == stdout && isatty(STDOUT_FILENO) &&
	    ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 0;
}
