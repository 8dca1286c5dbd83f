/*
 * metrics.c - queries, alerts and annotations against the monitoring
 * servers, using http.c for transport and prom.c for parsing.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "itui/http.h"
#include "itui/metrics.h"
#include "itui/strbuf.h"
#include "itui/timeutil.h"
#include "itui/xalloc.h"

int
metrics_configured(const struct config *cfg)
{
	return cfg->prometheus.url != NULL || cfg->alertmanager.url != NULL ||
	       cfg->grafana.url != NULL;
}

/* The token from the environment or a private file, never argv or the DB. */
static void
load_token(struct metrics *m)
{
	const struct config *c = m->cfg;
	const char *env =
	    c->grafana.token_env ? c->grafana.token_env : "GRAFANA_TOKEN";
	const char *v;

	if (c->grafana.token_file != NULL) {
		struct stat st;
		char buf[1024];
		ssize_t n;
		int fd = open(c->grafana.token_file, O_RDONLY | O_CLOEXEC);

		if (fd < 0 || fstat(fd, &st) != 0) {
			snprintf(m->token_problem, sizeof m->token_problem,
			         "token_file %s: %s", c->grafana.token_file,
			         strerror(errno));
			if (fd >= 0)
				close(fd);
			return;
		}
		if (st.st_mode & 077) {
			snprintf(
			    m->token_problem, sizeof m->token_problem,
			    "token_file %s is readable by others; chmod 600 it",
			    c->grafana.token_file);
			close(fd);
			return;
		}
		n = read(fd, buf, sizeof buf - 1);
		close(fd);
		if (n > 0) {
			buf[n] = '\0';
			buf[strcspn(buf, "\r\n")] = '\0';
			m->grafana_token = xstrdup(buf);
		}
		return;
	}
	v = getenv(env);
	if (v != NULL && *v != '\0')
		m->grafana_token = xstrdup(v);
}

enum itui_code
metrics_init(struct metrics *m, const struct config *cfg,
             const _Atomic int *stop, struct itui_err *err)
{
	memset(m, 0, sizeof *m);
	m->cfg = cfg;
	if (http_global_init(err) != ITUI_OK)
		return err->code;
	m->http = http_client_new(stop);
	if (m->http == NULL)
		return err_set(err, ITUI_IO, "could not start an HTTP client");
	if (cfg->grafana.url != NULL)
		load_token(m);
	return ITUI_OK;
}

void
metrics_free(struct metrics *m)
{
	http_client_free(m->http);
	if (m->grafana_token != NULL) {
		memset(m->grafana_token, 0, strlen(m->grafana_token));
		free(m->grafana_token);
	}
	memset(m, 0, sizeof *m);
}

static long
timeout_ms(const struct metrics *m)
{
	return m->cfg->prometheus.timeout > 0
	           ? (long)m->cfg->prometheus.timeout * 1000
	           : 10000;
}

/* Performs a request, filling res on failure; 0 or -1. */
static int
request(struct metrics *m, const char *method, const char *url,
        const char *body, const char *ctype, int grafana,
        struct http_response *resp, struct source_result *res)
{
	const char *headers[4];
	char auth[1200], ct[128];
	struct itui_err err;
	struct http_request rq = {method, url,  headers,
	                          body,   3000, timeout_ms(m)};
	int n = 0;

	headers[n++] = "Accept: application/json";
	if (ctype != NULL) {
		snprintf(ct, sizeof ct, "Content-Type: %s", ctype);
		headers[n++] = ct;
	}
	if (grafana && m->grafana_token != NULL) {
		snprintf(auth, sizeof auth, "Authorization: Bearer %s",
		         m->grafana_token);
		headers[n++] = auth;
	}
	headers[n] = NULL;
	if (http_do(m->http, &rq, resp, &err) != ITUI_OK) {
		res->ok = 0;
		snprintf(res->detail, sizeof res->detail, "%s", err.msg);
		return -1;
	}
	res->retry_after = resp->retry_after;
	return 0;
}

/* The Prometheus API base: direct, or through Grafana's datasource proxy. */
static char *
prom_base(const struct metrics *m, int *grafana)
{
	const struct config *c = m->cfg;

	*grafana = 0;
	if (c->prometheus.url != NULL)
		return xstrdup(c->prometheus.url);
	if (c->grafana.url != NULL && c->grafana.datasource != NULL) {
		*grafana = 1;
		return xasprintf("%s/api/datasources/proxy/uid/%s",
		                 c->grafana.url, c->grafana.datasource);
	}
	return NULL;
}

