/*
 * cmd-playbook.c - the checklist verbs on the command line (`check`,
 * `checklist`, `runbook`) and for the dashboard's keys, and the checklist's
 * JSON form shared by `checklist --json` and `show --json`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "itui/cmd-playbook.h"
#include "itui/jsonout.h"
#include "itui/playbook.h"
#include "itui/sanitize.h"
#include "itui/store-playbook.h"
#include "itui/xalloc.h"

static json_t *
str_or_null(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

static json_t *
clock_json(const struct sla_clock *c)
{
	return c->state == CLOCK_NONE ? json_null() : jsonout_clock(c);
}

json_t *
checklist_json(const struct checklist *cl)
{
	json_t *o = json_object(), *phases = json_array();
	struct cl_row *rows;
	size_t n = checklist_rows(cl, &rows), p, i, r = 0;

	json_object_set_new(o, "current_phase",
	                    cl->current >= 0
	                        ? json_string(cl->phases[cl->current].name)
	                        : json_null());
	json_object_set_new(o, "clock", clock_json(&cl->clock));
	for (p = 0; p < cl->nphases; p++) {
		const struct cl_phase *ph = &cl->phases[p];
		json_t *po = json_object(), *steps = json_array();

		json_object_set_new(po, "name", json_string(ph->name));
		json_object_set_new(
		    po, "state",
		    json_string((int)p == cl->current  ? "current"
		                : ph->end != TIME_NONE ? "done"
		                                       : "pending"));
		json_object_set_new(po, "timebox_seconds",
		                    ph->timebox > 0 ? json_integer(ph->timebox)
		                                    : json_null());
		json_object_set_new(po, "after_previous",
		                    json_boolean(ph->relative));
		json_object_set_new(po, "start", jsonout_time(ph->start));
		json_object_set_new(po, "due", jsonout_time(ph->due));
		json_object_set_new(po, "end", jsonout_time(ph->end));
		for (i = 0; i < cl->nsteps; i++) {
			const struct cl_step *s = &cl->steps[i];
			json_t *so;

			if (s->phase != (int)p)
				continue;
			so = json_object();
			json_object_set_new(so, "num", json_integer(s->num));
			json_object_set_new(so, "text", json_string(s->text));
			json_object_set_new(so, "role", str_or_null(s->role));
			json_object_set_new(so, "event", str_or_null(s->event));
			json_object_set_new(so, "source",
			                    str_or_null(s->source));
			for (r = 0; r < n && rows[r].num != s->num; r++)
				;
			json_object_set_new(
			    so, "state",
			    json_string(r < n ? rows[r].state : "open"));
			json_object_set_new(
			    so, "by",
			    str_or_null(s->seen != STEP_OPEN ? s->by : NULL));
			json_object_set_new(so, "at",
			                    jsonout_time(s->seen != STEP_OPEN
			                                     ? s->at
			                                     : TIME_NONE));
			json_object_set_new(so, "reason",
			                    str_or_null(s->seen == STEP_SKIPPED
			                                    ? s->reason
			                                    : NULL));
			json_object_set_new(
			    so, "by_event",
			    json_boolean(s->seen == STEP_DONE && s->by_event));
			json_object_set_new(so, "late", json_boolean(s->late));
			json_object_set_new(so, "due", jsonout_time(s->due));
			if (s->no_progress > 0) {
				json_object_set_new(
				    so, "no_progress_seconds",
				    json_integer(s->no_progress));
				json_object_set_new(so, "progress",
				                    str_or_null(s->progress));
				json_object_set_new(so, "guard_clock",
				                    clock_json(&s->guard));
			}
			json_array_append_new(steps, so);
		}
		json_object_set_new(po, "steps", steps);
		json_array_append_new(phases, po);
	}
	json_object_set_new(o, "phases", phases);
	free(rows);
	return o;
}

enum itui_code
checklist_verb(struct store *st, int64_t id, const char *ref,
               enum checklist_verb verb, const char *reason, int64_t at,
               struct strbuf *msg, struct itui_err *err)
{
	static const enum step_state to[] = {STEP_DONE, STEP_OPEN,
	                                     STEP_SKIPPED};
	static const char *const said[] = {"done", "reopened", "skipped"};
	char *text = NULL;
	int num = 0;

	if (verb == CHECK_SKIP && (reason == NULL || *reason == '\0'))
		return err_set(err, ITUI_USAGE,
		               "skipping a step needs a reason");
	if (store_checklist_set(st, id, ref, to[verb],
	                        verb == CHECK_SKIP ? reason : NULL, at, &num,
	                        &text, err) != ITUI_OK)
		return err->code;
	strbuf_addf(msg, "INC-%lld [%d] %s: ", (long long)id, num, said[verb]);
	sanitize_append(msg, text, strlen(text), SAN_ELLIPSIS, 72, 0);
	free(text);
	return ITUI_OK;
}

static enum itui_code
cmd_check(struct cmd_q *q, struct itui_err *err)
{
	const struct cmd_args *a = &q->args;
	struct strbuf ref = STRBUF_INIT, msg = STRBUF_INIT;
	const char *skip = cmd_opt(q, "--skip");
	int undo = cmd_opt(q, "--undo") != NULL;
	struct store *st;
	int64_t at;
	enum itui_code rc;
	int i;

	if (cmd_parse_at(q, &at, err))
		return err->code;
	if (undo && skip != NULL)
		return err_set(err, ITUI_USAGE,
		               "--undo and --skip do not go together");
	for (i = 1; i < a->npos; i++) {
		if (i > 1)
			strbuf_addch(&ref, ' ');
		strbuf_addstr(&ref, a->pos[i]);
	}
	rc = cmd_store(q, 1, &st, err);
	if (rc == ITUI_OK)
		rc = checklist_verb(st, q->target, strbuf_str(&ref),
		                    undo           ? CHECK_UNTICK
		                    : skip != NULL ? CHECK_SKIP
		                                   : CHECK_TICK,
		                    skip, at, &msg, err);
	if (rc == ITUI_OK)
		cmd_note(q, "%s", strbuf_str(&msg));
	strbuf_free(&ref);
	strbuf_free(&msg);
	return rc;
}

static enum itui_code
cmd_checklist(struct cmd_q *q, struct itui_err *err)
{
	struct checklist cl;
	struct store *st;
	int64_t id = q->target;

	if (cmd_store(q, 0, &st, err) || store_checklist(st, id, &cl, err))
		return err->code;
	checklist_compute(&cl, q->ctx->now);
	if (cmd_opt(q, "--json") != NULL) {
		json_t *root = checklist_json(&cl);
		char ref[32];

		snprintf(ref, sizeof ref, "INC-%lld", (long long)id);
		json_object_set_new(root, "incident", json_string(ref));
		json_object_set_new(root, "now", jsonout_time(q->ctx->now));
		checklist_free(&cl);
		return cmd_print_json(q, root, err);
	} else {
		struct strbuf out = STRBUF_INIT;

		checklist_print(&cl, &out);
		fputs(strbuf_str(&out), q->out);
		strbuf_free(&out);
	}
	checklist_free(&cl);
	return ITUI_OK;
}

static enum itui_code
cmd_runbook(struct cmd_q *q, struct itui_err *err)
{
	const char *name = q->args.pos[1];
	struct playbook *rb = NULL;
	struct store *st;
	char *path;
	int added = 0;
	enum itui_code rc;

	path = playbook_path("runbooks", name, q->ctx->share_dir);
	if (path == NULL || access(path, R_OK) != 0) {
		free(path);
		return err_set(
		    err, ITUI_USAGE,
		    "no runbook '%s' (database, api-failure, "
		    "performance, blank; or "
		    "$XDG_CONFIG_HOME/incident-tui/runbooks/NAME.ini)",
		    name);
	}
	rc = playbook_load(path, &rb, err);
	free(path);
	if (rc == ITUI_OK)
		rc = cmd_store(q, 1, &st, err);
	if (rc == ITUI_OK)
		rc = store_checklist_attach(st, q->target, rb, &added, err);
	if (rc == ITUI_OK) {
		char *n = sanitize_line(rb->name, 64);

		cmd_note(q, "INC-%lld: runbook %s added %d step%s",
		         (long long)q->target, n, added, added == 1 ? "" : "s");
		free(n);
	}
	playbook_free(rb);
	return rc;
}

const struct cmd_entry cmd_check_entry = {
    .name = "check",
    .synopsis = "ID STEP [--undo | --skip REASON] [--at TIME]",
    .summary = "tick a checklist step (its number or a piece of its "
               "text), reopen it, or skip it with a reason",
    .exec = cmd_check,
    .min_pos = 2,
    .max_pos = -1,
    .flags = CMD_WRITES,
    .target = CMD_T_INCIDENT,
    .options = {{"--undo", NULL, "reopen a ticked or skipped step"},
                {"--skip", "REASON", "skip the step, saying why"},
                {"--at", "TIME", "when it happened (HH:MM, -15m, ISO 8601)"}},
};

const struct cmd_entry cmd_checklist_entry = {
    .name = "checklist",
    .synopsis = "ID [--json]",
    .summary = "the incident's playbook: phases, steps, who closed them "
               "and when",
    .exec = cmd_checklist,
    .min_pos = 1,
    .max_pos = 1,
    .target = CMD_T_INCIDENT,
    .options = {{"--json", NULL, "print JSON (see docs/json.md)"}},
};

const struct cmd_entry cmd_runbook_entry = {
    .name = "runbook",
    .synopsis = "ID NAME",
    .summary = "attach a scenario runbook (database, api-failure, "
               "performance); its steps join the checklist",
    .exec = cmd_runbook,
    .min_pos = 2,
    .max_pos = 2,
    .flags = CMD_WRITES,
    .target = CMD_T_INCIDENT,
};
