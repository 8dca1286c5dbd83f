/*
 * A war room of fifty (issue 17): what one reload of the dashboard costs
 * must not grow with the number of incidents, since every dashboard reloads
 * on every commit.  Counted in statements (store_statements()) against a
 * real database file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <criterion/criterion.h>

#include "harness.h"
#include "itui/context.h"
#include "itui/dash.h"
#include "itui/store.h"

static char *home, dbpath[600];

static char *pg;

static void
setup_at(const char *db)
{
	home = tmpdir_make();
	if (db != NULL)
		snprintf(dbpath, sizeof dbpath, "%s", db);
	else
		snprintf(dbpath, sizeof dbpath, "%s/s.db", home);
	setenv("XDG_CONFIG_HOME", home, 1);
}

static void
setup(void)
{
	setup_at(NULL);
}

static void
setup_pg(void)
{
	pg = pg_db_new();
	setup_at(pg);
}

static void
teardown(void)
{
	if (pg != NULL)
		pg_db_drop(pg);
	pg = NULL;
	tmpdir_remove(home);
}

TestSuite(scale, .init = setup, .fini = teardown, .timeout = 60);
TestSuite(scale_pg, .init = setup_pg, .fini = teardown, .timeout = 60);

/* Declares incidents up to `total`, each with a role, a severity change and
 * a comms entry, so every extra a list row carries has rows to read. */
static void
grow_to(struct store *st, int *have, int total)
{
	struct itui_err err;

	for (; *have < total; (*have)++) {
		struct incident_new in = {"grown", "P2",      NULL, NULL, NULL,
		                          NULL,    TIME_NONE, 0,    0};
		int64_t id, eid;

		cr_assert_eq(store_incident_declare(st, &in, &id, &err),
		             ITUI_OK, "%s", err.msg);
		cr_assert_eq(store_role_assign(st, id, ROLE_COMMANDER, "ida",
		                               TIME_NONE, &err),
		             ITUI_OK, "%s", err.msg);
		cr_assert_eq(
		    store_incident_set_severity(st, id, "P1", TIME_NONE, &err),
		    ITUI_OK, "%s", err.msg);
		cr_assert_eq(store_entry_add(st, id, KIND_COMMS, TIME_NONE,
		                             "told them", NULL, &eid, &err),
		             ITUI_OK, "%s", err.msg);
	}
}

static int64_t
statements_per_reload(struct dash *d)
{
	struct itui_err err;
	int64_t before = store_statements(d->st);

	cr_assert_eq(dash_reload(d, &err), ITUI_OK, "%s", err.msg);
	return store_statements(d->st) - before;
}

Test(scale, a_reload_costs_the_same_for_5_and_60_incidents)
{
	struct globals g = {0};
	struct context ctx;
	struct itui_err err;
	struct store *writer;
	struct dash d;
	int have = 0;
	int64_t few, many;

	g.db = dbpath;
	g.user = "ida";
	cr_assert_eq(store_open(dbpath, 0, &writer, &err), ITUI_OK, "%s",
	             err.msg);
	store_set_actor(writer, "ida", "local");
	grow_to(writer, &have, 5);
	cr_assert_eq(context_init(&ctx, &g, &err), ITUI_OK, "%s", err.msg);
	cr_assert_eq(dash_open(&d, &ctx, &err), ITUI_OK, "%s", err.msg);
	cr_assert_eq(d.incidents.n, 5);
	few = statements_per_reload(&d);
	grow_to(writer, &have, 60);
	many = statements_per_reload(&d);
	cr_assert_eq(d.incidents.n, 60);
	cr_assert(d.incidents.v[0].roles[ROLE_COMMANDER] != NULL,
	          "the extras were read");
	cr_assert_eq(many, few,
	             "a reload took %lld statements with 5 incidents and %lld "
	             "with 60",
	             (long long)few, (long long)many);
	dash_close(&d);
	context_free(&ctx);
	store_close(writer);
}

/* Another person's entry on another incident: the list moves, the shown
 * incident is not read again; one on the shown incident is. */
