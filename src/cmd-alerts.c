/*
 * cmd-alerts.c - receive (the webhook receiver in the foreground), ingest
 * (one payload from standard input), silence (an Alertmanager silence for
 * one alert, named after its incident) and attach (an alert to an existing
 * incident).
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "itui/cmd-alerts.h"
#include "itui/metrics.h"
#include "itui/receiver.h"
#include "itui/sanitize.h"
#include "itui/store.h"
#include "itui/timeutil.h"
#include "itui/xalloc.h"

static enum itui_code
cmd_receive(struct cmd_q *q, struct itui_err *err)
{
	struct context *ctx = q->ctx;
	const char *listen = cmd_opt(q, "--listen");
	struct receiver r;
	struct store *st;
	sigset_t set;
	int sig;

	if (listen == NULL)
		listen = ctx->cfg.receiver.listen;
	if (listen == NULL)
		return err_set(err, ITUI_USAGE,
		               "--listen ADDR:PORT is required (or [receiver] "
		               "listen)");
	/* Creates and migrates the file if needed. */
	if (cmd_store(q, 1, &st, err) != ITUI_OK)
		return err->code;
	if (receiver_open(&r, &ctx->cfg, ctx->db_path, err) != ITUI_OK)
		return err->code;
	/* Blocked before the daemon's thread starts, so it inherits it. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	if (receiver_start(&r, listen, err) != ITUI_OK) {
		receiver_close(&r);
		return err->code;
	}
	fprintf(q->out, "listening on %s\n", listen);
	fflush(q->out);
	sigwait(&set, &sig);
	receiver_close(&r);
	return ITUI_OK;
}

static enum itui_code
cmd_ingest(struct cmd_q *q, struct itui_err *err)
{
	struct context *ctx = q->ctx;
	const struct cmd_args *a = &q->args;
	size_t cap = ctx->cfg.receiver.max_body > 0
	                 ? (size_t)ctx->cfg.receiver.max_body
	                 : RECEIVER_DEFAULT_MAX_BODY,
	       len = 0, n;
	char *body = xcalloc(1, cap + 2);
	enum webhook_kind kind;
	struct store *st;
	enum itui_code rc;
	ssize_t got;

	if (strcmp(a->pos[0], "alertmanager") == 0)
		kind = WEBHOOK_ALERTMANAGER;
	else if (strcmp(a->pos[0], "grafana") == 0)
		kind = WEBHOOK_GRAFANA;
	else {
		free(body);
		return err_set(err, ITUI_USAGE,
		               "ingest alertmanager|grafana, not '%s'",
		               a->pos[0]);
	}
	while (len <= cap &&
	       (got = read(STDIN_FILENO, body + len, cap + 1 - len)) > 0)
		len += (size_t)got;
	if (len > cap) {
		free(body);
		return err_set(err, ITUI_INPUT,
		               "the payload is larger than %zu bytes", cap);
	}
	rc = cmd_store(q, 1, &st, err);
	if (rc == ITUI_OK)
		rc = receiver_ingest(st, &ctx->cfg, kind, body, len, &n, err);
	free(body);
	if (rc != ITUI_OK)
		return rc;
	fprintf(q->out, "stored %zu alert%s\n", n, n == 1 ? "" : "s");
	return ITUI_OK;
}

static enum itui_code
cmd_silence(struct cmd_q *q, struct itui_err *err)
{
	struct context *ctx = q->ctx;
	const struct cmd_args *a = &q->args;
	struct alert_rows rows = {NULL, 0};
	const struct alert_row *al;
	struct metrics m;
	struct store *st;
	enum itui_code rc;
	int64_t id, secs = 0;
	int expire = cmd_opt(q, "--expire") != NULL;
	char sid[64], *what;

	if (cmd_parse_id(a->pos[0], "AL", &id, err) != ITUI_OK)
		return err_set(
		    err, ITUI_USAGE,
		    "bad alert id '%s' (AL-N, as incident-tui alerts "
		    "shows)",
		    a->pos[0]);
	if (!expire &&
	    (a->npos < 2 || time_parse_duration(a->pos[1], &secs) || secs <= 0))
		return err_set(err, ITUI_USAGE,
		               "silence AL-N DURATION (e.g. 2h), or --expire");
	if (!expire && !time_in_window(ctx->now + secs))
		return err_set(err, ITUI_USAGE, "%s reaches past 2199",
		               a->pos[1]);
	if (cmd_store(q, 1, &st, err) || store_alert_get(st, id, &rows, err))
		return err->code;
	al = &rows.v[0];
	if (expire && al->silence_id == NULL) {
		alert_rows_free(&rows);
		return err_set(err, ITUI_INPUT,
		               "AL-%lld has no silence made here to expire",
		               (long long)id);
	}
	if ((rc = metrics_init(&m, &ctx->cfg, NULL, err)) != ITUI_OK) {
		alert_rows_free(&rows);
		return rc;
	}
	if (expire) {
		rc = metrics_unsilence(&m, al->silence_id, err);
		snprintf(sid, sizeof sid, "%s", al->silence_id);
		what = xasprintf("silence %s expired by %s", sid, ctx->user);
	} else {
		char *comment =
		    al->incident_id
		        ? xasprintf("INC-%lld (incident-tui, by %s)",
		                    (long long)al->incident_id, ctx->user)
		        : xasprintf("AL-%lld (incident-tui, by %s)",
		                    (long long)id, ctx->user);
		char span[TIME_BUF];

		rc = metrics_silence(&m, al->labels, ctx->now, secs, ctx->user,
		                     comment, sid, err);
		free(comment);
		what = xasprintf("silenced in Alertmanager for %s by %s "
		                 "(silence %s)",
		                 time_format_span(secs, span), ctx->user, sid);
	}
	metrics_free(&m);
	if (rc == ITUI_OK)
		rc =
		    store_alert_silence(st, id, expire ? NULL : sid, what, err);
	free(what);
	alert_rows_free(&rows);
	if (rc != ITUI_OK)
		return rc;
	if (expire)
		cmd_note(q, "expired silence %s of AL-%lld", sid,
		         (long long)id);
	else
		cmd_note(q, "silence %s on AL-%lld", sid, (long long)id);
	fprintf(q->out, "%s\n", q->note);
	return ITUI_OK;
}

static enum itui_code
cmd_attach(struct cmd_q *q, struct itui_err *err)
{
	const struct cmd_args *a = &q->args;
	int64_t alert, inc;
	struct store *st;

	if (cmd_parse_id(a->pos[0], "AL", &alert, err) != ITUI_OK)
		return err_set(err, ITUI_USAGE, "bad alert id '%s' (AL-N)",
		               a->pos[0]);
	if (cmd_parse_id(a->pos[1], "INC", &inc, err) != ITUI_OK ||
	    cmd_store(q, 1, &st, err) != ITUI_OK)
		return err->code;
	if (store_alert_attach(st, alert, inc, err) != ITUI_OK)
		return err->code;
	cmd_note(q, "AL-%lld attached to INC-%lld", (long long)alert,
	         (long long)inc);
	fprintf(q->out, "%s\n", q->note);
	return ITUI_OK;
}

const struct cmd_entry cmd_receive_entry = {
    .name = "receive",
    .synopsis = "[--listen ADDR:PORT]",
    .summary = "receive Alertmanager and Grafana webhook notifications",
    .exec = cmd_receive,
    .flags = CMD_WRITES | CMD_CLI_ONLY,
    .options = {{"--listen", "ADDR:PORT",
                 "where to listen (default: [receiver] listen)"}},
};

const struct cmd_entry cmd_ingest_entry = {
    .name = "ingest",
    .synopsis = "alertmanager|grafana",
    .summary = "store one webhook payload read from standard input",
    .exec = cmd_ingest,
    .min_pos = 1,
    .max_pos = 1,
    .flags = CMD_WRITES | CMD_CLI_ONLY,
};

const struct cmd_entry cmd_silence_entry = {
    .name = "silence",
    .synopsis = "AL-N DURATION | AL-N --expire",
    .summary = "silence an alert in Alertmanager, naming its incident",
    .exec = cmd_silence,
    .min_pos = 1,
    .max_pos = 2,
    .flags = CMD_WRITES,
    .options = {{"--expire", NULL, "expire the silence made here"}},
};

const struct cmd_entry cmd_attach_entry = {
    .name = "attach",
    .synopsis = "AL-N INC-N",
    .summary = "attach an alert to an existing incident",
    .exec = cmd_attach,
    .min_pos = 2,
    .max_pos = 2,
    .flags = CMD_WRITES,
};
