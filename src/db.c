/*
 * db.c - opens the database that several people share on one host.
 *
 * DESIGN: the file is created by us (not SQLite) so its mode follows the
 * directory: a group-writable directory gets a 0660 database whatever the
 * creator's umask, and SQLite then gives -wal and -shm the same mode.  Their
 * group comes from the directory when it is setgid; otherwise we chgrp our
 * own -wal/-shm to the database's group and advise `chmod g+s`.  Writes use
 * WAL with synchronous=FULL (a typed entry costs ~0.2 ms, and no acknowledged
 * entry is lost on power failure), and every transaction that writes begins
 * IMMEDIATE, because a deferred one that upgrades gets SQLITE_BUSY_SNAPSHOT
 * without waiting.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include "itui/db.h"
#include "itui/store-chain.h"
#include "itui/store-drv.h"
#include "itui/strbuf.h"
#include "itui/xalloc.h"

#define NFS_SUPER_MAGIC  0x6969
#define SMB_SUPER_MAGIC  0x517B
#define CIFS_SUPER_MAGIC 0xFF534D42
#define SMB2_SUPER_MAGIC 0xFE534D42

/*
 * Ordered migrations; migration i brings user_version from i to i + 1.
 * Never edit one that has shipped: add the next.
 */
static const char *const migrations[] = {
    /* 1: the initial schema */
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);"
    "CREATE TABLE incidents("
    " id INTEGER PRIMARY KEY,"
    " title TEXT NOT NULL CHECK(length(trim(title)) > 0),"
    " severity TEXT NOT NULL,"
    " status TEXT NOT NULL CHECK(status IN ('investigating','identified',"
    "  'mitigating','monitoring','resolved','closed')),"
    " service TEXT, impact TEXT, summary TEXT, root_cause TEXT,"
    " declared_at INTEGER NOT NULL, detected_at INTEGER,"
    " acknowledged_at INTEGER, mitigated_at INTEGER,"
    " resolved_at INTEGER, closed_at INTEGER,"
    " declared_by TEXT NOT NULL, recorded_at INTEGER NOT NULL,"
    " updated_at INTEGER NOT NULL,"
    " drill INTEGER NOT NULL DEFAULT 0, alert_key TEXT);"
    "CREATE INDEX incidents_by_status ON incidents(status, declared_at);"
    "CREATE TABLE entries("
    " id INTEGER PRIMARY KEY,"
    " incident_id INTEGER NOT NULL REFERENCES incidents(id),"
    " at INTEGER NOT NULL, recorded_at INTEGER NOT NULL,"
    " author TEXT NOT NULL, kind TEXT NOT NULL, text TEXT NOT NULL,"
    " data TEXT, pinned INTEGER NOT NULL DEFAULT 0,"
    " revision INTEGER NOT NULL DEFAULT 1,"
    " deleted_at INTEGER, deleted_by TEXT);"
    "CREATE INDEX entries_by_time ON entries(incident_id, at, id);"
    "CREATE INDEX entries_by_kind ON entries(incident_id, kind, at);"
    "CREATE TABLE entry_revisions("
    " entry_id INTEGER NOT NULL REFERENCES entries(id),"
    " revision INTEGER NOT NULL, at INTEGER NOT NULL, kind TEXT NOT NULL,"
    " text TEXT NOT NULL, replaced_at INTEGER NOT NULL,"
    " replaced_by TEXT NOT NULL, PRIMARY KEY(entry_id, revision));"
    "CREATE TABLE role_assignments("
    " id INTEGER PRIMARY KEY,"
    " incident_id INTEGER NOT NULL REFERENCES incidents(id),"
    " role TEXT NOT NULL, person TEXT NOT NULL,"
    " assigned_at INTEGER NOT NULL, assigned_by TEXT NOT NULL,"
    " ended_at INTEGER, ended_by TEXT);"
    "CREATE UNIQUE INDEX roles_current ON role_assignments(incident_id, role)"
    " WHERE ended_at IS NULL;"
    "CREATE TABLE action_items("
    " id INTEGER PRIMARY KEY,"
    " incident_id INTEGER NOT NULL REFERENCES incidents(id),"
    " text TEXT NOT NULL CHECK(length(trim(text)) > 0), owner TEXT,"
    " due_at INTEGER, horizon TEXT NOT NULL CHECK(horizon IN"
    "  ('immediate','short-term','long-term')),"
    " state TEXT NOT NULL DEFAULT 'open' CHECK(state IN"
    "  ('open','done','dropped')),"
    " created_at INTEGER NOT NULL, created_by TEXT NOT NULL,"
    " updated_at INTEGER NOT NULL);"
    "CREATE INDEX actions_by_incident ON action_items(incident_id, state);"
    "CREATE TABLE alerts("
    " key TEXT PRIMARY KEY, source TEXT NOT NULL, name TEXT,"
    " labels TEXT NOT NULL, annotations TEXT, since INTEGER,"
    " last_seen INTEGER NOT NULL, state TEXT NOT NULL DEFAULT 'firing',"
    " incident_id INTEGER REFERENCES incidents(id));"
    "CREATE TABLE audit("
    " id INTEGER PRIMARY KEY, at INTEGER NOT NULL, actor TEXT NOT NULL,"
    " origin TEXT NOT NULL, incident_id INTEGER, object TEXT NOT NULL,"
    " object_id INTEGER, field TEXT NOT NULL,"
    " old_value TEXT, new_value TEXT);"
    "CREATE INDEX audit_by_incident ON audit(incident_id, id);",
    /* 2: unsent timeline drafts, one per person and incident */
    "CREATE TABLE drafts("
    " user TEXT NOT NULL,"
    " incident_id INTEGER NOT NULL REFERENCES incidents(id),"
    " kind TEXT NOT NULL, text TEXT NOT NULL, updated_at INTEGER NOT NULL,"
    " PRIMARY KEY(user, incident_id));",
    /* 3: the metrics poller: source health, alerts, snapshots, annotations */
    "CREATE TABLE sources(name TEXT PRIMARY KEY, ok INTEGER NOT NULL,"
    " detail TEXT, checked_at INTEGER NOT NULL, down_since INTEGER);"
    "ALTER TABLE alerts ADD COLUMN summary TEXT;"
    "ALTER TABLE alerts ADD COLUMN severity TEXT;"
    "ALTER TABLE alerts ADD COLUMN resolved_at INTEGER;"
    "CREATE TABLE snapshot_requests(id INTEGER PRIMARY KEY,"
    " incident_id INTEGER NOT NULL REFERENCES incidents(id),"
    " reason TEXT NOT NULL, requested_at INTEGER NOT NULL, done_at INTEGER);"
    "CREATE INDEX snapshot_requests_pending ON snapshot_requests(done_at);"
    "CREATE TABLE annotations(entry_id INTEGER PRIMARY KEY"
    " REFERENCES entries(id), incident_id INTEGER NOT NULL,"
    " grafana_id INTEGER, posted_at INTEGER, error TEXT);",
    /* 4: shift handoffs and each person's last look */
    "CREATE TABLE last_looks(user TEXT PRIMARY KEY, at INTEGER NOT NULL);"
    "CREATE TABLE handoffs(id INTEGER PRIMARY KEY, at INTEGER NOT NULL,"
    " from_user TEXT NOT NULL, to_user TEXT NOT NULL, note TEXT);"
    "CREATE INDEX entries_by_recorded ON entries(recorded_at);",
    /* 5: the outbox: one row per outbound message and destination */
    "CREATE TABLE outbox(id INTEGER PRIMARY KEY,"
    " incident_id INTEGER REFERENCES incidents(id),"
    " destination TEXT NOT NULL, dest_type TEXT NOT NULL,"
    " event TEXT NOT NULL, cause TEXT NOT NULL, action TEXT,"
    " subject TEXT NOT NULL, body TEXT NOT NULL, public INTEGER NOT NULL"
    " DEFAULT 0, created_at INTEGER NOT NULL,"
    " state TEXT NOT NULL DEFAULT 'pending' CHECK(state IN"
    " ('pending','sending','sent','failed','cancelled')),"
    " attempts INTEGER NOT NULL DEFAULT 0, next_at INTEGER NOT NULL,"
    " sent_at INTEGER, last_error TEXT,"
    " idem_key TEXT NOT NULL UNIQUE DEFAULT (lower(hex(randomblob(12)))),"
    " UNIQUE(destination, cause));"
    "CREATE INDEX outbox_queue ON outbox(destination, state, id);"
    "CREATE INDEX outbox_by_incident ON outbox(incident_id, id);"
    "CREATE TABLE outbox_due(incident_id INTEGER NOT NULL, cause TEXT NOT"
    " NULL, at INTEGER NOT NULL, PRIMARY KEY(incident_id, cause));",
    /* 6: playbook checklists: each incident's phases and steps */
    "CREATE TABLE checklist_sources("
    " incident_id INTEGER NOT NULL REFERENCES incidents(id),"
    " kind TEXT NOT NULL CHECK(kind IN ('playbook','runbook')),"
    " name TEXT NOT NULL, attached_at INTEGER NOT NULL,"
    " attached_by TEXT NOT NULL, PRIMARY KEY(incident_id, kind, name));"
    "CREATE TABLE checklist_phases("
    " incident_id INTEGER NOT NULL REFERENCES incidents(id),"
    " pos INTEGER NOT NULL, name TEXT NOT NULL,"
    " timebox INTEGER NOT NULL, relative INTEGER NOT NULL,"
    " PRIMARY KEY(incident_id, pos), UNIQUE(incident_id, name));"
    "CREATE TABLE checklist_steps("
    " incident_id INTEGER NOT NULL REFERENCES incidents(id),"
    " num INTEGER NOT NULL, phase_pos INTEGER NOT NULL,"
    " pos INTEGER NOT NULL, text TEXT NOT NULL, role TEXT, event TEXT,"
    " no_progress INTEGER, progress TEXT, progress_at INTEGER,"
    " source TEXT NOT NULL, added_at INTEGER NOT NULL,"
    " state TEXT NOT NULL DEFAULT 'open' CHECK(state IN"
    "  ('open','done','skipped')),"
    " by_user TEXT, at INTEGER, reason TEXT,"
    " by_event INTEGER NOT NULL DEFAULT 0,"
    " PRIMARY KEY(incident_id, num));"
    "CREATE INDEX checklist_open_events ON checklist_steps(incident_id,"
    " event) WHERE state = 'open';",
    /* 7: alerts get a real id, Alertmanager's identity and state */
    "CREATE TABLE alerts_v7(id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE,"
    " fingerprint TEXT, source TEXT NOT NULL, name TEXT,"
    " labels TEXT NOT NULL, annotations TEXT, since INTEGER,"
    " last_seen INTEGER NOT NULL, state TEXT NOT NULL DEFAULT 'firing',"
    " incident_id INTEGER REFERENCES incidents(id), summary TEXT,"
    " severity TEXT, resolved_at INTEGER, am_state TEXT,"
    " silenced_by TEXT, inhibited_by TEXT, group_key TEXT,"
    " external_url TEXT, generator_url TEXT, ends_at INTEGER,"
    " silence_id TEXT);"
    "INSERT INTO alerts_v7(id, key, source, name, labels, annotations, since,"
    " last_seen, state, incident_id, summary, severity, resolved_at)"
    " SELECT rowid, key, source, name, labels, annotations, since,"
    " last_seen, state, incident_id, summary, severity, resolved_at"
    " FROM alerts;"
    "DROP TABLE alerts;"
    "ALTER TABLE alerts_v7 RENAME TO alerts;"
    "CREATE INDEX alerts_by_fingerprint ON alerts(fingerprint);"
    "CREATE INDEX alerts_by_state ON alerts(state, since);"
    "ALTER TABLE incidents ADD COLUMN alert_id INTEGER;"
    "ALTER TABLE sources ADD COLUMN denied INTEGER NOT NULL DEFAULT 0;",
    /* 8: the record's hash chains (store-chain.h) and head signatures;
     * chain_fill() then chains the rows already there, in this
     * transaction */
    "ALTER TABLE entries ADD COLUMN chain_seq INTEGER;"
    "ALTER TABLE entries ADD COLUMN chain_hash TEXT;"
    "ALTER TABLE entry_revisions ADD COLUMN chain_seq INTEGER;"
    "ALTER TABLE entry_revisions ADD COLUMN chain_hash TEXT;"
    "ALTER TABLE audit ADD COLUMN chain_seq INTEGER;"
    "ALTER TABLE audit ADD COLUMN chain_hash TEXT;"
    "CREATE TABLE chain_heads(incident_id INTEGER PRIMARY KEY,"
    " seq INTEGER NOT NULL, hash TEXT NOT NULL);"
    "CREATE TABLE signatures(id INTEGER PRIMARY KEY,"
    " incident_id INTEGER NOT NULL REFERENCES incidents(id),"
    " seq INTEGER NOT NULL, head TEXT NOT NULL, signer TEXT NOT NULL,"
    " signature TEXT NOT NULL, signed_at INTEGER NOT NULL);",
    /* 9: who has the database open, apart from the record (never audited,
     * never touches an incident) */
    "CREATE TABLE presence(session TEXT PRIMARY KEY, user TEXT NOT NULL,"
    " incident_id INTEGER, typing INTEGER NOT NULL DEFAULT 0,"
    " cols INTEGER, rows INTEGER, via_ssh INTEGER NOT NULL DEFAULT 0,"
    " pid INTEGER, host TEXT, started_at INTEGER NOT NULL,"
    " seen_at INTEGER NOT NULL);",
    /* 10: the revision of the record: row 0 the newest, a row per incident
     * its last change, row -1 the last change not tied to one incident
     * (store_changes()); what only one person keeps (drafts, last looks,
     * presence) moves none of them */
    "CREATE TABLE changes(incident_id INTEGER PRIMARY KEY,"
    " rev INTEGER NOT NULL);"
    "INSERT INTO changes(incident_id, rev) VALUES (0, 0), (-1, 0);",
    /* 11: each incident's timeline counts its changes (mod_seq: the
     * count when the row last changed), so a dashboard reads only what
     * changed since it last looked (store_timeline_changes()).  Writes on
     * one incident never run at once, so the count never repeats; a
     * trigger, so no way of writing an entry can forget it. */
    "ALTER TABLE entries ADD COLUMN mod_seq INTEGER NOT NULL DEFAULT 0;"
    "CREATE INDEX entries_by_change ON entries(incident_id, mod_seq);"
    /* the incident's field revision, counted on every reload */
    "CREATE INDEX audit_by_field ON audit(incident_id, object, object_id,"
    " field);"
    "CREATE TRIGGER entries_seq_new AFTER INSERT ON entries BEGIN"
    " UPDATE entries SET mod_seq = (SELECT max(mod_seq) FROM entries"
    " WHERE incident_id = NEW.incident_id) + 1 WHERE id = NEW.id; END;"
    "CREATE TRIGGER entries_seq_change AFTER UPDATE OF incident_id, at,"
    " kind, text, data, pinned, revision, deleted_at ON entries BEGIN"
    " UPDATE entries SET mod_seq = (SELECT max(mod_seq) FROM entries"
    " WHERE incident_id = NEW.incident_id) + 1 WHERE id = NEW.id; END;",
    /* 12: the database role that wrote an audit row, beside the name the
     * person gives (actor); PostgreSQL fills it from session_user, which
     * the person cannot choose.  SQLite has no roles: the file's
     * permissions are its only guard, so it stays NULL there. */
    "ALTER TABLE audit ADD COLUMN db_role TEXT;",
};

