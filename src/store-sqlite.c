/*
 * store-sqlite.c - the SQLite driver (store-drv.h): the shared file on one
 * host, opened by db.c.
 *
 * DESIGN: a thin pass-through.  Result and type codes are SQLite's own
 * numbers, every write begins IMMEDIATE (a deferred one that upgrades gets
 * SQLITE_BUSY_SNAPSHOT without waiting) after taking its turn in the
 * writers' queue (first come, first served), there is one write lock so the
 * scope of a change is ignored, and the revision is PRAGMA data_version,
 * which moves when another connection commits.
 */
#include <fcntl.h>
#include <libgen.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "itui/db.h"
#include "itui/store-chain.h"
#include "itui/store-drv.h"
#include "itui/store.h"
#include "itui/xalloc.h"

#define MAX_LEASES   4
#define WAKE_SUFFIX  ".wake"
#define WAKE_UNTRIED (-2)
/*
 * Prepared statements kept for reuse.  A dashboard's reload runs the same
 * twenty-odd statements on every commit it sees, and compiling them was
 * most of its SQLite time; a reset statement holds no lock or snapshot.
 */
#define STMT_CACHE 64

struct lite_stmt {
	struct sd_stmt base;
	sqlite3_stmt *s;
	uint64_t hash;
	int cached; /* in the cache: finalize resets it instead */
	int busy;   /* handed out and not yet given back */
};

struct lite_db {
	struct sd_db base;
	sqlite3 *db;
	struct sd_stmt *version; /* PRAGMA data_version, kept */
	char *path;
	int64_t busy_start_ms; /* when the current wait for the lock began */
	unsigned seed;         /* the busy handler's jitter */
	int queue_fd;          /* DB.write.lock: the writers' queue, or -1 */
	int queue_tried;       /* opened (or failed to) once */
	int64_t ticket;        /* our place in the queue, -1 when none */
	struct {
		char *job;
		int fd; /* its DB.JOB.lock, flock()ed */
	} leases[MAX_LEASES];
	int wake_fd; /* DB.wake (wake_fd()), -1: none */
	/* The -wal and -shm as this connection opened them (l_intact()),
	 * beside the database's real path, where SQLite keeps them. */
	char *side_base;
	struct {
		dev_t dev;
		ino_t ino;
		off_t size;
		int have;
	} side[2];
	struct lite_stmt *cache[STMT_CACHE];
	unsigned cache_next; /* the slot the next new statement takes */
};

#define LDB(d) (((struct lite_db *)(void *)(d))->db)
#define LST(x) (((struct lite_stmt *)(void *)(x))->s)

static void
l_free_stmt(struct lite_stmt *ls)
{
	sqlite3_finalize(ls->s);
	free(ls);
}

/* Before the handle closes: a statement still handed out is freed by its
 * owner's finalize. */
static void
cache_clear(struct lite_db *l)
{
	int i;

	for (i = 0; i < STMT_CACHE; i++)
		if (l->cache[i] != NULL) {
			l->cache[i]->cached = 0;
			if (!l->cache[i]->busy)
				l_free_stmt(l->cache[i]);
			l->cache[i] = NULL;
		}
}

static void
l_close(struct sd_db *d)
{
	struct lite_db *l = (struct lite_db *)(void *)d;
	int i;

	sd_finalize(l->version);
	cache_clear(l);
	sqlite3_close(l->db);
	if (l->wake_fd >= 0)
		close(l->wake_fd);
	if (l->queue_fd >= 0)
		close(l->queue_fd); /* releases our place */
	for (i = 0; i < MAX_LEASES; i++)
		if (l->leases[i].job != NULL) {
			close(l->leases[i].fd); /* releases the flock */
			free(l->leases[i].job);
		}
	free(l->side_base);
	free(l->path);
	free(l);
}

static int
l_exec(struct sd_db *d, const char *sql)
{
	return sqlite3_exec(LDB(d), sql, NULL, NULL, NULL);
}

static const struct sd_ops lite_ops;

/* FNV-1a: the cache compares the text only when this matches. */
static uint64_t
sql_hash(const char *sql)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *sql != '\0'; sql++)
		h = (h ^ (unsigned char)*sql) * 1099511628211ULL;
	return h;
}

