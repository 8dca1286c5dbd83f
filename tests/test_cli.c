/* The command line, run as a real process against a real database file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <jansson.h>

#include "harness.h"

static char *home, *db;

static void
setup(void)
{
	home = tmpdir_make();
	db = malloc(strlen(home) + 16);
	sprintf(db, "%s/inc.db", home);
}

static void
teardown(void)
{
	tmpdir_remove(home);
	free(db);
}

static void
setup_pg(void)
{
	home = tmpdir_make();
	db = pg_db_new();
}

static void
teardown_pg(void)
{
	tmpdir_remove(home);
	pg_db_drop(db);
}

/* Runs a command on the test database and insists it succeeds. */
static char *
ok(const char *const *args)
{
	const char *argv[32] = {"--db", db};
	struct run r;
	int n = 2;

	while (*args)
		argv[n++] = *args++;
	argv[n] = NULL;
	r = run_bin(home, NULL, NULL, argv);
	cr_assert_eq(r.status, 0, "%s %s: exit %d, stderr: %s", argv[2],
	             argv[3] ? argv[3] : "", r.status, r.err);
	free(r.err);
	return r.out;
}

static json_t *
show_json(const char *id)
{
	char *out = ok(ARGS("show", id, "--json"));
	json_error_t e;
	json_t *j = json_loads(out, 0, &e);

	cr_assert_not_null(j, "show --json is not JSON: %s\n%s", e.text, out);
	free(out);
	return j;
}

static int
timeline_has(json_t *inc, const char *kind, const char *text_part)
{
	json_t *tl = json_object_get(inc, "timeline"), *e;
	size_t i;

	json_array_foreach(tl, i, e)
	{
		if (strcmp(json_string_value(json_object_get(e, "kind")),
		           kind) == 0 &&
		    strstr(json_string_value(json_object_get(e, "text")),
		           text_part) != NULL)
			return 1;
	}
	return 0;
}

static int
audit_has(const char *field, const char *new_value)
{
	char *out = ok(ARGS("audit", "1", "--json"));
	json_t *j = json_loads(out, 0, NULL), *a, *row;
	size_t i;
	int found = 0;

	cr_assert_not_null(j);
	a = json_object_get(j, "audit");
	json_array_foreach(a, i, row)
	{
		const char *f =
		    json_string_value(json_object_get(row, "field"));
		const char *n = json_string_value(json_object_get(row, "new"));

		if (strcmp(f, field) == 0 &&
		    (new_value == NULL
		         ? n == NULL
		         : n != NULL && strcmp(n, new_value) == 0))
			found = 1;
	}
	json_decref(j);
	free(out);
	return found;
}

TestSuite(cli, .init = setup, .fini = teardown, .timeout = 60);
TestSuite(cli_pg, .init = setup_pg, .fini = teardown_pg, .timeout = 60);

BOTH(cli, declare_then_every_change_shows_up_in_show_and_audit)
{
	char *out =
	    ok(ARGS("declare", "--severity", "P1", "--title", "Checkout down"));
	json_t *j, *clocks, *c;
	size_t i;
	int have_ack = 0;

	cr_assert_str_eq(out, "INC-1\n");
	free(out);

	j = show_json("1");
	cr_assert_str_eq(json_string_value(json_object_get(j, "severity")),
	                 "P1");
	cr_assert_str_eq(json_string_value(json_object_get(j, "status")),
	                 "investigating");
	clocks = json_object_get(j, "clocks");
	cr_assert(json_array_size(clocks) >= 3);
	json_array_foreach(clocks, i, c)
	{
		if (strcmp(json_string_value(json_object_get(c, "name")),
		           "acknowledge") == 0) {
			have_ack = 1;
			cr_assert_str_eq(
			    json_string_value(json_object_get(c, "state")),
			    "ok");
			cr_assert(json_integer_value(json_object_get(
			              c, "remaining_seconds")) > 3500);
		}
	}
	cr_assert(have_ack, "no acknowledge clock");
	cr_assert(timeline_has(j, "system", "Declared P1"),
	          "no system entry for the declaration");
	json_decref(j);

	free(ok(ARGS("ack", "1")));
	free(ok(ARGS("status", "INC-1", "identified")));
	free(ok(ARGS("severity", "1", "p0")));
	free(ok(ARGS("assign", "1", "ic", "alice")));
	free(ok(ARGS("assign", "1", "tl", "bob")));
	free(ok(ARGS("unassign", "1", "tl")));
	free(ok(ARGS("log", "1", "--kind", "decision", "roll", "back", "now")));
	out = ok(ARGS("action", "1", "add", "Add a breaker", "--owner", "bob",
	              "--due", "+3d"));
	cr_assert_str_eq(out, "ACT-1\n");
	free(out);
	free(ok(ARGS("action", "done", "ACT-1")));

	j = show_json("1");
	cr_assert_not_null(
	    json_string_value(json_object_get(j, "acknowledged_at")));
	cr_assert_str_eq(json_string_value(json_object_get(j, "status")),
	                 "identified");
	cr_assert_str_eq(json_string_value(json_object_get(j, "severity")),
	                 "P0");
	cr_assert_str_eq(json_string_value(json_object_get(
	                     json_object_get(j, "roles"), "commander")),
	                 "alice");
	cr_assert(json_is_null(
	    json_object_get(json_object_get(j, "roles"), "tech-lead")));
	cr_assert(timeline_has(j, "system", "Acknowledged"));
	cr_assert(timeline_has(j, "status", "investigating -> identified"));
	cr_assert(timeline_has(j, "severity", "P1 -> P0"));
	cr_assert(timeline_has(j, "role", "commander: alice"));
	cr_assert(timeline_has(j, "role", "tech-lead: bob stood down"));
	cr_assert(timeline_has(j, "decision", "roll back now"));
	cr_assert(timeline_has(j, "system", "ACT-1: open -> done"));
	cr_assert_str_eq(
	    json_string_value(json_object_get(
	        json_array_get(json_object_get(j, "actions"), 0), "state")),
	    "done");
	json_decref(j);

	cr_assert(audit_has("acknowledged_at", NULL) == 0);
	cr_assert(audit_has("status", "identified"));
	cr_assert(audit_has("severity", "P0"));
	cr_assert(audit_has("role:commander", "alice"));
	cr_assert(audit_has("role:tech-lead", NULL));
	cr_assert(audit_has("created", "roll back now"));
	cr_assert(audit_has("state", "done"));
}

