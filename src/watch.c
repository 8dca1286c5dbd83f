/* watch.c - the interface's end of the store's change hint (watch.h). */
#include <stddef.h>

#include "itui/store.h"
#include "itui/watch.h"

void
watch_open(struct watch *w, const char *db_path)
{
	w->sw = store_watch_open(db_path);
	w->fd = store_watch_fd(w->sw);
}

void
watch_close(struct watch *w)
{
	store_watch_close(w->sw);
	w->sw = NULL;
	w->fd = -1;
}

int
watch_drain(struct watch *w)
{
	int hit = store_watch_drain(w->sw);

	/* A listening connection made again has another socket (or none). */
	w->fd = store_watch_fd(w->sw);
	return hit;
}

void
watch_hold(struct watch *w, int hold)
{
	store_watch_hold(w->sw, hold);
}