/* The cached, idle statement for this text, or NULL. */
static struct lite_stmt *
cache_find(struct lite_db *l, const char *sql, uint64_t h)
{
	int i;

	for (i = 0; i < STMT_CACHE; i++) {
		struct lite_stmt *c = l->cache[i];

		if (c != NULL && c->hash == h && !c->busy &&
		    strcmp(sqlite3_sql(c->s), sql) == 0)
			return c;
	}
	return NULL;
}

/* Takes a slot round-robin; a statement pushed out while handed out is
 * freed when its owner finalizes it. */
static void
cache_add(struct lite_db *l, struct lite_stmt *ls)
{
	struct lite_stmt *old = l->cache[l->cache_next];

	if (old != NULL) {
		old->cached = 0;
		if (!old->busy)
			l_free_stmt(old);
	}
	l->cache[l->cache_next] = ls;
	l->cache_next = (l->cache_next + 1) % STMT_CACHE;
	ls->cached = 1;
}

static int
l_prepare(struct sd_db *d, const char *sql, int keep, struct sd_stmt **out)
{
	struct lite_db *l = (struct lite_db *)(void *)d;
	uint64_t h = sql_hash(sql);
	struct lite_stmt *ls = cache_find(l, sql, h);
	sqlite3_stmt *s = NULL;
	int rc;

	*out = NULL;
	if (ls != NULL) {
		ls->busy = 1;
		*out = &ls->base;
		return SQLITE_OK;
	}
	rc = sqlite3_prepare_v3(LDB(d), sql, -1, SQLITE_PREPARE_PERSISTENT, &s,
	                        NULL);
	if (rc != SQLITE_OK) {
		sqlite3_finalize(s);
		return rc;
	}
	ls = xcalloc(1, sizeof *ls);
	ls->base.ops = &lite_ops;
	ls->base.db = d;
	ls->s = s;
	ls->hash = h;
	ls->busy = 1;
	/* A kept statement is its owner's already; the rest are shared. */
	if (!keep)
		cache_add(l, ls);
	*out = &ls->base;
	return SQLITE_OK;
}

static int
l_bind_int64(struct sd_stmt *s, int col, int64_t v)
{
	return sqlite3_bind_int64(LST(s), col, v);
}

static int
l_bind_text(struct sd_stmt *s, int col, const char *v)
{
	return sqlite3_bind_text(LST(s), col, v, -1, SQLITE_TRANSIENT);
}

static int
l_bind_null(struct sd_stmt *s, int col)
{
	return sqlite3_bind_null(LST(s), col);
}

static int
l_step(struct sd_stmt *s)
{
	return sqlite3_step(LST(s));
}

static void
l_reset(struct sd_stmt *s)
{
	sqlite3_reset(LST(s));
	sqlite3_clear_bindings(LST(s));
}

static void
l_finalize(struct sd_stmt *s)
{
	struct lite_stmt *ls = (struct lite_stmt *)(void *)s;

	ls->busy = 0;
	if (ls->cached) {
		sqlite3_reset(ls->s);
		sqlite3_clear_bindings(ls->s);
		return;
	}
	l_free_stmt(ls);
}

static int
l_column_count(struct sd_stmt *s)
{
	return sqlite3_column_count(LST(s));
}

static const char *
l_column_name(struct sd_stmt *s, int col)
{
	return sqlite3_column_name(LST(s), col);
}

static int
l_column_type(struct sd_stmt *s, int col)
{
	return sqlite3_column_type(LST(s), col);
}

static int64_t
l_column_int64(struct sd_stmt *s, int col)
{
	return sqlite3_column_int64(LST(s), col);
}

static const char *
l_column_text(struct sd_stmt *s, int col)
{
	return (const char *)sqlite3_column_text(LST(s), col);
}

static int64_t
l_last_id(struct sd_db *d)
{
	return sqlite3_last_insert_rowid(LDB(d));
}

static int
l_changes(struct sd_db *d)
{
	return sqlite3_changes(LDB(d));
}

static int
l_errcode(struct sd_db *d)
{
	return sqlite3_errcode(LDB(d));
}

static enum itui_code
l_error(struct sd_db *d, int rc, const char *doing, struct itui_err *err)
{
	if (d != NULL &&
	    ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED))
		return sd_busy_error(d, doing, err);
	return db_error(d != NULL ? LDB(d) : NULL, rc, doing, err);
}

