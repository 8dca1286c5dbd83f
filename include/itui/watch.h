/*
 * watch.h - the interface's change hint for the database: whatever the
 * store gives for the location (store_watch_open(): inotify for an SQLite
 * file, the LISTENing libpq socket for PostgreSQL).
 *
 * Contract: a hint only.  The interface polls watch.fd and, when
 * watch_drain() says something changed, asks the store's data version,
 * which decides; it re-checks briefly after a wake (SQLite's event may come
 * before the commit is published).  Writes that were not announced
 * (STORE_WATCH_LATE) are held back for a while after each (store.h).
 * Main thread.
 */
#ifndef ITUI_WATCH_H
#define ITUI_WATCH_H

struct store_watch;

struct watch {
	int fd; /* -1 when no hint is available: the slow poll still works */
	struct store_watch *sw;
};

void watch_open(struct watch *w, const char *db_path);
void watch_close(struct watch *w);
/* Reads pending events: STORE_WATCH_* bits. */
int watch_drain(struct watch *w);
void watch_hold(struct watch *w, int hold);

#endif
