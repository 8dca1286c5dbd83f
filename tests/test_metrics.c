/*
 * The metrics commands and the poller against a real Prometheus and
 * Alertmanager (Debian's packages, on 127.0.0.1), a Grafana stand-in and a
 * black-holed source.  Waits poll with deadlines; nothing sleeps blindly.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <jansson.h>

#include "harness.h"
#include "servers.h"

static char *home, db[600], cfg[600];
static struct servers srv;

static void
setup(void)
{
	home = tmpdir_make();
	snprintf(db, sizeof db, "%s/m.db", home);
	snprintf(cfg, sizeof cfg, "%s/config", home);
	memset(&srv, 0, sizeof srv);
}

static void
teardown(void)
{
	servers_stop(&srv);
	tmpdir_remove(home);
}

TestSuite(metrics, .init = setup, .fini = teardown, .timeout = 90);

static void
write_config(const char *text)
{
	FILE *f = fopen(cfg, "w");

	fputs(text, f);
	fclose(f);
}

static struct run
itui(const char *const *args)
{
	const char *argv[32] = {"--config", cfg, "--db", db};
	const char *env[] = {"GRAFANA_TOKEN=glsa_test_token", NULL};
	int n = 4;

	while (*args != NULL)
		argv[n++] = *args++;
	argv[n] = NULL;
	return run_bin(home, NULL, env, argv);
}

static void
ok(const char *const *args)
{
	struct run r = itui(args);

	cr_assert_eq(r.status, 0, "%s: exit %d: %s", args[0], r.status, r.err);
	run_free(&r);
}

/* Repeats a command until its stdout contains `want` (or the deadline). */
static char *
until(const char *const *args, const char *want, long ms)
{
	long end = ms_now() + ms;
	struct run r;

	for (;;) {
		r = itui(args);
		if (r.status == 0 && strstr(r.out, want) != NULL) {
			free(r.err);
			return r.out;
		}
		if (ms_now() > end)
			break;
		run_free(&r);
		usleep(250000);
	}
	cr_assert_fail("'%s' never printed '%s'; last: %s %s", args[0], want,
	               r.out, r.err);
	return NULL;
}

static void
prometheus_config(int with_am)
{
	char text[1024];

	servers_prometheus(&srv, home, with_am);
	snprintf(
	    text, sizeof text,
	    "[prometheus]\nurl = http://127.0.0.1:%d\ntimeout = 3s\n"
	    "%s%.0d%s"
	    "[query up]\nexpr = up\n"
	    "[query answer]\nexpr = vector(42)\nunit = things\nrange = 5m\n"
	    "step = 15s\n"
	    "[query checkout_only]\nexpr = vector(7)\nservice = checkout\n"
	    "[severity-map]\ncritical = P1\n",
	    srv.prom_port,
	    with_am ? "[alertmanager]\nurl = http://127.0.0.1:" : "",
	    with_am ? srv.am_port : 0, with_am ? "\n" : "");
	write_config(text);
}

Test(metrics, snapshot_of_up_and_a_configured_query_has_real_values)
{
	json_t *data, *q;
	char *out, *d;

	prometheus_config(0);
	ok(ARGS("declare", "--severity", "P2", "--title", "t", "--service",
	        "search"));
	/* `up` has a value once the self-scrape has run (a few seconds). */
	out = until(ARGS("snapshot", "1"), "up 1;", 20000);
	cr_assert_not_null(strstr(out, "answer 42 things"), "%s", out);
	cr_assert_null(strstr(out, "checkout_only"), "another service's query");
	free(out);
	d = sql1(db, "SELECT data FROM entries WHERE kind = 'metric' AND text"
	             " LIKE '%up 1;%' ORDER BY id DESC LIMIT 1");
	data = json_loads(d, 0, NULL);
	cr_assert_not_null(data, "%s", d);
	cr_assert_str_eq(json_string_value(json_object_get(data, "source")),
	                 "prometheus");
	q = json_array_get(json_object_get(data, "queries"), 0);
	cr_assert_str_eq(json_string_value(json_object_get(q, "expr")), "up");
	cr_assert_str_eq(
	    json_string_value(json_object_get(
	        json_array_get(json_object_get(q, "series"), 0), "value")),
	    "1");
	cr_assert_str_eq(
	    json_string_value(json_object_get(
	        json_object_get(json_array_get(json_object_get(q, "series"), 0),
	                        "labels"),
	        "job")),
	    "self");
	q = json_array_get(json_object_get(data, "queries"), 1);
	cr_assert_str_eq(
	    json_string_value(json_object_get(
	        json_array_get(json_object_get(q, "series"), 0), "value")),
	    "42");
	cr_assert(
	    json_array_size(json_object_get(
	        json_array_get(
	            json_object_get(json_object_get(q, "range"), "series"), 0),
	        "values")) >= 1,
	    "the range query has samples");
	json_decref(data);
	free(d);
}

