/* Parsers of monitoring replies, from recorded bodies. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "itui/alertview.h"
#include "itui/prom.h"
#include "itui/metricentry.h"
#include "itui/spark.h"

static struct prom_result
parse_ok(long status, const char *body)
{
	struct prom_result r;
	struct itui_err err;

	cr_assert_eq(prom_parse_query(status, body, strlen(body), &r, &err),
	             ITUI_OK, "%s", err.msg);
	return r;
}

Test(prom, vector_with_exotic_values)
{
	struct prom_result r = parse_ok(
	    200,
	    "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
	    "{\"metric\":{\"job\":\"a\",\"__name__\":\"up\"},\"value\":[1795426135.535,\"1\"]},"
	    "{\"metric\":{},\"value\":[1795426135.535,\"NaN\"]},"
	    "{\"metric\":{\"x\":\"1\"},\"value\":[1795426135.5,\"+Inf\"]},"
	    "{\"metric\":{\"x\":\"2\"},\"value\":[1795426135.5,\"-Inf\"]},"
	    "{\"metric\":{\"x\":\"3\"},\"value\":[1795426135.5,\"1e-07\"]},"
	    "{\"metric\":{\"x\":\"4\"},\"histogram\":[1795426135.5,{\"count\":\"1\"}]}"
	    "]}}");

	cr_assert_str_eq(r.type, "vector");
	cr_assert_eq(r.n, 5, "the native histogram is skipped");
	cr_assert_str_eq(r.s[0].labels, "{\"__name__\":\"up\",\"job\":\"a\"}",
	                 "labels sorted");
	cr_assert_eq(r.s[0].v[0].v, 1.0);
	cr_assert_float_eq(r.s[0].v[0].t, 1795426135.535, 1e-6);
	cr_assert_str_eq(r.s[1].labels, "{}");
	cr_assert(isnan(r.s[1].v[0].v));
	cr_assert(isinf(r.s[2].v[0].v) && r.s[2].v[0].v > 0);
	cr_assert(isinf(r.s[3].v[0].v) && r.s[3].v[0].v < 0);
	cr_assert_float_eq(r.s[4].v[0].v, 1e-7, 1e-12);
	prom_result_free(&r);
}

Test(prom, matrix_scalar_string_and_warnings)
{
	struct prom_result r = parse_ok(
	    200,
	    "{\"status\":\"success\",\"warnings\":[\"partial data\"],\"data\":"
	    "{\"resultType\":\"matrix\",\"result\":[{\"metric\":{\"a\":\"b\"},"
	    "\"values\":[[1,\"1\"],[2,\"2.5\"],[3,\"bogus\"],[4,\"4\"]]}]}}");

	cr_assert_str_eq(r.type, "matrix");
	cr_assert_eq(r.s[0].n, 3, "the unparsable sample is dropped");
	cr_assert_eq(r.s[0].v[1].v, 2.5);
	cr_assert_str_eq(r.warnings, "partial data");
	prom_result_free(&r);
	r = parse_ok(200, "{\"status\":\"success\",\"data\":{\"resultType\":"
	                  "\"scalar\",\"result\":[1795426135.535,\"42\"]}}");
	cr_assert_str_eq(r.type, "scalar");
	cr_assert_eq(r.s[0].v[0].v, 42.0);
	prom_result_free(&r);
}

/* Inline arrays: Criterion re-executes the binary, so no pointers. */
struct bad_body {
	long status;
	char body[200];
	char want[80];
};

ParameterizedTestParameters(prom, errors)
{
	static struct bad_body c[] = {
	    {400,
	     "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":"
	     "\"1:5: parse error: unexpected end of input\"}",
	     "HTTP 400: bad_data: 1:5: parse error"},
	    {422,
	     "{\"status\":\"error\",\"errorType\":\"execution\",\"error\":"
	     "\"query processing would load too many samples\"}",
	     "HTTP 422: execution: query processing"},
	    {503,
	     "{\"status\":\"error\",\"errorType\":\"timeout\",\"error\":"
	     "\"query timed out in expression evaluation\"}",
	     "HTTP 503: timeout: query timed out"},
	    {503, "Service Unavailable\n", "HTTP 503: Service Unavailable"},
	    {404, "404 page not found\n", "HTTP 404: 404 page not found"},
	    {502, "", "HTTP 502: (empty body)"},
	    {200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vec",
	     "bad JSON at line 1"},
	    {200, "<html>proxy login</html>", "bad JSON"},
	    {200, "[1,2]", "not an object"},
	    {200, "{\"status\":\"success\",\"data\":{}}", "no data.resultType"},
	    {200, "{\"status\":\"success\",\"status\":\"error\"}", "bad JSON"},
	    {401, "{\"message\":\"invalid API key\",\"traceID\":\"\"}",
	     "HTTP 401: invalid API key"},
	};

	return cr_make_param_array(struct bad_body, c, sizeof c / sizeof c[0]);
}