BOTH(cli, ack_is_audited_with_its_time)
{
	free(ok(ARGS("declare", "--severity", "P2", "--title", "t")));
	free(ok(ARGS("ack", "1", "--at", "2026-01-01T00:00:00Z")));
	cr_assert(audit_has("acknowledged_at", "2026-01-01T00:00:00Z"));
}

BOTH(cli, backdated_log_is_sorted_by_event_time_and_late)
{
	json_t *j, *tl;

	free(ok(ARGS("declare", "--severity", "P1", "--title", "t", "--at",
	             "-2h")));
	free(ok(ARGS("log", "1", "later entry")));
	free(ok(ARGS("log", "1", "--at", "-1h", "earlier entry")));
	j = show_json("1");
	tl = json_object_get(j, "timeline");
	cr_assert_eq(json_array_size(tl), 3);
	cr_assert_str_eq(
	    json_string_value(json_object_get(json_array_get(tl, 1), "text")),
	    "earlier entry");
	cr_assert(json_is_true(json_object_get(json_array_get(tl, 1), "late")));
	cr_assert(
	    json_is_false(json_object_get(json_array_get(tl, 2), "late")));
	json_decref(j);
}

BOTH(cli, log_reads_stdin_and_keeps_newlines)
{
	const char *argv[] = {"--db", db, "log", "1", "-", NULL};
	struct run r;
	json_t *j;

	free(ok(ARGS("declare", "--severity", "P1", "--title", "t")));
	r = run_bin(home, "line one\nline two\n", NULL, argv);
	cr_assert_eq(r.status, 0, "%s", r.err);
	run_free(&r);
	j = show_json("1");
	cr_assert(timeline_has(j, "note", "line one\nline two"));
	json_decref(j);
}

/* Polls show --json until the timeline has the text (5 s at most). */
static int
appears(const char *text)
{
	int i, found = 0;

	for (i = 0; i < 250 && !found; i++) {
		json_t *j = show_json("1");

		found = timeline_has(j, "note", text);
		json_decref(j);
		if (!found)
			usleep(20000);
	}
	return found;
}

/*
 * log --lines -: a line is an entry, committed before the next line is
 * read (the test writes the next only once another process's show has the
 * last), and a bad line stops it with exit 2 and one line naming it, the
 * entries before it kept.
 */
