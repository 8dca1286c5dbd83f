/*
 * store-drv.h - the narrow driver beneath the store: a connection, its
 * transactions, statements and their rows, error mapping and the change
 * hint.  Two drivers stand behind it: SQLite (store-sqlite.c with db.c) and
 * PostgreSQL (store-pg.c, libpq loaded with dlopen()).
 *
 * Contract: included only by src/store*.c and src/db.c.  A connection and
 * its statements belong to one thread.  Result codes are SQLite's numbers
 * (SD_OK, SD_ROW, SD_DONE; anything else is an error that sd_error() turns
 * into an itui code and a sentence), so the SQLite driver passes its own
 * codes through.  Strings returned by sd_text() and sd_column_name() live
 * until the next step, reset or finalize of that statement.  SQL is written
 * once with `?` or `?N` placeholders; the PostgreSQL driver renumbers them
 * and sd_sql() picks a dialect's form where the two differ.
 */
#ifndef ITUI_STORE_DRV_H
#define ITUI_STORE_DRV_H

#include <stddef.h>
#include <stdint.h>

#include "itui/err.h"

#define SD_OK   0
#define SD_ERR  1
#define SD_BUSY 5
#define SD_ROW  100
#define SD_DONE 101

/* Column types (SQLite's numbers). */
enum sd_type {
	SD_INTEGER = 1,
	SD_FLOAT = 2,
	SD_TEXT = 3,
	SD_BLOB = 4,
	SD_NULL = 5,
};

enum sd_dialect { SD_SQLITE, SD_PG };

/*
 * Lock scopes for sd_begin(): a write on one incident waits only for other
 * writes on it; SD_SCOPE_ALL (alert sync, migrations, batches) waits for
 * every write and makes every other write wait.
 */
#define SD_SCOPE_ALL ((int64_t)-1)
/* A new incident: waits only for SD_SCOPE_ALL (its id is not known yet). */
#define SD_SCOPE_NEW ((int64_t)-2)

struct sd_db;
struct sd_stmt;

struct sd_ops {
	const char *name;
	void (*close)(struct sd_db *db);
	int (*exec)(struct sd_db *db, const char *sql);
	int (*prepare)(struct sd_db *db, const char *sql, int keep,
	               struct sd_stmt **out);
	int (*bind_int64)(struct sd_stmt *s, int col, int64_t v);
	int (*bind_text)(struct sd_stmt *s, int col, const char *v);
	int (*bind_null)(struct sd_stmt *s, int col);
	int (*step)(struct sd_stmt *s);
	/* Ready to bind and step again, bindings cleared. */
	void (*reset)(struct sd_stmt *s);
	void (*finalize)(struct sd_stmt *s);
	int (*column_count)(struct sd_stmt *s);
	const char *(*column_name)(struct sd_stmt *s, int col);
	int (*column_type)(struct sd_stmt *s, int col);
	int64_t (*column_int64)(struct sd_stmt *s, int col);
	const char *(*column_text)(struct sd_stmt *s, int col);
	int64_t (*last_id)(struct sd_db *db);
	int (*changes)(struct sd_db *db);
	int (*errcode)(struct sd_db *db);
	enum itui_code (*error)(struct sd_db *db, int rc, const char *doing,
	                        struct itui_err *err);
	/* A write transaction holding the scope's lock. */
	int (*begin)(struct sd_db *db, int64_t scope);
	/* Commit, after bumping the revision and naming the incident. */
	int (*commit)(struct sd_db *db, int64_t incident);
	void (*rollback)(struct sd_db *db);
	/* A number that moves when another connection commits. */
	int (*revision)(struct sd_db *db, int64_t *out);
	/* 1 when this connection holds (or now takes) the job's lease. */
	int (*lease)(struct sd_db *db, const char *job);
	/* How long a write waits for the lock before SD_BUSY (ms). */
	void (*set_wait)(struct sd_db *db, int ms);
	/* 0 when files this connection maps or writes were removed, replaced
	 * or cut short under it (SQLite's -wal and -shm); NULL: always 1. */
	int (*intact)(struct sd_db *db);
};

/* The part every driver's connection starts with. */
struct sd_db {
	const struct sd_ops *ops;
	enum sd_dialect dialect;
	int readonly; /* opened read-only (by request or by permission) */
	int snapshot; /* SQLite read through immutable=1: no live updates */
	int full;     /* ... because its disk is full (db.h) */
	int wait_ms;  /* a write's wait for the lock (DB_BUSY_TIMEOUT_MS) */
	int standby;  /* PostgreSQL: the server is a standby (in recovery) */
	/* PostgreSQL: the server's clock when the open transaction got its
	 * locks (0 outside one), so recorded times share one clock. */
	int64_t server_now;
};