ParameterizedTest(struct bad_body *c, prom, errors)
{
	struct prom_result r;
	struct itui_err err;

	cr_assert_eq(
	    prom_parse_query(c->status, c->body, strlen(c->body), &r, &err),
	    ITUI_IO);
	cr_assert(strstr(err.msg, c->want) != NULL, "got '%s', want '%s'",
	          err.msg, c->want);
	cr_assert_eq(r.n, 0);
}

Test(prom, oversized_label_sets_and_odd_shapes_do_not_crash)
{
	char *big = malloc(300000);
	struct prom_result r;
	struct itui_err err;
	size_t i, off;

	off = (size_t)sprintf(
	    big, "{\"status\":\"success\",\"data\":{\"resultType\":"
	         "\"vector\",\"result\":[{\"metric\":{");
	for (i = 0; i < 5000; i++)
		off += (size_t)sprintf(big + off, "%s\"l%zu\":\"v\"",
		                       i ? "," : "", i);
	off +=
	    (size_t)sprintf(big + off, "},\"value\":[1,\"1\"]},{\"value\":5},"
	                               "{\"metric\":3,\"value\":[1]}]}}");
	cr_assert_eq(prom_parse_query(200, big, off, &r, &err), ITUI_OK, "%s",
	             err.msg);
	cr_assert_eq(r.n, 3);
	cr_assert_eq(r.s[0].n, 1);
	cr_assert_eq(r.s[1].n, 0, "a value that is not a pair is dropped");
	cr_assert_eq(r.s[2].n, 0);
	prom_result_free(&r);
	free(big);
}

Test(alerts, prometheus_keeps_firing_only)
{
	const char *body =
	    "{\"status\":\"success\",\"data\":{\"alerts\":["
	    "{\"labels\":{\"alertname\":\"AlwaysFiring\",\"severity\":\"page\"},"
	    "\"annotations\":{\"summary\":\"It fires\"},\"state\":\"firing\","
	    "\"activeAt\":\"2026-11-23T09:30:19.123456789Z\",\"value\":\"1e+00\"},"
	    "{\"labels\":{\"alertname\":\"Slow\"},\"annotations\":{},"
	    "\"state\":\"pending\",\"activeAt\":\"2026-11-23T09:30:19Z\"}]}}";
	struct alert_list l;
	struct itui_err err;

	cr_assert_eq(prom_parse_alerts(200, body, strlen(body), &l, &err),
	             ITUI_OK);
	cr_assert_eq(l.n, 1);
	cr_assert_str_eq(l.v[0].name, "AlwaysFiring");
	cr_assert_str_eq(l.v[0].summary, "It fires");
	cr_assert_str_eq(l.v[0].severity, "page");
	cr_assert_str_eq(
	    l.v[0].key,
	    "{\"alertname\":\"AlwaysFiring\",\"severity\":\"page\"}");
	cr_assert_eq(l.v[0].since, 1795426219);
	alerts_free(&l);
}

