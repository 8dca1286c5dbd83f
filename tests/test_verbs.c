/*
 * The verb layer (issue 9): `set` as a real process against a real database
 * file, and every verb the dashboard can run, run once by the command line
 * and once by the dashboard's `:` line (dash_run_line, what ui.c calls on
 * Enter) on two copies of one database: the stored result, the output, and
 * the error text for a bad value must be the same.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

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

static struct run
cmd(const char *in, const char *const *args)
{
	const char *argv[32] = {"--db", db};
	int n = 2;

	while (*args)
		argv[n++] = *args++;
	argv[n] = NULL;
	return run_bin(home, in, NULL, argv);
}

static char *
ok(const char *in, const char *const *args)
{
	struct run r = cmd(in, args);

	cr_assert_eq(r.status, 0, "%s: exit %d, stderr: %s", args[0], r.status,
	             r.err);
	free(r.err);
	return r.out;
}

TestSuite(verbs, .init = setup, .fini = teardown, .timeout = 30);

Test(verbs, set_impact_shows_in_update_and_postmortem)
{
	char *out;

	free(ok(NULL, ARGS("declare", "--severity", "P1", "--title", "t")));
	free(ok(NULL, ARGS("set", "1", "impact", "EU checkout down")));
	out = ok(NULL, ARGS("update", "1"));
	cr_expect(strstr(out, "EU checkout down"), "update lacks impact:\n%s",
	          out);
	free(out);
	out = ok(NULL, ARGS("postmortem", "1"));
	cr_expect(strstr(out, "EU checkout down"),
	          "postmortem lacks impact:\n%s", out);
	free(out);
}

Test(verbs, set_root_cause_reads_stdin)
{
	char *out;

	free(ok(NULL, ARGS("declare", "--severity", "P1", "--title", "t")));
	free(ok("bad deploy of v42\n", ARGS("set", "1", "root-cause", "-")));
	out = ok(NULL, ARGS("show", "1", "--json"));
	cr_expect(strstr(out, "bad deploy of v42"), "%s", out);
	free(out);
}

Test(verbs, set_bad_field_exits_2)
{
	struct run r;

	free(ok(NULL, ARGS("declare", "--severity", "P1", "--title", "t")));
	r = cmd(NULL, ARGS("set", "1", "colour", "red"));
	cr_expect_eq(r.status, 2, "exit %d: %s", r.status, r.err);
	cr_expect(strstr(r.err, "colour"), "stderr: %s", r.err);
	run_free(&r);
}

Test(verbs, set_stale_revision_exits_1_one_line)
{
	struct run r;
	char *nl;

	free(ok(NULL, ARGS("declare", "--severity", "P1", "--title", "t")));
	free(ok(NULL, ARGS("--user", "dave", "set", "1", "title", "t2")));
	r = cmd(NULL, ARGS("set", "1", "title", "t3", "--if-revision", "0"));
	cr_expect_eq(r.status, 1, "exit %d: %s", r.status, r.err);
	cr_expect(strstr(r.err, "dave"), "stderr: %s", r.err);
	nl = strchr(r.err, '\n');
	cr_expect(nl == NULL || nl[1] == '\0', "more than one line: %s", r.err);
	run_free(&r);
}

/* Issue 12: `:st mon` -- an alias before prefixes, a status by prefix. */
Test(verbs, st_mon_sets_monitoring_and_m_is_ambiguous)
{
	struct run r;
	char *out;

	free(ok(NULL, ARGS("declare", "--severity", "P1", "--title", "t")));
	free(ok(NULL, ARGS("st", "1", "mon")));
	out = ok(NULL, ARGS("show", "1", "--json"));
	cr_assert_not_null(strstr(out, "\"status\": \"monitoring\""), "%s",
	                   out);
	free(out);
	r = cmd(NULL, ARGS("status", "1", "m"));
	cr_assert_eq(r.status, 2);
	cr_assert_not_null(strstr(r.err, "ambiguous status 'm'"), "%s", r.err);
	run_free(&r);
}

/* ---- the command line and the `:` line run the same verbs ---- */

#include <criterion/parameterized.h>
#include <sys/stat.h>

#include "itui/cmd.h"
#include "itui/context.h"
#include "itui/dash.h"
#include "itui/err.h"

#define NOW "2026-12-03T06:00:00Z"

/*
 * One row per verb the dashboard may run.  `cli` is the command line's
 * words; `dash` the `:` line (empty: the same words), often without the
 * target, which the dashboard fills from what is shown (incident 1, entry 2,
 * ACT-1).  `bad` has a bad value.  An empty `cli` is a verb whose success
 * needs a server or a configured destination this test does not start; the
 * suites of those verbs cover it, and the error path is still compared.
 */
