/*
 * receiver.c - the webhook receiver over a dlopen()ed GNU libmicrohttpd.
 *
 * DESIGN: as with libcurl in http.c, linking libmicrohttpd would make every
 * process pay for loading it (and GnuTLS behind it), while only `receive`
 * and a poller with [receiver] listen use it; so the few functions used
 * here are looked up with dlsym() on first use, the types and constants
 * still coming from <microhttpd.h>.  The daemon runs a thread per
 * connection; one committer thread alone uses the receiver's store
 * connection and commits the posts that queued while it was busy together
 * (group commit, below).  A request is answered only when its body is
 * complete and its alerts committed (or refused): Alertmanager retries
 * anything that is not 2xx, so a receiver killed mid-delivery loses
 * nothing.
 */
#include <arpa/inet.h>
#include <dlfcn.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include <microhttpd.h>

#include "itui/metrics.h"
#include "itui/poller.h"
#include "itui/receiver.h"
#include "itui/xalloc.h"

static struct {
	void *lib;
	struct MHD_Daemon *(*start_daemon)(unsigned int, uint16_t,
	                                   MHD_AcceptPolicyCallback, void *,
	                                   MHD_AccessHandlerCallback, void *,
	                                   ...);
	void (*stop_daemon)(struct MHD_Daemon *);
	struct MHD_Response *(*create_response_from_buffer)(
	    size_t, void *, enum MHD_ResponseMemoryMode);
	enum MHD_Result (*add_response_header)(struct MHD_Response *,
	                                       const char *, const char *);
	enum MHD_Result (*queue_response)(struct MHD_Connection *, unsigned int,
	                                  struct MHD_Response *);
	void (*destroy_response)(struct MHD_Response *);
	const char *(*lookup_connection_value)(struct MHD_Connection *,
	                                       enum MHD_ValueKind,
	                                       const char *);
} mhd;

static enum itui_code
mhd_load(struct itui_err *err)
{
	static const char *const names[] = {"libmicrohttpd.so.12",
	                                    "libmicrohttpd.so"};
	size_t i;

	if (mhd.lib != NULL)
		return ITUI_OK;
	for (i = 0; i < sizeof names / sizeof names[0] && mhd.lib == NULL; i++)
		mhd.lib = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
	if (mhd.lib == NULL)
		return err_set(err, ITUI_IO,
		               "GNU libmicrohttpd is not available (install "
		               "libmicrohttpd12): %s",
		               dlerror());
#define LOAD(field, sym)                                      \
	do {                                                  \
		*(void **)(&mhd.field) = dlsym(mhd.lib, sym); \
		if (mhd.field == NULL)                        \
			goto missing;                         \
	} while (0)
	LOAD(start_daemon, "MHD_start_daemon");
	LOAD(stop_daemon, "MHD_stop_daemon");
	LOAD(create_response_from_buffer, "MHD_create_response_from_buffer");
	LOAD(add_response_header, "MHD_add_response_header");
	LOAD(queue_response, "MHD_queue_response");
	LOAD(destroy_response, "MHD_destroy_response");
	LOAD(lookup_connection_value, "MHD_lookup_connection_value");
#undef LOAD
	return ITUI_OK;
missing:
	dlclose(mhd.lib);
	mhd.lib = NULL;
	return err_set(err, ITUI_IO, "libmicrohttpd lacks a needed function");
}

/* A payload parsed and re-keyed, its alerts ready for store_alerts_push(). */
struct parsed {
	struct alert_list l;
	struct alert_in *in;
};

static enum itui_code
parse(const struct config *cfg, enum webhook_kind kind, const char *body,
      size_t len, struct parsed *p, struct itui_err *err)
{
	p->in = NULL;
	if (webhook_parse(kind, body, len, &p->l, err) != ITUI_OK)
		return err->code;
	alerts_rekey(&p->l, cfg->alerts.ignore_labels != NULL
	                        ? (const char *const *)cfg->alerts.ignore_labels
	                        : metrics_default_ignore_labels);
	p->in = xcalloc(p->l.n + 1, sizeof *p->in);
	poller_alert_in(&p->l,
	                kind == WEBHOOK_GRAFANA ? "grafana-webhook" : "webhook",
	                p->in);
	return ITUI_OK;
}

static void
parsed_free(struct parsed *p)
{
	free(p->in);
	alerts_free(&p->l);
}

static enum itui_code
push(struct store *st, const struct config *cfg, const struct alert_in *in,
     size_t n, struct itui_err *err)
{
	int changed = 0;

	store_alerts_set_refire(st, cfg->alerts.refire_reopens);
	return store_alerts_push(st, in, n, &changed, err);
}

