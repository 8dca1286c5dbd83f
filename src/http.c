/*
 * http.c - a thin client over a dlopen()ed libcurl.
 *
 * DESIGN: linking libcurl (and with it OpenSSL, Kerberos, LDAP, SSH...)
 * costs every process about 4 ms at start-up, more than a whole timeline
 * write, and only the metrics poller speaks HTTP.  So the handful of libcurl
 * functions used here are looked up with dlsym() on first use; the types and
 * constants still come from <curl/curl.h>.
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include <nettle/base64.h>

#include "itui/http.h"
#include "itui/strbuf.h"
#include "itui/xalloc.h"

static struct {
	void *lib;
	CURLcode (*global_init)(long);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*easy_perform)(CURL *);
	CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
	void (*easy_cleanup)(CURL *);
	void (*easy_reset)(CURL *);
	const char *(*easy_strerror)(CURLcode);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void (*slist_free_all)(struct curl_slist *);
	char *(*easy_escape)(CURL *, const char *, int);
	void (*free)(void *);
} cu;

struct http_client {
	CURL *h;
	const _Atomic int *stop;
	struct http_response *resp;
	int too_big;
	const char *ca_file;
	int stalled;
	int got_reply;      /* a first header line arrived */
	curl_off_t seen;    /* bytes received when last checked */
	long last_progress; /* CLOCK_MONOTONIC ms of the last byte */
};

#define STALL_MS 3000

