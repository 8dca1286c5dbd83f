/*
 * statuspage.c - writes the static status page and its feeds.
 *
 * Text path for every stored string: sanitize (controls and bidi made
 * visible, invalid UTF-8 repaired) and then escape for the markup it lands
 * in, so a title full of tags and escape sequences shows as text.  The
 * layout is one column, fluid from 320 px phones to wall screens (the font
 * grows with the viewport), with no script and no external resources.
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "itui/sanitize.h"
#include "itui/statuspage.h"
#include "itui/store-outbox.h"
#include "itui/strbuf.h"
#include "itui/timeutil.h"
#include "itui/xalloc.h"

static void
add_escaped(struct strbuf *b, const char *s, int multiline)
{
	struct strbuf clean = STRBUF_INIT;
	const char *p;

	if (s == NULL)
		s = "";
	sanitize_append(&clean, s, strlen(s), multiline ? SAN_MULTILINE : 0, 0,
	                32768);
	for (p = strbuf_str(&clean); *p; p++) {
		switch (*p) {
		case '&':
			strbuf_addf(b, "&amp;");
			break;
		case '<':
			strbuf_addf(b, "&lt;");
			break;
		case '>':
			strbuf_addf(b, "&gt;");
			break;
		case '"':
			strbuf_addf(b, "&quot;");
			break;
		case '\'':
			strbuf_addf(b, "&#39;");
			break;
		default:
			strbuf_addch(b, *p);
		}
	}
	strbuf_free(&clean);
}

static char *
inert(const char *s, int multiline)
{
	struct strbuf b = STRBUF_INIT;

	if (s == NULL)
		s = "";
	sanitize_append(&b, s, strlen(s), multiline ? SAN_MULTILINE : 0, 0,
	                32768);
	return strbuf_detach(&b);
}

static enum itui_code
write_atomic(const char *dir, const char *name, const char *text,
             struct itui_err *err)
{
	char *tmp = xasprintf("%s/.%s.XXXXXX", dir, name);
	char *dst = xasprintf("%s/%s", dir, name);
	size_t len = strlen(text), off = 0;
	enum itui_code rc = ITUI_OK;
	int fd = mkstemp(tmp);

	if (fd < 0) {
		rc = err_set(err, ITUI_IO, "%s: %s", dir, strerror(errno));
		goto out;
	}
	(void)fchmod(fd, 0644); /* a public page */
	while (off < len) {
		ssize_t w = write(fd, text + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			rc = err_set(err, ITUI_IO, "%s: %s", tmp,
			             strerror(errno));
			break;
		}
		off += (size_t)w;
	}
	if (rc == ITUI_OK && fsync(fd) != 0)
		rc = err_set(err, ITUI_IO, "%s: %s", tmp, strerror(errno));
	close(fd);
	if (rc == ITUI_OK && rename(tmp, dst) != 0)
		rc = err_set(err, ITUI_IO, "%s: %s", dst, strerror(errno));
	if (rc != ITUI_OK)
		unlink(tmp);
out:
	free(tmp);
	free(dst);
	return rc;
}

struct page_incident {
	const struct incident *inc;
	struct entry_list updates;
};

static const char *
service_state(const struct policy *p, const struct incident *inc)
{
	int r = p ? policy_rank(p, inc->severity) : 1;

	if (r == 0)
		return "Major outage";
	if (r == 1)
		return "Partial outage";
	return "Degraded performance";
}

static const char *const css =
    "html{font-family:system-ui,sans-serif;font-size:clamp(16px,1.1vw,"
    "40px);line-height:1.45;color:#111;background:#fafafa}"
    "body{margin:0 auto;max-width:60em;padding:0 .8em}"
    "h1{font-size:1.6em;margin:.6em 0}h2{font-size:1.25em;margin:1.2em 0 "
    ".4em}h3{font-size:1.1em;margin:.2em 0;overflow-wrap:anywhere}"
    "table{width:100%;border-collapse:collapse}td{padding:.35em .3em;"
    "border-bottom:1px solid #ddd;overflow-wrap:anywhere}"
    ".ok{color:#05620d}.bad{color:#a40000;font-weight:bold}"
    ".inc{background:#fff;border:1px solid #ccc;border-left:.4em solid "
    "#a40000;padding:.5em .8em;margin:.6em 0}"
    ".upd{white-space:pre-wrap;overflow-wrap:anywhere;margin:.3em 0 .6em;"
    "padding-left:.6em;border-left:2px solid #ccc}"
    ".meta{color:#555;font-size:.9em}"
    "@media (prefers-color-scheme:dark){html{color:#eee;background:#111}"
    ".inc{background:#1c1c1c;border-color:#444}.ok{color:#6d6}.bad{color:"
    "#f66}.meta{color:#aaa}}";

