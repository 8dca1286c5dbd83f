/* stats, handoff and action lists, against histories built by the test. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <jansson.h>

#include "harness.h"

static char *home, db[600];

/* Display columns of a UTF-8 line. */
static int
text_width_of_utf8(const char *s)
{
	int w = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			w++;
	return w;
}

static void
setup(void)
{
	home = tmpdir_make();
	snprintf(db, sizeof db, "%s/r.db", home);
}

static void
teardown(void)
{
	tmpdir_remove(home);
}

TestSuite(reports, .init = setup, .fini = teardown, .timeout = 60);

/* Runs as `user` at the fixed time `now` (ISO 8601). */
static char *
as_at(const char *user, const char *now, const char *const *args)
{
	char u[64], n[64];
	const char *env[] = {u, n, NULL};
	const char *argv[40] = {"--db", db};
	int k = 2;
	struct run r;

	snprintf(u, sizeof u, "INCIDENT_TUI_USER=%s", user);
	snprintf(n, sizeof n, "INCIDENT_TUI_NOW=%s", now);
	while (*args != NULL)
		argv[k++] = *args++;
	argv[k] = NULL;
	r = run_bin(home, NULL, env, argv);
	cr_assert_eq(r.status, 0, "%s %s: %s", argv[2], argv[3] ? argv[3] : "",
	             r.err);
	free(r.err);
	return r.out;
}

#define T       "2026-11-24T12:00:00Z"
#define DO(...) free(as_at("alice", T, ARGS(__VA_ARGS__)))

static json_t *
json_of(char *out)
{
	json_t *j = json_loads(out, 0, NULL);

	cr_assert_not_null(j, "%s", out);
	free(out);
	return j;
}

static double
num(json_t *o, const char *key)
{
	return json_number_value(json_object_get(o, key));
}

Test(reports, stats_match_figures_computed_by_hand)
{
	json_t *s, *b;

	/* A: P0, acked after 10 min, resolved after 3 h. */
	DO("declare", "--severity", "P0", "--title", "A", "--at",
	   "2026-11-14T10:00:00Z");
	DO("ack", "1", "--at", "2026-11-14T10:10:00Z");
	DO("status", "1", "resolved", "--at", "2026-11-14T13:00:00Z");
	/* B: P1, acked after 30 min, resolved after 20 h, escalated. */
	DO("declare", "--severity", "P1", "--title", "B", "--at",
	   "2026-11-16T12:00:00Z");
	DO("ack", "2", "--at", "2026-11-16T12:30:00Z");
	DO("log", "2", "--kind", "escalation", "--at", "2026-11-16T14:00:00Z",
	   "paged the manager");
	DO("status", "2", "resolved", "--at", "2026-11-17T08:00:00Z");
	/* C: P1, acked after 2 h (missed 1 h), resolved after 30 h (missed). */
	DO("declare", "--severity", "P1", "--title", "C", "--at",
	   "2026-11-19T12:00:00Z");
	DO("ack", "3", "--at", "2026-11-19T14:00:00Z");
	DO("status", "3", "resolved", "--at", "2026-11-20T18:00:00Z");
	/* D: P2, still open, never acknowledged. */
	DO("declare", "--severity", "P2", "--title", "D", "--at",
	   "2026-11-22T12:00:00Z");
	/* A drill and an incident before the period: both left out. */
	DO("declare", "--severity", "P0", "--title", "drill", "--drill", "--at",
	   "2026-11-21T12:00:00Z");
	DO("declare", "--severity", "P3", "--title", "old", "--at",
	   "2026-10-15T12:00:00Z");

	s = json_of(as_at("alice", T, ARGS("stats", "--json")));
	cr_assert_eq(num(s, "incidents"), 4);
	cr_assert_eq(num(s, "drills_left_out"), 1);
	b = json_object_get(s, "by_severity");
	cr_assert_eq(num(b, "P0"), 1);
	cr_assert_eq(num(b, "P1"), 2);
	cr_assert_eq(num(b, "P2"), 1);
	cr_assert_eq(num(b, "P3"), 0);
	/* (10 + 30 + 120) min / 3 */
	cr_assert_eq(num(s, "mtta_seconds"), 3200);
	/* (3 + 20 + 30) h / 3 */
	cr_assert_eq(num(s, "mttr_seconds"), 63600);
	/* Declarations from 11-14 10:00 to 11-22 12:00: 8 d 2 h = 698400 s
	 * over three gaps. */
	cr_assert_eq(num(s, "mtbf_seconds"), 232800);
	b = json_object_get(s, "sla_breaches");
	cr_assert_eq(num(json_object_get(b, "acknowledge"), "breached"), 2,
	             "C missed it, D is past it");
	cr_assert_eq(num(json_object_get(b, "acknowledge"), "of"), 4);
	cr_assert_eq(num(json_object_get(b, "resolve"), "breached"), 1);
	cr_assert_eq(num(json_object_get(b, "update"), "breached"), 1);
	cr_assert_eq(num(json_object_get(b, "update"), "of"), 1, "only D runs");
	cr_assert_eq(num(json_object_get(b, "postmortem"), "breached"), 3,
	             "A, B and C are resolved, not closed, long past due");
	cr_assert_float_eq(num(json_object_get(b, "acknowledge"), "share"), 0.5,
	                   1e-9);
	cr_assert_eq(num(s, "escalated"), 1);
	cr_assert_float_eq(num(s, "escalation_rate"), 0.25, 1e-9);
	json_decref(s);
	/* A shorter period sees only C, D (and the drill, left out). */
	s = json_of(
	    as_at("alice", T, ARGS("stats", "--since", "6d", "--json")));
	cr_assert_eq(num(s, "incidents"), 2);
	json_decref(s);
	/* The plain form has the same figures. */
	{
		char *out = as_at("alice", T, ARGS("stats"));

		cr_assert_not_null(strstr(out, "MTTA   53m"), "%s", out);
		cr_assert_not_null(strstr(out, "MTTR   17h40m"), "%s", out);
		cr_assert_not_null(
		    strstr(out, "acknowledge    2 of   4  (50%)"), "%s", out);
		free(out);
	}
}