static json_t *
value_json(double v)
{
	char buf[40];

	/* Prometheus's own spelling keeps NaN and the infinities. */
	if (isnan(v))
		return json_string("NaN");
	if (isinf(v))
		return json_string(v > 0 ? "+Inf" : "-Inf");
	snprintf(buf, sizeof buf, "%.17g", v);
	return json_string(buf);
}

static json_t *grafana_reply(struct http_response *resp,
                             struct source_result *res);
static json_t *grafana_call(struct metrics *m, const char *method,
                            const char *path, const char *body, int auth,
                            struct source_result *res, struct itui_err *err);

static json_t *
series_json(const struct prom_result *r, int range)
{
	json_t *arr = json_array();
	size_t i, k;

	for (i = 0; i < r->n; i++) {
		json_t *o = json_object(), *labels;

		labels = json_loads(r->s[i].labels, 0, NULL);
		json_object_set_new(o, "labels",
		                    labels ? labels : json_object());
		if (!range) {
			json_object_set_new(o, "value",
			                    r->s[i].n > 0
			                        ? value_json(r->s[i].v[0].v)
			                        : json_null());
		} else {
			json_t *vals = json_array();

			for (k = 0; k < r->s[i].n; k++) {
				json_t *pair = json_array();

				json_array_append_new(
				    pair, json_real(r->s[i].v[k].t));
				json_array_append_new(
				    pair, value_json(r->s[i].v[k].v));
				json_array_append_new(vals, pair);
			}
			json_object_set_new(o, "values", vals);
		}
		json_array_append_new(arr, o);
	}
	return arr;
}

/* One query, instant or range; returns the parsed result or an error. */
static int
run_query(struct metrics *m, const char *base, int grafana, const char *expr,
          int64_t now, int64_t range, int64_t step, struct prom_result *out,
          struct source_result *res)
{
	struct http_response resp;
	struct itui_err err;
	char *url, *q = http_escape(m->http, expr), *body;
	long tmo = timeout_ms(m) / 1000 - 1;
	int rc;

	if (tmo < 1)
		tmo = 1;
	/* POST, form-encoded: long queries fit; a server timeout a little
	 * below ours frees the server when we give up. */
	if (range > 0) {
		int64_t min_step = (range + 10999) / 11000;

		if (step < min_step)
			step = min_step;
		url = xasprintf("%s/api/v1/query_range", base);
		body = xasprintf(
		    "query=%s&start=%lld&end=%lld&step=%lld&timeout=%lds", q,
		    (long long)(now - range), (long long)now, (long long)step,
		    tmo);
	} else {
		url = xasprintf("%s/api/v1/query", base);
		body = xasprintf("query=%s&time=%lld&timeout=%lds", q,
		                 (long long)now, tmo);
	}
	free(q);
	rc = request(m, "POST", url, body, "application/x-www-form-urlencoded",
	             grafana, &resp, res);
	free(url);
	free(body);
	if (rc != 0)
		return -1;
	if (prom_parse_query(resp.status, resp.body, resp.len, out, &err) !=
	    ITUI_OK) {
		snprintf(res->detail, sizeof res->detail, "%s", err.msg);
		http_response_free(&resp);
		/* The server answered: a bad query is not a source outage. */
		res->ok = resp.status >= 500 || resp.status == 0 ? 0 : 1;
		return -1;
	}
	http_response_free(&resp);
	return 0;
}

static void
summarise(struct strbuf *sb, const char *name, const char *unit,
          const struct prom_result *r)
{
	char v[40];

	if (sb->len > 0)
		strbuf_addstr(sb, "; ");
	if (r->n == 0) {
		strbuf_addf(sb, "%s: no data", name);
		return;
	}
	if (r->s[0].n == 0 || isnan(r->s[0].v[0].v))
		snprintf(v, sizeof v, "NaN");
	else if (isinf(r->s[0].v[0].v))
		snprintf(v, sizeof v, "%sInf", r->s[0].v[0].v > 0 ? "+" : "-");
	else
		snprintf(v, sizeof v, "%.4g", r->s[0].v[0].v);
	strbuf_addf(sb, "%s %s%s%s", name, v, unit ? " " : "",
	            unit ? unit : "");
	if (r->n > 1)
		strbuf_addf(sb, " (%zu series)", r->n);
}

