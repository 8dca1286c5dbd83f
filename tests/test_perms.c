/*
 * Sharing one database between Unix users in a group.  Needs root, to act
 * as other (numeric) users through setpriv; CI runs as root.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "harness.h"

#define UID_A 40001
#define UID_B 40002
#define UID_C 40003
#define GROUP 45000

static char *home;

static void
setup(void)
{
	if (geteuid() != 0)
		cr_skip_test(
		    "acting as other users needs root (CI runs as root)");
	home = tmpdir_make();
}

static void
teardown(void)
{
	tmpdir_remove(home);
}

TestSuite(perms, .init = setup, .fini = teardown, .timeout = 60);

static char *
make_dir(const char *name, mode_t mode, gid_t gid)
{
	char *d = malloc(600);

	snprintf(d, 600, "%s/%s", home, name);
	cr_assert_eq(mkdir(d, 0700), 0);
	cr_assert_eq(chown(d, 0, gid), 0);
	cr_assert_eq(chmod(d, mode), 0);
	return d;
}

static struct run
as(uid_t uid, const char *const *args)
{
	return run_bin_as(home, uid, uid, GROUP, 077, args);
}

static void
expect_ok(struct run r, const char *what)
{
	cr_assert_eq(r.status, 0, "%s: exit %d: %s", what, r.status, r.err);
	run_free(&r);
}

static void
two_users_share(const char *dir)
{
	char db[700];
	struct stat sb;

	snprintf(db, sizeof db, "%s/war.db", dir);
	expect_ok(as(UID_A, ARGS("--db", db, "declare", "--severity", "P1",
	                         "--title", "shared")),
	          "A declares");
	cr_assert_eq(stat(db, &sb), 0);
	cr_assert_eq(sb.st_mode & 0777, 0660, "mode %o despite umask 077",
	             sb.st_mode & 0777);
	cr_assert_eq(sb.st_gid, GROUP, "group %u, not the shared group",
	             (unsigned)sb.st_gid);
	expect_ok(as(UID_B, ARGS("--db", db, "log", "1", "from B")), "B logs");
	expect_ok(as(UID_A, ARGS("--db", db, "log", "1", "from A")), "A logs");
	expect_ok(as(UID_B, ARGS("--db", db, "assign", "1", "ic", "b")),
	          "B assigns");
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM entries"), 4);
}

Test(perms, setgid_directory_is_shared_whatever_the_umask)
{
	char *dir = make_dir("setgid", 02770, GROUP);

	two_users_share(dir);
	free(dir);
}

Test(perms, group_directory_without_setgid_still_shares_the_database)
{
	char *dir = make_dir("plain", 0770, GROUP);

	two_users_share(dir);
	free(dir);
}

Test(perms, wal_files_stay_group_writable_while_open)
{
	char *dir = make_dir("live", 02770, GROUP), db[700], script[1200];
	struct stat sb;
	pid_t holder;
	int status;

	snprintf(db, sizeof db, "%s/war.db", dir);
	expect_ok(as(UID_A, ARGS("--db", db, "declare", "--severity", "P1",
	                         "--title", "t")),
	          "A declares");
	/* A keeps a read transaction open, so -wal and -shm stay. */
	snprintf(script, sizeof script,
	         "umask 077; exec sqlite3 '%s' 'BEGIN; SELECT count(*) FROM"
	         " incidents;' '.shell sleep 2'",
	         db);
	holder = fork();
	if (holder == 0) {
		char u[32], g[32], gr[32];

		snprintf(u, sizeof u, "--reuid=%d", UID_A);
		snprintf(g, sizeof g, "--regid=%d", UID_A);
		snprintf(gr, sizeof gr, "--groups=%d", GROUP);
		freopen("/dev/null", "w", stdout);
		execl("/usr/bin/setpriv", "setpriv", u, g, gr, "/bin/sh", "-c",
		      script, (char *)NULL);
		_exit(127);
	}
	usleep(500000);
	snprintf(script, sizeof script, "%s-shm", db);
	cr_assert_eq(stat(script, &sb), 0, "no -shm while A holds the file");
	cr_assert_eq(sb.st_mode & 0660, 0660);
	cr_assert_eq(sb.st_gid, GROUP);
	expect_ok(as(UID_B, ARGS("--db", db, "log", "1", "while A reads")),
	          "B writes beside A");
	waitpid(holder, &status, 0);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM entries"), 2);
	free(dir);
}

Test(perms, read_only_user_reads_but_cannot_write)
{
	char *dir = make_dir("ro", 0755, 0), db[700];
	struct run r;

	snprintf(db, sizeof db, "%s/war.db", dir);
	r = run_bin(home, NULL, NULL,
	            ARGS("--db", db, "declare", "--severity", "P1", "--title",
	                 "visible to all"));
	expect_ok(r, "root declares");
	cr_assert_eq(chmod(db, 0644), 0);
	r = run_bin_as(home, UID_C, UID_C, (gid_t)-1, 022,
	               ARGS("--db", db, "list"));
	cr_assert_eq(r.status, 0, "list: %s", r.err);
	cr_assert_not_null(strstr(r.out, "visible to all"));
	run_free(&r);
	r = run_bin_as(home, UID_C, UID_C, (gid_t)-1, 022,
	               ARGS("--db", db, "log", "1", "sneaky"));
	cr_assert_eq(r.status, 1, "log: exit %d: %s", r.status, r.err);
	cr_assert_not_null(strstr(r.err, "read-only for you"), "%s", r.err);
	cr_assert_eq(strchr(r.err, '\n') - r.err + 1, (long)strlen(r.err),
	             "one line");
	run_free(&r);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM entries"), 1);
	free(dir);
}

Test(perms, unwritable_directory_is_an_operational_error)
{
	char *dir = make_dir("closed", 0755, 0), db[700];
	struct run r;

	snprintf(db, sizeof db, "%s/new.db", dir);
	r = as(UID_A,
	       ARGS("--db", db, "declare", "--severity", "P1", "--title", "t"));
	cr_assert_eq(r.status, 1, "exit %d: %s", r.status, r.err);
	cr_assert_not_null(strstr(r.err, "cannot create"), "%s", r.err);
	cr_assert_not_null(strstr(r.err, "Permission denied"), "%s", r.err);
	cr_assert_eq(strchr(r.err, '\n') - r.err + 1, (long)strlen(r.err));
	run_free(&r);
	cr_assert_neq(access(db, F_OK), 0, "nothing was created");
	free(dir);
}

Test(perms, shared_database_without_setgid_gets_advice)
{
	char *dir = make_dir("advice", 0770, GROUP), db[700];
	struct run r;

	snprintf(db, sizeof db, "%s/war.db", dir);
	r = as(UID_A,
	       ARGS("--db", db, "declare", "--severity", "P1", "--title", "t"));
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert_str_eq(r.out, "INC-1\n");
	cr_assert_not_null(strstr(r.err, "chmod g+s"), "%s", r.err);
	run_free(&r);
	free(dir);
}
