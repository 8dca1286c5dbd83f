/*
 * dash.c - the dashboard's model, kept free of curses so the tests drive
 * it directly, and the one door through which the dashboard changes
 * anything: the verbs of cmd.c, run with what the person sees.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "itui/bounds.h"
#include "itui/dash.h"
#include "itui/entryparse.h"
#include "itui/keymap.h"
#include "itui/store-playbook.h"
#include "itui/store-presence.h"
#include "itui/timeutil.h"
#include "itui/xalloc.h"

static void
free_detail(struct dash *d)
{
	if (d->have_detail)
		incident_free(&d->detail);
	entry_list_free(&d->timeline);
	action_list_free(&d->actions);
	if (d->have_checklist)
		checklist_free(&d->checklist);
	d->have_checklist = 0;
	d->have_detail = 0;
}

enum itui_code
dash_open(struct dash *d, struct context *ctx, struct itui_err *err)
{
	memset(d, 0, sizeof *d);
	d->ctx = ctx;
	d->timeline_window = DASH_TIMELINE_WINDOW;
	if (context_policy(ctx, &d->policy, err) != ITUI_OK ||
	    context_store(ctx, 0, &d->st, err) != ITUI_OK)
		return err->code;
	/* The main thread never waits on another's write lock (ui.c). */
	store_set_wait(d->st, DASH_WRITE_WAIT_MS);
	return dash_reload(d, err);
}

int
dash_files_intact(struct dash *d)
{
	return d->st == NULL || store_files_intact(d->st);
}

void
dash_write_wait(struct dash *d, int ms)
{
	store_set_wait(d->st, ms);
}

void
dash_close(struct dash *d)
{
	if (d->presence.written && d->st != NULL)
		(void)store_presence_clear(d->st, d->session, NULL);
	presence_list_free(&d->people);
	source_rows_free(d->sources, d->nsources);
	d->sources = NULL;
	d->nsources = 0;
	free_detail(d);
	incident_list_free(&d->incidents);
	metric_summary_free(&d->metric);
}

int
dash_presence_update(struct dash *d, int64_t incident, int typing, int cols,
                     int rows, int64_t now)
{
	struct presence me;
	struct presence_list fresh;
	size_t i;
	int same;

	if (d->session[0] == '\0') {
		presence_session_id(d->session, sizeof d->session);
		presence_tracker_init(&d->presence);
	}
	memset(&me, 0, sizeof me);
	me.session = d->session;
	me.user = d->ctx->user;
	me.incident_id = incident;
	me.typing = typing;
	me.cols = cols;
	me.rows = rows;
	/* context_origin() said so once: "ssh ADDR" or "local". */
	me.via_ssh = strncmp(d->ctx->origin, "ssh ", 4) == 0;
	/*
	 * A SQLite store is one host's: no heartbeat (presence.h).  A change
	 * is written at most once a second, so holding `j` down is not a
	 * commit (and an fsync) per key.
	 */
	if (!dash_readonly(d) && presence_tracker_changed(&d->presence, &me) &&
	    (!d->presence.written || now > d->presence.at)) {
		/* Written or not, wait for the next change or heartbeat. */
		(void)store_presence_set(d->st, &me, NULL);
		presence_tracker_wrote(&d->presence, &me, now);
	}
	if (!d->private_moved && d->people_at != 0 &&
	    now - d->people_at < PRESENCE_REFRESH)
		return 0;
	d->private_moved = 0;
	d->people_at = now;
	if (store_presence_list(d->st, PRESENCE_STALE, &fresh, NULL) != ITUI_OK)
		return 0;
	same = fresh.n == d->people.n;
	for (i = 0; same && i < fresh.n; i++) {
		const struct presence_row *a = &fresh.v[i],
		                          *b = &d->people.v[i];

		same = strcmp(a->session, b->session) == 0 &&
		       a->incident_id == b->incident_id &&
		       a->typing == b->typing && a->cols == b->cols &&
		       a->rows == b->rows;
	}
	presence_list_free(&d->people);
	d->people = fresh;
	return !same;
}

