/*
 * poller.c - the metrics poller and its thread.
 *
 * DESIGN: the thread owns a store connection and an HTTP client of its own
 * and shares nothing with the interface but the database file and a wake
 * pipe (the redis bio.c pattern: do the work, commit, write one byte).  It
 * sleeps in poll() on a kick pipe with a timeout of the next round, so
 * poller_stop() is a flag, a byte and a join.  A failing round backs off
 * (doubling up to five minutes, or as long as a server's Retry-After asks);
 * source health goes to the `sources` table, where the top bar reads it.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "itui/poller.h"
#include "itui/timeutil.h"
#include "itui/xalloc.h"

#define DEFAULT_INTERVAL       30
#define DEFAULT_SNAPSHOT_EVERY (15 * 60)
#define SNAPSHOT_MAX_AGE       (10 * 60)
#define MAX_BACKOFF            300
#define DENIED_BACKOFF         600

static int64_t
real_now(void)
{
	return (int64_t)time(NULL);
}

enum itui_code
poller_open(struct poller *p, const struct config *cfg, const char *db_path,
            const char *user, int wake_fd, struct itui_err *err)
{
	memset(p, 0, sizeof *p);
	p->cfg = cfg;
	p->wake_fd = wake_fd;
	p->kick[0] = p->kick[1] = -1;
	p->now = real_now;
	p->interval = cfg->prometheus.interval > 0 ? cfg->prometheus.interval
	                                           : DEFAULT_INTERVAL;
	p->snapshot_every = cfg->prometheus.snapshot_every > 0
	                        ? cfg->prometheus.snapshot_every
	                        : DEFAULT_SNAPSHOT_EVERY;
	p->db_path = xstrdup(db_path);
	p->user = xstrdup(user);
	if (store_open(db_path, STORE_NOCREATE, &p->st, err) != ITUI_OK)
		return err->code;
	store_set_actor(p->st, "poller", "local");
	store_alerts_set_refire(p->st, cfg->alerts.refire_reopens);
	if (metrics_init(&p->m, cfg, &p->stop, err) != ITUI_OK)
		return err->code;
	return ITUI_OK;
}

void
poller_close(struct poller *p)
{
	poller_stop(p);
	metrics_free(&p->m);
	store_close(p->st);
	free(p->db_path);
	free(p->user);
	p->st = NULL;
}

static int
source_index(const char *name)
{
	return strcmp(name, "prometheus") == 0     ? MSRC_PROMETHEUS
	       : strcmp(name, "alertmanager") == 0 ? MSRC_ALERTMANAGER
	                                           : MSRC_GRAFANA;
}

/* 1 while the source is backing off: not asked this round. */
static int
backing_off(const struct poller *p, int src)
{
	return p->backoff[src].next_at > p->now();
}

/* How bad an outcome is: ok 0, denied 1, down 2. */
static int
rank(const struct source_result *r)
{
	return r->ok ? 0 : r->denied ? 1 : 2;
}

/* Stores each source's worst outcome of the round (see record()). */
static void
flush_seen(struct poller *p, int *changed)
{
	for (int i = 0; i < 3; i++) {
		const struct source_result *r = &p->seen[i];
		struct itui_err err;
		int c = 0;

		if (!p->nseen[i])
			continue;
		p->nseen[i] = 0;
		if (store_source_set(p->st, r->name,
		                     r->ok       ? SOURCE_OK
		                     : r->denied ? SOURCE_DENIED
		                                 : SOURCE_DOWN,
		                     r->detail, &c, &err) == ITUI_OK &&
		    c)
			*changed = 1;
	}
}

/*
 * Records a source's outcome and schedules its own backoff: a failing
 * source waits longer each round (doubling to five minutes, or what
 * Retry-After asks) and a permission problem waits ten minutes, while the
 * other sources keep their interval.
 */
static void
record(struct poller *p, const struct source_result *r)
{
	int i = source_index(r->name);
	struct source_backoff *b = &p->backoff[i];

	/* Backing off: not asked, nothing learnt. */
	if (!r->asked)
		return;
	/*
	 * One state per source per round, the worst (down, then denied):
	 * Grafana's alerts may answer a viewer's token while its annotations
	 * refuse it, and storing both would flip ok/denied every round.
	 */
	if (!p->nseen[i] || rank(r) > rank(&p->seen[i]))
		p->seen[i] = *r;
	p->nseen[i] = 1;
	if (!r->ok && p->last_error[0] == '\0')
		snprintf(p->last_error, sizeof p->last_error, "%s: %s", r->name,
		         r->detail);
	if (r->ok) {
		b->failures = 0;
		b->next_at = 0;
	} else {
		int64_t d = p->interval;
		int k;

		b->failures++;
		for (k = 1; k < b->failures && d < MAX_BACKOFF; k++)
			d *= 2;
		if (d > MAX_BACKOFF)
			d = MAX_BACKOFF;
		if (r->denied)
			d = DENIED_BACKOFF;
		if (r->retry_after > d)
			d = r->retry_after;
		/* The next round after this one may ask again at the earliest.
		 */
		b->next_at = b->failures > 1 || r->denied || r->retry_after > 0
		                 ? p->now() + d
		                 : 0;
	}
	if (r->retry_after > p->retry_after)
		p->retry_after = r->retry_after;
}