struct parity {
	/* Arrays, not pointers: Criterion runs each row in a new process of
	 * a position-independent binary, where the parent's addresses mean
	 * nothing. */
	char verb[24], cli[80], dash[80], bad[80];
};

static struct parity rows[] = {
    {"declare", "declare --severity P1 --title 'Payments down'", "",
     "declare --severity P9 --title x"},
    {"list", "list --all", "", "list --bogus"},
    {"show", "show 1", "show", "show INC-99"},
    {"set", "set 1 impact 'EU checkout down'", "impact 'EU checkout down'",
     "set INC-1 colour red"},
    {"log", "log 1 'db failover done'", "log 'db failover done'",
     "log INC-1 --kind gossip x"},
    {"entry edit", "entry edit 2 'rollback started at 06:00'",
     "entry edit 'rollback started at 06:00'", "entry edit E-999 x"},
    {"entry delete", "entry delete 2", "entry delete", "entry delete 999"},
    {"entry restore", "entry restore 3", "", "entry restore 999"},
    {"entry pin", "entry pin 2", "entry pin", "entry pin 999"},
    {"ack", "ack 1", "ack", "ack 1 --at garbage"},
    {"status", "status 1 monitoring", "status monitoring", "status 1 sleeping"},
    {"severity", "severity 1 P1", "severity P1", "severity 1 P9"},
    {"assign", "assign 1 commander erin", "assign commander erin",
     "assign 1 janitor erin"},
    {"unassign", "unassign 1 scribe", "unassign scribe", "unassign 1 janitor"},
    {"action add", "action add 1 'write the postmortem'",
     "action add 'write the postmortem'",
     "action add INC-1 x --horizon forever"},
    {"action edit", "action edit ACT-1 --owner erin",
     "action edit --owner erin", "action edit ACT-99 --owner x"},
    {"action done", "action done ACT-1", "action done", "action done ACT-99"},
    {"action drop", "action drop ACT-1", "action drop", "action drop ACT-99"},
    {"action list", "action list", "", "action list --owner"},
    {"check", "check 1 1", "check 1", "check INC-1 99"},
    {"checklist", "checklist 1", "checklist", "checklist INC-99"},
    {"runbook", "runbook 1 database", "", "runbook 1 nosuch"},
    {"audit", "audit 1", "", "audit 1 --bogus"},
    {"update", "update 1", "update", "update 1 --template nosuch"},
    {"postmortem", "postmortem 1", "postmortem", "postmortem INC-99"},
    {"handoff", "handoff", "", "handoff --since forever"},
    {"handoff", "handoff erin 'the replica lags; watch it' --move-roles", "",
     "handoff erin --peek"},
    {"stats", "stats", "", "stats --since forever"},
    {"alerts", "", "", "alerts"},
    {"silence", "", "", "silence AL-1 forever"},
    {"attach", "attach AL-1 INC-2", "", "attach AL-99 INC-1"},
    {"snapshot", "snapshot 1 --request", "snapshot --request",
     "snapshot INC-99 --request"},
    {"outbox", "outbox", "", "outbox --limit many"},
    {"outbox retry", "", "", "outbox retry MSG-99"},
    {"outbox cancel", "", "", "outbox cancel MSG-99"},
    {"statuspage", "", "", "statuspage --bogus"},
    {"verify", "verify 1", "", "verify INC-99"},
    {"export", "export 1", "export", "export 1 --format pdf"},
    {"who", "who", "", "who --bogus"},
    {"help", "help status", "", "help nosuchverb"},
};

static char *phome, *pdb[2];

/* The same history in both copies, written by the command line. */
static const char *const *const setup_steps[] = {
    ARGS("declare", "--severity", "P2", "--title", "Checkout errors"),
    ARGS("log", "1", "rollback started"),
    ARGS("log", "1", "typo entry"),
    ARGS("entry", "delete", "3"),
    ARGS("action", "add", "1", "add queue alert"),
    ARGS("assign", "1", "scribe", "sam"),
    ARGS("declare", "--severity", "P3", "--title", "Search slow"),
    NULL,
};

static struct run
cli_on(const char *path, const char *stdin_text, const char *const *words)
{
	const char *argv[40] = {"--db", path, "--user", "dora"};
	const char *env[] = {"INCIDENT_TUI_NOW=" NOW, NULL};
	int n = 4;

	while (*words != NULL && n < 39)
		argv[n++] = *words++;
	argv[n] = NULL;
	return run_bin(phome, stdin_text, env, argv);
}

