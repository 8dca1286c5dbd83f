/* The dashboard's logic without a terminal: keys, editing, grammar, layout,
 * model. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "harness.h"
#include "itui/dash.h"
#include "itui/editline.h"
#include "itui/entryparse.h"
#include "itui/keymap.h"
#include "itui/layout.h"
#include "itui/timeutil.h"

Test(keymap, defaults_bind_each_key_once_and_match_the_spec)
{
	struct keymap km;
	size_t i, j;
	int v;

	keymap_init(&km);
	for (v = 0; v < VIEW_COUNT; v++)
		for (i = 0; i < km.v[v].n; i++)
			for (j = i + 1; j < km.v[v].n; j++)
				cr_assert_neq(km.v[v].key[i], km.v[v].key[j],
				              "key bound twice in %s",
				              ui_view_names[v]);
	/* No view action hides a generic key by default. */
	for (v = 1; v < VIEW_COUNT; v++)
		for (i = 0; i < km.v[v].n; i++)
			for (j = 0; j < km.v[VIEW_ANY].n; j++)
				cr_assert_neq(km.v[v].key[i],
				              km.v[VIEW_ANY].key[j],
				              "%s shadows a generic key",
				              ui_view_names[v]);
	/* The spec's default keys. */
	cr_assert_eq(keymap_lookup(&km, VIEW_MAIN, 'j'), UA_DOWN);
	cr_assert_eq(keymap_lookup(&km, VIEW_MAIN, KEYC_UP), UA_UP);
	cr_assert_eq(keymap_lookup(&km, VIEW_MAIN, KEYC_TAB), UA_NEXT_PANE);
	cr_assert_eq(keymap_lookup(&km, VIEW_MAIN, KEYC_ENTER), UA_OPEN);
	cr_assert_eq(keymap_lookup(&km, VIEW_MAIN, KEYC_ESC), UA_BACK);
	cr_assert_eq(keymap_lookup(&km, VIEW_MAIN, 'i'), UA_LOG);
	cr_assert_eq(keymap_lookup(&km, VIEW_MAIN, 'e'), UA_EDIT);
	cr_assert_eq(keymap_lookup(&km, VIEW_MAIN, 'D'), UA_DECLARE);
	/* Issue 12: n / N are the search's next / previous match. */
	cr_assert_eq(keymap_lookup(&km, VIEW_MAIN, 'n'), UA_SEARCH_NEXT);
	cr_assert_eq(keymap_lookup(&km, VIEW_MAIN, 'N'), UA_SEARCH_PREV);
	cr_assert_eq(keymap_lookup(&km, VIEW_MAIN, 'p'), UA_PIN);
	cr_assert_eq(keymap_lookup(&km, VIEW_MAIN, 'a'), UA_ACK);
	cr_assert_eq(keymap_lookup(&km, VIEW_MAIN, 'd'), UA_DELETE);
	cr_assert_eq(keymap_lookup(&km, VIEW_MAIN, 's'), UA_STATUS);
	cr_assert_eq(keymap_lookup(&km, VIEW_MAIN, 'v'), UA_SEVERITY);
	cr_assert_eq(keymap_lookup(&km, VIEW_MAIN, 'r'), UA_ASSIGN);
	cr_assert_eq(keymap_lookup(&km, VIEW_MAIN, 't'), UA_ACTION);
	cr_assert_eq(keymap_lookup(&km, VIEW_MAIN, '/'), UA_SEARCH);
	cr_assert_eq(keymap_lookup(&km, VIEW_MAIN, ':'), UA_COMMAND);
	cr_assert_eq(keymap_lookup(&km, VIEW_MAIN, '?'), UA_HELP);
	cr_assert_eq(keymap_lookup(&km, VIEW_MAIN, 'q'), UA_QUIT);
	cr_assert_eq(keymap_lookup(&km, VIEW_MAIN, 'x'), ACTION_NONE);
	/* Each overlay's own keys, and the generic ones beneath them. */
	cr_assert_eq(keymap_lookup(&km, VIEW_ACTIONS, 'x'), UA_ACT_DONE);
	cr_assert_eq(keymap_lookup(&km, VIEW_ACTIONS, 'j'), UA_DOWN);
	cr_assert_eq(keymap_lookup(&km, VIEW_ALERTS, KEYC_ENTER),
	             UA_ALERT_OPEN);
	cr_assert_eq(keymap_lookup(&km, VIEW_PAGER, 's'), UA_PG_SENT);
	cr_assert_eq(keymap_lookup(&km, VIEW_ALERTS, 's'), UA_AL_SILENCE);
	cr_assert_eq(keymap_lookup(&km, VIEW_ALERTS, 'x'), ACTION_NONE);
}