Test(alerts, grafana_states_and_alertmanager_arrays)
{
	const char *g =
	    "{\"status\":\"success\",\"data\":{\"alerts\":["
	    "{\"labels\":{\"alertname\":\"G\"},\"state\":\"Alerting\"},"
	    "{\"labels\":{\"alertname\":\"H\"},\"state\":\"Normal\"},"
	    "{\"labels\":{\"alertname\":\"P\"},\"state\":\"Pending\"},"
	    "{\"labels\":{\"alertname\":\"I\"},\"state\":\"NoData\"}]}}";
	struct alert_list l;
	struct itui_err err;
	FILE *f;
	char path[512], body[4096];
	size_t n;

	/*
	 * ngalert sends NoData and Error instances to the Alertmanager like
	 * Alerting ones (state.NeedsSending); Normal and Pending it does not.
	 */
	cr_assert_eq(prom_parse_alerts(200, g, strlen(g), &l, &err), ITUI_OK);
	cr_assert_eq(l.n, 2);
	cr_assert_str_eq(l.v[0].name, "G");
	cr_assert_str_eq(l.v[1].name, "I");
	alerts_free(&l);

	/* The real Alertmanager v2 reply shape, with one suppressed alert. */
	{
		const char *am =
		    "[{\"labels\":{\"alertname\":\"AlwaysFiring\",\"severity\":"
		    "\"page\"},\"annotations\":{\"summary\":\"Test alert that "
		    "always fires\"},\"startsAt\":\"2026-11-23T09:30:19.32Z\","
		    "\"endsAt\":\"2026-11-23T09:35:19.32Z\",\"updatedAt\":"
		    "\"2026-11-23T09:30:19.32Z\",\"fingerprint\":\"2a7a97fbf890646a\","
		    "\"receivers\":[{\"name\":\"hook\"}],\"status\":{\"state\":"
		    "\"active\",\"silencedBy\":[],\"inhibitedBy\":[]},"
		    "\"generatorURL\":\"http://vm:19090/graph\"},"
		    "{\"labels\":{\"alertname\":\"Quiet\"},\"annotations\":{},"
		    "\"status\":{\"state\":\"suppressed\"}}]";

		cr_assert_eq(am_parse_alerts(200, am, strlen(am), &l, &err),
		             ITUI_OK, "%s", err.msg);
		/* Suppressed is kept: silenced is not resolved. */
		cr_assert_eq(l.n, 2);
		cr_assert_str_eq(l.v[0].am_state, "active");
		cr_assert_str_eq(l.v[0].fingerprint, "2a7a97fbf890646a");
		cr_assert_str_eq(l.v[1].am_state, "suppressed");
		cr_assert_str_eq(
		    l.v[0].key,
		    "{\"alertname\":\"AlwaysFiring\",\"severity\":\"page\"}",
		    "the same key as through Prometheus");
		cr_assert_str_eq(l.v[0].url, "http://vm:19090/graph");
		cr_assert_eq(l.v[0].since, 1795426219);
		alerts_free(&l);
	}
	/* A JSON string error body (as Alertmanager answers a bad filter). */
	cr_assert_eq(
	    am_parse_alerts(400, "\"bad matcher format: {x\"", 24, &l, &err),
	    ITUI_IO);
	cr_assert(strstr(err.msg, "HTTP 400: bad matcher format") != NULL, "%s",
	          err.msg);
	/* The shared fixture: a webhook payload is not the API's shape. */
	snprintf(path, sizeof path,
	         "%s/tests/fixtures/alertmanager-webhook-firing.json",
	         getenv("ITUI_SRCDIR") ? getenv("ITUI_SRCDIR") : ".");
	f = fopen(path, "r");
	cr_assert_not_null(f, "%s", path);
	n = fread(body, 1, sizeof body - 1, f);
	fclose(f);
	cr_assert_eq(am_parse_alerts(200, body, n, &l, &err), ITUI_IO);
	cr_assert(strstr(err.msg, "expected a list") != NULL);
}

static char *
fixture(const char *name, size_t *n)
{
	char path[700], *buf = malloc(65536);
	FILE *f;

	snprintf(path, sizeof path, "%s/tests/fixtures/%s",
	         getenv("ITUI_SRCDIR") ? getenv("ITUI_SRCDIR") : ".", name);
	f = fopen(path, "r");
	cr_assert_not_null(f, "%s", path);
	*n = fread(buf, 1, 65535, f);
	buf[*n] = '\0';
	fclose(f);
	return buf;
}

