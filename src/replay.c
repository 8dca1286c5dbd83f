/*
 * replay.c - drills from real incidents.
 *
 * DESIGN: the source incident is read as its export (store-export.c), so a
 * replay sees exactly what an export would carry.  The plan is every
 * timeline entry and action item after the starting point, in (time, seq)
 * order; typed entries become the calls that made them (status, severity,
 * role, acknowledgement), so the drill's own timeline and audit are written
 * the ordinary way, and the rest are logged with their kind, text and data.
 * Event i is due at start + (at_i - base) / speed on the monotonic clock.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "itui/replay.h"
#include "itui/sanitize.h"
#include "itui/store-export.h"
#include "itui/strbuf.h"
#include "itui/timeutil.h"
#include "itui/xalloc.h"

struct event {
	int64_t at;
	int64_t seq;
	json_t *entry;  /* a timeline entry, or */
	json_t *action; /* an action item */
};

static int
by_time(const void *a, const void *b)
{
	const struct event *x = a, *y = b;

	if (x->at != y->at)
		return (x->at > y->at) - (x->at < y->at);
	return (x->seq > y->seq) - (x->seq < y->seq);
}

static const char *
str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static int64_t
num(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	return json_is_integer(v) ? (int64_t)json_integer_value(v) : TIME_NONE;
}

static double
mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
sleep_until(double deadline)
{
	for (;;) {
		double left = deadline - mono();
		struct timespec ts;

		if (left <= 0)
			return;
		ts.tv_sec = (time_t)left;
		ts.tv_nsec = (long)((left - (double)ts.tv_sec) * 1e9);
		if (nanosleep(&ts, NULL) == 0)
			return;
		if (errno != EINTR)
			return;
	}
}

/* The severity it was declared with: the first severity change's "from". */
static const char *
first_severity(json_t *root)
{
	json_t *inc = json_object_get(root, "incident"), *e;
	size_t i;

	json_array_foreach(json_object_get(root, "timeline"), i, e)
	{
		json_t *d = json_object_get(e, "data");

		if (str(e, "kind") != NULL &&
		    strcmp(str(e, "kind"), "severity") == 0 &&
		    str(d, "from") != NULL)
			return str(d, "from");
	}
	return str(inc, "severity");
}

/* Asks the trainee; logs the answer with the original beside it. */
static enum itui_code
ask(struct store *dst, int64_t id, json_t *e, const struct replay_opts *o,
    struct itui_err *err)
{
	char line[4096], *data;
	json_t *d;
	enum itui_code rc;
	size_t n;

	fprintf(o->out,
	        "Decision point. What do you decide? (Enter to skip)\n> ");
	fflush(o->out);
	if (fgets(line, sizeof line, o->in) == NULL)
		line[0] = '\0';
	n = strcspn(line, "\r\n");
	line[n] = '\0';
	if (line[0] == '\0')
		return ITUI_OK;
	d = json_pack("{s:I,s:s}", "drill_answer_for",
	              (json_int_t)num(e, "seq"), "original", str(e, "text"));
	data = json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(d);
	store_set_actor(dst, o->trainee, "drill");
	rc = store_entry_add(dst, id, KIND_DECISION, TIME_NONE, line, data,
	                     NULL, err);
	free(data);
	return rc;
}

static enum itui_code
apply(struct store *dst, int64_t id, const struct event *ev, int *skipped,
      struct itui_err *err)
{
	json_t *e = ev->entry, *d;
	const char *kind, *field, *to;
	char *data = NULL;
	enum itui_code rc;
	int k;

	if (ev->action != NULL) {
		int h = horizon_parse(str(ev->action, "horizon"));
		int64_t aid;

		return store_action_add(
		    dst, id, str(ev->action, "text"), str(ev->action, "owner"),
		    num(ev->action, "due_at"),
		    h < 0 ? HORIZON_SHORT_TERM : (enum action_horizon)h, &aid,
		    err);
	}
	kind = str(e, "kind");
	d = json_object_get(e, "data");
	field = str(d, "field");
	to = str(d, "to");
	if (strcmp(kind, "status") == 0 && to != NULL && status_parse(to) >= 0)
		return store_incident_set_status(
		    dst, id, (enum inc_status)status_parse(to), TIME_NONE, err);
	if (strcmp(kind, "severity") == 0 && to != NULL)
		return store_incident_set_severity(dst, id, to, TIME_NONE, err);
	if (strcmp(kind, "role") == 0 && field != NULL &&
	    role_parse(field) >= 0) {
		enum role r = (enum role)role_parse(field);

		return to != NULL
		           ? store_role_assign(dst, id, r, to, TIME_NONE, err)
		           : store_role_unassign(dst, id, r, TIME_NONE, err);
	}
	if (strcmp(kind, "system") == 0) {
		const char *event = str(d, "event");
		int already;

		if (event != NULL && strcmp(event, "ack") == 0)
			return store_incident_ack(dst, id, TIME_NONE, &already,
			                          err);
		/* Others (action items...) are replayed as what made them. */
		*skipped = 1;
		return ITUI_OK;
	}
	k = kind_parse(kind);
	if (k < 0) {
		*skipped = 1;
		return ITUI_OK;
	}
	if (d != NULL && !json_is_null(d))
		data = json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS |
		                         JSON_ENCODE_ANY);
	rc = store_entry_add(dst, id, (enum entry_kind)k, TIME_NONE,
	                     str(e, "text"), data, NULL, err);
	free(data);
	return rc;
}