Test(keymap, config_rebinds_and_reports_file_and_line)
{
	struct config_pair ok[] = {{"log", "o C-o", 7}};
	struct config_pair bad_action[] = {{"launch", "x", 9}};
	struct config_pair bad_key[] = {{"log", "Hyper-x", 4}};
	struct config_pair taken[] = {{"log", "a", 5}};
	struct config_pair per_view[] = {{"alerts.open", "o", 11},
	                                 {"actions.done", "X", 12},
	                                 {"actions.down", "J", 13}};
	struct config_pair bad_view[] = {{"nowhere.open", "o", 14}};
	struct config_pair taken_in_view[] = {{"actions.drop", "o", 15}};
	struct keymap km;
	struct itui_err err;
	char desc[64], foot[400];

	keymap_init(&km);
	cr_assert_eq(keymap_apply(&km, "cfg", ok, 1, &err), ITUI_OK);
	cr_assert_eq(keymap_lookup(&km, VIEW_MAIN, 'o'), UA_LOG);
	cr_assert_eq(keymap_lookup(&km, VIEW_MAIN, KEYC_CTRL('o')), UA_LOG);
	cr_assert_eq(keymap_lookup(&km, VIEW_MAIN, 'i'), ACTION_NONE,
	             "old key released");
	keymap_describe(&km, VIEW_MAIN, UA_LOG, desc, sizeof desc);
	cr_assert_str_eq(desc, "o C-o");
	keymap_footer(&km, VIEW_MAIN, foot, sizeof foot);
	cr_assert_not_null(strstr(foot, "o:log"), "%s", foot);
	cr_assert_eq(keymap_apply(&km, "cfg", bad_action, 1, &err),
	             ITUI_CONFIG);
	cr_assert_str_eq(err.msg, "cfg:9: [keys]: unknown action 'launch'");
	cr_assert_eq(keymap_apply(&km, "cfg", bad_key, 1, &err), ITUI_CONFIG);
	cr_assert(
	    strncmp(err.msg, "cfg:4: [keys]: unknown key 'Hyper-x'", 35) == 0,
	    "%s", err.msg);
	cr_assert_eq(keymap_apply(&km, "cfg", taken, 1, &err), ITUI_CONFIG);
	cr_assert_str_eq(err.msg,
	                 "cfg:5: [keys]: a already does 'ack'; rebind that "
	                 "first");
	/* [keys.VIEW]: per view, with the footer following. */
	cr_assert_eq(keymap_apply(&km, "cfg", per_view, 3, &err), ITUI_OK, "%s",
	             err.msg);
	cr_assert_eq(keymap_lookup(&km, VIEW_ALERTS, 'o'), UA_ALERT_OPEN);
	cr_assert_eq(keymap_lookup(&km, VIEW_ALERTS, KEYC_ENTER), ACTION_NONE);
	cr_assert_eq(keymap_lookup(&km, VIEW_ACTIONS, 'X'), UA_ACT_DONE);
	cr_assert_eq(keymap_lookup(&km, VIEW_ACTIONS, 'x'), ACTION_NONE);
	cr_assert_eq(keymap_lookup(&km, VIEW_ACTIONS, 'J'), UA_DOWN);
	cr_assert_eq(keymap_lookup(&km, VIEW_MAIN, 'J'), ACTION_NONE,
	             "a view's rebinding stays in the view");
	keymap_footer(&km, VIEW_ACTIONS, foot, sizeof foot);
	cr_assert_not_null(strstr(foot, "X:done"), "%s", foot);
	cr_assert_eq(keymap_apply(&km, "cfg", bad_view, 1, &err), ITUI_CONFIG);
	cr_assert(
	    strncmp(err.msg, "cfg:14: unknown view in [keys.nowhere]", 38) == 0,
	    "%s", err.msg);
	cr_assert_eq(keymap_apply(&km, "cfg", taken_in_view, 1, &err),
	             ITUI_CONFIG);
	cr_assert_str_eq(err.msg, "cfg:15: [keys.actions]: o already does "
	                          "'owner'; rebind that first");
}