void
poller_alert_in(const struct alert_list *l, const char *source,
                struct alert_in *in)
{
	size_t k;

	for (k = 0; k < l->n; k++) {
		const struct alert *a = &l->v[k];

		memset(&in[k], 0, sizeof in[k]);
		in[k].key = a->key;
		in[k].fingerprint = a->fingerprint;
		in[k].name = a->name;
		in[k].summary = a->summary;
		in[k].severity = a->severity;
		in[k].labels = a->labels;
		in[k].annotations = a->annotations;
		in[k].source = source;
		in[k].since = a->since;
		in[k].am_state = a->am_state;
		in[k].silenced_by = a->silenced_by;
		in[k].inhibited_by = a->inhibited_by;
		in[k].group_key = a->group_key;
		in[k].external_url = a->external_url;
		in[k].generator_url = a->url;
		in[k].ends_at = a->ends_at;
		in[k].resolved = a->resolved;
	}
}

enum itui_code
poller_sync_alerts(struct store *st, const struct alert_list *l, int complete,
                   int *changed, struct itui_err *err)
{
	struct alert_in *in = xcalloc(l->n + 1, sizeof *in);
	enum itui_code rc;

	poller_alert_in(l, "poll", in);
	rc = store_alerts_sync(st, in, l->n, complete, changed, err);
	free(in);
	return rc;
}

static int
round_alerts(struct poller *p, int *changed)
{
	struct source_result res[METRICS_MAX_SOURCES];
	struct alert_list l;
	struct itui_err err;
	int nres = 0, i, complete = 1, c = 0, failed = 0;

	p->m.skip = 0;
	for (i = 0; i < 3; i++)
		if (backing_off(p, i))
			p->m.skip |= 1u << i;
	if (metrics_alerts(&p->m, &l, res, &nres, &err) != ITUI_OK) {
		for (i = 0; i < nres; i++)
			record(p, &res[i]);
		return nres > 0 ? -1 : 0;
	}
	for (i = 0; i < nres; i++) {
		record(p, &res[i]);
		if (!res[i].ok || !res[i].asked) {
			complete = 0;
			failed = 1;
		}
	}
	if (poller_sync_alerts(p->st, &l, complete, &c, &err) == ITUI_OK && c)
		*changed = 1;
	alerts_free(&l);
	return failed ? -1 : 0;
}

static int
round_snapshots(struct poller *p, int *changed)
{
	struct itui_err err;
	int64_t *ids = NULL;
	size_t n = 0, i;
	int failed = 0;

	if (p->cfg->prometheus.url == NULL &&
	    p->cfg->grafana.datasource == NULL)
		return 0;
	if (p->cfg->nqueries == 0)
		return 0;
	if (backing_off(p, p->cfg->prometheus.url != NULL ? MSRC_PROMETHEUS
	                                                  : MSRC_GRAFANA))
		return 0;
	if (store_snapshot_due(p->st, p->snapshot_every, SNAPSHOT_MAX_AGE, &ids,
	                       &n, &err) != ITUI_OK)
		return -1;
	for (i = 0; i < n && !p->stop; i++) {
		struct source_result src;
		struct incident inc;
		char *data = NULL, *text = NULL, *name;
		enum itui_code rc;

		if (store_incident_get(p->st, ids[i], &inc, &err) != ITUI_OK)
			continue;
		name = metrics_snapshot_title(ids[i], inc.title,
		                              inc.declared_at, p->now());
		p->m.snapshot_name = name;
		rc = metrics_snapshot(&p->m, inc.service, p->now(), &data,
		                      &text, &src, &err);
		p->m.snapshot_name = NULL;
		free(name);
		if (rc != ITUI_CONFIG)
			record(p, &src);
		if (rc == ITUI_OK &&
		    store_entry_add(p->st, ids[i], KIND_METRIC, TIME_NONE, text,
		                    data, NULL, &err) == ITUI_OK)
			*changed = 1;
		else if (rc == ITUI_IO)
			failed = 1;
		free(data);
		free(text);
		incident_free(&inc);
	}
	free(ids);
	return failed ? -1 : 0;
}