static void
progress(FILE *out, double offset, const struct event *ev)
{
	const char *who = ev->action != NULL ? str(ev->action, "created_by")
	                                     : str(ev->entry, "author");
	const char *what =
	    ev->action != NULL ? "action item" : str(ev->entry, "kind");
	const char *text = ev->action != NULL ? str(ev->action, "text")
	                                      : str(ev->entry, "text");
	char *w = sanitize_line(who, 32), *t = sanitize_line(text, 100);
	long s = (long)(offset + 0.5);

	fprintf(out, "+%02ld:%02ld  %s %s: %s\n", s / 60, s % 60, w, what, t);
	fflush(out);
	free(w);
	free(t);
}

enum itui_code
replay_run(struct store *src, int64_t id, struct store *dst,
           const struct replay_opts *o, int64_t *drill_id, struct itui_err *err)
{
	json_t *root, *inc, *e;
	struct incident_new in = {0};
	struct event *v;
	size_t n = 0, i;
	int64_t base;
	double start, shift = 0;
	int skipped;
	enum itui_code rc;

	if (!(o->speed > 0))
		return err_set(err, ITUI_USAGE, "--speed must be above 0");
	if (store_export(src, id, &root, err) != ITUI_OK)
		return err->code;
	inc = json_object_get(root, "incident");
	base = num(inc, "declared_at");
	if (o->from != TIME_NONE && o->from > base)
		base = o->from;
	v = xcalloc(json_array_size(json_object_get(root, "timeline")) +
	                json_array_size(json_object_get(root, "action_items")) +
	                1,
	            sizeof *v);
	json_array_foreach(json_object_get(root, "timeline"), i, e)
	{
		json_t *d = json_object_get(e, "data");

		if (!json_is_null(json_object_get(e, "deleted_at")))
			continue;
		if (str(d, "event") != NULL &&
		    strcmp(str(d, "event"), "declared") == 0)
			continue;
		v[n].at = num(e, "at");
		v[n].seq = num(e, "seq");
		v[n++].entry = e;
	}
	json_array_foreach(json_object_get(root, "action_items"), i, e)
	{
		v[n].at = num(e, "created_at");
		v[n].seq = INT64_MAX;
		v[n++].action = e;
	}
	qsort(v, n, sizeof *v, by_time);
	in.title = str(inc, "title");
	in.severity = first_severity(root);
	in.service = str(inc, "service");
	in.impact = str(inc, "impact");
	in.at = TIME_NONE;
	in.drill = 1;
	store_set_actor(dst, str(inc, "declared_by"), "replay");
	rc = store_incident_declare(dst, &in, drill_id, err);
	if (rc == ITUI_OK)
		fprintf(
		    o->out,
		    "INC-%lld: replaying INC-%lld as a drill, %zu events at "
		    "%gx\n",
		    (long long)*drill_id, (long long)id, n, o->speed);
	start = mono();
	for (i = 0; i < n && rc == ITUI_OK; i++) {
		/* What came before --from is caught up at once. */
		double offset =
		    v[i].at < base ? 0 : (double)(v[i].at - base) / o->speed;
		int decision = v[i].entry != NULL && v[i].at >= base &&
		               strcmp(str(v[i].entry, "kind"), "decision") == 0;

		sleep_until(start + shift + offset);
		if (decision && o->pause_at_decisions) {
			double asked = mono();

			rc = ask(dst, *drill_id, v[i].entry, o, err);
			shift += mono() - asked;
			if (rc != ITUI_OK)
				break;
		}
		store_set_actor(dst,
		                v[i].action != NULL
		                    ? str(v[i].action, "created_by")
		                    : str(v[i].entry, "author"),
		                "replay");
		skipped = 0;
		rc = apply(dst, *drill_id, &v[i], &skipped, err);
		if (rc == ITUI_OK && !skipped)
			progress(o->out, offset, &v[i]);
	}
	free(v);
	json_decref(root);
	return rc;
}
