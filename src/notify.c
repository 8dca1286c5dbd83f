/*
 * notify.c - payloads, signatures and secrets for the outbox's
 * destinations, and the one call that sends a message.
 *
 * Every text field is made inert first (control and bidi characters shown,
 * not obeyed) and Slack's three markup characters are escaped, so a hostile
 * incident title cannot ping @channel or forge a link.  The answers are
 * classified the way each destination's documentation describes them (see
 * notify.h): transient failures are retried by the deliverer, permanent ones
 * end the message's life with the reason.
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <nettle/base64.h>
#include <nettle/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "itui/notify.h"
#include "itui/sanitize.h"
#include "itui/strbuf.h"
#include "itui/timeutil.h"
#include "itui/xalloc.h"

#define MAX_SECRET 4096

enum itui_code
notify_secret(const char *what, const char *file, const char *env, char **out,
              struct itui_err *err)
{
	char buf[MAX_SECRET + 1];
	struct stat sb;
	ssize_t n;
	int fd;

	*out = NULL;
	if (file != NULL) {
		fd = open(file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
		if (fd < 0)
			return err_set(err, ITUI_CONFIG, "%s: %s: %s", what,
			               file, strerror(errno));
		if (fstat(fd, &sb) != 0 || (sb.st_mode & 077) != 0 ||
		    sb.st_uid != geteuid()) {
			close(fd);
			return err_set(err, ITUI_CONFIG,
			               "%s: %s must be yours and mode 0600 "
			               "(chmod 600 %s)",
			               what, file, file);
		}
		n = read(fd, buf, MAX_SECRET);
		close(fd);
		if (n < 0)
			return err_set(err, ITUI_CONFIG, "%s: %s: %s", what,
			               file, strerror(errno));
		buf[n] = '\0';
	} else if (env != NULL) {
		const char *v = getenv(env);

		if (v == NULL || *v == '\0')
			return err_set(err, ITUI_CONFIG,
			               "%s: the environment variable %s is not "
			               "set",
			               what, env);
		snprintf(buf, sizeof buf, "%s", v);
	} else {
		return ITUI_OK;
	}
	buf[strcspn(buf, "\r\n")] = '\0';
	*out = xstrdup(buf);
	explicit_bzero(buf, sizeof buf);
	return ITUI_OK;
}

void
notify_secret_free(char *s)
{
	if (s != NULL) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

void
notify_hmac_sha256_hex(const char *key, const char *msg, char out[65])
{
	struct hmac_sha256_ctx ctx;
	uint8_t digest[SHA256_DIGEST_SIZE];
	int i;

	hmac_sha256_set_key(&ctx, strlen(key), (const uint8_t *)key);
	hmac_sha256_update(&ctx, strlen(msg), (const uint8_t *)msg);
	hmac_sha256_digest(&ctx, sizeof digest, digest);
	for (i = 0; i < SHA256_DIGEST_SIZE; i++)
		snprintf(out + 2 * i, 3, "%02x", digest[i]);
	explicit_bzero(&ctx, sizeof ctx);
}

/* Inert text; multi-line keeps '\n'. */
static char *
inert(const char *s, int multiline)
{
	struct strbuf b = STRBUF_INIT;

	if (s == NULL)
		s = "";
	sanitize_append(&b, s, strlen(s), multiline ? SAN_MULTILINE : 0, 0,
	                16000);
	return strbuf_detach(&b);
}

/* Cuts s to at most max bytes without splitting a UTF-8 sequence. */
static void
cut_utf8(char *s, size_t max)
{
	if (strlen(s) <= max)
		return;
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	s[max] = '\0';
}

/* Slack's mrkdwn: &, < and > are the only characters to escape. */
static char *
slack_escape(const char *s)
{
	struct strbuf b = STRBUF_INIT;

	for (; *s; s++) {
		if (*s == '&')
			strbuf_addf(&b, "&amp;");
		else if (*s == '<')
			strbuf_addf(&b, "&lt;");
		else if (*s == '>')
			strbuf_addf(&b, "&gt;");
		else
			strbuf_addch(&b, *s);
	}
	return strbuf_detach(&b);
}

