/*
 * presence.c - the presence line and the write policy (presence.h).
 *
 * A person with several dashboards open is one name: typing if any of them
 * types on the incident shown, the terminal size of the first over SSH.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "itui/presence.h"
#include "itui/sanitize.h"
#include "itui/strbuf.h"
#include "itui/xalloc.h"

void
presence_list_free(struct presence_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].session);
		free(l->v[i].user);
		free(l->v[i].host);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

void
presence_host(char *buf, size_t size)
{
	if (gethostname(buf, size) != 0)
		snprintf(buf, size, "localhost");
	buf[size - 1] = '\0';
}

void
presence_session_id(char *buf, size_t size)
{
	char host[256];

	presence_host(host, sizeof host);
	snprintf(buf, size, "%s:%ld", host, (long)getpid());
}

int
presence_alive(const struct presence_row *row)
{
	char host[256];

	presence_host(host, sizeof host);
	if (row->host == NULL || strcmp(row->host, host) != 0 || row->pid <= 0)
		return 1;
	/* EPERM: alive, someone else's. */
	return kill((pid_t)row->pid, 0) == 0 || errno != ESRCH;
}

void
presence_tracker_init(struct presence_tracker *t)
{
	memset(t, 0, sizeof *t);
}

int
presence_tracker_changed(const struct presence_tracker *t,
                         const struct presence *p)
{
	return !t->written || t->incident_id != p->incident_id ||
	       !t->typing != !p->typing || t->cols != p->cols ||
	       t->rows != p->rows;
}

int
presence_tracker_due(const struct presence_tracker *t, const struct presence *p,
                     int64_t now)
{
	return presence_tracker_changed(t, p) ||
	       now - t->at >= PRESENCE_HEARTBEAT;
}

void
presence_tracker_wrote(struct presence_tracker *t, const struct presence *p,
                       int64_t now)
{
	t->written = 1;
	t->at = now;
	t->incident_id = p->incident_id;
	t->typing = p->typing != 0;
	t->cols = p->cols;
	t->rows = p->rows;
}

int64_t
presence_tracker_next(const struct presence_tracker *t)
{
	return t->written ? t->at + PRESENCE_HEARTBEAT : 0;
}

static const char *
role_short(enum role r)
{
	static const char *const names[] = {"IC", "TL", "comms", "scribe"};

	return (size_t)r < sizeof names / sizeof names[0] ? names[r]
	                                                  : role_name(r);
}

struct person {
	const char *user;
	int typing;
	const struct presence_row *ssh; /* first SSH session */
	int64_t incident_id;
};

char *
presence_line(const struct presence_list *l, const char *self_session,
              int64_t incident_id, const struct incident *inc, size_t width)
{
	struct person *p = xcalloc(l->n + 1, sizeof *p);
	struct strbuf out = STRBUF_INIT;
	size_t n = 0, i, j, shown = 0;

	for (i = 0; i < l->n; i++) {
		const struct presence_row *r = &l->v[i];

		if (self_session != NULL &&
		    strcmp(r->session, self_session) == 0)
			continue;
		if (incident_id > 0 && r->incident_id != incident_id)
			continue;
		for (j = 0; j < n && strcmp(p[j].user, r->user) != 0; j++)
			;
		if (j == n) {
			p[n].user = r->user;
			p[n].incident_id = r->incident_id;
			n++;
		}
		if (r->typing &&
		    (incident_id == 0 || r->incident_id == incident_id))
			p[j].typing = 1;
		if (r->via_ssh && p[j].ssh == NULL)
			p[j].ssh = r;
	}
	for (i = 0; i < n; i++) {
		struct strbuf one = STRBUF_INIT;
		char *name = sanitize_line(p[i].user, 32);
		int k;

		strbuf_addstr(&one, name);
		free(name);
		if (incident_id > 0 && inc != NULL) {
			int first = 1;

			for (k = 0; k < ROLE_COUNT; k++)
				if (inc->roles[k] != NULL &&
				    strcmp(inc->roles[k], p[i].user) == 0) {
					strbuf_addstr(&one,
					              first ? " (" : ", ");
					strbuf_addstr(&one,
					              role_short((enum role)k));
					first = 0;
				}
			if (!first)
				strbuf_addch(&one, ')');
		}
		if (incident_id == 0 && p[i].incident_id > 0)
			strbuf_addf(&one, " INC-%lld",
			            (long long)p[i].incident_id);
		if (p[i].typing)
			strbuf_addstr(&one, " typing\u2026");
		if (p[i].ssh != NULL) {
			if (p[i].ssh->cols > 0 && p[i].ssh->rows > 0)
				strbuf_addf(&one, " %dx%d", p[i].ssh->cols,
				            p[i].ssh->rows);
			strbuf_addstr(&one, " via ssh");
		}
		/* Room for this one and, if more follow, a "+N more". */
		if (width > 0) {
			size_t used = text_width(strbuf_str(&out));
			size_t need = used + (shown ? 3 : 0) +
			              text_width(strbuf_str(&one));
			size_t more = i + 1 < n ? 8 : 0;

			if (need + more > width) {
				char tail[32];

				snprintf(tail, sizeof tail, "%s+%zu more",
				         shown ? " · " : "", n - i);
				if (used + text_width(tail) <= width)
					strbuf_addstr(&out, tail);
				strbuf_free(&one);
				break;
			}
		}
		if (shown++)
			strbuf_addstr(&out, " · ");
		strbuf_addstr(&out, strbuf_str(&one));
		strbuf_free(&one);
	}
	free(p);
	return strbuf_detach(&out);
}
