/*
 * standins_notify.c - the outbox's destinations on 127.0.0.1 for the tests.
 *
 * The HTTP stand-in answers as each service's documentation says:
 *  - Slack, "Sending messages using incoming webhooks"
 *    (api.slack.com/messaging/webhooks, "Handling errors"): 200 with the
 *    body "ok"; 400 "invalid_payload" when the JSON is malformed or has
 *    neither text nor blocks; 404 "channel_not_found" for an unknown hook;
 *    429 with Retry-After when rate limited.
 *  - PagerDuty, Events API v2 "Send an Event"
 *    (developer.pagerduty.com/docs/events-api-v2/trigger-events and
 *    .../resolve-events): POST /v2/enqueue; 202
 *    {"status":"success","message":"Event processed","dedup_key":...};
 *    400 {"status":"invalid event","message":"Event object is invalid",
 *    "errors":[...]} for a bad routing_key, event_action, or a trigger
 *    without payload.summary/source/severity; 429 when throttled.
 *  - Microsoft Teams incoming webhooks: an Adaptive Card attachment.
 *  - A generic receiver of signed webhooks (the Standard Webhooks /
 *    Stripe-style scheme our notify.h documents): 401 unless
 *    X-Incident-Tui-Signature is v1=HEX(HMAC-SHA256(secret, TS "." body)).
 * Each accepted request is one line in DIR/http.log:
 *   KIND <TAB> IDEMPOTENCY-KEY <TAB> BODY
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <jansson.h>
#include <nettle/hmac.h>

#include "harness.h"
#include "standins_notify.h"

static void
kill_wait(pid_t *pid, int sig)
{
	if (*pid > 0) {
		kill(*pid, sig);
		waitpid(*pid, NULL, 0);
	}
	*pid = 0;
}

static int
listen_any(int *port)
{
	struct sockaddr_in a = {0};
	socklen_t len = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((unsigned short)*port);
	cr_assert(bind(fd, (struct sockaddr *)&a, sizeof a) == 0);
	getsockname(fd, (struct sockaddr *)&a, &len);
	*port = ntohs(a.sin_port);
	cr_assert(listen(fd, 64) == 0);
	return fd;
}

static void
mode_of(const char *dir, char *buf, size_t size)
{
	char path[600];
	FILE *f;

	snprintf(path, sizeof path, "%s/mode", dir);
	snprintf(buf, size, "up");
	f = fopen(path, "r");
	if (f != NULL) {
		if (fgets(buf, (int)size, f) == NULL)
			snprintf(buf, size, "up");
		buf[strcspn(buf, "\n")] = '\0';
		fclose(f);
	}
}

static void
reply(int c, int status, const char *extra, const char *ctype, const char *body)
{
	char head[512];
	int n = snprintf(head, sizeof head,
	                 "HTTP/1.1 %d X\r\nContent-Type: %s\r\n%s"
	                 "Content-Length: %zu\r\nConnection: close\r\n\r\n",
	                 status, ctype, extra ? extra : "", strlen(body));

	(void)!write(c, head, (size_t)n);
	(void)!write(c, body, strlen(body));
}

static const char *
header(const char *head, const char *name, char *buf, size_t size)
{
	const char *p = head;
	size_t nl = strlen(name);

	buf[0] = '\0';
	while ((p = strchr(p, '\n')) != NULL) {
		p++;
		if (strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
			const char *v = p + nl + 1;

			while (*v == ' ')
				v++;
			snprintf(buf, size, "%.*s", (int)strcspn(v, "\r\n"), v);
			return buf;
		}
	}
	return NULL;
}

static void
log_line(const char *dir, const char *kind, const char *key, const char *body)
{
	char path[600];
	FILE *f;

	snprintf(path, sizeof path, "%s/http.log", dir);
	f = fopen(path, "a");
	fprintf(f, "%s\t%s\t%s\n", kind, key, body);
	fclose(f);
}

static void
serve(int c, const struct notify_standins *s)
{
	static char buf[1 << 20];
	char mode[32], key[128], sig[256], ts[64], clen[32], *body, *hend;
	size_t have = 0, need;
	ssize_t r;

	while ((r = read(c, buf + have, sizeof buf - 1 - have)) > 0) {
		have += (size_t)r;
		buf[have] = '\0';
		if ((hend = strstr(buf, "\r\n\r\n")) != NULL) {
			header(buf, "Content-Length", clen, sizeof clen);
			need =
			    (size_t)(hend + 4 - buf) + strtoul(clen, NULL, 10);
			if (have >= need)
				break;
		}
	}
	hend = strstr(buf, "\r\n\r\n");
	if (hend == NULL)
		return;
	*hend = '\0';
	body = hend + 4;
	mode_of(s->dir, mode, sizeof mode);
	header(buf, "Idempotency-Key", key, sizeof key);
	if (strcmp(mode, "down") == 0) {
		reply(c, 503, NULL, "text/plain", "Service Unavailable");
		return;
	}
	if (strcmp(mode, "ratelimit") == 0) {
		reply(c, 429, "Retry-After: 120\r\n", "text/plain",
		      "rate_limited");
		return;
	}
	if (strncmp(buf, "POST /slack/", 12) == 0) {
		json_t *j = json_loads(body, 0, NULL);

		if (strncmp(buf + 12, "T0KEN", 5) != 0)
			reply(c, 404, NULL, "text/html", "channel_not_found");
		else if (!json_is_object(j) ||
		         (!json_is_string(json_object_get(j, "text")) &&
		          !json_is_array(json_object_get(j, "blocks"))))
			reply(c, 400, NULL, "text/html", "invalid_payload");
		else {
			log_line(s->dir, "slack", key, body);
			reply(c, 200, NULL, "text/html", "ok");
		}
		json_decref(j);
	} else if (strncmp(buf, "POST /pagerduty/v2/enqueue ", 27) == 0) {
		json_t *j = json_loads(body, 0, NULL);
		const char *rk =
		    json_string_value(json_object_get(j, "routing_key"));
		const char *act =
		    json_string_value(json_object_get(j, "event_action"));
		const char *dk =
		    json_string_value(json_object_get(j, "dedup_key"));
		json_t *pl = json_object_get(j, "payload");
		int ok = rk && strcmp(rk, s->routing_key) == 0 && act &&
		         (strcmp(act, "trigger") == 0 ||
		          strcmp(act, "acknowledge") == 0 ||
		          strcmp(act, "resolve") == 0) &&
		         (strcmp(act, "trigger") != 0 ||
		          (json_is_string(json_object_get(pl, "summary")) &&
		           json_is_string(json_object_get(pl, "source")) &&
		           json_is_string(json_object_get(pl, "severity")))) &&
		         (strcmp(act, "trigger") == 0 || dk != NULL);

		if (ok) {
			char out[256];

			log_line(s->dir, "pagerduty", key, body);
			snprintf(out, sizeof out,
			         "{\"status\":\"success\",\"message\":\"Event "
			         "processed\",\"dedup_key\":\"%s\"}",
			         dk ? dk : "generated");
			reply(c, 202, NULL, "application/json", out);
		} else
			reply(
			    c, 400, NULL, "application/json",
			    "{\"status\":\"invalid event\",\"message\":\"Event "
			    "object is invalid\",\"errors\":[\"invalid\"]}");
		json_decref(j);
	} else if (strncmp(buf, "POST /teams ", 12) == 0) {
		/* Teams incoming webhooks take a message with an Adaptive Card
		 * attachment (learn.microsoft.com, "Create an Incoming
		 * Webhook"); they answer 200 with "1". */
		json_t *j = json_loads(body, 0, NULL);
		json_t *att = json_object_get(j, "attachments");
		const char *ct = json_string_value(
		    json_object_get(json_array_get(att, 0), "contentType"));

		if (ct != NULL &&
		    strcmp(ct, "application/vnd.microsoft.card.adaptive") ==
		        0) {
			log_line(s->dir, "teams", key, body);
			reply(c, 200, NULL, "text/plain", "1");
		} else
			reply(c, 400, NULL, "text/plain", "Bad payload");
		json_decref(j);
	} else if (strncmp(buf, "POST /webhook ", 14) == 0) {
		struct hmac_sha256_ctx h;
		uint8_t d[SHA256_DIGEST_SIZE];
		char hex[2 * SHA256_DIGEST_SIZE + 4] = "v1=";
		int i;

		header(buf, "X-Incident-Tui-Signature", sig, sizeof sig);
		header(buf, "X-Incident-Tui-Timestamp", ts, sizeof ts);
		hmac_sha256_set_key(&h, strlen(s->secret),
		                    (const uint8_t *)s->secret);
		hmac_sha256_update(&h, strlen(ts), (const uint8_t *)ts);
		hmac_sha256_update(&h, 1, (const uint8_t *)".");
		hmac_sha256_update(&h, strlen(body), (const uint8_t *)body);
		hmac_sha256_digest(&h, sizeof d, d);
		for (i = 0; i < SHA256_DIGEST_SIZE; i++)
			sprintf(hex + 3 + 2 * i, "%02x", d[i]);
		if (ts[0] == '\0' || strcmp(sig, hex) != 0)
			reply(c, 401, NULL, "application/json",
			      "{\"error\":\"bad signature\"}");
		else {
			log_line(s->dir, "webhook", key, body);
			reply(c, 200, NULL, "application/json", "{}");
		}
	} else {
		reply(c, 404, NULL, "text/plain", "not found");
	}
}