BOTH(cli, log_lines_commits_each_line_and_stops_at_a_bad_one)
{
	int in[2], errp[2], status, i;
	char err[1024] = "";
	ssize_t n;
	json_t *j;
	pid_t pid;

	free(ok(ARGS("declare", "--severity", "P1", "--title", "t")));
	cr_assert(pipe(in) == 0 && pipe(errp) == 0);
	pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		char cfg[600], data[600];

		dup2(in[0], 0);
		dup2(errp[1], 2);
		close(in[1]);
		close(errp[0]);
		snprintf(cfg, sizeof cfg, "%s/config", home);
		snprintf(data, sizeof data, "%s/data", home);
		setenv("HOME", home, 1);
		setenv("XDG_CONFIG_HOME", cfg, 1);
		setenv("XDG_DATA_HOME", data, 1);
		execl(bin_path(), bin_path(), "--db", db, "log", "1", "--lines",
		      "-", (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(errp[1]);
	cr_assert_eq(write(in[1], "first line\n", 11), 11);
	cr_assert(appears("first line"), "the first line was not committed");
	cr_assert_eq(write(in[1], "second line\r\n", 13), 13);
	cr_assert(appears("second line"), "the second line was not committed");
	cr_assert_eq(write(in[1], "  \nfourth line\n", 15), 15);
	close(in[1]);
	for (i = 0; (n = read(errp[0], err + i, sizeof err - 1 - i)) > 0;)
		i += (int)n;
	err[i] = '\0';
	close(errp[0]);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 2,
	          "exit status %d: %s", status, err);
	cr_assert_str_eq(err,
	                 "incident-tui: log: line 3: the entry text is empty "
	                 "(2 before it logged)\n");
	j = show_json("1");
	cr_assert(timeline_has(j, "note", "first line"));
	cr_assert(timeline_has(j, "note", "second line"));
	cr_assert_not(timeline_has(j, "note", "second line\r"));
	cr_assert_not(timeline_has(j, "note", "fourth line"));
	json_decref(j);
}

BOTH(cli, log_lines_wants_standard_input)
{
	const char *argv[] = {"--db",    db,     "log",  "1",
	                      "--lines", "some", "text", NULL};
	struct run r;

	free(ok(ARGS("declare", "--severity", "P1", "--title", "t")));
	r = run_bin(home, NULL, NULL, argv);
	cr_assert_eq(r.status, 2);
	cr_assert_str_eq(r.err, "incident-tui: log: --lines reads the entries "
	                        "from standard input: give - as the text\n");
	run_free(&r);
}

BOTH(cli, list_orders_by_severity_and_hides_resolved)
{
	char *out, *p0, *p2;

	free(ok(ARGS("declare", "--severity", "P2", "--title", "minor thing")));
	free(ok(ARGS("declare", "--severity", "P0", "--title", "big outage")));
	free(
	    ok(ARGS("declare", "--severity", "P1", "--title", "done already")));
	free(ok(ARGS("status", "3", "resolved")));
	out = ok(ARGS("list"));
	p0 = strstr(out, "big outage");
	p2 = strstr(out, "minor thing");
	cr_assert(p0 != NULL && p2 != NULL && p0 < p2, "%s", out);
	cr_assert_null(strstr(out, "done already"));
	free(out);
	out = ok(ARGS("list", "--all"));
	cr_assert_not_null(strstr(out, "done already"));
	free(out);
}

BOTH(cli, plain_output_is_sanitised_json_is_escaped)
{
	char *out;

	free(ok(ARGS("declare", "--severity", "P1", "--title",
	             "evil\x1b]52;c;cGF5bG9hZA==\x07title\xe2\x80\xae")));
	free(ok(ARGS("log", "1", "a\rforged line\x1b[2J")));
	out = ok(ARGS("show", "1"));
	cr_assert_null(strchr(out, '\x1b'), "raw ESC in show output");
	cr_assert_null(strchr(out, '\r'), "raw CR in show output");
	cr_assert_null(strstr(out, "\xe2\x80\xae"), "raw RLO in show output");
	cr_assert_not_null(strstr(out, "^[]52;c;"));
	free(out);
	out = ok(ARGS("list", "--json"));
	cr_assert_null(strchr(out, '\x1b'));
	cr_assert_null(strstr(out, "\xe2\x80\xae"));
	cr_assert_not_null(strstr(out, "\\u001B]52"), "%s", out);
	cr_assert_not_null(strstr(out, "\\u202E"));
	free(out);
	/* The raw text is kept as typed. */
	out = sql1(db, is_pg(db) ? "SELECT upper(encode(convert_to(text,"
	                           " 'UTF8'), 'hex')) FROM entries WHERE kind"
	                           " = 'note'"
	                         : "SELECT hex(text) FROM entries WHERE kind"
	                           " = 'note'");
	cr_assert_not_null(strstr(out, "0D"), "stored text lost its CR: %s",
	                   out);
	free(out);
}

BOTH(cli, relapse_clears_the_resolution)
{
	json_t *j;

	free(ok(ARGS("declare", "--severity", "P1", "--title", "t")));
	free(ok(ARGS("status", "1", "resolved")));
	j = show_json("1");
	cr_assert(json_is_string(json_object_get(j, "resolved_at")));
	json_decref(j);
	free(ok(ARGS("status", "1", "investigating")));
	j = show_json("1");
	cr_assert(json_is_null(json_object_get(j, "resolved_at")));
	cr_assert(timeline_has(j, "status", "(relapse)"));
	json_decref(j);
}

BOTH(cli, drill_is_marked)
{
	json_t *j;

	free(ok(ARGS("declare", "--severity", "P3", "--title", "game day",
	             "--drill")));
	j = show_json("1");
	cr_assert(json_is_true(json_object_get(j, "drill")));
	json_decref(j);
}

BOTH(cli, show_limit_pages_the_newest_entries)
{
	json_t *j, *tl;
	char n[8];
	int i;

	free(ok(ARGS("declare", "--severity", "P1", "--title", "t", "--at",
	             "-1h")));
	for (i = 0; i < 5; i++) {
		snprintf(n, sizeof n, "e%d", i);
		free(ok(ARGS("log", "1", n)));
	}
	j = show_json("1");
	cr_assert_eq(json_array_size(json_object_get(j, "timeline")), 6);
	cr_assert(json_is_false(json_object_get(j, "timeline_truncated")));
	json_decref(j);
	{
		char *out = ok(ARGS("show", "1", "--json", "--limit", "2"));

		j = json_loads(out, 0, NULL);
		free(out);
	}
	tl = json_object_get(j, "timeline");
	cr_assert_eq(json_array_size(tl), 2);
	cr_assert_str_eq(
	    json_string_value(json_object_get(json_array_get(tl, 1), "text")),
	    "e4");
	cr_assert(json_is_true(json_object_get(j, "timeline_truncated")));
	json_decref(j);
}

BOTH(cli, user_and_ssh_origin_are_audited)
{
	const char *argv[] = {"--db", db,        "declare", "--severity",
	                      "P1",   "--title", "t",       NULL};
	const char *env[] = {"INCIDENT_TUI_USER=zoe",
	                     "SSH_CONNECTION=203.0.113.7 51000 10.0.0.1 22",
	                     NULL};
	struct run r = run_bin(home, NULL, env, argv);
	char *who;

	cr_assert_eq(r.status, 0, "%s", r.err);
	run_free(&r);
	who = sql1(db, "SELECT DISTINCT actor || '|' || origin FROM audit");
	cr_assert_str_eq(who, "zoe|ssh 203.0.113.7");
	free(who);
	free(ok(ARGS("--user", "yan", "log", "1", "hi")));
	who = sql1(db, "SELECT author FROM entries WHERE text = 'hi'");
	cr_assert_str_eq(who, "yan");
	free(who);
}

Test(cli, database_path_order)
{
	char *cfgdir = malloc(strlen(home) + 32), cfg[600], envdb[600];
	const char *env[3];
	struct run r;
	FILE *f;

	/* Config db < INCIDENT_TUI_DB < --db. */
	sprintf(cfgdir, "%s/config", home);
	mkdir(cfgdir, 0755);
	strcat(cfgdir, "/incident-tui");
	mkdir(cfgdir, 0755);
	snprintf(cfg, sizeof cfg, "%s/config", cfgdir);
	f = fopen(cfg, "w");
	fprintf(f, "db = %s/from-config.db\n", home);
	fclose(f);
	r = run_bin(home, NULL, NULL,
	            ARGS("declare", "--severity", "P1", "--title", "t"));
	cr_assert_eq(r.status, 0, "%s", r.err);
	run_free(&r);
	snprintf(cfg, sizeof cfg, "%s/from-config.db", home);
	cr_assert_eq(access(cfg, F_OK), 0, "config db not used");

	snprintf(envdb, sizeof envdb, "INCIDENT_TUI_DB=%s/from-env.db", home);
	env[0] = envdb;
	env[1] = NULL;
	r = run_bin(home, NULL, env,
	            ARGS("declare", "--severity", "P1", "--title", "t"));
	cr_assert_eq(r.status, 0, "%s", r.err);
	run_free(&r);
	snprintf(cfg, sizeof cfg, "%s/from-env.db", home);
	cr_assert_eq(access(cfg, F_OK), 0, "INCIDENT_TUI_DB not used");

	r = run_bin(
	    home, NULL, env,
	    ARGS("--db", db, "declare", "--severity", "P1", "--title", "t"));
	cr_assert_eq(r.status, 0, "%s", r.err);
	run_free(&r);
	cr_assert_eq(access(db, F_OK), 0, "--db not used");
	free(cfgdir);
}

Test(cli, default_database_lives_under_xdg_data_home)
{
	char path[600];
	struct run r =
	    run_bin(home, NULL, NULL,
	            ARGS("declare", "--severity", "P1", "--title", "t"));

	cr_assert_eq(r.status, 0, "%s", r.err);
	run_free(&r);
	snprintf(path, sizeof path, "%s/data/incident-tui/incidents.db", home);
	cr_assert_eq(access(path, F_OK), 0);
}

BOTH(cli, sev_policy_is_selectable)
{
	char *out;

	out = ok(ARGS("--policy", "sev", "declare", "--severity", "sev2",
	              "--title", "t"));
	cr_assert_str_eq(out, "INC-1\n");
	free(out);
	out = sql1(db, "SELECT severity FROM incidents");
	cr_assert_str_eq(out, "SEV2");
	free(out);
}

Test(cli, demo_builds_a_believable_database)
{
	json_t *j, *inc, *c;
	char *out;
	size_t i, k;
	int breached_update = 0, resolved = 0, partial_roles = 0;

	out = ok(ARGS("demo"));
	free(out);
	out = ok(ARGS("list", "--all", "--json"));
	j = json_loads(out, 0, NULL);
	free(out);
	cr_assert(json_array_size(json_object_get(j, "incidents")) >= 4);
	json_array_foreach(json_object_get(j, "incidents"), i, inc)
	{
		if (strcmp(json_string_value(json_object_get(inc, "status")),
		           "resolved") == 0)
			resolved++;
		if (json_is_null(json_object_get(json_object_get(inc, "roles"),
		                                 "comms-lead")))
			partial_roles++;
		json_array_foreach(json_object_get(inc, "clocks"), k, c)
		{
			if (strcmp(
			        json_string_value(json_object_get(c, "name")),
			        "update") == 0 &&
			    strcmp(
			        json_string_value(json_object_get(c, "state")),
			        "breached") == 0)
				breached_update++;
		}
	}
	cr_assert_eq(resolved, 1);
	cr_assert(breached_update >= 1, "no incident with a breached update");
	cr_assert(partial_roles >= 1);
	json_decref(j);
	cr_assert(sql_int(db, "SELECT count(*) FROM entries") >= 36);
	cr_assert(sql_int(db, "SELECT count(*) FROM action_items") >= 3);
	/* Refreshing a demo database is allowed... */
	free(ok(ARGS("demo")));
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM incidents"), 4);
}

Test(cli, demo_refuses_a_real_database)
{
	struct run r;

	free(ok(ARGS("declare", "--severity", "P1", "--title", "real one")));
	r = run_bin(home, NULL, NULL, ARGS("--db", db, "demo"));
	cr_assert_eq(r.status, 2);
	cr_assert_not_null(strstr(r.err, "not a demo"));
	run_free(&r);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM incidents"), 1);
}

Test(cli, help_and_version)
{
	struct run r = run_bin(home, NULL, NULL, ARGS("--help"));

	cr_assert_eq(r.status, 0);
	cr_assert_not_null(strstr(r.out, "declare"));
	run_free(&r);
	r = run_bin(home, NULL, NULL, ARGS("log", "--help"));
	cr_assert_eq(r.status, 0);
	cr_assert_not_null(strstr(r.out, "--kind KIND"));
	run_free(&r);
	r = run_bin(home, NULL, NULL, ARGS("--version"));
	cr_assert_eq(r.status, 0);
	cr_assert(strncmp(r.out, "incident-tui ", 13) == 0);
	run_free(&r);
}

/* ---- bad input: one clear line, the right status, nothing changed ---- */

struct bad_case {
	char name[48];
	char args[8][48]; /* "" ends; "@DB" is replaced by the database */
	int status;
	char want[64];
	char setup[8]; /* "notdb", "newer", "foreign", "badcfg", "badpol" */
};

ParameterizedTestParameters(cli, bad_input)
{
	static struct bad_case cases[] = {
	    {"unknown incident",
	     {"log", "99", "hello"},
	     2,
	     "no incident INC-99",
	     ""},
	    {"unknown incident (show)",
	     {"show", "INC-42"},
	     2,
	     "no incident INC-42",
	     ""},
	    {"bad incident id", {"ack", "one"}, 2, "bad incident id 'one'", ""},
	    {"unknown severity",
	     {"declare", "--severity", "P9", "--title", "x"},
	     2,
	     "unknown severity 'P9'",
	     ""},
	    {"unknown severity (change)",
	     {"severity", "1", "urgent"},
	     2,
	     "unknown severity 'urgent'",
	     ""},
	    {"unknown status",
	     {"status", "1", "fixed"},
	     2,
	     "unknown or ambiguous status 'fixed'",
	     ""},
	    {"unknown role",
	     {"assign", "1", "boss", "bob"},
	     2,
	     "unknown role 'boss'",
	     ""},
	    {"unknown command",
	     {"frobnicate"},
	     2,
	     "unknown command 'frobnicate'",
	     ""},
	    {"empty title",
	     {"declare", "--severity", "P1", "--title", "   "},
	     2,
	     "the title is empty",
	     ""},
	    {"missing title",
	     {"declare", "--severity", "P1"},
	     2,
	     "--title TEXT is required",
	     ""},
	    {"malformed --at",
	     {"log", "1", "--at", "25:99", "x"},
	     2,
	     "--at: bad time '25:99'",
	     ""},
	    {"--at without zone",
	     {"ack", "1", "--at", "2026-01-01T10:00:00"},
	     2,
	     "has no zone",
	     ""},
	    {"unknown option",
	     {"list", "--colour"},
	     2,
	     "unknown option '--colour'",
	     ""},
	    {"missing arguments", {"status", "1"}, 2, "missing arguments", ""},
	    {"system kind",
	     {"log", "1", "--kind", "status", "x"},
	     2,
	     "written by the system",
	     ""},
	    {"unknown kind",
	     {"log", "1", "--kind", "gossip", "x"},
	     2,
	     "unknown kind 'gossip'",
	     ""},
	    {"unfilled role",
	     {"unassign", "1", "scribe"},
	     2,
	     "has no scribe",
	     ""},
	    {"bad due date",
	     {"action", "1", "add", "x", "--due", "someday"},
	     2,
	     "--due: bad due date",
	     ""},
	    {"unknown action",
	     {"action", "done", "ACT-77"},
	     2,
	     "no action item ACT-77",
	     ""},
	    {"bad limit", {"show", "1", "--limit", "-3"}, 2, "--limit:", ""},
	    {"--at before 1970",
	     {"log", "1", "--at", "-99999999d", "x"},
	     2,
	     "outside 1970-01-01 to 2199-12-31",
	     ""},
	    {"--at in year 1969",
	     {"ack", "1", "--at", "1969-12-31T23:59:59Z"},
	     2,
	     "outside 1970-01-01",
	     ""},
	    {"--due past 2199",
	     {"action", "1", "add", "x", "--due", "+99999999999d"},
	     2,
	     "outside 1970-01-01 to 2199-12-31",
	     ""},
	    {"--due in 2200",
	     {"action", "1", "add", "x", "--due", "2200-01-01"},
	     2,
	     "outside",
	     ""},
	    {"silence past 2199",
	     {"silence", "AL-1", "99999999999d"},
	     2,
	     "reaches past 2199",
	     ""},
	    {"--since before 1970",
	     {"handoff", "--since", "999999999d"},
	     2,
	     "reaches before 1970",
	     ""},
	    {"--user with a blank",
	     {"--user", "bob smith", "ack", "1"},
	     2,
	     "--user: the user name must be one word",
	     ""},
	    {"--user with a newline",
	     {"--user", "bob\nINC-1 resolved", "ack", "1"},
	     2,
	     "must be one word",
	     ""},
	    {"two-line title",
	     {"declare", "--severity", "P1", "--title", "a\nforged line"},
	     2,
	     "--title must be one line",
	     ""},
	    {"two-line title (set)",
	     {"set", "1", "title", "a\rb"},
	     2,
	     "the title must be one line",
	     ""},
	    {"two-line service",
	     {"declare", "--severity", "P1", "--title", "t", "--service",
	      "a\nb"},
	     2,
	     "--service must be one line",
	     ""},
	    {"commander with a blank",
	     {"declare", "--severity", "P1", "--title", "t", "--commander",
	      "a b"},
	     2,
	     "--commander must be one word",
	     ""},
	    {"owner with a newline",
	     {"action", "1", "add", "x", "--owner", "a\nb"},
	     2,
	     "--owner must be one word",
	     ""},
	    {"repeated global option",
	     {"--db", "@DB", "--db", "@DB", "list"},
	     2,
	     "--db is given twice",
	     ""},
	    {"repeated option",
	     {"declare", "--severity", "P1", "--severity", "P2", "--title",
	      "t"},
	     2,
	     "--severity",
	     ""},
	    {"global option without value",
	     {"list", "--db"},
	     2,
	     "--db needs a value",
	     ""},
	    {"not a database",
	     {"--db", "@DB", "list"},
	     2,
	     "is not a database file",
	     "notdb"},
	    {"foreign SQLite database",
	     {"--db", "@DB", "list"},
	     2,
	     "not an incident-tui one",
	     "foreign"},
	    {"newer schema",
	     {"--db", "@DB", "log", "1", "x"},
	     1,
	     "newer incident-tui",
	     "newer"},
	    {"missing database for a read",
	     {"--db", "@DB.missing", "list"},
	     2,
	     "No such file",
	     ""},
	    {"bad config",
	     {"list"},
	     2,
	     "config:2: unknown key 'colour'",
	     "badcfg"},
	    {"bad policy file",
	     {"--policy", "@DB.ini", "list"},
	     2,
	     ".ini:1: unknown section [lvl P0]",
	     "badpol"},
	};

	return cr_make_param_array(struct bad_case, cases,
	                           sizeof cases / sizeof cases[0]);
}

static char *
counts(const char *path)
{
	return sql1(
	    path, "SELECT (SELECT count(*) FROM incidents) || ',' ||"
	          " (SELECT count(*) FROM entries) || ',' ||"
	          " (SELECT count(*) FROM audit) || ',' ||"
	          " (SELECT count(*) FROM role_assignments) || ',' ||"
	          " (SELECT count(*) FROM action_items) || ',' ||"
	          " (SELECT group_concat(status || severity) FROM incidents)");
}

ParameterizedTest(struct bad_case *c, cli, bad_input)
{
	char other[600], subst[8][700], *before = NULL, *after, *nl;
	const char *argv[16];
	struct run r;
	int n = 0, i;
	FILE *f;

	snprintf(other, sizeof other, "%s/other.db", home);
	free(ok(ARGS("declare", "--severity", "P1", "--title", "t")));
	if (strcmp(c->setup, "notdb") == 0) {
		f = fopen(other, "w");
		fputs("this is a text file, not a database\n", f);
		fclose(f);
	} else if (strcmp(c->setup, "foreign") == 0) {
		free(
		    sql1(other, "CREATE TABLE t(x); INSERT INTO t VALUES (1)"));
	} else if (strcmp(c->setup, "newer") == 0) {
		const char *a[] = {"--db", other,     "declare", "--severity",
		                   "P1",   "--title", "t",       NULL};

		run_free((struct run[]){run_bin(home, NULL, NULL, a)});
		free(sql1(other, "PRAGMA user_version = 99"));
	} else if (strcmp(c->setup, "badcfg") == 0) {
		char p[700];

		snprintf(p, sizeof p, "%s/config", home);
		mkdir(p, 0755);
		snprintf(p, sizeof p, "%s/config/incident-tui", home);
		mkdir(p, 0755);
		snprintf(p, sizeof p, "%s/config/incident-tui/config", home);
		f = fopen(p, "w");
		fprintf(f, "db = %s\ncolour = red\n", db);
		fclose(f);
	} else if (strcmp(c->setup, "badpol") == 0) {
		char p[700];

		snprintf(p, sizeof p, "%s.ini", other);
		f = fopen(p, "w");
		fputs("[lvl P0]\n", f);
		fclose(f);
	}
	/* A case naming its own --db gets only that one (twice is an error). */
	if (strcmp(c->setup, "badcfg") != 0 &&
	    strcmp(c->args[0], "--db") != 0) {
		argv[n++] = "--db";
		argv[n++] = db;
	}
	for (i = 0; i < 8 && c->args[i][0] != '\0'; i++) {
		if (strncmp(c->args[i], "@DB", 3) == 0) {
			snprintf(subst[i], sizeof subst[i], "%s%s", other,
			         c->args[i] + 3);
			argv[n++] = subst[i];
		} else {
			argv[n++] = c->args[i];
		}
	}
	argv[n] = NULL;
	before = counts(db);
	r = run_bin(home, NULL, NULL, argv);
	cr_assert_eq(r.status, c->status, "%s: exit %d, want %d; stderr: %s",
	             c->name, r.status, c->status, r.err);
	cr_assert_not_null(strstr(r.err, c->want), "%s: stderr '%s' lacks '%s'",
	                   c->name, r.err, c->want);
	nl = strchr(r.err, '\n');
	cr_assert(nl != NULL && nl[1] == '\0', "%s: not one line: '%s'",
	          c->name, r.err);
	cr_assert(strncmp(r.err, "incident-tui: ", 14) == 0);
	cr_assert_str_eq(r.out, "", "%s: printed on stdout: %s", c->name,
	                 r.out);
	after = counts(db);
	cr_assert_str_eq(before, after, "%s: the database changed", c->name);
	if (strcmp(c->setup, "newer") == 0)
		cr_assert_eq(sql_int(other, "PRAGMA user_version"), 99);
	if (strcmp(c->setup, "notdb") == 0) {
		struct stat sb;

		stat(other, &sb);
		cr_assert_eq(sb.st_size, 36, "the text file was modified");
	}
	free(before);
	free(after);
	run_free(&r);
}

/* ---- bad input that needs more than a table row ---- */

/* Runs with extra environment; insists on one line and `status`. */
static struct run
one_line(const char *const *env, const char *stdin_text, int status,
         const char *want, const char *const *args)
{
	const char *argv[32] = {"--db", db};
	struct run r;
	char *nl;
	int n = 2;

	while (*args)
		argv[n++] = *args++;
	argv[n] = NULL;
	r = run_bin(home, stdin_text, env, argv);
	cr_assert_eq(r.status, status, "%s: exit %d; stderr: %s", argv[2],
	             r.status, r.err);
	if (want != NULL) {
		cr_assert_not_null(strstr(r.err, want), "'%s' lacks '%s'",
		                   r.err, want);
		nl = strchr(r.err, '\n');
		cr_assert(nl != NULL && nl[1] == '\0', "not one line: '%s'",
		          r.err);
	}
	return r;
}

Test(cli, a_timezone_that_is_not_a_zone_file_is_refused)
{
	const char *zones[] = {"zone.tab", "Europe", "No/Such_Zone"};
	char cfg[700];
	FILE *f;

	free(ok(ARGS("declare", "--severity", "P1", "--title", "t")));
	snprintf(cfg, sizeof cfg, "%s/tz.conf", home);
	for (size_t i = 0; i < 3; i++) {
		f = fopen(cfg, "w");
		fprintf(f, "timezone = %s\n", zones[i]);
		fclose(f);
		run_free(
		    (struct run[]){one_line(NULL, NULL, 2, "unknown timezone",
		                            ARGS("--config", cfg, "list"))});
	}
	f = fopen(cfg, "w");
	fputs("timezone = Europe/Berlin\n", f);
	fclose(f);
	free(ok(ARGS("--config", cfg, "list")));
}

Test(cli, a_fixed_clock_that_is_not_a_time_is_refused)
{
	const char *bad[] = {
	    "INCIDENT_TUI_NOW=garbage", "INCIDENT_TUI_NOW=2026-13-01T00:00:00Z",
	    "INCIDENT_TUI_NOW=99999999999999", "INCIDENT_TUI_NOW=-5", NULL};
	struct run r;

	for (const char *const *b = bad; *b != NULL; b++) {
		const char *env[] = {*b, NULL};

		r = one_line(
		    env, NULL, 2, "INCIDENT_TUI_NOW",
		    ARGS("declare", "--severity", "P1", "--title", "t"));
		run_free(&r);
	}
	cr_assert_eq(access(db, F_OK), -1, "nothing created");
	r = one_line(ARGS("INCIDENT_TUI_NOW=2026-03-01T10:00:00Z"), NULL, 0,
	             NULL, ARGS("declare", "--severity", "P1", "--title", "t"));
	run_free(&r);
	cr_assert_eq(sql_int(db, "SELECT declared_at FROM incidents"),
	             1772359200);
}

BOTH(cli, fields_over_their_documented_limits_are_refused)
{
	char big[5000];
	struct run r;

	free(ok(ARGS("declare", "--severity", "P1", "--title", "t")));
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	big[301] = '\0';
	r = one_line(NULL, NULL, 2, "longer than 300 bytes",
	             ARGS("declare", "--severity", "P1", "--title", big));
	run_free(&r);
	big[301] = 'x';
	big[129] = '\0';
	r = one_line(NULL, NULL, 2, "the service is longer than 128 bytes",
	             ARGS("set", "1", "service", big));
	run_free(&r);
	big[129] = 'x';
	r = one_line(NULL, NULL, 2, "--impact is longer than 4096 bytes",
	             ARGS("declare", "--severity", "P1", "--title", "t",
	                  "--impact", big));
	run_free(&r);
	big[65] = '\0';
	r = one_line(NULL, NULL, 2, "--user: the user name is longer than 64",
	             ARGS("--user", big, "ack", "1"));
	run_free(&r);
	r = one_line(ARGS("INCIDENT_TUI_USER=two words"), NULL, 2,
	             "user: the user name must be one word", ARGS("ack", "1"));
	run_free(&r);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM incidents"), 1);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM incidents WHERE"
	                         " acknowledged_at IS NOT NULL"),
	             0);
}