/* The migration after which chain_fill() runs, in the same transaction. */
#define CHAIN_MIGRATION 8

int
db_schema_version(void)
{
	return (int)(sizeof migrations / sizeof migrations[0]);
}

int
db_disk_full(sqlite3 *db)
{
	return db != NULL && sqlite3_system_errno(db) == ENOSPC;
}

enum itui_code
db_error(sqlite3 *db, int rc, const char *doing, struct itui_err *err)
{
	const char *msg = db != NULL ? sqlite3_errmsg(db) : sqlite3_errstr(rc);

	if ((rc & 0xff) == SQLITE_FULL ||
	    ((rc & 0xff) == SQLITE_IOERR && db_disk_full(db)))
		return sd_full_error(
		    db != NULL ? sqlite3_db_filename(db, "main") : NULL, doing,
		    err);
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return err_set(
		    err, ITUI_BUSY,
		    "%s: the database stayed busy for over %d s (another "
		    "process is holding it); nothing was changed, try again",
		    doing, DB_BUSY_TIMEOUT_MS / 1000);
	case SQLITE_READONLY:
		return err_set(err, ITUI_READONLY,
		               "%s: the database is read-only for you", doing);
	case SQLITE_NOTADB:
		return err_set(err, ITUI_NOTDB, "%s: not a database file",
		               doing);
	case SQLITE_CORRUPT:
		return err_set(err, ITUI_CORRUPT,
		               "%s: the database file is damaged (%s)", doing,
		               msg);
	case SQLITE_CONSTRAINT:
		return err_set(err, ITUI_INPUT, "%s: %s", doing, msg);
	case SQLITE_NOMEM:
		fatal("out of memory in SQLite");
	default:
		return err_set(err, ITUI_IO, "%s: %s", doing, msg);
	}
}