enum itui_code
receiver_ingest(struct store *st, const struct config *cfg,
                enum webhook_kind kind, const char *body, size_t len, size_t *n,
                struct itui_err *err)
{
	struct parsed p;
	enum itui_code rc;

	*n = 0;
	if (parse(cfg, kind, body, len, &p, err) != ITUI_OK)
		return err->code;
	rc = push(st, cfg, p.in, p.l.n, err);
	if (rc == ITUI_OK)
		*n = p.l.n;
	parsed_free(&p);
	return rc;
}

/*
 * Group commit.  Each connection has a thread of its own, which parses its
 * payload (a bad one is answered 400 there and never reaches a batch) and
 * then queues it and waits; the one committer thread, the only user of the
 * store connection, takes everything queued while it was committing and
 * commits it as one transaction, so at N posts a second the fsyncs are
 * fewer than N.  Nobody is answered before the commit holding its alerts
 * has returned.
 */
struct job {
	struct parsed p;
	struct job *next;
	int done;
	enum itui_code rc;
	struct itui_err err;
};

struct recv_queue {
	pthread_mutex_t mu;
	pthread_cond_t work; /* a job queued, or stop */
	pthread_cond_t done; /* a batch answered */
	struct job *head, **tail;
	int stop;
	pthread_t thread;
};

/*
 * Commits one batch; when that fails, each job alone, so that an alert the
 * store refuses fails only the notification that holds it.
 */
static void
commit_batch(struct receiver *r, struct job *batch)
{
	struct alert_in *all;
	struct job *j;
	size_t n = 0, k = 0;
	struct itui_err err;
	enum itui_code rc;

	for (j = batch; j != NULL; j = j->next)
		n += j->p.l.n;
	if (batch->next == NULL) {
		batch->rc = push(r->st, r->cfg, batch->p.in, n, &batch->err);
		return;
	}
	all = xcalloc(n + 1, sizeof *all);
	for (j = batch; j != NULL; j = j->next) {
		memcpy(all + k, j->p.in, j->p.l.n * sizeof *all);
		k += j->p.l.n;
	}
	rc = push(r->st, r->cfg, all, n, &err);
	free(all);
	for (j = batch; j != NULL; j = j->next) {
		if (rc == ITUI_OK)
			j->rc = ITUI_OK;
		else {
			j->rc = push(r->st, r->cfg, j->p.in, j->p.l.n, &j->err);
		}
	}
}

static void *
committer(void *arg)
{
	struct receiver *r = arg;
	struct recv_queue *q = r->queue;
	struct job *batch, *j;

	pthread_mutex_lock(&q->mu);
	for (;;) {
		while (q->head == NULL && !q->stop)
			pthread_cond_wait(&q->work, &q->mu);
		/* Stopped only once drained: every queued post is answered. */
		if (q->head == NULL)
			break;
		batch = q->head;
		q->head = NULL;
		q->tail = &q->head;
		pthread_mutex_unlock(&q->mu);
		commit_batch(r, batch);
		pthread_mutex_lock(&q->mu);
		for (j = batch; j != NULL; j = j->next) {
			j->done = 1;
			r->stored += j->rc == ITUI_OK;
		}
		pthread_cond_broadcast(&q->done);
	}
	pthread_mutex_unlock(&q->mu);
	return NULL;
}

/* Queues a parsed payload and waits for the commit that holds it. */
static enum itui_code
commit_wait(struct receiver *r, struct job *j)
{
	struct recv_queue *q = r->queue;

	j->next = NULL;
	j->done = 0;
	pthread_mutex_lock(&q->mu);
	*q->tail = j;
	q->tail = &j->next;
	pthread_cond_signal(&q->work);
	while (!j->done)
		pthread_cond_wait(&q->done, &q->mu);
	pthread_mutex_unlock(&q->mu);
	return j->rc;
}

/* One request being received. */
struct request {
	char *body;
	size_t len;
	int refused; /* answered already (401, 413) */
	int too_big;
};

/* Constant time in the length of what we expect. */
static int
same_secret(const char *got, size_t glen, const char *want)
{
	size_t wlen = strlen(want), i;
	unsigned char d = glen != wlen;

	for (i = 0; i < wlen; i++)
		d |= (unsigned char)(want[i] ^ (i < glen ? got[i] : 0));
	return d == 0;
}

static int
b64(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* Decodes base64 into out (NUL-terminated); -1 when malformed. */
static int
b64_decode(const char *s, char *out, size_t size)
{
	size_t n = 0;
	unsigned acc = 0;
	int bits = 0, v;

	for (; *s != '\0' && *s != '='; s++) {
		if ((v = b64((unsigned char)*s)) < 0)
			return -1;
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (n + 1 >= size)
				return -1;
			out[n++] = (char)((acc >> bits) & 0xff);
		}
	}
	out[n] = '\0';
	return 0;
}

