/*
 * watch.h - a file-change hint for the database: inotify on its directory,
 * filtered to the -wal file and the database itself.
 *
 * Contract: a hint only.  The interface polls watch_fd() and, when
 * watch_drain() says something changed, asks PRAGMA data_version, which
 * decides.  The event fires on the WAL write, before SQLite publishes the
 * commit, so the caller re-checks briefly after a wake.  The directory is
 * watched (not the -wal file) because the -wal is deleted when the last
 * connection closes; -shm is never watched (a read rewrites it).  Main
 * thread.
 */
#ifndef ITUI_WATCH_H
#define ITUI_WATCH_H

struct watch {
	int fd; /* -1 when inotify is unavailable: the slow poll still works */
	int wd;
	char *db_name;
	char *wal_name;
};

void watch_open(struct watch *w, const char *db_path);
void watch_close(struct watch *w);
/* Reads pending events; 1 when one concerned the database files. */
int watch_drain(struct watch *w);

#endif
