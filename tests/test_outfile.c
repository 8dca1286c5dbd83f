/*
 * -o FILE replaces nothing: a 0600 file keeps its mode, owner and inode, a
 * symlink keeps pointing where it did and its target gets the text, a full
 * character device (made by the test in its own directory with mknod, never
 * the system's /dev) fails with exit 1 and stays a device; and a committed
 * declaration whose id cannot be printed is still a success.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "harness.h"
#include "itui/outfile.h"

static char *home, db[600];

static void
setup(void)
{
	home = tmpdir_make();
	snprintf(db, sizeof db, "%s/o.db", home);
}

static void
teardown(void)
{
	tmpdir_remove(home);
}

TestSuite(outfile, .init = setup, .fini = teardown, .timeout = 60);

static struct run
itui(const char *const *args)
{
	return run_db(home, db, args);
}

static void
ok(const char *const *args)
{
	struct run r = itui(args);

	cr_assert_eq(r.status, 0, "%s: %s", args[0], r.err);
	run_free(&r);
}

static const char *
path_of(const char *name)
{
	return path_in(home, name);
}

static void
put(const char *name, const char *text, mode_t mode)
{
	FILE *f = fopen(path_of(name), "w");

	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
	chmod(path_of(name), mode);
}

static char *
slurp(const char *name)
{
	static char buf[65536];
	FILE *f = fopen(path_of(name), "r");
	size_t n = 0;

	if (f != NULL) {
		n = fread(buf, 1, sizeof buf - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
	return buf;
}

/* How many names the test directory holds. */
static int
entries(void)
{
	char cmd[800], out[64] = "";
	FILE *p;

	snprintf(cmd, sizeof cmd, "ls -A '%s' | wc -l", home);
	p = popen(cmd, "r");
	cr_assert_not_null(p);
	(void)!fgets(out, sizeof out, p);
	pclose(p);
	return atoi(out);
}

/* A full device of our own: /dev/full's numbers, in the test directory. */
static void
make_full(const char *name)
{
	cr_assert_eq(mknod(path_of(name), S_IFCHR | 0666, makedev(1, 7)), 0,
	             "mknod (the tests run as root)");
}

Test(outfile, postmortem_onto_a_0600_file_keeps_mode_owner_and_inode)
{
	struct stat before, after;

	ok(ARGS("declare", "--severity", "P1", "--title", "Outfile"));
	put("pm.md", "old text that is longer than nothing\n", 0600);
	cr_assert_eq(chown(path_of("pm.md"), 65534, 65534), 0);
	cr_assert_eq(stat(path_of("pm.md"), &before), 0);
	ok(ARGS("postmortem", "1", "-o", path_of("pm.md")));
	cr_assert_eq(stat(path_of("pm.md"), &after), 0);
	cr_assert_eq(after.st_mode & 07777, 0600, "mode %o",
	             after.st_mode & 07777);
	cr_assert_eq(after.st_uid, 65534);
	cr_assert_eq(after.st_gid, 65534);
	cr_assert_eq(after.st_ino, before.st_ino, "written in place");
	cr_assert_not_null(strstr(slurp("pm.md"), "# Postmortem: INC-1"));
	cr_assert_null(strstr(slurp("pm.md"), "old text"));
}

Test(outfile, postmortem_onto_a_symlink_writes_its_target)
{
	struct stat sb;
	char link[700];
	ssize_t n;

	ok(ARGS("declare", "--severity", "P1", "--title", "Linked"));
	put("real.md", "old\n", 0640);
	cr_assert_eq(symlink("real.md", path_of("link.md")), 0);
	ok(ARGS("postmortem", "1", "-o", path_of("link.md")));
	cr_assert_eq(lstat(path_of("link.md"), &sb), 0);
	cr_assert(S_ISLNK(sb.st_mode), "the symlink is still a symlink");
	n = readlink(path_of("link.md"), link, sizeof link - 1);
	cr_assert_eq(n, 7);
	link[n] = '\0';
	cr_assert_str_eq(link, "real.md");
	cr_assert_not_null(strstr(slurp("real.md"), "Linked"));
	cr_assert_eq(stat(path_of("real.md"), &sb), 0);
	cr_assert_eq(sb.st_mode & 07777, 0640);
}