static const char *
pd_severity(const char *subject)
{
	/* "[P0] ..." / "[SEV1] ...": the most urgent levels are critical. */
	if (strncmp(subject, "[P0]", 4) == 0 ||
	    strncmp(subject, "[SEV1]", 6) == 0)
		return "critical";
	if (strncmp(subject, "[P1]", 4) == 0 ||
	    strncmp(subject, "[SEV2]", 6) == 0)
		return "error";
	if (strncmp(subject, "[P2]", 4) == 0 ||
	    strncmp(subject, "[SEV3]", 6) == 0)
		return "warning";
	return "info";
}

char *
notify_payload(const struct config_destination *d, const struct outbox_row *m,
               const char *routing_key, int64_t now)
{
	char *subject = inert(m->subject, 0), *body = inert(m->body, 1);
	char when[40], dedup[40];
	json_t *j = NULL;
	char *out;

	time_format_iso(now, when);
	snprintf(dedup, sizeof dedup, "INC-%lld", (long long)m->incident_id);
	if (strcmp(d->type, "slack") == 0) {
		char *s = slack_escape(subject), *b = slack_escape(body);
		char *mk = xasprintf("*%s*\n%s", s, b);

		/* A section's text holds at most 3000 characters. */
		cut_utf8(mk, 2900);
		cut_utf8(s, 3000);

		j = json_pack("{s:s, s:[{s:s, s:{s:s, s:s}}]}", "text", s,
		              "blocks", "type", "section", "text", "type",
		              "mrkdwn", "text", mk);
		free(s);
		free(b);
		free(mk);
	} else if (strcmp(d->type, "teams") == 0) {
		j = json_pack(
		    "{s:s, s:[{s:s, s:{s:s, s:s, s:s, s:[{s:s, s:s, s:s, s:b},"
		    " {s:s, s:s, s:b}]}}]}",
		    "type", "message", "attachments", "contentType",
		    "application/vnd.microsoft.card.adaptive", "content",
		    "$schema",
		    "http://adaptivecards.io/schemas/adaptive-card.json",
		    "type", "AdaptiveCard", "version", "1.4", "body", "type",
		    "TextBlock", "text", subject, "weight", "Bolder", "wrap", 1,
		    "type", "TextBlock", "text", body, "wrap", 1);
	} else if (strcmp(d->type, "pagerduty") == 0) {
		const char *action = m->action ? m->action : "trigger";

		cut_utf8(subject, 1000); /* summary: at most 1024 */
		if (strcmp(action, "trigger") == 0)
			j = json_pack(
			    "{s:s, s:s, s:s, s:{s:s, s:s, s:s, s:s,"
			    " s:{s:s, s:s}}}",
			    "routing_key", routing_key ? routing_key : "",
			    "event_action", action, "dedup_key", dedup,
			    "payload", "summary", subject, "source",
			    "incident-tui", "severity", pd_severity(subject),
			    "timestamp", when, "custom_details", "details",
			    body, "message", m->idem_key);
		else
			j = json_pack("{s:s, s:s, s:s}", "routing_key",
			              routing_key ? routing_key : "",
			              "event_action", action, "dedup_key",
			              dedup);
	} else {
		j = json_pack("{s:s, s:I, s:I, s:s, s:s, s:s, s:s, s:s}",
		              "idempotency_key", m->idem_key, "message",
		              (json_int_t)m->id, "incident",
		              (json_int_t)m->incident_id, "incident_ref", dedup,
		              "event", m->event, "subject", subject, "text",
		              body, "sent_at", when);
	}
	out = j ? json_dumps(j, JSON_COMPACT) : xstrdup("{}");
	json_decref(j);
	free(subject);
	free(body);
	return out;
}

