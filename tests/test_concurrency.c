/*
 * Many real processes writing one database at once: nothing lost, nobody
 * sees SQLITE_BUSY, and a killed writer leaves a sound file.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "harness.h"
#include "itui/db.h"

#define WORKERS    8
#define PER_WORKER 200

static pid_t
spawn_shell(const char *script, const char *errfile)
{
	pid_t pid = fork();

	cr_assert(pid >= 0);
	if (pid == 0) {
		freopen(errfile, "w", stderr);
		freopen("/dev/null", "w", stdout);
		execl("/bin/sh", "sh", "-c", script, (char *)NULL);
		_exit(127);
	}
	return pid;
}

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = calloc(1, 65536);

	if (f != NULL) {
		(void)!fread(buf, 1, 65535, f);
		fclose(f);
	}
	return buf;
}

/*
 * WORKERS processes log PER_WORKER entries each on one incident of db,
 * the first `single` of them a process per entry, the rest in one process
 * (log --lines -, a commit a line); odd workers stream first, so both
 * kinds of writer run at once.
 */
static void
writers_lose_nothing(const char *db, char *dir, int single)
{
	char script[2048], errf[WORKERS][600];
	pid_t pids[WORKERS];
	const char *argv[] = {"--db", db,        "declare", "--severity",
	                      "P1",   "--title", "load",    NULL};
	struct run r;
	int w;

	r = run_bin(dir, NULL, NULL, argv);
	cr_assert_eq(r.status, 0, "%s", r.err);
	run_free(&r);
	for (w = 0; w < WORKERS; w++) {
		char one[700], stream[700];

		snprintf(
		    one, sizeof one,
		    "i=0; while [ $i -lt %d ]; do i=$((i+1));"
		    " INCIDENT_TUI_USER=w%d '%s' --db '%s' log 1 \"w%d-$i\""
		    " || { echo \"exit $? at $i\" >&2; exit 1; }; done",
		    single, w, bin_path(), db, w);
		snprintf(stream, sizeof stream,
		         "i=%d; while [ $i -lt %d ]; do i=$((i+1));"
		         " echo \"w%d-$i\"; done |"
		         " INCIDENT_TUI_USER=w%d '%s' --db '%s' log 1 --lines -"
		         " || { echo \"exit $? in the stream\" >&2; exit 1; }",
		         single, PER_WORKER, w, w, bin_path(), db);
		if (single == PER_WORKER)
			snprintf(script, sizeof script, "%s", one);
		else
			snprintf(script, sizeof script, "%s; %s",
			         w % 2 ? stream : one, w % 2 ? one : stream);
		snprintf(errf[w], sizeof errf[w], "%s/err%d", dir, w);
		pids[w] = spawn_shell(script, errf[w]);
	}
	for (w = 0; w < WORKERS; w++) {
		int status;
		char *err;

		waitpid(pids[w], &status, 0);
		err = slurp(errf[w]);
		cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		          "worker %d failed: %s", w, err);
		cr_assert_str_eq(err, "", "worker %d printed: %s", w, err);
		cr_assert_null(strcasestr(err, "busy"));
		free(err);
	}
	cr_assert_eq(
	    sql_int(db, "SELECT count(*) FROM entries WHERE kind = 'note'"),
	    WORKERS * PER_WORKER);
	cr_assert_eq(sql_int(db, "SELECT count(DISTINCT text) FROM entries"
	                         " WHERE kind = 'note'"),
	             WORKERS * PER_WORKER);
	cr_assert_eq(sql_int(db,
	                     "SELECT count(*) FROM audit"
	                     " WHERE field = 'created' AND object = 'entry'"),
	             WORKERS * PER_WORKER + 1);
	if (!is_pg(db)) {
		char *ic = sql1(db, "PRAGMA integrity_check");

		cr_assert_str_eq(ic, "ok");
		free(ic);
	}
}

Test(concurrency, eight_writers_lose_nothing, .timeout = 300)
{
	char *dir = tmpdir_make(), db[512];

	snprintf(db, sizeof db, "%s/shared.db", dir);
	writers_lose_nothing(db, dir, PER_WORKER);
	tmpdir_remove(dir);
}

