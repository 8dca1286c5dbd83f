/* harness.c - process runner and temp directories for the tests. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "harness.h"

long
ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

const char *
bin_path(void)
{
	const char *b = getenv("ITUI_BIN");

	cr_assert_not_null(b,
	                   "ITUI_BIN must name the binary (run via make test)");
	return b;
}

const char *
src_dir(void)
{
	const char *s = getenv("ITUI_SRCDIR");

	cr_assert_not_null(s, "ITUI_SRCDIR must name the source tree");
	return s;
}

char *
tmpdir_make(void)
{
	char *d = strdup("/tmp/itui-test-XXXXXX");

	cr_assert_not_null(mkdtemp(d), "mkdtemp: %s", strerror(errno));
	chmod(d, 0755);
	return d;
}

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void
tmpdir_remove(char *dir)
{
	if (dir != NULL)
		nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(dir);
}

const char *
path_in(const char *dir, const char *name)
{
	static char p[8][4096];
	static int k;

	k = (k + 1) % 8;
	snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
	return p[k];
}

static const char *tf_needle;
static const char *const *tf_skip;
static char tf_found[4096];

static int
find_one(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	const char *base = path + ftw->base;
	size_t nl = strlen(tf_needle);
	char *buf;
	FILE *f;
	size_t n;
	int hit;

	if (type != FTW_F || !S_ISREG(sb->st_mode))
		return 0;
	for (const char *const *s = tf_skip; s != NULL && *s != NULL; s++)
		if (strcmp(base, *s) == 0)
			return 0;
	if ((f = fopen(path, "rb")) == NULL)
		return 0;
	buf = malloc((size_t)sb->st_size + 1);
	n = fread(buf, 1, (size_t)sb->st_size, f);
	fclose(f);
	hit = nl > 0 && memmem(buf, n, tf_needle, nl) != NULL;
	free(buf);
	if (hit)
		snprintf(tf_found, sizeof tf_found, "%s", path);
	return hit;
}

const char *
tree_find(const char *dir, const char *needle, const char *const *skip)
{
	tf_needle = needle;
	tf_skip = skip;
	return nftw(dir, find_one, 16, FTW_PHYS) == 1 ? tf_found : NULL;
}

static void
append(char **buf, size_t *len, const char *data, size_t n)
{
	*buf = realloc(*buf, *len + n + 1);
	memcpy(*buf + *len, data, n);
	*len += n;
	(*buf)[*len] = '\0';
}

static struct run
spawn(const char *const *argv, const char *stdin_text, const char *home,
      const char *const *env)
{
	int in[2], out[2], errp[2], status = 0;
	struct run r = {0, NULL, NULL};
	size_t olen = 0, elen = 0;
	pid_t pid;

	cr_assert(pipe(in) == 0 && pipe(out) == 0 && pipe(errp) == 0);
	pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		char *cfg, *data;

		dup2(in[0], 0);
		dup2(out[1], 1);
		dup2(errp[1], 2);
		close(in[1]);
		close(out[0]);
		close(errp[0]);
		if (home != NULL) {
			cfg = malloc(strlen(home) + 16);
			data = malloc(strlen(home) + 16);
			sprintf(cfg, "%s/config", home);
			sprintf(data, "%s/data", home);
			setenv("HOME", home, 1);
			setenv("XDG_CONFIG_HOME", cfg, 1);
			setenv("XDG_DATA_HOME", data, 1);
		}
		unsetenv("INCIDENT_TUI_DB");
		unsetenv("INCIDENT_TUI_USER");
		unsetenv("SSH_CONNECTION");
		unsetenv("INCIDENT_TUI_NOW");
		for (; env != NULL && *env != NULL; env++)
			putenv((char *)*env);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	close(errp[1]);
	if (stdin_text != NULL)
		(void)!write(in[1], stdin_text, strlen(stdin_text));
	close(in[1]);
	r.out = strdup("");
	r.err = strdup("");
	/* poll() skips negative fds, so a closed end is just set to -1. */
	while (out[0] >= 0 || errp[0] >= 0) {
		struct pollfd p[2] = {{out[0], POLLIN, 0},
		                      {errp[0], POLLIN, 0}};
		char buf[8192];
		int i;

		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (i = 0; i < 2; i++) {
			int *fd = i == 0 ? &out[0] : &errp[0];
			ssize_t n;

			if (*fd < 0 ||
			    !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			n = read(*fd, buf, sizeof buf);
			if (n <= 0) {
				close(*fd);
				*fd = -1;
			} else if (i == 0) {
				append(&r.out, &olen, buf, (size_t)n);
			} else {
				append(&r.err, &elen, buf, (size_t)n);
			}
		}
	}
	waitpid(pid, &status, 0);
	r.status =
	    WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	return r;
}