char *
dash_presence_line(const struct dash *d, int64_t incident, size_t width)
{
	const struct incident *inc =
	    d->have_detail && d->detail.id == incident ? &d->detail : NULL;

	return presence_line(&d->people, d->session, incident, inc, width);
}

/* The newest metric entry's summary: parsed here, not on every frame. */
static void
parse_metric(struct dash *d)
{
	size_t i;

	for (i = d->timeline.n; i > 0; i--) {
		const struct entry *e = &d->timeline.v[i - 1];

		if (e->kind != KIND_METRIC)
			continue;
		if (e->id == d->metric_id)
			return;
		metric_summary_free(&d->metric);
		if (metric_summary_parse(e->data, &d->metric) != 0)
			memset(&d->metric, 0, sizeof d->metric);
		d->metric_id = e->id;
		return;
	}
	metric_summary_free(&d->metric);
	memset(&d->metric, 0, sizeof d->metric);
	d->metric_id = 0;
}

/* "resolved by dave": the newest status change on the timeline. */
static void
explain_gone(struct dash *d)
{
	size_t i;

	snprintf(d->gone_why, sizeof d->gone_why, "%s",
	         d->have_detail ? status_name(d->detail.status) : "gone");
	for (i = d->timeline.n; i > 0; i--)
		if (d->timeline.v[i - 1].kind == KIND_STATUS) {
			snprintf(d->gone_why, sizeof d->gone_why, "%s by %s",
			         status_name(d->detail.status),
			         d->timeline.v[i - 1].author);
			return;
		}
}

/* Puts the shown incident back into a list that no longer has it. */
static void
keep_gone(struct dash *d, struct incident_list *l, int at, struct itui_err *err)
{
	struct incident inc;

	if (store_incident_get(d->st, d->sel_id, &inc, err) != ITUI_OK) {
		d->sel_id = 0;
		d->gone_id = 0;
		return;
	}
	if (at < 0 || (size_t)at > l->n)
		at = (int)l->n;
	l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
	memmove(l->v + at + 1, l->v + at, (l->n - (size_t)at) * sizeof *l->v);
	l->v[at] = inc;
	l->n++;
	d->gone_id = d->sel_id;
}

/* Once the person moves away, the incident that left goes for good. */
static void
drop_gone(struct dash *d)
{
	size_t i;

	if (d->gone_id == 0 || d->gone_id == d->sel_id)
		return;
	for (i = 0; i < d->incidents.n; i++)
		if (d->incidents.v[i].id == d->gone_id) {
			incident_free(&d->incidents.v[i]);
			memmove(d->incidents.v + i, d->incidents.v + i + 1,
			        (d->incidents.n - i - 1) *
			            sizeof *d->incidents.v);
			d->incidents.n--;
			break;
		}
	d->gone_id = 0;
}

/*
 * The shown incident's timeline: the whole window, or the window read
 * before (`held`) brought up to date with the rows that changed since, so
 * a new entry on a long timeline costs one row, not four hundred.
 */
static enum itui_code
load_timeline(struct dash *d, struct entry_list *held, struct itui_err *err)
{
	struct entry_list changed;

	if (d->timeline_seq == 0) {
		if (store_timeline(d->st, d->sel_id, 0, 0, d->timeline_window,
		                   &d->timeline, err) != ITUI_OK)
			return err->code;
		/* The changes after this read are the next reload's. */
		d->timeline_seq = entry_list_newest_change(&d->timeline);
		entry_list_free(held);
		return ITUI_OK;
	}
	if (store_timeline_changes(d->st, d->sel_id, d->timeline_seq, &changed,
	                           err) != ITUI_OK) {
		entry_list_free(held);
		return err->code;
	}
	d->timeline = *held;
	*held = (struct entry_list){0};
	d->timeline_seq = entry_list_merge(&d->timeline, &changed);
	/* The window a fresh read would give: a dashboard left open for
	 * days keeps a window, not the days. */
	if (d->timeline.n > (size_t)d->timeline_window) {
		size_t drop = d->timeline.n - (size_t)d->timeline_window, i;

		for (i = 0; i < drop; i++)
			entry_free(&d->timeline.v[i]);
		memmove(d->timeline.v, d->timeline.v + drop,
		        (d->timeline.n - drop) * sizeof *d->timeline.v);
		d->timeline.n -= drop;
		d->timeline.more = 1;
	}
	return ITUI_OK;
}