Test(scale, only_a_changed_incident_is_read_again)
{
	struct globals g = {0};
	struct context ctx;
	struct itui_err err;
	struct store *writer;
	struct dash d;
	int have = 0;
	int64_t elsewhere, here, eid, shown, other;
	size_t shown_n;

	g.db = dbpath;
	g.user = "ida";
	cr_assert_eq(store_open(dbpath, 0, &writer, &err), ITUI_OK);
	store_set_actor(writer, "olga", "local");
	grow_to(writer, &have, 3);
	cr_assert_eq(context_init(&ctx, &g, &err), ITUI_OK, "%s", err.msg);
	cr_assert_eq(dash_open(&d, &ctx, &err), ITUI_OK, "%s", err.msg);
	shown = d.sel_id;
	other = d.incidents.v[0].id == shown ? d.incidents.v[1].id
	                                     : d.incidents.v[0].id;
	shown_n = d.timeline.n;

	cr_assert_eq(store_entry_add(writer, other, KIND_COMMS, TIME_NONE,
	                             "elsewhere", NULL, &eid, &err),
	             ITUI_OK);
	cr_assert_eq(dash_changed(&d), 1);
	elsewhere = statements_per_reload(&d);
	cr_assert_eq(d.sel_id, shown);
	cr_assert_eq(d.timeline.n, shown_n);

	cr_assert_eq(store_entry_add(writer, shown, KIND_NOTE, TIME_NONE,
	                             "here", NULL, &eid, &err),
	             ITUI_OK);
	cr_assert_eq(dash_changed(&d), 1);
	here = statements_per_reload(&d);
	cr_assert_eq(d.timeline.n, shown_n + 1, "the new entry is shown");
	cr_assert_str_eq(d.timeline.v[d.timeline.n - 1].text, "here");
	cr_assert_lt(elsewhere, here,
	             "a change elsewhere cost %lld statements, here %lld",
	             (long long)elsewhere, (long long)here);
	dash_close(&d);
	context_free(&ctx);
	store_close(writer);
}

static void
str_same(const char *a, const char *b, const char *what, const char *after)
{
	cr_assert((a == NULL) == (b == NULL) && (a == NULL || !strcmp(a, b)),
	          "after %s: %s is \"%s\", a fresh read says \"%s\"", after,
	          what, a ? a : "(none)", b ? b : "(none)");
}

/* The shown incident (taken from the list's row) against a fresh read. */
static void
assert_detail_current(struct dash *d, struct store *fresh, const char *after)
{
	struct incident want;
	struct itui_err err;
	size_t i;
	int k;

	cr_assert_eq(store_incident_get(fresh, d->sel_id, &want, &err), ITUI_OK,
	             "%s", err.msg);
	str_same(d->detail.title, want.title, "the title", after);
	str_same(d->detail.severity, want.severity, "the severity", after);
	str_same(d->detail.impact, want.impact, "the impact", after);
	str_same(d->detail.phase, want.phase, "the phase", after);
	cr_assert_eq(d->detail.status, want.status, "after %s", after);
	cr_assert_eq(d->detail.updated_at, want.updated_at, "after %s", after);
	cr_assert_eq(d->detail.last_comms_at, want.last_comms_at, "after %s",
	             after);
	cr_assert_eq(d->detail.escalations, want.escalations, "after %s",
	             after);
	for (k = 0; k < ROLE_COUNT; k++)
		str_same(d->detail.roles[k], want.roles[k], "a role", after);
	cr_assert_eq(d->detail.nchanges, want.nchanges, "after %s", after);
	for (i = 0; i < want.nchanges; i++)
		str_same(d->detail.changes[i].to, want.changes[i].to,
		         "a severity change", after);
	incident_free(&want);
}

/* The dashboard's timeline after a reload, against a fresh read of it. */
static void
assert_timeline_current(struct dash *d, struct store *fresh, const char *after)
{
	struct entry_list want;
	struct itui_err err;
	size_t i;

	cr_assert_eq(dash_changed(d), 1, "after %s: a change was seen", after);
	cr_assert_eq(dash_reload(d, &err), ITUI_OK, "%s", err.msg);
	cr_assert_eq(store_timeline(fresh, d->sel_id, 0, 0, d->timeline_window,
	                            &want, &err),
	             ITUI_OK, "%s", err.msg);
	cr_assert_eq(d->timeline.n, want.n,
	             "after %s: %zu entries shown, %zu exist", after,
	             d->timeline.n, want.n);
	for (i = 0; i < want.n; i++) {
		const struct entry *a = &d->timeline.v[i], *b = &want.v[i];

		cr_assert_eq(a->id, b->id,
		             "after %s: row %zu is E-%lld, not E-%lld", after,
		             i, (long long)a->id, (long long)b->id);
		cr_assert_str_eq(a->text, b->text, "after %s", after);
		cr_assert_eq(a->at, b->at, "after %s", after);
		cr_assert_eq(a->kind, b->kind, "after %s", after);
		cr_assert_eq(a->pinned, b->pinned, "after %s", after);
		cr_assert_eq(a->revision, b->revision, "after %s", after);
	}
	cr_assert_eq(d->timeline.more, want.more, "after %s", after);
	entry_list_free(&want);
	assert_detail_current(d, fresh, after);
}

