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

enum itui_code
cmd_outbox(struct context *ctx, const struct cli_args *a, struct itui_err *err)
{
	const char *inc_s = cli_opt(a, "--incident"),
	           *limit_s = cli_opt(a, "--limit");
	struct outbox_rows l;
	struct store *st;
	int64_t inc = 0, id;
	long limit = 50;
	size_t i;

	if (a->npos == 1 || (a->npos == 2 && strcmp(a->pos[0], "retry") != 0 &&
	                     strcmp(a->pos[0], "cancel") != 0))
		return err_set(err, ITUI_USAGE,
		               "expected 'outbox', 'outbox retry MSG-ID' or "
		               "'outbox cancel MSG-ID'");
	if (a->npos == 2) {
		enum itui_code rc;

		if (cli_parse_id(a->pos[1], "MSG", &id, err) ||
		    cli_open_store(ctx, 1, &st, err))
			return err->code;
		rc = strcmp(a->pos[0], "retry") == 0
		         ? store_outbox_retry(st, id, err)
		         : store_outbox_cancel(st, id, err);
		if (rc == ITUI_OK)
			printf("MSG-%lld %s\n", (long long)id,
			       strcmp(a->pos[0], "retry") == 0 ? "queued again"
			                                       : "cancelled");
		return rc;
	}
	if (inc_s != NULL && cli_parse_id(inc_s, "INC", &inc, err))
		return err->code;
	if (limit_s != NULL) {
		char *end;

		limit = strtol(limit_s, &end, 10);
		if (*end != '\0' || limit < 0)
			return err_set(err, ITUI_USAGE,
			               "--limit: not a count: '%s'", limit_s);
	}
	if (cli_open_store(ctx, 0, &st, err) ||
	    store_outbox_list(st, inc, (int)limit, &l, err))
		return err->code;
	if (cli_opt(a, "--json") != NULL) {
		json_t *root = json_object(), *arr = json_array();
		int rc;

		for (i = 0; i < l.n; i++)
			json_array_append_new(arr, row_json(&l.v[i]));
		json_object_set_new(root, "messages", arr);
		rc = jsonout_print(root, stdout);
		json_decref(root);
		outbox_rows_free(&l);
		return rc == 0
		           ? ITUI_OK
		           : err_set(err, ITUI_IO, "writing the output failed");
	}
	if (l.n == 0)
		printf("The outbox is empty.\n");
	for (i = 0; i < l.n; i++) {
		struct strbuf line = STRBUF_INIT;

		outbox_row_line(&l.v[i], &line);
		printf("%s\n", strbuf_str(&line));
		strbuf_free(&line);
	}
	outbox_rows_free(&l);
	return ITUI_OK;
}

enum itui_code
cmd_statuspage(struct context *ctx, const struct cli_args *a,
               struct itui_err *err)
{
	const char *dir = cli_opt(a, "-o");
	const struct policy *p;
	struct store *st;

	if (dir == NULL)
		dir = ctx->cfg.statuspage.dir;
	if (dir == NULL)
		return err_set(err, ITUI_USAGE,
		               "where to? -o DIR (or [statuspage] dir)");
	if (context_policy(ctx, &p, err) || cli_open_store(ctx, 0, &st, err) ||
	    statuspage_write(st, p, &ctx->cfg, dir, ctx->now, err))
		return err->code;
	printf("%s/index.html\n", dir);
	return ITUI_OK;
}