/* The part every driver's statement starts with. */
struct sd_stmt {
	const struct sd_ops *ops;
	struct sd_db *db;
};

/* A location names PostgreSQL (postgresql://, postgres://, service=). */
int sd_is_pg_location(const char *loc);

/* Opens a location: a path (or file:/sqlite: URI) or a PostgreSQL one. */
enum itui_code sd_open(const char *loc, unsigned flags, struct sd_db **out,
                       struct itui_err *err);
enum itui_code sd_pg_open(const char *loc, unsigned flags, struct sd_db **out,
                          struct itui_err *err);
enum itui_code sd_sqlite_open(const char *path, unsigned flags,
                              struct sd_db **out, struct itui_err *err);

/*
 * The busy error both drivers give: after the long wait of a command "the
 * database stayed busy for over 10 s"; after the short one of a dashboard
 * (store_set_wait()) "held by another process", which the dashboard turns
 * into its waiting status.
 */
enum itui_code sd_busy_error(const struct sd_db *db, const char *doing,
                             struct itui_err *err);

/* "[DOING: ]the disk holding DIR is full; nothing was changed", DIR the
 * directory of path (a full disk is named, not "disk I/O error"). */
enum itui_code sd_full_error(const char *path, const char *doing,
                             struct itui_err *err);

/* The location as shown: a PostgreSQL one without its password. */
char *sd_display(const char *loc);
char *sd_pg_display(const char *loc);
/* A connection that LISTENs for commits; its socket in *fd (store.h). */
void *sd_pg_listen(const char *loc, int *fd);
/* 1 when a commit was announced; *fd changes when it had to reconnect. */
int sd_pg_listen_drain(void *h, int *fd);
void sd_pg_listen_close(void *h);

/* PostgreSQL: makes the itui_writer and itui_reader roles and grants. */
int sd_pg_roles(struct sd_db *db);

/* The SQL for this connection's dialect: SQLite's form or PostgreSQL's. */
static inline const char *
sd_sql(const struct sd_db *db, const char *lite, const char *pg)
{
	return db->dialect == SD_PG ? pg : lite;
}

static inline void
sd_close(struct sd_db *db)
{
	if (db != NULL)
		db->ops->close(db);
}
static inline int
sd_exec(struct sd_db *db, const char *sql)
{
	return db->ops->exec(db, sql);
}
static inline int
sd_prepare(struct sd_db *db, const char *sql, struct sd_stmt **out)
{
	return db->ops->prepare(db, sql, 0, out);
}
/* Prepared once and kept: reset (not finalize) it after use. */
static inline int
sd_prepare_keep(struct sd_db *db, const char *sql, struct sd_stmt **out)
{
	return db->ops->prepare(db, sql, 1, out);
}
static inline int
sd_bind_int64(struct sd_stmt *s, int col, int64_t v)
{
	return s->ops->bind_int64(s, col, v);
}
static inline int
sd_bind_text(struct sd_stmt *s, int col, const char *v)
{
	return s->ops->bind_text(s, col, v);
}
static inline int
sd_bind_null(struct sd_stmt *s, int col)
{
	return s->ops->bind_null(s, col);
}
static inline int
sd_step(struct sd_stmt *s)
{
	return s->ops->step(s);
}
static inline void
sd_reset(struct sd_stmt *s)
{
	s->ops->reset(s);
}
static inline void
sd_finalize(struct sd_stmt *s)
{
	if (s != NULL)
		s->ops->finalize(s);
}
static inline int
sd_column_count(struct sd_stmt *s)
{
	return s->ops->column_count(s);
}
static inline const char *
sd_column_name(struct sd_stmt *s, int col)
{
	return s->ops->column_name(s, col);
}
static inline int
sd_type(struct sd_stmt *s, int col)
{
	return s->ops->column_type(s, col);
}
static inline int
sd_is_null(struct sd_stmt *s, int col)
{
	return s->ops->column_type(s, col) == SD_NULL;
}
static inline int64_t
sd_int64(struct sd_stmt *s, int col)
{
	return s->ops->column_int64(s, col);
}
static inline int
sd_int(struct sd_stmt *s, int col)
{
	return (int)s->ops->column_int64(s, col);
}
static inline const char *
sd_text(struct sd_stmt *s, int col)
{
	return s->ops->column_text(s, col);
}
static inline int64_t
sd_last_id(struct sd_db *db)
{
	return db->ops->last_id(db);
}
static inline int
sd_changes(struct sd_db *db)
{
	return db->ops->changes(db);
}
static inline int
sd_errcode(struct sd_db *db)
{
	return db->ops->errcode(db);
}
static inline enum itui_code
sd_error(struct sd_db *db, int rc, const char *doing, struct itui_err *err)
{
	return db->ops->error(db, rc, doing, err);
}

#endif
