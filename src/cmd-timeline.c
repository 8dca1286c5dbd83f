/*
 * cmd-timeline.c - the verbs on the timeline: log an entry, edit, delete,
 * restore and pin one, and read the audit trail.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "itui/cmd-timeline.h"
#include "itui/jsonout.h"
#include "itui/strbuf.h"
#include "itui/textout.h"
#include "itui/timeutil.h"
#include "itui/xalloc.h"

/* --kind KIND, for a kind a person may log. */
static enum itui_code parse_kind(const char *ks, enum entry_kind *kind,
                                 struct itui_err *err);

/*
 * log --lines -: every line of standard input is an entry of its own, each
 * committed before the next line is read, so one process (one connection,
 * one start-up) logs a stream: a process per entry costs a PostgreSQL
 * server a backend each time.  A bad line stops the stream with its
 * number; the lines before it stay logged.
 */
static enum itui_code
log_lines(struct cmd_q *q, struct store *st, enum entry_kind kind, int64_t at,
          struct itui_err *err)
{
	const char *data = cmd_opt(q, "--public") ? "{\"public\":true}" : NULL;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	long n = 0, done = 0;
	int64_t eid = 0;
	enum itui_code rc = ITUI_OK;

	while (rc == ITUI_OK && (len = getline(&line, &cap, stdin)) >= 0) {
		n++;
		while (len > 0 &&
		       (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (memchr(line, '\0', (size_t)len) != NULL)
			rc = err_set(err, ITUI_INPUT,
			             "holds a NUL byte (binary data?)");
		else
			rc = store_entry_add(st, q->target, kind, at, line,
			                     data, &eid, err);
		if (rc == ITUI_OK)
			done++;
	}
	free(line);
	if (rc == ITUI_OK && ferror(stdin))
		return err_set(err, ITUI_IO, "reading standard input: %s",
		               strerror(errno));
	if (rc != ITUI_OK) {
		char *msg = xasprintf("line %ld: %s (%ld before it logged)", n,
		                      err->msg, done);

		err_set(err, rc, "%s", msg);
		free(msg);
		return rc;
	}
	q->made = eid;
	cmd_note(q, "logged %ld entries on INC-%lld", done,
	         (long long)q->target);
	return ITUI_OK;
}

static enum itui_code
cmd_log(struct cmd_q *q, struct itui_err *err)
{
	const struct cmd_args *a = &q->args;
	const char *ks = cmd_opt(q, "--kind");
	enum entry_kind kind = KIND_NOTE;
	struct store *st;
	int64_t at, eid = 0;
	char *text = NULL;
	enum itui_code rc;

	if (cmd_parse_at(q, &at, err))
		return err->code;
	if (ks != NULL && parse_kind(ks, &kind, err))
		return err->code;
	if (cmd_opt(q, "--lines") != NULL) {
		if (a->npos != 2 || strcmp(a->pos[1], "-") != 0)
			return err_set(
			    err, ITUI_USAGE,
			    "--lines reads the entries from standard "
			    "input: give - as the text");
		if (q->interactive)
			return err_set(err, ITUI_USAGE,
			               "--lines is for the command line");
		if (cmd_opt(q, "--clear-draft") != NULL)
			return err_set(err, ITUI_USAGE,
			               "--lines and --clear-draft do not go "
			               "together");
		if ((rc = cmd_store(q, 1, &st, err)) != ITUI_OK)
			return rc;
		return log_lines(q, st, kind, at, err);
	}
	if (cmd_gather_text(q, a->pos + 1, a->npos - 1, &text, err))
		return err->code;
	rc = cmd_store(q, 1, &st, err);
	if (rc == ITUI_OK)
		rc = store_entry_add_draft(
		    st, q->target, kind, at, text,
		    cmd_opt(q, "--public") ? "{\"public\":true}" : NULL,
		    cmd_opt(q, "--clear-draft") ? q->ctx->user : NULL, &eid,
		    err);
	if (rc == ITUI_OK) {
		q->made = eid;
		cmd_note(q, "logged on INC-%lld", (long long)q->target);
	}
	free(text);
	return rc;
}

static enum itui_code
cmd_audit(struct cmd_q *q, struct itui_err *err)
{
	const struct cmd_args *a = &q->args;
	struct audit_list l;
	struct store *st;
	struct incident inc;
	int64_t id = 0;
	size_t i;

	if (a->npos == 1 && cmd_parse_id(a->pos[0], "INC", &id, err))
		return err->code;
	if (cmd_store(q, 0, &st, err))
		return err->code;
	if (id != 0) {
		if (store_incident_get(st, id, &inc, err))
			return err->code;
		incident_free(&inc);
	}
	if (store_audit(st, id, &l, err))
		return err->code;
	if (cmd_opt(q, "--json") != NULL) {
		json_t *arr = json_array(), *root = json_object();

		for (i = 0; i < l.n; i++)
			json_array_append_new(arr, jsonout_audit(&l.v[i]));
		json_object_set_new(root, "audit", arr);
		audit_list_free(&l);
		return cmd_print_json(q, root, err);
	}
	textout_audit(q->out, &l, cmd_width(q));
	audit_list_free(&l);
	return ITUI_OK;
}

static enum itui_code
parse_kind(const char *ks, enum entry_kind *kind, struct itui_err *err)
{
	int k = kind_parse(ks);

	if (k < 0)
		return err_set(err, ITUI_USAGE,
		               "unknown kind '%s' (note, decision, action, "
		               "comms, escalation, handoff)",
		               ks);
	if (!kind_loggable((enum entry_kind)k))
		return err_set(err, ITUI_USAGE,
		               "%s entries are written by the system; use the "
		               "%s command",
		               ks,
		               k == KIND_STATUS     ? "status"
		               : k == KIND_SEVERITY ? "severity"
		               : k == KIND_ROLE     ? "assign"
		                                    : "matching");
	*kind = (enum entry_kind)k;
	return ITUI_OK;
}

static enum itui_code
cmd_entry_edit(struct cmd_q *q, struct itui_err *err)
{
	const struct cmd_args *a = &q->args;
	const char *ks = cmd_opt(q, "--kind"),
	           *rev_s = cmd_opt(q, "--if-revision");
	struct entry e;
	struct store *st;
	int64_t at, rev = 0;
	enum entry_kind kind;
	char *text = NULL;
	enum itui_code rc;

	if (cmd_parse_at(q, &at, err))
		return err->code;
	if (rev_s != NULL && cmd_parse_revision(rev_s, &rev, err) != ITUI_OK)
		return err->code;
	if (cmd_store(q, 1, &st, err) ||
	    store_entry_get(st, q->target, &e, err))
		return err->code;
	kind = e.kind;
	entry_free(&e);
	if (ks != NULL && parse_kind(ks, &kind, err))
		return err->code;
	if (cmd_gather_text(q, a->pos + 1, a->npos - 1, &text, err))
		return err->code;
	rc = store_entry_edit_rev(st, q->target, kind, at, text, (int)rev, err);
	if (rc == ITUI_OK)
		cmd_note(q, "entry edited (the old text is kept)");
	free(text);
	return rc;
}

static enum itui_code
cmd_entry_delete(struct cmd_q *q, struct itui_err *err)
{
	struct store *st;

	if (cmd_store(q, 1, &st, err) || store_entry_delete(st, q->target, err))
		return err->code;
	cmd_note(q, "entry deleted (kept in history; entry restore brings it "
	            "back)");
	return ITUI_OK;
}

static enum itui_code
cmd_entry_restore(struct cmd_q *q, struct itui_err *err)
{
	struct store *st;

	if (cmd_store(q, 1, &st, err) ||
	    store_entry_restore(st, q->target, err))
		return err->code;
	cmd_note(q, "entry restored");
	return ITUI_OK;
}

static enum itui_code
cmd_entry_pin(struct cmd_q *q, struct itui_err *err)
{
	int off = cmd_opt(q, "--off") != NULL;
	struct store *st;

	if (cmd_store(q, 1, &st, err) ||
	    store_entry_set_pinned(st, q->target, !off, err))
		return err->code;
	cmd_note(q, off ? "unpinned" : "pinned");
	return ITUI_OK;
}

const struct cmd_entry cmd_log_entry = {
    .name = "log",
    .synopsis = "ID [--kind KIND] [--at TIME] [--lines] TEXT...|-",
    .summary = "add a timeline entry (- reads the text from standard input; "
               "with --lines, one entry a line)",
    .exec = cmd_log,
    .min_pos = 2,
    .max_pos = -1,
    .flags = CMD_WRITES,
    .target = CMD_T_INCIDENT,
    .options = {{"--kind", "KIND",
                 "note, decision, action, comms, escalation or handoff"},
                {"--at", "TIME", "when it happened (HH:MM, -15m, ISO 8601)"},
                {"--clear-draft", NULL,
                 "also remove your unsent draft for the incident, in the "
                 "same change"},
                {"--public", NULL,
                 "a public update: it appears on the status page"},
                {"--lines", NULL,
                 "with -: each line of standard input is an entry, each "
                 "committed on its own"}},
};

const struct cmd_entry cmd_entry_edit_entry = {
    .name = "entry edit",
    .synopsis = "ENTRY-ID [--kind KIND] [--at TIME] [--if-revision N] "
                "TEXT...|-",
    .summary = "replace an entry's text (the old text is kept)",
    .exec = cmd_entry_edit,
    .min_pos = 2,
    .max_pos = -1,
    .flags = CMD_WRITES,
    .target = CMD_T_ENTRY,
    .options = {{"--kind", "KIND", "change the kind too"},
                {"--at", "TIME", "move it to when it happened"},
                {"--if-revision", "N",
                 "refuse when someone changed it since revision N"}},
};

const struct cmd_entry cmd_entry_delete_entry = {
    .name = "entry delete",
    .synopsis = "ENTRY-ID",
    .summary = "hide an entry from the timeline (kept in history)",
    .exec = cmd_entry_delete,
    .min_pos = 1,
    .max_pos = 1,
    .flags = CMD_WRITES,
    .target = CMD_T_ENTRY,
};

const struct cmd_entry cmd_entry_restore_entry = {
    .name = "entry restore",
    .synopsis = "ENTRY-ID",
    .summary = "bring a deleted entry back",
    .exec = cmd_entry_restore,
    .min_pos = 1,
    .max_pos = 1,
    .flags = CMD_WRITES,
    .target = CMD_T_ENTRY,
};

const struct cmd_entry cmd_entry_pin_entry = {
    .name = "entry pin",
    .synopsis = "ENTRY-ID [--off]",
    .summary = "pin an entry as a key moment (--off unpins it)",
    .exec = cmd_entry_pin,
    .min_pos = 1,
    .max_pos = 1,
    .flags = CMD_WRITES,
    .target = CMD_T_ENTRY,
    .options = {{"--off", NULL, "unpin it"}},
};

const struct cmd_entry cmd_audit_entry = {
    .name = "audit",
    .synopsis = "[ID] [--json]",
    .summary = "show who changed what, and when",
    .exec = cmd_audit,
    .max_pos = 1,
    .options = {{"--json", NULL, "print JSON (see docs/json.md)"}},
};