static enum itui_code
check_filesystem(const char *dir, struct itui_err *err)
{
	struct statfs fs;

	if (statfs(dir, &fs) != 0)
		return ITUI_OK;
	switch ((unsigned long)fs.f_type) {
	case NFS_SUPER_MAGIC:
	case SMB_SUPER_MAGIC:
	case CIFS_SUPER_MAGIC:
	case SMB2_SUPER_MAGIC:
		return err_set(
		    err, ITUI_IO,
		    "%s is on a network filesystem; the shared database must "
		    "be on a local disk of the host everyone logs in to",
		    dir);
	}
	return ITUI_OK;
}

/*
 * In a world-writable directory (/tmp) anyone may have put the database,
 * its -wal/-shm/-journal or a symlink there first, to read or forge what
 * we write: each that exists must be ours (or root's).
 */
static enum itui_code
check_planted(const char *path, const char *dir, struct itui_err *err)
{
	/* .write.lock too: whoever holds its byte locks holds every writer
	 * back (the writers' queue, store-sqlite.c). */
	static const char *const sfx[] = {"", "-wal", "-shm", "-journal",
	                                  ".write.lock"};
	struct stat ds, st;

	if (stat(dir, &ds) != 0 || !(ds.st_mode & S_IWOTH))
		return ITUI_OK;
	for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
		char *p = xasprintf("%s%s", path, sfx[i]);
		int theirs = lstat(p, &st) == 0 && st.st_uid != geteuid() &&
		             st.st_uid != 0;

		if (theirs) {
			err_set(err, ITUI_INPUT,
			        "%s in the world-writable %s belongs to uid "
			        "%u, not to you: refusing to use it (keep the "
			        "database in a directory of yours or your "
			        "group's)",
			        p, dir, (unsigned)st.st_uid);
			free(p);
			return ITUI_INPUT;
		}
		free(p);
	}
	return ITUI_OK;
}

