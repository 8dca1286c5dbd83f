/* servers.c - monitoring servers for the tests (see servers.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "servers.h"

int
free_port(void)
{
	struct sockaddr_in a = {0};
	socklen_t len = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM, 0), port;

	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cr_assert(bind(fd, (struct sockaddr *)&a, sizeof a) == 0);
	getsockname(fd, (struct sockaddr *)&a, &len);
	port = ntohs(a.sin_port);
	close(fd);
	return port;
}

static int
connect_port(int port)
{
	struct sockaddr_in a = {0};
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

int
http_get_status(int port, const char *path)
{
	char req[512], buf[256];
	struct timeval tv = {2, 0};
	int fd = connect_port(port), code = -1;
	ssize_t n;

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	snprintf(req, sizeof req, "GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n",
	         path);
	(void)!write(fd, req, strlen(req));
	n = read(fd, buf, sizeof buf - 1);
	if (n > 12) {
		buf[n] = '\0';
		sscanf(buf, "HTTP/%*s %d", &code);
	}
	close(fd);
	return code;
}

static void
wait_ready(int port, const char *path)
{
	int i;

	for (i = 0; i < 300; i++) {
		if (http_get_status(port, path) == 200)
			return;
		usleep(50000);
	}
	cr_assert_fail("server on port %d never became ready", port);
}

static pid_t
spawn(const char *logfile, char *const argv[])
{
	pid_t pid = fork();

	cr_assert(pid >= 0);
	if (pid == 0) {
		freopen(logfile, "w", stdout);
		freopen(logfile, "a", stderr);
		execv(argv[0], argv);
		_exit(127);
	}
	return pid;
}

static void
write_file(const char *dir, const char *name, const char *text)
{
	char path[700];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
}

void
servers_prometheus_restart(struct servers *s)
{
	char cfg[700], data[700], listen[64], ext[96], log[700];

	snprintf(cfg, sizeof cfg, "--config.file=%s/prometheus.yml", s->dir);
	snprintf(data, sizeof data, "--storage.tsdb.path=%s/data", s->dir);
	snprintf(listen, sizeof listen, "--web.listen-address=127.0.0.1:%d",
	         s->prom_port);
	snprintf(ext, sizeof ext, "--web.external-url=http://127.0.0.1:%d",
	         s->prom_port);
	snprintf(log, sizeof log, "%s/prometheus.log", s->dir);
	s->prom_pid = spawn(
	    log, (char *const[]){"/usr/bin/prometheus", cfg, data, listen, ext,
	                         "--rules.alert.resend-delay=1s", NULL});
	wait_ready(s->prom_port, "/-/ready");
}

void
servers_prometheus(struct servers *s, const char *dir, int with_am)
{
	char text[2048], rules[2048], am[2048];

	snprintf(s->dir, sizeof s->dir, "%s", dir);
	s->prom_port = free_port();
	s->am_port = with_am ? free_port() : 0;
	snprintf(text, sizeof text,
	         "global: {scrape_interval: 1s, evaluation_interval: 1s%s}\n"
	         "rule_files: [rules.yml]\n"
	         "%s%d%s"
	         "scrape_configs:\n"
	         "  - job_name: self\n"
	         "    static_configs: [{targets: ['127.0.0.1:%d']}]\n",
	         s->production ? ", external_labels: {cluster: eu1, replica: a}"
	                       : "",
	         with_am ? "alerting:\n  alertmanagers: [{static_configs: "
	                   "[{targets: ['127.0.0.1:"
	                 : "# ",
	         with_am ? s->am_port : 0, with_am ? "']}]}]\n" : "\n",
	         s->prom_port);
	write_file(dir, "prometheus.yml", text);
	snprintf(
	    rules, sizeof rules,
	    "groups:\n"
	    "  - name: test\n"
	    "    rules:\n"
	    "      - alert: AlwaysFiring\n"
	    "        expr: vector(1)\n"
	    "        labels: {severity: critical}\n"
	    "        annotations: {summary: \"Checkout error budget burning\"}\n"
	    "      - alert: StaysPending\n"
	    "        expr: vector(1)\n"
	    "        for: 1h\n"
	    "%s",
	    s->production
	        ? "      - alert: DatacenterDown\n"
	          "        expr: vector(1)\n"
	          "        labels: {severity: warning, dc: eu1}\n"
	          "      - alert: ServiceUnreachable\n"
	          "        expr: vector(1)\n"
	          "        labels: {severity: warning, dc: eu1, service: "
	          "checkout}\n"
	        : "");
	write_file(dir, "rules.yml", rules);
	if (with_am) {
		char cfg[700], st[700], listen[64], log[700];

		if (s->webhook_port > 0)
			snprintf(
			    am, sizeof am,
			    "route: {receiver: hook, group_wait: 1s,"
			    " group_interval: 2s, repeat_interval: 1h}\n"
			    "receivers:\n"
			    "  - name: hook\n"
			    "    webhook_configs:\n"
			    "      - url: http://127.0.0.1:%d/\n"
			    "        send_resolved: true\n"
			    "        http_config:\n"
			    "          authorization:\n"
			    "            type: Bearer\n"
			    "            credentials_file: %s/hook.token\n",
			    s->webhook_port, dir);
		else
			snprintf(am, sizeof am,
			         "route: {receiver: blackhole}\n"
			         "receivers: [{name: blackhole}]\n");
		/* One alert inhibits another in the same dc, as sites do. */
		if (s->production)
			snprintf(
			    am + strlen(am), sizeof am - strlen(am),
			    "inhibit_rules:\n"
			    "  - source_matchers: [alertname=DatacenterDown]\n"
			    "    target_matchers: [alertname=ServiceUnreachable]\n"
			    "    equal: [dc]\n");
		write_file(dir, "am.yml", am);
		snprintf(cfg, sizeof cfg, "--config.file=%s/am.yml", dir);
		snprintf(st, sizeof st, "--storage.path=%s/am", dir);
		snprintf(listen, sizeof listen,
		         "--web.listen-address=127.0.0.1:%d", s->am_port);
		snprintf(log, sizeof log, "%s/am.log", dir);
		/* Without an empty cluster address it binds 0.0.0.0:9094. */
		s->am_pid = spawn(
		    log,
		    (char *const[]){"/usr/bin/prometheus-alertmanager", cfg, st,
		                    listen, "--cluster.listen-address=", NULL});
		wait_ready(s->am_port, "/-/ready");
	}
	servers_prometheus_restart(s);
}