enum itui_code
sd_busy_error(const struct sd_db *db, const char *doing, struct itui_err *err)
{
	if (db->wait_ms < DB_BUSY_TIMEOUT_MS)
		return err_set(err, ITUI_BUSY,
		               "%s: the database is held by another process; "
		               "nothing was changed",
		               doing);
	return err_set(err, ITUI_BUSY,
	               "%s: the database stayed busy for over %d s (another "
	               "process is holding it); nothing was changed, try again",
	               doing, DB_BUSY_TIMEOUT_MS / 1000);
}

enum itui_code
sd_full_error(const char *path, const char *doing, struct itui_err *err)
{
	char *copy = xstrdup(path != NULL && *path != '\0' ? path : "."),
	     *real = realpath(dirname(copy), NULL);
	enum itui_code rc =
	    err_set(err, ITUI_IO,
	            "%s%sthe disk holding %s is full; nothing was changed",
	            doing != NULL ? doing : "", doing != NULL ? ": " : "",
	            real != NULL ? real : dirname(copy));

	free(real);
	free(copy);
	return rc;
}

/*
 * SQLite's own busy handler backs off to 100 ms sleeps, so among many
 * waiting writers the one that has waited longest looks least often and
 * may wait the whole timeout (20 writers: p99 655 ms, max 2.97 s).  This
 * one looks again every BUSY_POLL_US (with jitter, so the waiters do not
 * wake in step) until the connection's wait is over.
 */
#define BUSY_POLL_US 500

static int64_t
mono_ms(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000;
}

static int
l_busy(void *arg, int count)
{
	struct lite_db *l = arg;
	int64_t ms = mono_ms();

	if (count == 0)
		l->busy_start_ms = ms;
	if (ms - l->busy_start_ms >= l->base.wait_ms)
		return 0;
	usleep(BUSY_POLL_US / 2 +
	       (useconds_t)(rand_r(&l->seed) % BUSY_POLL_US));
	return 1;
}

static void
l_set_wait(struct sd_db *d, int ms)
{
	d->wait_ms = ms;
}

/*
 * The writers' queue.  SQLite's write lock has no queue: whoever looks
 * first when it is free wins, so a writer can lose to newcomers again and
 * again (20 writers: p99 224 ms, max 382 ms even with a busy handler that
 * never backs off).  So before BEGIN IMMEDIATE a writer takes a ticket
 * from a counter in DB.write.lock (under a lock on its byte 0), holds a
 * lock on byte QUEUE_BASE + ticket until its transaction ends, and waits
 * until the byte of the ticket before it is free.  Open-file-description
 * locks, so the dashboard and its poller thread queue like processes, and
 * a process that dies leaves the queue with its locks.  A stopped writer
 * still holds everyone back only until their wait (wait_ms) is over, as
 * before.  Without the file (a read-only directory) writers do not queue.
 */
#define QUEUE_BASE    8
#define QUEUE_POLL_US 200
#define QUEUE_BACK_US 1000

static int
byte_lock(int fd, int cmd, short type, int64_t at)
{
	struct flock fl;

	memset(&fl, 0, sizeof fl);
	fl.l_type = type;
	fl.l_whence = SEEK_SET;
	fl.l_start = (off_t)at;
	fl.l_len = 1;
	if (fcntl(fd, cmd, &fl) != 0)
		return -1;
	return cmd == F_OFD_GETLK ? fl.l_type : 0;
}

static int
queue_open(struct lite_db *l)
{
	struct stat db, st;
	char *path;

	if (l->queue_tried)
		return l->queue_fd;
	l->queue_tried = 1;
	if (l->path == NULL || stat(l->path, &db) != 0)
		return -1;
	path = xasprintf("%s.write.lock", l->path);
	l->queue_fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
	                   db.st_mode & 0666);
	free(path);
	if (l->queue_fd < 0)
		return -1;
	/* Everyone who may write the database may queue for it. */
	if (fstat(l->queue_fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(l->queue_fd);
		l->queue_fd = -1;
		return -1;
	}
	if (st.st_uid == geteuid() && st.st_gid != db.st_gid)
		(void)!fchown(l->queue_fd, (uid_t)-1, db.st_gid);
	if (st.st_uid == geteuid() &&
	    (st.st_mode & 0666) != (db.st_mode & 0666))
		(void)fchmod(l->queue_fd, db.st_mode & 0666);
	return l->queue_fd;
}