/*
 * The shown incident as the list read it in the same snapshot (a
 * reload): the same row with the same extras, not read twice.
 */
static int
list_row(const struct dash *d, struct incident *out)
{
	size_t i;

	for (i = 0; i < d->incidents.n; i++)
		if (d->incidents.v[i].id == d->sel_id &&
		    d->incidents.v[i].id != d->gone_id) {
			incident_copy(out, &d->incidents.v[i]);
			return 1;
		}
	return 0;
}

/*
 * The shown incident; `keep` keeps its timeline and reads what changed;
 * `from_list`: the list was read in this snapshot, its row is the head.
 */
static enum itui_code
load_detail_as(struct dash *d, int keep, int from_list, struct itui_err *err)
{
	struct entry_list held = {0};

	if (keep && d->have_detail && d->timeline_seq > 0) {
		held = d->timeline;
		d->timeline = (struct entry_list){0};
	} else {
		d->timeline_seq = 0;
	}
	free_detail(d);
	if (d->sel_id == 0) {
		entry_list_free(&held);
		return ITUI_OK;
	}
	if (!(from_list && list_row(d, &d->detail)) &&
	    store_incident_get(d->st, d->sel_id, &d->detail, err) != ITUI_OK) {
		entry_list_free(&held);
		return err->code;
	}
	d->have_detail = 1;
	if (load_timeline(d, &held, err) != ITUI_OK ||
	    store_actions(d->st, d->sel_id, 1, &d->actions, err) != ITUI_OK ||
	    store_incident_revision(d->st, d->sel_id, &d->field_revision,
	                            err) != ITUI_OK)
		return err->code;
	parse_metric(d);
	if (store_checklist(d->st, d->sel_id, &d->checklist, err) != ITUI_OK)
		return err->code;
	d->have_checklist = d->checklist.nsteps > 0;
	if (!d->have_checklist)
		checklist_free(&d->checklist);
	else
		checklist_compute(&d->checklist, context_now());
	return ITUI_OK;
}

static enum itui_code
load_detail(struct dash *d, struct itui_err *err)
{
	return load_detail_as(d, 0, 0, err);
}

int
dash_checklist_now(struct dash *d, int64_t now)
{
	if (!d->have_checklist)
		return 0;
	if (d->checklist.now != now)
		checklist_compute(&d->checklist, now);
	return 1;
}

/* The sources' states and the count of alerts on no incident. */
static enum itui_code
reload_monitoring(struct dash *d, struct itui_err *err)
{
	source_rows_free(d->sources, d->nsources);
	d->sources = NULL;
	d->nsources = 0;
	if (store_sources(d->st, &d->sources, &d->nsources, err) != ITUI_OK ||
	    store_alerts_loose(d->st, &d->loose_alerts, err) != ITUI_OK)
		return err->code;
	return ITUI_OK;
}

