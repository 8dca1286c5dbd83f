/*
 * cmd-outbox.c - `incident-tui outbox [retry|cancel MSG-ID] [--json]` and
 * `incident-tui statuspage -o DIR`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "itui/cmd-outbox.h"
#include "itui/jsonout.h"
#include "itui/sanitize.h"
#include "itui/statuspage.h"
#include "itui/timeutil.h"
#include "itui/xalloc.h"

void
outbox_row_line(const struct outbox_row *r, struct strbuf *out)
{
	char when[40];
	struct strbuf raw = STRBUF_INIT;

	time_format_iso(r->state && strcmp(r->state, "sent") == 0 &&
	                        r->sent_at != TIME_NONE
	                    ? r->sent_at
	                    : r->created_at,
	                when);
	strbuf_addf(&raw,
	            "MSG-%-4lld %-9s %s (%s)  INC-%lld %s%s%s  %s  "
	            "tries %d",
	            (long long)r->id, r->state, r->destination, r->dest_type,
	            (long long)r->incident_id, r->event, r->action ? "/" : "",
	            r->action ? r->action : "", when, r->attempts);
	if (r->last_error != NULL && strcmp(r->state, "sent") != 0)
		strbuf_addf(&raw, "  %s", r->last_error);
	sanitize_append(out, strbuf_str(&raw), strlen(strbuf_str(&raw)), 0, 0,
	                2000);
	strbuf_free(&raw);
}

void
outbox_update_preview(const struct policy *p, const struct config *cfg,
                      const char *level, struct strbuf *out)
{
	char **names;
	size_t n, i;

	outbox_route(p, cfg, level, "update", 0, &names, &n);
	if (n == 0)
		strbuf_addf(out, "Sends to no destination");
	else
		strbuf_addf(out, "Also sends to: ");
	for (i = 0; i < n; i++) {
		const struct config_destination *d =
		    config_destination(cfg, names[i]);

		strbuf_addf(out, "%s%s (%s)", i ? ", " : "", names[i],
		            d ? d->type : "?");
	}
	outbox_names_free(names, n);
}

static json_t *
row_json(const struct outbox_row *r)
{
	json_t *o = json_object();
	char *s;

	json_object_set_new(o, "id", json_integer(r->id));
	json_object_set_new(o, "incident", json_integer(r->incident_id));
	json_object_set_new(o, "destination", json_string(r->destination));
	json_object_set_new(o, "type", json_string(r->dest_type));
	json_object_set_new(o, "event", json_string(r->event));
	json_object_set_new(o, "action",
	                    r->action ? json_string(r->action) : json_null());
	s = utf8_repair(r->subject);
	json_object_set_new(o, "subject", json_string(s));
	free(s);
	json_object_set_new(o, "state", json_string(r->state));
	json_object_set_new(o, "attempts", json_integer(r->attempts));
	json_object_set_new(o, "created_at", jsonout_time(r->created_at));
	json_object_set_new(o, "next_at", jsonout_time(r->next_at));
	json_object_set_new(o, "sent_at", jsonout_time(r->sent_at));
	s = r->last_error ? utf8_repair(r->last_error) : NULL;
	json_object_set_new(o, "error", s ? json_string(s) : json_null());
	free(s);
	json_object_set_new(o, "idempotency_key", json_string(r->idem_key));
	return o;
}

static enum itui_code
cmd_outbox_list(struct cmd_q *q, struct itui_err *err)
{
	const char *inc_s = cmd_opt(q, "--incident"),
	           *limit_s = cmd_opt(q, "--limit");
	struct outbox_rows l;
	struct store *st;
	int64_t inc = 0;
	long limit = 50;
	size_t i;

	if (inc_s != NULL && cmd_parse_id(inc_s, "INC", &inc, err))
		return err->code;
	if (limit_s != NULL) {
		char *end;

		limit = strtol(limit_s, &end, 10);
		if (*end != '\0' || limit < 0)
			return err_set(err, ITUI_USAGE,
			               "--limit: not a count: '%s'", limit_s);
	}
	if (cmd_store(q, 0, &st, err) ||
	    store_outbox_list(st, inc, (int)limit, &l, err))
		return err->code;
	if (cmd_opt(q, "--json") != NULL) {
		json_t *root = json_object(), *arr = json_array();

		for (i = 0; i < l.n; i++)
			json_array_append_new(arr, row_json(&l.v[i]));
		json_object_set_new(root, "messages", arr);
		outbox_rows_free(&l);
		return cmd_print_json(q, root, err);
	}
	if (l.n == 0)
		fprintf(q->out, "The outbox is empty.\n");
	for (i = 0; i < l.n; i++) {
		struct strbuf line = STRBUF_INIT;

		outbox_row_line(&l.v[i], &line);
		fprintf(q->out, "%s\n", strbuf_str(&line));
		strbuf_free(&line);
	}
	outbox_rows_free(&l);
	return ITUI_OK;
}

static enum itui_code
outbox_act(struct cmd_q *q, int retry, struct itui_err *err)
{
	struct store *st;
	enum itui_code rc;
	int64_t id;

	if (cmd_parse_id(q->args.pos[0], "MSG", &id, err) ||
	    cmd_store(q, 1, &st, err))
		return err->code;
	rc = retry ? store_outbox_retry(st, id, err)
	           : store_outbox_cancel(st, id, err);
	if (rc == ITUI_OK) {
		fprintf(q->out, "MSG-%lld %s\n", (long long)id,
		        retry ? "queued again" : "cancelled");
		cmd_note(q, "MSG-%lld %s", (long long)id,
		         retry ? "queued again" : "cancelled");
	}
	return rc;
}

static enum itui_code
cmd_outbox_retry(struct cmd_q *q, struct itui_err *err)
{
	return outbox_act(q, 1, err);
}

static enum itui_code
cmd_outbox_cancel(struct cmd_q *q, struct itui_err *err)
{
	return outbox_act(q, 0, err);
}

static enum itui_code
cmd_statuspage(struct cmd_q *q, struct itui_err *err)
{
	struct context *ctx = q->ctx;
	const char *dir = cmd_opt(q, "-o");
	const struct policy *p;
	struct store *st;

	if (dir == NULL)
		dir = ctx->cfg.statuspage.dir;
	if (dir == NULL)
		return err_set(err, ITUI_USAGE,
		               "where to? -o DIR (or [statuspage] dir)");
	if (context_policy(ctx, &p, err) || cmd_store(q, 0, &st, err) ||
	    statuspage_write(st, p, &ctx->cfg, dir, ctx->now, err))
		return err->code;
	fprintf(q->out, "%s/index.html\n", dir);
	cmd_note(q, "status page written to %s", dir);
	return ITUI_OK;
}

const struct cmd_entry cmd_outbox_entry = {
    .name = "outbox",
    .synopsis = "[--incident INC-N] [--limit N] [--json]",
    .summary = "outbound messages and their state, newest first",
    .exec = cmd_outbox_list,
    .options = {{"--incident", "INC-N", "only this incident's messages"},
                {"--limit", "N", "at most N messages (default 50; 0: all)"},
                {"--json", NULL, "print JSON (see docs/json.md)"}},
};

const struct cmd_entry cmd_outbox_retry_entry = {
    .name = "outbox retry",
    .synopsis = "MSG-ID",
    .summary = "send a failed or cancelled message again",
    .exec = cmd_outbox_retry,
    .min_pos = 1,
    .max_pos = 1,
    .flags = CMD_WRITES,
};

const struct cmd_entry cmd_outbox_cancel_entry = {
    .name = "outbox cancel",
    .synopsis = "MSG-ID",
    .summary = "keep a pending or failed message from being sent",
    .exec = cmd_outbox_cancel,
    .min_pos = 1,
    .max_pos = 1,
    .flags = CMD_WRITES,
};

const struct cmd_entry cmd_statuspage_entry = {
    .name = "statuspage",
    .synopsis = "[-o DIR]",
    .summary = "write the static status page and its feeds",
    .exec = cmd_statuspage,
    .options = {{"-o", "DIR", "the directory (default: [statuspage] dir)"}},
};
