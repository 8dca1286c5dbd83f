/* prom.c - turns monitoring servers' JSON into plain structs, warily. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "itui/prom.h"
#include "itui/timeutil.h"
#include "itui/xalloc.h"

void
prom_error_message(long status, const char *body, size_t len, char *buf,
                   size_t size)
{
	json_t *j = json_loadb(body, len, JSON_DECODE_ANY, NULL);
	const char *msg = NULL, *type = NULL;

	if (json_is_object(j)) {
		msg = json_string_value(json_object_get(j, "error"));
		type = json_string_value(json_object_get(j, "errorType"));
		if (msg == NULL)
			msg = json_string_value(json_object_get(j, "message"));
	} else if (json_is_string(j)) {
		msg = json_string_value(j);
	}
	if (msg != NULL) {
		snprintf(buf, size, "HTTP %ld: %s%s%.300s", status,
		         type ? type : "", type ? ": " : "", msg);
	} else if (len == 0) {
		snprintf(buf, size, "HTTP %ld: (empty body)", status);
	} else {
		size_t n = 0;

		/* Within len: a body need not be NUL-terminated. */
		while (n < len && n < 200 && body[n] != '\r' &&
		       body[n] != '\n' && body[n] != '\0')
			n++;
		snprintf(buf, size, "HTTP %ld: %.*s", status, (int)n, body);
	}
	json_decref(j);
}

/* Parses a body; a non-2xx status or a Prometheus error envelope fails. */
static json_t *
load(long status, const char *body, size_t len, int envelope,
     struct itui_err *err)
{
	json_error_t je;
	json_t *j;
	char msg[400];

	if (status < 200 || status > 299) {
		prom_error_message(status, body, len, msg, sizeof msg);
		err_set(err, ITUI_IO, "%s", msg);
		return NULL;
	}
	j = json_loadb(body, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY,
	               &je);
	if (j == NULL) {
		err_set(err, ITUI_IO, "bad JSON at line %d column %d: %s",
		        je.line, je.column, je.text);
		return NULL;
	}
	if (envelope) {
		const char *st;

		if (!json_is_object(j)) {
			json_decref(j);
			err_set(err, ITUI_IO,
			        "unexpected reply (not an object)");
			return NULL;
		}
		st = json_string_value(json_object_get(j, "status"));
		if (st == NULL || strcmp(st, "success") != 0) {
			prom_error_message(status, body, len, msg, sizeof msg);
			json_decref(j);
			err_set(err, ITUI_IO, "%s", msg);
			return NULL;
		}
	}
	return j;
}

static char *
sorted_labels(json_t *labels)
{
	char *s;

	if (!json_is_object(labels))
		return xstrdup("{}");
	s = json_dumps(labels, JSON_COMPACT | JSON_SORT_KEYS);
	if (s == NULL)
		fatal("out of memory encoding labels");
	return s;
}

/* [t, "v"]: a number and a string value. */
static int
read_sample(json_t *pair, struct sample *out)
{
	json_t *t = json_array_get(pair, 0), *v = json_array_get(pair, 1);
	const char *s = json_string_value(v);
	char *end;

	if (!json_is_array(pair) || json_array_size(pair) != 2 ||
	    !json_is_number(t) || s == NULL)
		return -1;
	out->t = json_number_value(t);
	out->v = strtod(s, &end);
	if (end == s || *end != '\0')
		return -1;
	return 0;
}

void
prom_result_free(struct prom_result *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		free(r->s[i].labels);
		free(r->s[i].v);
	}
	free(r->s);
	free(r->warnings);
	memset(r, 0, sizeof *r);
}

static struct series *
add_series(struct prom_result *r, json_t *metric)
{
	struct series *s;

	r->s = xreallocarray(r->s, r->n + 1, sizeof *r->s);
	s = &r->s[r->n++];
	memset(s, 0, sizeof *s);
	s->labels = sorted_labels(metric);
	return s;
}

enum itui_code
prom_parse_query(long status, const char *body, size_t len,
                 struct prom_result *out, struct itui_err *err)
{
	json_t *j, *data, *result, *item, *w;
	const char *type;
	size_t i, k;

