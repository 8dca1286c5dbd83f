/*
 * deliver.h - the deliverer: sends the outbox's pending messages, notices
 * escalation tiers and SLA clocks that fall due, and rewrites the status
 * page when [statuspage] dir is set.
 *
 * Contract: a struct deliver owns its own store connection and HTTP client,
 * so it runs on its own thread: deliver_start() runs rounds every interval
 * (and at once after deliver_kick()), talking to the rest of the program
 * only through the database and one byte written to wake_fd after a round
 * that changed something.  deliver_stop() sets the stop flag, wakes the
 * thread (a transfer in progress aborts within ~100 ms) and joins it; never
 * pthread_cancel.  deliver_round() may be called directly
 * (`incident-tui poll --once`).  http_global_init() must have run on the
 * main thread first.  cfg and policy are borrowed and must outlive it.
 *
 * One deliverer per database: a round first takes the store's "deliver"
 * lease (store_lease(): an flock() on DB.deliver.lock beside an SQLite
 * file, an advisory lock on PostgreSQL) and keeps it until
 * deliver_close(); a deliverer that cannot take it does
 * nothing that round (d->holds_lock says which).  Messages go out in row
 * order per destination; a failed head waits (per-destination backoff,
 * doubling from 15 s to 5 min, or the destination's Retry-After) and holds
 * back the messages behind it, so order per incident is kept.
 *
 * For the dashboard (lead wires it): open with deliver_open(&d, &ctx->cfg,
 * policy, ctx->db_path, wake_fd, &err), deliver_start(&d, &err) beside the
 * poller, deliver_kick(&d) after a change that queues messages (declare,
 * status, severity, ack, update marked sent, handoff), and deliver_close()
 * on exit.
 */
#ifndef ITUI_DELIVER_H
#define ITUI_DELIVER_H

#include <pthread.h>
#include <stdint.h>

#include "itui/config.h"
#include "itui/err.h"
#include "itui/http.h"
#include "itui/policy.h"
#include "itui/store.h"

struct deliver {
	const struct config *cfg;
	const struct policy *policy;
	char *db_path;
	struct store *st;
	struct http_client *http;
	_Atomic int stop;
	int wake_fd;
	int kick[2];
	int holds_lock;
	pthread_t thread;
	int running;
	int64_t interval;
	int64_t page_version; /* data_version when the page was written */
	int page_written;
	int max_attempts;
	int64_t (*now)(void);
	/* Counts of the last round, for `poll --once` and tests. */
	int sent, failed, fired;
	char last_error[600];
};

enum itui_code deliver_open(struct deliver *d, const struct config *cfg,
                            const struct policy *policy, const char *db_path,
                            int wake_fd, struct itui_err *err);
void deliver_close(struct deliver *d);
/* Whether anything is configured for a deliverer to do. */
int deliver_configured(const struct config *cfg);
/* One round; *changed says whether the database changed. */
enum itui_code deliver_round(struct deliver *d, int *changed,
                             struct itui_err *err);
enum itui_code deliver_start(struct deliver *d, struct itui_err *err);
void deliver_kick(struct deliver *d);
void deliver_stop(struct deliver *d);

#endif