static int
authorised(const struct receiver *r, struct MHD_Connection *c)
{
	const char *h =
	    mhd.lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");

	if (r->token == NULL && r->password == NULL)
		return 1;
	if (h == NULL)
		return 0;
	if (r->token != NULL && strncasecmp(h, "Bearer ", 7) == 0)
		return same_secret(h + 7, strlen(h + 7), r->token);
	if (r->password != NULL && strncasecmp(h, "Basic ", 6) == 0) {
		char dec[1024], *colon;
		const char *user = r->cfg->receiver.username;
		int ok;

		if (b64_decode(h + 6, dec, sizeof dec) != 0 ||
		    (colon = strchr(dec, ':')) == NULL)
			return 0;
		*colon = '\0';
		ok = same_secret(colon + 1, strlen(colon + 1), r->password) &&
		     (user == NULL || strcmp(dec, user) == 0);
		memset(dec, 0, sizeof dec);
		return ok;
	}
	return 0;
}

static enum MHD_Result __attribute__((format(printf, 3, 4)))
answer(struct MHD_Connection *c, unsigned code, const char *fmt, ...)
{
	char buf[600];
	struct MHD_Response *resp;
	enum MHD_Result ret;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf - 1, fmt, ap);
	va_end(ap);
	strcat(buf, "\n");
	resp = mhd.create_response_from_buffer(strlen(buf), buf,
	                                       MHD_RESPMEM_MUST_COPY);
	if (resp == NULL)
		return MHD_NO;
	mhd.add_response_header(resp, "Content-Type", "text/plain");
	if (code == 401)
		mhd.add_response_header(resp, "WWW-Authenticate",
		                        "Bearer realm=\"incident-tui\"");
	ret = mhd.queue_response(c, code, resp);
	mhd.destroy_response(resp);
	return ret;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url,
           const char *method, const char *version, const char *data,
           size_t *data_size, void **con_cls)
{
	struct receiver *r = cls;
	struct request *q = *con_cls;
	struct itui_err err;
	enum webhook_kind kind;
	struct job job;
	enum itui_code rc;
	size_t n;

	(void)version;
	if (q == NULL) {
		const char *cl;

		q = xcalloc(1, sizeof *q);
		*con_cls = q;
		if (strcmp(method, "POST") != 0) {
			q->refused = 1;
			return answer(c, 405, "POST a webhook notification");
		}
		/* Refused before the body is read: nothing is stored. */
		if (!authorised(r, c)) {
			q->refused = 1;
			return answer(c, 401, "missing or wrong credentials");
		}
		cl = mhd.lookup_connection_value(c, MHD_HEADER_KIND,
		                                 "Content-Length");
		if (cl != NULL && strtoull(cl, NULL, 10) > r->max_body) {
			q->refused = 1;
			return answer(c, 413, "body larger than %zu bytes",
			              r->max_body);
		}
		return MHD_YES;
	}
	if (q->refused) {
		*data_size = 0;
		return MHD_YES;
	}
	if (*data_size > 0) {
		/* The cap while it arrives: a chunked body has no length. */
		if (q->len + *data_size > r->max_body)
			q->too_big = 1;
		if (!q->too_big) {
			q->body =
			    xreallocarray(q->body, q->len + *data_size + 1, 1);
			memcpy(q->body + q->len, data, *data_size);
			q->len += *data_size;
			q->body[q->len] = '\0';
		}
		*data_size = 0;
		return MHD_YES;
	}
	if (q->too_big)
		return answer(c, 413, "body larger than %zu bytes",
		              r->max_body);
	if (strcmp(url, "/") == 0 || strcmp(url, "/alertmanager") == 0)
		kind = WEBHOOK_ALERTMANAGER;
	else if (strcmp(url, "/grafana") == 0)
		kind = WEBHOOK_GRAFANA;
	else
		return answer(c, 404,
		              "POST to / or /alertmanager (Alertmanager) or "
		              "/grafana (Grafana)");
	if (parse(r->cfg, kind, q->body ? q->body : "", q->len, &job.p, &err) !=
	    ITUI_OK)
		return answer(c, 400, "%s", err.msg);
	n = job.p.l.n;
	rc = commit_wait(r, &job);
	parsed_free(&job.p);
	if (rc != ITUI_OK)
		/* Not committed: a 5xx makes Alertmanager try again. */
		return answer(c, job.err.code == ITUI_INPUT ? 400 : 503,
		              "not stored: %s", job.err.msg);
	return answer(c, 200, "stored %zu alert%s", n, n == 1 ? "" : "s");
}

static void
on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
             enum MHD_RequestTerminationCode why)
{
	struct request *q = *con_cls;