static void
kill_wait(pid_t *pid)
{
	if (*pid > 0) {
		kill(*pid, SIGKILL);
		waitpid(*pid, NULL, 0);
	}
	*pid = 0;
}

void
servers_prometheus_kill(struct servers *s)
{
	kill_wait(&s->prom_pid);
}

/* ---- the Grafana stand-in ---- */

static const char *standin_token;

static void
reply(int fd, int code, const char *body)
{
	char head[256];
	const char *reason = code == 200   ? "OK"
	                     : code == 400 ? "Bad Request"
	                     : code == 401 ? "Unauthorized"
	                     : code == 403 ? "Forbidden"
	                     : code == 404 ? "Not Found"
	                                   : "Internal Server Error";

	snprintf(head, sizeof head,
	         "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\n"
	         "Content-Length: %zu\r\nConnection: close\r\n\r\n",
	         code, reason, strlen(body));
	(void)!write(fd, head, strlen(head));
	(void)!write(fd, body, strlen(body));
}

static void
read_mode(const char *dir, char *mode, size_t size)
{
	char path[700];
	FILE *f;

	snprintf(path, sizeof path, "%s/grafana.mode", dir);
	mode[0] = '\0';
	f = fopen(path, "r");
	if (f != NULL) {
		if (fgets(mode, (int)size, f) == NULL)
			mode[0] = '\0';
		fclose(f);
	}
	mode[strcspn(mode, "\n")] = '\0';
}

