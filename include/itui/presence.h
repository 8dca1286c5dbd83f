/*
 * presence.h - who else has the database open: the rows of the presence
 * table (kept apart from the record: never audited, never on a timeline,
 * never touching an incident or a revision), when a dashboard should write
 * its own, and the text the dashboard shows.
 *
 * Contract: pure functions (no SQL, no curses) except presence_alive(),
 * which asks the kernel whether a same-host process still runs.  Any
 * thread.  Strings in a struct presence are borrowed; in a presence_list
 * they are owned and freed by presence_list_free().
 *
 * How a dashboard uses it (the lead wires it):
 *   - at start: presence_session_id(), presence_tracker_init();
 *   - on open, on selecting another incident, on the input line going from
 *     empty to non-empty or back, on a resize, and on every clock tick:
 *     presence_tracker_changed(&t, &mine) (SQLite: one host) or
 *     presence_tracker_due(&t, &mine, now) (several hosts) and, when so,
 *     store_presence_set(st, &mine) then presence_tracker_wrote(&t, &mine,
 *     now).  That is a write on a change and a heartbeat every
 *     PRESENCE_HEARTBEAT seconds, no more;
 *   - when data_version moves but the store's revision does not (another
 *     dashboard's presence write), and every PRESENCE_REFRESH seconds:
 *     store_presence_list() only, never a full reload;
 *   - on quit: store_presence_clear().
 */
#ifndef ITUI_PRESENCE_H
#define ITUI_PRESENCE_H

#include <stddef.h>
#include <stdint.h>

#include "itui/model.h"

#define PRESENCE_HEARTBEAT                                                  \
	30                  /* seconds between writes of an unchanged state \
	                     */
#define PRESENCE_STALE   45 /* older than this: gone (SIGKILL, lost SSH) */
#define PRESENCE_REFRESH 15 /* how often a dashboard re-reads the list */

struct presence {
	const char *session; /* "host:pid", one per dashboard */
	const char *user;
	int64_t incident_id; /* 0: none selected */
	int typing;          /* text in the input line for that incident */
	int cols, rows;      /* terminal size, 0 when unknown */
	int via_ssh;
};

struct presence_row {
	char *session;
	char *user;
	char *host;
	int64_t pid;
	int64_t incident_id;
	int typing;
	int cols, rows;
	int via_ssh;
	int64_t seen_at;
};

struct presence_list {
	struct presence_row *v;
	size_t n;
};

void presence_list_free(struct presence_list *l);

/* This host's name, as presence rows record it. */
void presence_host(char *buf, size_t size);
/* "host:pid" of this process into buf. */
void presence_session_id(char *buf, size_t size);
/* 0 when row is a process of this host that no longer runs. */
int presence_alive(const struct presence_row *row);

struct presence_tracker {
	int written; /* anything written yet */
	int64_t at;  /* when */
	int64_t incident_id;
	int typing, cols, rows;
};

void presence_tracker_init(struct presence_tracker *t);
/* 1 when `now` differs from what was written, or a heartbeat is due. */
int presence_tracker_due(const struct presence_tracker *t,
                         const struct presence *p, int64_t now);
/*
 * 1 when `p` differs from what was written: all a dashboard of a SQLite
 * store needs, since every process on it runs on this one host and its row
 * lives as long as the process does (presence_alive()), so a heartbeat
 * would only wake every other dashboard for nothing.
 */
int presence_tracker_changed(const struct presence_tracker *t,
                             const struct presence *p);
void presence_tracker_wrote(struct presence_tracker *t,
                            const struct presence *p, int64_t now);
/* When the next heartbeat falls due (for the loop's poll timeout). */
int64_t presence_tracker_next(const struct presence_tracker *t);

/*
 * The others, as one line of at most `width` columns (0: no limit), e.g.
 * "alice (IC) · carol typing… · dave 80x24 via ssh".  incident_id > 0: only
 * those on that incident (the roster), with their roles from `inc` (may be
 * NULL); 0: everyone (the top bar), with " INC-N" after those on one.
 * The row of self_session is left out, sessions of one person are merged.
 * Untrusted names are sanitised.  The caller frees the result.
 */
char *presence_line(const struct presence_list *l, const char *self_session,
                    int64_t incident_id, const struct incident *inc,
                    size_t width);

#endif