/*
 * A Grafana dashboard snapshot whose panels hold the data we queried:
 * Grafana runs no queries for a snapshot, so each panel's expression is run
 * here and embedded as snapshotData frames, with an absolute time range and
 * no template variables.  Returns the snapshot's URL, or NULL.
 */
static char *
grafana_snapshot(struct metrics *m, const char *base, int via_grafana,
                 int64_t now, int64_t range, const char *name,
                 struct source_result *res)
{
	const struct config *c = m->cfg;
	json_t *j, *dash, *panels, *panel, *body, *tr;
	char *b, tb[TIME_BUF], *link = NULL;
	size_t i;

	{
		char path[300];
		struct itui_err e;

		snprintf(path, sizeof path, "/api/dashboards/uid/%s",
		         c->grafana.dashboard);
		j = grafana_call(m, "GET", path, NULL, 1, res, &e);
	}
	dash = json_object_get(j, "dashboard");
	if (!json_is_object(dash)) {
		if (j != NULL)
			snprintf(res->detail, sizeof res->detail,
			         "dashboard %s: no dashboard in the reply",
			         c->grafana.dashboard);
		json_decref(j);
		return NULL;
	}
	panels = json_object_get(dash, "panels");
	json_array_foreach(panels, i, panel)
	{
		json_t *targets = json_object_get(panel, "targets"), *t;
		json_t *frames = json_array();
		size_t k;

		json_array_foreach(targets, k, t)
		{
			const char *expr =
			    json_string_value(json_object_get(t, "expr"));
			const char *ref =
			    json_string_value(json_object_get(t, "refId"));
			struct prom_result r;
			size_t n, q;

			/* Template variables cannot be resolved outside
			 * Grafana. */
			if (expr == NULL || strchr(expr, '$') != NULL)
				continue;
			if (run_query(m, base, via_grafana, expr, now, range,
			              range / 100 > 0 ? range / 100 : 1, &r,
			              res) != 0)
				continue;
			for (n = 0; n < r.n; n++) {
				json_t *f = json_object(),
				       *fields = json_array();
				json_t *tf = json_object(), *vf = json_object();
				json_t *tv = json_array(), *vv = json_array();
				json_t *labels =
				    json_loads(r.s[n].labels, 0, NULL);

				for (q = 0; q < r.s[n].n; q++) {
					double v = r.s[n].v[q].v;

					json_array_append_new(
					    tv, json_integer(
					            (json_int_t)(r.s[n].v[q].t *
					                         1000)));
					/* JSON has no NaN: a gap in the line.
					 */
					json_array_append_new(
					    vv, isfinite(v) ? json_real(v)
					                    : json_null());
				}
				json_object_set_new(tf, "name",
				                    json_string("Time"));
				json_object_set_new(tf, "type",
				                    json_string("time"));
				json_object_set_new(tf, "values", tv);
				json_object_set_new(vf, "name",
				                    json_string("Value"));
				json_object_set_new(vf, "type",
				                    json_string("number"));
				json_object_set_new(vf, "labels",
				                    labels ? labels
				                           : json_object());
				json_object_set_new(vf, "values", vv);
				json_array_append_new(fields, tf);
				json_array_append_new(fields, vf);
				json_object_set_new(
				    f, "refId", json_string(ref ? ref : "A"));
				json_object_set_new(f, "fields", fields);
				json_array_append_new(frames, f);
			}
			prom_result_free(&r);
		}
		json_object_set_new(panel, "snapshotData", frames);
	}
	tr = json_object();
	json_object_set_new(tr, "from",
	                    json_string(time_format_iso(now - range, tb)));
	json_object_set_new(tr, "to", json_string(time_format_iso(now, tb)));
	json_object_set_new(dash, "time", tr);
	json_object_set_new(dash, "templating", json_pack("{s:[]}", "list"));
	json_object_set_new(dash, "id", json_null());
	body = json_object();
	json_object_set(body, "dashboard", dash);
	json_object_set_new(body, "name", json_string(name));
	json_object_set_new(body, "expires", json_integer(0));
	b = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	json_decref(j);
	{
		struct itui_err e;

		j = grafana_call(m, "POST", "/api/snapshots", b, 1, res, &e);
		if (json_is_string(json_object_get(j, "url")))
			link = xstrdup(
			    json_string_value(json_object_get(j, "url")));
		json_decref(j);
	}
	free(b);
	return link;
}

