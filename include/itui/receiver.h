/*
 * receiver.h - receives alerts by push: Alertmanager's webhook (payload
 * version 4) and Grafana alerting's webhook contact point, over GNU
 * libmicrohttpd, which is dlopen()ed on first use (a command that never
 * listens never loads it).
 *
 * Contract: receiver_open() reads the credentials ([receiver] token_file
 * for a bearer token, or username + password_file for basic auth; files
 * that others may read are refused) and opens its own store connection.
 * receiver_start() listens on ADDR:PORT with a thread per connection and
 * one committer thread, the only one that then uses that store connection;
 * receiver_stop() stops them and waits.  Notifications that arrive while a
 * commit is under way are committed together in the next transaction.  A
 * notification is answered 2xx only after the commit holding its alerts
 * succeeded (so a receiver that dies makes Alertmanager retry), 400 with
 * the reason for a malformed payload, 401 for missing or wrong
 * credentials, 413 past the body cap, 503 when the store fails; nothing is
 * stored for any of these.  POST / and /alertmanager take Alertmanager's
 * payload, /grafana Grafana's.
 */
#ifndef ITUI_RECEIVER_H
#define ITUI_RECEIVER_H

#include <stddef.h>

#include "itui/config.h"
#include "itui/err.h"
#include "itui/prom.h"
#include "itui/store.h"

#define RECEIVER_DEFAULT_MAX_BODY (1 << 20)

struct receiver {
	const struct config *cfg;
	struct store *st;
	char *token;    /* bearer token, or NULL */
	char *password; /* basic-auth password, or NULL */
	size_t max_body;
	void *daemon;
	struct recv_queue *queue; /* group commit (receiver.c) */
	unsigned long stored;     /* notifications committed */
};

/*
 * One payload: parsed, re-keyed with [alerts] ignore_labels, and committed
 * in one transaction.  ITUI_INPUT with the reason for a malformed one.
 * *n counts its alerts.  Used by the receiver and by `incident-tui ingest`.
 */
enum itui_code receiver_ingest(struct store *st, const struct config *cfg,
                               enum webhook_kind kind, const char *body,
                               size_t len, size_t *n, struct itui_err *err);

enum itui_code receiver_open(struct receiver *r, const struct config *cfg,
                             const char *db_path, struct itui_err *err);
/* listen: "ADDR:PORT" (IPv4). */
enum itui_code receiver_start(struct receiver *r, const char *listen,
                              struct itui_err *err);
void receiver_stop(struct receiver *r);
void receiver_close(struct receiver *r);

#endif