/* A header value in RFC 2047 encoded words when it is not plain ASCII. */
static void
add_subject(struct strbuf *b, const char *s)
{
	const unsigned char *p;
	size_t len = strlen(s), off = 0;

	for (p = (const unsigned char *)s; *p && *p < 0x80; p++)
		;
	if (*p == '\0') {
		strbuf_addf(b, "%s", s);
		return;
	}
	/* Words of at most 45 bytes (60 in base64), split on characters. */
	while (off < len) {
		char enc[BASE64_ENCODE_RAW_LENGTH(45) + 1];
		size_t n = len - off > 45 ? 45 : len - off;

		while (off + n < len && n > 0 &&
		       ((unsigned char)s[off + n] & 0xC0) == 0x80)
			n--;
		base64_encode_raw(enc, n, (const uint8_t *)s + off);
		enc[BASE64_ENCODE_RAW_LENGTH(n)] = '\0';
		strbuf_addf(b, "%s=?UTF-8?B?%s?=", off ? "\r\n " : "", enc);
		off += n;
	}
}

char *
notify_email_message(const struct config_destination *d,
                     const struct outbox_row *m, int64_t now)
{
	struct strbuf b = STRBUF_INIT;
	char *subject = inert(m->subject, 0), *body = inert(m->body, 1);
	char when[40];
	const char *p;

	time_format_iso(now, when);
	strbuf_addf(&b, "From: %s\r\nTo: %s\r\nSubject: ", d->from, d->to);
	add_subject(&b, subject);
	strbuf_addf(&b, "\r\n");
	strbuf_addf(&b, "Message-ID: <%s@incident-tui>\r\n", m->idem_key);
	strbuf_addf(&b, "X-Incident-Tui-Sent: %s\r\n", when);
	strbuf_addf(&b, "MIME-Version: 1.0\r\nContent-Type: text/plain; "
	                "charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n"
	                "\r\n");
	for (p = body; *p; p++) {
		if (*p == '\n')
			strbuf_addf(&b, "\r\n");
		else
			strbuf_addch(&b, *p);
	}
	strbuf_addf(&b, "\r\n");
	free(subject);
	free(body);
	return strbuf_detach(&b);
}

static void
classify(const char *type, const struct http_response *r,
         struct notify_result *res)
{
	char snippet[120];
	size_t i;

	snprintf(snippet, sizeof snippet, "%s", r->body ? r->body : "");
	for (i = 0; snippet[i]; i++)
		if ((unsigned char)snippet[i] < ' ')
			snippet[i] = ' ';
	res->retry_after = r->retry_after;
	if (r->status >= 200 && r->status < 300) {
		res->ok = 1;
		return;
	}
	res->permanent = r->status >= 400 && r->status < 500 &&
	                 r->status != 429 && r->status != 408;
	if (strcmp(type, "slack") == 0 && r->status != 429)
		snprintf(res->why, sizeof res->why, "HTTP %ld: %s", r->status,
		         snippet[0] ? snippet : "no reason given");
	else if (strcmp(type, "pagerduty") == 0) {
		json_t *j = json_loadb(r->body, r->len, 0, NULL);
		const char *msg = NULL;

		if (json_is_object(j))
			msg = json_string_value(json_object_get(j, "message"));
		snprintf(res->why, sizeof res->why, "HTTP %ld: %s", r->status,
		         msg ? msg : snippet);
		json_decref(j);
	} else
		snprintf(res->why, sizeof res->why, "HTTP %ld%s%s", r->status,
		         snippet[0] ? ": " : "", snippet);
}

/* The path of an http(s) URL ("" when it has none). */
static const char *
url_path(const char *url)
{
	const char *p = strstr(url, "://");

	p = p != NULL ? p + 3 : url;
	return p + strcspn(p, "/");
}

static enum itui_code
send_http(struct http_client *c, const struct config_destination *d,
          const struct outbox_row *m, int64_t now, struct notify_result *res,
          struct itui_err *err)
{
	char *url = NULL, *secret = NULL, *body, *h_key, *h_ts = NULL,
	     *h_sig = NULL;
	const char *headers[6], *secrets[4];
	struct http_response r;
	struct itui_err e;
	int nh = 0;