enum itui_code
metrics_snapshot(struct metrics *m, const char *service, int64_t now,
                 char **data, char **text, struct source_result *src,
                 struct itui_err *err)
{
	const struct config *c = m->cfg;
	json_t *root = json_object(), *queries = json_array();
	struct strbuf sum = STRBUF_INIT;
	int grafana, ran = 0, tried = 0;
	char *base = prom_base(m, &grafana), tb[TIME_BUF];
	size_t i;

	*data = *text = NULL;
	memset(src, 0, sizeof *src);
	src->name = grafana ? "grafana" : "prometheus";
	src->ok = 1;
	src->retry_after = -1;
	if (base == NULL) {
		json_decref(root);
		json_decref(queries);
		return err_set(
		    err, ITUI_CONFIG,
		    "no Prometheus configured ([prometheus] url, or [grafana] "
		    "url and datasource)");
	}
	for (i = 0; i < c->nqueries; i++) {
		const struct config_query *q = &c->queries[i];
		struct prom_result r;
		json_t *o;

		if (q->service != NULL &&
		    (service == NULL || strcmp(q->service, service) != 0))
			continue;
		tried++;
		o = json_object();
		json_object_set_new(o, "name", json_string(q->name));
		json_object_set_new(o, "expr", json_string(q->expr));
		json_object_set_new(
		    o, "unit", q->unit ? json_string(q->unit) : json_null());
		if (run_query(m, base, grafana, q->expr, now, 0, 0, &r, src) ==
		    0) {
			ran++;
			json_object_set_new(o, "result_type",
			                    json_string(r.type));
			json_object_set_new(o, "series", series_json(&r, 0));
			summarise(&sum, q->name, q->unit, &r);
			prom_result_free(&r);
			if (q->range > 0 &&
			    run_query(m, base, grafana, q->expr, now, q->range,
			              q->step > 0 ? q->step : q->range / 60, &r,
			              src) == 0) {
				json_t *rg = json_object();

				json_object_set_new(
				    rg, "start", json_integer(now - q->range));
				json_object_set_new(rg, "end",
				                    json_integer(now));
				json_object_set_new(rg, "series",
				                    series_json(&r, 1));
				json_object_set_new(o, "range", rg);
				prom_result_free(&r);
			}
			json_object_set_new(o, "error", json_null());
		} else {
			json_object_set_new(o, "error",
			                    json_string(src->detail));
			if (sum.len > 0)
				strbuf_addstr(&sum, "; ");
			strbuf_addf(&sum, "%s: failed", q->name);
		}
		json_array_append_new(queries, o);
	}
	free(base);
	if (tried == 0) {
		json_decref(root);
		json_decref(queries);
		strbuf_free(&sum);
		return err_set(err, ITUI_CONFIG,
		               "no [query NAME] applies to this incident%s%s",
		               service ? "'s service " : "",
		               service ? service : "");
	}
	if (ran == 0) {
		json_decref(root);
		json_decref(queries);
		strbuf_free(&sum);
		return err_set(err, ITUI_IO, "%s: %s", src->name, src->detail);
	}
	/* A Grafana snapshot link, when a dashboard is configured. */
	if (c->grafana.url != NULL && c->grafana.dashboard != NULL &&
	    m->grafana_token != NULL) {
		struct source_result gres = {"grafana", 1, "", -1};
		int64_t range = 3600;
		char *link, *base2 = prom_base(m, &grafana);

		for (i = 0; i < c->nqueries; i++)
			if (c->queries[i].range > range)
				range = c->queries[i].range;
		link = grafana_snapshot(m, base2, grafana, now, range,
		                        "incident-tui snapshot", &gres);
		free(base2);
		json_object_set_new(
		    root, "grafana",
		    link ? json_pack("{s:s}", "snapshot_url", link)
		         : json_pack("{s:s}", "error",
		                     gres.detail[0] ? gres.detail : "no link"));
		if (link != NULL)
			strbuf_addstr(&sum, " (Grafana snapshot)");
		free(link);
	}
	json_object_set_new(root, "source", json_string(src->name));
	json_object_set_new(root, "taken_at",
	                    json_string(time_format_iso(now, tb)));
	json_object_set_new(root, "queries", queries);
	*data = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	*text = xasprintf("Snapshot: %s", strbuf_str(&sum));
	strbuf_free(&sum);
	return ITUI_OK;
}