static long
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)(ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

int
http_available(void)
{
	return cu.lib != NULL;
}

enum itui_code
http_global_init(struct itui_err *err)
{
	static const char *const names[] = {
	    "libcurl.so.4", "libcurl-gnutls.so.4", "libcurl-nss.so.4"};
	size_t i;

	if (cu.lib != NULL)
		return ITUI_OK;
	for (i = 0; i < sizeof names / sizeof names[0] && cu.lib == NULL; i++)
		cu.lib = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
	if (cu.lib == NULL)
		return err_set(
		    err, ITUI_IO,
		    "libcurl is not available (install libcurl4): %s",
		    dlerror());
#define LOAD(field, sym)                                    \
	do {                                                \
		*(void **)(&cu.field) = dlsym(cu.lib, sym); \
		if (cu.field == NULL)                       \
			goto missing;                       \
	} while (0)
	LOAD(global_init, "curl_global_init");
	LOAD(easy_init, "curl_easy_init");
	LOAD(easy_setopt, "curl_easy_setopt");
	LOAD(easy_perform, "curl_easy_perform");
	LOAD(easy_getinfo, "curl_easy_getinfo");
	LOAD(easy_cleanup, "curl_easy_cleanup");
	LOAD(easy_reset, "curl_easy_reset");
	LOAD(easy_strerror, "curl_easy_strerror");
	LOAD(slist_append, "curl_slist_append");
	LOAD(slist_free_all, "curl_slist_free_all");
	LOAD(easy_escape, "curl_easy_escape");
	LOAD(free, "curl_free");
#undef LOAD
	if (cu.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		goto missing;
	return ITUI_OK;
missing:
	dlclose(cu.lib);
	cu.lib = NULL;
	return err_set(err, ITUI_IO, "libcurl could not be initialised");
}

struct http_client *
http_client_new(const _Atomic int *stop)
{
	struct http_client *c;

	if (cu.lib == NULL)
		return NULL;
	c = xcalloc(1, sizeof *c);
	c->h = cu.easy_init();
	c->stop = stop;
	if (c->h == NULL) {
		free(c);
		return NULL;
	}
	return c;
}

void
http_client_set_ca(struct http_client *c, const char *ca_file)
{
	if (c != NULL)
		c->ca_file = ca_file;
}

void
http_client_free(struct http_client *c)
{
	if (c == NULL)
		return;
	cu.easy_cleanup(c->h);
	free(c);
}

static size_t
on_body(char *data, size_t size, size_t n, void *arg)
{
	struct http_client *c = arg;
	struct http_response *r = c->resp;
	size_t len = size * n;

	/* The cap, enforced here: a chunked body has no length up front. */
	if (r->len + len > HTTP_MAX_BODY) {
		c->too_big = 1;
		return 0;
	}
	r->body = xreallocarray(r->body, r->len + len + 1, 1);
	memcpy(r->body + r->len, data, len);
	r->len += len;
	r->body[r->len] = '\0';
	return len;
}

static size_t
on_header(char *data, size_t size, size_t n, void *arg)
{
	struct http_client *c = arg;
	size_t len = size * n;

	c->got_reply = 1;
	c->last_progress = mono_ms();
	if (len > 12 && strncasecmp(data, "Retry-After:", 12) == 0) {
		long v = strtol(data + 12, NULL, 10);

		if (v >= 0 && v < 86400)
			c->resp->retry_after = v;
	}
	return len;
}

static int
on_progress(void *arg, curl_off_t a, curl_off_t b, curl_off_t c2, curl_off_t d)
{
	struct http_client *c = arg;

	(void)a;
	(void)c2;
	(void)d;
	if (c->stop != NULL && *c->stop)
		return 1;
	/*
	 * The stall limit counts from the reply's first byte: the wait for
	 * it is the server thinking, bounded by the total timeout only.
	 */
	if (c->got_reply) {
		long now = mono_ms();

		if (b != c->seen) {
			c->seen = b;
			c->last_progress = now;
		} else if (now - c->last_progress > STALL_MS) {
			c->stalled = 1;
			return 1;
		}
	}
	return 0;
}

static const char *
host_of(const char *url, char *buf, size_t size)
{
	const char *p = strstr(url, "://");
	size_t n;

	p = p ? p + 3 : url;
	n = strcspn(p, "/?#");
	/* Never the user-info: user:password@host. */
	{
		const char *at = memchr(p, '@', n);

		if (at != NULL) {
			n -= (size_t)(at + 1 - p);
			p = at + 1;
		}
	}
	snprintf(buf, size, "%.*s", (int)(n < size ? n : size - 1), p);
	return buf;
}

/* The credentials a request carries, as a reply might echo them. */
struct secrets {
	char *v[64];
	size_t n;
};

static void
secret_add(struct secrets *s, const char *p, size_t len)
{
	size_t slashes = 0, i, k = 0;
	char *e;

	/* Shorter than the scrubber's minimum: ordinary words, not keys. */
	if (len < 4 || s->n + 2 > sizeof s->v / sizeof s->v[0])
		return;
	s->v[s->n++] = xasprintf("%.*s", (int)len, p);
	for (i = 0; i < len; i++)
		slashes += p[i] == '/';
	if (slashes == 0)
		return;
	/* JSON may escape '/' as "\/" when it quotes the value back. */
	e = xmalloc(len + slashes + 1);
	for (i = 0; i < len; i++) {
		if (p[i] == '/')
			e[k++] = '\\';
		e[k++] = p[i];
	}
	e[k] = '\0';
	s->v[s->n++] = e;
}

static void
secret_add_userpwd(struct secrets *s, const char *up, size_t len)
{
	const char *colon = memchr(up, ':', len);
	char enc[BASE64_ENCODE_RAW_LENGTH(512) + 1];

	secret_add(s, up, len);
	if (colon != NULL)
		secret_add(s, colon + 1, len - (size_t)(colon + 1 - up));
	if (len <= 512) {
		base64_encode_raw(enc, len, (const uint8_t *)up);
		enc[BASE64_ENCODE_RAW_LENGTH(len)] = '\0';
		secret_add(s, enc, strlen(enc));
	}
}

static void
collect_secrets(const struct http_request *rq, struct secrets *s)
{
	static const char *const plain[] = {
	    "Accept:", "Content-Type:", "Idempotency-Key:",
	    "X-Incident-Tui-Timestamp:", NULL};
	const char *const *h, *p, *at;
	size_t i, n;

	s->n = 0;
	for (h = rq->headers; h != NULL && *h != NULL; h++) {
		const char *v = strchr(*h, ':'), *sp;

		for (i = 0; plain[i] != NULL; i++)
			if (strncasecmp(*h, plain[i], strlen(plain[i])) == 0)
				break;
		if (plain[i] != NULL || v == NULL)
			continue;
		v += strspn(v + 1, " ") + 1;
		secret_add(s, v, strlen(v));
		/* "Bearer TOKEN": the token alone, too. */
		if ((sp = strchr(v, ' ')) != NULL)
			secret_add(s, sp + 1, strlen(sp + 1));
	}
	if (rq->userpwd != NULL)
		secret_add_userpwd(s, rq->userpwd, strlen(rq->userpwd));
	if (rq->url != NULL && (p = strstr(rq->url, "://")) != NULL) {
		p += 3;
		n = strcspn(p, "/?#");
		if ((at = memchr(p, '@', n)) != NULL)
			secret_add_userpwd(s, p, (size_t)(at - p));
	}
	for (h = rq->secrets; h != NULL && *h != NULL; h++)
		secret_add(s, *h, strlen(*h));
}

static void
secrets_free(struct secrets *s)
{
	for (size_t i = 0; i < s->n; i++) {
		explicit_bzero(s->v[i], strlen(s->v[i]));
		free(s->v[i]);
	}
	s->n = 0;
}

/* Replaces each secret in the (possibly binary) body by "[redacted]". */
static void
scrub_body(struct http_response *r, const struct secrets *s)
{
	for (size_t i = 0; i < s->n && r->body != NULL; i++) {
		size_t sl = strlen(s->v[i]), off = 0;
		struct strbuf b = STRBUF_INIT;
		const char *hit;

		if (memmem(r->body, r->len, s->v[i], sl) == NULL)
			continue;
		while ((hit = memmem(r->body + off, r->len - off, s->v[i],
		                     sl)) != NULL) {
			strbuf_add(&b, r->body + off,
			           (size_t)(hit - (r->body + off)));
			strbuf_addstr(&b, "[redacted]");
			off = (size_t)(hit - r->body) + sl;
		}
		strbuf_add(&b, r->body + off, r->len - off);
		explicit_bzero(r->body, r->len);
		free(r->body);
		r->len = b.len;
		r->body = strbuf_detach(&b);
	}
}

enum itui_code
http_do(struct http_client *c, const struct http_request *rq,
        struct http_response *out, struct itui_err *err)
{
	struct curl_slist *hdrs = NULL;
	const char *const *h;
	char *ct = NULL, host[128];
	CURLcode rc;

	memset(out, 0, sizeof *out);
	out->retry_after = -1;
	if (c == NULL)
		return err_set(err, ITUI_IO, "HTTP is not available");
	cu.easy_reset(c->h);
	c->resp = out;
	c->too_big = 0;
	c->stalled = 0;
	c->got_reply = 0;
	c->seen = 0;
	c->last_progress = mono_ms();
	for (h = rq->headers; h != NULL && *h != NULL; h++)
		hdrs = cu.slist_append(hdrs, *h);
	cu.easy_setopt(c->h, CURLOPT_URL, rq->url);
	cu.easy_setopt(c->h, CURLOPT_NOSIGNAL, 1L);
	cu.easy_setopt(c->h, CURLOPT_CONNECTTIMEOUT_MS,
	               rq->connect_ms > 0 ? rq->connect_ms : 3000L);
	cu.easy_setopt(c->h, CURLOPT_TIMEOUT_MS,
	               rq->total_ms > 0 ? rq->total_ms : 10000L);
	if (rq->userpwd != NULL) {
		cu.easy_setopt(c->h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		cu.easy_setopt(c->h, CURLOPT_USERPWD, rq->userpwd);
	}
	if (rq->ca_file != NULL)
		cu.easy_setopt(c->h, CURLOPT_CAINFO, rq->ca_file);
	if (rq->insecure) {
		cu.easy_setopt(c->h, CURLOPT_SSL_VERIFYPEER, 0L);
		cu.easy_setopt(c->h, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	cu.easy_setopt(c->h, CURLOPT_FOLLOWLOCATION, 1L);
	cu.easy_setopt(c->h, CURLOPT_MAXREDIRS, 3L);
	cu.easy_setopt(c->h, CURLOPT_PROTOCOLS_STR, "http,https");
	cu.easy_setopt(c->h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
	cu.easy_setopt(c->h, CURLOPT_MAXFILESIZE_LARGE,
	               (curl_off_t)HTTP_MAX_BODY);
	cu.easy_setopt(c->h, CURLOPT_ACCEPT_ENCODING, "");
	cu.easy_setopt(c->h, CURLOPT_USERAGENT, "incident-tui/" ITUI_VERSION);
	cu.easy_setopt(c->h, CURLOPT_WRITEFUNCTION, on_body);
	cu.easy_setopt(c->h, CURLOPT_WRITEDATA, c);
	cu.easy_setopt(c->h, CURLOPT_HEADERFUNCTION, on_header);
	cu.easy_setopt(c->h, CURLOPT_HEADERDATA, c);
	cu.easy_setopt(c->h, CURLOPT_NOPROGRESS, 0L);
	cu.easy_setopt(c->h, CURLOPT_XFERINFOFUNCTION, on_progress);
	cu.easy_setopt(c->h, CURLOPT_XFERINFODATA, c);
	cu.easy_setopt(c->h, CURLOPT_CUSTOMREQUEST, rq->method);
	if (rq->body != NULL) {
		cu.easy_setopt(c->h, CURLOPT_POSTFIELDS, rq->body);
		cu.easy_setopt(c->h, CURLOPT_POSTFIELDSIZE,
		               (long)strlen(rq->body));
	} else if (strcmp(rq->method, "GET") == 0) {
		cu.easy_setopt(c->h, CURLOPT_HTTPGET, 1L);
	}
	if (hdrs != NULL)
		cu.easy_setopt(c->h, CURLOPT_HTTPHEADER, hdrs);
	if (c->ca_file != NULL)
		cu.easy_setopt(c->h, CURLOPT_CAINFO, c->ca_file);
	rc = cu.easy_perform(c->h);
	if (hdrs != NULL)
		cu.slist_free_all(hdrs);
	if (rc != CURLE_OK) {
		enum itui_code code;

		if (c->too_big || rc == CURLE_FILESIZE_EXCEEDED)
			code = err_set(
			    err, ITUI_IO,
			    "%s: the response is larger than %d bytes",
			    host_of(rq->url, host, sizeof host), HTTP_MAX_BODY);
		else if (rc == CURLE_ABORTED_BY_CALLBACK && c->stalled)
			code =
			    err_set(err, ITUI_IO,
			            "%s: the reply stalled (no data for %d s)",
			            host_of(rq->url, host, sizeof host),
			            STALL_MS / 1000);
		else if (rc == CURLE_ABORTED_BY_CALLBACK)
			code = err_set(err, ITUI_IO, "%s: cancelled",
			               host_of(rq->url, host, sizeof host));
		else
			code = err_set(err, ITUI_IO, "%s: %s",
			               host_of(rq->url, host, sizeof host),
			               cu.easy_strerror(rc));
		http_response_free(out);
		return code;
	}
	cu.easy_getinfo(c->h, CURLINFO_RESPONSE_CODE, &out->status);
	if (cu.easy_getinfo(c->h, CURLINFO_CONTENT_TYPE, &ct) == CURLE_OK &&
	    ct != NULL)
		snprintf(out->content_type, sizeof out->content_type, "%s", ct);
	if (out->body == NULL)
		out->body = xstrdup("");
	{
		struct secrets sec;

		collect_secrets(rq, &sec);
		scrub_body(out, &sec);
		secrets_free(&sec);
	}
	return ITUI_OK;
}

void
http_response_free(struct http_response *r)
{
	free(r->body);
	r->body = NULL;
	r->len = 0;
}

char *
http_escape(struct http_client *c, const char *s)
{
	char *e = cu.easy_escape(c->h, s, 0), *copy;

	if (e == NULL)
		fatal("out of memory escaping a URL");
	copy = xstrdup(e);
	cu.free(e);
	return copy;
}

struct smtp_reader {
	const char *p;
	size_t left;
};

static size_t
smtp_read(char *buf, size_t size, size_t n, void *arg)
{
	struct smtp_reader *r = arg;
	size_t len = size * n < r->left ? size * n : r->left;

	memcpy(buf, r->p, len);
	r->p += len;
	r->left -= len;
	return len;
}

enum itui_code
http_smtp(struct http_client *c, const struct smtp_request *rq,
          struct itui_err *err)
{
	struct smtp_reader rd = {rq->message, strlen(rq->message)};
	struct curl_slist *rcpt = NULL;
	const char *p = rq->to;
	char host[128], *addr;
	CURLcode rc;

	if (c == NULL)
		return err_set(err, ITUI_IO, "libcurl is not available");
	while (*p != '\0') {
		size_t len;

		while (*p == ' ' || *p == ',')
			p++;
		len = strcspn(p, ",");
		while (len > 0 && p[len - 1] == ' ')
			len--;
		if (len == 0)
			break;
		addr = xasprintf("<%.*s>", (int)len, p);
		rcpt = cu.slist_append(rcpt, addr);
		free(addr);
		p += len;
	}
	cu.easy_reset(c->h);
	c->got_reply = 0;
	c->stalled = 0;
	cu.easy_setopt(c->h, CURLOPT_URL, rq->url);
	cu.easy_setopt(c->h, CURLOPT_NOSIGNAL, 1L);
	cu.easy_setopt(c->h, CURLOPT_CONNECTTIMEOUT_MS, 3000L);
	cu.easy_setopt(c->h, CURLOPT_TIMEOUT_MS,
	               rq->total_ms > 0 ? rq->total_ms : 15000L);
	cu.easy_setopt(c->h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	cu.easy_setopt(c->h, CURLOPT_MAIL_FROM, rq->from);
	cu.easy_setopt(c->h, CURLOPT_MAIL_RCPT, rcpt);
	cu.easy_setopt(c->h, CURLOPT_USE_SSL,
	               rq->tls == 2   ? (long)CURLUSESSL_ALL
	               : rq->tls == 1 ? (long)CURLUSESSL_TRY
	                              : (long)CURLUSESSL_NONE);
	if (c->ca_file != NULL)
		cu.easy_setopt(c->h, CURLOPT_CAINFO, c->ca_file);
	if (rq->user != NULL) {
		cu.easy_setopt(c->h, CURLOPT_USERNAME, rq->user);
		cu.easy_setopt(c->h, CURLOPT_PASSWORD,
		               rq->password ? rq->password : "");
	}
	cu.easy_setopt(c->h, CURLOPT_UPLOAD, 1L);
	cu.easy_setopt(c->h, CURLOPT_READFUNCTION, smtp_read);
	cu.easy_setopt(c->h, CURLOPT_READDATA, &rd);
	cu.easy_setopt(c->h, CURLOPT_NOPROGRESS, 0L);
	cu.easy_setopt(c->h, CURLOPT_XFERINFOFUNCTION, on_progress);
	cu.easy_setopt(c->h, CURLOPT_XFERINFODATA, c);
	rc = cu.easy_perform(c->h);
	cu.slist_free_all(rcpt);
	/* The password is not left in the reusable handle. */
	cu.easy_reset(c->h);
	if (rc != CURLE_OK)
		return err_set(err, ITUI_IO, "%s: %s",
		               host_of(rq->url, host, sizeof host),
		               cu.easy_strerror(rc));
	return ITUI_OK;
}

void
http_scrub(char *msg, size_t size, const char *const *secrets)
{
	static const char mark[] = "[redacted]";

	for (; secrets != NULL && *secrets != NULL; secrets++) {
		size_t sl = strlen(*secrets);
		char *p;

		/* A short "secret" would blot out ordinary words. */
		if (sl < 4)
			continue;
		while ((p = strstr(msg, *secrets)) != NULL) {
			size_t tail = strlen(p + sl) + 1;

			if ((size_t)(p - msg) + sizeof mark - 1 + tail > size) {
				memset(p, '*', sl);
				continue;
			}
			memmove(p + sizeof mark - 1, p + sl, tail);
			memcpy(p, mark, sizeof mark - 1);
		}
	}
}

char *
http_redact_url(const char *url)
{
	const char *p = strstr(url, "://"), *at;
	size_t n;

	if (p == NULL)
		return xstrdup(url);
	p += 3;
	n = strcspn(p, "/?#");
	at = memchr(p, '@', n);
	if (at == NULL)
		return xstrdup(url);
	return xasprintf("%.*s[redacted]%s", (int)(p - url), url, at);
}