Test(metrics, firing_alert_listed_pending_one_not_and_declare_links_it)
{
	char *out, *v;
	json_t *j, *a;
	size_t i;
	int firing = 0, pending = 0;

	prometheus_config(1);
	out = until(ARGS("alerts", "--json"), "AlwaysFiring", 20000);
	j = json_loads(out, 0, NULL);
	cr_assert_not_null(j);
	json_array_foreach(json_object_get(j, "alerts"), i, a)
	{
		const char *n = json_string_value(json_object_get(a, "name"));

		firing += strcmp(n, "AlwaysFiring") == 0;
		pending += strcmp(n, "StaysPending") == 0;
	}
	cr_assert_eq(firing, 1, "one alert, though two sources may report it");
	cr_assert_eq(pending, 0, "a pending alert is not firing");
	json_decref(j);
	free(out);
	/* Alertmanager hears of it too, within seconds. */
	free(until(
	    ARGS("alerts", "--json"),
	    "\"name\": \"alertmanager\",\n      \"ok\": true,\n      \"detail\": "
	    "\"1 firing\"",
	    30000));
	ok(ARGS("declare", "--alert", "AL-1"));
	v = sql1(db, "SELECT title || '|' || severity || '|' || alert_key FROM"
	             " incidents WHERE id = 1");
	cr_assert_str_eq(
	    v, "Checkout error budget burning|P1|"
	       "{\"alertname\":\"AlwaysFiring\",\"severity\":\"critical\"}");
	free(v);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM entries WHERE kind ="
	                         " 'alert' AND incident_id = 1"),
	             1);
	cr_assert_eq(sql_int(db, "SELECT incident_id FROM alerts"), 1);
	out = until(ARGS("alerts"), "INC-1", 5000);
	free(out);
}

Test(metrics, a_source_that_goes_down_is_logged_once_and_its_return_too)
{
	struct run r;

	prometheus_config(0);
	ok(ARGS("declare", "--severity", "P1", "--title", "t"));
	free(until(ARGS("snapshot", "1"), "answer 42", 20000));
	servers_prometheus_kill(&srv);
	r = itui(ARGS("snapshot", "1"));
	cr_assert_eq(r.status, 1, "a source down is operational: %s", r.err);
	cr_assert_not_null(strstr(r.err, "prometheus"), "%s", r.err);
	run_free(&r);
	r = itui(ARGS("snapshot", "1"));
	cr_assert_eq(r.status, 1);
	run_free(&r);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM entries WHERE text LIKE"
	                         " 'Monitoring gap:%'"),
	             1, "the gap is logged once");
	cr_assert_eq(sql_int(db, "SELECT ok FROM sources WHERE name ="
	                         " 'prometheus'"),
	             0);
	servers_prometheus_restart(&srv);
	free(until(ARGS("snapshot", "1"), "answer 42", 20000));
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM entries WHERE text LIKE"
	                         " 'Monitoring restored:%'"),
	             1);
	/* Nothing typed was lost meanwhile. */
	ok(ARGS("log", "1", "still here"));
}

Test(metrics, a_black_holed_source_times_out)
{
	char text[512];
	struct run r;
	long t0;

	servers_black_hole(&srv);
	snprintf(text, sizeof text,
	         "[prometheus]\nurl = http://127.0.0.1:%d\ntimeout = 2s\n"
	         "[query up]\nexpr = up\n",
	         srv.hole_port);
	write_config(text);
	ok(ARGS("declare", "--severity", "P1", "--title", "t"));
	t0 = ms_now();
	r = itui(ARGS("snapshot", "1"));
	cr_assert_eq(r.status, 1, "%s", r.err);
	cr_assert_lt(ms_now() - t0, 6000, "the timeout was not enforced");
	cr_assert(strstr(r.err, "imeout") || strstr(r.err, "timed out"), "%s",
	          r.err);
	run_free(&r);
}

Test(metrics, nothing_configured_is_a_clear_error)
{
	struct run r;

	write_config("");
	ok(ARGS("declare", "--severity", "P1", "--title", "t"));
	r = itui(ARGS("snapshot", "1"));
	cr_assert_eq(r.status, 2);
	cr_assert_not_null(strstr(r.err, "no metrics source configured"));
	run_free(&r);
	r = itui(ARGS("alerts"));
	cr_assert_eq(r.status, 2);
	run_free(&r);
}