/* Digits of the "time"/"timeEnd" number in a JSON body, 0 when absent. */
static int
digits_of(const char *body, const char *key)
{
	const char *p = strstr(body, key);
	int n = 0;

	if (p == NULL)
		return 0;
	p += strlen(key);
	while (*p == ' ' || *p == ':')
		p++;
	while (p[n] >= '0' && p[n] <= '9')
		n++;
	return n;
}

static void
serve_one(int fd, const char *dir, int *next_id)
{
	char buf[65536], method[16] = "", path[512] = "", mode[32], *body,
	                 *auth, logp[700], resp[256];
	ssize_t n, got = 0;
	long clen = 0;
	int token_ok;
	FILE *log;

	while ((n = read(fd, buf + got, sizeof buf - 1 - (size_t)got)) > 0) {
		got += n;
		buf[got] = '\0';
		body = strstr(buf, "\r\n\r\n");
		if (body != NULL) {
			char *cl = strcasestr(buf, "Content-Length:");

			clen = cl ? strtol(cl + 15, NULL, 10) : 0;
			if (got - (body + 4 - buf) >= clen)
				break;
		}
	}
	buf[got] = '\0';
	body = strstr(buf, "\r\n\r\n");
	body = body ? body + 4 : buf + got;
	sscanf(buf, "%15s %511s", method, path);
	auth = strcasestr(buf, "Authorization: Bearer ");
	read_mode(dir, mode, sizeof mode);
	snprintf(logp, sizeof logp, "%s/grafana.log", dir);
	log = fopen(logp, "a");
	/*
	 * Exact match, as Grafana's token check compares the whole
	 * service-account token (pkg/services/contexthandler): a token that
	 * merely starts with the right one is refused.
	 */
	token_ok =
	    auth != NULL &&
	    strncmp(auth + 22, standin_token, strlen(standin_token)) == 0 &&
	    (auth[22 + strlen(standin_token)] == '\r' ||
	     auth[22 + strlen(standin_token)] == '\n');
	fprintf(log, "%s %s auth=%s time_digits=%d end_digits=%d body=%s\n",
	        method, path, token_ok ? "ok" : "bad",
	        digits_of(body, "\"time\""), digits_of(body, "\"timeEnd\""),
	        body);
	fclose(log);
	if (strcmp(mode, "slow") == 0) {
		sleep(30);
		return;
	}
	if (strcmp(mode, "huge") == 0) {
		/* A chunked body past the cap: the length is never announced.
		 */
		static char chunk[65536];
		const char *h = "HTTP/1.1 200 OK\r\nContent-Type: "
		                "application/json\r\nTransfer-Encoding: "
		                "chunked\r\n\r\n";
		char size[32];
		int k;

		memset(chunk, ' ', sizeof chunk);
		(void)!write(fd, h, strlen(h));
		snprintf(size, sizeof size, "%x\r\n", (unsigned)sizeof chunk);
		for (k = 0; k < 96; k++) {
			if (write(fd, size, strlen(size)) < 0 ||
			    write(fd, chunk, sizeof chunk) < 0 ||
			    write(fd, "\r\n", 2) < 0)
				break;
		}
		(void)!write(fd, "0\r\n\r\n", 5);
		return;
	}
	if (strcmp(path, "/api/health") == 0) {
		if (strcmp(mode, "500") == 0)
			reply(fd, 503,
			      "{\"commit\":\"abc\",\"database\":\"failing\","
			      "\"version\":\"10.2.3\"}");
		else
			reply(fd, 200,
			      "{\"commit\":\"abc\",\"database\":\"ok\","
			      "\"version\":\"10.2.3\"}");
		return;
	}
	if (strcmp(mode, "500") == 0) {
		reply(fd, 500, "{\"message\":\"Internal server error\"}");
		return;
	}
	if (strcmp(mode, "429") == 0) {
		const char *b = "{\"message\":\"Too many requests\"}";
		char h[256];

		snprintf(
		    h, sizeof h,
		    "HTTP/1.1 429 Too Many Requests\r\nContent-Type: "
		    "application/json\r\nRetry-After: 120\r\nContent-Length: "
		    "%zu\r\n\r\n%s",
		    strlen(b), b);
		(void)!write(fd, h, strlen(h));
		return;
	}
	if (strcmp(mode, "nonjson") == 0) {
		const char *h = "HTTP/1.1 502 Bad Gateway\r\nContent-Type: "
		                "text/html\r\nContent-Length: 26\r\n\r\n"
		                "<html>bad gateway</html>\r\n";

		(void)!write(fd, h, strlen(h));
		return;
	}
	if (!token_ok) {
		reply(fd, 401, "{\"message\":\"Unauthorized\"}");
		return;
	}
	/* A Viewer token: reads pass, writes are refused by access control
	 * (pkg/api/api.go wraps each write route in an authorize() check). */
	if (strcmp(mode, "viewer") == 0 && strcmp(method, "GET") != 0) {
		reply(fd, 403,
		      "{\"message\":\"You'll need additional permissions to "
		      "perform this action.\"}");
		return;
	}
	if (strcmp(method, "GET") == 0 &&
	    strcmp(path, "/api/prometheus/grafana/api/v1/alerts") == 0) {
		/* Grafana-managed alerts, in Prometheus's shape. */
		reply(fd, 200,
		      "{\"status\":\"success\",\"data\":{\"alerts\":["
		      "{\"labels\":{\"alertname\":\"GrafanaRule\"},"
		      "\"annotations\":{},\"state\":\"Normal\","
		      "\"activeAt\":\"2026-11-24T09:00:00Z\"}]}}");
		return;
	}
	if (strcmp(method, "GET") == 0 &&
	    strcmp(path, "/api/dashboards/uid/abc123") == 0) {
		reply(
		    fd, 200,
		    "{\"dashboard\":{\"id\":7,\"uid\":\"abc123\",\"title\":"
		    "\"Checkout\",\"panels\":[{\"id\":1,\"type\":\"timeseries\","
		    "\"title\":\"Answer\",\"targets\":[{\"refId\":\"A\","
		    "\"expr\":\"vector(42)\"},{\"refId\":\"B\",\"expr\":"
		    "\"up{job=\\\"$job\\\"}\"}]}],\"templating\":{\"list\":"
		    "[{\"name\":\"job\"}]}},\"meta\":{\"slug\":\"checkout\"}}");
		return;
	}
	if (strncmp(path, "/api/dashboards/uid/", 20) == 0) {
		reply(fd, 404, "{\"message\":\"Dashboard not found\"}");
		return;
	}
	if (strcmp(method, "POST") == 0 &&
	    strcmp(path, "/api/snapshots") == 0) {
		snprintf(
		    resp, sizeof resp,
		    "{\"deleteKey\":\"dk\",\"deleteUrl\":\"http://127.0.0.1/"
		    "api/snapshots-delete/dk\",\"id\":%d,\"key\":\"sk%d\","
		    "\"url\":\"http://127.0.0.1/dashboard/snapshot/sk%d\"}",
		    *next_id, *next_id, *next_id);
		(*next_id)++;
		reply(fd, 200, resp);
		return;
	}
	/* The dashboard-snapshot service's delete by key: 200, or 404. */
	if (strcmp(method, "GET") == 0 &&
	    strncmp(path, "/api/snapshots-delete/", 22) == 0) {
		if (strcmp(path + 22, "dk") == 0)
			reply(fd, 200,
			      "{\"id\":1,\"message\":\"Snapshot deleted. It "
			      "might take an hour before it's cleared from any "
			      "CDN caches.\"}");
		else
			reply(fd, 404,
			      "{\"message\":\"Failed to get "
			      "dashboard snapshot\"}");
		return;
	}
	if (strcmp(method, "POST") == 0 &&
	    strcmp(path, "/api/annotations") == 0) {
		/* pkg/api/annotations.go PostAnnotation: empty text is 400. */
		if (strstr(body, "\"text\"") == NULL ||
		    strstr(body, "\"text\":\"\"") != NULL ||
		    strstr(body, "\"time\"") == NULL) {
			reply(fd, 400,
			      "{\"message\":\"Failed to save annotation\"}");
			return;
		}
		snprintf(resp, sizeof resp,
		         "{\"message\":\"Annotation added\",\"id\":%d}",
		         (*next_id)++);
		reply(fd, 200, resp);
		return;
	}
	if (strcmp(method, "PATCH") == 0 &&
	    strncmp(path, "/api/annotations/", 17) == 0) {
		long id = strtol(path + 17, NULL, 10);

		/* pkg/api/annotations.go PatchAnnotation: an id it never
		 * issued is 404, not a silent success. */
		if (id <= 0 || id >= *next_id) {
			reply(fd, 404,
			      "{\"message\":\"Could not find annotation to "
			      "update\"}");
			return;
		}
		reply(fd, 200, "{\"message\":\"Annotation patched\"}");
		return;
	}
	reply(fd, 404, "{\"message\":\"Not found\"}");
}