Test(keymap, key_names_round_trip)
{
	static const char *const names[] = {"j",   "Down",    "PageUp", "C-l",
	                                    "Tab", "Enter",   "Esc",    "F1",
	                                    "?",   "\xc3\xa9"};
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0]; i++) {
		char back[32];
		uint32_t k = keyc_parse(names[i]);

		cr_assert_neq(k, 0, "%s", names[i]);
		keyc_name(k, back, sizeof back);
		cr_assert_str_eq(back, names[i]);
	}
	cr_assert_eq(keyc_parse("C-m"), 0, "C-m is Enter: ambiguous");
	cr_assert_eq(keyc_parse("ab"), 0);
}

static void
utf8(void)
{
	setlocale(LC_CTYPE, "C.UTF-8");
}

Test(editline, edits_whole_characters, .init = utf8)
{
	struct editline el = {0};

	editline_set(&el, "caf");
	editline_insert(&el, 0xE9); /* é */
	editline_insert_str(&el, " \xe6\x97\xa5\xe6\x9c\xac");
	cr_assert_str_eq(editline_text(&el),
	                 "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac");
	cr_assert_eq(editline_cursor_col(&el), 9, "4 + 1 + two wide");
	editline_key(&el, KEYC_BACKSPACE);
	cr_assert_str_eq(editline_text(&el), "caf\xc3\xa9 \xe6\x97\xa5");
	editline_key(&el, KEYC_LEFT);
	editline_key(&el, KEYC_LEFT);
	editline_key(&el, KEYC_BACKSPACE);
	cr_assert_str_eq(editline_text(&el), "caf \xe6\x97\xa5");
	editline_key(&el, KEYC_END);
	editline_key(&el, KEYC_CTRL('w'));
	cr_assert_str_eq(editline_text(&el), "caf ");
	editline_key(&el, KEYC_HOME);
	editline_key(&el, KEYC_DELETE);
	cr_assert_str_eq(editline_text(&el), "af ");
	editline_key(&el, KEYC_CTRL('k'));
	cr_assert_str_eq(editline_text(&el), "");
	cr_assert_eq(editline_key(&el, KEYC_CTRL('l')), 0, "not an edit");
	cr_assert_eq(editline_key(&el, 0x9b), 0, "C1 is not inserted");
	editline_free(&el);
}

Test(editline, view_keeps_the_cursor_visible, .init = utf8)
{
	struct editline el = {0};
	size_t start;

	editline_set(&el, "0123456789abcdefghij");
	start = editline_view_start(&el, 10);
	cr_assert_eq(start, 11, "cursor at column 20 in a 10-column field");
	editline_key(&el, KEYC_HOME);
	cr_assert_eq(editline_view_start(&el, 10), 0);
	editline_free(&el);
}

Test(editline, a_limit_refuses_whole_inserts_and_views_stay_right, .init = utf8)
{
	struct editline el = {0};

	editline_set(&el, "");
	el.max = 8;
	cr_assert_eq(editline_insert_str(&el, "12345"), 0);
	cr_assert_eq(editline_insert_str(&el, "6789"), -1, "past the limit");
	cr_assert_str_eq(editline_text(&el), "12345");
	cr_assert_eq(editline_key(&el, 'x'), 1);
	cr_assert_eq(editline_insert(&el, 0x4e2d), -1, "3 bytes do not fit");
	cr_assert_eq(editline_key(&el, 'y'), 1);
	cr_assert_eq(editline_key(&el, 'z'), 1);
	cr_assert_eq(editline_key(&el, 'w'), -1);
	cr_assert_str_eq(editline_text(&el), "12345xyz");
	/* Wide characters: the view start walks back from the cursor. */
	el.max = 0;
	editline_set(&el, "\xe4\xb8\xad\xe4\xb8\xad\xe4\xb8\xad\xe4\xb8\xad");
	cr_assert_eq(editline_view_start(&el, 5), 6, "two wide ones fit");
	cr_assert_eq(editline_cols_from(&el, 6), 4);
	editline_free(&el);
}