/* ---- Grafana, through its stand-in ---- */

static char *
grafana_log(void)
{
	char path[700];

	snprintf(path, sizeof path, "%s/grafana.log", home);
	{
		FILE *f = fopen(path, "r");
		char *buf = calloc(1, 1 << 16);

		if (f != NULL) {
			(void)!fread(buf, 1, (1 << 16) - 1, f);
			fclose(f);
		}
		return buf;
	}
}

static int
count(const char *hay, const char *needle)
{
	int n = 0;

	for (; (hay = strstr(hay, needle)) != NULL; hay++)
		n++;
	return n;
}

static void
grafana_config(const char *token_line)
{
	char text[512];

	servers_grafana(&srv, home, "glsa_test_token");
	snprintf(
	    text, sizeof text,
	    "[grafana]\nurl = http://127.0.0.1:%d\n%s\ndashboard = abc123\n",
	    srv.grafana_port, token_line);
	write_config(text);
}

Test(metrics, grafana_annotations_for_declare_status_and_resolution)
{
	char *log;

	grafana_config("token_env = GRAFANA_TOKEN");
	ok(ARGS("declare", "--severity", "P1", "--title", "Checkout down"));
	ok(ARGS("status", "1", "mitigating"));
	ok(ARGS("severity", "1", "P0"));
	ok(ARGS("poll", "--once"));
	ok(ARGS("status", "1", "resolved"));
	ok(ARGS("poll", "--once"));
	log = grafana_log();
	cr_assert_eq(count(log, "POST /api/annotations auth=ok time_digits=13"),
	             4, "declared, mitigating, P0, resolved:\n%s", log);
	cr_assert_eq(
	    count(log, "PATCH /api/annotations/1 auth=ok time_digits=13"
	               " end_digits=13"),
	    1, "the resolution closes the declaration's region:\n%s", log);
	/* Health needs no token; every other request carries it. */
	cr_assert_eq(count(log, "auth=bad"), count(log, "GET /api/health "),
	             "%s", log);
	cr_assert_gt(count(log, "GET /api/health "), 0);
	cr_assert_not_null(strstr(log, "\"dashboardUID\":\"abc123\""));
	cr_assert_not_null(strstr(log, "\"INC-1\""), "tagged with the id");
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM annotations WHERE"
	                         " grafana_id > 0"),
	             4);
	free(log);
	/* A third round posts nothing again. */
	ok(ARGS("poll", "--once"));
	log = grafana_log();
	cr_assert_eq(count(log, "POST /api/annotations"), 4);
	free(log);
}

Test(metrics, grafana_failures_lose_nothing)
{
	struct run r;
	char *log;

	grafana_config("token_env = GRAFANA_TOKEN");
	ok(ARGS("declare", "--severity", "P1", "--title", "t"));
	servers_grafana_mode(&srv, "500");
	r = itui(ARGS("poll", "--once"));
	cr_assert_eq(r.status, 1, "a failed round is an operational failure");
	run_free(&r);
	servers_grafana_mode(&srv, "nonjson");
	r = itui(ARGS("poll", "--once"));
	cr_assert_eq(r.status, 1);
	run_free(&r);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM annotations"), 0,
	             "nothing marked as posted");
	cr_assert_eq(
	    sql_int(db, "SELECT ok FROM sources WHERE name = 'grafana'"), 0);
	servers_grafana_mode(&srv, "ok");
	ok(ARGS("poll", "--once"));
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM annotations WHERE"
	                         " grafana_id > 0"),
	             1, "posted once the server is back");
	log = grafana_log();
	/* Tried in the failing rounds too (the dashboard check comes first,
	 * so a failing Grafana may stop it there). */
	cr_assert_gt(count(log, "GET /api/dashboards/uid/abc123 auth=ok"), 1,
	             "%s", log);
	cr_assert_eq(count(log, "POST /api/annotations"), 1, "%s", log);
	free(log);
}

Test(metrics, grafana_wrong_token_and_slow_server)
{
	char text[512];
	struct run r;
	long t0;

	servers_grafana(&srv, home, "a_different_token");
	snprintf(
	    text, sizeof text,
	    "[prometheus]\ntimeout = 2s\n[grafana]\nurl = http://127.0.0.1:%d\n",
	    srv.grafana_port);
	write_config(text);
	ok(ARGS("declare", "--severity", "P1", "--title", "t"));
	r = itui(ARGS("poll", "--once"));
	cr_assert_eq(r.status, 1);
	run_free(&r);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM annotations"), 0);
	{
		char *d = sql1(db, "SELECT detail FROM sources WHERE name ="
		                   " 'grafana'");

		cr_assert_not_null(strstr(d, "401"), "%s", d);
		free(d);
	}
	servers_grafana_mode(&srv, "slow");
	t0 = ms_now();
	r = itui(ARGS("poll", "--once"));
	cr_assert_eq(r.status, 1);
	cr_assert_lt(ms_now() - t0, 8000, "a slow Grafana held the poller");
	run_free(&r);
}

