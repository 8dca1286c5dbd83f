/*
 * metrics.c - queries, alerts and annotations against the monitoring
 * servers, using http.c for transport and prom.c for parsing.
 */
#include <ctype.h>
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
#include "itui/metricentry.h"
#include "itui/spark.h"
#include "itui/strbuf.h"
#include "itui/timeutil.h"
#include "itui/xalloc.h"

int
metrics_configured(const struct config *cfg)
{
	return cfg->prometheus.url != NULL || cfg->alertmanager.url != NULL ||
	       cfg->grafana.url != NULL;
}

const char *const metrics_default_ignore_labels[] = {
    "cluster", "replica", "prometheus", "prometheus_replica", NULL};

/*
 * A secret from a private file: the first line.  NULL with `problem` set
 * when it cannot be read or others may read it.
 */
char *
metrics_read_secret(const char *key, const char *path, char *problem,
                    size_t size)
{
	struct stat st;
	char buf[1024];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st) != 0) {
		snprintf(problem, size, "%s %s: %s", key, path,
		         strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	if (st.st_mode & 077) {
		snprintf(problem, size,
		         "%s %s is readable by others; chmod 600 it", key,
		         path);
		close(fd);
		return NULL;
	}
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0) {
		snprintf(problem, size, "%s %s is empty", key, path);
		return NULL;
	}
	buf[n] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	{
		char *v = xstrdup(buf);

		memset(buf, 0, sizeof buf);
		return v;
	}
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
		m->grafana_token = metrics_read_secret(
		    "token_file", c->grafana.token_file, m->token_problem,
		    sizeof m->token_problem);
		return;
	}
	v = getenv(env);
	if (v != NULL && *v != '\0')
		m->grafana_token = xstrdup(v);
}

