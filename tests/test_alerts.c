/*
 * Alerts as a production monitoring stack sends them, against Debian's
 * real Prometheus (with external_labels) and Alertmanager (with an
 * inhibition rule, silences made through its API, and a webhook receiver
 * pointing at `incident-tui receive`), plus canned loopback servers for a
 * slow first byte, a 403 and a proxy that echoes the credentials it was
 * sent.  Every wait polls with a deadline.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <criterion/criterion.h>
#include <jansson.h>

#include "harness.h"
#include "itui/alertview.h"
#include "servers.h"

static char *home, db[600], cfg[600];
static struct servers srv;
static pid_t bg = 0;

static void
setup(void)
{
	home = tmpdir_make();
	snprintf(db, sizeof db, "%s/a.db", home);
	snprintf(cfg, sizeof cfg, "%s/config", home);
	memset(&srv, 0, sizeof srv);
}

static void
stop_bg(void)
{
	if (bg > 0) {
		kill(bg, SIGKILL);
		waitpid(bg, NULL, 0);
	}
	bg = 0;
}

static void
teardown(void)
{
	stop_bg();
	servers_stop(&srv);
	tmpdir_remove(home);
}

TestSuite(prodalerts, .init = setup, .fini = teardown, .timeout = 120);

static void
write_file(const char *name, const char *text, mode_t mode)
{
	char path[700];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", home, name);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
}

static struct run
itui_env(const char *const *env, const char *in, const char *const *args)
{
	const char *argv[32] = {"--config", cfg, "--db", db};
	int n = 4;

	while (*args != NULL)
		argv[n++] = *args++;
	argv[n] = NULL;
	return run_bin(home, in, env, argv);
}

static struct run
itui(const char *const *args)
{
	return itui_env(NULL, NULL, args);
}

static void
ok(const char *const *args)
{
	struct run r = itui(args);

	cr_assert_eq(r.status, 0, "%s: exit %d: %s", args[0], r.status, r.err);
	run_free(&r);
}

/* Repeats a command until the SQL query answers `want`. */
static void
until_sql(const char *const *args, const char *sql, const char *want, long ms)
{
	long end = ms_now() + ms;
	char *v = NULL;

	for (;;) {
		if (args != NULL) {
			struct run r = itui(args);

			run_free(&r);
		}
		free(v);
		v = sql1(db, sql);
		if (strcmp(v, want) == 0) {
			free(v);
			return;
		}
		if (ms_now() > end)
			break;
		usleep(250000);
	}
	cr_assert_fail("'%s' never gave '%s'; last '%s'", sql, want, v);
}

/* Runs the binary in the background (the receiver, the poller). */
static pid_t
spawn_bin(const char *const *args)
{
	pid_t pid = fork();

	cr_assert(pid >= 0);
	if (pid == 0) {
		const char *argv[32] = {bin_path(), "--config", cfg, "--db",
		                        db};
		char log[700];
		int n = 5;

		while (*args != NULL)
			argv[n++] = *args++;
		argv[n] = NULL;
		setenv("HOME", home, 1);
		setenv("XDG_CONFIG_HOME", home, 1);
		snprintf(log, sizeof log, "%s/bg.log", home);
		freopen(log, "a", stdout);
		freopen(log, "a", stderr);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	return pid;
}

static int
file_has(const char *name, const char *needle)
{
	char path[700], *buf;
	FILE *f;
	size_t n;
	int found;

	snprintf(path, sizeof path, "%s/%s", home, name);
	f = fopen(path, "r");
	if (f == NULL)
		return 0;
	buf = malloc(1 << 22);
	n = fread(buf, 1, (1 << 22) - 1, f);
	fclose(f);
	buf[n] = '\0';
	found = memmem(buf, n, needle, strlen(needle)) != NULL;
	free(buf);
	return found;
}

static void
until_file(const char *name, const char *needle, long ms)
{
	long end = ms_now() + ms;

	while (!file_has(name, needle)) {
		cr_assert(ms_now() < end, "%s never showed '%s'", name, needle);
		usleep(200000);
	}
}

/* METHOD 127.0.0.1:port/path with a body; returns the HTTP status. */
static int
request_status(int port, const char *method, const char *path, const char *auth,
               const char *body)
{
	struct sockaddr_in a = {0};
	int fd = socket(AF_INET, SOCK_STREAM, 0), code = -1;
	char head[1024], buf[1024];
	struct timeval tv = {10, 0};
	size_t len = strlen(body), off = 0;
	ssize_t n;

	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
		close(fd);
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	snprintf(head, sizeof head,
	         "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n%s%s%s"
	         "Content-Type: application/json\r\nContent-Length: %zu\r\n"
	         "Connection: close\r\n\r\n",
	         method, path, auth ? "Authorization: " : "", auth ? auth : "",
	         auth ? "\r\n" : "", len);
	(void)!write(fd, head, strlen(head));
	/* The server may refuse before reading it all: a broken pipe. */
	signal(SIGPIPE, SIG_IGN);
	while (off < len && (n = write(fd, body + off, len - off)) > 0)
		off += (size_t)n;
	n = read(fd, buf, sizeof buf - 1);
	if (n > 12) {
		buf[n] = '\0';
		sscanf(buf, "HTTP/%*s %d", &code);
	}
	close(fd);
	return code;
}

static int
post(int port, const char *path, const char *auth, const char *body)
{
	return request_status(port, "POST", path, auth, body);
}

static void
prometheus_and_am_config(const char *extra)
{
	char text[2048];

	/* A trailing slash, as people paste URLs: accepted. */
	snprintf(text, sizeof text,
	         "[prometheus]\nurl = http://127.0.0.1:%d/\ntimeout = 5s\n"
	         "[alertmanager]\nurl = http://127.0.0.1:%d/\n"
	         "[severity-map]\ncritical = P1\nwarning = P3\n%s",
	         srv.prom_port, srv.am_port, extra ? extra : "");
	write_file("config", text, 0644);
}

Test(prodalerts, one_row_per_real_alert_and_a_silence_is_never_a_resolution)
{
	char q[256], *v;
	long long always, su;
	struct run r;

	srv.production = 1;
	servers_prometheus(&srv, home, 1);
	prometheus_and_am_config(NULL);
	/* Alertmanager hears of them within seconds; the inhibition too. */
	until_sql(
	    ARGS("alerts"),
	    "SELECT count(*) FROM alerts WHERE name = 'ServiceUnreachable'"
	    " AND am_state = 'suppressed' AND inhibited_by IS NOT NULL",
	    "1", 40000);
	until_sql(ARGS("alerts"),
	          "SELECT count(*) FROM alerts WHERE fingerprint IS NOT NULL",
	          "3", 20000);
	/* Prometheus's copy (no external labels) and Alertmanager's: one. */
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM alerts"), 3);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM alerts WHERE name ="
	                         " 'AlwaysFiring'"),
	             1);
	v = sql1(db, "SELECT key FROM alerts WHERE name = 'AlwaysFiring'");
	cr_assert_null(strstr(v, "cluster"), "%s", v);
	free(v);
	r = itui(ARGS("alerts"));
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_not_null(strstr(r.out, "inhibited"), "%s", r.out);
	run_free(&r);

	always =
	    sql_int(db, "SELECT id FROM alerts WHERE name = 'AlwaysFiring'");
	su = sql_int(db,
	             "SELECT id FROM alerts WHERE name = 'ServiceUnreachable'");
	snprintf(q, sizeof q, "AL-%lld", always);
	ok(ARGS("declare", "--alert", q));
	/* The service label sets the incident's service. */
	snprintf(q, sizeof q, "AL-%lld", su);
	ok(ARGS("declare", "--alert", q));
	v = sql1(db, "SELECT service FROM incidents WHERE id = 2");
	cr_assert_str_eq(v, "checkout");
	free(v);

	snprintf(q, sizeof q, "AL-%lld", always);
	ok(ARGS("silence", q, "1h"));
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM entries WHERE"
	                         " incident_id = 1 AND text LIKE '%silenced in"
	                         " Alertmanager for 1h%'"),
	             1, "one entry naming the silence");
	v = sql1(db,
	         "SELECT silence_id FROM alerts WHERE name = 'AlwaysFiring'");
	cr_assert(strlen(v) > 8, "the silence id is kept: %s", v);
	free(v);
	until_sql(ARGS("alerts"),
	          "SELECT am_state || '|' || state FROM alerts WHERE name ="
	          " 'AlwaysFiring'",
	          "suppressed|firing", 20000);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM entries WHERE text LIKE"
	                         " '%resolved%'"),
	             0, "a silence is not a resolution");
	r = itui(ARGS("alerts", "--json"));
	cr_assert_not_null(strstr(r.out, "\"state\": \"silenced\""), "%s",
	                   r.out);
	run_free(&r);
	ok(ARGS("silence", q, "--expire"));
	until_sql(ARGS("alerts"),
	          "SELECT am_state FROM alerts WHERE name = 'AlwaysFiring'",
	          "active", 20000);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM entries WHERE text LIKE"
	                         " '%resolved%'"),
	             0, "nor is its expiry");
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM entries WHERE"
	                         " incident_id = 1 AND text LIKE '%active again"
	                         " in Alertmanager%'"),
	             1);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM alerts"), 3);
}