struct run
run_bin(const char *home, const char *stdin_text, const char *const *env,
        const char *const *args)
{
	const char *argv[64];
	int n = 0;

	argv[n++] = bin_path();
	while (*args != NULL && n < 63)
		argv[n++] = *args++;
	argv[n] = NULL;
	return spawn(argv, stdin_text, home, env);
}

struct run
run_bin_as(const char *home, uid_t uid, gid_t gid, gid_t group,
           unsigned umask_bits, const char *const *args)
{
	char ubuf[32], gbuf[32], grbuf[32], script[64];
	const char *argv[80];
	int n = 0;

	snprintf(ubuf, sizeof ubuf, "--reuid=%u", (unsigned)uid);
	snprintf(gbuf, sizeof gbuf, "--regid=%u", (unsigned)gid);
	snprintf(grbuf, sizeof grbuf, "--groups=%u", (unsigned)group);
	snprintf(script, sizeof script, "umask %03o; exec \"$0\" \"$@\"",
	         umask_bits);
	argv[n++] = "/usr/bin/setpriv";
	argv[n++] = ubuf;
	argv[n++] = gbuf;
	argv[n++] = group == (gid_t)-1 ? "--clear-groups" : grbuf;
	argv[n++] = "/bin/sh";
	argv[n++] = "-c";
	argv[n++] = script;
	argv[n++] = bin_path();
	while (*args != NULL && n < 79)
		argv[n++] = *args++;
	argv[n] = NULL;
	return spawn(argv, NULL, home,
	             (const char *const[]){"INCIDENT_TUI_USER=tester", NULL});
}

struct run
run_db(const char *home, const char *db, const char *const *args)
{
	const char *argv[64] = {"--db", db};
	int n = 2;

	while (*args != NULL && n < 63)
		argv[n++] = *args++;
	argv[n] = NULL;
	return run_bin(home, NULL, NULL, argv);
}

void
run_free(struct run *r)
{
	free(r->out);
	free(r->err);
	r->out = r->err = NULL;
}

int
is_pg(const char *db)
{
	return strncmp(db, "postgresql://", 13) == 0;
}

/* psql on a database of the test cluster ("postgres" to create others). */
static struct run
psql(const char *db, const char *sql)
{
	char bin[512];
	const char *argv[] = {bin,  "-XAtq", "-v", "ON_ERROR_STOP=1", "-d", db,
	                      "-c", sql,     NULL};

	snprintf(bin, sizeof bin, "%s/psql", getenv("ITUI_PG_BIN"));
	return spawn(argv, NULL, NULL, NULL);
}

static char *
pg_uri(const char *name)
{
	char *u = NULL;

	cr_assert(asprintf(&u, "postgresql:///%s?host=%s&user=%s", name,
	                   getenv("ITUI_PG_HOST"), getenv("ITUI_PG_USER")) > 0);
	return u;
}

char *
pg_db_new(void)
{
	static int n;
	char name[64], sql[128], *admin;
	struct run r;

	cr_assert_not_null(getenv("ITUI_PG_HOST"),
	                   "no PostgreSQL test cluster: run the tests with "
	                   "make test (scripts/pg-cluster.sh starts one)");
	snprintf(name, sizeof name, "itui_t%d_%d", (int)getpid(), ++n);
	snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
	admin = pg_uri("postgres");
	r = psql(admin, sql);
	free(admin);
	cr_assert_eq(r.status, 0, "%s: %s", sql, r.err);
	run_free(&r);
	return pg_uri(name);
}

void
pg_db_drop(char *uri)
{
	const char *name = uri + strlen("postgresql:///");
	char sql[128], *admin;
	struct run r;

	snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %.*s WITH (FORCE)",
	         (int)strcspn(name, "?"), name);
	admin = pg_uri("postgres");
	r = psql(admin, sql);
	free(admin);
	run_free(&r);
	free(uri);
}

char *
sql1(const char *db, const char *sql)
{
	/* A busy timeout, as a killed or finishing writer may hold a lock. */
	const char *argv[] = {
	    "/usr/bin/sqlite3", "-cmd", ".timeout 10000", db, sql, NULL};
	struct run r =
	    is_pg(db) ? psql(db, sql) : spawn(argv, NULL, NULL, NULL);
	size_t n;

	cr_assert_eq(r.status, 0, "%s failed on '%s': %s",
	             is_pg(db) ? "psql" : "sqlite3", sql, r.err);
	free(r.err);
	n = strlen(r.out);
	while (n > 0 && (r.out[n - 1] == '\n' || r.out[n - 1] == ' '))
		r.out[--n] = '\0';
	return r.out;
}

long long
sql_int(const char *db, const char *sql)
{
	char *s = sql1(db, sql);
	long long v = strtoll(s, NULL, 10);

	free(s);
	return v;
}