void
servers_grafana(struct servers *s, const char *dir, const char *token)
{
	struct sockaddr_in a = {0};
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	socklen_t len = sizeof a;
	pid_t pid;

	snprintf(s->dir, sizeof s->dir, "%s", dir);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cr_assert(bind(fd, (struct sockaddr *)&a, sizeof a) == 0);
	getsockname(fd, (struct sockaddr *)&a, &len);
	s->grafana_port = ntohs(a.sin_port);
	cr_assert(listen(fd, 16) == 0);
	pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		int next_id = 1;

		standin_token = token;
		/* A client that refuses a huge answer hangs up mid-write. */
		signal(SIGPIPE, SIG_IGN);
		/* Bounded: it serves at most 500 requests, then exits. */
		for (int i = 0; i < 500; i++) {
			int c = accept(fd, NULL, NULL);

			if (c < 0)
				continue;
			serve_one(c, dir, &next_id);
			close(c);
		}
		_exit(0);
	}
	close(fd);
	s->grafana_pid = pid;
}

void
servers_grafana_mode(struct servers *s, const char *mode)
{
	write_file(s->dir, "grafana.mode", mode);
}

void
servers_black_hole(struct servers *s)
{
	struct sockaddr_in a = {0};
	socklen_t len = sizeof a;

	s->hole_fd = socket(AF_INET, SOCK_STREAM, 0);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cr_assert(bind(s->hole_fd, (struct sockaddr *)&a, sizeof a) == 0);
	getsockname(s->hole_fd, (struct sockaddr *)&a, &len);
	s->hole_port = ntohs(a.sin_port);
	/* Connections complete in the backlog; nobody ever answers. */
	cr_assert(listen(s->hole_fd, 64) == 0);
}