static void
merge(struct alert_list *into, struct alert_list *from)
{
	size_t i, k;

	for (i = 0; i < from->n; i++) {
		int dup = 0;

		for (k = 0; k < into->n && !dup; k++)
			dup = strcmp(into->v[k].key, from->v[i].key) == 0;
		if (dup)
			continue;
		into->v = xreallocarray(into->v, into->n + 1, sizeof *into->v);
		into->v[into->n++] = from->v[i];
		memset(&from->v[i], 0, sizeof from->v[i]);
	}
	alerts_free(from);
}

static void
poll_alerts(struct metrics *m, const char *name, const char *url, int grafana,
            int am, struct alert_list *all, struct source_result *res)
{
	struct http_response resp;
	struct alert_list l;
	struct itui_err err;
	enum itui_code rc;

	memset(res, 0, sizeof *res);
	res->name = name;
	res->ok = 1;
	res->retry_after = -1;
	if (request(m, "GET", url, NULL, NULL, grafana, &resp, res) != 0)
		return;
	rc = am ? am_parse_alerts(resp.status, resp.body, resp.len, &l, &err)
	        : prom_parse_alerts(resp.status, resp.body, resp.len, &l, &err);
	if (rc != ITUI_OK) {
		res->ok = 0;
		snprintf(res->detail, sizeof res->detail, "%s", err.msg);
	} else {
		snprintf(res->detail, sizeof res->detail, "%zu firing", l.n);
		merge(all, &l);
	}
	http_response_free(&resp);
}

enum itui_code
metrics_alerts(struct metrics *m, struct alert_list *out,
               struct source_result res[METRICS_MAX_SOURCES], int *nres,
               struct itui_err *err)
{
	const struct config *c = m->cfg;
	char *url;
	int i, ok = 0;

	memset(out, 0, sizeof *out);
	*nres = 0;
	if (c->prometheus.url != NULL) {
		url = xasprintf("%s/api/v1/alerts", c->prometheus.url);
		poll_alerts(m, "prometheus", url, 0, 0, out, &res[(*nres)++]);
		free(url);
	}
	if (c->alertmanager.url != NULL) {
		url = xasprintf("%s/api/v2/alerts", c->alertmanager.url);
		poll_alerts(m, "alertmanager", url, 0, 1, out, &res[(*nres)++]);
		free(url);
	}
	if (c->grafana.url != NULL && m->grafana_token != NULL) {
		url = xasprintf("%s/api/prometheus/grafana/api/v1/alerts",
		                c->grafana.url);
		poll_alerts(m, "grafana", url, 1, 0, out, &res[(*nres)++]);
		free(url);
	}
	if (*nres == 0)
		return err_set(
		    err, ITUI_CONFIG,
		    "no alert source configured ([prometheus], [alertmanager] "
		    "or [grafana] url)");
	for (i = 0; i < *nres; i++)
		ok += res[i].ok;
	if (ok == 0)
		return err_set(err, ITUI_IO, "%s: %s", res[0].name,
		               res[0].detail);
	return ITUI_OK;
}

static int
grafana_ready(struct metrics *m, struct source_result *res,
              struct itui_err *err)
{
	memset(res, 0, sizeof *res);
	res->name = "grafana";
	res->retry_after = -1;
	res->ok = 1;
	if (m->cfg->grafana.url == NULL) {
		err_set(err, ITUI_CONFIG, "no [grafana] url configured");
		return 0;
	}
	if (m->token_problem[0] != '\0') {
		res->ok = 0;
		snprintf(res->detail, sizeof res->detail, "%s",
		         m->token_problem);
		err_set(err, ITUI_CONFIG, "grafana: %s", m->token_problem);
		return 0;
	}
	return 1;
}

