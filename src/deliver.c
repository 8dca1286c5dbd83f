/*
 * deliver.c - the outbox deliverer and its thread.
 *
 * DESIGN: like the metrics poller (poller.c) the thread owns a store
 * connection and an HTTP client and shares only the database file and a
 * wake pipe with the interface.  Each round: take (or keep) the delivery
 * lock; after taking it, put back any message a dead deliverer left
 * `sending`; record escalation tiers and breached clocks that fell due
 * (store_outbox_due makes each happen once, whoever sees it); then, per
 * destination, send the oldest waiting messages in order until one fails
 * or the destination is in backoff; then rewrite the status page if the
 * database changed.  A message is claimed in a transaction before it is
 * sent and settled in another after, so a crash in between means it is
 * sent again (at least once), never lost; the idempotency key lets the
 * receiver drop the duplicate.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "itui/context.h"
#include "itui/deliver.h"
#include "itui/notify.h"
#include "itui/statuspage.h"
#include "itui/store-outbox.h"
#include "itui/xalloc.h"

#define DEFAULT_INTERVAL 10
#define FIRST_BACKOFF    15
#define MAX_BACKOFF      300
#define MAX_PER_ROUND    500

int
deliver_configured(const struct config *cfg)
{
	return cfg->ndestinations > 0 || cfg->statuspage.dir != NULL;
}

enum itui_code
deliver_open(struct deliver *d, const struct config *cfg,
             const struct policy *policy, const char *db_path, int wake_fd,
             struct itui_err *err)
{
	memset(d, 0, sizeof *d);
	d->cfg = cfg;
	d->policy = policy;
	d->wake_fd = wake_fd;
	d->kick[0] = d->kick[1] = -1;
	d->now = context_now;
	d->interval = DEFAULT_INTERVAL;
	d->max_attempts = cfg->outbox.max_attempts > 0
	                      ? (int)cfg->outbox.max_attempts
	                      : OUTBOX_MAX_ATTEMPTS;
	d->db_path = xstrdup(db_path);
	if (store_open(db_path, STORE_NOCREATE, &d->st, err) != ITUI_OK)
		return err->code;
	store_set_actor(d->st, "deliverer", "local");
	store_set_clock(d->st, d->now);
	store_set_routes(d->st, policy, cfg);
	if (cfg->ndestinations > 0) {
		if (http_global_init(err) != ITUI_OK)
			return err->code;
		d->http = http_client_new(&d->stop);
	}
	return ITUI_OK;
}

void
deliver_close(struct deliver *d)
{
	deliver_stop(d);
	http_client_free(d->http);
	store_close(d->st);
	free(d->db_path); /* the store's close released the lease */
	memset(d, 0, sizeof *d);
	d->kick[0] = d->kick[1] = -1;
}

/* Takes the delivery lock, or keeps it; 0 when another process has it. */
static int
take_lock(struct deliver *d)
{
	struct itui_err err;

	if (d->holds_lock)
		return 1;
	/* An flock() beside an SQLite file, an advisory lock on PostgreSQL. */
	if (!store_lease(d->st, "deliver"))
		return 0;
	d->holds_lock = 1;
	/* Whoever held it before us died between a claim and its settling. */
	(void)store_outbox_release(d->st, &err);
	return 1;
}

static void
note_error(struct deliver *d, const char *msg)
{
	if (d->last_error[0] == '\0')
		snprintf(d->last_error, sizeof d->last_error, "%s", msg);
}