/* Issue 12: stats and the postmortem know the peak as well as the now. */
Test(reports, stats_and_the_postmortem_know_the_peak_severity)
{
	json_t *s;
	char *out;

	/* A P1 upgraded to P0, then downgraded to P2; B a P3 throughout. */
	DO("declare", "--severity", "P1", "--title", "A", "--at",
	   "2026-11-20T10:00:00Z");
	DO("severity", "1", "P0", "--at", "2026-11-20T10:20:00Z");
	DO("severity", "1", "P2", "--at", "2026-11-20T12:00:00Z");
	DO("declare", "--severity", "P3", "--title", "B", "--at",
	   "2026-11-21T10:00:00Z");
	s = json_of(as_at("alice", T, ARGS("stats", "--json")));
	cr_assert_eq(num(json_object_get(s, "by_severity"), "P0"), 0);
	cr_assert_eq(num(json_object_get(s, "by_severity"), "P2"), 1);
	cr_assert_eq(num(json_object_get(s, "by_peak_severity"), "P0"), 1);
	cr_assert_eq(num(json_object_get(s, "by_peak_severity"), "P2"), 0);
	cr_assert_eq(num(json_object_get(s, "by_peak_severity"), "P3"), 1);
	json_decref(s);
	out = as_at("alice", T, ARGS("stats"));
	cr_assert_not_null(strstr(out, "        now peak\nP0        0    1 \n"),
	                   "%s", out);
	free(out);
	out = as_at("alice", T, ARGS("postmortem", "1"));
	cr_assert_not_null(strstr(out, "- Peak severity: P0 (now P2)\n"), "%s",
	                   out);
	free(out);
	out = as_at("alice", T, ARGS("postmortem", "2"));
	cr_assert_not_null(strstr(out, "- Peak severity: P3\n"), "%s", out);
	free(out);
}

static int
changes_have(json_t *h, const char *text)
{
	json_t *e;
	size_t i;

	json_array_foreach(json_object_get(h, "changes"), i, e)
	{
		if (strcmp(json_string_value(json_object_get(e, "text")),
		           text) == 0)
			return 1;
	}
	return 0;
}

