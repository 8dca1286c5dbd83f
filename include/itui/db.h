/*
 * db.h - opening the shared SQLite file: permissions, pragmas, migrations.
 *
 * Contract: used only by the SQLite driver (store-sqlite.c), beneath the
 * store's narrow driver (store-drv.h).  One
 * connection per thread; never carried across fork().  db_open() creates a
 * missing file with group permissions matching its directory, refuses network
 * filesystems, files that are not incident-tui databases, and files written
 * by a newer schema, and migrates older ones inside BEGIN IMMEDIATE (so many
 * processes starting at once migrate exactly once).  The caller closes the
 * handle with sqlite3_close().
 */
#ifndef ITUI_DB_H
#define ITUI_DB_H

#include <sqlite3.h>

#include "itui/err.h"

#define DB_APPLICATION_ID  0x49545549 /* "ITUI" */
#define DB_BUSY_TIMEOUT_MS 10000

enum {
	DB_READONLY = 1 << 0, /* open for reading only */
	DB_NOCREATE = 1 << 1, /* a missing file is an error */
};

struct db_handle {
	sqlite3 *db;
	int readonly; /* opened read-only (by request or by permission) */
	int snapshot; /* read through immutable=1: no live updates */
	int full;     /* ... because the disk is full: writes say so */
};

enum itui_code db_open(const char *path, unsigned flags, struct db_handle *out,
                       struct itui_err *err);

/* The last error of db was ENOSPC. */
int db_disk_full(sqlite3 *db);

/* The schema version this build writes. */
int db_schema_version(void);

/*
 * Maps an SQLite result code to an itui code and a message naming what was
 * being done.
 */
enum itui_code db_error(sqlite3 *db, int rc, const char *doing,
                        struct itui_err *err);

/*
 * Looks at the directory, the database and its -wal/-shm files for the
 * permission mistakes that lock other group members out, and writes the
 * commands that fix them into buf (empty when all is well).
 */
void db_permission_advice(const char *path, char *buf, size_t size);

/* chain_fill() on the raw handle, for the migration (store-sqlite.c). */
enum itui_code db_chain_fill(sqlite3 *db, struct itui_err *err);

#endif