void
notify_http_start(struct notify_standins *s, const char *dir,
                  const char *secret, const char *routing_key)
{
	int fd, port = 0;
	pid_t pid;

	snprintf(s->dir, sizeof s->dir, "%s", dir);
	snprintf(s->secret, sizeof s->secret, "%s", secret);
	snprintf(s->routing_key, sizeof s->routing_key, "%s", routing_key);
	fd = listen_any(&port);
	s->http_port = port;
	pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		/* Bounded: at most 5000 requests, then it exits. */
		for (int i = 0; i < 5000; i++) {
			int c = accept(fd, NULL, NULL);

			if (c < 0)
				continue;
			serve(c, s);
			close(c);
		}
		_exit(0);
	}
	close(fd);
	s->http_pid = pid;
}

void
notify_http_mode(struct notify_standins *s, const char *mode)
{
	char path[600];
	FILE *f;

	snprintf(path, sizeof path, "%s/mode", s->dir);
	f = fopen(path, "w");
	fputs(mode, f);
	fclose(f);
}

void
notify_smtp_start(struct notify_standins *s, const char *user,
                  const char *password)
{
	char mail[600], ready[700], port[16], script[700];
	long deadline;
	pid_t pid;

	if (s->smtp_port == 0) {
		int fd = listen_any(&s->smtp_port);

		close(fd);
	}
	snprintf(mail, sizeof mail, "%s/mail", s->dir);
	mkdir(mail, 0700);
	snprintf(ready, sizeof ready, "%s/ready", mail);
	unlink(ready);
	snprintf(port, sizeof port, "%d", s->smtp_port);
	snprintf(script, sizeof script, "%s/tests/smtp_sink.py", src_dir());
	pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		char logp[700];
		int lfd;

		snprintf(logp, sizeof logp, "%s/smtp.log", s->dir);
		lfd = open(logp, O_WRONLY | O_CREAT | O_APPEND, 0600);
		if (lfd >= 0) {
			dup2(lfd, 1);
			dup2(lfd, 2);
		}
		setenv("SMTP_USER", user, 1);
		setenv("SMTP_PASSWORD", password, 1);
		if (s->tls_cert[0] != '\0') {
			setenv("SMTP_CERT", s->tls_cert, 1);
			setenv("SMTP_KEY", s->tls_key, 1);
		}
		execl("/usr/bin/python3", "python3", "-W", "ignore", script,
		      port, mail, (char *)NULL);
		_exit(127);
	}
	s->smtp_pid = pid;
	deadline = ms_now() + 20000;
	while (access(ready, F_OK) != 0) {
		struct timespec t = {0, 20 * 1000 * 1000};

		cr_assert(ms_now() < deadline, "aiosmtpd did not start");
		cr_assert(waitpid(pid, NULL, WNOHANG) == 0,
		          "aiosmtpd exited (is python3-aiosmtpd installed?)");
		nanosleep(&t, NULL);
	}
}

void
notify_smtp_stop(struct notify_standins *s)
{
	kill_wait(&s->smtp_pid, SIGTERM);
}

void
notify_standins_stop(struct notify_standins *s)
{
	kill_wait(&s->http_pid, SIGKILL);
	kill_wait(&s->smtp_pid, SIGTERM);
}

int
notify_count(const struct notify_standins *s, const char *kind)
{
	char path[600], line[1 << 16];
	size_t kl = strlen(kind);
	int n = 0;
	FILE *f;

	snprintf(path, sizeof path, "%s/http.log", s->dir);
	f = fopen(path, "r");
	if (f == NULL)
		return 0;
	while (fgets(line, sizeof line, f) != NULL)
		if (strncmp(line, kind, kl) == 0 && line[kl] == '\t')
			n++;
	fclose(f);
	return n;
}

int
notify_mail_count(const struct notify_standins *s)
{
	char path[700];
	int n = 0;

	for (;;) {
		snprintf(path, sizeof path, "%s/mail/msg-%d.eml", s->dir,
		         n + 1);
		if (access(path, F_OK) != 0)
			return n;
		n++;
	}
}