Test(cli, the_shared_directory_advice_never_makes_a_failure_two_lines)
{
	struct run r;

	free(ok(ARGS("declare", "--severity", "P1", "--title", "t")));
	/* A shared database in a directory the group cannot reach. */
	cr_assert_eq(chmod(db, 0660), 0);
	cr_assert_eq(chmod(home, 0755), 0);
	r = one_line(NULL, NULL, 2, "has no scribe",
	             ARGS("unassign", "1", "scribe"));
	cr_assert_not_null(strstr(r.err, "fix with: chmod g+w"), "%s", r.err);
	run_free(&r);
	/* A success still says so, once. */
	r = one_line(NULL, NULL, 0, "warning: the shared database",
	             ARGS("ack", "1"));
	run_free(&r);
}

BOTH(cli, a_declaration_from_an_alert_with_a_long_summary_is_cut_at_a_word)
{
	char summary[700], payload[2000], *title;
	struct run r;
	size_t n;

	/* 64 words: 575 bytes, and a line break in it. */
	for (n = 0; n < 64; n++)
		memcpy(summary + n * 9, "checkout ", 9);
	summary[575] = '\0';
	memcpy(summary + 40, "\\n", 2);
	snprintf(payload, sizeof payload,
	         "{\"receiver\":\"hook\",\"status\":\"firing\",\"alerts\":"
	         "[{\"status\":\"firing\",\"labels\":{\"alertname\":\"Long\","
	         "\"severity\":\"page\"},\"annotations\":{\"summary\":\"%s\"},"
	         "\"startsAt\":\"2026-11-23T09:30:19Z\",\"endsAt\":"
	         "\"0001-01-01T00:00:00Z\",\"fingerprint\":\"ab12\"}],"
	         "\"groupKey\":\"{}:{alertname=\\\"Long\\\"}\",\"version\":"
	         "\"4\"}",
	         summary);
	r = one_line(NULL, payload, 0, NULL, ARGS("ingest", "alertmanager"));
	run_free(&r);
	r = one_line(NULL, NULL, 0, NULL,
	             ARGS("declare", "--alert", "AL-1", "--severity", "P1"));
	cr_assert_str_eq(r.out, "INC-1\n");
	run_free(&r);
	title = sql1(db, "SELECT title FROM incidents WHERE id = 1");
	cr_assert_leq(strlen(title), 300);
	cr_assert_null(strchr(title, '\n'), "one line: %s", title);
	n = strlen(title);
	cr_assert(n > 3 && strcmp(title + n - 3, "\xe2\x80\xa6") == 0,
	          "marked as cut: %s", title);
	cr_assert(strncmp(title + n - 11, "checkout", 8) == 0,
	          "cut after a whole word: %s", title);
	free(title);
}