static const char *
payload(void)
{
	return "{\"receiver\":\"hook\",\"status\":\"firing\",\"alerts\":[{"
	       "\"status\":\"firing\",\"labels\":{\"alertname\":\"Posted\"},"
	       "\"annotations\":{},\"startsAt\":\"2026-11-23T09:30:19.32Z\","
	       "\"endsAt\":\"0001-01-01T00:00:00Z\",\"fingerprint\":\"ff01\"}],"
	       "\"externalURL\":\"http://am\",\"version\":\"4\",\"groupKey\":"
	       "\"{}:{}\",\"truncatedAlerts\":0}";
}

Test(prodalerts, alertmanager_delivers_to_the_receiver_and_nothing_is_lost)
{
	char listen[64], text[1024], inject[512], tb[64], ts[64], big[4096];
	time_t t0 = time(NULL);
	int port = free_port();
	time_t t = time(NULL) + 8;
	struct tm tm;

	srv.webhook_port = port;
	write_file("hook.token", "hook-secret-1\n", 0600);
	servers_prometheus(&srv, home, 1);
	snprintf(text, sizeof text,
	         "[receiver]\ntoken_file = %s/hook.token\nmax_body = 2k\n",
	         home);
	write_file("config", text, 0644);
	ok(ARGS("declare", "--severity", "P1", "--title", "t"));
	snprintf(listen, sizeof listen, "127.0.0.1:%d", port);
	/* Alertmanager fails to deliver while nobody listens... */
	until_file("am.log", "Notify for alerts failed", 30000);
	/* ...and delivers once the receiver is up: nothing lost. */
	bg = spawn_bin(ARGS("receive", "--listen", listen));
	until_sql(NULL,
	          "SELECT count(*) FROM alerts WHERE name = 'AlwaysFiring' AND"
	          " source = 'webhook' AND fingerprint IS NOT NULL",
	          "1", 30000);
	/* Killed with no goodbye; an alert fires meanwhile. */
	stop_bg();
	t = time(NULL) + 8;
	gmtime_r(&t, &tm);
	strftime(tb, sizeof tb, "%Y-%m-%dT%H:%M:%SZ", &tm);
	t0 = time(NULL);
	gmtime_r(&t0, &tm);
	/* Without startsAt, Alertmanager takes endsAt for it. */
	strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(inject, sizeof inject,
	         "[{\"labels\":{\"alertname\":\"Injected\",\"severity\":"
	         "\"warning\"},\"annotations\":{\"summary\":\"short-lived\"},"
	         "\"startsAt\":\"%s\",\"endsAt\":\"%s\"}]",
	         ts, tb);
	free(servers_am_post(&srv, "/api/v2/alerts", inject));
	bg = spawn_bin(ARGS("receive", "--listen", listen));
	until_sql(NULL, "SELECT count(*) FROM alerts WHERE name = 'Injected'",
	          "1", 30000);
	/* send_resolved: the resolution lands too, once. */
	until_sql(NULL, "SELECT state FROM alerts WHERE name = 'Injected'",
	          "resolved", 40000);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM alerts WHERE name ="
	                         " 'Injected'"),
	             1);

	/* Refusals store nothing. */
	{
		long long before = sql_int(db, "SELECT count(*) FROM alerts");
		const char *ok_auth = "Bearer hook-secret-1";

		cr_assert_eq(post(port, "/", "Bearer wrong", payload()), 401);
		cr_assert_eq(post(port, "/", NULL, payload()), 401);
		cr_assert_eq(post(port, "/", ok_auth, "{\"version\":\"4\"}"),
		             400);
		memset(big, ' ', sizeof big - 1);
		big[sizeof big - 1] = '\0';
		cr_assert_eq(post(port, "/", ok_auth, big), 413);
		cr_assert_eq(sql_int(db, "SELECT count(*) FROM alerts"), before,
		             "nothing stored");
		cr_assert_eq(post(port, "/", ok_auth, payload()), 200);
		cr_assert_eq(sql_int(db, "SELECT count(*) FROM alerts"),
		             before + 1, "stored before the answer");
	}
}