Test(textout, show_dates_entries_across_calendar_days)
{
	char *dir = tmpdir_make(), path[600];
	const char *env[] = {"INCIDENT_TUI_NOW=2026-12-02T10:00:00Z", NULL};
	struct run r;

	snprintf(path, sizeof path, "%s/w.db", dir);
	r = run_bin(
	    dir, NULL, env,
	    ARGS("--db", path, "declare", "--severity", "P1", "--title", "t"));
	run_free(&r);
	/* 15 hours before, but the day before: a bare 18:39 misleads. */
	r = run_bin(dir, NULL, env,
	            ARGS("--db", path, "log", "1", "--at",
	                 "2026-12-01T18:39:00Z", "late the day before"));
	run_free(&r);
	r = run_bin(dir, NULL, env, ARGS("--db", path, "show", "1"));
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_not_null(strstr(r.out, "12-01 18:39"), "%s", r.out);
	cr_assert_not_null(strstr(r.out, "12-02 10:00"), "%s", r.out);
	run_free(&r);
	tmpdir_remove(dir);
}

/* Inline arrays: Criterion re-executes the binary, so no pointers. */
struct grammar_case {
	char in[64];
	int ok, has_time;
	char at[12];
	int kind, todo;
	char text[48];
};

ParameterizedTestParameters(grammar, table)
{
	static struct grammar_case c[] = {
	    {"plain note", 1, 0, "", KIND_NOTE, 0, "plain note"},
	    {"09:05 rollback started", 1, 1, "09:05", KIND_NOTE, 0,
	     "rollback started"},
	    {"9:05 one digit hour", 1, 1, "9:05", KIND_NOTE, 0,
	     "one digit hour"},
	    {"09:05:30 with seconds", 1, 1, "09:05:30", KIND_NOTE, 0,
	     "with seconds"},
	    {"-5m five minutes ago", 1, 1, "-5m", KIND_NOTE, 0,
	     "five minutes ago"},
	    {"-1h30m ACTION: paged db", 1, 1, "-1h30m", KIND_ACTION, 0,
	     "paged db"},
	    {"-5 degrees outside", 1, 0, "", KIND_NOTE, 0,
	     "-5 degrees outside"},
	    {"comms: posted to status", 1, 0, "", KIND_COMMS, 0,
	     "posted to status"},
	    {"ESCALATION: paged VP", 1, 0, "", KIND_ESCALATION, 0, "paged VP"},
	    {"NOTE: back to notes", 1, 0, "", KIND_NOTE, 0, "back to notes"},
	    {"09:05:61 bad seconds", 1, 0, "", KIND_NOTE, 0,
	     "09:05:61 bad seconds"},
	    {"TODO: add an alert", 1, 0, "", KIND_NOTE, 1, "add an alert"},
	    {"todo:lower case", 1, 0, "", KIND_NOTE, 1, "lower case"},
	    {"10:30 DECISION: roll back", 1, 1, "10:30", KIND_DECISION, 0,
	     "roll back"},
	    {"25:00 not a time", 1, 0, "", KIND_NOTE, 0, "25:00 not a time"},
	    {"12:5 short", 1, 0, "", KIND_NOTE, 0, "12:5 short"},
	    {"09:05", 1, 0, "", KIND_NOTE, 0, "09:05"},
	    {"09:05 ", 0, 1, "09:05", KIND_NOTE, 0, ""},
	    {"TODO:   ", 0, 0, "", KIND_NOTE, 1, ""},
	    {"   ", 0, 0, "", KIND_NOTE, 0, ""},
	};

	return cr_make_param_array(struct grammar_case, c,
	                           sizeof c / sizeof c[0]);
}

