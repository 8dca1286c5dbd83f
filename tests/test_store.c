/* The store interface directly: history, soft deletes, paging, versions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "harness.h"
#include "itui/db.h"
#include "itui/store.h"

static char *dir, path[512];
static struct store *st;

static void
open_store(void)
{
	struct itui_err err;

	cr_assert_eq(store_open(path, 0, &st, &err), ITUI_OK, "%s", err.msg);
	store_set_actor(st, "tess", "local");
}

static void
setup(void)
{
	dir = tmpdir_make();
	snprintf(path, sizeof path, "%s/s.db", dir);
	open_store();
}

static void
teardown(void)
{
	store_close(st);
	tmpdir_remove(dir);
}

static char *pg;

static void
setup_pg(void)
{
	pg = pg_db_new();
	snprintf(path, sizeof path, "%s", pg);
	open_store();
}

static void
teardown_pg(void)
{
	store_close(st);
	pg_db_drop(pg);
}

TestSuite(store, .init = setup, .fini = teardown, .timeout = 30);
TestSuite(store_pg, .init = setup_pg, .fini = teardown_pg, .timeout = 30);

static int64_t
declare(const char *sev)
{
	struct incident_new in = {0};
	struct itui_err err;
	int64_t id;

	in.title = "store test";
	in.severity = sev;
	in.at = TIME_NONE;
	cr_assert_eq(store_incident_declare(st, &in, &id, &err), ITUI_OK, "%s",
	             err.msg);
	return id;
}

Test(store, new_file_gets_the_schema_and_mode)
{
	struct stat sb;

	cr_assert_eq(sql_int(path, "PRAGMA user_version"), db_schema_version());
	cr_assert_eq(sql_int(path, "PRAGMA application_id"), 0x49545549);
	cr_assert_eq(stat(path, &sb), 0);
	/* The test directory is 0755: not shared, so private. */
	cr_assert_eq(sb.st_mode & 0777, 0600);
	{
		char *mode = sql1(path, "PRAGMA journal_mode");

		cr_assert_str_eq(mode, "wal");
		free(mode);
	}
}

BOTH(store, edit_keeps_history_delete_is_soft)
{
	struct itui_err err;
	struct entry_list tl;
	struct entry e;
	int64_t id = declare("P1"), eid;

	cr_assert_eq(store_entry_add(st, id, KIND_NOTE, TIME_NONE, "teh typo",
	                             NULL, &eid, &err),
	             ITUI_OK);
	cr_assert_eq(store_entry_edit(st, eid, KIND_DECISION, TIME_NONE,
	                              "the fix", &err),
	             ITUI_OK, "%s", err.msg);
	cr_assert_eq(store_entry_get(st, eid, &e, &err), ITUI_OK);
	cr_assert_str_eq(e.text, "the fix");
	cr_assert_eq(e.kind, KIND_DECISION);
	cr_assert_eq(e.revision, 2);
	entry_free(&e);
	{
		char *old = sql1(path, "SELECT text || '|' || kind FROM"
		                       " entry_revisions WHERE revision = 1");

		cr_assert_str_eq(old, "teh typo|note");
		free(old);
	}
	cr_assert_eq(store_entry_set_pinned(st, eid, 1, &err), ITUI_OK);
	cr_assert_eq(store_entry_delete(st, eid, &err), ITUI_OK);
	cr_assert_eq(store_timeline(st, id, 0, 0, 0, &tl, &err), ITUI_OK);
	cr_assert_eq(tl.n, 1, "only the declaration remains visible");
	entry_list_free(&tl);
	cr_assert_eq(sql_int(path, "SELECT count(*) FROM entries"), 2,
	             "the deleted entry is kept");
	cr_assert_eq(
	    store_entry_edit(st, eid, KIND_NOTE, TIME_NONE, "again", &err),
	    ITUI_INPUT, "a deleted entry cannot be edited");
	cr_assert_eq(sql_int(path,
	                     "SELECT count(*) FROM audit WHERE object ="
	                     " 'entry' AND object_id = (SELECT max(id) FROM"
	                     " entries)"),
	             5, "created, text, kind, pinned, deleted");
}