Test(metrics, token_file_must_be_private)
{
	char tf[700], line[800];
	struct run r;
	FILE *f;

	snprintf(tf, sizeof tf, "%s/token", home);
	f = fopen(tf, "w");
	fputs("glsa_test_token\n", f);
	fclose(f);
	chmod(tf, 0644);
	snprintf(line, sizeof line, "token_file = %s", tf);
	grafana_config(line);
	ok(ARGS("declare", "--severity", "P1", "--title", "t"));
	r = itui(ARGS("poll", "--once"));
	cr_assert_eq(r.status, 1);
	run_free(&r);
	{
		char *d = sql1(db, "SELECT detail FROM sources WHERE name ="
		                   " 'grafana'");

		cr_assert_not_null(strstr(d, "readable by others"), "%s", d);
		free(d);
	}
	chmod(tf, 0600);
	ok(ARGS("poll", "--once"));
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM annotations WHERE"
	                         " grafana_id > 0"),
	             1);
}

Test(metrics, grafana_dashboard_snapshot_carries_the_queried_data)
{
	char text[600], *log, *post, *d;
	json_t *body, *panel, *frames, *fields;

	servers_prometheus(&srv, home, 0);
	servers_grafana(&srv, home, "glsa_test_token");
	snprintf(text, sizeof text,
	         "[prometheus]\nurl = http://127.0.0.1:%d\n"
	         "[grafana]\nurl = http://127.0.0.1:%d\ndashboard = abc123\n"
	         "[query answer]\nexpr = vector(42)\nrange = 10m\n",
	         srv.prom_port, srv.grafana_port);
	write_config(text);
	ok(ARGS("declare", "--severity", "P1", "--title", "t"));
	free(until(ARGS("snapshot", "1"), "(Grafana snapshot", 20000));
	d = sql1(db, "SELECT json_extract(data, '$.grafana.snapshot_url') FROM"
	             " entries WHERE kind = 'metric' ORDER BY id DESC LIMIT 1");
	cr_assert(strncmp(d, "http://127.0.0.1/dashboard/snapshot/sk", 38) == 0,
	          "%s", d);
	free(d);
	log = grafana_log();
	post = strstr(log, "POST /api/snapshots auth=ok");
	cr_assert_not_null(post, "%s", log);
	post = strstr(post, "body=") + 5;
	*strchr(post, '\n') = '\0';
	body = json_loads(post, 0, NULL);
	cr_assert_not_null(body, "%s", post);
	panel = json_array_get(
	    json_object_get(json_object_get(body, "dashboard"), "panels"), 0);
	frames = json_object_get(panel, "snapshotData");
	cr_assert_eq(json_array_size(frames), 1,
	             "one frame: the $job target cannot be resolved");
	fields = json_object_get(json_array_get(frames, 0), "fields");
	cr_assert_eq(
	    json_real_value(json_array_get(
	        json_object_get(json_array_get(fields, 1), "values"), 0)),
	    42.0);
	cr_assert_gt(
	    json_integer_value(json_array_get(
	        json_object_get(json_array_get(fields, 0), "values"), 0)),
	    1000000000000LL, "frame times are milliseconds");
	cr_assert_eq(json_array_size(json_object_get(
	                 json_object_get(json_object_get(body, "dashboard"),
	                                 "templating"),
	                 "list")),
	             0, "template variables dropped");
	cr_assert(
	    json_is_string(json_object_get(
	        json_object_get(json_object_get(body, "dashboard"), "time"),
	        "from")),
	    "an absolute time range");
	json_decref(body);
	free(log);
}

Test(metrics, oversized_answers_are_refused)
{
	struct run r;
	char text[512], *d;

	servers_grafana(&srv, home, "glsa_test_token");
	servers_grafana_mode(&srv, "huge");
	snprintf(text, sizeof text, "[grafana]\nurl = http://127.0.0.1:%d\n",
	         srv.grafana_port);
	write_config(text);
	ok(ARGS("declare", "--severity", "P1", "--title", "t"));
	r = itui(ARGS("poll", "--once"));
	cr_assert_eq(r.status, 1);
	cr_assert_not_null(strstr(r.err, "larger than"), "%s", r.err);
	run_free(&r);
	d = sql1(db, "SELECT detail FROM sources WHERE name = 'grafana'");
	cr_assert_not_null(strstr(d, "larger than 4194304 bytes"), "%s", d);
	free(d);
}

