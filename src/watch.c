/* watch.c - inotify on the database directory, filtered by file name. */
#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "itui/watch.h"
#include "itui/xalloc.h"

void
watch_open(struct watch *w, const char *db_path)
{
	/*
	 * SQLite follows a symlinked path and keeps its -wal beside the
	 * target: watch there, or the events never come.
	 */
	char *real = realpath(db_path, NULL);
	char *d = xstrdup(real ? real : db_path),
	     *b = xstrdup(real ? real : db_path);

	w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	w->wd = -1;
	w->db_name = xstrdup(basename(b));
	w->wal_name = xasprintf("%s-wal", w->db_name);
	if (w->fd >= 0) {
		w->wd = inotify_add_watch(w->fd, dirname(d),
		                          IN_MODIFY | IN_CREATE | IN_MOVED_TO |
		                              IN_CLOSE_WRITE);
		if (w->wd < 0) {
			close(w->fd);
			w->fd = -1;
		}
	}
	free(d);
	free(b);
	free(real);
}

void
watch_close(struct watch *w)
{
	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
	free(w->db_name);
	free(w->wal_name);
	w->db_name = w->wal_name = NULL;
}

int
watch_drain(struct watch *w)
{
	char buf[4096]
	    __attribute__((aligned(__alignof__(struct inotify_event))));
	int hit = 0;

	if (w->fd < 0)
		return 0;
	for (;;) {
		ssize_t n = read(w->fd, buf, sizeof buf), off = 0;

		if (n <= 0)
			break;
		while (off < n) {
			const struct inotify_event *ev =
			    (const struct inotify_event *)(buf + off);

			if (ev->len > 0 &&
			    (strcmp(ev->name, w->wal_name) == 0 ||
			     strcmp(ev->name, w->db_name) == 0))
				hit = 1;
			off += (ssize_t)sizeof *ev + ev->len;
		}
	}
	return hit;
}