BOTH(store, typed_entries_cannot_be_rewritten)
{
	struct itui_err err;
	struct entry_list tl;
	int64_t id = declare("P1");

	cr_assert_eq(store_incident_set_status(st, id, STATUS_IDENTIFIED,
	                                       TIME_NONE, &err),
	             ITUI_OK);
	cr_assert_eq(store_timeline(st, id, 0, 0, 0, &tl, &err), ITUI_OK);
	cr_assert_eq(tl.v[1].kind, KIND_STATUS);
	cr_assert_eq(store_entry_delete(st, tl.v[1].id, &err), ITUI_INPUT);
	cr_assert_eq(
	    store_entry_edit(st, tl.v[1].id, KIND_NOTE, TIME_NONE, "x", &err),
	    ITUI_INPUT);
	entry_list_free(&tl);
}

BOTH(store, roles_keep_their_history)
{
	struct itui_err err;
	struct incident inc;
	int64_t id = declare("P2");

	cr_assert_eq(
	    store_role_assign(st, id, ROLE_COMMANDER, "ann", TIME_NONE, &err),
	    ITUI_OK);
	cr_assert_eq(
	    store_role_assign(st, id, ROLE_COMMANDER, "ben", TIME_NONE, &err),
	    ITUI_OK);
	cr_assert_eq(
	    store_role_assign(st, id, ROLE_SCRIBE, "ben", TIME_NONE, &err),
	    ITUI_OK);
	cr_assert_eq(store_incident_get(st, id, &inc, &err), ITUI_OK);
	cr_assert_str_eq(inc.roles[ROLE_COMMANDER], "ben");
	cr_assert_str_eq(inc.roles[ROLE_SCRIBE], "ben");
	cr_assert_null(inc.roles[ROLE_TECH_LEAD]);
	incident_free(&inc);
	cr_assert_eq(sql_int(path, "SELECT count(*) FROM role_assignments"
	                           " WHERE role = 'commander'"),
	             2);
	cr_assert_eq(sql_int(path, "SELECT count(*) FROM role_assignments"
	                           " WHERE ended_at IS NOT NULL"),
	             1);
}

BOTH(store, severity_history_feeds_the_clocks)
{
	struct itui_err err;
	struct incident inc;
	int64_t id = declare("P2");

	cr_assert_eq(store_incident_set_severity(st, id, "P0", TIME_NONE, &err),
	             ITUI_OK);
	cr_assert_eq(store_entry_add(st, id, KIND_COMMS, TIME_NONE, "posted",
	                             NULL, NULL, &err),
	             ITUI_OK);
	cr_assert_eq(store_entry_add(st, id, KIND_ESCALATION, TIME_NONE,
	                             "paged the VP", NULL, NULL, &err),
	             ITUI_OK);
	cr_assert_eq(store_incident_get(st, id, &inc, &err), ITUI_OK);
	cr_assert_eq(inc.nchanges, 1);
	cr_assert_str_eq(inc.changes[0].from, "P2");
	cr_assert_str_eq(inc.changes[0].to, "P0");
	cr_assert_neq(inc.last_comms_at, TIME_NONE);
	cr_assert_eq(inc.escalations, 1);
	incident_free(&inc);
}

BOTH(store, keyset_paging_walks_back_through_the_timeline)
{
	struct itui_err err;
	struct entry_list a, b;
	int64_t id = declare("P3");
	int i;

	for (i = 0; i < 9; i++) {
		char t[8];

		snprintf(t, sizeof t, "n%d", i);
		/* Several entries share a second: id breaks the tie. */
		cr_assert_eq(store_entry_add(st, id, KIND_NOTE, 1000 + i / 3, t,
		                             NULL, NULL, &err),
		             ITUI_OK);
	}
	/* The declaration is stamped now, so it is the newest entry. */
	cr_assert_eq(store_timeline(st, id, 0, 0, 4, &a, &err), ITUI_OK);
	cr_assert_eq(a.n, 4);
	cr_assert(a.more);
	cr_assert_str_eq(a.v[0].text, "n6");
	cr_assert_str_eq(a.v[2].text, "n8");
	cr_assert(strncmp(a.v[3].text, "Declared", 8) == 0);
	cr_assert_eq(store_timeline(st, id, a.v[0].at, a.v[0].id, 4, &b, &err),
	             ITUI_OK);
	cr_assert_eq(b.n, 4);
	cr_assert_str_eq(b.v[0].text, "n2");
	cr_assert_str_eq(b.v[3].text, "n5");
	cr_assert(b.more);
	entry_list_free(&a);
	entry_list_free(&b);
}

