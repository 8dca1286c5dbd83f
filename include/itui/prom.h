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
	char *key;  /* identity: labels minus the ignored ones (alerts_rekey) */
	char *name; /* alertname */
	char *labels; /* the sorted label set as compact JSON */
	char *annotations;
	char *summary;  /* annotation summary, or description, or name */
	char *severity; /* label severity, or NULL */
	int64_t since;
	char *url; /* generatorURL, or NULL */
	/* Alertmanager's identity and view, NULL where not known. */
	char *fingerprint;
	char *am_state;                   /* active, suppressed, unprocessed */
	char *silenced_by, *inhibited_by; /* ids, comma-separated */
	char *group_key, *external_url;
	int64_t ends_at; /* TIME_NONE when open-ended */
	int resolved;    /* a webhook's "resolved" */
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

/*
 * The identity of a label set (compact sorted JSON): the labels minus
 * `ignore` (NULL-terminated; external and replica labels), so Prometheus's
 * copy and Alertmanager's copy (which carries the external labels) are the
 * same alert.  Free it.
 */
char *alert_identity(const char *labels, const char *const *ignore);
/* Sets every alert's key to its identity. */
void alerts_rekey(struct alert_list *l, const char *const *ignore);
/*
 * Adds `from`'s alerts to `into`, one per identity: where both have one,
 * Alertmanager's copy (it has a fingerprint) gives identity and state.
 * Empties `from`.
 */
void alerts_merge(struct alert_list *into, struct alert_list *from);

enum webhook_kind { WEBHOOK_ALERTMANAGER, WEBHOOK_GRAFANA };

/*
 * A webhook notification: Alertmanager's payload version 4, or Grafana
 * alerting's webhook contact point (the same shape, version "1", with
 * orgId).  Each alert says firing or resolved; groupKey and externalURL are
 * copied to every alert.  ITUI_INPUT with the reason for a payload that is
 * not one (the receiver answers 400 with it).
 */
enum itui_code webhook_parse(enum webhook_kind kind, const char *body,
                             size_t len, struct alert_list *out,
                             struct itui_err *err);

/* 1 when a Grafana alert state (as ngalert formats it) means firing. */
int grafana_state_firing(const char *state);

/* The message of an error body of any of these servers, or its first line. */
void prom_error_message(long status, const char *body, size_t len, char *buf,
                        size_t size);

#endif