/*
 * 50 posts at once, each on its own connection, as Alertmanager sends
 * groups in parallel, one of them malformed: the 49 land exactly once, in
 * fewer transactions than posts (the committer takes what queued while it
 * was committing), and the bad one is refused alone.
 */
Test(prodalerts, fifty_posts_at_once_land_once_each_in_fewer_commits)
{
	enum { N = 50, BAD = 17 };
	int fd[N], code[N], port = free_port(), i, up = 0;
	long long rev0, rev1;
	char listen[64], body[700], head[300], buf[512];
	struct sockaddr_in a = {0};

	write_file("config", "", 0644);
	ok(ARGS("declare", "--severity", "P1", "--title", "t"));
	snprintf(listen, sizeof listen, "127.0.0.1:%d", port);
	bg = spawn_bin(ARGS("receive", "--listen", listen));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (i = 0; i < 300 && !up; i++) {
		int s = socket(AF_INET, SOCK_STREAM, 0);

		up = connect(s, (struct sockaddr *)&a, sizeof a) == 0;
		close(s);
		if (!up)
			usleep(20000);
	}
	cr_assert(up, "the receiver listens");
	rev0 = sql_int(db, "SELECT rev FROM changes WHERE incident_id = 0");
	/* All connected and sent before any answer is read. */
	signal(SIGPIPE, SIG_IGN);
	for (i = 0; i < N; i++) {
		struct timeval tv = {20, 0};

		fd[i] = socket(AF_INET, SOCK_STREAM, 0);
		cr_assert_eq(connect(fd[i], (struct sockaddr *)&a, sizeof a),
		             0);
		setsockopt(fd[i], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
		if (i == BAD)
			snprintf(body, sizeof body, "{\"version\":\"4\"");
		else
			snprintf(
			    body, sizeof body,
			    "{\"receiver\":\"hook\",\"status\":\"firing\","
			    "\"alerts\":[{\"status\":\"firing\",\"labels\":{"
			    "\"alertname\":\"Par%d\"},\"annotations\":{},"
			    "\"startsAt\":\"2026-11-23T09:30:19Z\",\"endsAt\":"
			    "\"0001-01-01T00:00:00Z\",\"fingerprint\":\"fa%02d\"}"
			    "],\"externalURL\":\"http://am\",\"version\":\"4\","
			    "\"groupKey\":\"{}:{alertname=\\\"Par%d\\\"}\","
			    "\"truncatedAlerts\":0}",
			    i, i, i);
		snprintf(head, sizeof head,
		         "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
		         "application/json\r\nContent-Length: %zu\r\n"
		         "Connection: close\r\n\r\n",
		         strlen(body));
		cr_assert((size_t)write(fd[i], head, strlen(head)) ==
		          strlen(head));
		cr_assert((size_t)write(fd[i], body, strlen(body)) ==
		          strlen(body));
	}
	for (i = 0; i < N; i++) {
		ssize_t n = read(fd[i], buf, sizeof buf - 1);

		code[i] = -1;
		if (n > 12) {
			buf[n] = '\0';
			sscanf(buf, "HTTP/%*s %d", &code[i]);
		}
		close(fd[i]);
	}
	/* Answered 2xx only once committed: all there when the last is. */
	rev1 = sql_int(db, "SELECT rev FROM changes WHERE incident_id = 0");
	for (i = 0; i < N; i++)
		cr_assert_eq(code[i], i == BAD ? 400 : 200, "post %d: %d", i,
		             code[i]);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM alerts WHERE name LIKE"
	                         " 'Par%' AND source = 'webhook'"),
	             N - 1);
	cr_assert_eq(sql_int(db, "SELECT count(DISTINCT fingerprint) FROM"
	                         " alerts WHERE name LIKE 'Par%'"),
	             N - 1, "each exactly once");
	cr_log_info("%d posts, %lld commits", N - 1, rev1 - rev0);
	cr_assert(rev1 - rev0 >= 1 && rev1 - rev0 < N - 1,
	          "%lld commits for %d posts", rev1 - rev0, N - 1);
}

Test(prodalerts, a_token_file_others_can_read_is_refused)
{
	struct run r;

	write_file("hook.token", "hook-secret-1\n", 0644);
	write_file("config", "", 0644);
	{
		char text[700];

		snprintf(text, sizeof text,
		         "[receiver]\ntoken_file = %s/hook.token\n", home);
		write_file("config", text, 0644);
	}
	r = itui(ARGS("receive", "--listen", "127.0.0.1:1"));
	cr_assert_neq(r.status, 0);
	cr_assert_not_null(strstr(r.err, "chmod 600"), "%s", r.err);
	run_free(&r);
}