BOTH(store, data_version_sees_other_connections_only)
{
	struct itui_err err;
	struct store *other;
	int64_t v1, v2, v3;

	declare("P1");
	cr_assert_eq(store_data_version(st, &v1, &err), ITUI_OK);
	declare("P1");
	cr_assert_eq(store_data_version(st, &v2, &err), ITUI_OK);
	cr_assert_eq(v1, v2, "our own commit does not change it");
	cr_assert_eq(store_open(path, 0, &other, &err), ITUI_OK);
	store_set_actor(other, "olga", "local");
	{
		struct incident_new in = {"t",  "P1",      NULL, NULL, NULL,
		                          NULL, TIME_NONE, 0,    0};
		int64_t id;

		cr_assert_eq(store_incident_declare(other, &in, &id, &err),
		             ITUI_OK);
	}
	store_close(other);
	cr_assert_eq(store_data_version(st, &v3, &err), ITUI_OK);
	cr_assert_neq(v2, v3, "another connection's commit changes it");
}

/* What a dashboard asks after data_version moved: did the record change,
 * and where. */
BOTH(store, revision_moves_with_the_record_not_with_private_rows)
{
	struct itui_err err;
	struct store *other;
	int64_t r0, r1, now, *ids, a, b, eid;
	size_t n;
	int rest, mon, changed;

	a = declare("P1");
	b = declare("P2");
	cr_assert_eq(store_revision(st, &r0, &err), ITUI_OK, "%s", err.msg);
	cr_assert_eq(store_open(path, 0, &other, &err), ITUI_OK);
	store_set_actor(other, "olga", "local");

	/* Another person's entry on b: b changed, a did not. */
	cr_assert_eq(store_entry_add(other, b, KIND_NOTE, TIME_NONE, "n", NULL,
	                             &eid, &err),
	             ITUI_OK, "%s", err.msg);
	cr_assert_eq(store_changes(st, r0, &ids, &n, &rest, &mon, &now, &err),
	             ITUI_OK, "%s", err.msg);
	cr_assert_eq(now, r0 + 1, "one transaction, one revision");
	cr_assert_eq(n, 1);
	cr_assert_eq(ids[0], b);
	cr_assert_not(rest, "only an incident changed");
	cr_assert_not(mon);
	free(ids);

	/* A draft and a last look are one person's: no revision. */
	cr_assert_eq(
	    store_draft_save(other, "olga", a, KIND_NOTE, "half a", &err),
	    ITUI_OK);
	cr_assert_eq(store_set_last_look(other, "olga", 100, &err), ITUI_OK);
	cr_assert_eq(store_revision(st, &r1, &err), ITUI_OK);
	cr_assert_eq(r1, now, "a draft moved the revision");

	/* A change tied to no incident says so. */
	cr_assert_eq(store_source_set(other, "prometheus", SOURCE_DOWN,
	                              "connection refused", &changed, &err),
	             ITUI_OK, "%s", err.msg);
	cr_assert_eq(store_changes(st, r1, &ids, &n, &rest, &mon, &now, &err),
	             ITUI_OK);
	cr_assert(now > r1);
	cr_assert(mon, "a source's health is not tied to one incident");
	cr_assert_not(rest, "and is monitoring only: no incident to reread");
	free(ids);

	/* A refused change moves nothing. */
	r1 = now;
	cr_assert_neq(store_entry_add(other, 999, KIND_NOTE, TIME_NONE, "x",
	                              NULL, &eid, &err),
	              ITUI_OK);
	cr_assert_eq(store_revision(st, &r0, &err), ITUI_OK);
	cr_assert_eq(r0, r1);
	store_close(other);
	(void)a;
}

BOTH(store, readonly_store_refuses_writes)
{
	struct itui_err err;
	struct store *ro;
	int64_t eid;

	declare("P1");
	cr_assert_eq(store_open(path, STORE_READONLY, &ro, &err), ITUI_OK);
	cr_assert(store_is_readonly(ro));
	cr_assert_eq(
	    store_entry_add(ro, 1, KIND_NOTE, TIME_NONE, "x", NULL, &eid, &err),
	    ITUI_READONLY);
	cr_assert_not_null(strstr(err.msg, "read-only"));
	store_close(ro);
}

/*
 * DB.wake is touched once a commit is published, so a dashboard woken by
 * it sees the commit at once instead of re-checking after the -wal event
 * (which comes before the fsync).  Another process commits 30 entries; each
 * time the wake file is touched, the reader already sees every entry whose
 * wake it has seen.
 */