/* Reads Grafana's reply: 2xx JSON object, or the error message. */
static json_t *
grafana_reply(struct http_response *resp, struct source_result *res)
{
	json_t *j;

	if (resp->status < 200 || resp->status > 299) {
		prom_error_message(resp->status, resp->body, resp->len,
		                   res->detail, sizeof res->detail);
		/* 4xx: we were answered and told no; the server is up. */
		res->ok = resp->status < 500 && resp->status != 429;
		if (resp->status == 401 || resp->status == 403)
			res->ok = 0;
		return NULL;
	}
	j = json_loadb(resp->body, resp->len, 0, NULL);
	if (!json_is_object(j)) {
		json_decref(j);
		res->ok = 0;
		snprintf(res->detail, sizeof res->detail,
		         "HTTP %ld: not a JSON object", resp->status);
		return NULL;
	}
	return j;
}

/*
 * One Grafana API call: METHOD base/path with an optional JSON body and the
 * token; the reply's JSON object, or NULL with err and res describing why.
 */
static json_t *
grafana_call(struct metrics *m, const char *method, const char *path,
             const char *body, int auth, struct source_result *res,
             struct itui_err *err)
{
	struct http_response resp;
	char *url = xasprintf("%s%s", m->cfg->grafana.url, path);
	json_t *j = NULL;

	if (request(m, method, url, body, body ? "application/json" : NULL,
	            auth, &resp, res) == 0) {
		j = grafana_reply(&resp, res);
		http_response_free(&resp);
	}
	free(url);
	if (j == NULL)
		err_set(err, ITUI_IO, "grafana: %s", res->detail);
	return j;
}

enum itui_code
metrics_grafana_health(struct metrics *m, struct source_result *res,
                       struct itui_err *err)
{
	const char *db, *version;
	json_t *j;

	if (!grafana_ready(m, res, err))
		return err->code;
	/* Health needs no token. */
	if ((j = grafana_call(m, "GET", "/api/health", NULL, 0, res, err)) ==
	    NULL) {
		res->ok = 0;
		return err->code;
	}
	db = json_string_value(json_object_get(j, "database"));
	version = json_string_value(json_object_get(j, "version"));
	res->ok = db != NULL && strcmp(db, "ok") == 0;
	snprintf(res->detail, sizeof res->detail, "database %s, version %s",
	         db ? db : "?", version ? version : "?");
	json_decref(j);
	return res->ok ? ITUI_OK
	               : err_set(err, ITUI_IO, "grafana: %s", res->detail);
}

enum itui_code
metrics_annotate(struct metrics *m, int64_t at_ms, const char *text,
                 const char *const *tags, int64_t *id,
                 struct source_result *res, struct itui_err *err)
{
	json_t *body, *t, *j;
	char *b;

	*id = 0;
	if (!grafana_ready(m, res, err))
		return err->code;
	body = json_object();
	t = json_array();
	for (; tags != NULL && *tags != NULL; tags++)
		json_array_append_new(t, json_string(*tags));
	if (m->cfg->grafana.dashboard != NULL)
		json_object_set_new(body, "dashboardUID",
		                    json_string(m->cfg->grafana.dashboard));
	/* Milliseconds: seconds are accepted and land in 1970. */
	json_object_set_new(body, "time", json_integer(at_ms));
	json_object_set_new(body, "tags", t);
	json_object_set_new(body, "text", json_string(text));
	b = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	j = grafana_call(m, "POST", "/api/annotations", b, 1, res, err);
	free(b);
	if (j == NULL)
		return err->code;
	if (json_is_integer(json_object_get(j, "id")))
		*id = json_integer_value(json_object_get(j, "id"));
	json_decref(j);
	return ITUI_OK;
}

enum itui_code
metrics_annotate_region(struct metrics *m, int64_t id, int64_t start_ms,
                        int64_t end_ms, struct source_result *res,
                        struct itui_err *err)
{
	char path[64], body[96];
	json_t *j;

	if (!grafana_ready(m, res, err))
		return err->code;
	snprintf(path, sizeof path, "/api/annotations/%lld", (long long)id);
	snprintf(body, sizeof body, "{\"time\":%lld,\"timeEnd\":%lld}",
	         (long long)start_ms, (long long)end_ms);
	if ((j = grafana_call(m, "PATCH", path, body, 1, res, err)) == NULL)
		return err->code;
	json_decref(j);
	return ITUI_OK;
}