ParameterizedTest(struct grammar_case *c, grammar, table)
{
	struct parsed_entry pe;
	int rc = entryparse(c->in, KIND_NOTE, &pe);

	cr_assert_eq(rc == 0, c->ok, "'%s'", c->in);
	cr_assert_eq(pe.has_time, c->has_time, "'%s'", c->in);
	if (c->has_time)
		cr_assert_str_eq(pe.at, c->at);
	cr_assert_eq(pe.kind, (enum entry_kind)c->kind, "'%s'", c->in);
	cr_assert_eq(pe.is_todo, c->todo, "'%s'", c->in);
	if (c->ok)
		cr_assert_str_eq(pe.text, c->text);
}

Test(layout, sizes)
{
	struct layout l;

	layout_compute(24, 80, 3, &l);
	cr_assert(!l.too_small);
	cr_assert(!l.side_by_side);
	cr_assert_eq(l.list.h, 4, "three incidents and a header");
	cr_assert_eq(l.detail.y, 5);
	cr_assert_eq(l.detail.y + l.detail.h, 23, "down to the status line");
	cr_assert_eq(l.status.y, 23);
	layout_compute(24, 80, 50, &l);
	cr_assert_eq(l.list.h, 7, "at most a third of the body");
	layout_compute(50, 200, 5, &l);
	cr_assert(l.side_by_side);
	cr_assert_eq(l.list.w + 1 + l.detail.w, 200);
	cr_assert_eq(l.detail.h, 48);
	cr_assert_geq(l.list.w - 37, 40, "titles readable at 200 columns");
	layout_compute(9, 80, 5, &l);
	cr_assert(l.too_small);
}

Test(layout, listview_keeps_the_selection_visible)
{
	struct listview lv = {100, 0, 0, 10};

	listview_move(&lv, 15);
	cr_assert_eq(lv.sel, 15);
	cr_assert_eq(lv.top, 6);
	listview_move(&lv, -1000);
	cr_assert_eq(lv.sel, 0);
	cr_assert_eq(lv.top, 0);
	listview_bottom(&lv);
	cr_assert_eq(lv.sel, 99);
	cr_assert_eq(lv.top, 90);
	lv.count = 5;
	listview_fix(&lv);
	cr_assert_eq(lv.sel, 4);
	cr_assert_eq(lv.top, 0);
	lv.count = 0;
	listview_fix(&lv);
	cr_assert_eq(lv.sel, -1);
}

/* ---- the model, against a real database ---- */

static char *home, dbpath[600];
static struct context ctx;
static struct dash d;

static void
dash_setup(void)
{
	struct globals g = {0};
	struct itui_err err;

	home = tmpdir_make();
	snprintf(dbpath, sizeof dbpath, "%s/d.db", home);
	g.db = dbpath;
	g.user = "dora";
	setenv("XDG_CONFIG_HOME", home, 1);
	cr_assert_eq(context_init(&ctx, &g, &err), ITUI_OK, "%s", err.msg);
	cr_assert_eq(dash_open(&d, &ctx, &err), ITUI_OK, "%s", err.msg);
}

static void
dash_teardown(void)
{
	dash_close(&d);
	context_free(&ctx);
	tmpdir_remove(home);
}

TestSuite(dash, .init = dash_setup, .fini = dash_teardown, .timeout = 30);

/* A `:` line, as the person who sees the selected incident types it. */
static enum itui_code
line_rc(const char *line, char *msg, size_t len)
{
	struct cmd_seen seen = {d.sel_id, 0, 0};
	struct dash_result res;
	enum itui_code rc = dash_run_line(&d, line, &seen, &res);

	if (msg != NULL)
		snprintf(msg, len, "%s", res.msg);
	/* The dashboard shows what it declared. */
	if (rc == ITUI_OK && res.made > 0 && strncmp(line, "declare", 7) == 0)
		cr_assert_eq(dash_select_id(&d, res.made, NULL), ITUI_OK);
	dash_result_free(&res);
	return rc;
}

static void
cmd(const char *line)
{
	char msg[512];

	cr_assert_eq(line_rc(line, msg, sizeof msg), ITUI_OK, "%s: %s", line,
	             msg);
}