/*
 * A reload reads only the timeline rows that changed (issue 17) and keeps
 * the rest: after each way another person can change a timeline -- a new
 * entry, a backdated one, an edit that moves it in time, a pin, a delete
 * and a restore -- what the dashboard holds is what a fresh read gives,
 * and the new entry cost one row, not the window.
 */
BOTH(scale, a_kept_timeline_stays_what_a_fresh_read_gives)
{
	struct globals g = {0};
	struct context ctx;
	struct itui_err err;
	struct store *other;
	struct dash d;
	int have = 0, i;
	int64_t id, e1, e2, e3, now = (int64_t)time(NULL);

	g.db = dbpath;
	g.user = "ida";
	cr_assert_eq(store_open(dbpath, 0, &other, &err), ITUI_OK, "%s",
	             err.msg);
	store_set_actor(other, "olga", "local");
	grow_to(other, &have, 1);
	cr_assert_eq(context_init(&ctx, &g, &err), ITUI_OK, "%s", err.msg);
	cr_assert_eq(dash_open(&d, &ctx, &err), ITUI_OK, "%s", err.msg);
	id = d.sel_id;
	for (i = 0; i < 30; i++)
		cr_assert_eq(store_entry_add(other, id, KIND_NOTE,
		                             now - 600 + i, "earlier", NULL,
		                             NULL, &err),
		             ITUI_OK, "%s", err.msg);
	assert_timeline_current(&d, other, "thirty entries");

	cr_assert_eq(store_entry_add(other, id, KIND_NOTE, TIME_NONE, "new",
	                             NULL, &e1, &err),
	             ITUI_OK);
	assert_timeline_current(&d, other, "a new entry");
	cr_assert_eq(store_entry_add(other, id, KIND_DECISION, now - 3000,
	                             "backdated before the rest", NULL, &e2,
	                             &err),
	             ITUI_OK);
	assert_timeline_current(&d, other, "a backdated entry");
	cr_assert_str_eq(d.timeline.v[0].text, "backdated before the rest",
	                 "placed by its time, first");
	cr_assert_eq(store_entry_edit(other, e1, KIND_NOTE, now - 300,
	                              "new, moved back", &err),
	             ITUI_OK, "%s", err.msg);
	assert_timeline_current(&d, other, "an edit moving it in time");
	cr_assert_eq(store_entry_set_pinned(other, e2, 1, &err), ITUI_OK);
	assert_timeline_current(&d, other, "a pin");
	cr_assert_eq(store_entry_delete(other, e2, &err), ITUI_OK);
	assert_timeline_current(&d, other, "a delete");
	cr_assert_eq(store_entry_restore(other, e2, &err), ITUI_OK, "%s",
	             err.msg);
	assert_timeline_current(&d, other, "a restore");
	cr_assert_eq(
	    store_incident_set_severity(other, id, "P2", TIME_NONE, &err),
	    ITUI_OK, "%s", err.msg);
	assert_timeline_current(&d, other, "a severity change");
	cr_assert_eq(
	    store_role_assign(other, id, ROLE_SCRIBE, "sam", TIME_NONE, &err),
	    ITUI_OK, "%s", err.msg);
	assert_timeline_current(&d, other, "a new scribe");
	cr_assert_eq(store_entry_add(other, id, KIND_COMMS, TIME_NONE,
	                             "customers told", NULL, NULL, &err),
	             ITUI_OK);
	assert_timeline_current(&d, other, "a comms update");

	/* The same change made twice in one transaction of another kind. */
	cr_assert_eq(store_entry_add(other, id, KIND_NOTE, TIME_NONE, "last",
	                             NULL, &e3, &err),
	             ITUI_OK);
	cr_assert_eq(store_entry_edit(other, e3, KIND_NOTE, TIME_NONE,
	                              "last, edited", &err),
	             ITUI_OK);
	assert_timeline_current(&d, other, "an entry added and edited");
	dash_close(&d);
	context_free(&ctx);
	store_close(other);
}