Test(store, a_commit_is_visible_when_its_wake_arrives)
{
	char dirpath[600], wake[700];
	struct entry_list tl;
	struct itui_err err;
	int64_t id;
	int fd, wakes = 0;
	pid_t pid;

	id = declare("P1");
	snprintf(dirpath, sizeof dirpath, "%s", dir);
	snprintf(wake, sizeof wake, "s.db.wake");
	fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	cr_assert_geq(inotify_add_watch(fd, dirpath, IN_ATTRIB), 0);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		struct store *w;
		int i;

		if (store_open(path, 0, &w, &err) != ITUI_OK)
			_exit(3);
		store_set_actor(w, "wanda", "local");
		for (i = 0; i < 30; i++) {
			usleep(20000);
			if (store_entry_add(w, id, KIND_NOTE, TIME_NONE, "w",
			                    NULL, NULL, &err) != ITUI_OK)
				_exit(4);
		}
		store_close(w);
		_exit(0);
	}
	while (wakes < 30) {
		struct pollfd p = {fd, POLLIN, 0};
		char buf[4096]
		    __attribute__((aligned(__alignof__(struct inotify_event))));
		ssize_t n, off = 0;
		size_t shown = 0, k;

		cr_assert_gt(poll(&p, 1, 5000), 0, "a wake within 5 s");
		n = read(fd, buf, sizeof buf);
		while (n > 0 && off < n) {
			const struct inotify_event *ev =
			    (const struct inotify_event *)(buf + off);

			if (ev->len > 0 && strcmp(ev->name, wake) == 0)
				wakes++;
			off += (ssize_t)sizeof *ev + ev->len;
		}
		cr_assert_eq(store_timeline(st, id, 0, 0, 0, &tl, &err),
		             ITUI_OK);
		for (k = 0; k < tl.n; k++)
			shown += strcmp(tl.v[k].text, "w") == 0;
		entry_list_free(&tl);
		cr_assert_geq(shown, (size_t)wakes,
		              "woken %d times, %zu entries visible", wakes,
		              shown);
	}
	{
		int status;

		cr_assert_eq(waitpid(pid, &status, 0), pid);
		cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	close(fd);
}

/* One commit by another process: what the watcher's descriptor says. */
static int
commit_elsewhere(int64_t id)
{
	struct itui_err err;
	int status;
	pid_t pid = fork();

	cr_assert_geq(pid, 0);
	if (pid == 0) {
		struct store *w;

		if (store_open(path, 0, &w, &err) != ITUI_OK)
			_exit(3);
		store_set_actor(w, "wanda", "local");
		if (store_entry_add(w, id, KIND_NOTE, TIME_NONE, "w", NULL,
		                    NULL, &err) != ITUI_OK)
			_exit(4);
		store_close(w);
		_exit(0);
	}
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	return 0;
}

static int
readable(int fd)
{
	struct pollfd p = {fd, POLLIN, 0};

	return poll(&p, 1, 0) == 1;
}

/*
 * A commit writes the -wal a page at a time and the writers' queue file:
 * each was an event that woke every dashboard, a dozen per commit.  Held
 * back, a commit of this build is one announcement; the sqlite3 shell's
 * commit, which announces nothing, still shows as a write.
 */
Test(store, a_held_watch_is_woken_once_a_commit_and_still_sees_other_writers)
{
	struct store_watch *w;
	char cmd[1200];
	int64_t id = declare("P1");
	int fd;

	w = store_watch_open(path);
	fd = store_watch_fd(w);
	cr_assert_geq(fd, 0);
	(void)store_watch_drain(w);

	commit_elsewhere(id);
	cr_assert(readable(fd));
	cr_assert(store_watch_drain(w) & STORE_WATCH_COMMIT);

	store_watch_hold(w, 1);
	(void)store_watch_drain(w);
	commit_elsewhere(id);
	cr_assert(readable(fd), "the commit is announced while held");
	cr_assert_eq(store_watch_drain(w), STORE_WATCH_COMMIT,
	             "held: the commit's file writes do not come");
	cr_assert_not(readable(fd));

	store_watch_hold(w, 0);
	snprintf(cmd, sizeof cmd,
	         "sqlite3 '%s' \"UPDATE incidents SET title = 'shell'\"", path);
	cr_assert_eq(system(cmd), 0);
	cr_assert(readable(fd));
	cr_assert_eq(store_watch_drain(w), STORE_WATCH_LATE,
	             "the shell's commit: a write, not an announcement");
	store_watch_close(w);
}