static void
queue_leave(struct lite_db *l)
{
	if (l->ticket < 0)
		return;
	(void)byte_lock(l->queue_fd, F_OFD_SETLK, F_UNLCK,
	                QUEUE_BASE + l->ticket);
	l->ticket = -1;
}

/* 0 once the writers before us are done, -1 when the wait ran out. */
static int
queue_enter(struct lite_db *l, int64_t deadline)
{
	int fd = queue_open(l);
	int64_t t = 0;

	if (fd < 0)
		return 0; /* no queue: SQLite's lock alone */
	while (byte_lock(fd, F_OFD_SETLK, F_WRLCK, 0) != 0) {
		if (mono_ms() >= deadline)
			return -1;
		usleep(QUEUE_POLL_US);
	}
	if (pread(fd, &t, sizeof t, 0) != (ssize_t)sizeof t || t < 0)
		t = 0;
	l->ticket = t;
	t++;
	if (pwrite(fd, &t, sizeof t, 0) != (ssize_t)sizeof t ||
	    byte_lock(fd, F_OFD_SETLK, F_WRLCK, QUEUE_BASE + l->ticket) != 0)
		l->ticket = -1; /* a full disk, say: do not queue */
	(void)byte_lock(fd, F_OFD_SETLK, F_UNLCK, 0);
	if (l->ticket <= 0)
		return 0;
	while (byte_lock(fd, F_OFD_GETLK, F_WRLCK,
	                 QUEUE_BASE + l->ticket - 1) == F_WRLCK) {
		if (mono_ms() >= deadline) {
			queue_leave(l);
			return -1;
		}
		/* Further back, look less often: only the next in line
		 * needs to see the lock go at once. */
		usleep(l->ticket >= 2 &&
		               byte_lock(fd, F_OFD_GETLK, F_WRLCK,
		                         QUEUE_BASE + l->ticket - 2) == F_WRLCK
		           ? QUEUE_BACK_US
		           : QUEUE_POLL_US);
	}
	return 0;
}

static int
l_begin(struct sd_db *d, int64_t scope)
{
	struct lite_db *l = (struct lite_db *)(void *)d;
	int rc;

	(void)scope; /* one write lock for the whole file */
	if (!d->readonly && queue_enter(l, mono_ms() + d->wait_ms) != 0)
		return SQLITE_BUSY;
	rc = sqlite3_exec(LDB(d), "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		queue_leave(l);
	return rc;
}

/* DB.wake at path, made for the group when not there; -1 when neither. */
static int
wake_open(const char *path)
{
	int fd = open(
	    path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0660);

	if (fd >= 0)
		(void)fchmod(fd, 0660); /* the group's, whatever the umask */
	else
		fd = open(path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
	return fd;
}

/*
 * DB.wake, beside the database's real path: touched after each commit,
 * when the commit is published, so a watching dashboard need not guess
 * how long after the -wal write it will be (the fsync between the two).
 * Not there or not ours to touch: the watchers' re-checks still find it.
 */
static int
wake_fd(struct lite_db *l)
{
	char *real, *path;

	if (l->wake_fd != WAKE_UNTRIED || l->path == NULL)
		return l->wake_fd;
	real = realpath(l->path, NULL);
	path = xasprintf("%s" WAKE_SUFFIX, real != NULL ? real : l->path);
	free(real);
	l->wake_fd = wake_open(path);
	free(path);
	return l->wake_fd;
}

static int
l_commit(struct sd_db *d, int64_t incident)
{
	struct lite_db *l = (struct lite_db *)(void *)d;
	int rc = sqlite3_exec(LDB(d), "COMMIT", NULL, NULL, NULL);

	(void)incident; /* every watcher re-reads what changed */
	/* The next writer in the queue goes first, then the watchers wake. */
	if (sqlite3_get_autocommit(LDB(d)))
		queue_leave(l);
	if (rc == SQLITE_OK && wake_fd(l) >= 0)
		(void)futimens(l->wake_fd, NULL);
	return rc;
}

static void
l_rollback(struct sd_db *d)
{
	sqlite3_exec(LDB(d), "ROLLBACK", NULL, NULL, NULL);
	queue_leave((struct lite_db *)(void *)d);
}

static int
l_revision(struct sd_db *d, int64_t *out)
{
	struct lite_db *l = (struct lite_db *)(void *)d;
	int rc = SQLITE_OK;

	if (l->version == NULL)
		rc = l_prepare(d, "PRAGMA data_version", 1, &l->version);
	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_step(LST(l->version));
	if (rc == SQLITE_ROW) {
		*out = sqlite3_column_int64(LST(l->version), 0);
		rc = SQLITE_OK;
	}
	sqlite3_reset(LST(l->version));
	return rc;
}

/* The job's lock file beside the database, kept open while held. */
static int
l_lease(struct sd_db *d, const char *job)
{
	struct lite_db *l = (struct lite_db *)(void *)d;
	char *path;
	int i, fd, slot = -1;

	for (i = 0; i < MAX_LEASES; i++) {
		if (l->leases[i].job != NULL &&
		    strcmp(l->leases[i].job, job) == 0)
			return 1;
		if (l->leases[i].job == NULL && slot < 0)
			slot = i;
	}
	if (slot < 0 || l->path == NULL)
		return 0;
	path = xasprintf("%s.%s.lock", l->path, job);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0660);
	free(path);
	if (fd < 0)
		return 0;
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		close(fd);
		return 0;
	}
	l->leases[slot].job = xstrdup(job);
	l->leases[slot].fd = fd;
	return 1;
}