/* Creates an empty database file whose mode follows its directory. */
static enum itui_code
create_file(const char *path, const char *dir, struct itui_err *err)
{
	struct stat ds;
	mode_t mode = 0600;
	int fd;

	if (stat(dir, &ds) != 0)
		return err_set(err, ITUI_IO,
		               "cannot create %s: directory %s: %s", path, dir,
		               strerror(errno));
	if (!S_ISDIR(ds.st_mode))
		return err_set(err, ITUI_IO,
		               "cannot create %s: %s is not a directory", path,
		               dir);
	/* Group-writable means shared; world-writable (/tmp) means nothing. */
	if ((ds.st_mode & S_IWGRP) && !(ds.st_mode & S_IWOTH))
		mode = 0660;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	if (fd < 0) {
		if (errno == EEXIST)
			return ITUI_OK;
		return err_set(err, ITUI_IO, "cannot create %s: %s", path,
		               strerror(errno));
	}
	/*
	 * A shared directory's group, not the creator's primary group, must
	 * own the file (a setgid directory does this by itself).
	 */
	if (mode == 0660 && ds.st_gid != getegid())
		(void)!fchown(fd, (uid_t)-1, ds.st_gid);
	/* The umask may have taken group bits away; put them back. */
	if (fchmod(fd, mode) != 0) {
		close(fd);
		return err_set(err, ITUI_IO, "cannot set the mode of %s: %s",
		               path, strerror(errno));
	}
	close(fd);
	return ITUI_OK;
}

