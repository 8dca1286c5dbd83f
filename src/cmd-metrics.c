/*
 * cmd-metrics.c - the verbs that reach the metrics sources: alerts,
 * snapshot, poll (which also runs the outbox deliverer).
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "itui/alertview.h"
#include "itui/cmd-metrics.h"
#include "itui/deliver.h"
#include "itui/jsonout.h"
#include "itui/metrics.h"
#include "itui/poller.h"
#include "itui/receiver.h"
#include "itui/sanitize.h"
#include "itui/strbuf.h"
#include "itui/textout.h"
#include "itui/timeutil.h"
#include "itui/xalloc.h"

/* Records each source's health (transitions reach the timelines). */
static void
record_sources(struct store *st, const struct source_result *res, int n)
{
	struct itui_err err;
	int i, changed;

	for (i = 0; i < n; i++)
		(void)store_source_set(st, res[i].name,
		                       res[i].ok       ? SOURCE_OK
		                       : res[i].denied ? SOURCE_DENIED
		                                       : SOURCE_DOWN,
		                       res[i].detail, &changed, &err);
}

/*
 * Revokes the incident's newest Grafana snapshot not yet revoked, by the
 * deleteKey kept in its metric entry, and says so on the timeline.
 */
static enum itui_code
snapshot_revoke(struct cmd_q *q, struct store *st, struct metrics *m,
                int64_t id, struct itui_err *err)
{
	struct entry_list l;
	enum itui_code rc;
	char *key = NULL, *name = NULL, *text, *data;
	size_t i, k;

	if (store_timeline(st, id, 0, 0, 0, &l, err) != ITUI_OK)
		return err->code;
	for (i = l.n; i-- > 0 && key == NULL;) {
		json_t *j, *g;
		const char *dk;
		int done = 0;

		if (l.v[i].kind != KIND_METRIC || l.v[i].data == NULL)
			continue;
		j = json_loads(l.v[i].data, 0, NULL);
		g = json_object_get(j, "grafana");
		dk = json_string_value(json_object_get(g, "delete_key"));
		for (k = i + 1; dk != NULL && k < l.n && !done; k++) {
			json_t *e = l.v[k].data
			                ? json_loads(l.v[k].data, 0, NULL)
			                : NULL;
			const char *ev =
			    json_string_value(json_object_get(e, "event"));
			const char *rk =
			    json_string_value(json_object_get(e, "delete_key"));

			done = ev != NULL &&
			       strcmp(ev, "snapshot_revoked") == 0 &&
			       rk != NULL && strcmp(rk, dk) == 0;
			json_decref(e);
		}
		if (dk != NULL && !done) {
			key = xstrdup(dk);
			name = xstrdup_or_null(
			    json_string_value(json_object_get(g, "name")));
		}
		json_decref(j);
	}
	entry_list_free(&l);
	if (key == NULL)
		return err_set(err, ITUI_NOTFOUND,
		               "INC-%lld has no Grafana snapshot to revoke",
		               (long long)id);
	rc = metrics_snapshot_revoke(m, key, err);
	if (rc == ITUI_OK) {
		json_t *d = json_pack("{s:s,s:s}", "event", "snapshot_revoked",
		                      "delete_key", key);

		data = json_dumps(d, JSON_COMPACT);
		json_decref(d);
		text = xasprintf("Grafana snapshot revoked: %s",
		                 name ? name : "(unnamed)");
		rc = store_entry_add(st, id, KIND_SYSTEM, TIME_NONE, text, data,
		                     NULL, err);
		if (rc == ITUI_OK) {
			cmd_note(q, "revoked the snapshot of INC-%lld",
			         (long long)id);
			fprintf(q->out, "%s\n", q->note);
		}
		free(text);
		free(data);
	}
	free(key);
	free(name);
	return rc;
}

static enum itui_code
cmd_snapshot(struct cmd_q *q, struct itui_err *err)
{
	struct context *ctx = q->ctx;
	struct metrics m;
	struct source_result src;
	struct incident inc;
	struct store *st;
	char *data = NULL, *text = NULL, *name;
	enum itui_code rc;
	int64_t id;

	id = q->target;
	if (cmd_store(q, 1, &st, err) || store_incident_get(st, id, &inc, err))
		return err->code;
	/*
	 * The dashboard never waits on a source: its poller takes the
	 * request on its next round (kicked at once).
	 */
	if (cmd_opt(q, "--revoke") == NULL &&
	    (q->interactive || cmd_opt(q, "--request") != NULL)) {
		incident_free(&inc);
		if (store_snapshot_request(st, id, "on demand", err) != ITUI_OK)
			return err->code;
		cmd_note(q,
		         "snapshot of INC-%lld requested; it appears in the "
		         "timeline",
		         (long long)id);
		return ITUI_OK;
	}
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
	if (cmd_opt(q, "--revoke") != NULL) {
		rc = snapshot_revoke(q, st, &m, id, err);
		incident_free(&inc);
		metrics_free(&m);
		return rc;
	}
	name = metrics_snapshot_title(id, inc.title, inc.declared_at, ctx->now);
	m.snapshot_name = name;
	rc = metrics_snapshot(&m, inc.service, ctx->now, &data, &text, &src,
	                      err);
	free(name);
	if (rc != ITUI_CONFIG)
		record_sources(st, &src, 1);
	if (rc == ITUI_OK)
		rc = store_entry_add(st, id, KIND_METRIC, TIME_NONE, text, data,
		                     NULL, err);
	if (rc == ITUI_OK) {
		char *safe = sanitize_line(text, 0);

		fprintf(q->out, "%s\n", safe);
		free(safe);
	}
	free(data);
	free(text);
	incident_free(&inc);
	metrics_free(&m);
	return rc;
}

