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

struct metrics {
	const struct config *cfg;
	struct http_client *http;
	char *grafana_token;
	char token_problem[256];
};

/* Per-source outcome of a polling round. */
struct source_result {
	const char *name; /* "prometheus", "alertmanager", "grafana" */
	int ok;
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
 * Firing alerts from every configured alert source, de-duplicated by label
 * set.  res[] gets one entry per source asked (*nres of them).
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

#endif