/*
 * On PostgreSQL the writers of one incident queue on its advisory lock.
 * A process per entry costs the server a backend (~14 ms of CPU with the
 * client's start: 40 s for 1,600 on 2 cores), so a tenth of them come from
 * processes and the rest from streams, which queue on the lock the same.
 */
Test(concurrency_pg, eight_writers_lose_nothing, .timeout = 300)
{
	char *dir = tmpdir_make(), *db = pg_db_new();

	writers_lose_nothing(db, dir, PER_WORKER / 10);
	pg_db_drop(db);
	tmpdir_remove(dir);
}

/* Five processes open a new database at once; 0 when all succeeded. */
static void
five_first_opens(const char *db, const char *dir)
{
	char script[1024], errf[5][600];
	pid_t pids[5];
	int i;

	for (i = 0; i < 5; i++) {
		snprintf(script, sizeof script,
		         "'%s' --db '%s' declare --severity P2 --title t%d",
		         bin_path(), db, i);
		snprintf(errf[i], sizeof errf[i], "%s/err%d", dir, i);
		pids[i] = spawn_shell(script, errf[i]);
	}
	for (i = 0; i < 5; i++) {
		int status;
		char *err;

		waitpid(pids[i], &status, 0);
		err = slurp(errf[i]);
		cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		          "process %d: %s", i, err);
		free(err);
	}
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM incidents"), 5);
}

Test(concurrency, first_open_by_many_migrates_once, .timeout = 60)
{
	char *dir = tmpdir_make(), db[512];

	snprintf(db, sizeof db, "%s/fresh.db", dir);
	five_first_opens(db, dir);
	cr_assert_eq(sql_int(db, "PRAGMA user_version"), db_schema_version());
	cr_assert_eq(sql_int(db, "PRAGMA application_id"), 0x49545549);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM sqlite_schema"
	                         " WHERE name = 'incidents'"),
	             1);
	tmpdir_remove(dir);
}

/* The schema is made under an advisory lock: once, whoever comes first. */
Test(concurrency_pg, first_open_by_many_migrates_once, .timeout = 60)
{
	char *dir = tmpdir_make(), *db = pg_db_new();

	five_first_opens(db, dir);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM itui_version"), 1);
	cr_assert_eq(sql_int(db, "SELECT max(version) FROM itui_version"),
	             db_schema_version());
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM pg_tables WHERE"
	                         " tablename = 'incidents'"),
	             1);
	pg_db_drop(db);
	tmpdir_remove(dir);
}

Test(concurrency, killed_writers_never_corrupt, .timeout = 120)
{
	char *dir = tmpdir_make(), db[512], script[1024], errf[600];
	const char *argv[] = {"--db", db,        "declare", "--severity",
	                      "P1",   "--title", "kill",    NULL};
	struct run r;
	int round;

	snprintf(db, sizeof db, "%s/k.db", dir);
	snprintf(errf, sizeof errf, "%s/err", dir);
	r = run_bin(dir, NULL, NULL, argv);
	cr_assert_eq(r.status, 0);
	run_free(&r);
	snprintf(script, sizeof script,
	         "while :; do '%s' --db '%s' log 1 x || exit 1; done",
	         bin_path(), db);
	for (round = 0; round < 20; round++) {
		pid_t pid = spawn_shell(script, errf);

		usleep(20000 + (useconds_t)(round * 3000));
		char pk[700];

		/* The loop first, so it starts no new writer; then the writer
		 * it left running (matched by this test's database path). */
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		snprintf(pk, sizeof pk,
		         "pkill -KILL -f -- '--db %s log' 2>/dev/null", db);
		(void)!system(pk);
	}
	{
		char *ic = sql1(db, "PRAGMA integrity_check");

		cr_assert_str_eq(ic, "ok");
		free(ic);
	}
	/* Every stored entry has its audit row: no half-written change. */
	cr_assert_eq(sql_int(db,
	                     "SELECT count(*) FROM entries e WHERE NOT EXISTS"
	                     " (SELECT 1 FROM audit a WHERE a.object = 'entry'"
	                     " AND a.object_id = e.id)"),
	             0);
	tmpdir_remove(dir);
}
