/*
 * metrics.h - what incident-tui asks of Prometheus, Alertmanager and
 * Grafana, on behalf of the `snapshot` and `alerts` commands and of the
 * dashboard's poller thread.
 *
 * Contract: a struct metrics belongs to one thread (it owns an HTTP client);
 * http_global_init() must have run.  Nothing here touches the store or the
 * interface: results come back as JSON text and plain structs.  The Grafana
 * token is read from the environment variable or the file the configuration
 * names (a file readable by others is refused), never from the database.
 */
#ifndef ITUI_METRICS_H
#define ITUI_METRICS_H

#include <stdint.h>

#include "itui/config.h"
#include "itui/err.h"
#include "itui/prom.h"

#define METRICS_MAX_SOURCES 3

enum metrics_source { MSRC_PROMETHEUS, MSRC_ALERTMANAGER, MSRC_GRAFANA };

/* One source's credentials, read from their files at metrics_init(). */
struct metrics_auth {
	const struct config_auth *cfg;
	char *token;   /* Authorization: Bearer, or NULL */
	char *userpwd; /* user:password for basic auth, or NULL */
	char problem[256];
};

struct metrics {
	const struct config *cfg;
	struct http_client *http;
	char *grafana_token;
	char token_problem[256];
	struct metrics_auth auth[3]; /* by enum metrics_source */
	/* Every secret we send, scrubbed from every message we build. */
	const char *secrets[24];
	char *url_secrets[6];
	char *encoded[8]; /* base64 of each user:password, as sent */
	/* Sources the caller wants left out this round (1 << source). */
	unsigned skip;
	/* [grafana] dashboard: 0 unchecked, 1 exists, -1 not found. */
	int dashboard_state;
	/* The Grafana snapshot's name (the incident), set by the caller. */
	const char *snapshot_name;
};

/* Per-source outcome of a polling round. */
struct source_result {
	const char *name; /* "prometheus", "alertmanager", "grafana" */
	int ok;
	int denied; /* 401/403: a permission problem, not an outage */
	int asked;  /* 0 when skipped (backing off) */
	char detail[520];
	long retry_after; /* seconds asked by the server, or -1 */
};

/* 1 when any source is configured. */
int metrics_configured(const struct config *cfg);
enum itui_code metrics_init(struct metrics *m, const struct config *cfg,
                            const _Atomic int *stop, struct itui_err *err);
void metrics_free(struct metrics *m);

/*
 * Runs the configured queries that apply to `service` (those of the service
 * and the global ones) as instant and, where a range is set, range queries.
 * *data is the JSON of a `metric` entry (docs/json.md) and *text its one-line
 * summary; both are the caller's to free.  A query that fails is recorded
 * with its error; the call fails only when no query could be run.
 */
enum itui_code metrics_snapshot(struct metrics *m, const char *service,
                                int64_t now, char **data, char **text,
                                struct source_result *src,
                                struct itui_err *err);

/*
 * Alerts from every configured alert source (Prometheus, each Alertmanager
 * URL, Grafana), one per real alert: identity is the label set minus
 * [alerts] ignore_labels, Alertmanager's copy giving fingerprint and state
 * (suppressed alerts included).  res[] gets one entry per source configured
 * (*nres of them); a source in m->skip is not asked (res.asked 0).  Every
 * message is scrubbed of the credentials sent.
 */
enum itui_code metrics_alerts(struct metrics *m, struct alert_list *out,
                              struct source_result res[METRICS_MAX_SOURCES],
                              int *nres, struct itui_err *err);

/* Grafana: health, and annotations (times in milliseconds). */
enum itui_code metrics_grafana_health(struct metrics *m,
                                      struct source_result *res,
                                      struct itui_err *err);
enum itui_code metrics_annotate(struct metrics *m, int64_t at_ms,
                                const char *text, const char *const *tags,
                                int64_t *id, struct source_result *res,
                                struct itui_err *err);
/* Stretches an annotation into a region ending at end_ms. */
enum itui_code metrics_annotate_region(struct metrics *m, int64_t id,
                                       int64_t start_ms, int64_t end_ms,
                                       struct source_result *res,
                                       struct itui_err *err);

/*
 * Creates a silence in the (first answering) Alertmanager for exactly the
 * label set `labels` (JSON), from now for `seconds`, by `who` with
 * `comment`; its id goes into id[64].  Expire it with metrics_unsilence().
 */
enum itui_code metrics_silence(struct metrics *m, const char *labels,
                               int64_t now, int64_t seconds, const char *who,
                               const char *comment, char id[64],
                               struct itui_err *err);
enum itui_code metrics_unsilence(struct metrics *m, const char *id,
                                 struct itui_err *err);

/*
 * The first line of a secret file, which only its owner may read (a file
 * readable by group or others is refused); NULL with `problem` set
 * otherwise.  `key` names the setting in the message.  Free it.
 */
char *metrics_read_secret(const char *key, const char *path, char *problem,
                          size_t size);

/*
 * Revokes a Grafana dashboard snapshot by the deleteKey Grafana gave when
 * it was made (GET /api/snapshots-delete/KEY).
 */
enum itui_code metrics_snapshot_revoke(struct metrics *m,
                                       const char *delete_key,
                                       struct itui_err *err);
/*
 * The name of an incident's snapshot: "INC-7 Checkout 500s — 14:02–15:10"
 * (declared to now, UTC).  Free it.
 */
char *metrics_snapshot_title(int64_t id, const char *title, int64_t declared_at,
                             int64_t now);

/* Scrubs every secret this client sends from msg, in place. */
void metrics_scrub(const struct metrics *m, char *msg, size_t size);

/* The default [alerts] ignore_labels. */
extern const char *const metrics_default_ignore_labels[];

#endif
