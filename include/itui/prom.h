/*
 * prom.h - parsers for Prometheus, Alertmanager and Grafana alerting bodies.
 *
 * Contract: pure (bytes and the HTTP status in, plain structs or one error
 * sentence out); any thread.  Never trusts the shape: every type is checked,
 * a non-2xx body may be JSON of several kinds or plain text, and sample
 * values are strings ("1e-07", "NaN", "+Inf") parsed with strtod.  Alerts are
 * keyed by their sorted label set, so the same alert seen through
 * Prometheus, Alertmanager and Grafana is one alert.  The caller frees
 * results with prom_result_free() / alerts_free().
 */
#ifndef ITUI_PROM_H
#define ITUI_PROM_H

#include <stddef.h>
#include <stdint.h>

#include "itui/err.h"

struct sample {
	double t; /* Unix seconds */
	double v;
};

struct series {
	char *labels; /* compact JSON object, keys sorted */
	struct sample *v;
	size_t n;
};

struct prom_result {
	char type[16]; /* vector, matrix, scalar, string */
	struct series *s;
	size_t n;
	char *warnings; /* joined, or NULL */
};

struct alert {
	char *key;    /* the sorted label set as compact JSON */
	char *name;   /* alertname */
	char *labels; /* as key */
	char *annotations;
	char *summary;  /* annotation summary, or description, or name */
	char *severity; /* label severity, or NULL */
	int64_t since;
	char *url; /* generatorURL, or NULL */
};

struct alert_list {
	struct alert *v;
	size_t n;
};

/* /api/v1/query and /api/v1/query_range (also through Grafana's proxy). */
enum itui_code prom_parse_query(long status, const char *body, size_t len,
                                struct prom_result *out, struct itui_err *err);
void prom_result_free(struct prom_result *r);

/*
 * /api/v1/alerts of Prometheus (state "firing") or of Grafana's Prometheus-
 * compatible endpoint (state "Alerting"); pending ones are left out.
 */
enum itui_code prom_parse_alerts(long status, const char *body, size_t len,
                                 struct alert_list *out, struct itui_err *err);
/* Alertmanager /api/v2/alerts: a bare array; active ones are kept. */
enum itui_code am_parse_alerts(long status, const char *body, size_t len,
                               struct alert_list *out, struct itui_err *err);
void alerts_free(struct alert_list *l);

/* The message of an error body of any of these servers, or its first line. */
void prom_error_message(long status, const char *body, size_t len, char *buf,
                        size_t size);

#endif
