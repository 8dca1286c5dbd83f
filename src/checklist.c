/*
 * checklist.c - what an incident's checklist says at a moment: phase
 * starts, due times and ends, the current phase and its clock, late steps,
 * and the rows and lines the views and reports show.  No I/O: `now` is an
 * argument, so the tests pin every case.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "itui/checklist.h"
#include "itui/sanitize.h"
#include "itui/timeutil.h"
#include "itui/xalloc.h"

static const char *const state_names[STEP_STATE_COUNT] = {"open", "done",
                                                          "skipped"};

const char *
step_state_name(enum step_state s)
{
	return (unsigned)s < STEP_STATE_COUNT ? state_names[s] : "?";
}

static void
clock_none(struct sla_clock *c, enum clock_kind kind)
{
	memset(c, 0, sizeof *c);
	c->kind = kind;
	c->state = CLOCK_NONE;
	c->start = c->due = c->stopped_at = TIME_NONE;
}

void
checklist_compute(struct checklist *cl, int64_t now)
{
	int64_t prev_end = cl->declared_at;
	int resolved = cl->resolved_at != TIME_NONE && cl->resolved_at <= now;
	size_t i, p;

	cl->now = now;
	cl->current = -1;
	clock_none(&cl->clock, CLOCK_PHASE);
	for (i = 0; i < cl->nsteps; i++) {
		struct cl_step *s = &cl->steps[i];

		s->seen =
		    s->state != STEP_OPEN && s->at != TIME_NONE && s->at <= now
		        ? s->state
		        : STEP_OPEN;
	}
	for (p = 0; p < cl->nphases; p++) {
		struct cl_phase *ph = &cl->phases[p];
		int64_t last = TIME_NONE;

		ph->nopen = ph->nsteps = 0;
		for (i = 0; i < cl->nsteps; i++) {
			const struct cl_step *s = &cl->steps[i];

			if (s->phase != (int)p || s->no_progress > 0)
				continue;
			ph->nsteps++;
			if (s->seen == STEP_OPEN)
				ph->nopen++;
			else if (last == TIME_NONE || s->at > last)
				last = s->at;
		}
		ph->start = prev_end;
		if (ph->timebox <= 0)
			ph->due = TIME_NONE;
		else if (ph->relative)
			ph->due = ph->start != TIME_NONE
			              ? ph->start + ph->timebox
			              : TIME_NONE;
		else
			ph->due = cl->declared_at + ph->timebox;
		if (ph->start == TIME_NONE || ph->nopen > 0) {
			ph->end = TIME_NONE;
		} else {
			/* Steps closed before the phase began end it at once.
			 */
			ph->end = last != TIME_NONE && last > ph->start
			              ? last
			              : ph->start;
		}
		if (ph->nopen > 0 && cl->current < 0 && ph->start != TIME_NONE)
			cl->current = (int)p;
		prev_end = ph->end;
	}
	for (i = 0; i < cl->nsteps; i++) {
		struct cl_step *s = &cl->steps[i];
		const struct cl_phase *ph = &cl->phases[s->phase];

		clock_none(&s->guard, CLOCK_PHASE);
		if (s->no_progress > 0) {
			int64_t from = s->added_at;

			if (s->progress_at != TIME_NONE &&
			    s->progress_at <= now && s->progress_at > from)
				from = s->progress_at;
			s->due = from + s->no_progress;
			if (s->seen != STEP_OPEN)
				clocks_judge(&s->guard, from, s->due, s->at,
				             now);
			else if (!resolved)
				clocks_judge(&s->guard, from, s->due, TIME_NONE,
				             now);
		} else {
			s->due = ph->due;
		}
		s->late = s->seen == STEP_DONE && s->due != TIME_NONE &&
		          s->at > s->due;
	}
	if (cl->current >= 0) {
		const struct cl_phase *ph = &cl->phases[cl->current];

		if (ph->due != TIME_NONE && !resolved)
			clocks_judge(&cl->clock, ph->start, ph->due, TIME_NONE,
			             now);
	}
}

void
checklist_free(struct checklist *cl)
{
	size_t i;

	for (i = 0; i < cl->nphases; i++)
		free(cl->phases[i].name);
	for (i = 0; i < cl->nsteps; i++) {
		struct cl_step *s = &cl->steps[i];

		free(s->text);
		free(s->role);
		free(s->event);
		free(s->source);
		free(s->by);
		free(s->reason);
		free(s->progress);
	}
	free(cl->phases);
	free(cl->steps);
	memset(cl, 0, sizeof *cl);
}