	memset(out, 0, sizeof *out);
	if ((j = load(status, body, len, 1, err)) == NULL)
		return err->code;
	data = json_object_get(j, "data");
	type = json_string_value(json_object_get(data, "resultType"));
	result = json_object_get(data, "result");
	if (type == NULL || result == NULL) {
		json_decref(j);
		return err_set(err, ITUI_IO, "reply has no data.resultType");
	}
	snprintf(out->type, sizeof out->type, "%s", type);
	w = json_object_get(j, "warnings");
	if (json_is_array(w) && json_array_size(w) > 0) {
		json_t *x;
		size_t n;
		char buf[512] = "";

		json_array_foreach(w, n, x)
		{
			if (json_is_string(x))
				snprintf(buf + strlen(buf),
				         sizeof buf - strlen(buf), "%s%s",
				         buf[0] ? "; " : "",
				         json_string_value(x));
		}
		out->warnings = xstrdup(buf);
	}
	if (strcmp(type, "scalar") == 0 || strcmp(type, "string") == 0) {
		struct series *s = add_series(out, NULL);

		s->v = xcalloc(1, sizeof *s->v);
		if (read_sample(result, &s->v[0]) != 0) {
			/* type lives in j: the message first. */
			err_set(err, ITUI_IO, "bad %s value", type);
			json_decref(j);
			prom_result_free(out);
			return ITUI_IO;
		}
		s->n = 1;
		json_decref(j);
		return ITUI_OK;
	}
	if (!json_is_array(result) ||
	    (strcmp(type, "vector") != 0 && strcmp(type, "matrix") != 0)) {
		err_set(err, ITUI_IO, "unexpected result type '%.40s'", type);
		json_decref(j);
		return ITUI_IO;
	}
	json_array_foreach(result, i, item)
	{
		json_t *value = json_object_get(item, "value");
		json_t *values = json_object_get(item, "values");
		struct series *s;

		/* Native histograms carry histogram(s) instead: skipped. */
		if (value == NULL && values == NULL)
			continue;
		s = add_series(out, json_object_get(item, "metric"));
		if (value != NULL) {
			s->v = xcalloc(1, sizeof *s->v);
			if (read_sample(value, &s->v[0]) == 0)
				s->n = 1;
		} else if (json_is_array(values)) {
			json_t *pair;

			s->v =
			    xcalloc(json_array_size(values) + 1, sizeof *s->v);
			json_array_foreach(values, k, pair)
			{
				if (read_sample(pair, &s->v[s->n]) == 0)
					s->n++;
			}
		}
	}
	json_decref(j);
	return ITUI_OK;
}

void
alerts_free(struct alert_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		struct alert *a = &l->v[i];

		free(a->key);
		free(a->name);
		free(a->labels);
		free(a->annotations);
		free(a->summary);
		free(a->severity);
		free(a->url);
		free(a->fingerprint);
		free(a->am_state);
		free(a->silenced_by);
		free(a->inhibited_by);
		free(a->group_key);
		free(a->external_url);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

char *
alert_identity(const char *labels, const char *const *ignore)
{
	json_t *j = json_loads(labels, 0, NULL);
	char *s;

	if (!json_is_object(j)) {
		json_decref(j);
		return xstrdup(labels);
	}
	for (; ignore != NULL && *ignore != NULL; ignore++)
		json_object_del(j, *ignore);
	s = sorted_labels(j);
	json_decref(j);
	return s;
}

void
alerts_rekey(struct alert_list *l, const char *const *ignore)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].key);
		l->v[i].key = alert_identity(l->v[i].labels, ignore);
	}
}