static enum itui_code
reload(struct dash *d, struct itui_err *err)
{
	struct incident_list fresh;
	int64_t v = 0, rev = 0, was = d->sel_id;
	size_t i;
	int found = 0, detail = 1, monitoring = 1;

	/* Read the versions first: a commit after them is seen next time. */
	if (store_data_version(d->st, &v, err) != ITUI_OK)
		return err->code;
	if (d->loads > 0) {
		/* The shown incident is read again only when it changed;
		 * sources and alerts only when they did. */
		int64_t *ids;
		size_t n;
		int other;

		if (store_changes(d->st, d->revision, &ids, &n, &other,
		                  &monitoring, &rev, err) != ITUI_OK)
			return err->code;
		detail = other || !d->have_detail;
		for (i = 0; i < n && !detail; i++)
			detail = ids[i] == d->sel_id;
		free(ids);
		/* Alerts or sources only (a webhook post, a poll round): the
		 * top bar's figures, not the incidents, are read again. */
		if (n == 0 && !other && monitoring && d->have_detail) {
			if (reload_monitoring(d, err) != ITUI_OK)
				return err->code;
			d->data_version = v;
			d->revision = rev;
			d->loads++;
			return ITUI_OK;
		}
	} else if (store_revision(d->st, &rev, err) != ITUI_OK) {
		return err->code;
	}
	if (store_incident_list(d->st, d->show_resolved, DASH_LIST_LIMIT,
	                        &fresh, err) != ITUI_OK)
		return err->code;
	incident_list_sort(&fresh, d->policy);
	if (monitoring && reload_monitoring(d, err) != ITUI_OK) {
		incident_list_free(&fresh);
		return err->code;
	}
	for (i = 0; i < fresh.n; i++)
		if (fresh.v[i].id == d->sel_id)
			found = 1;
	if (!found && d->sel_id != 0 && d->have_detail)
		keep_gone(d, &fresh, dash_sel_index(d), err);
	else if (found)
		d->gone_id = 0;
	incident_list_free(&d->incidents);
	d->incidents = fresh;
	d->standby = store_standby(d->st, &d->standby_as_of);
	d->data_version = v;
	d->revision = rev;
	d->loads++;
	if (d->sel_id == 0 && d->incidents.n > 0)
		d->sel_id = d->incidents.v[0].id;
	if ((detail || d->sel_id != was || !d->have_detail) &&
	    load_detail_as(d, d->sel_id == was, 1, err) != ITUI_OK)
		return err->code;
	if (d->gone_id != 0)
		explain_gone(d);
	return ITUI_OK;
}

/* One snapshot: the list and the detail never disagree. */
enum itui_code
dash_reload(struct dash *d, struct itui_err *err)
{
	enum itui_code rc;

	store_read_begin(d->st);
	rc = reload(d, err);
	store_read_end(d->st);
	return rc;
}

int
dash_changed(struct dash *d)
{
	int64_t v, rev;

	if (store_data_version(d->st, &v, NULL) != ITUI_OK)
		return -1;
	if (v == d->data_version)
		return 0;
	/* Someone's draft, last look or presence: nothing of the record. */
	if (store_revision(d->st, &rev, NULL) != ITUI_OK)
		return -1;
	if (rev == d->revision) {
		d->data_version = v;
		d->private_moved = 1;
		return 0;
	}
	return 1;
}

/* The skew as the top bar shows it: 0 within DASH_SKEW_SHOWN. */
static int64_t
shown_skew(int64_t skew)
{
	return skew > DASH_SKEW_SHOWN || skew < -DASH_SKEW_SHOWN ? skew : 0;
}

int
dash_skew_check(struct dash *d, int64_t now, int64_t wall)
{
	int64_t server, was = shown_skew(d->skew);

	if (d->skew_at != 0 && wall - d->skew_at < DASH_SKEW_EVERY &&
	    wall >= d->skew_at)
		return 0;
	d->skew_at = wall;
	/* Offline: keep the last figure; the OFFLINE mark says more. */
	if (store_server_time(d->st, &server, NULL) != ITUI_OK)
		return 0;
	d->skew = server != 0 ? now - server : 0;
	return shown_skew(d->skew) != was;
}

void
dash_skew_text(const struct dash *d, char *buf, size_t size)
{
	int64_t s = shown_skew(d->skew);
	char amount[TIME_BUF];

	buf[0] = '\0';
	if (s == 0)
		return;
	time_format_span(s < 0 ? -s : s, amount);
	snprintf(buf, size, "clock %s %s the server", amount,
	         s > 0 ? "ahead of" : "behind");
}

const char *
dash_location(const struct dash *d)
{
	const char *p = store_path(d->st), *slash;

	if (strstr(p, "://") != NULL || strncmp(p, "service=", 8) == 0)
		return p;
	slash = strrchr(p, '/');
	return slash != NULL ? slash + 1 : p;
}

int
dash_sel_index(const struct dash *d)
{
	size_t i;

	for (i = 0; i < d->incidents.n; i++)
		if (d->incidents.v[i].id == d->sel_id)
			return (int)i;
	return -1;
}