struct cl_step *
checklist_find(struct checklist *cl, const char *ref, struct itui_err *err)
{
	struct cl_step *hit = NULL;
	char *end;
	long n;
	size_t i;

	if (ref == NULL || *ref == '\0') {
		err_set(err, ITUI_USAGE,
		        "which step? (a number from checklist)");
		return NULL;
	}
	n = strtol(ref, &end, 10);
	if (*end == '\0') {
		for (i = 0; i < cl->nsteps; i++)
			if (cl->steps[i].num == n)
				return &cl->steps[i];
		err_set(err, ITUI_NOTFOUND, "no step %s in the checklist", ref);
		return NULL;
	}
	for (i = 0; i < cl->nsteps; i++) {
		const char *t = cl->steps[i].text;
		size_t k, rl = strlen(ref), tl = strlen(t);

		for (k = 0; k + rl <= tl; k++)
			if (strncasecmp(t + k, ref, rl) == 0)
				break;
		if (k + rl > tl)
			continue;
		if (hit != NULL) {
			err_set(err, ITUI_USAGE,
			        "'%s' matches steps %d and %d; give the number",
			        ref, hit->num, cl->steps[i].num);
			return NULL;
		}
		hit = &cl->steps[i];
	}
	if (hit == NULL)
		err_set(err, ITUI_NOTFOUND, "no step matches '%s'", ref);
	return hit;
}

static const char *
row_state(const struct checklist *cl, const struct cl_step *s)
{
	const struct cl_phase *ph = &cl->phases[s->phase];

	if (s->seen != STEP_OPEN)
		return step_state_name(s->seen);
	if (s->no_progress > 0) {
		if (s->guard.state == CLOCK_BREACHED)
			return "overdue";
		return s->guard.state == CLOCK_NONE ? "not needed" : "open";
	}
	if (ph->due != TIME_NONE && ph->start != TIME_NONE && cl->now > ph->due)
		return "overdue";
	return "open";
}

size_t
checklist_rows(const struct checklist *cl, struct cl_row **rows)
{
	struct cl_row *r = xcalloc(cl->nsteps + 1, sizeof *r);
	size_t i, n = 0, p;

	for (p = 0; p < cl->nphases; p++) {
		const struct cl_phase *ph = &cl->phases[p];
		int first = 1;

		for (i = 0; i < cl->nsteps; i++) {
			const struct cl_step *s = &cl->steps[i];
			struct cl_row *o;

			if (s->phase != (int)p)
				continue;
			o = &r[n++];
			if (first) {
				o->phase = ph->name;
				o->phase_state =
				    (int)p == cl->current  ? "current"
				    : ph->end != TIME_NONE ? "done"
				                           : "pending";
				first = 0;
			}
			o->num = s->num;
			o->text = s->text;
			o->role = s->role;
			o->state = row_state(cl, s);
			o->who = s->seen != STEP_OPEN ? s->by : NULL;
			o->when = s->seen != STEP_OPEN ? s->at : TIME_NONE;
			o->reason = s->seen == STEP_SKIPPED ? s->reason : NULL;
			o->late = s->late;
			o->by_event = s->seen == STEP_DONE && s->by_event;
		}
	}
	*rows = r;
	return n;
}

static void
put(struct strbuf *o, const char *s, size_t cols)
{
	if (s != NULL)
		sanitize_append(o, s, strlen(s), cols ? SAN_ELLIPSIS : 0, cols,
		                0);
}

