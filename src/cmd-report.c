/*
 * cmd-report.c - the verbs that write for people: status updates, the
 * postmortem draft, the handoff and the statistics.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "itui/cmd-report.h"
#include <jansson.h>

#include "itui/comms.h"
#include "itui/outfile.h"
#include "itui/report.h"
#include "itui/strbuf.h"
#include "itui/timeutil.h"
#include "itui/xalloc.h"

static enum itui_code
cmd_update(struct cmd_q *q, struct itui_err *err)
{
	struct context *ctx = q->ctx;
	struct strbuf out = STRBUF_INIT;
	const struct policy *p;
	const char *name = cmd_opt(q, "--template");
	struct incident inc;
	struct store *st;
	enum itui_code rc;
	int64_t id;
	int active;

	id = q->target;
	if (context_policy(ctx, &p, err) ||
	    cmd_store(q, cmd_opt(q, "--mark-sent") != NULL, &st, err) ||
	    store_incident_get(st, id, &inc, err))
		return err->code;
	if (name == NULL)
		name = comms_default_template(&inc);
	active = status_is_active(inc.status);
	incident_free(&inc);
	rc = comms_render(st, p, ctx->share_dir, id, name, ctx->now, ctx->user,
	                  &out, err);
	if (rc == ITUI_OK && cmd_opt(q, "--text") != NULL &&
	    cmd_opt(q, "--mark-sent") == NULL)
		rc = err_set(err, ITUI_USAGE, "--text goes with --mark-sent");
	if (rc == ITUI_OK && cmd_opt(q, "--mark-sent") != NULL) {
		const char *sent = cmd_opt(q, "--text");
		json_t *data = json_pack("{s:s}", "template", name);
		char *js = json_dumps(data, JSON_COMPACT);

		rc = store_entry_add(st, id, KIND_COMMS, TIME_NONE,
		                     sent != NULL ? sent : strbuf_str(&out), js,
		                     NULL, err);
		free(js);
		json_decref(data);
		/* Resolved, no update is owed: no clock to speak of. */
		if (rc == ITUI_OK && active)
			cmd_note(q,
			         "marked as sent: the update clock of INC-%lld "
			         "starts again",
			         (long long)id);
		else if (rc == ITUI_OK)
			cmd_note(q, "marked as sent (INC-%lld is resolved)",
			         (long long)id);
	}
	if (rc == ITUI_OK)
		fputs(strbuf_str(&out), q->out);
	strbuf_free(&out);
	return rc;
}

static enum itui_code
cmd_postmortem(struct cmd_q *q, struct itui_err *err)
{
	struct context *ctx = q->ctx;
	struct strbuf out = STRBUF_INIT;
	const struct policy *p;
	const char *file = cmd_opt(q, "-o");
	struct store *st;
	enum itui_code rc;
	int64_t id;

	id = q->target;
	if (context_policy(ctx, &p, err) || cmd_store(q, 0, &st, err))
		return err->code;
	rc = comms_render(st, p, ctx->share_dir, id, "postmortem", ctx->now,
	                  ctx->user, &out, err);
	if (rc == ITUI_OK && file != NULL) {
		rc = outfile_write(file, strbuf_str(&out), out.len, err);
	} else if (rc == ITUI_OK) {
		fputs(strbuf_str(&out), q->out);
	}
	strbuf_free(&out);
	return rc;
}