static void
parity_setup(void)
{
	char *alert;
	size_t len;
	FILE *f;
	int i, j;

	phome = tmpdir_make();
	for (i = 0; i < 2; i++) {
		pdb[i] = malloc(strlen(phome) + 16);
		sprintf(pdb[i], "%s/%c.db", phome, "ab"[i]);
	}
	alert = malloc(strlen(src_dir()) + 64);
	sprintf(alert, "%s/tests/fixtures/alertmanager-webhook-firing.json",
	        src_dir());
	f = fopen(alert, "r");
	cr_assert_not_null(f, "%s", alert);
	free(alert);
	alert = malloc(1 << 20);
	len = fread(alert, 1, (1 << 20) - 1, f);
	alert[len] = '\0';
	fclose(f);
	for (i = 0; i < 2; i++) {
		struct run r;

		for (j = 0; setup_steps[j] != NULL; j++) {
			r = cli_on(pdb[i], NULL, setup_steps[j]);
			cr_assert_eq(r.status, 0, "setup %s: %s",
			             setup_steps[j][0], r.err);
			run_free(&r);
		}
		r = cli_on(pdb[i], alert, ARGS("ingest", "alertmanager"));
		cr_assert_eq(r.status, 0, "ingest: %s", r.err);
		run_free(&r);
	}
	free(alert);
}

static void
parity_teardown(void)
{
	tmpdir_remove(phome);
	free(pdb[0]);
	free(pdb[1]);
}

/*
 * Everything stored, as sqlite3 dumps it, but what only one person's
 * dashboard keeps: its presence and its drafts.
 */
static char *
stored(const char *path)
{
	char cmdline[1200], line[65536];
	size_t len = 0, cap = 1 << 16;
	char *all = malloc(cap);
	FILE *p;

	snprintf(cmdline, sizeof cmdline, "sqlite3 -readonly '%s' .dump", path);
	p = popen(cmdline, "r");
	cr_assert_not_null(p);
	all[0] = '\0';
	while (fgets(line, sizeof line, p) != NULL) {
		size_t n = strlen(line);

		if (strncmp(line, "INSERT INTO presence", 20) == 0 ||
		    strncmp(line, "INSERT INTO drafts", 18) == 0)
			continue;
		while (len + n + 1 > cap)
			all = realloc(all, cap *= 2);
		memcpy(all + len, line, n + 1);
		len += n;
	}
	cr_assert_eq(pclose(p), 0, "sqlite3 .dump %s failed", path);
	return all;
}

/* The command line's words for a line, split by the `:` line's rules. */
static struct run
cli_line(const char *path, const char *line)
{
	struct itui_err err;
	char **argv;
	int argc;
	struct run r;

	cr_assert_eq(cmd_split(line, &argv, &argc, &err), ITUI_OK, "%s",
	             err.msg);
	argv = realloc(argv, ((size_t)argc + 1) * sizeof *argv);
	argv[argc] = NULL;
	r = cli_on(path, NULL, (const char *const *)argv);
	if (argc > 0)
		free(argv[0]);
	free(argv);
	return r;
}

struct dash_side {
	struct context ctx;
	struct dash d;
};

static void
dash_side_open(struct dash_side *s, const char *path)
{
	struct globals g = {0};
	struct itui_err err;
	char dir[700];

	snprintf(dir, sizeof dir, "%s/config", phome);
	setenv("XDG_CONFIG_HOME", dir, 1);
	snprintf(dir, sizeof dir, "%s/data", phome);
	setenv("XDG_DATA_HOME", dir, 1);
	setenv("HOME", phome, 1);
	setenv("INCIDENT_TUI_NOW", NOW, 1);
	unsetenv("SSH_CONNECTION");
	g.db = path;
	g.user = "dora";
	cr_assert_eq(context_init(&s->ctx, &g, &err), ITUI_OK, "%s", err.msg);
	cr_assert_eq(dash_open(&s->d, &s->ctx, &err), ITUI_OK, "%s", err.msg);
}

static void
dash_side_close(struct dash_side *s)
{
	dash_close(&s->d);
	context_free(&s->ctx);
}

/* The one line the command line printed on stderr for an error. */
static void
assert_same_error(const char *what, const struct run *r,
                  const struct dash_result *res)
{
	const char *nl = strchr(r->err, '\n');

	cr_assert(res->error, "%s: the dashboard took it: %s", what, res->msg);
	cr_assert_eq(r->status, err_exit_status(res->rc),
	             "%s: command line exit %d, dashboard code %d (%s)", what,
	             r->status, res->rc, res->msg);
	cr_assert(r->status == 1 || r->status == 2, "%s: exit %d", what,
	          r->status);
	cr_assert(nl != NULL && nl[1] == '\0', "%s: not one line: %s", what,
	          r->err);
	cr_assert(
	    strlen(res->msg) > 0 && nl - r->err >= (long)strlen(res->msg) &&
	        strncmp(nl - strlen(res->msg), res->msg, strlen(res->msg)) == 0,
	    "%s: the error texts differ:\n  command line: %s  dashboard:    %s",
	    what, r->err, res->msg);
}