static void
html_incident(struct strbuf *b, const struct page_incident *pi, int active)
{
	const struct incident *inc = pi->inc;
	char when[40];
	size_t i;

	strbuf_addf(b, "<article class=\"inc\" id=\"inc-%lld\"><h3>",
	            (long long)inc->id);
	add_escaped(b, inc->title, 0);
	strbuf_addf(b, "</h3><p class=\"meta\">INC-%lld &middot; ",
	            (long long)inc->id);
	add_escaped(b, status_name(inc->status), 0);
	if (inc->service != NULL) {
		strbuf_addf(b, " &middot; ");
		add_escaped(b, inc->service, 0);
	}
	time_format_iso(inc->declared_at, when);
	strbuf_addf(b, " &middot; since <time datetime=\"%s\">%s</time></p>",
	            when, when);
	/* Newest update first: the last public word is what readers want. */
	for (i = pi->updates.n; i-- > 0;) {
		const struct entry *e = &pi->updates.v[i];

		time_format_iso(e->at, when);
		strbuf_addf(b,
		            "<p class=\"meta\"><time datetime=\"%s\">%s"
		            "</time></p><div class=\"upd\">",
		            when, when);
		add_escaped(b, e->text, 1);
		strbuf_addf(b, "</div>");
		if (!active)
			break;
	}
	if (pi->updates.n == 0)
		strbuf_addf(b, "<p class=\"meta\">We are investigating.</p>");
	strbuf_addf(b, "</article>\n");
}

static char *
render_html(const struct policy *p, const struct config *cfg,
            struct page_incident *v, size_t n, int64_t now)
{
	struct strbuf b = STRBUF_INIT;
	const char *title =
	    cfg->statuspage.title ? cfg->statuspage.title : "Service status";
	char when[40];
	const char **svc = NULL;
	size_t nsvc = 0, i, j;
	int any_active = 0;

	time_format_iso(now, when);
	strbuf_addf(&b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta "
	                "charset=\"utf-8\"><meta name=\"viewport\" "
	                "content=\"width=device-width,initial-scale=1\">"
	                "<title>");
	add_escaped(&b, title, 0);
	strbuf_addf(&b,
	            "</title><link rel=\"alternate\" "
	            "type=\"application/atom+xml\" href=\"feed.atom\">"
	            "<style>%s</style></head><body><h1>",
	            css);
	add_escaped(&b, title, 0);
	strbuf_addf(&b,
	            "</h1><p class=\"meta\">Updated <time datetime=\"%s\">"
	            "%s</time></p>\n",
	            when, when);
	for (i = 0; i < n; i++) {
		const char *s = v[i].inc->service;

		for (j = 0; s != NULL && j < nsvc; j++)
			if (strcmp(svc[j], s) == 0)
				break;
		if (s != NULL && j == nsvc) {
			svc = xreallocarray(svc, nsvc + 1, sizeof *svc);
			svc[nsvc++] = s;
		}
	}
	strbuf_addf(&b, "<h2>Services</h2><table>");
	for (j = 0; j < nsvc; j++) {
		const char *state = "Operational";

		for (i = 0; i < n; i++)
			if (status_is_active(v[i].inc->status) &&
			    v[i].inc->service &&
			    strcmp(v[i].inc->service, svc[j]) == 0) {
				state = service_state(p, v[i].inc);
				break;
			}
		strbuf_addf(&b, "<tr><td>");
		add_escaped(&b, svc[j], 0);
		strbuf_addf(&b, "</td><td class=\"%s\">%s</td></tr>",
		            strcmp(state, "Operational") == 0 ? "ok" : "bad",
		            state);
	}
	if (nsvc == 0)
		strbuf_addf(&b, "<tr><td>All services</td><td class=\"ok\">"
		                "Operational</td></tr>");
	strbuf_addf(&b, "</table>\n<h2>Active incidents</h2>\n");
	for (i = 0; i < n; i++)
		if (status_is_active(v[i].inc->status)) {
			html_incident(&b, &v[i], 1);
			any_active = 1;
		}
	if (!any_active)
		strbuf_addf(&b, "<p class=\"ok\">No active incidents.</p>\n");
	strbuf_addf(&b, "<h2>The last %d days</h2>\n", STATUSPAGE_DAYS);
	for (i = 0; i < n; i++)
		if (!status_is_active(v[i].inc->status))
			html_incident(&b, &v[i], 0);
	strbuf_addf(&b, "<p class=\"meta\"><a href=\"feed.atom\">Atom feed</a>"
	                " &middot; <a href=\"status.json\">JSON</a></p>"
	                "</body></html>\n");
	free(svc);
	return strbuf_detach(&b);
}

