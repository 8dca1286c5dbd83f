/*
 * Golden files for every status-update template and the postmortem, from a
 * fixed incident built by the test with a pinned clock: it spans days, has
 * unassigned roles, backdated and edited entries and Unicode text.
 * ITUI_UPDATE_GOLDEN=1 rewrites tests/golden/ (then review the diff).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "harness.h"
#include "itui/store.h"

#define NOW      "2026-11-24T12:00:00Z"
#define NOW_SECS 1795521600LL

static char *home, db[600];

static char *render(const char *const *args);

static void
cli(const char *const *args)
{
	free(render(args));
}

static int64_t
fixed_now(void)
{
	return NOW_SECS;
}

/* The incident every golden file is rendered from. */
static void
build(void)
{
	struct store *st;
	struct itui_err err;

	home = tmpdir_make();
	snprintf(db, sizeof db, "%s/g.db", home);
	cli(ARGS("declare", "--severity", "P1", "--title",
	         "Käse-Shop checkout failing ✓", "--service", "checkout",
	         "--impact",
	         "EU customers cannot pay; 日本 storefront degraded", "--at",
	         "2026-11-22T22:30:00Z", "--commander", "alice"));
	cli(ARGS("ack", "1", "--at", "2026-11-22T22:41:00Z"));
	cli(ARGS("log", "1", "--at", "2026-11-22T22:45:00Z",
	         "5xx on POST /orders"));
	cli(ARGS("log", "1", "--kind", "comms", "--at", "2026-11-22T23:00:00Z",
	         "Status page: investigating"));
	cli(ARGS("status", "1", "identified", "--at", "2026-11-22T23:20:00Z"));
	cli(ARGS("log", "1", "--kind", "decision", "--at",
	         "2026-11-22T23:25:00Z", "Roll back inventory-svc"));
	cli(ARGS("severity", "1", "P0", "--at", "2026-11-23T00:10:00Z"));
	cli(ARGS("log", "1", "--kind", "action", "--at", "2026-11-23T00:30:00Z",
	         "Rollback at 100% | canary green"));
	cli(ARGS("status", "1", "monitoring", "--at", "2026-11-23T01:15:00Z"));
	cli(ARGS("action", "1", "add", "Add a circuit breaker", "--owner",
	         "bob", "--due", "2026-11-23"));
	cli(ARGS("action", "1", "add", "Write the runbook", "--horizon",
	         "long-term"));
	cli(ARGS("log", "1", "--kind", "escalation", "--at",
	         "2026-11-23T01:20:00Z", "Paged the VP"));
	/* An entry edited later, and a pinned one, through the store. */
	cr_assert_eq(store_open(db, 0, &st, &err), ITUI_OK);
	store_set_clock(st, fixed_now);
	store_set_actor(st, "carol", "local");
	cr_assert_eq(
	    store_entry_edit(st,
	                     sql_int(db, "SELECT id FROM entries WHERE text ="
	                                 " '5xx on POST /orders'"),
	                     KIND_NOTE, TIME_NONE,
	                     "5xx on POST /orders (30% of requests)", &err),
	    ITUI_OK, "%s", err.msg);
	cr_assert_eq(store_entry_set_pinned(
	                 st,
	                 sql_int(db, "SELECT id FROM entries WHERE kind ="
	                             " 'decision'"),
	                 1, &err),
	             ITUI_OK);
	store_close(st);
}

static char *
render(const char *const *args)
{
	const char *argv[32] = {"--db", db};
	const char *env[] = {"INCIDENT_TUI_NOW=" NOW, "INCIDENT_TUI_USER=alice",
	                     NULL};
	int n = 2;
	struct run r;

	while (*args != NULL)
		argv[n++] = *args++;
	argv[n] = NULL;
	r = run_bin(home, NULL, env, argv);
	cr_assert_eq(r.status, 0, "%s", r.err);
	free(r.err);
	return r.out;
}

static void
compare(const char *name, const char *got)
{
	char path[1024];
	FILE *f;
	char *want = calloc(1, 1 << 16);

	snprintf(path, sizeof path, "%s/tests/golden/%s", src_dir(), name);
	if (getenv("ITUI_UPDATE_GOLDEN") != NULL) {
		f = fopen(path, "w");
		fputs(got, f);
		fclose(f);
	}
	f = fopen(path, "r");
	cr_assert_not_null(f, "no golden file %s", path);
	(void)!fread(want, 1, (1 << 16) - 1, f);
	fclose(f);
	cr_assert_str_eq(got, want, "%s differs from the golden file", name);
	free(want);
}

/* Inline arrays: Criterion re-executes the binary, so no pointers. */
struct golden {
	char template[16];
};

ParameterizedTestParameters(golden, templates)
{
	static struct golden g[] = {{"initial"},    {"update"},
	                            {"resolution"}, {"statuspage"},
	                            {"executive"},  {"tactical"}};

	return cr_make_param_array(struct golden, g, sizeof g / sizeof g[0]);
}

ParameterizedTest(struct golden *g, golden, templates, .timeout = 30)
{
	char name[64], *out;

	build();
	out = render(ARGS("update", "1", "--template", g->template));
	snprintf(name, sizeof name, "%s.txt", g->template);
	compare(name, out);
	free(out);
	tmpdir_remove(home);
}

Test(golden, postmortem, .timeout = 30)
{
	char *out, path[700];
	FILE *f;
	char buf[65536] = "";

	build();
	cli(ARGS("status", "1", "resolved", "--at", "2026-11-23T02:05:00Z"));
	out = render(ARGS("postmortem", "1"));
	compare("postmortem.md", out);
	snprintf(path, sizeof path, "%s/pm.md", home);
	free(render(ARGS("postmortem", "1", "-o", path)));
	f = fopen(path, "r");
	cr_assert_not_null(f);
	(void)!fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	cr_assert_str_eq(buf, out, "-o writes the same draft");
	free(out);
	tmpdir_remove(home);
}