ParameterizedTestParameters(parity, same_verb_both_ways)
{
	return cr_make_param_array(struct parity, rows,
	                           sizeof rows / sizeof rows[0]);
}

ParameterizedTest(struct parity *row, parity, same_verb_both_ways,
                  .init = parity_setup, .fini = parity_teardown, .timeout = 60)
{
	const struct cmd_seen seen = {1, 2, 1};
	struct dash_side s;
	struct dash_result res;
	struct run r;
	char *a, *b;

	dash_side_open(&s, pdb[1]);
	if (row->cli[0] != '\0') {
		const char *dline = row->dash[0] != '\0' ? row->dash : row->cli;

		r = cli_line(pdb[0], row->cli);
		cr_assert_eq(r.status, 0, "%s: command line failed: %s",
		             row->cli, r.err);
		dash_run_line(&s.d, dline, &seen, &res);
		cr_assert_eq(res.rc, ITUI_OK, ":%s failed: %s", dline, res.msg);
		cr_assert_str_eq(
		    res.out != NULL ? res.out : "", r.out,
		    "%s: the output differs:\n%s\n--- dashboard:\n%s",
		    row->verb, r.out, res.out);
		a = stored(pdb[0]);
		b = stored(pdb[1]);
		cr_assert_str_eq(b, a, "%s: the stored results differ",
		                 row->verb);
		free(a);
		free(b);
		run_free(&r);
		dash_result_free(&res);
	}
	/* A bad value: one error, the same words, and nothing changed. */
	a = stored(pdb[0]);
	r = cli_line(pdb[0], row->bad);
	dash_run_line(&s.d, row->bad, &seen, &res);
	assert_same_error(row->bad, &r, &res);
	b = stored(pdb[0]);
	cr_assert_str_eq(b, a, "%s: a refused command changed the store",
	                 row->bad);
	free(b);
	b = stored(pdb[1]);
	cr_assert_str_eq(b, a, "%s: a refused line changed the store",
	                 row->bad);
	free(a);
	free(b);
	run_free(&r);
	dash_result_free(&res);
	dash_side_close(&s);
}

/* A new verb the dashboard can run cannot go without a row above. */
Test(parity, every_dashboard_verb_has_a_row)
{
	const struct cmd_entry *const *e;
	size_t i;

	for (e = cmd_table; *e != NULL; e++) {
		int found = 0;

		if ((*e)->flags & CMD_CLI_ONLY)
			continue;
		for (i = 0; i < sizeof rows / sizeof rows[0]; i++)
			found |= strcmp(rows[i].verb, (*e)->name) == 0;
		cr_assert(found, "verb '%s' has no row in the parity table",
		          (*e)->name);
	}
}

/* A scribe types prose: an apostrophe inside a word is not a quote. */
Test(verbs, a_colon_line_keeps_apostrophes_and_still_quotes)
{
	static const struct {
		const char *line;
		int argc;
		const char *words[5];
	} cases[] = {
	    {"handoff erin it's yours",
	     4,
	     {"handoff", "erin", "it's", "yours"}},
	    {"log 1 'two words' don't", 4, {"log", "1", "two words", "don't"}},
	    {"set 1 --title='a b'", 3, {"set", "1", "--title=a b"}},
	    {"log 1 \"say \\\"hi\\\"\"", 3, {"log", "1", "say \"hi\""}},
	};
	struct itui_err err;
	size_t i;
	int k, argc;
	char **argv;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		cr_assert_eq(cmd_split(cases[i].line, &argv, &argc, &err),
		             ITUI_OK, "%s: %s", cases[i].line, err.msg);
		cr_assert_eq(argc, cases[i].argc, "%s: %d words", cases[i].line,
		             argc);
		for (k = 0; k < argc; k++)
			cr_assert_str_eq(argv[k], cases[i].words[k], "%s",
			                 cases[i].line);
		free(argv[0]);
		free(argv);
	}
	cr_assert_eq(cmd_split("log 1 'open", &argv, &argc, &err), ITUI_USAGE);
	cr_assert(strstr(err.msg, "unmatched") != NULL, "%s", err.msg);
}