Test(metrics, a_missing_grafana_dashboard_does_not_lose_the_snapshot)
{
	char text[600], *d;

	servers_prometheus(&srv, home, 0);
	servers_grafana(&srv, home, "glsa_test_token");
	snprintf(text, sizeof text,
	         "[prometheus]\nurl = http://127.0.0.1:%d\n"
	         "[grafana]\nurl = http://127.0.0.1:%d\ndashboard = nosuchuid\n"
	         "[query answer]\nexpr = vector(42)\n",
	         srv.prom_port, srv.grafana_port);
	write_config(text);
	ok(ARGS("declare", "--severity", "P1", "--title", "t"));
	free(until(ARGS("snapshot", "1"), "answer 42", 20000));
	d = sql1(db, "SELECT json_extract(data, '$.grafana.error') FROM entries"
	             " WHERE kind = 'metric' ORDER BY id DESC LIMIT 1");
	cr_assert_not_null(strstr(d, "HTTP 404: Dashboard not found"), "%s", d);
	free(d);
}

Test(metrics, grafana_rate_limit_keeps_the_annotation_for_later)
{
	struct run r;
	char *d;

	grafana_config("token_env = GRAFANA_TOKEN");
	ok(ARGS("declare", "--severity", "P1", "--title", "t"));
	servers_grafana_mode(&srv, "429");
	r = itui(ARGS("poll", "--once"));
	cr_assert_eq(r.status, 1);
	run_free(&r);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM annotations"), 0,
	             "a rate-limited annotation is not marked as posted");
	d = sql1(db, "SELECT ok || ' ' || detail FROM sources WHERE name ="
	             " 'grafana'");
	cr_assert_not_null(strstr(d, "0 HTTP 429: Too many requests"), "%s", d);
	free(d);
	servers_grafana_mode(&srv, "ok");
	ok(ARGS("poll", "--once"));
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM annotations WHERE"
	                         " grafana_id > 0"),
	             1);
}

PG_TWIN(metrics, setup, teardown, db, .timeout = 90);

static int
lines_of(const char *path)
{
	FILE *f = fopen(path, "r");
	int n = 0, c;

	if (f == NULL)
		return 0;
	while ((c = fgetc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

/*
 * Four pollers started at once on one database (as four dashboards would
 * run them): one takes the database's lease and polls, the others ask the
 * source nothing.  With an hour's interval each would poll exactly once at
 * start, so the loopback source counts one round, not four.
 */
BOTH(metrics, one_poller_per_database_however_many_are_open)
{
	char text[512], log[700], env_home[700];
	pid_t pids[4];
	int i, once, end;

	servers_canned(&srv, home, 0, 200,
	               "{\"status\":\"success\",\"data\":{\"resultType\":"
	               "\"vector\",\"result\":[]}}");
	snprintf(text, sizeof text,
	         "[prometheus]\nurl = http://127.0.0.1:%d\ninterval = 1h\n",
	         srv.canned_port);
	write_config(text);
	snprintf(log, sizeof log, "%s/canned.log", home);
	ok(ARGS("declare", "--severity", "P1", "--title", "t"));
	/* What one round asks. */
	(void)itui(ARGS("poll", "--once"));
	once = lines_of(log);
	cr_assert_gt(once, 0, "a round asked the source nothing");
	snprintf(env_home, sizeof env_home, "HOME=%s", home);
	for (i = 0; i < 4; i++) {
		pids[i] = fork();
		cr_assert(pids[i] >= 0);
		if (pids[i] == 0) {
			freopen("/dev/null", "w", stdout);
			freopen("/dev/null", "w", stderr);
			putenv(env_home);
			execl(bin_path(), "incident-tui", "--config", cfg,
			      "--db", db, "poll", (char *)NULL);
			_exit(127);
		}
	}
	end = (int)(ms_now() + 10000);
	while (lines_of(log) < 2 * once && ms_now() < end)
		usleep(20000);
	cr_assert_geq(lines_of(log), 2 * once, "no poller polled");
	/* Three more rounds would land within moments; none may come. */
	end = (int)(ms_now() + 2000);
	while (ms_now() < end) {
		cr_assert_eq(lines_of(log), 2 * once,
		             "more than one poller asked the source");
		usleep(50000);
	}
	for (i = 0; i < 4; i++) {
		kill(pids[i], SIGTERM);
		waitpid(pids[i], NULL, 0);
	}
}
