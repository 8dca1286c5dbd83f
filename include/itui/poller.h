/*
 * poller.h - the metrics poller: one round polls the alert sources, takes
 * the snapshots that are due, checks Grafana and posts pending annotations.
 *
 * Contract: a struct poller owns its own store connection and its own HTTP
 * client, so it may run on its own thread: poller_start() runs rounds on a
 * thread every interval (and at once after poller_kick()) while it holds
 * the database's "poller" lease (store_lease(): one poller per database
 * however many dashboards are open), and talks to the
 * interface only through the database and one byte written to wake_fd.
 * poller_stop() sets the stop flag, wakes the thread (an HTTP transfer in
 * progress aborts within ~100 ms) and joins it; never pthread_cancel.
 * http_global_init() must have run before poller_start(), on the main
 * thread.  poller_round() may also be called directly (incident-tui poll).
 */
#ifndef ITUI_POLLER_H
#define ITUI_POLLER_H

#include <pthread.h>
#include <stdint.h>

#include "itui/config.h"
#include "itui/err.h"
#include "itui/metrics.h"
#include "itui/store.h"

struct source_backoff {
	int failures;    /* consecutive failures */
	int64_t next_at; /* not asked before this time */
};

struct poller {
	const struct config *cfg;
	char *db_path;
	char *user;
	struct store *st;
	struct metrics m;
	_Atomic int stop;
	int wake_fd; /* written after a round that changed something */
	int kick[2]; /* a pipe: wakes the thread for an early round */
	pthread_t thread;
	int running;
	int64_t interval;
	int64_t snapshot_every;
	int failures;                     /* consecutive failed rounds */
	struct source_backoff backoff[3]; /* by enum metrics_source */
	/* This round's worst outcome of each source, stored at its end. */
	struct source_result seen[3];
	int nseen[3];
	int64_t retry_after;
	char last_error[600]; /* the first failure of the last round */
	int64_t (*now)(void);
};

enum itui_code poller_open(struct poller *p, const struct config *cfg,
                           const char *db_path, const char *user, int wake_fd,
                           struct itui_err *err);
void poller_close(struct poller *p);
/* One round; *changed says whether the database changed. */
enum itui_code poller_round(struct poller *p, int *changed,
                            struct itui_err *err);
/*
 * Records one round's fetched alerts in the store (see store_alerts_sync);
 * `complete` when every source answered.  Used by the poller and by
 * `incident-tui alerts`.
 */
enum itui_code poller_sync_alerts(struct store *st, const struct alert_list *l,
                                  int complete, int *changed,
                                  struct itui_err *err);
/* The store's view of fetched (or pushed) alerts; in[] has l->n slots. */
void poller_alert_in(const struct alert_list *l, const char *source,
                     struct alert_in *in);
enum itui_code poller_start(struct poller *p, struct itui_err *err);
void poller_kick(struct poller *p);
void poller_stop(struct poller *p);

#endif