Test(alerts, identity_drops_external_labels_and_alertmanager_wins_a_merge)
{
	const char *const ignore[] = {"cluster", "replica", NULL};
	const char *prom =
	    "{\"status\":\"success\",\"data\":{\"alerts\":[{\"labels\":"
	    "{\"alertname\":\"A\",\"job\":\"x\"},\"state\":\"firing\","
	    "\"activeAt\":\"2026-11-23T09:00:00Z\"}]}}";
	const char *am =
	    "[{\"labels\":{\"alertname\":\"A\",\"job\":\"x\",\"cluster\":"
	    "\"eu\",\"replica\":\"b\"},\"fingerprint\":\"f00\",\"status\":"
	    "{\"state\":\"suppressed\",\"silencedBy\":[\"s1\",\"s2\"],"
	    "\"inhibitedBy\":[]}}]";
	struct alert_list a, b;
	struct itui_err err;
	char *id = alert_identity(
	    "{\"b\":\"2\",\"cluster\":\"eu\",\"a\":\"1\"}", ignore);

	cr_assert_str_eq(id, "{\"a\":\"1\",\"b\":\"2\"}");
	free(id);
	cr_assert_eq(prom_parse_alerts(200, prom, strlen(prom), &a, &err),
	             ITUI_OK);
	cr_assert_eq(am_parse_alerts(200, am, strlen(am), &b, &err), ITUI_OK);
	alerts_rekey(&a, ignore);
	alerts_rekey(&b, ignore);
	alerts_merge(&a, &b);
	cr_assert_eq(a.n, 1, "one real alert");
	cr_assert_str_eq(a.v[0].fingerprint, "f00");
	cr_assert_str_eq(a.v[0].am_state, "suppressed");
	cr_assert_str_eq(a.v[0].silenced_by, "s1,s2");
	cr_assert_eq(a.v[0].since, 1795424400, "Prometheus's activeAt kept");
	alerts_free(&a);
}

Test(alerts, webhook_payloads_firing_resolved_and_malformed)
{
	struct alert_list l;
	struct itui_err err;
	size_t n;
	char *body = fixture("alertmanager-webhook-firing.json", &n);
	const char *bad_status =
	    "{\"version\":\"4\",\"alerts\":[{\"status\":\"x\"}]}";
	const char *g =
	    "{\"receiver\":\"r\",\"status\":\"firing\",\"orgId\":1,"
	    "\"version\":\"1\",\"groupKey\":\"gk\",\"alerts\":[{"
	    "\"status\":\"firing\",\"labels\":{\"alertname\":\"G\"},"
	    "\"annotations\":{},\"startsAt\":\"2026-11-23T09:00:00Z\","
	    "\"endsAt\":\"0001-01-01T00:00:00Z\",\"fingerprint\":\"abc\"}]}";

	cr_assert_eq(webhook_parse(WEBHOOK_ALERTMANAGER, body, n, &l, &err),
	             ITUI_OK, "%s", err.msg);
	cr_assert_eq(l.n, 1);
	cr_assert_str_eq(l.v[0].fingerprint, "2a7a97fbf890646a");
	cr_assert_str_eq(l.v[0].group_key, "{}:{alertname=\"AlwaysFiring\"}");
	cr_assert_str_eq(l.v[0].external_url, "http://vm:19093");
	cr_assert_eq(l.v[0].resolved, 0);
	cr_assert_eq(l.v[0].ends_at, INT64_MIN, "0001-01-01 is open-ended");
	alerts_free(&l);
	free(body);
	body = fixture("alertmanager-webhook-resolved.json", &n);
	cr_assert_eq(webhook_parse(WEBHOOK_ALERTMANAGER, body, n, &l, &err),
	             ITUI_OK, "%s", err.msg);
	cr_assert_eq(l.v[0].resolved, 1);
	cr_assert(l.v[0].ends_at > 0);
	alerts_free(&l);
	free(body);
	cr_assert_eq(webhook_parse(WEBHOOK_ALERTMANAGER, "{\"version\":\"3\"}",
	                           15, &l, &err),
	             ITUI_INPUT);
	cr_assert(strstr(err.msg, "version") != NULL, "%s", err.msg);
	cr_assert_eq(
	    webhook_parse(WEBHOOK_ALERTMANAGER, "{not json", 9, &l, &err),
	    ITUI_INPUT);
	cr_assert_eq(webhook_parse(WEBHOOK_ALERTMANAGER, bad_status,
	                           strlen(bad_status), &l, &err),
	             ITUI_INPUT);
	/* Grafana's contact point: version "1" and orgId. */
	cr_assert_eq(webhook_parse(WEBHOOK_GRAFANA, g, strlen(g), &l, &err),
	             ITUI_OK, "%s", err.msg);
	cr_assert_eq(l.n, 1);
	alerts_free(&l);
}

