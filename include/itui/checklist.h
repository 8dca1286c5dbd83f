/*
 * checklist.h - one incident's checklist: the phases and steps its playbook
 * and runbooks gave it, with who ticked or skipped each step and when, and
 * what follows from that at a moment: the current phase, its clock, the
 * steps done late, the rows of the checklist view and the detail pane's
 * phase line.
 *
 * Contract: plain values, no I/O.  The store fills a struct checklist
 * (store-playbook.h); checklist_compute() derives the rest for a given
 * `now` and is pure.  Strings belong to the struct; checklist_free()
 * releases them.  Any thread, one struct per thread.
 *
 * Rules:
 *  - A step is closed (done or skipped) from its `at`; computing for an
 *    earlier `now` (the resolution) sees it open, which is how the
 *    postmortem shows the checklist as it stood.
 *  - Guard steps (a no-progress interval) never hold a phase open; their
 *    clock runs while the incident is unresolved, from the later of when
 *    the step was added and the latest progress, and an escalation (their
 *    event) closes them.
 *  - A phase starts at the declaration (the first) or when the phase before
 *    it ended, and ends when its last non-guard step closes.  Its due time
 *    is the declaration plus its time box, or (`after previous`) its start
 *    plus the box; the current phase is the first with an open step.
 *  - The current phase's clock follows the SLA clocks' rules (clocks.h):
 *    breached below zero, due soon under 25 % of the box or 10 minutes, ok
 *    otherwise; it stops at resolution.
 *  - A step closed after its phase's due time, or a guard closed after its
 *    due time, was late.
 */
#ifndef ITUI_CHECKLIST_H
#define ITUI_CHECKLIST_H

#include <stddef.h>
#include <stdint.h>

#include "itui/clocks.h"
#include "itui/strbuf.h"

enum step_state { STEP_OPEN, STEP_DONE, STEP_SKIPPED, STEP_STATE_COUNT };

const char *step_state_name(enum step_state s);

struct cl_step {
	int num;   /* the step's number in its incident: `check INC-1 3` */
	int phase; /* index into phases */
	char *text, *role, *event, *source;
	enum step_state state;
	char *by;            /* who closed it */
	int64_t at;          /* when (TIME_NONE while open) */
	char *reason;        /* why it was skipped */
	int by_event;        /* ticked by the event itself */
	int64_t no_progress; /* a guard's interval, or 0 */
	char *progress;
	int64_t progress_at; /* the latest progress, or TIME_NONE */
	int64_t added_at;
	/* computed */
	enum step_state seen;   /* the state at `now` */
	int64_t due;            /* the phase's due time, a guard's own */
	int late;               /* closed after due */
	struct sla_clock guard; /* a guard's clock (CLOCK_NONE otherwise) */
};

struct cl_phase {
	char *name;
	int64_t timebox; /* 0: untimed */
	int relative;
	/* computed */
	int64_t start, due, end; /* TIME_NONE: not started, untimed, open */
	int nopen, nsteps;
};

struct checklist {
	int64_t declared_at;
	int64_t resolved_at;
	struct cl_phase *phases;
	size_t nphases;
	struct cl_step *steps; /* in phase order, then step order */
	size_t nsteps;
	/* computed */
	int64_t now;
	int current; /* the current phase, or -1 when every phase is done */
	struct sla_clock clock; /* the current phase's (kind CLOCK_PHASE) */
};

void checklist_compute(struct checklist *cl, int64_t now);
void checklist_free(struct checklist *cl);

/*
 * The step a person means by `ref`: its number ("3"), or a case-insensitive
 * piece of its text that only one step has.  NULL with a message in err.
 */
struct cl_step *checklist_find(struct checklist *cl, const char *ref,
                               struct itui_err *err);

/* One row of the checklist view, in display order; strings point into cl. */
struct cl_row {
	const char *phase;       /* on the first row of each phase, else NULL */
	const char *phase_state; /* "current", "done", "pending" (with phase) */
	int num;
	const char *text;
	const char *role; /* or NULL */
	const char
	    *state; /* "open", "done", "skipped", "overdue", "not needed" */
	const char *who;    /* or NULL */
	int64_t when;       /* TIME_NONE while open */
	const char *reason; /* skipped: why */
	int late;
	int by_event;
};

/* Fills rows (cl->nsteps of them, caller frees *rows) after compute. */
size_t checklist_rows(const struct checklist *cl, struct cl_row **rows);

/*
 * The detail pane's phase line, e.g.
 *   "Phase 2/4 Investigation: 12:40 left | open: [7] Assign the technical
 *    lead, [9] Check monitoring ..."
 * "Checklist done" when every phase is done; "" without a checklist.
 */
void checklist_phase_line(const struct checklist *cl, struct strbuf *out);

/*
 * The postmortem's Process section (Markdown, sanitised): time to each
 * phase, steps skipped (with reasons) or done late, as of `now`, then the
 * checklist as it stood at resolution (or now).  Recomputes cl.
 */
void checklist_postmortem(struct checklist *cl, int64_t now, int multiday,
                          struct strbuf *out);

/* Sanitised plain-text checklist (the `checklist` command). */
void checklist_print(const struct checklist *cl, struct strbuf *out);

#endif
