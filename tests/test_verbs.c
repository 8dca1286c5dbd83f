/* Issue 9 verbs (`set`), run as a real process against a real database file.
 * Partial: the CLI side of the acceptance list; the dashboard `:` line
 * comparison is not written yet. */
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