/*
 * SQLite maps the -shm and appends to the -wal through descriptors it
 * keeps: a -shm cut short (or made immutable) makes its next access a
 * SIGBUS, and a -wal or -shm removed and made again by another process
 * splits the writers in two, each unseen by the other.  Compared with
 * what was there when the connection opened: 0 when either is gone,
 * replaced, shrunk or immutable.
 */
static const char *const side_sfx[2] = {"-wal", "-shm"};

static void
side_note(struct lite_db *l)
{
	struct stat st;
	char *p;
	int i;

	if (l->path == NULL)
		return;
	l->side_base = realpath(l->path, NULL);
	if (l->side_base == NULL)
		l->side_base = xstrdup(l->path);
	for (i = 0; i < 2; i++) {
		p = xasprintf("%s%s", l->side_base, side_sfx[i]);
		l->side[i].have = stat(p, &st) == 0;
		l->side[i].dev = st.st_dev;
		l->side[i].ino = st.st_ino;
		l->side[i].size = st.st_size;
		free(p);
	}
}

/*
 * statx, not open + FS_IOC_GETFLAGS: closing any descriptor of the -shm
 * would drop every POSIX lock this process holds on it, SQLite's own
 * included, and the next connection to close would delete the files.
 */
static int
immutable(const char *path)
{
	struct statx sx;

	return statx(AT_FDCWD, path, 0, 0, &sx) == 0 &&
	       (sx.stx_attributes_mask & STATX_ATTR_IMMUTABLE) &&
	       (sx.stx_attributes & STATX_ATTR_IMMUTABLE);
}

static int
l_intact(struct sd_db *d)
{
	struct lite_db *l = (struct lite_db *)(void *)d;
	struct stat st;
	int i, ok = 1;

	for (i = 0; i < 2 && ok; i++) {
		char *p;

		if (!l->side[i].have)
			continue;
		p = xasprintf("%s%s", l->side_base, side_sfx[i]);
		ok = stat(p, &st) == 0 && st.st_dev == l->side[i].dev &&
		     st.st_ino == l->side[i].ino;
		/* The -shm only grows while open; the -wal may be reset. */
		if (ok && i == 1) {
			ok = st.st_size >= l->side[i].size && !immutable(p);
			l->side[i].size = st.st_size;
		}
		free(p);
	}
	return ok;
}

static const struct sd_ops lite_ops = {
    .name = "sqlite",
    .close = l_close,
    .exec = l_exec,
    .prepare = l_prepare,
    .bind_int64 = l_bind_int64,
    .bind_text = l_bind_text,
    .bind_null = l_bind_null,
    .step = l_step,
    .reset = l_reset,
    .finalize = l_finalize,
    .column_count = l_column_count,
    .column_name = l_column_name,
    .column_type = l_column_type,
    .column_int64 = l_column_int64,
    .column_text = l_column_text,
    .last_id = l_last_id,
    .changes = l_changes,
    .errcode = l_errcode,
    .error = l_error,
    .begin = l_begin,
    .commit = l_commit,
    .rollback = l_rollback,
    .revision = l_revision,
    .lease = l_lease,
    .set_wait = l_set_wait,
    .intact = l_intact,
};

