/*
 * A war room of fifty (issue 17): what one reload of the dashboard costs
 * must not grow with the number of incidents, since every dashboard reloads
 * on every commit.  Counted in statements (store_statements()) against a
 * real database file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "harness.h"
#include "itui/context.h"
#include "itui/dash.h"
#include "itui/store.h"

static char *home, dbpath[600];

static void
setup(void)
{
	home = tmpdir_make();
	snprintf(dbpath, sizeof dbpath, "%s/s.db", home);
	setenv("XDG_CONFIG_HOME", home, 1);
}

static void
teardown(void)
{
	tmpdir_remove(home);
}

TestSuite(scale, .init = setup, .fini = teardown, .timeout = 60);

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