Test(alerts, title_cut_at_a_word_with_an_ellipsis)
{
	char buf[TITLE_CUT + 8];
	const char *longs =
	    "Checkout error budget burning fast in eu-west-1: 5xx ratio above "
	    "the SLO for the last thirty minutes across every payment provider "
	    "and region";

	cr_assert_eq(alertview_title("short one", buf, sizeof buf), 0);
	cr_assert_str_eq(buf, "short one");
	cr_assert_eq(alertview_title(longs, buf, sizeof buf), 1);
	cr_assert(strlen(buf) <= TITLE_CUT + 3);
	cr_assert(strcmp(buf + strlen(buf) - 3, "\xe2\x80\xa6") == 0, "%s",
	          buf);
	cr_assert(buf[strlen(buf) - 4] != ' ');
	/* The cut falls between words. */
	cr_assert(longs[strlen(buf) - 3] == ' ', "%s", buf);
}

Test(spark, samples_are_placed_by_time_and_gaps_stay_gaps)
{
	/* 10 cells over 100 s; samples only in the first and last fifth. */
	double t[] = {0, 10, 80, 90, 100};
	double v[] = {1, 1, 1, 1, 1};
	double noisy_t[] = {0, 50, 100};
	double noisy[] = {100, 101, 100};
	char out[3 * 10 + 1];

	spark_render_timed(t, v, 5, 0, 100, 10, out);
	/* Cells 0, 1, 8, 9 drawn; 2..7 are the gap, blank. */
	cr_assert_eq(strncmp(out, "\xe2\x96\x88\xe2\x96\x88", 6), 0, "%s", out);
	cr_assert_eq(strncmp(out + 6, "      ", 6), 0, "a gap: '%s'", out);
	/* Noise around 100 is not a cliff: scaled from zero it stays high. */
	spark_render_timed(noisy_t, noisy, 3, 0, 100, 3, out);
	cr_assert_str_eq(out, "\xe2\x96\x88\xe2\x96\x88\xe2\x96\x88");
}

Test(spark, values_to_three_significant_digits_with_the_unit)
{
	char b[40];

	spark_format_value(0.06666666666666667, "s", b, sizeof b);
	cr_assert_str_eq(b, "0.0667 s");
	spark_format_value(1234567, NULL, b, sizeof b);
	cr_assert_str_eq(b, "1.23e+06");
	spark_format_value(NAN, "s", b, sizeof b);
	cr_assert_str_eq(b, "NaN");
}

/*
 * What the dashboard draws for a metric entry: the top series (by value),
 * placed by time over the range queried, so the hour with no samples is
 * blank; the value to 3 significant digits with its unit.
 */
Test(spark, the_dashboard_line_is_the_top_series_placed_by_time)
{
	const char *data =
	    "{\"queries\":[{\"name\":\"lat\",\"unit\":\"s\","
	    "\"error\":null,\"series\":[{\"labels\":{},\"value\":"
	    "\"0.06666666666666667\"}],\"range\":{\"start\":0,\"end\":100,"
	    "\"series\":["
	    "{\"labels\":{\"i\":\"low\"},\"values\":[[0,\"1\"],[50,\"1\"],"
	    "[100,\"1\"]]},"
	    "{\"labels\":{\"i\":\"top\"},\"values\":[[0,\"5\"],[10,\"5\"],"
	    "[90,\"5\"],[100,\"5\"]]}]}}]}";
	struct metric_summary ms;
	char out[3 * 10 + 1], val[48];

	cr_assert_eq(metric_summary_parse(data, &ms), 0);
	cr_assert_eq(ms.n, 1);
	metric_spark(&ms.v[0], 10, out);
	/* Cells 0 and 1 (t 0, 10) and 9 (t 90, 100); 2 to 8 are the gap. */
	cr_assert_eq(strncmp(out, "\xe2\x96\x88\xe2\x96\x88       ", 13), 0,
	             "'%s'", out);
	cr_assert_str_eq(out + 13, "\xe2\x96\x88", "'%s'", out);
	metric_value_text(&ms.v[0], val, sizeof val);
	cr_assert_str_eq(val, "0.0667 s");
	metric_summary_free(&ms);
}
