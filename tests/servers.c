/* servers.c - monitoring servers for the tests (see servers.h). */
#include <arpa/inet.h>
#include <ctype.h>
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

/*
 * ---- the Grafana stand-in ----
 *
 * Each answer is the one Grafana's source gives (v10 to v12; paths in
 * github.com/grafana/grafana):
 * - Tokens: pkg/services/authn/clients/api_key.go hashes the whole
 *   service-account token and looks the hash up, so only the exact token
 *   passes; any other is 401 "Invalid API key" (errAPIKeyInvalid).  No
 *   token at all is 401 "Unauthorized" (pkg/middleware/auth.go).
 * - Roles: pkg/api/api.go wraps POST /api/annotations in
 *   authorize(ac.EvalPermission(ac.ActionAnnotationsCreate)) and PATCH in
 *   ActionAnnotationsWrite; a token without them (mode "viewer") gets 403
 *   from deny() in pkg/services/accesscontrol/middleware.go: "You'll need
 *   additional permissions to perform this action. Permissions needed:
 *   annotations:create".  Health needs no token.
 * - pkg/api/annotations.go: PostAnnotation answers 400 "Failed to save
 *   annotation" for an empty text, and takes an unknown dashboardUID as
 *   dashboardId 0 (an org-wide annotation, logged here as "org-wide");
 *   PatchAnnotation answers 404 "Annotation not found" for an id it never
 *   issued (findAnnotationByID).
 * - pkg/api/dashboard.go GetDashboard: an unknown uid is 404 "Dashboard not
 *   found" (getDashboardHelper); a dashboard stored as v2 is 406
 *   "dashboard api version not supported, use /apis/dashboard.grafana.app/
 *   VERSION/namespaces/NS/dashboards/UID instead".
 * - Snapshots: pkg/services/dashboardsnapshots/service.go
 *   CreateDashboardSnapshot: 403 "Dashboard Snapshots are disabled" (mode
 *   "nosnapshots"), 400 "Dashboard not found" when the body's dashboard uid
 *   does not exist; pkg/api/dashboard_snapshot.go
 *   DeleteDashboardSnapshotByDeleteKey: 200 "Snapshot deleted. ...", or 404
 *   "Snapshot not found" (also once deleted), 403 when disabled.
 * - The datasource proxy, /api/datasources/proxy/uid/UID/PATH:
 *   pkg/services/datasourceproxy/datasourceproxy.go answers 400 "UID is
 *   invalid" (util.IsValidShortUID) and 404 "Unable to find datasource";
 *   pkg/api/pluginproxy/ds_proxy.go validateRequest() lets through a
 *   request matching a route of the plugin (same method, PATH starting with
 *   the route's path) if the role allows it, else 403 "plugin proxy route
 *   access denied"; for a Prometheus datasource any other POST, PUT or
 *   DELETE is 403 "non allow-listed POSTs not allowed on proxied Prometheus
 *   datasource" (PUTs, DELETEs).  The Prometheus routes are those of
 *   public/app/plugins/datasource/prometheus/plugin.json (below).  uid
 *   prom1 is forwarded to the test's real Prometheus; loki1 is a Loki that
 *   is never reachable (Grafana's reverse proxy: 502).
 * - Alert states: pkg/services/ngalert/state/state.go FormatStateAndReason
 *   writes "State (Reason)", e.g. "Alerting (NoData)"; the state names are
 *   eval.State's (pkg/services/ngalert/eval/eval.go).
 * Other modes: "500", "429", "nonjson", "slow", "huge" (a failing Grafana).
 */

static const char *standin_token;
static int standin_prom_port;
static int standin_deleted;