Test(cli, a_users_own_template_is_made_inert_like_its_placeholders)
{
	char p[700];
	FILE *f;
	char *out;

	free(ok(ARGS("declare", "--severity", "P1", "--title", "Inert")));
	snprintf(p, sizeof p, "%s/config", home);
	mkdir(p, 0755);
	snprintf(p, sizeof p, "%s/config/incident-tui", home);
	mkdir(p, 0755);
	snprintf(p, sizeof p, "%s/config/incident-tui/templates", home);
	mkdir(p, 0755);
	snprintf(p, sizeof p, "%s/config/incident-tui/templates/update.tmpl",
	         home);
	f = fopen(p, "w");
	fputs("\x1b]0;owned\x07Status of {{title}}\r\x1b[2Jforged\n", f);
	fclose(f);
	out = ok(ARGS("update", "1", "--template", "update"));
	cr_assert_not_null(strstr(out, "Status of Inert"), "%s", out);
	cr_assert_null(strchr(out, '\x1b'), "no escape reaches stdout: %s",
	               out);
	cr_assert_null(strchr(out, '\r'), "no carriage return: %s", out);
	cr_assert_null(strchr(out, '\x07'), "no bell: %s", out);
	free(out);
}

/*
 * libpq is loaded only for a PostgreSQL location: linking it would cost
 * every SQLite command ~4.5 ms.  The dynamic loader names each library it
 * loads (LD_DEBUG=libs), dlopen()ed ones too.
 */