Test(reports, handoff_since_your_last_look_for_each_person)
{
	json_t *h;
	char *out, *line;

	free(as_at("alice", "2026-11-24T08:00:00Z",
	           ARGS("declare", "--severity", "P1", "--title", "Checkout",
	                "--commander", "alice")));
	free(as_at("alice", "2026-11-24T08:05:00Z",
	           ARGS("log", "1", "before alice looked")));
	h = json_of(
	    as_at("alice", "2026-11-24T09:00:00Z", ARGS("handoff", "--json")));
	cr_assert_str_eq(json_string_value(json_object_get(h, "since_from")),
	                 "default");
	cr_assert(changes_have(h, "before alice looked"));
	json_decref(h);

	free(as_at("bob", "2026-11-24T10:00:00Z",
	           ARGS("log", "1", "bob was here")));
	free(as_at("bob", "2026-11-24T10:05:00Z",
	           ARGS("action", "1", "add", "bob's task", "--owner", "bob")));
	free(as_at("bob", "2026-11-24T10:06:00Z",
	           ARGS("action", "1", "add", "alice's task", "--owner",
	                "alice", "--due", "2026-11-24T11:00:00Z")));

	h = json_of(
	    as_at("alice", "2026-11-24T11:30:00Z", ARGS("handoff", "--json")));
	cr_assert_str_eq(json_string_value(json_object_get(h, "since_from")),
	                 "your last look");
	cr_assert_str_eq(json_string_value(json_object_get(h, "since")),
	                 "2026-11-24T09:00:00Z");
	cr_assert(changes_have(h, "bob was here"));
	cr_assert(!changes_have(h, "before alice looked"), "already seen");
	/* The reader's own action items first; hers is overdue. */
	cr_assert_str_eq(
	    json_string_value(json_object_get(
	        json_array_get(json_object_get(h, "actions"), 0), "owner")),
	    "alice");
	cr_assert(json_is_true(json_object_get(
	    json_array_get(json_object_get(h, "actions"), 0), "overdue")));
	json_decref(h);

	/* Bob never looked: his window is the default, not alice's marker. */
	h = json_of(
	    as_at("bob", "2026-11-24T11:30:00Z", ARGS("handoff", "--json")));
	cr_assert_str_eq(json_string_value(json_object_get(h, "since_from")),
	                 "default");
	cr_assert(changes_have(h, "before alice looked"));
	cr_assert_str_eq(
	    json_string_value(json_object_get(
	        json_array_get(json_object_get(h, "actions"), 0), "owner")),
	    "bob");
	json_decref(h);

	/* Nothing new for alice since her last look. */
	h = json_of(
	    as_at("alice", "2026-11-24T11:40:00Z", ARGS("handoff", "--json")));
	cr_assert_eq(json_array_size(json_object_get(h, "changes")), 0);
	json_decref(h);
	/* --since overrides the marker. */
	h = json_of(as_at("alice", "2026-11-24T11:45:00Z",
	                  ARGS("handoff", "--since", "1d", "--json")));
	cr_assert(changes_have(h, "before alice looked"));
	json_decref(h);

	/* The plain form fits 80 columns. */
	out = as_at("alice", "2026-11-24T11:50:00Z",
	            ARGS("handoff", "--since", "1d"));
	cr_assert_not_null(strstr(out, "ACTIVE INCIDENTS (1)"), "%s", out);
	for (line = strtok(out, "\n"); line != NULL; line = strtok(NULL, "\n"))
		cr_assert_leq(text_width_of_utf8(line), 80, "too wide: %s",
		              line);
	free(out);

	/* Recording a handoff. */
	free(as_at("alice", "2026-11-24T12:00:00Z",
	           ARGS("handoff", "--record", "--to", "carol", "--note",
	                "watch the error rate")));
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM entries WHERE kind ="
	                         " 'handoff' AND text = 'Handoff from alice to"
	                         " carol: watch the error rate'"),
	             1);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM handoffs WHERE to_user ="
	                         " 'carol'"),
	             1);
}

Test(reports, action_edit_and_list)
{
	char *out, *v;

	DO("declare", "--severity", "P2", "--title", "t");
	DO("action", "1", "add", "first", "--owner", "bob");
	DO("action", "1", "add", "second");
	DO("action", "edit", "ACT-2", "--owner", "dana", "--due", "2026-11-20",
	   "--text", "second, reworded");
	DO("action", "done", "ACT-1");
	v = sql1(db,
	         "SELECT text || '|' || owner FROM action_items WHERE id = 2");
	cr_assert_str_eq(v, "second, reworded|dana");
	free(v);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM audit WHERE object ="
	                         " 'action' AND object_id = 2"),
	             4, "created, text, owner, due date");
	out = as_at("alice", T, ARGS("action", "list", "--open"));
	cr_assert_null(strstr(out, "first"), "done items are not open");
	cr_assert_not_null(strstr(out, "OVERDUE"), "%s", out);
	free(out);
	out = as_at("alice", T, ARGS("action", "list", "--owner", "bob"));
	cr_assert_not_null(strstr(out, "first"));
	cr_assert_null(strstr(out, "second"));
	free(out);
}