static struct lite_db *
wrap(sqlite3 *db)
{
	struct lite_db *l = xcalloc(1, sizeof *l);

	l->base.ops = &lite_ops;
	l->base.dialect = SD_SQLITE;
	l->base.wait_ms = DB_BUSY_TIMEOUT_MS;
	l->db = db;
	l->wake_fd = WAKE_UNTRIED;
	l->queue_fd = -1;
	l->ticket = -1;
	return l;
}

/* The migration's chain fill runs on the raw handle db.c holds. */
enum itui_code
db_chain_fill(sqlite3 *db, struct itui_err *err)
{
	struct lite_db *l = wrap(db);
	enum itui_code rc = chain_fill(&l->base, err);

	cache_clear(l);
	free(l);
	return rc;
}

/* sqlite:PATH and file:PATH (file:///abs too) name a plain path. */
static const char *
strip_scheme(const char *loc)
{
	if (strncmp(loc, "sqlite:", 7) == 0)
		loc += 7;
	else if (strncmp(loc, "file:", 5) == 0)
		loc += 5;
	else
		return loc;
	if (strncmp(loc, "///", 3) == 0)
		loc += 2;
	return loc;
}

enum itui_code
sd_sqlite_open(const char *path, unsigned flags, struct sd_db **out,
               struct itui_err *err)
{
	struct db_handle h;
	unsigned dflags = 0;
	struct lite_db *l;
	enum itui_code rc;

	*out = NULL;
	if (flags & STORE_READONLY)
		dflags |= DB_READONLY;
	if (flags & STORE_NOCREATE)
		dflags |= DB_NOCREATE;
	rc = db_open(strip_scheme(path), dflags, &h, err);
	if (rc != ITUI_OK)
		return rc;
	l = wrap(h.db);
	l->seed = (unsigned)getpid() ^ (unsigned)(uintptr_t)l;
	sqlite3_busy_handler(h.db, l_busy, l);
	l->path = xstrdup(strip_scheme(path));
	l->base.readonly = h.readonly;
	l->base.snapshot = h.snapshot;
	l->base.full = h.full;
	if (!h.snapshot)
		side_note(l);
	*out = &l->base;
	return ITUI_OK;
}

int
sd_is_pg_location(const char *loc)
{
	return loc != NULL && (strncmp(loc, "postgresql://", 13) == 0 ||
	                       strncmp(loc, "postgres://", 11) == 0 ||
	                       strncmp(loc, "service=", 8) == 0);
}

enum itui_code
sd_open(const char *loc, unsigned flags, struct sd_db **out,
        struct itui_err *err)
{
	if (sd_is_pg_location(loc))
		return sd_pg_open(loc, flags, out, err);
	return sd_sqlite_open(loc, flags, out, err);
}

void
store_permission_advice(const char *path, char *buf, size_t size)
{
	if (sd_is_pg_location(path)) {
		buf[0] = '\0';
		return;
	}
	db_permission_advice(strip_scheme(path), buf, size);
}

char *
sd_display(const char *loc)
{
	return sd_is_pg_location(loc) ? sd_pg_display(loc) : xstrdup(loc);
}

/* ---- the change hint --------------------------------------------------------
 */

/*
 * SQLite: inotify (one instance: a user has 128) on DB.wake, which this
 * build's writers touch once a commit is published (l_commit), and on the
 * directory, for DB.wake or the database made anew and for writes to the
 * database and its -wal (the directory, as the -wal is deleted when the
 * last connection closes; -shm never, a read rewrites it).  Those writes
 * matter only from a writer that does not touch DB.wake (the sqlite3
 * shell), and a commit of ours makes a dozen of them (a -wal write a
 * page, the queue's lock file), each waking every dashboard: so they are
 * STORE_WATCH_LATE, and store_watch_hold() stops them for a while.
 * Without DB.wake (a directory this user may not write) they are the
 * prompt hint, though they come before the commit is published.
 */
struct store_watch {
	int fd;
	int wake_wd;
	int held;
	void *pg; /* the listening connection on PostgreSQL */
	char *dir;
	char *wake_path;
	char *db_name;
	char *wal_name;
	char *wake_name;
};