void
alerts_merge(struct alert_list *into, struct alert_list *from)
{
	size_t i, k;

	for (i = 0; i < from->n; i++) {
		struct alert *f = &from->v[i], *dup = NULL;

		for (k = 0; k < into->n && dup == NULL; k++)
			if (strcmp(into->v[k].key, f->key) == 0)
				dup = &into->v[k];
		if (dup == NULL) {
			into->v = xreallocarray(into->v, into->n + 1,
			                        sizeof *into->v);
			into->v[into->n++] = *f;
			memset(f, 0, sizeof *f);
			continue;
		}
		/* Alertmanager's copy is the truth for identity and state. */
		if (f->fingerprint != NULL && dup->fingerprint == NULL) {
			struct alert t = *dup;

			if (f->url == NULL) {
				f->url = t.url;
				t.url = NULL;
			}
			if (f->since == 0)
				f->since = t.since;
			*dup = *f;
			*f = t;
		}
	}
	alerts_free(from);
}

int
grafana_state_firing(const char *s)
{
	/*
	 * ngalert's state.State strings, with a reason in parentheses where
	 * there is one ("Alerting (NoData)", "Alerting (Error)"): Alerting,
	 * NoData, Error and Recovering notify; Normal and Pending do not.
	 */
	if (s == NULL)
		return 0;
	return strncmp(s, "Alerting", 8) == 0 || strcmp(s, "alerting") == 0 ||
	       strncmp(s, "NoData", 6) == 0 || strncmp(s, "Error", 5) == 0 ||
	       strncmp(s, "Recovering", 10) == 0 || strcmp(s, "firing") == 0;
}

static char *
join_ids(json_t *arr)
{
	char buf[512] = "";
	json_t *x;
	size_t i;

	json_array_foreach(arr, i, x)
	{
		if (json_is_string(x) && strlen(buf) + 2 < sizeof buf)
			snprintf(buf + strlen(buf), sizeof buf - strlen(buf),
			         "%s%s", buf[0] ? "," : "",
			         json_string_value(x));
	}
	return buf[0] ? xstrdup(buf) : NULL;
}

static struct alert *
add_alert(struct alert_list *l, json_t *labels, json_t *ann, const char *since,
          const char *url)
{
	struct alert *a;
	const char *name =
	    json_string_value(json_object_get(labels, "alertname"));
	const char *sum = json_string_value(json_object_get(ann, "summary"));
	const char *sev =
	    json_string_value(json_object_get(labels, "severity"));
	int64_t t;

	if (sum == NULL)
		sum = json_string_value(json_object_get(ann, "description"));
	l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
	a = &l->v[l->n++];
	memset(a, 0, sizeof *a);
	a->labels = sorted_labels(labels);
	a->key = xstrdup(a->labels);
	a->annotations = sorted_labels(ann);
	a->name = xstrdup(name ? name : "unnamed alert");
	a->summary = xstrdup(sum ? sum : a->name);
	a->severity = xstrdup_or_null(sev);
	a->url = xstrdup_or_null(url);
	a->since =
	    since != NULL && time_parse_rfc3339(since, &t, NULL) == 0 ? t : 0;
	a->ends_at = INT64_MIN;
	return a;
}

enum itui_code
prom_parse_alerts(long status, const char *body, size_t len,
                  struct alert_list *out, struct itui_err *err)
{
	json_t *j, *arr, *a;
	size_t i;

	memset(out, 0, sizeof *out);
	if ((j = load(status, body, len, 1, err)) == NULL)
		return err->code;
	arr = json_object_get(json_object_get(j, "data"), "alerts");
	if (!json_is_array(arr)) {
		json_decref(j);
		return err_set(err, ITUI_IO, "reply has no data.alerts list");
	}
	json_array_foreach(arr, i, a)
	{
		const char *state =
		    json_string_value(json_object_get(a, "state"));

		/* Prometheus says firing; Grafana formats its own states. */
		if (!grafana_state_firing(state))
			continue;
		if (!json_is_object(json_object_get(a, "labels")))
			continue;
		add_alert(out, json_object_get(a, "labels"),
		          json_object_get(a, "annotations"),
		          json_string_value(json_object_get(a, "activeAt")),
		          NULL);
	}
	json_decref(j);
	return ITUI_OK;
}

enum itui_code
am_parse_alerts(long status, const char *body, size_t len,
                struct alert_list *out, struct itui_err *err)
{
	json_t *j, *a;
	size_t i;