static enum itui_code
log_line(const char *line, enum entry_kind kind, int64_t edit_id)
{
	struct dash_result res;
	enum itui_code rc =
	    dash_log(&d, d.sel_id, line, kind, edit_id, 0, &res);

	dash_result_free(&res);
	return rc;
}

Test(dash, reload_keeps_the_selection_by_id)
{
	cmd("declare --severity P2 --title \'the second\'");
	cmd("declare --severity P0 --title \'the first\'");
	cr_assert_eq(d.incidents.n, 2);
	cr_assert_str_eq(d.incidents.v[0].severity, "P0", "by severity");
	cr_assert_eq(dash_select(&d, 1, NULL), ITUI_OK);
	cr_assert_str_eq(d.detail.title, "the second");
	cmd("declare --severity P1 --title \'the third\'");
	/* A more urgent incident came in above; the selection stays put. */
	cr_assert_eq(d.incidents.n, 3);
	cr_assert_str_eq(d.incidents.v[dash_sel_index(&d)].title, "the third");
	cr_assert_eq(dash_select(&d, 2, NULL), ITUI_OK);
	cr_assert_eq(dash_reload(&d, NULL), ITUI_OK);
	cr_assert_str_eq(d.detail.title, "the second");
}

Test(dash, log_understands_the_input_grammar)
{
	struct itui_err err;
	char hhmm[TIME_BUF];
	int64_t ten_ago = context_now() - 600;

	cmd("declare --severity P1 --title \'grammar\'");
	time_format_hhmm(ten_ago, hhmm);
	{
		char line[64];

		snprintf(line, sizeof line, "%s DECISION: roll back", hhmm);
		cr_assert_eq(log_line(line, KIND_NOTE, 0), ITUI_OK, "%s",
		             err.msg);
	}
	cr_assert_eq(log_line("TODO: add an alert", KIND_COMMS, 0), ITUI_OK);
	cr_assert_eq(log_line("sent the update", KIND_COMMS, 0), ITUI_OK);
	cr_assert_eq(log_line("   ", KIND_NOTE, 0), ITUI_INPUT);
	cr_assert_eq(d.actions.n, 1);
	cr_assert_str_eq(d.actions.v[0].text, "add an alert");
	cr_assert_eq(sql_int(dbpath, "SELECT count(*) FROM entries WHERE kind ="
	                             " 'decision' AND text = 'roll back'"),
	             1);
	cr_assert_eq(sql_int(dbpath, "SELECT at FROM entries WHERE kind ="
	                             " 'decision'") /
	                 60,
	             ten_ago / 60, "backdated to the minute typed");
	cr_assert_eq(sql_int(dbpath, "SELECT count(*) FROM entries WHERE kind ="
	                             " 'comms'"),
	             1);
	cr_assert_neq(d.detail.last_comms_at, TIME_NONE);
}

Test(dash, edit_keeps_the_old_text)
{
	int64_t id;

	cmd("declare --severity P1 --title \'edits\'");
	cr_assert_eq(log_line("teh typo", KIND_NOTE, 0), ITUI_OK);
	id = d.timeline.v[d.timeline.n - 1].id;
	cr_assert_eq(log_line("the typo", KIND_NOTE, id), ITUI_OK);
	cr_assert_str_eq(d.timeline.v[d.timeline.n - 1].text, "the typo");
	cr_assert_eq(sql_int(dbpath, "SELECT count(*) FROM entry_revisions"
	                             " WHERE text = 'teh typo'"),
	             1);
}