/*
 * A resolved P0 that ran its playbook with a late tick, skips with
 * reasons, a late phase and a step ticked after resolution.  By hand, from
 * share/incident-tui/playbooks/p0.ini: Initial response is due 22:45 and
 * ends 22:52 (late, 22m after the declaration); Investigation starts 22:52,
 * is due 23:00 and ends 23:10 (late, took 18m); Mitigation is due 23:30 and
 * ends 23:25 (in time); Resolution stays open (steps 17 and 19).
 */
Test(golden, postmortem_process, .timeout = 30)
{
	char *out;

	home = tmpdir_make();
	snprintf(db, sizeof db, "%s/g.db", home);
	cli(ARGS("declare", "--severity", "P0", "--title",
	         "Checkout database down", "--service", "checkout", "--at",
	         "2026-11-22T22:30:00Z"));
	cli(ARGS("ack", "1", "--at", "2026-11-22T22:34:00Z"));
	cli(ARGS("assign", "1", "ic", "alice", "--at", "2026-11-22T22:36:00Z"));
	cli(ARGS("check", "1", "4", "--at", "2026-11-22T22:38:00Z"));
	cli(ARGS("log", "1", "--kind", "comms", "--at", "2026-11-22T22:50:00Z",
	         "Status page: investigating"));
	cli(ARGS("check", "1", "6", "--skip", "CEO already on the bridge | ok",
	         "--at", "2026-11-22T22:52:00Z"));
	cli(ARGS("assign", "1", "tl", "bob", "--at", "2026-11-22T22:55:00Z"));
	cli(ARGS("assign", "1", "scribe", "carol", "--at",
	         "2026-11-22T22:56:00Z"));
	cli(ARGS("check", "1", "9", "--at", "2026-11-22T23:05:00Z"));
	cli(ARGS("check", "1", "10", "--skip", "no deploys in a week", "--at",
	         "2026-11-22T23:06:00Z"));
	cli(ARGS("status", "1", "identified", "--at", "2026-11-22T23:10:00Z"));
	cli(ARGS("status", "1", "mitigating", "--at", "2026-11-22T23:20:00Z"));
	cli(ARGS("check", "1", "14", "--skip", "internal users only", "--at",
	         "2026-11-22T23:25:00Z"));
	cli(ARGS("status", "1", "monitoring", "--at", "2026-11-22T23:40:00Z"));
	cli(ARGS("status", "1", "resolved", "--at", "2026-11-22T23:50:00Z"));
	cli(ARGS("action", "1", "add", "Hold the postmortem", "--owner",
	         "alice"));
	out = render(ARGS("postmortem", "1"));
	compare("postmortem-process.md", out);
	free(out);
	tmpdir_remove(home);
}

Test(golden, mark_sent_logs_comms_and_restarts_the_update_clock, .timeout = 30)
{
	char *out;

	build();
	out = render(ARGS("update", "1", "--mark-sent"));
	cr_assert_not_null(strstr(out, "- Comms lead: unassigned"), "%s", out);
	free(out);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM entries WHERE kind ="
	                         " 'comms' AND json_extract(data, '$.template')"
	                         " = 'update'"),
	             1);
	out = render(ARGS("show", "1", "--json"));
	cr_assert_not_null(
	    strstr(out, "\"name\": \"update\",\n      \"state\": \"ok\""), "%s",
	    out);
	free(out);
	tmpdir_remove(home);
}

Test(golden, template_errors_name_file_and_line, .timeout = 30)
{
	char dir[700], path[800];
	const char *env[] = {"INCIDENT_TUI_NOW=" NOW, NULL};
	struct run r;
	FILE *f;

	build();
	/* A user's template overrides the shipped one. */
	snprintf(dir, sizeof dir, "%s/config", home);
	mkdir(dir, 0755);
	strcat(dir, "/incident-tui");
	mkdir(dir, 0755);
	strcat(dir, "/templates");
	mkdir(dir, 0755);
	snprintf(path, sizeof path, "%s/update.tmpl", dir);
	f = fopen(path, "w");
	fputs("Custom {{ref}}\nline two {{no_such_thing}}\n", f);
	fclose(f);
	r = run_bin(home, NULL, env, ARGS("--db", db, "update", "1"));
	cr_assert_eq(r.status, 2);
	cr_assert_not_null(strstr(r.err, "update.tmpl:2: unknown placeholder"
	                                 " 'no_such_thing'"),
	                   "%s", r.err);
	cr_assert_str_eq(r.out, "");
	run_free(&r);
	f = fopen(path, "w");
	fputs("Custom {{ref}}\n{{ title\n", f);
	fclose(f);
	r = run_bin(home, NULL, env, ARGS("--db", db, "update", "1"));
	cr_assert_eq(r.status, 2);
	cr_assert_not_null(strstr(r.err, "update.tmpl:2: unterminated"), "%s",
	                   r.err);
	run_free(&r);
	f = fopen(path, "w");
	fputs("Custom {{ref}} \\{{literal}}\n", f);
	fclose(f);
	r = run_bin(home, NULL, env, ARGS("--db", db, "update", "1"));
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(r.out, "Custom INC-1 {{literal}}\n");
	run_free(&r);
	r = run_bin(home, NULL, env,
	            ARGS("--db", db, "update", "1", "--template", "nonesuch"));
	cr_assert_eq(r.status, 2);
	cr_assert_not_null(strstr(r.err, "no template 'nonesuch'"), "%s",
	                   r.err);
	run_free(&r);
	tmpdir_remove(home);
}