	memset(out, 0, sizeof *out);
	if ((j = load(status, body, len, 0, err)) == NULL)
		return err->code;
	if (!json_is_array(j)) {
		json_decref(j);
		return err_set(err, ITUI_IO, "expected a list of alerts");
	}
	json_array_foreach(j, i, a)
	{
		json_t *st = json_object_get(a, "status");
		const char *state =
		    json_string_value(json_object_get(st, "state"));
		struct alert *al;

		/* Suppressed alerts are kept: silenced is not resolved. */
		if (!json_is_object(json_object_get(a, "labels")))
			continue;
		al = add_alert(
		    out, json_object_get(a, "labels"),
		    json_object_get(a, "annotations"),
		    json_string_value(json_object_get(a, "startsAt")),
		    json_string_value(json_object_get(a, "generatorURL")));
		al->fingerprint = xstrdup_or_null(
		    json_string_value(json_object_get(a, "fingerprint")));
		al->am_state = xstrdup(state ? state : "active");
		al->silenced_by = join_ids(json_object_get(st, "silencedBy"));
		al->inhibited_by = join_ids(json_object_get(st, "inhibitedBy"));
	}
	json_decref(j);
	return ITUI_OK;
}

enum itui_code
webhook_parse(enum webhook_kind kind, const char *body, size_t len,
              struct alert_list *out, struct itui_err *err)
{
	json_error_t je;
	json_t *j, *arr, *a;
	const char *version, *gk, *ext;
	size_t i;

	memset(out, 0, sizeof *out);
	j = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
	if (j == NULL)
		return err_set(err, ITUI_INPUT,
		               "bad JSON at line %d column %d: %s", je.line,
		               je.column, je.text);
	version = json_string_value(json_object_get(j, "version"));
	arr = json_object_get(j, "alerts");
	if (kind == WEBHOOK_ALERTMANAGER &&
	    (version == NULL || strcmp(version, "4") != 0)) {
		err_set(err, ITUI_INPUT,
		        "not an Alertmanager webhook payload (version \"4\" "
		        "expected, got %s%.20s%s)",
		        version ? "\"" : "", version ? version : "none",
		        version ? "\"" : "");
		json_decref(j);
		return ITUI_INPUT;
	}
	if (kind == WEBHOOK_GRAFANA && json_object_get(j, "orgId") == NULL &&
	    version == NULL) {
		json_decref(j);
		return err_set(err, ITUI_INPUT,
		               "not a Grafana webhook payload (no orgId or "
		               "version)");
	}
	if (!json_is_array(arr)) {
		json_decref(j);
		return err_set(err, ITUI_INPUT,
		               "the payload has no alerts list");
	}
	gk = json_string_value(json_object_get(j, "groupKey"));
	ext = json_string_value(json_object_get(j, "externalURL"));
	json_array_foreach(arr, i, a)
	{
		const char *st =
		    json_string_value(json_object_get(a, "status"));
		const char *ends =
		    json_string_value(json_object_get(a, "endsAt"));
		json_t *labels = json_object_get(a, "labels");
		struct alert *al;
		int64_t t;

		if (!json_is_object(labels) || st == NULL ||
		    (strcmp(st, "firing") != 0 &&
		     strcmp(st, "resolved") != 0)) {
			json_decref(j);
			alerts_free(out);
			return err_set(
			    err, ITUI_INPUT,
			    "alert %zu: needs labels and a status of "
			    "firing or resolved",
			    i);
		}
		al = add_alert(
		    out, labels, json_object_get(a, "annotations"),
		    json_string_value(json_object_get(a, "startsAt")),
		    json_string_value(json_object_get(a, "generatorURL")));
		al->fingerprint = xstrdup_or_null(
		    json_string_value(json_object_get(a, "fingerprint")));
		al->resolved = strcmp(st, "resolved") == 0;
		al->group_key = xstrdup_or_null(gk);
		al->external_url = xstrdup_or_null(ext);
		/* A firing alert's endsAt is 0001-01-01: open-ended. */
		if (ends != NULL && strncmp(ends, "0001-", 5) != 0 &&
		    time_parse_rfc3339(ends, &t, NULL) == 0)
			al->ends_at = t;
	}
	json_decref(j);
	return ITUI_OK;
}