/* Gives our own -wal/-shm the database's group, so the group can open them. */
static void
align_sidecar_groups(const char *path)
{
	static const char *const sfx[] = {"-wal", "-shm"};
	struct stat db, st;
	size_t i;

	if (stat(path, &db) != 0 || !(db.st_mode & S_IWGRP))
		return;
	for (i = 0; i < 2; i++) {
		char *side = xasprintf("%s%s", path, sfx[i]);

		/* By path, never open(): closing an fd would drop SQLite's
		 * locks. */
		if (stat(side, &st) == 0 && st.st_uid == geteuid() &&
		    st.st_gid != db.st_gid)
			(void)chown(side, (uid_t)-1, db.st_gid);
		free(side);
	}
}

void
db_permission_advice(const char *path, char *buf, size_t size)
{
	static const char *const sfx[] = {"-wal", "-shm"};
	struct stat db, ds, st;
	struct strbuf sb = STRBUF_INIT;
	char *copy = xstrdup(path), *dir = dirname(copy);
	size_t i;

	buf[0] = '\0';
	if (stat(path, &db) != 0 || stat(dir, &ds) != 0 ||
	    !(db.st_mode & S_IWGRP))
		goto out;
	/* A shared (group-writable) database: the group must reach everything.
	 */
	if (!(ds.st_mode & S_IWGRP))
		strbuf_addf(&sb, "chmod g+w '%s'; ", dir);
	if (!(ds.st_mode & S_ISGID))
		strbuf_addf(&sb, "chmod g+s '%s'; ", dir);
	if (ds.st_gid != db.st_gid) {
		struct group *g = getgrgid(db.st_gid);

		if (g != NULL)
			strbuf_addf(&sb, "chgrp %s '%s'; ", g->gr_name, dir);
		else
			strbuf_addf(&sb, "chgrp %u '%s'; ", (unsigned)db.st_gid,
			            dir);
	}
	for (i = 0; i < 2; i++) {
		char *side = xasprintf("%s%s", path, sfx[i]);

		if (stat(side, &st) == 0) {
			if (st.st_gid != db.st_gid)
				strbuf_addf(&sb, "chgrp %u '%s'; ",
				            (unsigned)db.st_gid, side);
			if ((st.st_mode & 0660) != 0660)
				strbuf_addf(&sb, "chmod g+rw '%s'; ", side);
		}
		free(side);
	}
	if (sb.len > 2) {
		sb.len -= 2;
		sb.buf[sb.len] = '\0';
		snprintf(
		    buf, size,
		    "the shared database lets some group members down; fix "
		    "with: %s",
		    strbuf_str(&sb));
	}
out:
	strbuf_free(&sb);
	free(copy);
}