static char *
base64(const char *s)
{
	static const char t[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t n = strlen(s), i, k = 0;
	char *out = xcalloc(1, (n + 2) / 3 * 4 + 1);

	for (i = 0; i < n; i += 3) {
		unsigned v = (unsigned)(unsigned char)s[i] << 16;

		if (i + 1 < n)
			v |= (unsigned)(unsigned char)s[i + 1] << 8;
		if (i + 2 < n)
			v |= (unsigned char)s[i + 2];
		out[k++] = t[(v >> 18) & 63];
		out[k++] = t[(v >> 12) & 63];
		out[k++] = i + 1 < n ? t[(v >> 6) & 63] : '=';
		out[k++] = i + 2 < n ? t[v & 63] : '=';
	}
	return out;
}

static void add_secret(struct metrics *m, const char *s);

/* user:password as basic auth puts it on the wire: a secret too. */
static void
add_encoded(struct metrics *m, const char *userpwd)
{
	size_t i;

	for (i = 0; i < 8; i++)
		if (m->encoded[i] == NULL) {
			m->encoded[i] = base64(userpwd);
			add_secret(m, m->encoded[i]);
			return;
		}
}

static void
add_secret(struct metrics *m, const char *s)
{
	size_t i;

	for (i = 0; i + 1 < sizeof m->secrets / sizeof m->secrets[0]; i++)
		if (m->secrets[i] == NULL) {
			m->secrets[i] = s;
			return;
		}
}

/* user:password@ in a configured URL: both are secrets to scrub. */
static void
url_secrets(struct metrics *m, const char *url)
{
	const char *p = url ? strstr(url, "://") : NULL, *at, *colon;
	size_t n, i;

	if (p == NULL)
		return;
	p += 3;
	n = strcspn(p, "/?#");
	at = memchr(p, '@', n);
	if (at == NULL)
		return;
	for (i = 0; i < 6 && m->url_secrets[i] != NULL; i++)
		;
	if (i + 2 > 6)
		return;
	m->url_secrets[i] = xasprintf("%.*s", (int)(at - p), p);
	add_secret(m, m->url_secrets[i]);
	add_encoded(m, m->url_secrets[i]);
	colon = memchr(p, ':', (size_t)(at - p));
	if (colon != NULL) {
		m->url_secrets[i + 1] =
		    xasprintf("%.*s", (int)(at - colon - 1), colon + 1);
		add_secret(m, m->url_secrets[i + 1]);
	}
}

static void
load_auth(struct metrics *m, struct metrics_auth *a,
          const struct config_auth *c)
{
	a->cfg = c;
	if (c->bearer_token_file != NULL) {
		a->token = metrics_read_secret("bearer_token_file",
		                               c->bearer_token_file, a->problem,
		                               sizeof a->problem);
		if (a->token != NULL)
			add_secret(m, a->token);
	}
	if (c->password_file != NULL) {
		char *pw =
		    metrics_read_secret("password_file", c->password_file,
		                        a->problem, sizeof a->problem);

		if (pw != NULL) {
			a->userpwd = xasprintf(
			    "%s:%s", c->username ? c->username : "", pw);
			/* The password alone, and as basic auth sends it. */
			add_secret(m, a->userpwd);
			add_encoded(m, a->userpwd);
			add_secret(
			    m, a->userpwd +
			           strlen(c->username ? c->username : "") + 1);
			free(pw);
		}
	}
}

void
metrics_scrub(const struct metrics *m, char *msg, size_t size)
{
	http_scrub(msg, size, m->secrets);
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
	if (cfg->grafana.url != NULL) {
		load_token(m);
		if (m->grafana_token != NULL)
			add_secret(m, m->grafana_token);
	}
	load_auth(m, &m->auth[MSRC_PROMETHEUS], &cfg->prometheus.auth);
	load_auth(m, &m->auth[MSRC_ALERTMANAGER], &cfg->alertmanager.auth);
	load_auth(m, &m->auth[MSRC_GRAFANA], &cfg->grafana.auth);
	url_secrets(m, cfg->prometheus.url);
	url_secrets(m, cfg->grafana.url);
	for (size_t i = 0; i < cfg->alertmanager.nurls; i++)
		url_secrets(m, cfg->alertmanager.urls[i]);
	return ITUI_OK;
}

static void
wipe(char *s)
{
	if (s != NULL) {
		memset(s, 0, strlen(s));
		free(s);
	}
}

void
metrics_free(struct metrics *m)
{
	size_t i;

	http_client_free(m->http);
	wipe(m->grafana_token);
	for (i = 0; i < 3; i++) {
		wipe(m->auth[i].token);
		wipe(m->auth[i].userpwd);
	}
	for (i = 0; i < 6; i++)
		wipe(m->url_secrets[i]);
	for (i = 0; i < 8; i++)
		wipe(m->encoded[i]);
	memset(m, 0, sizeof *m);
}

static long
timeout_ms(const struct metrics *m, enum metrics_source which)
{
	const struct config_auth *a = m->auth[which].cfg;

	if (a != NULL && a->timeout > 0)
		return (long)a->timeout * 1000;
	return m->cfg->prometheus.timeout > 0
	           ? (long)m->cfg->prometheus.timeout * 1000
	           : 10000;
}

/* "permission denied" for 401/403: set on res, 1 when it was one. */
static int
denied(struct metrics *m, long status, const char *body, size_t len,
       struct source_result *res)
{
	char msg[400];

	if (status != 401 && status != 403)
		return 0;
	prom_error_message(status, body, len, msg, sizeof msg);
	metrics_scrub(m, msg, sizeof msg);
	res->ok = 0;
	res->denied = 1;
	snprintf(res->detail, sizeof res->detail,
	         "permission denied (check the token's role): %s", msg);
	return 1;
}

/* Performs a request, filling res on failure; 0 or -1. */
static int
request(struct metrics *m, const char *method, const char *url,
        const char *body, const char *ctype, enum metrics_source which,
        int send_token, struct http_response *resp, struct source_result *res)
{
	const struct metrics_auth *au = &m->auth[which];
	const char *headers[24];
	char auth[1200], ct[128];
	struct itui_err err;
	struct http_request rq = {0};
	const char *token = !send_token             ? NULL
	                    : which == MSRC_GRAFANA ? m->grafana_token
	                                            : au->token;
	int n = 0;
	size_t i;

	res->asked = 1;
	if (au->problem[0] != '\0') {
		res->ok = 0;
		snprintf(res->detail, sizeof res->detail, "%s", au->problem);
		return -1;
	}
	rq.method = method;
	rq.url = url;
	rq.headers = headers;
	rq.body = body;
	rq.connect_ms = 3000;
	rq.total_ms = timeout_ms(m, which);
	rq.userpwd = au->userpwd;
	rq.ca_file = au->cfg ? au->cfg->ca_file : NULL;
	rq.insecure = au->cfg ? au->cfg->insecure_skip_verify : 0;
	headers[n++] = "Accept: application/json";
	if (ctype != NULL) {
		snprintf(ct, sizeof ct, "Content-Type: %s", ctype);
		headers[n++] = ct;
	}
	if (token != NULL) {
		snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
		headers[n++] = auth;
	}
	for (i = 0; au->cfg != NULL && i < au->cfg->nheaders && n < 23; i++)
		headers[n++] = au->cfg->headers[i];
	headers[n] = NULL;
	if (http_do(m->http, &rq, resp, &err) != ITUI_OK) {
		memset(auth, 0, sizeof auth);
		res->ok = 0;
		snprintf(res->detail, sizeof res->detail, "%s", err.msg);
		metrics_scrub(m, res->detail, sizeof res->detail);
		return -1;
	}
	memset(auth, 0, sizeof auth);
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

static json_t *grafana_reply(struct metrics *m, struct http_response *resp,
                             struct source_result *res);
static json_t *grafana_call(struct metrics *m, const char *method,
                            const char *path, const char *body, int auth,
                            struct source_result *res, struct itui_err *err);

/* One query, instant or range; returns the parsed result or an error. */
static int
run_query(struct metrics *m, const char *base, int grafana, const char *expr,
          int64_t now, int64_t range, int64_t step, struct prom_result *out,
          struct source_result *res)
{
	struct http_response resp;
	struct itui_err err;
	char *url, *q = http_escape(m->http, expr), *body;
	long tmo =
	    timeout_ms(m, grafana ? MSRC_GRAFANA : MSRC_PROMETHEUS) / 1000 - 1;
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
	             grafana ? MSRC_GRAFANA : MSRC_PROMETHEUS, 1, &resp, res);
	free(url);
	free(body);
	if (rc != 0)
		return -1;
	if (denied(m, resp.status, resp.body, resp.len, res)) {
		http_response_free(&resp);
		return -1;
	}
	if (prom_parse_query(resp.status, resp.body, resp.len, out, &err) !=
	    ITUI_OK) {
		snprintf(res->detail, sizeof res->detail, "%s", err.msg);
		metrics_scrub(m, res->detail, sizeof res->detail);
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
	if (r->n > 1) {
		/* Every series described, not the first one alone. */
		double lo = INFINITY, hi = -INFINITY;
		char a[48], b[48];
		size_t i;

		for (i = 0; i < r->n; i++)
			if (r->s[i].n > 0 && isfinite(r->s[i].v[0].v)) {
				double x = r->s[i].v[0].v;

				lo = x < lo ? x : lo;
				hi = x > hi ? x : hi;
			}
		if (isfinite(lo)) {
			spark_format_value(lo, NULL, a, sizeof a);
			spark_format_value(hi, unit, b, sizeof b);
			strbuf_addf(sb, "%s min %s max %s, %zu series", name, a,
			            b, r->n);
			return;
		}
	}
	strbuf_addf(sb, "%s %s%s%s", name, v, unit ? " " : "",
	            unit ? unit : "");
	if (r->n > 1)
		strbuf_addf(sb, " (%zu series)", r->n);
}

/*
 * Grafana's own variables in a panel's expression, as Grafana fills them
 * for a panel over `range` seconds drawn at `step`: $__interval is the
 * step, $__rate_interval max($__interval + scrape, 4 * scrape) (scrape:
 * the query's min step, else the datasource's 15 s default), $__range the
 * whole range; also ${...}, _ms and _s forms.  NULL when another variable
 * is left (a dashboard template variable, unknown outside Grafana).
 */
static char *
grafana_expand(const char *expr, int64_t range, int64_t step, int64_t scrape)
{
	static const char *const names[] = {"__rate_interval", "__interval_ms",
	                                    "__interval",      "__range_ms",
	                                    "__range_s",       "__range"};
	int64_t rate = step + scrape > 4 * scrape ? step + scrape : 4 * scrape;
	struct strbuf sb = STRBUF_INIT;
	const char *p = expr;

	while (*p != '\0') {
		int braced = p[0] == '$' && p[1] == '{';
		const char *v = p + 1 + braced;
		size_t k, len = 0;

		if (*p != '$') {
			strbuf_addf(&sb, "%c", *p++);
			continue;
		}
		for (k = 0; k < sizeof names / sizeof names[0]; k++) {
			len = strlen(names[k]);
			if (strncmp(v, names[k], len) == 0 &&
			    (braced ? v[len] == '}'
			            : !isalnum((unsigned char)v[len]) &&
			                  v[len] != '_'))
				break;
		}
		if (k == sizeof names / sizeof names[0]) {
			strbuf_free(&sb);
			return NULL;
		}
		switch (k) {
		case 0:
			strbuf_addf(&sb, "%llds", (long long)rate);
			break;
		case 1:
			strbuf_addf(&sb, "%lld", (long long)step * 1000);
			break;
		case 2:
			strbuf_addf(&sb, "%llds", (long long)step);
			break;
		case 3:
			strbuf_addf(&sb, "%lld", (long long)range * 1000);
			break;
		case 4:
			strbuf_addf(&sb, "%lld", (long long)range);
			break;
		default:
			strbuf_addf(&sb, "%llds", (long long)range);
			break;
		}
		p = v + len + braced;
	}
	return strbuf_detach(&sb);
}

/* What one snapshot's panels are queried with. */
struct snap_ctx {
	struct metrics *m;
	const char
	    *base; /* the configured source, for the default datasource */
	int via_grafana;
	int64_t now, range, step;
	json_t *notes; /* panels not queried, and why */
	struct source_result *res;
};

/* One query's series as data frames (Grafana's snapshotData shape). */
static void
add_frames(json_t *frames, const char *ref, const struct prom_result *r)
{
	size_t n, q;

	for (n = 0; n < r->n; n++) {
		json_t *f = json_object(), *fields = json_array();
		json_t *tf = json_object(), *vf = json_object();
		json_t *tv = json_array(), *vv = json_array();
		json_t *labels = json_loads(r->s[n].labels, 0, NULL);

		for (q = 0; q < r->s[n].n; q++) {
			double v = r->s[n].v[q].v;

			json_array_append_new(
			    tv,
			    json_integer((json_int_t)(r->s[n].v[q].t * 1000)));
			/* JSON has no NaN: a gap in the line. */
			json_array_append_new(vv, isfinite(v) ? json_real(v)
			                                      : json_null());
		}
		json_object_set_new(tf, "name", json_string("Time"));
		json_object_set_new(tf, "type", json_string("time"));
		json_object_set_new(tf, "values", tv);
		json_object_set_new(vf, "name", json_string("Value"));
		json_object_set_new(vf, "type", json_string("number"));
		json_object_set_new(vf, "labels",
		                    labels ? labels : json_object());
		json_object_set_new(vf, "values", vv);
		json_array_append_new(fields, tf);
		json_array_append_new(fields, vf);
		json_object_set_new(f, "refId", json_string(ref ? ref : "A"));
		json_object_set_new(f, "fields", fields);
		json_array_append_new(frames, f);
	}
}

/*
 * The datasource a target is queried through: its own, else its panel's;
 * a Prometheus one by uid goes through Grafana's datasource proxy, one not
 * named (or named by a variable) is the configured source.  Returns the
 * base URL to free, or NULL with a note when it is not Prometheus.
 */
static char *
target_base(struct snap_ctx *x, json_t *panel, json_t *target, int *grafana)
{
	json_t *ds = json_object_get(target, "datasource");
	const char *type, *uid, *title;

	if (!json_is_object(ds) && !json_is_string(ds))
		ds = json_object_get(panel, "datasource");
	/* "-- Mixed --" leaves the choice to each target. */
	if (json_is_object(ds) && json_is_string(json_object_get(ds, "uid")) &&
	    strcmp(json_string_value(json_object_get(ds, "uid")),
	           "-- Mixed --") == 0)
		ds = json_object_get(target, "datasource");
	type = json_string_value(json_object_get(ds, "type"));
	uid = json_string_value(json_object_get(ds, "uid"));
	if (json_is_string(ds) && strncmp(json_string_value(ds), "-- ", 3) == 0)
		type = json_string_value(ds);
	title = json_string_value(json_object_get(panel, "title"));
	if (type != NULL && strcmp(type, "prometheus") != 0) {
		char note[200];
		size_t i;
		json_t *v;

		snprintf(note, sizeof note,
		         "panel \"%.80s\": %.40s datasource, not queried "
		         "(not Prometheus)",
		         title ? title : "?", type);
		json_array_foreach(x->notes, i,
		                   v) if (strcmp(json_string_value(v), note) ==
		                          0) return NULL;
		json_array_append_new(x->notes, json_string(note));
		return NULL;
	}
	if (uid != NULL && strchr(uid, '$') == NULL &&
	    x->m->grafana_token != NULL) {
		char *e = http_escape(x->m->http, uid), *b;

		*grafana = 1;
		b = xasprintf("%s/api/datasources/proxy/uid/%s",
		              x->m->cfg->grafana.url, e);
		free(e);
		return b;
	}
	*grafana = x->via_grafana;
	return xstrdup(x->base);
}

/* Fills snapshotData of each panel, inside collapsed rows too. */
static void
snapshot_panels(struct snap_ctx *x, json_t *panels)
{
	json_t *panel;
	size_t i;

	json_array_foreach(panels, i, panel)
	{
		json_t *targets = json_object_get(panel, "targets"), *t;
		json_t *frames;
		size_t k;

		/* A collapsed row holds its panels; an open one has none. */
		if (json_is_array(json_object_get(panel, "panels")))
			snapshot_panels(x, json_object_get(panel, "panels"));
		if (!json_is_array(targets))
			continue;
		frames = json_array();
		json_array_foreach(targets, k, t)
		{
			const char *expr =
			    json_string_value(json_object_get(t, "expr"));
			const char *min =
			    json_string_value(json_object_get(t, "interval"));
			int64_t scrape = 15;
			struct prom_result r;
			char *q, *base;
			int grafana = 0;

			if (expr == NULL)
				continue;
			if (min != NULL && min[0] != '\0' &&
			    time_parse_duration(min, &scrape) != 0)
				scrape = 15;
			if ((q = grafana_expand(expr, x->range, x->step,
			                        scrape)) == NULL)
				continue;
			if ((base = target_base(x, panel, t, &grafana)) ==
			    NULL) {
				free(q);
				continue;
			}
			if (run_query(x->m, base, grafana, q, x->now, x->range,
			              x->step, &r, x->res) == 0) {
				add_frames(frames,
				           json_string_value(
				               json_object_get(t, "refId")),
				           &r);
				prom_result_free(&r);
			}
			free(base);
			free(q);
		}
		json_object_set_new(panel, "snapshotData", frames);
	}
}

/*
 * A Grafana dashboard snapshot whose panels hold the data we queried:
 * Grafana runs no queries for a snapshot, so each panel's expression is run
 * here, through the panel's own datasource, and embedded as snapshotData
 * frames, with an absolute time range and no template variables.  Returns
 * the snapshot's URL, or NULL; *keys gets deleteKey, deleteUrl and notes.
 */
static char *
grafana_snapshot(struct metrics *m, const char *base, int via_grafana,
                 int64_t now, int64_t range, const char *name, json_t **keys,
                 struct source_result *res)
{
	const struct config *c = m->cfg;
	json_t *j, *dash, *body, *tr;
	char *b, tb[TIME_BUF], *link = NULL;
	struct snap_ctx x = {m,    base,  via_grafana,
	                     now,  range, range / 100 > 0 ? range / 100 : 1,
	                     NULL, res};

	{
		char path[300];
		struct itui_err e;

		snprintf(path, sizeof path, "/api/dashboards/uid/%s",
		         c->grafana.dashboard);
		j = grafana_call(m, "GET", path, NULL, 1, res, &e);
	}
	dash = json_object_get(j, "dashboard");
	if (j == NULL && strstr(res->detail, "HTTP 406") != NULL)
		snprintf(res->detail, sizeof res->detail,
		         "dashboard %.100s is a v2 dashboard, which Grafana's "
		         "/api does not serve (HTTP 406): no snapshot",
		         c->grafana.dashboard);
	if (!json_is_object(dash)) {
		if (j != NULL)
			snprintf(res->detail, sizeof res->detail,
			         "dashboard %s: no dashboard in the reply",
			         c->grafana.dashboard);
		json_decref(j);
		return NULL;
	}
	x.notes = json_array();
	snapshot_panels(&x, json_object_get(dash, "panels"));
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
	/* Seconds; a snapshot of an incident should not live forever. */
	json_object_set_new(body, "expires",
	                    json_integer(c->grafana.snapshot_expiry > 0
	                                     ? c->grafana.snapshot_expiry
	                                     : 30 * 86400));
	b = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	json_decref(j);
	{
		struct itui_err e;

		j = grafana_call(m, "POST", "/api/snapshots", b, 1, res, &e);
		/* A site's choice ([snapshots] enabled = false), not a role
		 * the token lacks nor an outage. */
		if (j == NULL &&
		    strstr(res->detail, "Snapshots are disabled")) {
			res->ok = 1;
			res->denied = 0;
			snprintf(res->detail, sizeof res->detail,
			         "Grafana has dashboard snapshots disabled: no "
			         "snapshot link");
		}
		if (json_is_string(json_object_get(j, "url")))
			link = xstrdup(
			    json_string_value(json_object_get(j, "url")));
		/* Kept, so the snapshot can be revoked later. */
		*keys = json_object();
		json_object_set(*keys, "delete_key",
		                json_object_get(j, "deleteKey")
		                    ? json_object_get(j, "deleteKey")
		                    : json_null());
		json_object_set(*keys, "delete_url",
		                json_object_get(j, "deleteUrl")
		                    ? json_object_get(j, "deleteUrl")
		                    : json_null());
		json_object_set_new(*keys, "notes", x.notes);
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
			json_object_set_new(o, "series",
			                    metricentry_series(&r, 0));
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
				                    metricentry_series(&r, 1));
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
		struct source_result gres = {"grafana", 1, 0, 0, "", -1};
		int64_t range = 3600;
		char *link, *base2 = prom_base(m, &grafana);

		for (i = 0; i < c->nqueries; i++)
			if (c->queries[i].range > range)
				range = c->queries[i].range;
		json_t *keys = NULL, *g;
		const char *name = m->snapshot_name ? m->snapshot_name
		                                    : "incident-tui snapshot";

		link = grafana_snapshot(m, base2, grafana, now, range, name,
		                        &keys, &gres);
		free(base2);
		g = link ? json_pack("{s:s,s:s}", "snapshot_url", link, "name",
		                     name)
		         : json_pack("{s:s}", "error",
		                     gres.detail[0] ? gres.detail : "no link");
		if (link != NULL && keys != NULL)
			json_object_update(g, keys);
		json_decref(keys);
		json_object_set_new(root, "grafana", g);
		if (link != NULL) {
			size_t skipped =
			    json_array_size(json_object_get(g, "notes"));

			strbuf_addstr(&sum, " (Grafana snapshot");
			if (skipped > 0)
				strbuf_addf(&sum,
				            "; %zu panel%s not Prometheus, "
				            "not queried",
				            skipped, skipped == 1 ? "" : "s");
			strbuf_addstr(&sum, ")");
		}
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

static const char *const *
ignore_labels(const struct metrics *m)
{
	return m->cfg->alerts.ignore_labels != NULL
	           ? (const char *const *)m->cfg->alerts.ignore_labels
	           : metrics_default_ignore_labels;
}

/* Asks one URL; its alerts are merged into *all.  0, or -1 on failure. */
static int
poll_one(struct metrics *m, const char *url, enum metrics_source which,
         struct alert_list *all, size_t *count, struct source_result *res)
{
	struct http_response resp;
	struct alert_list l;
	struct itui_err err;
	enum itui_code rc;

	if (request(m, "GET", url, NULL, NULL, which, 1, &resp, res) != 0)
		return -1;
	if (denied(m, resp.status, resp.body, resp.len, res)) {
		http_response_free(&resp);
		return -1;
	}
	rc =
	    which == MSRC_ALERTMANAGER
	        ? am_parse_alerts(resp.status, resp.body, resp.len, &l, &err)
	        : prom_parse_alerts(resp.status, resp.body, resp.len, &l, &err);
	http_response_free(&resp);
	if (rc != ITUI_OK) {
		res->ok = 0;
		snprintf(res->detail, sizeof res->detail, "%s", err.msg);
		metrics_scrub(m, res->detail, sizeof res->detail);
		return -1;
	}
	*count += l.n;
	alerts_rekey(&l, ignore_labels(m));
	alerts_merge(all, &l);
	return 0;
}

static void
init_res(struct source_result *res, const char *name)
{
	memset(res, 0, sizeof *res);
	res->name = name;
	res->ok = 1;
	res->retry_after = -1;
}

static void
tls_note(const struct metrics *m, enum metrics_source which,
         struct source_result *res)
{
	const struct config_auth *a = m->auth[which].cfg;

	if (res->ok && a != NULL && a->insecure_skip_verify)
		snprintf(res->detail + strlen(res->detail),
		         sizeof res->detail - strlen(res->detail),
		         "; warning: TLS verification off "
		         "(insecure_skip_verify)");
}

enum itui_code
metrics_alerts(struct metrics *m, struct alert_list *out,
               struct source_result res[METRICS_MAX_SOURCES], int *nres,
               struct itui_err *err)
{
	const struct config *c = m->cfg;
	char *url;
	int i, ok = 0, asked = 0;

	memset(out, 0, sizeof *out);
	*nres = 0;
	if (c->prometheus.url != NULL) {
		struct source_result *r = &res[(*nres)++];
		size_t count = 0;

		init_res(r, "prometheus");
		if (!(m->skip & (1u << MSRC_PROMETHEUS))) {
			url = xasprintf("%s/api/v1/alerts", c->prometheus.url);
			if (poll_one(m, url, MSRC_PROMETHEUS, out, &count, r) ==
			    0)
				snprintf(r->detail, sizeof r->detail,
				         "%zu firing", count);
			free(url);
			tls_note(m, MSRC_PROMETHEUS, r);
		}
	}
	if (c->alertmanager.url != NULL) {
		struct source_result *r = &res[(*nres)++];
		struct source_result one;
		size_t count = 0, k, nurls = c->alertmanager.nurls;
		int answered = 0;
		char failed[400] = "";

		init_res(r, "alertmanager");
		if (nurls == 0)
			nurls = 1;
		/* Every peer of an HA cluster; duplicates merge by identity. */
		for (k = 0; k < nurls && !(m->skip & (1u << MSRC_ALERTMANAGER));
		     k++) {
			const char *base = c->alertmanager.nurls
			                       ? c->alertmanager.urls[k]
			                       : c->alertmanager.url;
			size_t got = 0;

			init_res(&one, "alertmanager");
			url = xasprintf("%s/api/v2/alerts", base);
			if (poll_one(m, url, MSRC_ALERTMANAGER, out, &got,
			             &one) == 0) {
				answered++;
				if (got > count)
					count = got;
			} else {
				*r = one;
				snprintf(failed + strlen(failed),
				         sizeof failed - strlen(failed),
				         "%s%.200s", failed[0] ? "; " : "",
				         one.detail);
			}
			free(url);
		}
		if (!(m->skip & (1u << MSRC_ALERTMANAGER))) {
			r->asked = 1;
			if (answered > 0) {
				r->ok = 1;
				r->denied = 0;
				snprintf(r->detail, sizeof r->detail,
				         "%zu firing%s%.300s", count,
				         failed[0] ? "; a peer failed: " : "",
				         failed);
			}
			tls_note(m, MSRC_ALERTMANAGER, r);
		}
	}
	if (c->grafana.url != NULL && m->grafana_token != NULL) {
		struct source_result *r = &res[(*nres)++];
		size_t count = 0;

		init_res(r, "grafana");
		if (!(m->skip & (1u << MSRC_GRAFANA))) {
			url =
			    xasprintf("%s/api/prometheus/grafana/api/v1/alerts",
			              c->grafana.url);
			if (poll_one(m, url, MSRC_GRAFANA, out, &count, r) == 0)
				snprintf(r->detail, sizeof r->detail,
				         "%zu firing", count);
			free(url);
		}
	}
	if (*nres == 0)
		return err_set(
		    err, ITUI_CONFIG,
		    "no alert source configured ([prometheus], [alertmanager] "
		    "or [grafana] url)");
	for (i = 0; i < *nres; i++) {
		ok += res[i].ok && res[i].asked;
		asked += res[i].asked;
	}
	if (asked > 0 && ok == 0) {
		for (i = 0; i < *nres && !res[i].asked; i++)
			;
		return err_set(err, ITUI_IO, "%s: %s", res[i].name,
		               res[i].detail);
	}
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
grafana_reply(struct metrics *m, struct http_response *resp,
              struct source_result *res)
{
	json_t *j;

	if (denied(m, resp->status, resp->body, resp->len, res))
		return NULL;
	if (resp->status < 200 || resp->status > 299) {
		prom_error_message(resp->status, resp->body, resp->len,
		                   res->detail, sizeof res->detail);
		metrics_scrub(m, res->detail, sizeof res->detail);
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
	            MSRC_GRAFANA, auth, &resp, res) == 0) {
		j = grafana_reply(m, &resp, res);
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
	/*
	 * Grafana takes an annotation with an unknown dashboardUID as an
	 * org-wide one, silently: make sure the dashboard exists first.
	 */
	if (m->cfg->grafana.dashboard != NULL && m->dashboard_state == 0) {
		char path[300];

		snprintf(path, sizeof path, "/api/dashboards/uid/%s",
		         m->cfg->grafana.dashboard);
		j = grafana_call(m, "GET", path, NULL, 1, res, err);
		/* 406: it exists, stored as a v2 dashboard the /api of
		 * dashboards does not serve; annotations by uid still work. */
		if (j != NULL || strstr(res->detail, "HTTP 406") != NULL) {
			m->dashboard_state = 1;
			res->ok = 1;
		} else if (strstr(res->detail, "HTTP 404") != NULL)
			m->dashboard_state = -1;
		else
			return err->code;
		json_decref(j);
	}
	if (m->dashboard_state < 0) {
		/* Answered and refused: not an outage, not retried. */
		res->ok = 1;
		res->denied = 0;
		snprintf(res->detail, sizeof res->detail,
		         "dashboard %.100s not found in Grafana: not annotated "
		         "(an unknown uid would make an org-wide annotation)",
		         m->cfg->grafana.dashboard);
		return err_set(err, ITUI_IO, "grafana: %s", res->detail);
	}
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

/* One Alertmanager call to each URL until one answers 2xx. */
static enum itui_code
am_call(struct metrics *m, const char *method, const char *path,
        const char *body, json_t **reply, struct itui_err *err)
{
	const struct config *c = m->cfg;
	size_t k, n = c->alertmanager.nurls ? c->alertmanager.nurls : 1;
	struct source_result res;

	if (reply != NULL)
		*reply = NULL;
	if (c->alertmanager.url == NULL)
		return err_set(err, ITUI_CONFIG,
		               "no [alertmanager] url configured");
	for (k = 0; k < n; k++) {
		struct http_response resp;
		char *url =
		    xasprintf("%s%s",
		              c->alertmanager.nurls ? c->alertmanager.urls[k]
		                                    : c->alertmanager.url,
		              path);
		int rc;

		init_res(&res, "alertmanager");
		rc = request(m, method, url, body,
		             body ? "application/json" : NULL,
		             MSRC_ALERTMANAGER, 1, &resp, &res);
		free(url);
		if (rc != 0)
			continue;
		if (resp.status >= 200 && resp.status <= 299) {
			if (reply != NULL)
				*reply =
				    json_loadb(resp.body, resp.len, 0, NULL);
			http_response_free(&resp);
			return ITUI_OK;
		}
		if (!denied(m, resp.status, resp.body, resp.len, &res)) {
			prom_error_message(resp.status, resp.body, resp.len,
			                   res.detail, sizeof res.detail);
			metrics_scrub(m, res.detail, sizeof res.detail);
		}
		http_response_free(&resp);
		/* A refusal is an answer: the peers would say the same. */
		if (resp.status >= 400 && resp.status < 500)
			break;
	}
	return err_set(err, ITUI_IO, "alertmanager: %s", res.detail);
}

enum itui_code
metrics_silence(struct metrics *m, const char *labels, int64_t now,
                int64_t seconds, const char *who, const char *comment,
                char id[64], struct itui_err *err)
{
	json_t *l = json_loads(labels, 0, NULL), *matchers = json_array(),
	       *body, *v, *reply = NULL;
	const char *k;
	char a[TIME_BUF], b[TIME_BUF], *text;
	enum itui_code rc;

	id[0] = '\0';
	/* Exactly this alert: every label matched for equality. */
	json_object_foreach(l, k, v)
	{
		if (json_is_string(v))
			json_array_append_new(
			    matchers, json_pack("{s:s,s:s,s:b,s:b}", "name", k,
			                        "value", json_string_value(v),
			                        "isRegex", 0, "isEqual", 1));
	}
	json_decref(l);
	body = json_pack("{s:o,s:s,s:s,s:s,s:s}", "matchers", matchers,
	                 "startsAt", time_format_iso(now, a), "endsAt",
	                 time_format_iso(now + seconds, b), "createdBy", who,
	                 "comment", comment);
	text = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	rc = am_call(m, "POST", "/api/v2/silences", text, &reply, err);
	free(text);
	if (rc == ITUI_OK) {
		const char *sid =
		    json_string_value(json_object_get(reply, "silenceID"));

		if (sid == NULL)
			rc = err_set(err, ITUI_IO,
			             "alertmanager: no silenceID in the reply");
		else
			snprintf(id, 64, "%s", sid);
	}
	json_decref(reply);
	return rc;
}

enum itui_code
metrics_unsilence(struct metrics *m, const char *id, struct itui_err *err)
{
	char path[128];

	if (strspn(id, "0123456789abcdefABCDEF-") != strlen(id))
		return err_set(err, ITUI_INPUT, "bad silence id");
	snprintf(path, sizeof path, "/api/v2/silence/%s", id);
	return am_call(m, "DELETE", path, NULL, NULL, err);
}

enum itui_code
metrics_snapshot_revoke(struct metrics *m, const char *delete_key,
                        struct itui_err *err)
{
	struct source_result res;
	char path[300];
	json_t *j;

	if (!grafana_ready(m, &res, err))
		return err->code;
	if (strspn(delete_key, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRST"
	                       "UVWXYZ0123456789-_") != strlen(delete_key) ||
	    strlen(delete_key) > 200)
		return err_set(err, ITUI_INPUT, "bad snapshot deleteKey");
	snprintf(path, sizeof path, "/api/snapshots-delete/%s", delete_key);
	if ((j = grafana_call(m, "GET", path, NULL, 1, &res, err)) == NULL)
		return err->code;
	json_decref(j);
	return ITUI_OK;
}

char *
metrics_snapshot_title(int64_t id, const char *title, int64_t declared_at,
                       int64_t now)
{
	char a[TIME_BUF], b[TIME_BUF];

	return xasprintf("INC-%lld %s \xe2\x80\x94 %s\xe2\x80\x93%s",
	                 (long long)id, title ? title : "",
	                 time_format_hhmm(declared_at, a),
	                 time_format_hhmm(now, b));
}