enum itui_code
dash_select(struct dash *d, int index, struct itui_err *err)
{
	if (index < 0 || (size_t)index >= d->incidents.n)
		return ITUI_OK;
	if (d->incidents.v[index].id == d->sel_id && d->have_detail)
		return ITUI_OK;
	d->sel_id = d->incidents.v[index].id;
	d->timeline_window = DASH_TIMELINE_WINDOW;
	drop_gone(d);
	return load_detail(d, err);
}

enum itui_code
dash_select_id(struct dash *d, int64_t id, struct itui_err *err)
{
	struct incident probe;

	if (store_incident_get(d->st, id, &probe, err) != ITUI_OK)
		return err->code;
	incident_free(&probe);
	d->sel_id = id;
	drop_gone(d);
	d->timeline_window = DASH_TIMELINE_WINDOW;
	return load_detail(d, err);
}

int
dash_load_older(struct dash *d, struct itui_err *err)
{
	size_t before = d->timeline.n;

	if (!d->timeline.more)
		return 0;
	d->timeline_window += DASH_TIMELINE_WINDOW;
	if (load_detail(d, err) != ITUI_OK)
		return 0;
	return d->timeline.n > before;
}

void
dash_my_roles(const struct dash *d, char *buf, size_t size)
{
	size_t off = 0;
	int r;

	buf[0] = '\0';
	if (!d->have_detail)
		return;
	for (r = 0; r < ROLE_COUNT && off + 1 < size; r++)
		if (d->detail.roles[r] != NULL &&
		    strcmp(d->detail.roles[r], d->ctx->user) == 0)
			off += (size_t)snprintf(buf + off, size - off, "%s%s",
			                        off ? ", " : "",
			                        role_name((enum role)r));
}

int
dash_matches(const struct dash *d, int in_timeline, int i, const char *needle)
{
	const char *a, *b;

	if (needle == NULL || *needle == '\0')
		return 0;
	if (in_timeline) {
		a = d->timeline.v[i].text;
		b = d->timeline.v[i].author;
	} else {
		a = d->incidents.v[i].title;
		b = d->incidents.v[i].service;
	}
	return (a != NULL && strcasestr(a, needle) != NULL) ||
	       (b != NULL && strcasestr(b, needle) != NULL);
}

int
dash_search_step(const struct dash *d, int in_timeline, int from, int step,
                 const char *needle)
{
	int n = in_timeline ? (int)d->timeline.n : (int)d->incidents.n, k;

	if (needle == NULL || *needle == '\0' || n == 0)
		return -1;
	if (from < 0)
		from = step > 0 ? -1 : n;
	for (k = 1; k <= n; k++) {
		int i = ((from + step * k) % n + n) % n;

		if (dash_matches(d, in_timeline, i, needle))
			return i;
	}
	return -1;
}

int
dash_search(const struct dash *d, int in_timeline, int from, const char *needle)
{
	return dash_search_step(d, in_timeline, from, 1, needle);
}

int
dash_readonly(const struct dash *d)
{
	return store_is_readonly(d->st);
}

const char *
dash_readonly_state(const struct dash *d)
{
	return store_readonly_why(d->st);
}

void
dash_write_refusal(struct dash *d, char *buf, size_t size)
{
	struct itui_err err;

	if (store_check_writable(d->st, &err) == ITUI_OK ||
	    !store_is_readonly(d->st))
		snprintf(buf, size, "%s", "");
	else if (strcmp(store_readonly_why(d->st), "read-only") == 0)
		snprintf(buf, size, "the database is read-only for you");
	else
		snprintf(buf, size, "%s", err.msg);
}

/* ---- changes, through the verbs ---------------------------------- */

static int
count_lines(const char *s, size_t len)
{
	int n = 0;
	size_t i;

	for (i = 0; i < len; i++)
		n += s[i] == '\n';
	return n + (len > 0 && s[len - 1] != '\n');
}