Test(dash, commands_change_the_incident)
{
	char msg[128];

	cmd("declare --severity P2 --title \'commands\'");
	cmd("ack");
	cmd("status monitoring");
	cmd("severity p0");
	cmd("assign ic dora");
	cmd("assign scribe ed");
	cmd("unassign scribe");
	cr_assert_eq(d.detail.status, STATUS_MONITORING);
	cr_assert_str_eq(d.detail.severity, "P0");
	cr_assert_str_eq(d.detail.roles[ROLE_COMMANDER], "dora");
	cr_assert_null(d.detail.roles[ROLE_SCRIBE]);
	dash_my_roles(&d, msg, sizeof msg);
	cr_assert_str_eq(msg, "commander");
	cr_assert_eq(line_rc("status fixed", msg, sizeof msg), ITUI_USAGE);
	cr_assert_eq(line_rc("assign boss x", msg, sizeof msg), ITUI_USAGE);
	cr_assert_eq(line_rc("frobnicate", msg, sizeof msg), ITUI_USAGE);
	cr_assert_str_eq(msg, "unknown command 'frobnicate' (see incident-tui "
	                      "--help)");
	cmd("status resolved");
	cr_assert_eq(d.incidents.n, 1, "the shown incident stays, marked");
	cr_assert_eq(d.gone_id, d.sel_id);
	cr_assert_str_eq(d.gone_why, "resolved by dora");
	/* Moving away drops it. */
	cmd("declare --severity P3 --title other");
	cr_assert_eq(d.incidents.n, 1, "resolved incidents are hidden");
	cr_assert_eq(d.gone_id, 0);
	d.show_resolved = 1;
	cr_assert_eq(dash_reload(&d, NULL), ITUI_OK);
	cr_assert_eq(d.incidents.n, 2, "until shown");
}

Test(dash, search_wraps_around)
{

	cmd("declare --severity P1 --title \'search\'");
	log_line("alpha one", KIND_NOTE, 0);
	log_line("beta", KIND_NOTE, 0);
	log_line("ALPHA two", KIND_NOTE, 0);
	cr_assert_eq(dash_search(&d, 1, 0, "alpha"), 1);
	cr_assert_eq(dash_search(&d, 1, 1, "alpha"), 3);
	cr_assert_eq(dash_search(&d, 1, 3, "alpha"), 1);
	cr_assert_eq(dash_search(&d, 1, 0, "gamma"), -1);
	cr_assert_eq(dash_search(&d, 0, -1, "SEARCH"), 0);
	/* Backwards, for N: wrapping the other way. */
	cr_assert_eq(dash_search_step(&d, 1, 3, -1, "alpha"), 1);
	cr_assert_eq(dash_search_step(&d, 1, 1, -1, "alpha"), 3);
	cr_assert_eq(dash_search_step(&d, 1, -1, -1, "alpha"), 3);
	cr_assert(dash_matches(&d, 1, 3, "alpha"));
	cr_assert(!dash_matches(&d, 1, 2, "alpha"));
}

Test(dash, other_connections_are_noticed)
{
	struct store *other;
	struct itui_err err;
	int64_t id;
	struct incident_new in = {
	    "from elsewhere", "P1", NULL, NULL, NULL, NULL, TIME_NONE, 0, 0};

	cr_assert_eq(dash_changed(&d), 0);
	cr_assert_eq(store_open(dbpath, 0, &other, &err), ITUI_OK);
	cr_assert_eq(store_incident_declare(other, &in, &id, &err), ITUI_OK);
	store_close(other);
	cr_assert_eq(dash_changed(&d), 1);
	cr_assert_eq(dash_reload(&d, &err), ITUI_OK);
	cr_assert_eq(dash_changed(&d), 0);
	cr_assert_eq(d.incidents.n, 1);
}

/* Another person's pause in typing saves a draft: no reload here. */
Test(dash, another_persons_draft_does_not_reload)
{
	struct store *other;
	struct itui_err err;
	int64_t loads, eid;

	cmd("declare --severity P1 --title 'drafts elsewhere'");
	loads = d.loads;
	cr_assert_eq(store_open(dbpath, 0, &other, &err), ITUI_OK);
	store_set_actor(other, "olga", "local");
	cr_assert_eq(store_draft_save(other, "olga", d.sel_id, KIND_NOTE,
	                              "half typ", &err),
	             ITUI_OK);
	cr_assert_eq(dash_changed(&d), 0, "a draft is not a change");
	cr_assert(d.private_moved);
	cr_assert_eq(d.loads, loads);
	/* Her entry is, and it is seen. */
	cr_assert_eq(store_entry_add(other, d.sel_id, KIND_NOTE, TIME_NONE,
	                             "half typed no more", NULL, &eid, &err),
	             ITUI_OK);
	store_close(other);
	cr_assert_eq(dash_changed(&d), 1);
}