/* Escalation tiers and SLA clocks that fell due with nobody acting. */
static void
round_due(struct deliver *d, int *changed)
{
	static const enum clock_kind watched[] = {CLOCK_ACK, CLOCK_UPDATE,
	                                          CLOCK_RESOLVE};
	struct incident_list l;
	struct itui_err err;
	int64_t now = d->now();
	size_t i, k;

	if (d->policy == NULL || d->cfg->ndestinations == 0 ||
	    store_incident_list(d->st, 0, 0, &l, &err) != ITUI_OK)
		return;
	for (i = 0; i < l.n && !d->stop; i++) {
		const struct incident *inc = &l.v[i];
		struct sla_clock c[CLOCK_KIND_COUNT];
		struct clock_input in;
		char cause[96], detail[300];
		int fired = 0;

		incident_clock_input(inc, &in);
		clocks_compute(d->policy, &in, now, c);
		if (clock_running(&c[CLOCK_ESCALATE]) &&
		    c[CLOCK_ESCALATE].due <= now) {
			snprintf(cause, sizeof cause, "tier:%d:%lld",
			         c[CLOCK_ESCALATE].tier,
			         (long long)c[CLOCK_ESCALATE].due);
			snprintf(detail, sizeof detail,
			         "Escalation tier %d fell due (%s)",
			         c[CLOCK_ESCALATE].tier,
			         c[CLOCK_ESCALATE].tier_to
			             ? c[CLOCK_ESCALATE].tier_to
			             : "next tier");
			if (store_outbox_due(d->st, inc->id, cause,
			                     "escalation",
			                     c[CLOCK_ESCALATE].tier, detail,
			                     &fired, &err) != ITUI_OK)
				note_error(d, err.msg);
			if (fired) {
				d->fired++;
				*changed = 1;
			}
		}
		for (k = 0; k < sizeof watched / sizeof watched[0]; k++) {
			const struct sla_clock *w = &c[watched[k]];

			if (!clock_running(w) || w->due > now)
				continue;
			snprintf(cause, sizeof cause, "breach:%s:%lld",
			         clock_kind_name(w->kind), (long long)w->due);
			snprintf(detail, sizeof detail,
			         "The %s clock is breached",
			         clock_kind_name(w->kind));
			if (store_outbox_due(d->st, inc->id, cause, "breach", 0,
			                     detail, &fired, &err) != ITUI_OK)
				note_error(d, err.msg);
			if (fired) {
				d->fired++;
				*changed = 1;
			}
		}
	}
	incident_list_free(&l);
}

static int64_t
backoff(int attempts)
{
	int64_t b = FIRST_BACKOFF;

	while (--attempts > 0 && b < MAX_BACKOFF)
		b *= 2;
	return b > MAX_BACKOFF ? MAX_BACKOFF : b;
}

/* Sends one destination's queue in order; stops at the first failure. */
static void
round_destination(struct deliver *d, const char *name, int *budget,
                  int *changed)
{
	const struct config_destination *dest =
	    config_destination(d->cfg, name);

	while (*budget > 0 && !d->stop) {
		struct notify_result res;
		struct outbox_row m;
		struct itui_err err;
		int found = 0, claimed = 0, gave_up = 0;
		int64_t now = d->now();

		if (store_outbox_head(d->st, name, &m, &found, &err) !=
		        ITUI_OK ||
		    !found) {
			if (!found)
				return;
			note_error(d, err.msg);
			return;
		}
		if (m.next_at > now && m.attempts > 0) {
			outbox_row_free(&m); /* in backoff */
			return;
		}
		(*budget)--;
		/* `sending` here: not ours; the next lock holder releases it.
		 */
		if (strcmp(m.state, "pending") != 0 ||
		    store_outbox_claim(d->st, m.id, &claimed, &err) !=
		        ITUI_OK) {
			outbox_row_free(&m);
			return;
		}
		if (!claimed) {
			outbox_row_free(&m);
			continue;
		}
		m.attempts++;
		if (dest == NULL) {
			memset(&res, 0, sizeof res);
			res.permanent = 1;
			snprintf(res.why, sizeof res.why,
			         "destination '%s' is no longer configured",
			         name);
		} else if (notify_send(d->http, dest, &m, now, &res, &err) !=
		           ITUI_OK) {
			/* A missing secret or a loose mode: fix and retry. */
			snprintf(res.why, sizeof res.why, "%s", err.msg);
			res.ok = 0;
			res.permanent = 0;
		}
		if (res.ok) {
			if (store_outbox_sent(d->st, m.id, &err) != ITUI_OK)
				note_error(d, err.msg);
			d->sent++;
		} else {
			int64_t wait = backoff(m.attempts);

			if (res.retry_after > wait)
				wait = res.retry_after;
			if (store_outbox_failed(
			        d->st, m.id, res.why, res.permanent, now + wait,
			        d->max_attempts, &gave_up, &err) != ITUI_OK)
				note_error(d, err.msg);
			d->failed++;
			note_error(d, res.why);
		}
		*changed = 1;
		outbox_row_free(&m);
		if (!res.ok && !gave_up)
			return;
	}
}

