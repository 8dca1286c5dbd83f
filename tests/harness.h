/*
 * harness.h - helpers shared by the Criterion tests: a private temporary
 * directory per test and a runner for the real incident-tui binary (named by
 * $ITUI_BIN, set by `make test`) that captures its output and exit status.
 */
#ifndef ITUI_TEST_HARNESS_H
#define ITUI_TEST_HARNESS_H

#include <stdint.h>
#include <sys/types.h>

struct run {
	int status; /* exit status, or 128 + signal */
	char *out;
	char *err;
};

/* A fresh directory under /tmp, removed by tmpdir_remove(). */
char *tmpdir_make(void);
void tmpdir_remove(char *dir);

/*
 * Runs the binary with args (NULL-terminated) and optional stdin text, with
 * HOME and XDG dirs pointed into `home` so no user configuration leaks in.
 * Extra environment entries ("K=V") may be passed in env (NULL-terminated).
 */
struct run run_bin(const char *home, const char *stdin_text,
                   const char *const *env, const char *const *args);
/* Same, as uid/gid (with the given supplementary group, or -1), via setpriv. */
struct run run_bin_as(const char *home, uid_t uid, gid_t gid, gid_t group,
                      unsigned umask_bits, const char *const *args);
void run_free(struct run *r);
/* run_bin with "--db DB" before args. */
struct run run_db(const char *home, const char *db, const char *const *args);

/*
 * The PostgreSQL test cluster (scripts/pg-cluster.sh, run by make test): a
 * fresh database's postgresql:// location, and dropping it (frees uri).
 */
char *pg_db_new(void);
void pg_db_drop(char *uri);
int is_pg(const char *db);

/*
 * A test run on both backends with one body: in SUITE (SQLite) and in
 * SUITE_pg (PostgreSQL), whose .init chooses the database.
 */
#define BOTH(suite, name, ...)                   \
	static void suite##_##name##_body(void); \
	Test(suite, name, ##__VA_ARGS__)         \
	{                                        \
		suite##_##name##_body();         \
	}                                        \
	Test(suite##_pg, name, ##__VA_ARGS__)    \
	{                                        \
		suite##_##name##_body();         \
	}                                        \
	static void suite##_##name##_body(void)

/*
 * SUITE_pg, the PostgreSQL twin of a suite whose database location is the
 * char array DB: its .init runs UP and then points DB at a new database of
 * the cluster make test runs; its .fini runs DOWN and drops it.
 */
#define PG_TWIN(suite, up, down, db, ...)                      \
	static char *suite##_pg_loc;                           \
	static void suite##_pg_init(void)                      \
	{                                                      \
		up();                                          \
		suite##_pg_loc = pg_db_new();                  \
		snprintf(db, sizeof db, "%s", suite##_pg_loc); \
	}                                                      \
	static void suite##_pg_fini(void)                      \
	{                                                      \
		down();                                        \
		pg_db_drop(suite##_pg_loc);                    \
	}                                                      \
	TestSuite(suite##_pg, .init = suite##_pg_init,         \
	          .fini = suite##_pg_fini, ##__VA_ARGS__)

/*
 * Runs sqlite3 (psql for a postgresql:// location) on db with one SQL
 * statement and returns its trimmed output.
 */
char *sql1(const char *db, const char *sql);
long long sql_int(const char *db, const char *sql);

/*
 * The first regular file under dir (recursively) whose bytes contain
 * needle, skipping files whose base name is in skip (NULL-terminated, may
 * be NULL); NULL when none does.  The path is in a static buffer.
 */
const char *tree_find(const char *dir, const char *needle,
                      const char *const *skip);

/* dir/name in one of eight rotating static buffers (for short-lived use). */
const char *path_in(const char *dir, const char *name);

/* CLOCK_MONOTONIC in milliseconds, for deadlines. */
long ms_now(void);

const char *bin_path(void);
const char *src_dir(void);

#define ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})

#endif