Test(dash, drafts_round_trip)
{
	struct itui_err err;
	enum entry_kind k;
	int64_t inc;
	char *text;

	cmd("declare --severity P1 --title \'drafts\'");
	cr_assert_eq(store_draft_save(d.st, "dora", d.sel_id, KIND_COMMS,
	                              "half typed", &err),
	             ITUI_OK);
	cr_assert_eq(store_draft_load(d.st, "dora", &inc, &k, &text, &err),
	             ITUI_OK);
	cr_assert_str_eq(text, "half typed");
	cr_assert_eq(k, KIND_COMMS);
	cr_assert_eq(inc, d.sel_id);
	free(text);
	cr_assert_eq(
	    store_draft_save(d.st, "dora", d.sel_id, KIND_NOTE, "", &err),
	    ITUI_OK);
	cr_assert_eq(store_draft_load(d.st, "dora", &inc, &k, &text, &err),
	             ITUI_OK);
	cr_assert_null(text);
}

/* Issue 12: backdates to one minute keep the order they happened in. */
Test(dash, backdates_to_one_minute_keep_their_order)
{
	char l1[64], l2[64], l3[64], l4[64], hm[TIME_BUF];
	int64_t t = context_now() - 300;
	time_t tt;
	struct tm tm;
	size_t i, n;

	cmd("declare --severity P1 --at -1h --title \'order\'");
	/* Seconds given: the earlier second first, whatever was typed
	 * first. */
	t -= t % 60;
	tt = (time_t)(t + 40);
	localtime_r(&tt, &tm);
	strftime(l1, sizeof l1, "%H:%M:%S later second", &tm);
	tt = (time_t)(t + 10);
	localtime_r(&tt, &tm);
	strftime(l2, sizeof l2, "%H:%M:%S earlier second", &tm);
	/* Minutes only: the order typed. */
	time_format_hhmm(t - 120, hm);
	snprintf(l3, sizeof l3, "%s typed first", hm);
	snprintf(l4, sizeof l4, "%s typed second", hm);
	cr_assert_eq(log_line(l1, KIND_NOTE, 0), ITUI_OK);
	cr_assert_eq(log_line(l2, KIND_NOTE, 0), ITUI_OK);
	cr_assert_eq(log_line(l3, KIND_NOTE, 0), ITUI_OK);
	cr_assert_eq(log_line(l4, KIND_NOTE, 0), ITUI_OK);
	n = d.timeline.n;
	cr_assert_geq(n, 5);
	for (i = 0; i < n; i++)
		if (strcmp(d.timeline.v[i].text, "typed first") == 0)
			break;
	cr_assert_lt(i + 3, n);
	cr_assert_str_eq(d.timeline.v[i + 1].text, "typed second");
	cr_assert_str_eq(d.timeline.v[i + 2].text, "earlier second");
	cr_assert_str_eq(d.timeline.v[i + 3].text, "later second");
}

Test(textout, handoff_peek_and_look)
{
	char *dir = tmpdir_make(), path[600];
	struct run r;

	snprintf(path, sizeof path, "%s/w.db", dir);
	r = run_bin(
	    dir, NULL, NULL,
	    ARGS("--db", path, "declare", "--severity", "P1", "--title", "t"));
	run_free(&r);
	r = run_bin(dir, NULL, NULL, ARGS("--db", path, "handoff", "--peek"));
	cr_assert_eq(r.status, 0, "%s", r.err);
	run_free(&r);
	cr_assert_eq(sql_int(path, "SELECT count(*) FROM last_looks"), 0);
	r = run_bin(dir, NULL, NULL,
	            ARGS("--db", path, "handoff", "--look", "--json"));
	cr_assert_eq(r.status, 2, "--look goes alone");
	run_free(&r);
	r = run_bin(dir, NULL, NULL, ARGS("--db", path, "handoff", "--look"));
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_not_null(strstr(r.out, "look recorded at"), "%s", r.out);
	run_free(&r);
	cr_assert_eq(sql_int(path, "SELECT count(*) FROM last_looks"), 1);
	tmpdir_remove(dir);
}