	if (strcmp(d->type, "pagerduty") == 0) {
		if (notify_secret("the routing key", d->secret_file,
		                  d->secret_env, &secret, err) != ITUI_OK)
			return err->code;
		url = xstrdup(d->url ? d->url : PAGERDUTY_EVENTS_URL);
	} else {
		if (notify_secret("the hook URL", d->url_file, d->url_env, &url,
		                  err) != ITUI_OK)
			return err->code;
		if (url == NULL || (strncmp(url, "http://", 7) != 0 &&
		                    strncmp(url, "https://", 8) != 0)) {
			notify_secret_free(url);
			return err_set(err, ITUI_CONFIG,
			               "destination %s: the hook URL is not an "
			               "http(s) URL",
			               d->name);
		}
		if (strcmp(d->type, "webhook") == 0 &&
		    notify_secret("the signing secret", d->secret_file,
		                  d->secret_env, &secret, err) != ITUI_OK) {
			notify_secret_free(url);
			return err->code;
		}
	}
	body = notify_payload(d, m, secret, now);
	headers[nh++] = "Content-Type: application/json";
	h_key = xasprintf("Idempotency-Key: %s", m->idem_key);
	headers[nh++] = h_key;
	if (strcmp(d->type, "webhook") == 0 && secret != NULL) {
		char *signed_text = xasprintf("%lld.%s", (long long)now, body);
		char hex[65];

		notify_hmac_sha256_hex(secret, signed_text, hex);
		free(signed_text);
		h_ts =
		    xasprintf("X-Incident-Tui-Timestamp: %lld", (long long)now);
		h_sig = xasprintf("X-Incident-Tui-Signature: v1=%s", hex);
		headers[nh++] = h_ts;
		headers[nh++] = h_sig;
	}
	headers[nh] = NULL;
	/* A hook's token is its URL's path; an echo of either is scrubbed. */
	secrets[0] = url;
	secrets[1] = url_path(url);
	secrets[2] = secret;
	secrets[3] = NULL;
	if (http_do(c,
	            &(struct http_request){.method = "POST",
	                                   .url = url,
	                                   .headers = headers,
	                                   .body = body,
	                                   .secrets = secrets},
	            &r, &e) != ITUI_OK) {
		/* Names the host only: a hook's token is in its path. */
		snprintf(res->why, sizeof res->why, "%s", e.msg);
	} else {
		classify(d->type, &r, res);
		http_response_free(&r);
	}
	notify_secret_free(url);
	/* The body of a PagerDuty event holds the routing key. */
	explicit_bzero(body, strlen(body));
	free(body);
	notify_secret_free(secret);
	free(h_key);
	free(h_ts);
	free(h_sig);
	return ITUI_OK;
}

static enum itui_code
send_email(struct http_client *c, const struct config_destination *d,
           const struct outbox_row *m, int64_t now, struct notify_result *res,
           struct itui_err *err)
{
	char *password = NULL, *msg;
	struct itui_err e;

	if (d->user != NULL &&
	    notify_secret("the SMTP password", d->secret_file, d->secret_env,
	                  &password, err) != ITUI_OK)
		return err->code;
	msg = notify_email_message(d, m, now);
	if (http_smtp(c,
	              &(struct smtp_request){
	                  .url = d->url,
	                  .from = d->from,
	                  .to = d->to,
	                  .user = d->user,
	                  .password = password,
	                  .tls = d->tls == NULL                ? 2
	                         : strcmp(d->tls, "none") == 0 ? 0
	                         : strcmp(d->tls, "try") == 0  ? 1
	                                                       : 2,
	                  .message = msg,
	              },
	              &e) == ITUI_OK)
		res->ok = 1;
	else {
		snprintf(res->why, sizeof res->why, "%s", e.msg);
		/* A refused login will not get better by itself. */
		res->permanent = strstr(e.msg, "Login denied") != NULL;
	}
	notify_secret_free(password);
	free(msg);
	return ITUI_OK;
}

enum itui_code
notify_send(struct http_client *c, const struct config_destination *d,
            const struct outbox_row *m, int64_t now, struct notify_result *res,
            struct itui_err *err)
{
	memset(res, 0, sizeof *res);
	res->retry_after = -1;
	http_client_set_ca(c, d->ca_file);
	if (strcmp(d->type, "email") == 0)
		return send_email(c, d, m, now, res, err);
	return send_http(c, d, m, now, res, err);
}