Test(prodalerts, a_storm_of_2000_keeps_the_critical_one_first)
{
	struct strbuf_like {
		char *p;
		size_t n, cap;
	} b = {malloc(1 << 20), 0, 1 << 20};
	struct run r;
	json_t *j, *first;
	int i;

	servers_prometheus(&srv, home, 1);
	prometheus_and_am_config(NULL);
	b.n += (size_t)sprintf(b.p, "[");
	for (i = 0; i < 2000; i++)
		b.n += (size_t)sprintf(
		    b.p + b.n,
		    "%s{\"labels\":{\"alertname\":\"Storm\",\"severity\":"
		    "\"warning\",\"instance\":\"node-%d\"}}",
		    i ? "," : "", i);
	b.n += (size_t)sprintf(b.p + b.n,
	                       ",{\"labels\":{\"alertname\":\"PaymentsDown\","
	                       "\"severity\":\"critical\"},\"annotations\":"
	                       "{\"summary\":\"payments down\"}}]");
	free(servers_am_post(&srv, "/api/v2/alerts", b.p));
	free(b.p);
	until_sql(ARGS("alerts"),
	          "SELECT count(*) FROM alerts WHERE name IN ('Storm',"
	          " 'PaymentsDown', 'AlwaysFiring')",
	          "2002", 40000);
	r = itui(ARGS("alerts", "--json"));
	cr_assert_eq(r.status, 0, "%s", r.err);
	j = json_loads(r.out, 0, NULL);
	cr_assert_not_null(j);
	cr_assert(json_array_size(json_object_get(j, "alerts")) >= 2002,
	          "every alert listed");
	cr_assert_eq(json_integer_value(json_object_get(j, "truncated")), 0);
	/* The two criticals come before any of the 2,000 warnings. */
	for (i = 0; i < 2; i++) {
		first = json_array_get(json_object_get(j, "alerts"), (size_t)i);
		cr_assert_str_eq(
		    json_string_value(json_object_get(first, "severity")),
		    "critical");
	}
	json_decref(j);
	run_free(&r);
	r = itui(ARGS("handoff"));
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "PaymentsDown") != NULL &&
	              strstr(r.out, "PaymentsDown") < strstr(r.out, "Storm"),
	          "handoff: critical before the storm");
	run_free(&r);
}

Test(prodalerts, a_slow_first_byte_within_the_timeout_succeeds)
{
	char text[512];
	struct run r;

	servers_canned(&srv, home, 5000, 200,
	               "{\"status\":\"success\",\"data\":{\"alerts\":[]}}");
	snprintf(text, sizeof text,
	         "[prometheus]\nurl = http://127.0.0.1:%d\ntimeout = 30s\n",
	         srv.canned_port);
	write_file("config", text, 0644);
	r = itui(ARGS("alerts", "--json"));
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_not_null(strstr(r.out, "\"ok\": true"), "%s", r.out);
	run_free(&r);
}

Test(prodalerts, a_403_source_is_permission_denied_and_slows_nothing)
{
	char text[700];
	long long rounds;

	servers_prometheus(&srv, home, 0);
	servers_canned(&srv, home, 0, 403,
	               "{\"message\":\"You'll need additional permissions\"}");
	snprintf(text, sizeof text,
	         "[prometheus]\nurl = http://127.0.0.1:%d\ninterval = 1s\n"
	         "[alertmanager]\nurl = http://127.0.0.1:%d\n",
	         srv.prom_port, srv.canned_port);
	write_file("config", text, 0644);
	ok(ARGS("declare", "--severity", "P1", "--title", "t"));
	bg = spawn_bin(ARGS("poll"));
	/* Prometheus is asked every second, whatever the 403 does. */
	until_sql(
	    NULL,
	    "SELECT count(*) > 0 FROM sources WHERE name = 'alertmanager'", "1",
	    20000);
	rounds = sql_int(db, "SELECT checked_at FROM sources WHERE name ="
	                     " 'prometheus'");
	{
		char q[200];

		snprintf(q, sizeof q,
		         "SELECT checked_at >= %lld FROM sources WHERE name ="
		         " 'prometheus'",
		         rounds + 3);
		until_sql(NULL, q, "1", 20000);
	}
	stop_bg();
	{
		char *d = sql1(db, "SELECT detail FROM sources WHERE name ="
		                   " 'alertmanager'");

		cr_assert_not_null(
		    strstr(d, "permission denied (check the token's role)"),
		    "%s; %s", d,
		    sql1(
		        db,
		        "SELECT group_concat(name || ':' || detail) FROM sources"));
		free(d);
	}
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM entries WHERE text LIKE"
	                         " 'Monitoring gap%'"),
	             0, "a 403 is not an outage");
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM entries WHERE text LIKE"
	                         " 'Monitoring: alertmanager refuses our"
	                         " credentials%'"),
	             1, "one entry when it starts, none while it persists");
	/* Not retried every round: asked once in 3+ rounds. */
	{
		char path[700], line[512];
		FILE *f;
		int n = 0;

		snprintf(path, sizeof path, "%s/canned.log", home);
		f = fopen(path, "r");
		cr_assert_not_null(f);
		while (fgets(line, sizeof line, f) != NULL)
			n++;
		fclose(f);
		cr_assert_eq(n, 1, "asked %d times", n);
	}
}

/* Every byte of a file, for grepping it. */
static int
db_files_have(const char *needle)
{
	char name[700];

	snprintf(name, sizeof name, "a.db");
	if (file_has(name, needle))
		return 1;
	snprintf(name, sizeof name, "a.db-wal");
	return file_has(name, needle);
}

