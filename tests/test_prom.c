/* Parsers of monitoring replies, from recorded bodies. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "itui/prom.h"

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
	    "{\"labels\":{\"alertname\":\"I\"},\"state\":\"NoData\"}]}}";
	struct alert_list l;
	struct itui_err err;
	FILE *f;
	char path[512], body[4096];
	size_t n;

	cr_assert_eq(prom_parse_alerts(200, g, strlen(g), &l, &err), ITUI_OK);
	cr_assert_eq(l.n, 1);
	cr_assert_str_eq(l.v[0].name, "G");
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
		cr_assert_eq(l.n, 1);
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
	         "%s/../shared/fixtures/alertmanager-webhook-firing.json",
	         getenv("ITUI_SRCDIR") ? getenv("ITUI_SRCDIR") : ".");
	f = fopen(path, "r");
	if (f != NULL) {
		n = fread(body, 1, sizeof body - 1, f);
		fclose(f);
		cr_assert_eq(am_parse_alerts(200, body, n, &l, &err), ITUI_IO);
		cr_assert(strstr(err.msg, "expected a list") != NULL);
	}
}