void
checklist_phase_line(const struct checklist *cl, struct strbuf *out)
{
	const struct cl_phase *ph;
	char t[TIME_BUF];
	size_t i;
	int shown = 0;

	if (cl->nphases == 0)
		return;
	if (cl->current < 0) {
		strbuf_addstr(out, "Checklist done");
		return;
	}
	ph = &cl->phases[cl->current];
	strbuf_addf(out, "Phase %d/%zu ", cl->current + 1, cl->nphases);
	put(out, ph->name, 40);
	switch (cl->clock.state) {
	case CLOCK_OK:
		strbuf_addf(out, ": %s left",
		            time_format_clock(cl->clock.remaining, t));
		break;
	case CLOCK_DUE_SOON:
		strbuf_addf(out, ": %s left (soon)",
		            time_format_clock(cl->clock.remaining, t));
		break;
	case CLOCK_BREACHED:
		strbuf_addf(out, ": %s over (breached)",
		            time_format_clock(-cl->clock.remaining, t));
		break;
	default:
		strbuf_addstr(out, ": no time box");
		break;
	}
	for (i = 0; i < cl->nsteps; i++) {
		const struct cl_step *s = &cl->steps[i];

		if (s->phase != cl->current || s->seen != STEP_OPEN)
			continue;
		if (s->no_progress > 0 && s->guard.state == CLOCK_NONE)
			continue;
		strbuf_addf(out, "%s[%d] ",
		            shown++ ? ", " : " | open: ", s->num);
		put(out, s->text, 60);
		if (s->no_progress > 0)
			strbuf_addf(out, " (%s %s)",
			            s->guard.state == CLOCK_BREACHED ? "over by"
			                                             : "due in",
			            time_format_clock(s->guard.remaining < 0
			                                  ? -s->guard.remaining
			                                  : s->guard.remaining,
			                              t));
	}
}

void
checklist_print(const struct checklist *cl, struct strbuf *out)
{
	struct cl_row *rows;
	size_t n = checklist_rows(cl, &rows), i;
	char t[TIME_BUF];

	strbuf_addstr(out, "");
	checklist_phase_line(cl, out);
	if (cl->nphases == 0)
		strbuf_addstr(out,
		              "No checklist: the level names no playbook.");
	strbuf_addch(out, '\n');
	for (i = 0; i < n; i++) {
		const struct cl_row *r = &rows[i];
		const struct cl_phase *ph = NULL;
		size_t p;

		if (r->phase != NULL) {
			for (p = 0; p < cl->nphases; p++)
				if (cl->phases[p].name == r->phase)
					ph = &cl->phases[p];
			strbuf_addstr(out, "\n");
			put(out, r->phase, 0);
			strbuf_addf(out, " (%s", r->phase_state);
			if (ph != NULL && ph->due != TIME_NONE)
				strbuf_addf(out, ", due %s",
				            time_format_local(ph->due, t));
			if (ph != NULL && ph->end != TIME_NONE)
				strbuf_addf(out, ", ended %s",
				            time_format_local(ph->end, t));
			strbuf_addstr(out, ")\n");
		}
		strbuf_addf(out, "  %3d [%c] ", r->num,
		            strcmp(r->state, "done") == 0      ? 'x'
		            : strcmp(r->state, "skipped") == 0 ? '-'
		            : strcmp(r->state, "overdue") == 0 ? '!'
		                                               : ' ');
		put(out, r->text, 0);
		if (r->role != NULL) {
			strbuf_addstr(out, " (");
			put(out, r->role, 0);
			strbuf_addch(out, ')');
		}
		if (strcmp(r->state, "open") != 0)
			strbuf_addf(out, " - %s", r->state);
		if (r->who != NULL) {
			strbuf_addstr(out, " by ");
			put(out, r->who, 0);
		}
		if (r->when != TIME_NONE)
			strbuf_addf(out, " at %s",
			            time_format_local(r->when, t));
		if (r->by_event)
			strbuf_addstr(out, " (by the event)");
		if (r->late)
			strbuf_addstr(out, " (late)");
		if (r->reason != NULL) {
			strbuf_addstr(out, ": ");
			put(out, r->reason, 0);
		}
		strbuf_addch(out, '\n');
	}
	free(rows);
}

/* HH:MM, or the date too when the incident spans days. */
static void
put_when(struct strbuf *o, int64_t t, int multiday)
{
	char b[TIME_BUF];

	strbuf_addstr(o, multiday ? time_format_local(t, b)
	                          : time_format_hhmm(t, b));
}

/* A table cell: sanitised, pipes made harmless. */
static void
put_cell(struct strbuf *o, const char *s)
{
	size_t start = o->len, k;

	put(o, s, 0);
	for (k = start; k < o->len; k++)
		if (o->buf[k] == '|')
			o->buf[k] = '/';
}

void
checklist_postmortem(struct checklist *cl, int64_t now, int multiday,
                     struct strbuf *o)
{
	struct cl_row *rows;
	char b[TIME_BUF];
	size_t p, i, n;
	int any;
	int64_t asof = cl->resolved_at != TIME_NONE ? cl->resolved_at : now;

