/*
 * cmd-action.c - action items: add, edit, done, drop, list.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "itui/cmd-action.h"
#include "itui/bounds.h"
#include "itui/jsonout.h"
#include "itui/strbuf.h"
#include "itui/textout.h"
#include "itui/timeutil.h"

/* Prints a report line without the padding of its last cell. */
static void
print_line(FILE *out, struct strbuf *sb)
{
	while (sb->len > 0 && sb->buf[sb->len - 1] == ' ')
		sb->buf[--sb->len] = '\0';
	fprintf(out, "%s\n", strbuf_str(sb));
	strbuf_reset(sb);
}

/* action list: open (or all) action items across incidents. */
static enum itui_code
cmd_action_list(struct cmd_q *q, struct itui_err *err)
{
	struct context *ctx = q->ctx;
	const char *owner = cmd_opt(q, "--owner");
	struct action_list l;
	struct strbuf sb = STRBUF_INIT;
	struct store *st;
	char t[TIME_BUF];
	size_t i;

	if (cmd_store(q, 0, &st, err) ||
	    store_actions(st, 0, cmd_opt(q, "--open") != NULL, &l, err))
		return err->code;
	if (cmd_opt(q, "--json") != NULL) {
		json_t *root = json_object(), *arr = json_array();

		for (i = 0; i < l.n; i++)
			if (owner == NULL ||
			    (l.v[i].owner && strcmp(l.v[i].owner, owner) == 0))
				json_array_append_new(
				    arr, jsonout_action(&l.v[i], ctx->now));
		json_object_set_new(root, "actions", arr);
		action_list_free(&l);
		return cmd_print_json(q, root, err);
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
		print_line(q->out, &sb);
	}
	strbuf_free(&sb);
	action_list_free(&l);
	return ITUI_OK;
}

static enum itui_code
parse_due(struct cmd_q *q, int64_t *due_at, struct itui_err *err)
{
	const char *due = cmd_opt(q, "--due");

	*due_at = TIME_NONE;
	if (due != NULL && time_parse_due(due, q->ctx->now, due_at, err))
		return err_prefix(err, ITUI_USAGE, "--due");
	/* Every verb that takes a due date takes an owner too. */
	if (cmd_opt(q, "--owner") != NULL &&
	    bounds_name("--owner", cmd_opt(q, "--owner"), err))
		return err->code;
	return ITUI_OK;
}

static enum itui_code
cmd_action_add(struct cmd_q *q, struct itui_err *err)
{
	const struct cmd_args *a = &q->args;
	const char *h = cmd_opt(q, "--horizon");
	enum action_horizon horizon = HORIZON_SHORT_TERM;
	struct store *st;
	int64_t aid, due_at;
	char *text;
	enum itui_code rc;

	if (h != NULL) {
		int v = horizon_parse(h);

		if (v < 0)
			return err_set(err, ITUI_USAGE,
			               "--horizon: unknown horizon '%s' "
			               "(immediate, short-term, long-term)",
			               h);
		horizon = (enum action_horizon)v;
	}
	if (parse_due(q, &due_at, err) ||
	    cmd_gather_text(q, a->pos + 1, a->npos - 1, &text, err))
		return err->code;
	rc = cmd_store(q, 1, &st, err);
	if (rc == ITUI_OK)
		rc =
		    store_action_add(st, q->target, text, cmd_opt(q, "--owner"),
		                     due_at, horizon, &aid, err);
	free(text);
	if (rc != ITUI_OK)
		return rc;
	q->made = aid;
	cmd_note(q, "added ACT-%lld to INC-%lld", (long long)aid,
	         (long long)q->target);
	fprintf(q->out, "ACT-%lld\n", (long long)aid);
	return ITUI_OK;
}

static enum itui_code
cmd_action_edit(struct cmd_q *q, struct itui_err *err)
{
	struct store *st;
	int64_t due_at;

	if (parse_due(q, &due_at, err))
		return err->code;
	if (cmd_opt(q, "--text") == NULL && cmd_opt(q, "--owner") == NULL &&
	    cmd_opt(q, "--due") == NULL)
		return err_set(err, ITUI_USAGE,
		               "nothing to change (--text, --owner or --due)");
	if (cmd_store(q, 1, &st, err) ||
	    store_action_edit(st, q->target, cmd_opt(q, "--text"),
	                      cmd_opt(q, "--owner"), due_at, err))
		return err->code;
	cmd_note(q, "ACT-%lld changed", (long long)q->target);
	return ITUI_OK;
}

static enum itui_code
set_state(struct cmd_q *q, enum action_state state, struct itui_err *err)
{
	struct store *st;

	if (cmd_store(q, 1, &st, err) ||
	    store_action_set_state(st, q->target, state, err))
		return err->code;
	cmd_note(q, "ACT-%lld %s", (long long)q->target,
	         action_state_name(state));
	return ITUI_OK;
}

static enum itui_code
cmd_action_done(struct cmd_q *q, struct itui_err *err)
{
	return set_state(q, ACTION_DONE, err);
}

static enum itui_code
cmd_action_drop(struct cmd_q *q, struct itui_err *err)
{
	return set_state(q, ACTION_DROPPED, err);
}

const struct cmd_entry cmd_action_add_entry = {
    .name = "action add",
    .synopsis = "ID TEXT...|- [--owner NAME] [--due DATE] [--horizon H]",
    .summary = "add an action item (prints ACT-N)",
    .exec = cmd_action_add,
    .min_pos = 2,
    .max_pos = -1,
    .flags = CMD_WRITES,
    .target = CMD_T_INCIDENT,
    .options = {{"--owner", "NAME", "who owns it"},
                {"--due", "DATE", "YYYY-MM-DD, +3d, or ISO 8601"},
                {"--horizon", "H",
                 "immediate, short-term (default) or long-term"}},
};

const struct cmd_entry cmd_action_edit_entry = {
    .name = "action edit",
    .synopsis = "ACT-N [--text T] [--owner N] [--due D]",
    .summary = "change an action item's text, owner or due date",
    .exec = cmd_action_edit,
    .min_pos = 1,
    .max_pos = 1,
    .flags = CMD_WRITES,
    .target = CMD_T_ACTION,
    .options = {{"--text", "TEXT", "new text"},
                {"--owner", "NAME", "new owner"},
                {"--due", "DATE", "YYYY-MM-DD, +3d, or ISO 8601"}},
};

const struct cmd_entry cmd_action_done_entry = {
    .name = "action done",
    .synopsis = "ACT-N",
    .summary = "mark an action item done",
    .exec = cmd_action_done,
    .min_pos = 1,
    .max_pos = 1,
    .flags = CMD_WRITES,
    .target = CMD_T_ACTION,
};

const struct cmd_entry cmd_action_drop_entry = {
    .name = "action drop",
    .synopsis = "ACT-N",
    .summary = "drop an action item (kept, marked dropped)",
    .exec = cmd_action_drop,
    .min_pos = 1,
    .max_pos = 1,
    .flags = CMD_WRITES,
    .target = CMD_T_ACTION,
};

const struct cmd_entry cmd_action_list_entry = {
    .name = "action list",
    .synopsis = "[--owner NAME] [--open] [--json]",
    .summary = "action items across incidents",
    .exec = cmd_action_list,
    .options = {{"--owner", "NAME", "only theirs"},
                {"--open", NULL, "only open items"},
                {"--json", NULL, "print JSON (see docs/json.md)"}},
};