Test(cli, sqlite_commands_never_load_libpq)
{
	const char *env[] = {"LD_DEBUG=libs", NULL};
	const char *argv[] = {"--db", db,        "declare", "--severity",
	                      "P1",   "--title", "t",       NULL};
	const char *logv[] = {"--db", db, "log", "1", "a note", NULL};
	char *pgdb = pg_db_new();
	const char *pgv[] = {"--db", pgdb, "list", NULL};
	struct run r;

	r = run_bin(home, NULL, env, argv);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_null(strstr(r.err, "libpq"), "declare loaded libpq");
	run_free(&r);
	r = run_bin(home, NULL, env, logv);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_not_null(strstr(r.err, "libsqlite3"),
	                   "LD_DEBUG said nothing");
	cr_assert_null(strstr(r.err, "libpq"), "log loaded libpq");
	run_free(&r);
	/* The same check sees it when it is loaded. */
	r = run_bin(home, NULL, env, pgv);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_not_null(strstr(r.err, "libpq"), "%s", r.err);
	run_free(&r);
	pg_db_drop(pgdb);
}

/* Output of a command on a given database (which must succeed). */
static char *
ok_on(const char *where, const char *const *args)
{
	char *saved = db, *out;

	db = (char *)where;
	out = ok(args);
	db = saved;
	return out;
}