/*
 * A full window (older entries exist) takes new entries at its end, leaves
 * an edit of an entry older than the window out, and reads the way a fresh
 * window would.
 */
BOTH(scale, a_full_window_keeps_taking_new_entries)
{
	struct globals g = {0};
	struct context ctx;
	struct itui_err err;
	struct store *other;
	struct dash d;
	int have = 0, i;
	int64_t first = 0, eid;

	g.db = dbpath;
	g.user = "ida";
	cr_assert_eq(store_open(dbpath, 0, &other, &err), ITUI_OK);
	store_set_actor(other, "olga", "local");
	grow_to(other, &have, 1);
	cr_assert_eq(context_init(&ctx, &g, &err), ITUI_OK, "%s", err.msg);
	cr_assert_eq(dash_open(&d, &ctx, &err), ITUI_OK, "%s", err.msg);
	cr_assert_eq(store_batch_begin(other, &err), ITUI_OK);
	for (i = 0; i < DASH_TIMELINE_WINDOW + 50; i++) {
		cr_assert_eq(store_entry_add(other, d.sel_id, KIND_NOTE,
		                             TIME_NONE, "filler", NULL, &eid,
		                             &err),
		             ITUI_OK);
		if (first == 0)
			first = eid;
	}
	cr_assert_eq(store_batch_end(other, 1, &err), ITUI_OK);
	assert_timeline_current(&d, other, "a batch of filler");
	cr_assert(d.timeline.more, "the window is full");
	cr_assert_eq(store_entry_add(other, d.sel_id, KIND_NOTE, TIME_NONE,
	                             "one more", NULL, NULL, &err),
	             ITUI_OK);
	assert_timeline_current(&d, other, "one more on a full window");
	cr_assert_str_eq(d.timeline.v[d.timeline.n - 1].text, "one more");
	cr_assert_eq(store_entry_edit(other, first, KIND_NOTE, TIME_NONE,
	                              "the oldest, edited", &err),
	             ITUI_OK, "%s", err.msg);
	assert_timeline_current(&d, other, "an edit older than the window");
	dash_close(&d);
	context_free(&ctx);
	store_close(other);
}

/*
 * A webhook post (an alert, no incident touched): the dashboard reads the
 * top bar's figures again, not the incident list nor the shown timeline,
 * so 200 posts a second do not make it reread everything 200 times.
 */
Test(scale, an_alert_post_rereads_only_the_monitoring_figures)
{
	struct globals g = {0};
	struct context ctx;
	struct itui_err err;
	struct store *writer;
	struct dash d;
	struct alert_in a = {0};
	int have = 0, changed;
	int64_t eid, alert, elsewhere, other;

	g.db = dbpath;
	g.user = "ida";
	cr_assert_eq(store_open(dbpath, 0, &writer, &err), ITUI_OK);
	store_set_actor(writer, "receiver", "webhook");
	grow_to(writer, &have, 3);
	cr_assert_eq(context_init(&ctx, &g, &err), ITUI_OK, "%s", err.msg);
	cr_assert_eq(dash_open(&d, &ctx, &err), ITUI_OK, "%s", err.msg);
	cr_assert_eq(d.loose_alerts, 0);
	a.key = "{\"alertname\":\"Load\"}";
	a.name = "Load";
	a.labels = a.key;
	a.source = "webhook";
	a.ends_at = TIME_NONE;
	cr_assert_eq(store_alerts_push(writer, &a, 1, &changed, &err), ITUI_OK,
	             "%s", err.msg);
	cr_assert_eq(dash_changed(&d), 1, "the post is seen");
	alert = statements_per_reload(&d);
	cr_assert_eq(d.loose_alerts, 1, "the top bar's count moved");
	other = d.incidents.v[0].id == d.sel_id ? d.incidents.v[1].id
	                                        : d.incidents.v[0].id;
	cr_assert_eq(store_entry_add(writer, other, KIND_COMMS, TIME_NONE,
	                             "elsewhere", NULL, &eid, &err),
	             ITUI_OK);
	cr_assert_eq(dash_changed(&d), 1);
	elsewhere = statements_per_reload(&d);
	cr_assert_lt(alert, elsewhere,
	             "an alert post cost %lld statements, an entry on another "
	             "incident %lld",
	             (long long)alert, (long long)elsewhere);
	dash_close(&d);
	context_free(&ctx);
	store_close(writer);
}