Test(prodalerts, planted_secrets_never_reach_the_record_or_the_output)
{
	const char *secrets[] = {"planted-pass-9", "planted-token-7",
	                         "glsa_planted_5",
	                         /* base64("admin:planted-pass-9") */
	                         "YWRtaW46cGxhbnRlZC1wYXNzLTk=", NULL};
	const char *env[] = {"GRAFANA_TOKEN=glsa_planted_5", NULL};
	char text[1024];
	struct run r;
	int i;

	/* A proxy that echoes the Authorization header in its 401. */
	servers_canned(&srv, home, 0, 401,
	               "{\"message\":\"invalid credentials: %AUTH%\"}");
	write_file("am.token", "planted-token-7\n", 0600);
	snprintf(
	    text, sizeof text,
	    "[prometheus]\nurl = http://admin:planted-pass-9@127.0.0.1:%d\n"
	    "[alertmanager]\nurl = http://127.0.0.1:%d\n"
	    "bearer_token_file = %s/am.token\n"
	    "[grafana]\nurl = http://127.0.0.1:%d\n"
	    "[query up]\nexpr = up\n",
	    srv.canned_port, srv.canned_port, home, srv.canned_port);
	write_file("config", text, 0644);
	ok(ARGS("declare", "--severity", "P1", "--title", "t"));
	for (i = 0; i < 3; i++) {
		const char *const *args = i == 0   ? ARGS("alerts", "--json")
		                          : i == 1 ? ARGS("poll", "--once")
		                                   : ARGS("snapshot", "1");

		r = itui_env(env, NULL, args);
		for (const char *const *s = secrets; *s != NULL; s++) {
			cr_assert_null(strstr(r.out, *s),
			               "%s in the output: %s", *s, r.out);
			cr_assert_null(strstr(r.err, *s), "%s in an error: %s",
			               *s, r.err);
		}
		run_free(&r);
	}
	/* The server did get them (the echo is real)... */
	cr_assert(file_has("canned.log", "POST") ||
	          file_has("canned.log", "GET"));
	/* ...and the record says why, without them. */
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM sources WHERE detail"
	                         " LIKE '%permission denied%'"),
	             3);
	cr_assert(sql_int(db, "SELECT count(*) FROM sources WHERE detail"
	                      " LIKE '%[redacted]%'") >= 2,
	          "the echoed credential is replaced");
	for (const char *const *s = secrets; *s != NULL; s++) {
		const char *f;

		cr_assert(!db_files_have(*s), "%s in the database", *s);
		/* Nor in any file written, but the ones we planted them in. */
		f = tree_find(home, *s, ARGS("config", "am.token"));
		cr_assert_null(f, "%s in %s", *s, f);
	}
}

Test(prodalerts, groups_count_every_member)
{
	struct alert_row v[5] = {0};
	struct alert_rows rows = {v, 5};
	struct alert_group *g;
	size_t n;

	v[0].name = (char *)"Critical";
	v[0].rank = 0;
	for (int i = 1; i < 5; i++) {
		v[i].name = (char *)"Storm";
		v[i].group_key = (char *)"{}:{alertname=\"Storm\"}";
		v[i].rank = 2;
		v[i].suppressed = i == 4;
	}
	alertview_groups(&rows, &g, &n);
	cr_assert_eq(n, 2);
	cr_assert_str_eq(g[0].key, "Critical");
	cr_assert_eq(g[0].count, 1);
	cr_assert_eq(g[1].count, 4);
	cr_assert_eq(g[1].suppressed, 1);
	cr_assert_eq(g[1].first, 1);
	alertview_groups_free(g, n);
}

/* ---- Grafana, as its source answers (see tests/servers.c) ---- */

static char *
grafana_log(void)
{
	char path[700], *buf = calloc(1, 1 << 20);
	FILE *f;

	snprintf(path, sizeof path, "%s/grafana.log", home);
	f = fopen(path, "r");
	if (f != NULL) {
		(void)!fread(buf, 1, (1 << 20) - 1, f);
		fclose(f);
	}
	return buf;
}

static void
grafana_setup(const char *standin_token, const char *dashboard)
{
	char text[512];

	servers_grafana(&srv, home, standin_token);
	snprintf(text, sizeof text,
	         "[grafana]\nurl = http://127.0.0.1:%d/\ndashboard = %s\n",
	         srv.grafana_port, dashboard);
	write_file("config", text, 0644);
}

static const char *const grafana_env[] = {"GRAFANA_TOKEN=glsa_test_token",
                                          NULL};

Test(prodalerts, grafana_token_must_match_exactly)
{
	struct run r;
	char *d;

	/* Our token only starts with the one Grafana knows. */
	grafana_setup("glsa_test_tok", "abc123");
	ok(ARGS("declare", "--severity", "P1", "--title", "t"));
	r = itui_env(grafana_env, NULL, ARGS("poll", "--once"));
	cr_assert_eq(r.status, 1);
	run_free(&r);
	d = sql1(db, "SELECT detail FROM sources WHERE name = 'grafana'");
	cr_assert_not_null(strstr(d, "permission denied"), "%s", d);
	free(d);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM annotations"), 0);
}

Test(prodalerts, grafana_viewer_token_is_permission_denied_not_a_gap)
{
	struct run r;
	char *d;
	int i;

	grafana_setup("glsa_test_token", "abc123");
	servers_grafana_mode(&srv, "viewer");
	ok(ARGS("declare", "--severity", "P1", "--title", "t"));
	for (i = 0; i < 3; i++) {
		r = itui_env(grafana_env, NULL, ARGS("poll", "--once"));
		run_free(&r);
	}
	d = sql1(db, "SELECT detail FROM sources WHERE name = 'grafana'");
	cr_assert_not_null(
	    strstr(d, "permission denied (check the token's role)"), "%s", d);
	cr_assert_not_null(strstr(d, "403"), "%s", d);
	free(d);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM entries WHERE text LIKE"
	                         " 'Monitoring gap%' OR text LIKE"
	                         " 'Monitoring restored%'"),
	             0, "a 403 is not a monitoring gap");
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM entries WHERE text LIKE"
	                         " 'Monitoring: grafana refuses%'"),
	             1, "one entry in three rounds of refusals: %s",
	             sql1(db, "SELECT group_concat(text, ' | ') FROM entries"));
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM annotations"), 0,
	             "kept for when the token is fixed");
	servers_grafana_mode(&srv, "");
	r = itui_env(grafana_env, NULL, ARGS("poll", "--once"));
	run_free(&r);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM annotations WHERE"
	                         " grafana_id > 0"),
	             1);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM entries WHERE text LIKE"
	                         " 'Monitoring%'"),
	             1, "none when the token works again");
}