static enum itui_code
exec_sql(sqlite3 *db, const char *sql, const char *doing, struct itui_err *err)
{
	int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);

	if (rc != SQLITE_OK)
		return db_error(db, rc, doing, err);
	return ITUI_OK;
}

static int
pragma_int(sqlite3 *db, const char *sql, int *out)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);

	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*out = sqlite3_column_int(st, 0);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc;
}

/* Checks the file belongs to us and its schema is one we understand. */
static enum itui_code
check_identity(sqlite3 *db, const char *path, int *version,
               struct itui_err *err)
{
	int app = 0, tables = 0, rc;

	/*
	 * One read transaction, so the three reads see one snapshot: another
	 * process may commit its migration between separate statements.
	 */
	rc = sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = pragma_int(db, "PRAGMA application_id", &app);
	if (rc == SQLITE_OK)
		rc = pragma_int(db, "PRAGMA user_version", version);
	if (rc == SQLITE_OK)
		rc = pragma_int(db, "SELECT count(*) FROM sqlite_schema",
		                &tables);
	if (rc != SQLITE_OK) {
		/* The error is read before the COMMIT replaces its message
		 * ("cannot commit - no transaction is active"). */
		if ((rc & 0xff) == SQLITE_NOTADB)
			err_set(err, ITUI_NOTDB, "%s is not a database file",
			        path);
		else
			db_error(db, rc, path, err);
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return err->code;
	}
	sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	if (app != DB_APPLICATION_ID && !(app == 0 && tables == 0))
		return err_set(
		    err, ITUI_NOTDB,
		    "%s is an SQLite database but not an incident-tui one",
		    path);
	if (*version > db_schema_version())
		return err_set(
		    err, ITUI_NEWER,
		    "%s was written by a newer incident-tui (schema %d, this "
		    "one knows %d); upgrade before using it",
		    path, *version, db_schema_version());
	return ITUI_OK;
}