/*
 * Source health and the loose-alert count are read again only when
 * something not one incident's changed (the poller's rounds), and then
 * they are current: a new firing alert counts, declaring from it does not,
 * a source going down shows.  An entry on an incident keeps them.
 */
BOTH(scale, sources_and_alerts_follow_the_pollers_writes)
{
	struct globals g = {0};
	struct context ctx;
	struct itui_err err;
	struct store *other;
	struct dash d;
	struct alert_in a = {0};
	int have = 0, changed;
	int64_t id, before, quiet;

	g.db = dbpath;
	g.user = "ida";
	cr_assert_eq(store_open(dbpath, 0, &other, &err), ITUI_OK);
	store_set_actor(other, "poller", "local");
	grow_to(other, &have, 1);
	cr_assert_eq(context_init(&ctx, &g, &err), ITUI_OK, "%s", err.msg);
	cr_assert_eq(dash_open(&d, &ctx, &err), ITUI_OK, "%s", err.msg);
	cr_assert_eq(d.loose_alerts, 0);

	a.key = "k1";
	a.name = "HighErrorRate";
	a.summary = "5xx above 5%";
	a.severity = "critical";
	a.labels = "{\"alertname\":\"HighErrorRate\"}";
	a.source = "poll";
	a.since = (int64_t)time(NULL) - 60;
	a.ends_at = TIME_NONE;
	cr_assert_eq(store_alerts_sync(other, &a, 1, 1, &changed, &err),
	             ITUI_OK, "%s", err.msg);
	cr_assert_eq(dash_changed(&d), 1);
	cr_assert_eq(dash_reload(&d, &err), ITUI_OK);
	cr_assert_eq(d.loose_alerts, 1, "a new firing alert counts");

	cr_assert_eq(store_source_set(other, "prometheus", SOURCE_DOWN,
	                              "connection refused", &changed, &err),
	             ITUI_OK, "%s", err.msg);
	cr_assert_eq(dash_changed(&d), 1);
	cr_assert_eq(dash_reload(&d, &err), ITUI_OK);
	cr_assert_eq(d.nsources, 1);
	cr_assert_eq(d.sources[0].ok, 0, "the source is shown down");

	/* An entry alone keeps them; an entry and a poll round reads both. */
	cr_assert_eq(store_entry_add(other, d.sel_id, KIND_NOTE, TIME_NONE,
	                             "an entry", NULL, NULL, &err),
	             ITUI_OK);
	cr_assert_eq(dash_changed(&d), 1);
	quiet = store_statements(d.st);
	cr_assert_eq(dash_reload(&d, &err), ITUI_OK);
	quiet = store_statements(d.st) - quiet;
	cr_assert_eq(d.nsources, 1, "kept");
	cr_assert_eq(d.loose_alerts, 1, "kept");
	cr_assert_eq(store_entry_add(other, d.sel_id, KIND_NOTE, TIME_NONE,
	                             "another", NULL, NULL, &err),
	             ITUI_OK);
	cr_assert_eq(store_source_set(other, "prometheus", SOURCE_OK, NULL,
	                              &changed, &err),
	             ITUI_OK, "%s", err.msg);
	cr_assert_eq(dash_changed(&d), 1);
	before = store_statements(d.st);
	cr_assert_eq(dash_reload(&d, &err), ITUI_OK);
	before = store_statements(d.st) - before;
	cr_assert_lt(quiet, before,
	             "an entry costs %lld statements, an entry and a poll "
	             "round %lld",
	             (long long)quiet, (long long)before);
	cr_assert_eq(d.sources[0].ok, 1, "the source is back");

	{
		struct incident_new in = {
		    "From the alert", "P1", NULL, NULL, NULL, "k1",
		    TIME_NONE,        0,    0};

		cr_assert_eq(store_incident_declare(other, &in, &id, &err),
		             ITUI_OK, "%s", err.msg);
	}
	cr_assert_eq(dash_changed(&d), 1);
	cr_assert_eq(dash_reload(&d, &err), ITUI_OK);
	cr_assert_eq(d.loose_alerts, 0, "declared from: no longer loose");
	dash_close(&d);
	context_free(&ctx);
	store_close(other);
}
