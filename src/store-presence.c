/*
 * store-presence.c - presence rows (store-presence.h).
 *
 * A presence write is an UPSERT of one small row outside any write
 * transaction of the record: it never waits behind, or holds up, anything
 * longer than its own statement.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "itui/store-int.h"
#include "itui/store-presence.h"
#include "itui/xalloc.h"

#define PRESENCE_KEEP 3600 /* rows older than this are deleted */

enum itui_code
store_presence_set(struct store *st, const struct presence *p,
                   struct itui_err *err)
{
	const char *colon = strrchr(p->session, ':');
	char *host = colon != NULL
	                 ? xstrndup(p->session, (size_t)(colon - p->session))
	                 : xstrdup(p->session);
	int64_t now = st_now(st);
	enum itui_code rc;

	if (st->db->readonly) {
		free(host);
		return ITUI_OK; /* a read-only viewer is simply not listed */
	}
	if (st_check_name("the user", p->user, err) != ITUI_OK) {
		free(host);
		return err->code;
	}
	rc = st_run(st, err, "recording presence",
	            "INSERT INTO presence(session, user, incident_id, typing,"
	            " cols, rows, via_ssh, pid, host, started_at, seen_at)"
	            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
	            " ON CONFLICT(session) DO UPDATE SET user = excluded.user,"
	            " incident_id = excluded.incident_id,"
	            " typing = excluded.typing, cols = excluded.cols,"
	            " rows = excluded.rows, via_ssh = excluded.via_ssh,"
	            " seen_at = excluded.seen_at",
	            "ssiddddisii", p->session, p->user,
	            p->incident_id > 0 ? p->incident_id : 0, p->typing ? 1 : 0,
	            p->cols, p->rows, p->via_ssh ? 1 : 0, (int64_t)getpid(),
	            host, now, now);
	/* This host's rows are as old as their last change, not dead: they
	 * go when their process does (store_presence_list()). */
	free(host);
	if (rc == ITUI_OK) {
		char here[256];

		presence_host(here, sizeof here);
		rc = st_run(
		    st, err, "recording presence",
		    "DELETE FROM presence WHERE seen_at < ? AND host <> ?",
		    "is", now - PRESENCE_KEEP, here);
	}
	return rc;
}

enum itui_code
store_presence_list(struct store *st, int64_t stale_after,
                    struct presence_list *out, struct itui_err *err)
{
	/* A row of this host lives as long as its process (presence_alive()
	 * asks the kernel), heartbeat or not; another host's goes stale. */
	char host[256];
	struct sd_stmt *s;
	size_t cap = 0;
	int rc;

	memset(out, 0, sizeof *out);
	presence_host(host, sizeof host);
	s = st_query(
	    st, err, "reading presence",
	    "SELECT session, user, host, pid, incident_id, typing, cols,"
	    " rows, via_ssh, seen_at FROM presence"
	    " WHERE seen_at >= ? OR (host = ? AND pid > 0)"
	    " ORDER BY user, session",
	    "is", st_now(st) - stale_after, host);
	if (s == NULL)
		return err->code;
	while ((rc = sd_step(s)) == SD_ROW) {
		struct presence_row r;

		r.session = st_col_text(s, 0);
		r.user = st_col_text(s, 1);
		r.host = st_col_text(s, 2);
		r.pid = sd_int64(s, 3);
		r.incident_id = sd_int64(s, 4);
		r.typing = sd_int(s, 5);
		r.cols = sd_int(s, 6);
		r.rows = sd_int(s, 7);
		r.via_ssh = sd_int(s, 8);
		r.seen_at = sd_int64(s, 9);
		if (r.session == NULL || r.user == NULL ||
		    !presence_alive(&r)) {
			free(r.session);
			free(r.user);
			free(r.host);
			continue;
		}
		if (out->n == cap) {
			cap = cap ? cap * 2 : 8;
			out->v = xreallocarray(out->v, cap, sizeof *out->v);
		}
		out->v[out->n++] = r;
	}
	if (st_finish(st, s, rc, "reading presence", err) != ITUI_OK) {
		presence_list_free(out);
		return err->code;
	}
	return ITUI_OK;
}

enum itui_code
store_presence_clear(struct store *st, const char *session,
                     struct itui_err *err)
{
	if (st->db->readonly)
		return ITUI_OK;
	return st_run(st, err, "clearing presence",
	              "DELETE FROM presence WHERE session = ?", "s", session);
}