Test(prodalerts, grafana_unknown_dashboard_is_not_annotated_org_wide)
{
	struct run r;
	char *log, *e;

	grafana_setup("glsa_test_token", "no-such-uid");
	ok(ARGS("declare", "--severity", "P1", "--title", "t"));
	r = itui_env(grafana_env, NULL, ARGS("poll", "--once"));
	run_free(&r);
	log = grafana_log();
	cr_assert_not_null(strstr(log, "GET /api/dashboards/uid/no-such-uid"),
	                   "%s", log);
	cr_assert_null(strstr(log, "POST /api/annotations"),
	               "nothing posted: %s", log);
	free(log);
	e = sql1(db, "SELECT error FROM annotations");
	cr_assert_not_null(strstr(e, "not found in Grafana"), "%s", e);
	free(e);
}

/* Prometheus and the Grafana stand-in, configured with one query. */
static void
prom_and_grafana(const char *dashboard, const char *extra)
{
	char text[700];

	servers_prometheus(&srv, home, 0);
	servers_grafana(&srv, home, "glsa_test_token");
	snprintf(text, sizeof text,
	         "[prometheus]\nurl = http://127.0.0.1:%d\n"
	         "[grafana]\nurl = http://127.0.0.1:%d\ndashboard = %s\n%s"
	         "[query answer]\nexpr = vector(42)\n",
	         srv.prom_port, srv.grafana_port, dashboard, extra);
	write_file("config", text, 0644);
}

/* A field of the newest metric entry's data. */
static char *
last_snapshot(const char *path)
{
	char q[300];

	snprintf(q, sizeof q,
	         "SELECT json_extract(data, '%s') FROM entries WHERE kind ="
	         " 'metric' ORDER BY id DESC LIMIT 1",
	         path);
	return sql1(db, q);
}

Test(prodalerts,
     grafana_snapshot_named_after_the_incident_with_expiry_and_revoke)
{
	char *d, *log;
	struct run r;

	prom_and_grafana("abc123", "snapshot_expiry = 7d\n");
	ok(ARGS("declare", "--severity", "P1", "--title", "Checkout 500s"));
	r = itui_env(grafana_env, NULL, ARGS("snapshot", "1"));
	cr_assert_eq(r.status, 0, "%s", r.err);
	run_free(&r);
	d = sql1(db, "SELECT json_extract(data, '$.grafana.delete_key') || '|'"
	             " || json_extract(data, '$.grafana.name') FROM entries"
	             " WHERE kind = 'metric' ORDER BY id DESC LIMIT 1");
	{
		const char *want = "dk|INC-1 Checkout 500s \xe2\x80\x94 ";

		cr_assert(strncmp(d, want, strlen(want)) == 0, "%s", d);
	}
	free(d);
	log = grafana_log();
	cr_assert_not_null(strstr(log, "\"expires\":604800"), "%s", log);
	free(log);
	r = itui_env(grafana_env, NULL, ARGS("snapshot", "1", "--revoke"));
	cr_assert_eq(r.status, 0, "%s", r.err);
	run_free(&r);
	log = grafana_log();
	cr_assert_not_null(strstr(log, "GET /api/snapshots-delete/dk auth=ok"),
	                   "%s", log);
	free(log);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM entries WHERE text LIKE"
	                         " 'Grafana snapshot revoked: INC-1 %'"),
	             1);
	r = itui_env(grafana_env, NULL, ARGS("snapshot", "1", "--revoke"));
	cr_assert_neq(r.status, 0, "revoked once: %s", r.err);
	cr_assert_not_null(strstr(r.err, "no Grafana snapshot to revoke"), "%s",
	                   r.err);
	run_free(&r);
}

/* The snapshot body last POSTed to the stand-in, parsed. */
static json_t *
last_snapshot_body(void)
{
	char *log = grafana_log(), *post = NULL, *p = log, *nl;
	json_t *j;

	while ((p = strstr(p, "POST /api/snapshots auth=ok")) != NULL)
		post = p++;
	cr_assert_not_null(post, "no snapshot posted: %s", log);
	post = strstr(post, "body=") + 5;
	if ((nl = strchr(post, '\n')) != NULL)
		*nl = '\0';
	j = json_loads(post, 0, NULL);
	cr_assert_not_null(j, "%s", post);
	free(log);
	return j;
}

static json_t *
panel_frames(json_t *panels, size_t i)
{
	return json_object_get(json_array_get(panels, i), "snapshotData");
}

/*
 * Proxy-only mode (no [prometheus] url): every query goes through
 * Grafana's datasource proxy by uid, as POSTs to allow-listed paths; the
 * dashboard's panels are read inside a collapsed row too, Grafana's own
 * interval variables are filled in, and a Loki panel is left alone with a
 * note.
 */