Test(outfile, postmortem_and_export_onto_a_full_device_fail_and_replace_nothing)
{
	const char *const verbs[2][6] = {
	    {"postmortem", "1", "-o", NULL, NULL},
	    {"export", "1", "--format", "md", "-o", NULL}};
	struct stat sb;
	struct run r;
	int names, i;

	ok(ARGS("declare", "--severity", "P1", "--title", "Full"));
	make_full("full");
	names = entries();
	for (i = 0; i < 2; i++) {
		const char *argv[8];
		int k;

		for (k = 0; verbs[i][k] != NULL; k++)
			argv[k] = verbs[i][k];
		argv[k++] = path_of("full");
		argv[k] = NULL;
		r = itui(argv);
		cr_assert_eq(r.status, 1, "%s: exit %d: %s", argv[0], r.status,
		             r.err);
		cr_assert_not_null(strstr(r.err, "No space left on device"),
		                   "%s", r.err);
		cr_assert_eq(strchr(r.err, '\n'), r.err + strlen(r.err) - 1,
		             "one line: %s", r.err);
		run_free(&r);
		cr_assert_eq(lstat(path_of("full"), &sb), 0);
		cr_assert(S_ISCHR(sb.st_mode), "still a device");
		cr_assert_eq(sb.st_rdev, makedev(1, 7));
		cr_assert_eq(entries(), names, "no file left beside it");
	}
}

Test(outfile, a_directory_or_a_dangling_symlink_is_refused)
{
	struct stat sb;
	struct run r;

	ok(ARGS("declare", "--severity", "P1", "--title", "Dir"));
	cr_assert_eq(mkdir(path_of("d"), 0755), 0);
	r = itui(ARGS("postmortem", "1", "-o", path_of("d")));
	cr_assert_eq(r.status, 2, "%s", r.err);
	cr_assert_not_null(strstr(r.err, "not a regular file"), "%s", r.err);
	run_free(&r);
	cr_assert_eq(stat(path_of("d"), &sb), 0);
	cr_assert(S_ISDIR(sb.st_mode));
	cr_assert_eq(symlink("nowhere", path_of("dangling")), 0);
	r = itui(ARGS("export", "1", "-o", path_of("dangling")));
	cr_assert_eq(r.status, 2, "%s", r.err);
	run_free(&r);
	cr_assert_eq(lstat(path_of("dangling"), &sb), 0);
	cr_assert(S_ISLNK(sb.st_mode));
	cr_assert_eq(access(path_of("nowhere"), F_OK), -1, "nothing created");
}

Test(outfile, a_new_file_is_created_whole)
{
	ok(ARGS("declare", "--severity", "P1", "--title", "New"));
	ok(ARGS("export", "1", "-o", path_of("new.json")));
	cr_assert_not_null(strstr(slurp("new.json"), "\"New\""), "%s",
	                   slurp("new.json"));
}

Test(outfile, the_module_fails_on_a_full_device_and_keeps_a_file_whole)
{
	struct itui_err err = {ITUI_OK, ""};

	make_full("full");
	cr_assert_eq(outfile_write(path_of("full"), "abc", 3, &err), ITUI_IO);
	cr_assert_not_null(strstr(err.msg, "No space"), "%s", err.msg);
	put("f", "0123456789", 0600);
	cr_assert_eq(outfile_write(path_of("f"), "ab", 2, &err), ITUI_OK);
	cr_assert_str_eq(slurp("f"), "ab", "shortened to what was written");
}

/* Runs a shell line with the binary as $B in the test directory. */
static int
sh(const char *line, char *err, size_t size)
{
	char cmd[2048], errp[700];
	FILE *f;
	int st;
	size_t n = 0;

	snprintf(errp, sizeof errp, "%s/sh.err", home);
	snprintf(cmd, sizeof cmd,
	         "cd '%s' && HOME='%s' XDG_CONFIG_HOME='%s' B='%s' DB='%s' "
	         "sh -c '%s' 2>'%s'",
	         home, home, home, bin_path(), db, line, errp);
	st = system(cmd);
	f = fopen(errp, "r");
	if (f != NULL) {
		n = fread(err, 1, size - 1, f);
		fclose(f);
	}
	err[n] = '\0';
	unlink(errp);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

Test(outfile, a_committed_declaration_whose_id_cannot_be_printed_exits_0)
{
	char err[2048];
	struct run r;

	make_full("full");
	cr_assert_eq(sh("\"$B\" --db \"$DB\" declare --severity P1 --title "
	                "Committed >full",
	                err, sizeof err),
	             0, "%s", err);
	cr_assert_not_null(strstr(err, "warning: declared INC-1 (committed)"),
	                   "%s", err);
	cr_assert_not_null(strstr(err, "No space left on device"), "%s", err);
	cr_assert_eq(sh("\"$B\" --db \"$DB\" action add 1 Fix it >full", err,
	                sizeof err),
	             0, "%s", err);
	cr_assert_not_null(strstr(err, "ACT-1"), "%s", err);
	/* Exactly one of each: a script has no reason to retry. */
	r = itui(ARGS("list", "--json"));
	cr_assert_not_null(strstr(r.out, "Committed"));
	run_free(&r);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM incidents"), 1);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM action_items"), 1);
	/* A read has nothing committed to protect: exit 1. */
	cr_assert_eq(sh("\"$B\" --db \"$DB\" list >full", err, sizeof err), 1,
	             "%s", err);
}