static void
canned_one(int fd, const char *dir, int delay_ms, int status, const char *body)
{
	char buf[16384], auth[2048] = "", out[20000], logp[700];
	const char *a, *p;
	ssize_t n, got = 0;
	size_t k = 0;
	FILE *log;

	while ((n = read(fd, buf + got, sizeof buf - 1 - (size_t)got)) > 0) {
		got += n;
		buf[got] = '\0';
		if (strstr(buf, "\r\n\r\n") != NULL)
			break;
	}
	buf[got] = '\0';
	{
		const char *cl = strcasestr(buf, "\r\nContent-Length: ");
		const char *end = strstr(buf, "\r\n\r\n");
		ssize_t want = cl ? atol(cl + 18) : 0, have;

		have = end ? got - (end + 4 - buf) : 0;
		while (end != NULL && have < want &&
		       (size_t)got < sizeof buf - 1 &&
		       (n = read(fd, buf + got, sizeof buf - 1 - (size_t)got)) >
		           0) {
			got += n;
			have += n;
		}
		buf[got] = '\0';
	}
	a = strcasestr(buf, "\r\nAuthorization: ");
	if (a != NULL)
		snprintf(auth, sizeof auth, "%.*s",
		         (int)strcspn(a + 17, "\r\n"), a + 17);
	snprintf(logp, sizeof logp, "%s/canned.log", dir);
	log = fopen(logp, "a");
	fprintf(log, "%ld %.*s\n", (long)time(NULL), (int)strcspn(buf, "\r"),
	        buf);
	fclose(log);
	usleep((useconds_t)delay_ms * 1000);
	for (p = body; *p != '\0' && k < sizeof out - sizeof auth - 1;) {
		if (strncmp(p, "%REQ%", 5) == 0) {
			/* The whole request, quoted as JSON quotes it. */
			for (const char *q = buf;
			     *q != '\0' && k + 8 < sizeof out - sizeof auth;
			     q++) {
				if (*q == '"' || *q == '\\' || *q == '/')
					out[k++] = '\\', out[k++] = *q;
				else if ((unsigned char)*q < ' ')
					k += (size_t)snprintf(out + k,
					                      sizeof out - k,
					                      "\\u%04x", *q);
				else
					out[k++] = *q;
			}
			p += 5;
		} else if (strncmp(p, "%AUTH%", 6) == 0) {
			k += (size_t)snprintf(out + k, sizeof out - k, "%s",
			                      auth);
			p += 6;
		} else {
			out[k++] = *p++;
		}
	}
	out[k] = '\0';
	snprintf(buf, sizeof buf,
	         "HTTP/1.1 %d X\r\nContent-Type: application/json\r\n"
	         "Content-Length: %zu\r\nConnection: close\r\n\r\n",
	         status, strlen(out));
	(void)!write(fd, buf, strlen(buf));
	(void)!write(fd, out, strlen(out));
}

