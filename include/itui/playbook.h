/*
 * playbook.h - response playbooks and scenario runbooks: phases with time
 * boxes, and steps with an owning role and an event that completes them.
 *
 * Contract: playbook_load() reads one INI file (share/incident-tui/
 * playbooks/ or runbooks/, or the user's copy under
 * $XDG_CONFIG_HOME/incident-tui/) into a struct playbook the caller owns
 * and releases with playbook_free().  Every error is "FILE:LINE: what is
 * wrong".  A loaded playbook is immutable; pure apart from reading the
 * file; any thread.
 *
 * Grammar (see share/incident-tui/playbooks/p0.ini):
 *   [playbook]            name, description
 *   [phase NAME]          timebox = 5m            (from the declaration)
 *                         timebox = 10m after previous   (from the end of
 *                                                  the phase before)
 *                         timebox = none          (ongoing: no clock)
 *                         step = TEXT             (repeatable; the keys
 *                         role = commander         below belong to the
 *                         event = ack              step above them)
 *                         no_progress = 30m       (a guard: due N after
 *                         progress = status decision   the latest progress)
 */
#ifndef ITUI_PLAYBOOK_H
#define ITUI_PLAYBOOK_H

#include <stddef.h>
#include <stdint.h>

#include "itui/err.h"

struct pb_step {
	char *text;
	char *role;          /* who owns it, or NULL */
	char *event;         /* what completes it by itself, or NULL */
	int64_t no_progress; /* a guard's interval, or 0 */
	char *progress;      /* space-separated: what counts as progress */
	int line;
};

struct pb_phase {
	char *name;
	int64_t timebox; /* 0 with untimed */
	int relative;    /* 1: from the end of the previous phase */
	int untimed;     /* timebox = none */
	struct pb_step *steps;
	size_t nsteps;
	int line;
};

struct playbook {
	char *path;
	char *name;
	char *description;
	struct pb_phase *phases;
	size_t nphases;
};

enum itui_code playbook_load(const char *path, struct playbook **out,
                             struct itui_err *err);
void playbook_free(struct playbook *pb);

/*
 * The file for a playbook or runbook name: kind is "playbooks" or
 * "runbooks"; the user's $XDG_CONFIG_HOME/incident-tui/KIND/NAME.ini wins
 * over share_dir/KIND/NAME.ini.  A name with a '/' is a path.  Returns a
 * new string, or NULL for a name that is not [A-Za-z0-9_-]+.
 */
char *playbook_path(const char *kind, const char *name, const char *share_dir);

/* Whether `ev` is an event the store raises (ack, role:commander, ...). */
int playbook_event_known(const char *ev);
/* "declared, ack, role:ROLE, ..." for messages. */
extern const char playbook_events_help[];
/*
 * The event a timeline entry raises, from its kind and its data's "event",
 * "field" and "to" members (any may be NULL): "ack", "role:commander",
 * "status:resolved", "comms-sent", ...  Writes into buf; returns buf, or
 * NULL when the entry raises none.
 */
const char *playbook_entry_event(const char *kind, const char *event,
                                 const char *field, const char *to, char *buf,
                                 size_t size);

#endif