Test(prodalerts, grafana_proxy_mode_panels_rows_intervals_and_datasources)
{
	char text[700], *log, *d;
	json_t *body, *panels, *row, *labels;
	struct run r;
	int s;

	servers_prometheus(&srv, home, 0);
	servers_grafana(&srv, home, "glsa_test_token");
	snprintf(text, sizeof text,
	         "[grafana]\nurl = http://127.0.0.1:%d\ndashboard = abc123\n"
	         "datasource = prom1\n[query answer]\nexpr = vector(42)\n",
	         srv.grafana_port);
	write_file("config", text, 0644);
	ok(ARGS("declare", "--severity", "P1", "--title", "Checkout 500s"));
	r = itui_env(grafana_env, NULL, ARGS("snapshot", "1"));
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_not_null(strstr(r.out, "answer 42"), "%s", r.out);
	cr_assert_not_null(strstr(r.out, "1 panel not Prometheus, not queried"),
	                   "%s", r.out);
	run_free(&r);
	log = grafana_log();
	cr_assert_not_null(strstr(log, "POST /api/datasources/proxy/uid/prom1/"
	                               "api/v1/query auth=ok"),
	                   "%s", log);
	cr_assert_null(strstr(log, "proxy/uid/loki1"),
	               "the Loki panel was queried");
	free(log);
	d = last_snapshot("$.grafana.notes[0]");
	cr_assert_str_eq(d, "panel \"Logs\": loki datasource, not queried"
	                    " (not Prometheus)");
	free(d);

	body = last_snapshot_body();
	panels = json_object_get(json_object_get(body, "dashboard"), "panels");
	cr_assert_eq(json_array_size(panel_frames(panels, 0)), 1,
	             "vector(42); the $job target is not resolvable");
	/* A 1h window at 100 points: a 36 s step, and 4 x 15 s for rates. */
	labels = json_object_get(
	    json_array_get(
	        json_object_get(json_array_get(panel_frames(panels, 1), 0),
	                        "fields"),
	        1),
	    "labels");
	cr_assert_str_eq(json_string_value(json_object_get(labels, "rate")),
	                 "60s");
	cr_assert_str_eq(json_string_value(json_object_get(labels, "interval")),
	                 "36s");
	cr_assert_str_eq(json_string_value(json_object_get(labels, "range")),
	                 "3600s");
	row = json_array_get(panels, 2);
	cr_assert_eq(
	    json_array_size(panel_frames(json_object_get(row, "panels"), 0)), 1,
	    "the panel inside the collapsed row has its data");
	cr_assert_eq(json_array_size(panel_frames(panels, 3)), 0,
	             "nothing for the Loki panel");
	json_decref(body);

	/* The stand-in's allow-list, as the client relies on it. */
	s = post(srv.grafana_port,
	         "/api/datasources/proxy/uid/prom1/api/v1/admin/tsdb/snapshot",
	         "Bearer glsa_test_token", "");
	cr_assert_eq(s, 403, "a POST off the allow-list");
	s = post(srv.grafana_port,
	         "/api/datasources/proxy/uid/nope/api/v1/query",
	         "Bearer glsa_test_token", "query=1");
	cr_assert_eq(s, 404);
	s = post(srv.grafana_port,
	         "/api/datasources/proxy/uid/prom1/api/v1/query",
	         "Bearer glsa_test_token", "query=1");
	/* Past the allow-list, Prometheus itself answers (this body is not
	 * the form it wants). */
	cr_assert(s > 0 && s != 403 && s != 404, "%d", s);
}

Test(prodalerts, grafana_alert_states_as_ngalert_formats_them)
{
	char *out = NULL;
	struct run r;

	grafana_setup("glsa_test_token", "abc123");
	r = itui_env(grafana_env, NULL, ARGS("alerts", "--json"));
	cr_assert_eq(r.status, 0, "%s", r.err);
	out = r.out;
	/* Alerting, with or without a reason, NoData, Error and Recovering
	 * notify; Normal (whatever the reason) and Pending do not. */
	cr_assert_not_null(strstr(out, "\"Grafana Alerting\""), "%s", out);
	cr_assert_not_null(strstr(out, "\"Grafana Alerting (NoData)\""));
	cr_assert_not_null(strstr(out, "\"Grafana Alerting (Error)\""));
	cr_assert_not_null(strstr(out, "\"Grafana Recovering\""));
	cr_assert_not_null(strstr(out, "\"Grafana NoData\""));
	cr_assert_not_null(strstr(out, "\"Grafana Error\""));
	cr_assert_null(strstr(out, "\"Grafana Normal"), "%s", out);
	cr_assert_null(strstr(out, "\"Grafana Pending\""), "%s", out);
	run_free(&r);
}

Test(prodalerts, grafana_v2_dashboard_is_annotated_but_not_snapshotted)
{
	char *log, *e;
	struct run r;

	prom_and_grafana("v2dash", "");
	ok(ARGS("declare", "--severity", "P1", "--title", "t"));
	r = itui_env(grafana_env, NULL, ARGS("poll", "--once"));
	run_free(&r);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM annotations WHERE"
	                         " grafana_id > 0"),
	             1, "the dashboard exists: annotated");
	log = grafana_log();
	cr_assert_null(strstr(log, "org-wide"), "%s", log);
	free(log);
	r = itui_env(grafana_env, NULL, ARGS("snapshot", "1"));
	cr_assert_eq(r.status, 0, "%s", r.err);
	run_free(&r);
	e = last_snapshot("$.grafana.error");
	cr_assert_not_null(strstr(e, "v2 dashboard"), "%s", e);
	cr_assert_not_null(strstr(e, "406"), "%s", e);
	free(e);
	log = grafana_log();
	cr_assert_null(strstr(log, "POST /api/snapshots"), "%s", log);
	free(log);
}

Test(prodalerts, grafana_snapshots_disabled_is_said_so_and_data_kept)
{
	char *e;
	struct run r;

	prom_and_grafana("abc123", "");
	servers_grafana_mode(&srv, "nosnapshots");
	ok(ARGS("declare", "--severity", "P1", "--title", "t"));
	r = itui_env(grafana_env, NULL, ARGS("snapshot", "1"));
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_not_null(strstr(r.out, "answer 42"), "%s", r.out);
	run_free(&r);
	e = last_snapshot("$.grafana.error");
	cr_assert_str_eq(
	    e, "Grafana has dashboard snapshots disabled: no snapshot link");
	free(e);
}