/* show ID --json on a database at a pinned clock (its clocks tick). */
static char *
show_pinned(const char *where, const char *id, const char *now_env)
{
	const char *argv[] = {"--db", where, "show", id, "--json", NULL};
	const char *env[] = {now_env, NULL};
	struct run r = run_bin(home, NULL, env, argv);

	cr_assert_eq(r.status, 0, "show %s on %s: %s", id, where, r.err);
	free(r.err);
	return r.out;
}

/*
 * db copy moves the demo's whole history to PostgreSQL and back: every
 * incident shows the same, the chains verify there, ids go on from the
 * copied ones, and a destination with incidents is refused.
 */
Test(cli, db_copy_to_postgresql_and_back_keeps_every_incident)
{
	char *pgdb = pg_db_new(), back[600], *a, *b, id[16], now_env[64];
	const char *into_pg[] = {"db", "copy", db, pgdb, NULL};
	const char *argv[] = {"--db", db, "db", "copy", db, pgdb, NULL};
	struct run r;
	int i;

	free(ok(ARGS("demo")));
	a = ok(into_pg);
	cr_assert_not_null(strstr(a, "count verified"), "%s", a);
	free(a);
	snprintf(back, sizeof back, "%s/back.db", home);
	{
		const char *into_back[] = {"db", "copy", pgdb, back, NULL};

		free(ok(into_back));
	}
	/* One clock for the three reads, or a second's tick differs. */
	snprintf(now_env, sizeof now_env, "INCIDENT_TUI_NOW=%lld",
	         (long long)time(NULL));
	for (i = 1; i <= 4; i++) {
		snprintf(id, sizeof id, "%d", i);
		a = show_pinned(db, id, now_env);
		b = show_pinned(pgdb, id, now_env);
		cr_assert_str_eq(a, b, "INC-%d differs on PostgreSQL", i);
		free(b);
		b = show_pinned(back, id, now_env);
		cr_assert_str_eq(a, b, "INC-%d differs after the way back", i);
		free(a);
		free(b);
	}
	a = ok_on(pgdb, ARGS("verify", "1"));
	cr_assert_not_null(strstr(a, "INC-1: whole"), "%s", a);
	free(a);
	a = ok_on(pgdb, ARGS("declare", "--severity", "P2", "--title", "next"));
	cr_assert_not_null(strstr(a, "INC-5"), "%s", a);
	free(a);
	r = run_bin(home, NULL, NULL, argv);
	cr_assert_eq(r.status, 2, "%s", r.err);
	cr_assert_not_null(strstr(r.err, "already holds 5 incidents"), "%s",
	                   r.err);
	run_free(&r);
	pg_db_drop(pgdb);
}