enum itui_code
dash_run(struct dash *d, const char *const *words, const struct cmd_seen *seen,
         const char *stdin_text, struct dash_result *res)
{
	struct itui_err err = {ITUI_OK, ""};
	const struct cmd_entry *e;
	struct cmd_q q;
	char **argv, *buf = NULL;
	size_t len = 0;
	int argc = 0, used = 0, i;
	FILE *f;

	memset(res, 0, sizeof *res);
	while (words[argc] != NULL)
		argc++;
	/* cmd_find() may reorder words: give it copies. */
	argv = xcalloc((size_t)argc + 1, sizeof *argv);
	for (i = 0; i < argc; i++)
		argv[i] = xstrdup(words[i]);
	memset(&q, 0, sizeof q);
	q.ctx = d->ctx;
	q.interactive = 1;
	q.seen = *seen;
	q.stdin_text = stdin_text;
	f = open_memstream(&buf, &len);
	if (f == NULL)
		fatal("open_memstream failed");
	q.out = f;
	d->ctx->now = context_now();
	e = cmd_find(argc, argv, &used, &err);
	res->rc = e == NULL ? err.code
	                    : cmd_parse(&q, e, argc - used, argv + used, &err);
	if (res->rc == ITUI_OK)
		res->rc = cmd_exec(&q, &err);
	fclose(f);
	res->out = buf;
	res->lines = count_lines(buf, len);
	res->made = q.made;
	if (res->rc != ITUI_OK) {
		snprintf(res->msg, sizeof res->msg, "%s", err.msg);
		res->error = 1;
	} else if (q.note[0] != '\0') {
		snprintf(res->msg, sizeof res->msg, "%s", q.note);
		res->error = q.warned;
	} else if (res->lines == 1) {
		snprintf(res->msg, sizeof res->msg, "%.*s",
		         (int)strcspn(buf, "\n"), buf);
	}
	if (res->rc == ITUI_OK && (e->flags & CMD_WRITES) &&
	    dash_reload(d, &err) != ITUI_OK) {
		snprintf(res->msg, sizeof res->msg, "%s", err.msg);
		res->error = 1;
	}
	cmd_q_free(&q);
	for (i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
	return res->rc;
}

void
dash_result_free(struct dash_result *res)
{
	free(res->out);
	res->out = NULL;
}

enum itui_code
dash_run_line(struct dash *d, const char *line, const struct cmd_seen *seen,
              struct dash_result *res)
{
	struct itui_err err;
	char **argv;
	const char **words;
	int argc, i, o = 0;
	enum itui_code rc;

	memset(res, 0, sizeof *res);
	if (cmd_split(line, &argv, &argc, &err) != ITUI_OK) {
		res->rc = err.code;
		res->error = 1;
		snprintf(res->msg, sizeof res->msg, "%s", err.msg);
		return res->rc;
	}
	words = xcalloc((size_t)argc + 2, sizeof *words);
	/* ":impact EU checkout down" is "set impact EU checkout down". */
	if (argc > 0 && field_parse(argv[0]) >= 0)
		words[o++] = "set";
	for (i = 0; i < argc; i++)
		words[o++] = argv[i];
	words[o] = NULL;
	if (o == 0) {
		res->rc = ITUI_OK;
		rc = ITUI_OK;
	} else {
		rc = dash_run(d, words, seen, NULL, res);
	}
	free(words);
	if (argc > 0)
		free(argv[0]);
	free(argv);
	return rc;
}

enum itui_code
dash_log(struct dash *d, int64_t incident, const char *line,
         enum entry_kind kind, int64_t edit_id, int edit_rev,
         struct dash_result *res)
{
	return dash_log_at(d, incident, line, kind, edit_id, edit_rev,
	                   TIME_NONE, res);
}

enum itui_code
dash_log_at(struct dash *d, int64_t incident, const char *line,
            enum entry_kind kind, int64_t edit_id, int edit_rev, int64_t at,
            struct dash_result *res)
{
	struct parsed_entry pe;
	struct cmd_seen seen = {incident, edit_id, 0};
	char inc[32], ent[32], rev[32], iso[TIME_BUF];
	const char *w[16];
	int n = 0;

	memset(res, 0, sizeof *res);
	if (entryparse(line, kind, &pe) != 0) {
		res->rc = ITUI_INPUT;
		res->error = 1;
		snprintf(res->msg, sizeof res->msg, "nothing to log");
		return res->rc;
	}
	snprintf(inc, sizeof inc, "INC-%lld", (long long)incident);
	snprintf(ent, sizeof ent, "E-%lld", (long long)edit_id);
	snprintf(rev, sizeof rev, "%d", edit_rev);
	if (edit_id > 0) {
		w[n++] = "entry";
		w[n++] = "edit";
		w[n++] = ent; /* "E-12" */
		if (edit_rev > 0) {
			w[n++] = "--if-revision";
			w[n++] = rev;
		}
	} else if (pe.is_todo) {
		w[n++] = "action";
		w[n++] = "add";
		w[n++] = inc;
	} else {
		w[n++] = "log";
		w[n++] = inc;
		w[n++] = "--clear-draft";
	}
	if (!pe.is_todo || edit_id > 0) {
		w[n++] = "--kind";
		w[n++] = kind_name(pe.kind);
	}
	if (at != TIME_NONE) {
		w[n++] = "--at";
		w[n++] = time_format_iso(at, iso);
	} else if (pe.has_time) {
		w[n++] = "--at";
		w[n++] = pe.at;
	}
	w[n++] = "--";
	w[n++] = pe.text;
	w[n] = NULL;
	return dash_run(d, w, &seen, NULL, res);
}

/* ---- what the overlays read --------------------------------------- */

enum itui_code
dash_alerts(struct dash *d, struct alert_rows *out, struct itui_err *err)
{
	return store_alerts(d->st, 1, out, err);
}

enum itui_code
dash_actions(struct dash *d, int64_t incident, struct action_list *out,
             struct itui_err *err)
{
	return store_actions(d->st, incident, 0, out, err);
}

enum itui_code
dash_entry(struct dash *d, int64_t entry_id, struct entry *out,
           struct itui_err *err)
{
	return store_entry_get(d->st, entry_id, out, err);
}

enum itui_code
dash_entry_revisions(struct dash *d, int64_t entry_id, struct entry_list *out,
                     struct itui_err *err)
{
	return store_entry_revisions(d->st, entry_id, out, err);
}

/* Adds a name not yet among names (a few hundred at most). */
static void
people_add(char ***names, size_t *n, const char *name)
{
	size_t i;

	if (name == NULL || *name == '\0')
		return;
	for (i = 0; i < *n; i++)
		if (strcmp((*names)[i], name) == 0)
			return;
	*names = xreallocarray(*names, *n + 1, sizeof **names);
	(*names)[(*n)++] = xstrdup(name);
}

void
dash_people(struct dash *d, char ***names, size_t *n)
{
	struct itui_err err;
	size_t i;

	*names = NULL;
	*n = 0;
	(void)store_people(d->st, names, n, &err);
	/* Also whoever has the database open, and the person typing. */
	people_add(names, n, d->ctx->user);
	for (i = 0; i < d->people.n; i++)
		people_add(names, n, d->people.v[i].user);
}

void
dash_people_free(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

enum itui_code
dash_draft_save(struct dash *d, int64_t incident, enum entry_kind kind,
                const char *text, struct itui_err *err)
{
	/* A draft is what would become an entry: never longer than one. */
	if (text != NULL && strlen(text) > BOUND_TEXT)
		return err_set(err, ITUI_INPUT,
		               "a draft is at most %d bytes (an entry's limit)",
		               BOUND_TEXT);
	return store_draft_save(d->st, d->ctx->user, incident, kind, text, err);
}

enum itui_code
dash_draft_load(struct dash *d, int64_t *incident, enum entry_kind *kind,
                char **text, struct itui_err *err)
{
	return store_draft_load(d->st, d->ctx->user, incident, kind, text, err);
}

char *
dash_report(struct dash *d, const char *const *words, struct itui_err *err)
{
	struct cmd_seen none = {0, 0, 0};
	struct dash_result res;
	char *out;

	if (dash_run(d, words, &none, NULL, &res) != ITUI_OK) {
		err_set(err, res.rc, "%s", res.msg);
		dash_result_free(&res);
		return NULL;
	}
	out = res.out;
	res.out = NULL;
	return out;
}