void
servers_canned(struct servers *s, const char *dir, int delay_ms, int status,
               const char *body)
{
	struct sockaddr_in a = {0};
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	socklen_t len = sizeof a;
	pid_t pid;

	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cr_assert(bind(fd, (struct sockaddr *)&a, sizeof a) == 0);
	getsockname(fd, (struct sockaddr *)&a, &len);
	s->canned_port = ntohs(a.sin_port);
	cr_assert(listen(fd, 16) == 0);
	pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		signal(SIGPIPE, SIG_IGN);
		/* Bounded, one at a time: at most 500 requests. */
		for (int i = 0; i < 500; i++) {
			int c = accept(fd, NULL, NULL);

			if (c < 0)
				continue;
			canned_one(c, dir, delay_ms, status, body);
			close(c);
		}
		_exit(0);
	}
	close(fd);
	s->canned_pid = pid;
}

void
servers_stop(struct servers *s)
{
	kill_wait(&s->canned_pid);
	kill_wait(&s->prom_pid);
	kill_wait(&s->am_pid);
	kill_wait(&s->grafana_pid);
	if (s->hole_fd > 0)
		close(s->hole_fd);
	s->hole_fd = 0;
}

static char *
am_request(struct servers *s, const char *method, const char *path,
           const char *json, int *status)
{
	char req[8192], *buf = calloc(1, 65536);
	struct timeval tv = {5, 0};
	int fd = connect_port(s->am_port);
	size_t got = 0;
	ssize_t n;
	char *body;

	cr_assert(fd >= 0);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	snprintf(req, sizeof req,
	         "%s %s HTTP/1.0\r\nHost: 127.0.0.1\r\n"
	         "Content-Type: application/json\r\nContent-Length: %zu"
	         "\r\n\r\n",
	         method, path, json ? strlen(json) : 0);
	(void)!write(fd, req, strlen(req));
	for (size_t off = 0, len = json ? strlen(json) : 0; off < len;) {
		ssize_t w = write(fd, json + off, len - off);

		if (w <= 0)
			break;
		off += (size_t)w;
	}
	while (got < 65535 && (n = read(fd, buf + got, 65535 - got)) > 0)
		got += (size_t)n;
	close(fd);
	*status = -1;
	sscanf(buf, "HTTP/%*s %d", status);
	body = strstr(buf, "\r\n\r\n");
	if (body != NULL)
		memmove(buf, body + 4, strlen(body + 4) + 1);
	return buf;
}

char *
servers_am_post(struct servers *s, const char *path, const char *json)
{
	int status;
	char *b = am_request(s, "POST", path, json, &status);

	cr_assert(status == 200, "POST %s: %d %s", path, status, b);
	return b;
}

int
servers_am_delete(struct servers *s, const char *path)
{
	int status;

	free(am_request(s, "DELETE", path, NULL, &status));
	return status;
}
