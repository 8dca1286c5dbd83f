/*
 * What --db names, attacked: a character device (the test's own mknod in
 * its temp dir) is refused and leaves no -journal; a symlinked database is
 * watched where SQLite keeps its -wal (the target's directory); in a
 * world-writable directory a file or symlink planted by another user is
 * refused, not adopted; and the database keeps the policy it was first
 * written with, refusing another one with one line.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "harness.h"
#include "itui/store.h"
#include "itui/watch.h"

static char *home;

static void
setup(void)
{
	home = tmpdir_make();
}

static void
teardown(void)
{
	tmpdir_remove(home);
}

TestSuite(dbpath, .init = setup, .fini = teardown, .timeout = 60);

static const char *
at(const char *name)
{
	return path_in(home, name);
}

/* Runs with --db path; insists on `status` and, when failing, one line. */
static void
expect(const char *db, int status, const char *want, const char *const *args)
{
	const char *argv[32] = {"--db", db};
	struct run r;
	int n = 2;

	while (*args != NULL)
		argv[n++] = *args++;
	argv[n] = NULL;
	r = run_bin(home, NULL, NULL, argv);
	cr_assert_eq(r.status, status, "%s: exit %d: %s", argv[2], r.status,
	             r.err);
	if (want != NULL) {
		cr_assert_not_null(strstr(r.err, want), "'%s' lacks '%s'",
		                   r.err, want);
		cr_assert_eq(strchr(r.err, '\n'), r.err + strlen(r.err) - 1,
		             "one line: %s", r.err);
	}
	run_free(&r);
}

Test(dbpath, a_character_device_is_refused_and_leaves_no_journal)
{
	struct stat sb;

	cr_assert_eq(mknod(at("null"), S_IFCHR | 0666, makedev(1, 3)), 0,
	             "mknod (the tests run as root)");
	expect(at("null"), 2, "not a regular file",
	       ARGS("declare", "--severity", "P1", "--title", "t"));
	expect(at("null"), 2, "not a regular file", ARGS("list"));
	cr_assert_eq(access(at("null-journal"), F_OK), -1, "no -journal");
	cr_assert_eq(access(at("null-wal"), F_OK), -1, "no -wal");
	cr_assert_eq(lstat(at("null"), &sb), 0);
	cr_assert(S_ISCHR(sb.st_mode));
}

Test(dbpath, a_symlinked_database_is_watched_beside_its_target)
{
	struct watch w;
	int fd;

	cr_assert_eq(mkdir(at("real"), 0700), 0);
	expect(at("real/a.db"), 0, NULL,
	       ARGS("declare", "--severity", "P1", "--title", "t"));
	cr_assert_eq(symlink("real/a.db", at("link.db")), 0);
	watch_open(&w, at("link.db"));
	cr_assert_geq(w.fd, 0);
	(void)watch_drain(&w);
	/* What SQLite does on a commit through the link: the target's -wal. */
	fd = open(at("real/a.db-wal"), O_WRONLY | O_CREAT | O_APPEND, 0600);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, "x", 1), 1);
	close(fd);
	cr_assert(watch_drain(&w) & STORE_WATCH_LATE, "the write is seen");
	/* And a commit's announcement: the target's DB.wake touched. */
	fd = open(at("real/a.db.wake"), O_WRONLY);
	cr_assert_geq(fd, 0, "made beside the target");
	cr_assert_eq(futimens(fd, NULL), 0);
	close(fd);
	cr_assert_eq(watch_drain(&w), STORE_WATCH_COMMIT,
	             "the commit is seen at once");
	watch_close(&w);
	/* And through the real program: a write via the link lands there. */
	expect(at("link.db"), 0, NULL, ARGS("ack", "1"));
	cr_assert_eq(sql_int(at("real/a.db"), "SELECT count(*) FROM incidents"
	                                      " WHERE acknowledged_at IS NOT"
	                                      " NULL"),
	             1);
}

Test(dbpath, a_file_planted_by_another_user_in_a_world_writable_dir_is_refused)
{
	struct stat sb;

	cr_assert_eq(mkdir(at("tmp"), 0777), 0);
	cr_assert_eq(chmod(at("tmp"), 01777), 0);
	/* Planted: an empty file, and a symlink to a file of ours. */
	close(open(at("tmp/x.db"), O_WRONLY | O_CREAT, 0666));
	cr_assert_eq(chown(at("tmp/x.db"), 65534, 65534), 0);
	expect(at("tmp/x.db"), 2, "belongs to uid 65534",
	       ARGS("declare", "--severity", "P1", "--title", "t"));
	cr_assert_eq(stat(at("tmp/x.db"), &sb), 0);
	cr_assert_eq(sb.st_size, 0, "not adopted");
	close(open(at("mine.db"), O_WRONLY | O_CREAT, 0600));
	cr_assert_eq(symlink(at("mine.db"), at("tmp/y.db")), 0);
	cr_assert_eq(lchown(at("tmp/y.db"), 65534, 65534), 0);
	expect(at("tmp/y.db"), 2, "belongs to uid 65534", ARGS("list"));
	/* A planted -wal beside our own database is refused too. */
	expect(at("tmp/z.db"), 0, NULL,
	       ARGS("declare", "--severity", "P1", "--title", "t"));
	unlink(at("tmp/z.db-wal"));
	close(open(at("tmp/z.db-wal"), O_WRONLY | O_CREAT, 0666));
	cr_assert_eq(chown(at("tmp/z.db-wal"), 65534, 65534), 0);
	expect(at("tmp/z.db"), 2, "z.db-wal in the world-writable",
	       ARGS("list"));
	/* And a planted writers' queue, whose locks would hold us back. */
	unlink(at("tmp/z.db-wal"));
	unlink(at("tmp/z.db.write.lock"));
	close(open(at("tmp/z.db.write.lock"), O_WRONLY | O_CREAT, 0666));
	cr_assert_eq(chown(at("tmp/z.db.write.lock"), 65534, 65534), 0);
	expect(at("tmp/z.db"), 2, "z.db.write.lock in the world-writable",
	       ARGS("list"));
	/* Our own file there is ours to use. */
	expect(at("tmp/w.db"), 0, NULL,
	       ARGS("declare", "--severity", "P1", "--title", "t"));
	expect(at("tmp/w.db"), 0, NULL, ARGS("list"));
}

Test(dbpath, the_database_keeps_its_policy_and_refuses_another)
{
	const char *db = at("p.db");
	char *kept;

	expect(db, 0, NULL,
	       ARGS("declare", "--severity", "P1", "--title", "t"));
	kept = sql1(db, "SELECT value FROM meta WHERE key = 'policy'");
	cr_assert_str_eq(kept, "default: P0, P1, P2, P3");
	free(kept);
	expect(db, 2, "uses the policy default (P0, P1, P2, P3), not sev",
	       ARGS("--policy", "sev", "list"));
	expect(db, 2, "run with --policy default",
	       ARGS("--policy", "sev", "severity", "1", "SEV1"));
	/* With its own policy, a level of the other scheme is unknown. */
	expect(db, 2, "unknown severity 'SEV1'", ARGS("severity", "1", "SEV1"));
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM incidents WHERE"
	                         " severity = 'P1'"),
	             1);
	/* A database begun under sev keeps sev. */
	expect(at("s.db"), 0, NULL,
	       ARGS("--policy", "sev", "declare", "--severity", "SEV2",
	            "--title", "t"));
	expect(at("s.db"), 2, "uses the policy sev", ARGS("list"));
	expect(at("s.db"), 0, NULL, ARGS("--policy", "sev", "list"));
}