static void
round_statuspage(struct deliver *d)
{
	struct itui_err err;
	int64_t v = 0;

	if (d->cfg->statuspage.dir == NULL)
		return;
	if (store_data_version(d->st, &v, &err) != ITUI_OK)
		return;
	if (d->page_written && v == d->page_version)
		return;
	if (statuspage_write(d->st, d->policy, d->cfg, d->cfg->statuspage.dir,
	                     d->now(), &err) != ITUI_OK)
		note_error(d, err.msg);
	else {
		d->page_written = 1;
		d->page_version = v;
	}
}

enum itui_code
deliver_round(struct deliver *d, int *changed, struct itui_err *err)
{
	char **queues = NULL;
	size_t n = 0, i;
	int budget = MAX_PER_ROUND;

	*changed = 0;
	d->sent = d->failed = d->fired = 0;
	d->last_error[0] = '\0';
	if (!take_lock(d))
		return ITUI_OK;
	round_due(d, changed);
	if (d->cfg->ndestinations > 0 &&
	    store_outbox_queues(d->st, &queues, &n, err) != ITUI_OK)
		return err->code;
	for (i = 0; i < n && !d->stop; i++)
		round_destination(d, queues[i], &budget, changed);
	outbox_names_free(queues, n);
	if (!d->stop)
		round_statuspage(d);
	if (d->failed > 0 || d->last_error[0] != '\0')
		return err_set(err, ITUI_IO, "%s", d->last_error);
	return ITUI_OK;
}

static void *
deliver_main(void *arg)
{
	struct deliver *d = arg;

	while (!d->stop) {
		struct pollfd pfd = {d->kick[0], POLLIN, 0};
		struct itui_err err;
		int changed = 0;
		char buf[16];

		(void)deliver_round(d, &changed, &err);
		if (changed && d->wake_fd >= 0)
			(void)!write(d->wake_fd, "d", 1);
		if (d->stop)
			break;
		if (poll(&pfd, 1, (int)(d->interval * 1000)) > 0)
			while (read(d->kick[0], buf, sizeof buf) > 0)
				;
	}
	return NULL;
}

enum itui_code
deliver_start(struct deliver *d, struct itui_err *err)
{
	if (pipe2(d->kick, O_NONBLOCK | O_CLOEXEC) != 0)
		return err_set(err, ITUI_IO, "pipe: %s", strerror(errno));
	if (pthread_create(&d->thread, NULL, deliver_main, d) != 0) {
		close(d->kick[0]);
		close(d->kick[1]);
		d->kick[0] = d->kick[1] = -1;
		return err_set(err, ITUI_IO,
		               "could not start the deliverer thread");
	}
	d->running = 1;
	return ITUI_OK;
}

void
deliver_kick(struct deliver *d)
{
	if (d->kick[1] >= 0)
		(void)!write(d->kick[1], "k", 1);
}

void
deliver_stop(struct deliver *d)
{
	if (!d->running)
		return;
	d->stop = 1;
	deliver_kick(d);
	pthread_join(d->thread, NULL);
	d->running = 0;
	close(d->kick[0]);
	close(d->kick[1]);
	d->kick[0] = d->kick[1] = -1;
}