Test(prodalerts, grafana_answers_bad_requests_as_its_source_does)
{
	int s;

	grafana_setup("glsa_test_token", "abc123");
	/* Through the client these never happen; the stand-in must still
	 * answer them as Grafana does, or the client tests prove nothing. */
	s = post(srv.grafana_port, "/api/annotations", "Bearer glsa_test_token",
	         "{\"time\":1,\"text\":\"\"}");
	cr_assert_eq(s, 400, "empty text");
	s = post(srv.grafana_port, "/api/annotations",
	         "Bearer glsa_test_tokenX", "{\"time\":1,\"text\":\"x\"}");
	cr_assert_eq(s, 401, "a longer token");
	s = post(srv.grafana_port, "/api/annotations", NULL,
	         "{\"time\":1,\"text\":\"x\"}");
	cr_assert_eq(s, 401, "no token");
	s = request_status(srv.grafana_port, "PATCH", "/api/annotations/99",
	                   "Bearer glsa_test_token", "{\"timeEnd\":2}");
	cr_assert_eq(s, 404, "an id it never issued");
	servers_grafana_mode(&srv, "viewer");
	s = post(srv.grafana_port, "/api/annotations", "Bearer glsa_test_token",
	         "{\"time\":1,\"text\":\"x\"}");
	cr_assert_eq(s, 403, "a Viewer");
}

/* ---- a re-fire after the incident was resolved (both backends) ---- */

PG_TWIN(prodalerts, setup, teardown, db, .timeout = 120);

static char *
fixture(const char *name)
{
	char path[700], *buf = calloc(1, 1 << 16);
	FILE *f;

	snprintf(path, sizeof path, "%s/tests/fixtures/%s", src_dir(), name);
	f = fopen(path, "r");
	cr_assert_not_null(f, "%s", path);
	(void)!fread(buf, 1, (1 << 16) - 1, f);
	fclose(f);
	return buf;
}

static void
ingest(const char *payload)
{
	struct run r = itui_env(NULL, payload, ARGS("ingest", "alertmanager"));

	cr_assert_eq(r.status, 0, "%s", r.err);
	run_free(&r);
}

/* Fires, is declared, resolves with its incident resolved, fires again. */
static void
fire_resolve_fire(const char *config)
{
	char *firing = fixture("alertmanager-webhook-firing.json");
	char *resolved = fixture("alertmanager-webhook-resolved.json");
	char text[200];

	snprintf(text, sizeof text, "[severity-map]\npage = P1\n%s", config);
	write_file("config", text, 0644);
	ingest(firing);
	ok(ARGS("declare", "--alert", "AL-1"));
	ok(ARGS("status", "1", "resolved"));
	ingest(resolved);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM alerts WHERE state ="
	                         " 'resolved'"),
	             1);
	ingest(firing);
	free(firing);
	free(resolved);
}

BOTH(prodalerts, a_refire_after_resolution_is_offered_as_a_new_incident)
{
	struct run r;
	int before;

	fire_resolve_fire("");
	before =
	    sql_int(db, "SELECT count(*) FROM entries WHERE incident_id = 1");
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM entries WHERE"
	                         " incident_id = 1 AND text LIKE '%again%'"),
	             0, "nothing logged onto the resolved incident");
	cr_assert_str_eq(sql1(db, "SELECT status FROM incidents WHERE id = 1"),
	                 "resolved");
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM alerts WHERE state ="
	                         " 'firing' AND incident_id IS NULL"),
	             1, "firing, free to declare");
	/* Offered: `declare --alert` takes it for a new incident. */
	r = itui(ARGS("declare", "--alert", "AL-1"));
	cr_assert_str_eq(r.out, "INC-2\n", "%s", r.err);
	run_free(&r);
	cr_assert_eq(sql_int(db, "SELECT incident_id FROM alerts"), 2);
	cr_assert_eq(
	    sql_int(db, "SELECT count(*) FROM entries WHERE incident_id = 1"),
	    before);
}

BOTH(prodalerts, a_refire_after_resolution_reopens_when_so_configured)
{
	char *v;

	fire_resolve_fire("[alerts]\nrefire = reopen\n");
	v = sql1(db, "SELECT status || '|' || (resolved_at IS NULL) FROM"
	             " incidents WHERE id = 1");
	cr_assert(strcmp(v, "investigating|1") == 0 ||
	              strcmp(v, "investigating|true") == 0,
	          "reopened, no longer resolved: %s", v);
	free(v);
	cr_assert_eq(sql_int(db, "SELECT incident_id FROM alerts"), 1);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM entries WHERE"
	                         " incident_id = 1 AND text LIKE 'Alert"
	                         " AlwaysFiring fired again after the incident"
	                         " was resolved: reopened%'"),
	             1);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM entries WHERE"
	                         " incident_id = 1 AND text = 'Status: resolved"
	                         " -> investigating (relapse)'"),
	             1);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM incidents"), 1);
}

BOTH(prodalerts, a_closed_incident_is_never_reopened_by_an_alert)
{
	char *firing = fixture("alertmanager-webhook-firing.json");
	char *resolved = fixture("alertmanager-webhook-resolved.json");
	struct run r;

	write_file("config",
	           "[severity-map]\npage = P1\n[alerts]\nrefire = reopen\n",
	           0644);
	ingest(firing);
	ok(ARGS("declare", "--alert", "AL-1"));
	ok(ARGS("status", "1", "resolved"));
	ok(ARGS("status", "1", "closed"));
	ingest(resolved);
	ingest(firing);
	cr_assert_str_eq(sql1(db, "SELECT status FROM incidents WHERE id = 1"),
	                 "closed");
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM alerts WHERE"
	                         " incident_id IS NULL"),
	             1);
	free(firing);
	free(resolved);
	/* A value it does not know is refused, not taken as the default. */
	write_file("config", "[alerts]\nrefire = sometimes\n", 0644);
	r = itui(ARGS("alerts"));
	cr_assert_eq(r.status, 2, "%s", r.err);
	cr_assert_not_null(strstr(r.err, "refire: expected new or reopen"),
	                   "%s", r.err);
	run_free(&r);
}