/* db as another PostgreSQL role (user=NAME in place of the test's). */
static char *
as_role(const char *role)
{
	const char *u = strstr(db, "user=");
	char *loc = NULL;

	cr_assert_not_null(u);
	cr_assert(asprintf(&loc, "%.*suser=%s", (int)(u - db), db, role) > 0);
	return loc;
}

/* A declared INC-1 after db init, and two login roles in the groups given
 * (named by the group's initial and the pid, distinct) in one and two. */
static void
two_roles(char one[32], const char *group1, char two[32], const char *group2)
{
	char sql[256], *out;

	free(ok(ARGS("declare", "--severity", "P1", "--title", "roles")));
	out = ok(ARGS("db", "init"));
	cr_assert_not_null(strstr(out, "ready"), "%s", out);
	free(out);
	snprintf(one, 32, "%c%d", group1[5], (int)getpid());
	snprintf(two, 32, "%c%d", group2[5], (int)getpid());
	if (strcmp(one, two) == 0)
		two[0] = 'x';
	snprintf(sql, sizeof sql,
	         "CREATE ROLE %s LOGIN IN ROLE %s;"
	         " CREATE ROLE %s LOGIN IN ROLE %s",
	         one, group1, two, group2);
	free(sql1(db, sql));
}

/* The audit row's db_role of the last row changing `field`, or NULL. */
static char *
audit_role_on(const char *loc, const char *field)
{
	char *out = ok_on(loc, ARGS("audit", "1", "--json")), *role = NULL;
	json_t *j = json_loads(out, 0, NULL), *row;
	size_t i;

	cr_assert_not_null(j, "%s", out);
	json_array_foreach(json_object_get(j, "audit"), i, row)
	{
		if (strcmp(json_string_value(json_object_get(row, "field")),
		           field) == 0) {
			const char *r =
			    json_string_value(json_object_get(row, "db_role"));

			free(role);
			role = r != NULL ? strdup(r) : NULL;
		}
	}
	json_decref(j);
	free(out);
	return role;
}

/*
 * The audit names the database role beside the name the person gives: two
 * login roles both calling themselves "alice" are told apart, and the
 * role is the server's session_user, not something the command sends.
 */
Test(cli_pg, the_audit_records_the_database_role_beside_the_name_given)
{
	char one[32], two[32], *loc, *role, *out;

	two_roles(one, "itui_writer", two, "itui_writer");
	loc = as_role(one);
	free(ok_on(loc, ARGS("--user", "alice", "severity", "1", "p0")));
	free(loc);
	loc = as_role(two);
	free(ok_on(loc, ARGS("--user", "alice", "status", "1", "identified")));
	role = audit_role_on(loc, "severity");
	cr_assert_not_null(role);
	cr_assert_str_eq(role, one);
	free(role);
	role = audit_role_on(loc, "status");
	cr_assert_not_null(role);
	cr_assert_str_eq(role, two);
	free(role);
	out = ok_on(loc, ARGS("audit", "1"));
	cr_assert_not_null(strstr(out, two), "%s", out);
	free(out);
	free(loc);
}

/* SQLite has no roles: the column is there, empty. */
Test(cli, the_audit_has_no_database_role_on_sqlite)
{
	free(ok(ARGS("declare", "--severity", "P1", "--title", "roles")));
	free(ok(ARGS("severity", "1", "p0")));
	cr_assert_null(audit_role_on(db, "severity"));
}

/*
 * db init makes the group roles: a member of itui_reader reads and is told
 * plainly that it may not write; a member of itui_writer writes.
 */
Test(cli_pg, db_init_makes_reader_and_writer_roles)
{
	char reader[32], writer[32], *loc, *out;
	const char *argv[] = {"--db", NULL, "log", "1", "by a reader", NULL};
	struct run r;

	two_roles(reader, "itui_reader", writer, "itui_writer");
	loc = as_role(reader);
	out = ok_on(loc, ARGS("list"));
	cr_assert_not_null(strstr(out, "roles"), "%s", out);
	free(out);
	argv[1] = loc;
	r = run_bin(home, NULL, NULL, argv);
	cr_assert_eq(r.status, 1, "%s", r.err);
	cr_assert_not_null(strstr(r.err, "read-only for you"), "%s", r.err);
	run_free(&r);
	free(loc);
	loc = as_role(writer);
	free(ok_on(loc, ARGS("log", "1", "by a writer")));
	free(loc);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM entries WHERE text ="
	                         " 'by a writer'"),
	             1);
}