static enum itui_code
migrate(sqlite3 *db, const char *path, struct itui_err *err)
{
	int version = 0, rc, i;
	char sql[96];

	if (exec_sql(db, "BEGIN IMMEDIATE", "migrating the schema", err))
		return err->code;
	/* Re-read under the write lock: another process may have migrated. */
	rc = pragma_int(db, "PRAGMA user_version", &version);
	if (rc != SQLITE_OK) {
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return db_error(db, rc, "migrating the schema", err);
	}
	for (i = version; i < db_schema_version(); i++) {
		if (exec_sql(db, migrations[i], "migrating the schema", err) ||
		    (i + 1 == CHAIN_MIGRATION && db_chain_fill(db, err))) {
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
			return err->code;
		}
	}
	snprintf(sql, sizeof sql,
	         "PRAGMA application_id = %d; PRAGMA user_version = %d",
	         DB_APPLICATION_ID, db_schema_version());
	if (exec_sql(db, sql, "migrating the schema", err) ||
	    exec_sql(db, "COMMIT", "migrating the schema", err)) {
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return err->code;
	}
	(void)path;
	return ITUI_OK;
}

static void
journal_mode(sqlite3 *db, char *mode, size_t size)
{
	sqlite3_stmt *st;

	mode[0] = '\0';
	if (sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL) !=
	    SQLITE_OK)
		return;
	if (sqlite3_step(st) == SQLITE_ROW)
		snprintf(mode, size, "%s",
		         (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
}

/*
 * Switching a new file to WAL needs an exclusive lock, and SQLite answers
 * SQLITE_BUSY at once, without its busy handler, while other processes that
 * are opening the same new file hold shared locks.  So retry with short,
 * jittered sleeps up to the usual busy timeout, re-reading the mode: one of
 * the others has usually switched it already.
 */
static enum itui_code
enable_wal(sqlite3 *db, struct itui_err *err)
{
	/* Each process its own jitter, or they all retry in step. */
	unsigned seed = (unsigned)getpid() ^ (unsigned)time(NULL);
	char mode[16];
	int waited = 0, rc = SQLITE_BUSY;

	for (;;) {
		journal_mode(db, mode, sizeof mode);
		if (strcmp(mode, "wal") == 0)
			return ITUI_OK;
		if (waited >= DB_BUSY_TIMEOUT_MS)
			return db_error(db, rc == SQLITE_OK ? SQLITE_BUSY : rc,
			                "enabling WAL", err);
		rc = sqlite3_exec(db, "PRAGMA journal_mode = WAL", NULL, NULL,
		                  NULL);
		if (rc != SQLITE_OK && (rc & 0xff) != SQLITE_BUSY &&
		    (rc & 0xff) != SQLITE_LOCKED)
			return db_error(db, rc, "enabling WAL", err);
		if (rc != SQLITE_OK) {
			int ms = 2 + (int)(rand_r(&seed) % 10);

			usleep((useconds_t)ms * 1000);
			waited += ms;
		} else {
			/* Said yes but may not have switched: counted too. */
			waited += 1;
		}
	}
}

static enum itui_code
configure(sqlite3 *db, int readonly, struct itui_err *err)
{
	sqlite3_busy_timeout(db, DB_BUSY_TIMEOUT_MS);
	sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_extended_result_codes(db, 1);
	if (exec_sql(db,
	             "PRAGMA trusted_schema = OFF; PRAGMA foreign_keys = ON;"
	             "PRAGMA synchronous = FULL",
	             "configuring the database", err))
		return err->code;
	if (readonly)
		return ITUI_OK;
	return enable_wal(db, err);
}

/* A reader cannot migrate: an older schema needs a writer first. */
static enum itui_code
current_schema(const char *path, int version, struct itui_err *err)
{
	if (version < db_schema_version())
		return err_set(
		    err, ITUI_READONLY,
		    "%s needs a schema upgrade, which needs write access",
		    path);
	return ITUI_OK;
}

/* The file as it is, without -wal or -shm: no live updates, no writes. */
static enum itui_code
open_immutable(const char *path, struct db_handle *out, struct itui_err *err)
{
	int version = 0, rc;
	char *uri = sqlite3_mprintf("file:%s?immutable=1", path);

	rc = sqlite3_open_v2(uri, &out->db,
	                     SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
	sqlite3_free(uri);
	if (rc != SQLITE_OK)
		return db_error(out->db, rc, path, err);
	out->snapshot = 1;
	out->readonly = 1;
	if (configure(out->db, 1, err) != ITUI_OK ||
	    check_identity(out->db, path, &version, err) != ITUI_OK)
		return err->code;
	return current_schema(path, version, err);
}

static enum itui_code
open_readonly(const char *path, struct db_handle *out, struct itui_err *err)
{
	int version = 0, rc;

	rc = sqlite3_open_v2(path, &out->db, SQLITE_OPEN_READONLY, NULL);
	if (rc == SQLITE_OK)
		sqlite3_busy_timeout(out->db, DB_BUSY_TIMEOUT_MS);
	if (rc == SQLITE_OK && configure(out->db, 1, err) == ITUI_OK &&
	    check_identity(out->db, path, &version, err) == ITUI_OK)
		goto done;
	if (err != NULL && (err->code == ITUI_NOTDB || err->code == ITUI_NEWER))
		return err->code;
	/*
	 * Without write access to the directory SQLite cannot build the WAL
	 * index; an immutable open still reads the file (no live updates).
	 */
	sqlite3_close(out->db);
	out->db = NULL;
	return open_immutable(path, out, err);
done:
	out->readonly = 1;
	return current_schema(path, version, err);
}

/*
 * A full disk: SQLite cannot grow the -shm it maps for the WAL index, so
 * every open fails, readers too.  With nothing in the -wal (the last
 * connection checkpointed it, or it never grew) the database file holds
 * every commit, and an immutable open reads it without the -shm; writes
 * are refused naming the disk.  With frames in the -wal, an immutable read
 * would miss commits: the open fails, naming the disk.
 */
static enum itui_code
open_on_full_disk(const char *path, struct db_handle *out, struct itui_err *err)
{
	char *wal = xasprintf("%s-wal", path);
	struct stat st;
	int empty = stat(wal, &st) != 0 || st.st_size == 0;

	free(wal);
	if (!empty)
		return sd_full_error(path, path, err);
	sqlite3_close(out->db);
	out->db = NULL;
	if (open_immutable(path, out, err) != ITUI_OK)
		return sd_full_error(path, path, err);
	out->full = 1;
	return ITUI_OK;
}

enum itui_code
db_open(const char *path, unsigned flags, struct db_handle *out,
        struct itui_err *err)
{
	char *copy = xstrdup(path), *dir = dirname(copy);
	struct stat st;
	enum itui_code rc;
	int version = 0, src;

	memset(out, 0, sizeof *out);
	if ((rc = check_filesystem(dir, err)) != ITUI_OK ||
	    (rc = check_planted(path, dir, err)) != ITUI_OK)
		goto out;
	if (stat(path, &st) != 0) {
		if (errno != ENOENT || (flags & (DB_NOCREATE | DB_READONLY))) {
			rc = err_set(
			    err, errno == ENOENT ? ITUI_INPUT : ITUI_IO,
			    "cannot open %s: %s", path, strerror(errno));
			goto out;
		}
		if ((rc = create_file(path, dir, err)) != ITUI_OK)
			goto out;
	} else if (S_ISDIR(st.st_mode)) {
		rc = err_set(err, ITUI_INPUT,
		             "%s is a directory, not a database", path);
		goto out;
	} else if (!S_ISREG(st.st_mode)) {
		/* SQLite would open a device and leave a -journal beside it. */
		rc = err_set(err, ITUI_INPUT,
		             "%s is not a regular file, so not a database",
		             path);
		goto out;
	} else if (access(path, R_OK) != 0) {
		rc = err_set(err, ITUI_IO, "cannot read %s: %s", path,
		             strerror(errno));
		goto out;
	}
	if ((flags & DB_READONLY) || access(path, W_OK) != 0) {
		rc = open_readonly(path, out, err);
		goto out;
	}
	src = sqlite3_open_v2(path, &out->db, SQLITE_OPEN_READWRITE, NULL);
	if (src != SQLITE_OK) {
		rc = db_error(out->db, src, path, err);
		goto out;
	}
	/* Before the first read: another process may be creating the file. */
	sqlite3_busy_timeout(out->db, DB_BUSY_TIMEOUT_MS);
	if ((rc = check_identity(out->db, path, &version, err)) != ITUI_OK ||
	    (rc = configure(out->db, 0, err)) != ITUI_OK) {
		if (db_disk_full(out->db))
			rc = open_on_full_disk(path, out, err);
		goto out;
	}
	if (version < db_schema_version() &&
	    (rc = migrate(out->db, path, err)) != ITUI_OK)
		goto out;
	align_sidecar_groups(path);
out:
	if (rc != ITUI_OK && out->db != NULL) {
		sqlite3_close(out->db);
		out->db = NULL;
	}
	free(copy);
	return rc;
}