static char *
render_json(struct page_incident *v, size_t n, int64_t now)
{
	json_t *root = json_object(), *arr = json_array();
	char when[40], *out;
	size_t i, k;

	time_format_iso(now, when);
	json_object_set_new(root, "generated_at", json_string(when));
	for (i = 0; i < n; i++) {
		const struct incident *inc = v[i].inc;
		json_t *o = json_object(), *ups = json_array();
		char *t = inert(inc->title, 0);

		json_object_set_new(o, "id", json_integer(inc->id));
		json_object_set_new(o, "title", json_string(t));
		free(t);
		json_object_set_new(o, "status",
		                    json_string(status_name(inc->status)));
		json_object_set_new(
		    o, "active", json_boolean(status_is_active(inc->status)));
		if (inc->service) {
			t = inert(inc->service, 0);
			json_object_set_new(o, "service", json_string(t));
			free(t);
		}
		time_format_iso(inc->declared_at, when);
		json_object_set_new(o, "declared_at", json_string(when));
		for (k = 0; k < v[i].updates.n; k++) {
			const struct entry *e = &v[i].updates.v[k];
			json_t *u = json_object();

			t = inert(e->text, 1);
			time_format_iso(e->at, when);
			json_object_set_new(u, "at", json_string(when));
			json_object_set_new(u, "text", json_string(t));
			free(t);
			json_array_append_new(ups, u);
		}
		json_object_set_new(o, "updates", ups);
		json_array_append_new(arr, o);
	}
	json_object_set_new(root, "incidents", arr);
	out = json_dumps(root, JSON_INDENT(1));
	json_decref(root);
	return out;
}

static char *
render_atom(const struct config *cfg, struct page_incident *v, size_t n,
            int64_t now)
{
	struct strbuf b = STRBUF_INIT;
	char when[40];
	size_t i, k;

	time_format_iso(now, when);
	strbuf_addf(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	                "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>");
	add_escaped(&b,
	            cfg->statuspage.title ? cfg->statuspage.title
	                                  : "Service status",
	            0);
	strbuf_addf(&b,
	            "</title><id>urn:incident-tui:status</id>"
	            "<updated>%s</updated>\n",
	            when);
	for (i = 0; i < n; i++)
		for (k = 0; k < v[i].updates.n; k++) {
			const struct entry *e = &v[i].updates.v[k];

			time_format_iso(e->at, when);
			strbuf_addf(&b,
			            "<entry><id>urn:incident-tui:entry:%lld"
			            "</id><updated>%s</updated><title>",
			            (long long)e->id, when);
			add_escaped(&b, v[i].inc->title, 0);
			strbuf_addf(&b, "</title><content type=\"text\">");
			add_escaped(&b, e->text, 1);
			strbuf_addf(&b, "</content></entry>\n");
		}
	strbuf_addf(&b, "</feed>\n");
	return strbuf_detach(&b);
}

enum itui_code
statuspage_write(struct store *st, const struct policy *p,
                 const struct config *cfg, const char *dir, int64_t now,
                 struct itui_err *err)
{
	struct page_incident *v = NULL;
	struct incident_list l;
	enum itui_code rc = ITUI_OK;
	char *html = NULL, *json = NULL, *atom = NULL;
	size_t n = 0, i;

	if (mkdir(dir, 0755) != 0 && errno != EEXIST)
		return err_set(err, ITUI_IO, "%s: %s", dir, strerror(errno));
	if (store_incident_list(st, 1, 0, &l, err) != ITUI_OK)
		return err->code;
	if (p != NULL)
		incident_list_sort(&l, p);
	v = xcalloc(l.n + 1, sizeof *v);
	for (i = 0; i < l.n && rc == ITUI_OK; i++) {
		const struct incident *inc = &l.v[i];

		if (inc->drill ||
		    (!status_is_active(inc->status) &&
		     inc->declared_at < now - STATUSPAGE_DAYS * 86400))
			continue;
		v[n].inc = inc;
		rc = store_public_updates(st, inc->id, &v[n].updates, err);
		n++;
	}
	if (rc == ITUI_OK) {
		html = render_html(p, cfg, v, n, now);
		json = render_json(v, n, now);
		atom = render_atom(cfg, v, n, now);
		rc = write_atomic(dir, "status.json", json, err);
	}
	if (rc == ITUI_OK)
		rc = write_atomic(dir, "feed.atom", atom, err);
	if (rc == ITUI_OK)
		rc = write_atomic(dir, "index.html", html, err);
	for (i = 0; i < n; i++)
		entry_list_free(&v[i].updates);
	free(v);
	free(html);
	free(json);
	free(atom);
	incident_list_free(&l);
	return rc;
}