static void
reply(int fd, int code, const char *body)
{
	char head[256];
	const char *reason = code == 200   ? "OK"
	                     : code == 400 ? "Bad Request"
	                     : code == 401 ? "Unauthorized"
	                     : code == 403 ? "Forbidden"
	                     : code == 404 ? "Not Found"
	                     : code == 406 ? "Not Acceptable"
	                     : code == 502 ? "Bad Gateway"
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

/* The dashboards it holds: abc123 (schema v1) and v2dash (stored as v2). */
static const char standin_dashboard[] =
    "{\"dashboard\":{\"id\":7,\"uid\":\"abc123\",\"title\":\"Checkout\","
    "\"panels\":["
    /* Its own datasource; $job cannot be resolved outside Grafana. */
    "{\"id\":1,\"type\":\"timeseries\",\"title\":\"Answer\","
    "\"datasource\":{\"type\":\"prometheus\",\"uid\":\"prom1\"},"
    "\"targets\":[{\"refId\":\"A\",\"expr\":\"vector(42)\"},"
    "{\"refId\":\"B\",\"expr\":\"up{job=\\\"$job\\\"}\"}]},"
    /* The interval variables, echoed back as labels by label_replace. */
    "{\"id\":2,\"type\":\"timeseries\",\"title\":\"Intervals\","
    "\"datasource\":{\"type\":\"prometheus\",\"uid\":\"prom1\"},"
    "\"targets\":[{\"refId\":\"A\",\"expr\":\"label_replace(label_replace("
    "label_replace(vector(5), \\\"rate\\\", \\\"$__rate_interval\\\", "
    "\\\"\\\", \\\"\\\"), \\\"interval\\\", \\\"${__interval}\\\", "
    "\\\"\\\", \\\"\\\"), \\\"range\\\", \\\"$__range\\\", \\\"\\\", "
    "\\\"\\\")\"}]},"
    /* A collapsed row carries its panels inside it. */
    "{\"id\":3,\"type\":\"row\",\"title\":\"Details\",\"collapsed\":true,"
    "\"panels\":[{\"id\":4,\"type\":\"stat\",\"title\":\"Inside the row\","
    "\"datasource\":{\"type\":\"prometheus\",\"uid\":\"prom1\"},"
    "\"targets\":[{\"refId\":\"A\",\"expr\":\"vector(3)\"}]}]},"
    /* Not Prometheus: not ours to query. */
    "{\"id\":5,\"type\":\"logs\",\"title\":\"Logs\","
    "\"datasource\":{\"type\":\"loki\",\"uid\":\"loki1\"},"
    "\"targets\":[{\"refId\":\"A\",\"expr\":\"{job=\\\"checkout\\\"}\"}]}"
    "],\"templating\":{\"list\":[{\"name\":\"job\"}]}},"
    "\"meta\":{\"slug\":\"checkout\"}}";

/* public/app/plugins/datasource/prometheus/plugin.json "routes". */
static const struct {
	const char *method, *path;
	int role; /* 1 Viewer, 2 Editor, 3 Admin */
} prom_routes[] = {
    {"GET", "api/v1/status/flags", 3},
    {"POST", "api/v1/query", 1},
    {"POST", "api/v1/query_range", 1},
    {"POST", "api/v1/series", 1},
    {"POST", "api/v1/labels", 1},
    {"POST", "api/v1/query_exemplars", 1},
    {"GET", "/rules", 1},
    {"POST", "/rules", 2},
    {"DELETE", "/rules", 2},
};

/* Forwards METHOD /rest (query included) and the body to Prometheus. */
static void
forward_to_prometheus(int fd, const char *method, const char *rest,
                      const char *head, const char *body, long clen)
{
	char req[1024], buf[65536];
	const char *ct = strcasestr(head, "\r\nContent-Type: ");
	int p;
	ssize_t n;

	if (standin_prom_port <= 0 ||
	    (p = connect_port(standin_prom_port)) < 0) {
		reply(fd, 502, "{\"message\":\"Bad Gateway\"}");
		return;
	}
	snprintf(req, sizeof req,
	         "%s /%s HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Type: %.*s\r\n"
	         "Content-Length: %ld\r\n\r\n",
	         method, rest, ct ? (int)strcspn(ct + 16, "\r\n") : 10,
	         ct ? ct + 16 : "text/plain", clen);
	(void)!write(p, req, strlen(req));
	(void)!write(p, body, (size_t)clen);
	while ((n = read(p, buf, sizeof buf)) > 0)
		if (write(fd, buf, (size_t)n) != n)
			break;
	close(p);
}

static void
serve_proxy(int fd, const char *method, const char *path, const char *head,
            const char *body, long clen, int role)
{
	const char *uid = path + strlen("/api/datasources/proxy/uid/");
	size_t ulen = strcspn(uid, "/?");
	const char *rest = uid[ulen] == '/' ? uid + ulen + 1 : "";
	char msg[160];
	size_t i;

	for (i = 0; i < ulen; i++)
		if (!isalnum((unsigned char)uid[i]) && uid[i] != '-' &&
		    uid[i] != '_')
			break;
	if (i < ulen || ulen > 40) {
		reply(fd, 400, "{\"message\":\"UID is invalid\"}");
		return;
	}
	if (ulen == 5 && strncmp(uid, "loki1", 5) == 0) {
		reply(fd, 502, "{\"message\":\"Bad Gateway\"}");
		return;
	}
	if (ulen != 5 || strncmp(uid, "prom1", 5) != 0) {
		reply(fd, 404, "{\"message\":\"Unable to find datasource\"}");
		return;
	}
	for (i = 0; i < sizeof prom_routes / sizeof prom_routes[0]; i++) {
		if (strcmp(prom_routes[i].method, method) != 0 ||
		    strncmp(rest, prom_routes[i].path,
		            strlen(prom_routes[i].path)) != 0)
			continue;
		if (role < prom_routes[i].role) {
			reply(fd, 403,
			      "{\"message\":\"plugin proxy route access "
			      "denied\"}");
			return;
		}
		forward_to_prometheus(fd, method, rest, head, body, clen);
		return;
	}
	if (strcmp(method, "POST") == 0 || strcmp(method, "PUT") == 0 ||
	    strcmp(method, "DELETE") == 0) {
		snprintf(msg, sizeof msg,
		         "{\"message\":\"non allow-listed %ss not allowed on "
		         "proxied Prometheus datasource\"}",
		         method);
		reply(fd, 403, msg);
		return;
	}
	forward_to_prometheus(fd, method, rest, head, body, clen);
}

static void
serve_one(int fd, const char *dir, int *next_id)
{
	char buf[65536], method[16] = "", path[512] = "", mode[32], *body,
	                 *auth, logp[700], resp[512];
	ssize_t n, got = 0;
	long clen = 0;
	int token_ok, role;
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
	/* The whole token, as its hash is looked up: no prefix passes. */
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
	if (auth == NULL) {
		reply(fd, 401, "{\"message\":\"Unauthorized\"}");
		return;
	}
	if (!token_ok) {
		reply(
		    fd, 401,
		    "{\"message\":\"Invalid API key\",\"messageId\":"
		    "\"api-key.invalid\",\"statusCode\":401,\"traceID\":\"\"}");
		return;
	}
	role = strcmp(mode, "viewer") == 0 ? 1 : 2;
	if (strncmp(path, "/api/datasources/proxy/uid/", 27) == 0) {
		serve_proxy(fd, method, path, buf, body, clen, role);
		return;
	}
	if (strcmp(method, "GET") == 0 &&
	    strcmp(path, "/api/prometheus/grafana/api/v1/alerts") == 0) {
		/* Grafana-managed alerts in Prometheus's shape, one in each
		 * state as FormatStateAndReason writes it. */
		static const char *const states[] = {"Normal",
		                                     "Normal (MissingSeries)",
		                                     "Pending",
		                                     "Alerting",
		                                     "Alerting (NoData)",
		                                     "Alerting (Error)",
		                                     "Recovering",
		                                     "NoData",
		                                     "Error"};
		char out[4096];
		size_t k, len;

		len = (size_t)snprintf(out, sizeof out,
		                       "{\"status\":\"success\",\"data\":{"
		                       "\"alerts\":[");
		for (k = 0; k < sizeof states / sizeof states[0]; k++)
			len += (size_t)snprintf(
			    out + len, sizeof out - len,
			    "%s{\"labels\":{\"alertname\":\"Grafana %s\","
			    "\"grafana_folder\":\"Checkout\"},\"annotations\":"
			    "{},\"state\":\"%s\",\"activeAt\":"
			    "\"2026-11-24T09:00:00Z\",\"value\":\"1e+00\"}",
			    k ? "," : "", states[k], states[k]);
		snprintf(out + len, sizeof out - len, "]}}");
		reply(fd, 200, out);
		return;
	}
	if (strcmp(method, "GET") == 0 &&
	    strcmp(path, "/api/dashboards/uid/abc123") == 0) {
		reply(fd, 200, standin_dashboard);
		return;
	}
	if (strcmp(method, "GET") == 0 &&
	    strcmp(path, "/api/dashboards/uid/v2dash") == 0) {
		reply(fd, 406,
		      "{\"message\":\"dashboard api version not supported, use "
		      "/apis/dashboard.grafana.app/v2beta1/namespaces/default/"
		      "dashboards/v2dash instead\"}");
		return;
	}
	if (strncmp(path, "/api/dashboards/uid/", 20) == 0) {
		reply(fd, 404, "{\"message\":\"Dashboard not found\"}");
		return;
	}
	if ((strcmp(path, "/api/snapshots") == 0 ||
	     strncmp(path, "/api/snapshots-delete/", 22) == 0) &&
	    strcmp(mode, "nosnapshots") == 0) {
		reply(fd, 403,
		      "{\"message\":\"Dashboard Snapshots are disabled\"}");
		return;
	}
	if (strcmp(method, "POST") == 0 &&
	    strcmp(path, "/api/snapshots") == 0) {
		if (strstr(body, "\"uid\":\"abc123\"") == NULL) {
			reply(fd, 400, "{\"message\":\"Dashboard not found\"}");
			return;
		}
		snprintf(
		    resp, sizeof resp,
		    "{\"deleteKey\":\"dk\",\"deleteUrl\":\"http://127.0.0.1/"
		    "api/snapshots-delete/dk\",\"id\":%d,\"key\":\"sk%d\","
		    "\"url\":\"http://127.0.0.1/dashboard/snapshot/sk%d\"}",
		    *next_id, *next_id, *next_id);
		(*next_id)++;
		standin_deleted = 0;
		reply(fd, 200, resp);
		return;
	}
	if (strcmp(method, "GET") == 0 &&
	    strncmp(path, "/api/snapshots-delete/", 22) == 0) {
		if (strcmp(path + 22, "dk") == 0 && !standin_deleted) {
			standin_deleted = 1;
			reply(fd, 200,
			      "{\"message\":\"Snapshot deleted. It might take "
			      "an hour before it's cleared from any CDN "
			      "caches.\"}");
		} else {
			reply(fd, 404, "{\"message\":\"Snapshot not found\"}");
		}
		return;
	}
	if (strncmp(path, "/api/annotations", 16) == 0 && role < 2 &&
	    (strcmp(method, "POST") == 0 || strcmp(method, "PATCH") == 0)) {
		snprintf(resp, sizeof resp,
		         "{\"accessErrorId\":\"ACE0000000001\",\"message\":"
		         "\"You'll need additional permissions to perform this "
		         "action. Permissions needed: annotations:%s\","
		         "\"title\":\"Access denied\"}",
		         strcmp(method, "POST") == 0 ? "create" : "write");
		reply(fd, 403, resp);
		return;
	}
	if (strcmp(method, "POST") == 0 &&
	    strcmp(path, "/api/annotations") == 0) {
		if (strstr(body, "\"text\"") == NULL ||
		    strstr(body, "\"text\":\"\"") != NULL) {
			reply(fd, 400,
			      "{\"message\":\"Failed to save annotation\"}");
			return;
		}
		/* An unknown dashboardUID is dropped, not refused. */
		if (strstr(body, "\"dashboardUID\":\"abc123\"") == NULL &&
		    strstr(body, "\"dashboardUID\":\"v2dash\"") == NULL) {
			log = fopen(logp, "a");
			fprintf(log, "annotation %d org-wide\n", *next_id);
			fclose(log);
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

		if (id <= 0 || id >= *next_id) {
			reply(fd, 404,
			      "{\"message\":\"Annotation not found\"}");
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
		/* Datasource prom1 is the Prometheus started before it. */
		standin_prom_port = s->prom_port;
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