	(void)cls;
	(void)c;
	(void)why;
	if (q != NULL) {
		free(q->body);
		free(q);
	}
	*con_cls = NULL;
}

enum itui_code
receiver_open(struct receiver *r, const struct config *cfg, const char *db_path,
              struct itui_err *err)
{
	char problem[300] = "";

	memset(r, 0, sizeof *r);
	r->cfg = cfg;
	r->max_body = cfg->receiver.max_body > 0
	                  ? (size_t)cfg->receiver.max_body
	                  : RECEIVER_DEFAULT_MAX_BODY;
	if (cfg->receiver.token_file != NULL &&
	    (r->token = metrics_read_secret("[receiver] token_file",
	                                    cfg->receiver.token_file, problem,
	                                    sizeof problem)) == NULL)
		return err_set(err, ITUI_CONFIG, "%s", problem);
	if (cfg->receiver.password_file != NULL &&
	    (r->password = metrics_read_secret(
	         "[receiver] password_file", cfg->receiver.password_file,
	         problem, sizeof problem)) == NULL) {
		receiver_close(r);
		return err_set(err, ITUI_CONFIG, "%s", problem);
	}
	if (store_open(db_path, 0, &r->st, err) != ITUI_OK) {
		receiver_close(r);
		return err->code;
	}
	store_set_actor(r->st, "receiver", "webhook");
	return ITUI_OK;
}

static void
queue_free(struct receiver *r)
{
	pthread_mutex_destroy(&r->queue->mu);
	pthread_cond_destroy(&r->queue->work);
	pthread_cond_destroy(&r->queue->done);
	free(r->queue);
	r->queue = NULL;
}

enum itui_code
receiver_start(struct receiver *r, const char *listen, struct itui_err *err)
{
	struct sockaddr_in a = {0};
	const char *colon = strrchr(listen, ':');
	char host[64];
	long port;
	char *end;

	if (colon == NULL || (size_t)(colon - listen) >= sizeof host)
		return err_set(err, ITUI_USAGE,
		               "listen: expected ADDR:PORT, got '%s'", listen);
	snprintf(host, sizeof host, "%.*s", (int)(colon - listen), listen);
	port = strtol(colon + 1, &end, 10);
	a.sin_family = AF_INET;
	if (*end != '\0' || port <= 0 || port > 65535 ||
	    inet_pton(AF_INET, host[0] ? host : "0.0.0.0", &a.sin_addr) != 1)
		return err_set(err, ITUI_USAGE,
		               "listen: expected an IPv4 ADDR:PORT, got '%s'",
		               listen);
	a.sin_port = htons((uint16_t)port);
	if (mhd_load(err) != ITUI_OK)
		return err->code;
	r->queue = xcalloc(1, sizeof *r->queue);
	pthread_mutex_init(&r->queue->mu, NULL);
	pthread_cond_init(&r->queue->work, NULL);
	pthread_cond_init(&r->queue->done, NULL);
	r->queue->tail = &r->queue->head;
	if (pthread_create(&r->queue->thread, NULL, committer, r) != 0) {
		queue_free(r);
		return err_set(err, ITUI_IO,
		               "cannot start the receiver's "
		               "committer thread");
	}
	/* A thread per connection: each may wait for a commit. */
	r->daemon = mhd.start_daemon(
	    MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD,
	    (uint16_t)port, NULL, NULL, on_request, r, MHD_OPTION_SOCK_ADDR,
	    (struct sockaddr *)&a, MHD_OPTION_NOTIFY_COMPLETED, on_completed, r,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)30,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned int)64, MHD_OPTION_END);
	if (r->daemon == NULL) {
		receiver_stop(r);
		return err_set(err, ITUI_IO,
		               "cannot listen on %s (in use, or not an address "
		               "of this host)",
		               listen);
	}
	return ITUI_OK;
}

void
receiver_stop(struct receiver *r)
{
	/* The connections first: a post waiting for its commit is answered. */
	if (r->daemon != NULL)
		mhd.stop_daemon(r->daemon);
	r->daemon = NULL;
	if (r->queue != NULL) {
		pthread_mutex_lock(&r->queue->mu);
		r->queue->stop = 1;
		pthread_cond_signal(&r->queue->work);
		pthread_mutex_unlock(&r->queue->mu);
		pthread_join(r->queue->thread, NULL);
		queue_free(r);
	}
}

static void
wipe(char *s)
{
	if (s != NULL) {
		memset(s, 0, strlen(s));
		free(s);
	}
}

void
receiver_close(struct receiver *r)
{
	receiver_stop(r);
	store_close(r->st);
	wipe(r->token);
	wipe(r->password);
	memset(r, 0, sizeof *r);
}