/* Since when a report looks: --since, else the last look, else `dflt` ago. */
static enum itui_code
report_since(struct cmd_q *q, struct store *st, int64_t dflt, int64_t *since,
             const char **why, struct itui_err *err)
{
	struct context *ctx = q->ctx;
	const char *s = cmd_opt(q, "--since");
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
		if (!time_in_window(*since))
			return err_set(err, ITUI_USAGE,
			               "--since: '%s' reaches before 1970", s);
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
cmd_handoff(struct cmd_q *q, struct itui_err *err)
{
	struct context *ctx = q->ctx;
	const struct policy *p;
	struct store *st;
	const char *why = NULL;
	int64_t since = 0;

	/* handoff NAME [NOTE...] is --record --to NAME --note NOTE. */
	if (q->args.npos > 0 || cmd_opt(q, "--record") != NULL) {
		const char *to = cmd_opt(q, "--to"),
		           *note = cmd_opt(q, "--note");
		int move = cmd_opt(q, "--move-roles") != NULL, n, moved;
		char *joined = NULL;
		enum itui_code rc;

		if (cmd_opt(q, "--since") != NULL ||
		    cmd_opt(q, "--json") != NULL ||
		    cmd_opt(q, "--peek") != NULL ||
		    cmd_opt(q, "--look") != NULL)
			return err_set(err, ITUI_USAGE,
			               "--since, --json, --peek and --look go "
			               "with the summary, not with recording a "
			               "handoff");
		if (q->args.npos > 0 && (to != NULL || note != NULL))
			return err_set(err, ITUI_USAGE,
			               "give the person once: handoff NAME "
			               "[NOTE...], or --record --to NAME");
		if (q->args.npos > 0) {
			to = q->args.pos[0];
			if (q->args.npos > 1 &&
			    cmd_gather_text(q, q->args.pos + 1,
			                    q->args.npos - 1, &joined, err))
				return err->code;
			note = joined;
		}
		if (to == NULL)
			return err_set(
			    err, ITUI_USAGE,
			    "--record needs --to NAME (who takes over)");
		rc = cmd_store(q, 1, &st, err);
		if (rc == ITUI_OK)
			rc = store_handoff_record(st, to, note, move, &n,
			                          &moved, err);
		free(joined);
		if (rc != ITUI_OK)
			return rc;
		if (move)
			cmd_note(
			    q,
			    "handoff to %s recorded on %d active incident%s;"
			    " %d role%s moved to %s",
			    to, n, n == 1 ? "" : "s", moved,
			    moved == 1 ? "" : "s", to);
		else
			cmd_note(
			    q, "handoff to %s recorded on %d active incident%s",
			    to, n, n == 1 ? "" : "s");
		fprintf(q->out, "%s\n", q->note);
		return ITUI_OK;
	}
	if (cmd_opt(q, "--to") != NULL || cmd_opt(q, "--note") != NULL ||
	    cmd_opt(q, "--move-roles") != NULL)
		return err_set(
		    err, ITUI_USAGE,
		    "--to, --note and --move-roles go with a handoff "
		    "to someone (--record, or handoff NAME)");
	if (cmd_opt(q, "--look") != NULL) {
		char t[TIME_BUF];

		/* The dashboard's confirmation that the summary was read. */
		if (cmd_opt(q, "--peek") != NULL ||
		    cmd_opt(q, "--json") != NULL ||
		    cmd_opt(q, "--since") != NULL)
			return err_set(err, ITUI_USAGE,
			               "--look goes alone (it records a look "
			               "and prints nothing else)");
		if (cmd_store(q, 1, &st, err) ||
		    store_set_last_look(st, ctx->user, ctx->now, err))
			return err->code;
		snprintf(q->note, sizeof q->note,
		         "look recorded at %s: the next handoff starts there",
		         time_format_hhmm(ctx->now, t));
		fprintf(q->out, "%s\n", q->note);
		return ITUI_OK;
	}
	if (context_policy(ctx, &p, err) || cmd_store(q, 0, &st, err) ||
	    report_since(q, st, 12 * 3600, &since, &why, err))
		return err->code;
	return report_handoff(st, p, ctx->user, ctx->now, since, why,
	                      cmd_opt(q, "--json") != NULL,
	                      cmd_opt(q, "--peek") == NULL, q->out, err);
}

static enum itui_code
cmd_stats(struct cmd_q *q, struct itui_err *err)
{
	struct context *ctx = q->ctx;
	const struct policy *p;
	struct store *st;
	const char *why;
	int64_t since = ctx->now - 30 * 86400;

	if (context_policy(ctx, &p, err) || cmd_store(q, 0, &st, err))
		return err->code;
	if (cmd_opt(q, "--since") != NULL &&
	    report_since(q, NULL, 0, &since, &why, err))
		return err->code;
	return report_stats(st, p, ctx->now, since,
	                    cmd_opt(q, "--json") != NULL, q->out, err);
}

const struct cmd_entry cmd_update_entry = {
    .name = "update",
    .synopsis = "ID [--template NAME] [--mark-sent [--text TEXT]]",
    .summary = "render a status update (initial, update, resolution, "
               "statuspage, executive, tactical)",
    .exec = cmd_update,
    .min_pos = 1,
    .max_pos = 1,
    .target = CMD_T_INCIDENT,
    .options = {{"--template", "NAME",
                 "the template (default: initial, update or resolution)"},
                {"--mark-sent", NULL,
                 "log it as a comms entry (restarts the update clock)"},
                {"--text", "TEXT",
                 "with --mark-sent: the text as it was sent, if edited"}},
};

const struct cmd_entry cmd_postmortem_entry = {
    .name = "postmortem",
    .synopsis = "ID [-o FILE]",
    .summary = "write the postmortem draft (Markdown)",
    .exec = cmd_postmortem,
    .min_pos = 1,
    .max_pos = 1,
    .target = CMD_T_INCIDENT,
    .options = {{"-o", "FILE", "write to FILE instead of standard output"}},
};

const struct cmd_entry cmd_handoff_entry = {
    .name = "handoff",
    .synopsis = "[--since DURATION] [--json] [--peek] | --look | NAME "
                "[NOTE...] [--move-roles] | --record --to NAME [--note TEXT]",
    .summary = "the shift-handoff summary, or record a handoff",
    .exec = cmd_handoff,
    .max_pos = -1,
    /* Recording one, or a look, changes the store: the dashboard reloads. */
    .flags = CMD_WRITES,
    .options = {{"--since", "DURATION",
                 "changes since then (default: since your last look)"},
                {"--json", NULL, "print JSON (see docs/json.md)"},
                {"--peek", NULL, "show it without counting it as a look"},
                {"--look", NULL, "only record a look now"},
                {"--record", NULL, "record a handoff instead"},
                {"--to", "NAME", "who takes over (with --record)"},
                {"--note", "TEXT", "a note for them (with --record)"},
                {"--move-roles", NULL,
                 "your roles on the active incidents pass to them too"}},
};

const struct cmd_entry cmd_stats_entry = {
    .name = "stats",
    .synopsis = "[--since DURATION] [--json]",
    .summary = "incidents by severity, MTTA, MTTR, MTBF, SLA breaches, "
               "escalation rate",
    .exec = cmd_stats,
    .options = {{"--since", "DURATION", "the period (default 30d)"},
                {"--json", NULL, "print JSON (see docs/json.md)"}},
};