#define DIR_WRITES (IN_MODIFY | IN_CLOSE_WRITE)
#define DIR_NAMES  (IN_CREATE | IN_MOVED_TO)
#define WAKE_MASK  (IN_ATTRIB | IN_MODIFY | IN_DONT_FOLLOW)

/* Watches DB.wake itself, made when missing (a reader who may not write
 * it still watches it); 0 when there is none. */
static int
watch_wake(struct store_watch *w)
{
	int fd = wake_open(w->wake_path);

	if (fd >= 0)
		close(fd);
	w->wake_wd = inotify_add_watch(w->fd, w->wake_path, WAKE_MASK);
	return w->wake_wd >= 0;
}

static int
watch_dir(struct store_watch *w)
{
	uint32_t mask = DIR_NAMES | (w->held ? 0 : DIR_WRITES);

	return inotify_add_watch(w->fd, w->dir, mask) >= 0;
}

struct store_watch *
store_watch_open(const char *location)
{
	struct store_watch *w = xcalloc(1, sizeof *w);
	const char *path = strip_scheme(location);
	char *b, *real;

	w->fd = w->wake_wd = -1;
	if (sd_is_pg_location(location)) {
		w->pg = sd_pg_listen(location, &w->fd);
		return w;
	}
	/*
	 * SQLite follows a symlinked path and keeps its -wal beside the
	 * target: watch there, or the events never come.
	 */
	real = realpath(path, NULL);
	if (real == NULL)
		real = xstrdup(path);
	w->wake_path = xasprintf("%s" WAKE_SUFFIX, real);
	b = xstrdup(real);
	w->db_name = xstrdup(basename(b));
	free(b);
	w->dir = xstrdup(dirname(real));
	free(real);
	w->wal_name = xasprintf("%s-wal", w->db_name);
	w->wake_name = xasprintf("%s" WAKE_SUFFIX, w->db_name);
	w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (w->fd >= 0) {
		int wake = watch_wake(w);

		if (!watch_dir(w) && !wake) {
			close(w->fd);
			w->fd = -1;
		}
	}
	return w;
}

int
store_watch_fd(const struct store_watch *w)
{
	return w != NULL ? w->fd : -1;
}

void
store_watch_hold(struct store_watch *w, int hold)
{
	if (w == NULL || w->fd < 0 || w->pg != NULL || w->wake_wd < 0 ||
	    w->held == !!hold)
		return;
	w->held = !!hold;
	(void)watch_dir(w);
}

int
store_watch_drain(struct store_watch *w)
{
	char buf[4096]
	    __attribute__((aligned(__alignof__(struct inotify_event))));
	int hit = 0;

	if (w == NULL || w->fd < 0)
		return 0;
	if (w->pg != NULL)
		return sd_pg_listen_drain(w->pg, &w->fd) ? STORE_WATCH_COMMIT
		                                         : 0;
	for (;;) {
		ssize_t n = read(w->fd, buf, sizeof buf), off = 0;

		if (n <= 0)
			break;
		while (off < n) {
			const struct inotify_event *ev =
			    (const struct inotify_event *)(buf + off);
			int wake =
			    ev->len > 0 && strcmp(ev->name, w->wake_name) == 0;
			int file = ev->len > 0 &&
			           (strcmp(ev->name, w->wal_name) == 0 ||
			            strcmp(ev->name, w->db_name) == 0);

			if (ev->wd == w->wake_wd && w->wake_wd >= 0)
				hit |= STORE_WATCH_COMMIT;
			else if ((wake || file) && (ev->mask & DIR_NAMES)) {
				/* DB.wake made anew: watch the new one. */
				if (wake)
					w->wake_wd = inotify_add_watch(
					    w->fd, w->wake_path, WAKE_MASK);
				hit |= STORE_WATCH_COMMIT;
			} else if (file)
				hit |= w->wake_wd >= 0 ? STORE_WATCH_LATE
				                       : STORE_WATCH_COMMIT;
			off += (ssize_t)sizeof *ev + ev->len;
		}
	}
	return hit;
}

void
store_watch_close(struct store_watch *w)
{
	if (w == NULL)
		return;
	if (w->pg != NULL)
		sd_pg_listen_close(w->pg);
	else if (w->fd >= 0)
		close(w->fd);
	free(w->dir);
	free(w->wake_path);
	free(w->db_name);
	free(w->wal_name);
	free(w->wake_name);
	free(w);
}

int
store_schema_version(void)
{
	return db_schema_version();
}
