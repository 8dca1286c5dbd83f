/*
 * http.h - HTTP requests through libcurl, which is loaded on first use.
 *
 * Contract: http_global_init() is called once, on the main thread, before
 * any thread starts: it dlopen()s libcurl and runs curl_global_init()
 * (commands that never speak HTTP never pay for loading it).  A struct
 * http_client belongs to one thread.  Every request has a connect timeout,
 * a total timeout, a stall limit that starts counting at the first byte of
 * the reply (a server that thinks for 5 s before answering is not stalled),
 * at most three redirects, only http and https, TLS verification on unless
 * asked, and a response size cap enforced while the body arrives
 * (CURLOPT_MAXFILESIZE does not stop a chunked body).  Messages name the
 * URL's host without its user-info.  When
 * *stop becomes non-zero a transfer in progress is abandoned within ~100 ms.
 * The caller frees a response with http_response_free().
 */
#ifndef ITUI_HTTP_H
#define ITUI_HTTP_H

#include <stddef.h>

#include "itui/err.h"

#define HTTP_MAX_BODY (4 << 20)

struct http_request {
	const char *method; /* "GET", "POST", "PATCH" */
	const char *url;
	const char *const *headers; /* NULL-terminated, may be NULL */
	const char *body;           /* NULL for none */
	long connect_ms;            /* 0: 3000 */
	long total_ms;              /* 0: 10000 */
	const char *userpwd; /* "user:password" for basic auth, or NULL */
	const char *ca_file; /* a CA bundle to trust, or NULL */
	int insecure;        /* skip TLS verification (warned about) */
	/*
	 * What else this request carries that its reply must not echo (a
	 * hook URL whose path is the token, a routing key in the body);
	 * NULL-terminated, may be NULL.  The credentials in headers, userpwd
	 * and the URL's user-info are always scrubbed.
	 */
	const char *const *secrets;
};

struct http_response {
	long status;
	char *body; /* NUL-terminated */
	size_t len;
	char content_type[128];
	long retry_after; /* seconds from Retry-After, or -1 */
};

enum itui_code http_global_init(struct itui_err *err);
int http_available(void);

struct http_client;
struct http_client *http_client_new(const _Atomic int *stop);
void http_client_free(struct http_client *c);
/* CA certificates for the next requests (NULL: the system's); borrowed. */
void http_client_set_ca(struct http_client *c, const char *ca_file);

/*
 * Performs the request.  A transport failure (refused, timeout, too large)
 * is an ITUI_IO error naming the URL's host; any HTTP status is a response.
 * The body returned has every credential the request sent (see
 * http_request.secrets) replaced by "[redacted]": a proxy or server that
 * echoes the Authorization header cannot carry a token into a message.
 */
enum itui_code http_do(struct http_client *c, const struct http_request *rq,
                       struct http_response *out, struct itui_err *err);
void http_response_free(struct http_response *r);

/* One email through libcurl's SMTP support. */
struct smtp_request {
	const char *url;      /* smtp://HOST:PORT or smtps:// */
	const char *from;     /* envelope sender */
	const char *to;       /* recipients, comma separated */
	const char *user;     /* NULL: no AUTH */
	const char *password; /* never logged, never in an error */
	int tls;              /* 0 none, 1 STARTTLS if offered, 2 required */
	const char *message;  /* the whole RFC 5322 message, CRLF lines */
	long total_ms;        /* 0: 15000 */
};

/* ITUI_IO with the server's host and curl's reason on any failure. */
enum itui_code http_smtp(struct http_client *c, const struct smtp_request *rq,
                         struct itui_err *err);

/*
 * Replaces every occurrence of each secret (NULL-terminated list; NULL or
 * short entries skipped) in msg with "[redacted]", in place.
 */
void http_scrub(char *msg, size_t size, const char *const *secrets);
/* The URL with any user-info replaced by "[redacted]@". Free it. */
char *http_redact_url(const char *url);
/* application/x-www-form-urlencoded value. Free it. */
char *http_escape(struct http_client *c, const char *s);

#endif