static enum itui_code
cmd_alerts(struct cmd_q *q, struct itui_err *err)
{
	struct context *ctx = q->ctx;
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
	if (cmd_store(q, 1, &st, err) || metrics_init(&m, &ctx->cfg, NULL, err))
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
			cmd_warn(q, "warning: %s: %s", res[i].name, safe);
			free(safe);
		}
	rc = poller_sync_alerts(st, &fetched, complete, &changed, err);
	alerts_free(&fetched);
	if (rc != ITUI_OK || store_alerts(st, 1, &rows, err) != ITUI_OK)
		return err->code;
	if (cmd_opt(q, "--json") != NULL) {
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
		/* Every alert is listed: nothing is held back. */
		json_object_set_new(root, "count",
		                    json_integer((json_int_t)rows.n));
		json_object_set_new(root, "truncated", json_integer(0));
		json_object_set_new(root, "sources", srcs);
		alert_rows_free(&rows);
		return cmd_print_json(q, root, err);
	}
	if (rows.n == 0)
		fprintf(q->out, "No firing alerts.\n");
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
		textout_cell(&sb, alertview_state(r), 10);
		textout_cell(&sb, time_format_hhmm(r->since, t), 6);
		textout_cell(&sb, inc, 9);
		textout_cell(&sb, r->name, 24);
		textout_cell(&sb, r->summary, 60);
		fprintf(q->out, "%s\n", strbuf_str(&sb));
		strbuf_free(&sb);
	}
	alert_rows_free(&rows);
	return ITUI_OK;
}

static enum itui_code
cmd_poll(struct cmd_q *q, struct itui_err *err)
{
	struct context *ctx = q->ctx;
	const struct policy *pol = NULL;
	int metrics = metrics_configured(&ctx->cfg);
	int outbox = deliver_configured(&ctx->cfg);
	struct deliver d;
	struct receiver recv;
	int receiving = 0;
	struct poller p;
	struct store *st;
	enum itui_code rc = ITUI_OK;
	int changed;

	memset(&d, 0, sizeof d);
	memset(&p, 0, sizeof p);
	if (!metrics && !outbox)
		return err_set(
		    err, ITUI_CONFIG,
		    "nothing to poll: no metrics source ([prometheus]) and no "
		    "[destination] or [statuspage] configured (see "
		    "incident-tui(1))");
	/* Creates and migrates the file if needed; the threads then open it. */
	if (cmd_store(q, 1, &st, err) != ITUI_OK ||
	    (outbox && context_policy(ctx, &pol, err) != ITUI_OK))
		return err->code;
	if (metrics && poller_open(&p, &ctx->cfg, ctx->db_path, ctx->user, -1,
	                           err) != ITUI_OK) {
		poller_close(&p);
		return err->code;
	}
	if (outbox && deliver_open(&d, &ctx->cfg, pol, ctx->db_path, -1, err) !=
	                  ITUI_OK) {
		deliver_close(&d);
		if (metrics)
			poller_close(&p);
		return err->code;
	}
	if (cmd_opt(q, "--once") != NULL) {
		if (metrics)
			rc = poller_round(&p, &changed, err);
		if (outbox) {
			struct itui_err derr;

			if (deliver_round(&d, &changed, &derr) != ITUI_OK &&
			    rc == ITUI_OK) {
				*err = derr;
				rc = derr.code;
			}
			if (!d.holds_lock)
				cmd_warn(q, "another process is delivering the "
				            "outbox");
			deliver_close(&d);
		}
		if (metrics)
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
		if ((metrics && poller_start(&p, err) != ITUI_OK) ||
		    (outbox && deliver_start(&d, err) != ITUI_OK))
			rc = err->code;
		/* [receiver] listen: alerts pushed as well as polled. */
		else if (ctx->cfg.receiver.listen != NULL &&
		         (receiver_open(&recv, &ctx->cfg, ctx->db_path, err) ||
		          receiver_start(&recv, ctx->cfg.receiver.listen,
		                         err))) {
			receiver_close(&recv);
			rc = err->code;
		} else {
			receiving = ctx->cfg.receiver.listen != NULL;
			sigwait(&set, &sig);
		}
	}
	if (receiving)
		receiver_close(&recv);
	if (outbox)
		deliver_close(&d);
	if (metrics)
		poller_close(&p);
	return rc;
}

const struct cmd_entry cmd_alerts_entry = {
    .name = "alerts",
    .synopsis = "[--json]",
    .summary = "firing alerts from the configured sources",
    .exec = cmd_alerts,
    .options = {{"--json", NULL, "print JSON (see docs/json.md)"}},
};

const struct cmd_entry cmd_snapshot_entry = {
    .name = "snapshot",
    .synopsis = "ID [--request | --revoke]",
    .summary = "take a metrics snapshot now and attach it",
    .exec = cmd_snapshot,
    .min_pos = 1,
    .max_pos = 1,
    .flags = CMD_WRITES,
    .target = CMD_T_INCIDENT,
    .options = {{"--request", NULL,
                 "ask the running poller (dashboard or poll) to take it"},
                {"--revoke", NULL,
                 "revoke its newest Grafana dashboard snapshot instead"}},
};

const struct cmd_entry cmd_poll_entry = {
    .name = "poll",
    .synopsis = "[--once]",
    .summary = "run the metrics poller and the outbox deliverer in the "
               "foreground",
    .exec = cmd_poll,
    .flags = CMD_CLI_ONLY,
    .options = {{"--once", NULL, "one round, then exit"}},
};