static int
round_grafana(struct poller *p, int *changed)
{
	struct annotation_job *jobs = NULL;
	struct source_result res;
	struct itui_err err;
	size_t n = 0, i;
	int failed = 0;

	if (p->cfg->grafana.url == NULL || backing_off(p, MSRC_GRAFANA))
		return 0;
	(void)metrics_grafana_health(&p->m, &res, &err);
	res.asked = 1;
	record(p, &res);
	if (!res.ok)
		return -1;
	/* Events of the last day: a new Grafana set-up is not flooded. */
	if (store_annotations_pending(p->st, p->now() - 86400, &jobs, &n,
	                              &err) != ITUI_OK)
		return -1;
	for (i = 0; i < n && !p->stop; i++) {
		struct annotation_job *j = &jobs[i];
		char inc[32], sev[40];
		const char *tags[] = {"incident-tui", inc, sev, NULL};
		int64_t id = 0;
		enum itui_code rc;

		snprintf(inc, sizeof inc, "INC-%lld",
		         (long long)j->incident_id);
		snprintf(sev, sizeof sev, "severity:%s", j->severity);
		rc = metrics_annotate(&p->m, j->at * 1000, j->text, tags, &id,
		                      &res, &err);
		if (rc == ITUI_OK && j->closes_region && j->region_grafana_id)
			rc = metrics_annotate_region(
			    &p->m, j->region_grafana_id, j->declared_at * 1000,
			    j->at * 1000, &res, &err);
		if (rc == ITUI_OK || res.ok) {
			/* Done, or refused for good (4xx): not retried. */
			(void)store_annotation_done(
			    p->st, j->entry_id, j->incident_id, id,
			    rc == ITUI_OK ? NULL : res.detail, &err);
			*changed = 1;
		} else {
			record(p, &res);
			failed = 1;
			break;
		}
	}
	annotation_jobs_free(jobs, n);
	return failed ? -1 : 0;
}

enum itui_code
poller_round(struct poller *p, int *changed, struct itui_err *err)
{
	int failed = 0;

	*changed = 0;
	p->retry_after = 0;
	p->last_error[0] = '\0';
	if (round_alerts(p, changed) != 0)
		failed = 1;
	if (!p->stop && round_snapshots(p, changed) != 0)
		failed = 1;
	if (!p->stop && round_grafana(p, changed) != 0)
		failed = 1;
	flush_seen(p, changed);
	p->failures = failed ? p->failures + 1 : 0;
	if (failed)
		return err_set(err, ITUI_IO, "%s",
		               p->last_error[0] ? p->last_error
		                                : "a metrics source failed");
	return ITUI_OK;
}

/*
 * Seconds until the next round: the interval.  Backoff is per source
 * (record()): one failing source never slows the others.
 */
static int64_t
next_delay(const struct poller *p)
{
	return p->interval;
}

static void *
poller_main(void *arg)
{
	struct poller *p = arg;

	while (!p->stop) {
		struct pollfd pfd = {p->kick[0], POLLIN, 0};
		struct itui_err err;
		int changed = 0;
		char buf[16];

		/* One poller per database, however many dashboards are open:
		 * the others read the health the one with the lease records. */
		if (store_lease(p->st, "poller"))
			(void)poller_round(p, &changed, &err);
		if (changed && p->wake_fd >= 0)
			(void)!write(p->wake_fd, "p", 1);
		if (p->stop)
			break;
		if (poll(&pfd, 1, (int)(next_delay(p) * 1000)) > 0)
			while (read(p->kick[0], buf, sizeof buf) > 0)
				;
	}
	return NULL;
}

enum itui_code
poller_start(struct poller *p, struct itui_err *err)
{
	if (pipe2(p->kick, O_NONBLOCK | O_CLOEXEC) != 0)
		return err_set(err, ITUI_IO, "pipe: %s", strerror(errno));
	if (pthread_create(&p->thread, NULL, poller_main, p) != 0) {
		close(p->kick[0]);
		close(p->kick[1]);
		p->kick[0] = p->kick[1] = -1;
		return err_set(err, ITUI_IO,
		               "could not start the poller thread");
	}
	p->running = 1;
	return ITUI_OK;
}

void
poller_kick(struct poller *p)
{
	if (p->kick[1] >= 0)
		(void)!write(p->kick[1], "k", 1);
}

void
poller_stop(struct poller *p)
{
	if (!p->running)
		return;
	p->stop = 1;
	poller_kick(p);
	pthread_join(p->thread, NULL);
	p->running = 0;
	close(p->kick[0]);
	close(p->kick[1]);
	p->kick[0] = p->kick[1] = -1;
}