	if (cl->nphases == 0) {
		strbuf_addstr(o,
		              "No playbook checklist: the level names none.");
		return;
	}
	checklist_compute(cl, now);
	strbuf_addstr(o, "### Time to each phase\n\n"
	                 "| Phase | Time box | Started | Completed | Took |"
	                 " From declaration | |\n"
	                 "|---|---|---|---|---|---|---|");
	for (p = 0; p < cl->nphases; p++) {
		const struct cl_phase *ph = &cl->phases[p];

		strbuf_addstr(o, "\n| ");
		put_cell(o, ph->name);
		strbuf_addstr(o, " | ");
		if (ph->timebox > 0)
			strbuf_addf(o, "%s%s",
			            time_format_duration(ph->timebox, b),
			            ph->relative ? " after previous"
			                         : " from declaration");
		else
			strbuf_addstr(o, "none");
		strbuf_addstr(o, " | ");
		if (ph->start != TIME_NONE)
			put_when(o, ph->start, multiday);
		else
			strbuf_addstr(o, "-");
		strbuf_addstr(o, " | ");
		if (ph->end != TIME_NONE) {
			put_when(o, ph->end, multiday);
			strbuf_addf(o, " | %s",
			            time_format_span(ph->end - ph->start, b));
			strbuf_addf(
			    o, " | %s",
			    time_format_span(ph->end - cl->declared_at, b));
		} else {
			strbuf_addstr(o, "- | - | -");
		}
		strbuf_addstr(o, " | ");
		if (ph->due == TIME_NONE)
			strbuf_addstr(o,
			              ph->end != TIME_NONE ? "done" : "open");
		else if (ph->end != TIME_NONE)
			strbuf_addstr(o,
			              ph->end <= ph->due ? "in time" : "late");
		else
			strbuf_addstr(o,
			              now > ph->due ? "open, overdue" : "open");
		strbuf_addstr(o, " |");
	}

	strbuf_addstr(o, "\n\n### Steps skipped\n");
	for (i = 0, any = 0; i < cl->nsteps; i++) {
		const struct cl_step *s = &cl->steps[i];

		if (s->seen != STEP_SKIPPED)
			continue;
		strbuf_addf(o, "\n- [%d] ", s->num);
		put(o, s->text, 0);
		strbuf_addstr(o, " (");
		put(o, cl->phases[s->phase].name, 0);
		strbuf_addstr(o, "), skipped by ");
		put(o, s->by, 0);
		strbuf_addstr(o, " at ");
		put_when(o, s->at, multiday);
		strbuf_addstr(o, ": ");
		put(o, s->reason, 0);
		any = 1;
	}
	if (!any)
		strbuf_addstr(o, "\nNone.");

	strbuf_addstr(o, "\n\n### Steps completed late\n");
	for (i = 0, any = 0; i < cl->nsteps; i++) {
		const struct cl_step *s = &cl->steps[i];

		if (!s->late)
			continue;
		strbuf_addf(o, "\n- [%d] ", s->num);
		put(o, s->text, 0);
		strbuf_addstr(o, " (");
		put(o, cl->phases[s->phase].name, 0);
		strbuf_addstr(o, "): done ");
		put_when(o, s->at, multiday);
		strbuf_addstr(o, ", due ");
		put_when(o, s->due, multiday);
		strbuf_addf(o, " (%s late)",
		            time_format_span(s->at - s->due, b));
		any = 1;
	}
	if (!any)
		strbuf_addstr(o, "\nNone.");

	checklist_compute(cl, asof);
	strbuf_addstr(o, cl->resolved_at != TIME_NONE
	                     ? "\n\n### The checklist at resolution ("
	                     : "\n\n### The checklist now, not yet resolved (");
	put_when(o, asof, multiday);
	strbuf_addstr(o, ")\n\n| # | Phase | Step | State | Who | When |\n"
	                 "|---|---|---|---|---|---|");
	n = checklist_rows(cl, &rows);
	for (i = 0; i < n; i++) {
		const struct cl_row *r = &rows[i];

		strbuf_addf(o, "\n| %d | ", r->num);
		put_cell(o, cl->phases[cl->steps[i].phase].name);
		strbuf_addstr(o, " | ");
		put_cell(o, r->text);
		strbuf_addf(o, " | %s%s%s | ", r->state,
		            r->by_event ? " (by the event)" : "",
		            r->late ? " (late)" : "");
		put_cell(o, r->who ? r->who : "-");
		strbuf_addstr(o, " | ");
		if (r->when != TIME_NONE)
			put_when(o, r->when, multiday);
		else
			strbuf_addstr(o, "-");
		strbuf_addstr(o, " |");
	}
	free(rows);
}
