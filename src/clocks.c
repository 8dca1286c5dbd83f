/*
 * clocks.c - turns the policy and an incident's recorded times into its SLA
 * clocks.  No I/O and no current time: `now` is an argument, so the unit
 * tests pin every case to a fixed clock.
 */
#include <string.h>

#include "itui/clocks.h"

static const char *const kind_names[CLOCK_KIND_COUNT] = {
    "acknowledge", "update", "resolve", "escalate", "postmortem"};
static const char *const state_names[] = {"none",     "ok",  "due_soon",
                                          "breached", "met", "missed"};

const char *
clock_kind_name(enum clock_kind k)
{
	if (k == CLOCK_PHASE)
		return "phase";
	return (unsigned)k < CLOCK_KIND_COUNT ? kind_names[k] : "?";
}

const char *
clock_state_name(enum clock_state s)
{
	return (unsigned)s <= CLOCK_MISSED ? state_names[s] : "?";
}

int
clock_running(const struct sla_clock *c)
{
	return c->state == CLOCK_OK || c->state == CLOCK_DUE_SOON ||
	       c->state == CLOCK_BREACHED;
}

/*
 * When the current level's promises started, counting only changes up to
 * `until`: the declaration, or the latest upgrade after it.
 */
static int64_t
level_start(const struct policy *p, const struct clock_input *in, int64_t until)
{
	int64_t start = in->declared_at, best_at = TIME_NONE;
	size_t i;

	for (i = 0; i < in->nchanges; i++) {
		const struct sev_change *c = &in->changes[i];
		int from = policy_rank(p, c->from), to = policy_rank(p, c->to);

		if (c->at > until || c->at < in->declared_at)
			continue;
		if (from >= 0 && to >= 0 && to < from && c->at > best_at)
			best_at = c->at;
	}
	if (best_at != TIME_NONE && best_at > start)
		start = best_at;
	return start;
}

static void
set_running(struct sla_clock *c, int64_t start, int64_t due, int64_t now)
{
	int64_t interval = due - start, soon = interval / 4;

	if (soon < 600)
		soon = 600;
	c->start = start;
	c->due = due;
	c->stopped_at = TIME_NONE;
	c->remaining = due - now;
	if (c->remaining < 0)
		c->state = CLOCK_BREACHED;
	else if (c->remaining < soon)
		c->state = CLOCK_DUE_SOON;
	else
		c->state = CLOCK_OK;
}

static void
set_stopped(struct sla_clock *c, int64_t start, int64_t due, int64_t stop)
{
	c->start = start;
	c->due = due;
	c->stopped_at = stop;
	c->remaining = due - stop;
	c->state = stop <= due ? CLOCK_MET : CLOCK_MISSED;
}

void
clocks_judge(struct sla_clock *c, int64_t start, int64_t due,
             int64_t stopped_at, int64_t now)
{
	if (stopped_at != TIME_NONE)
		set_stopped(c, start, due, stopped_at);
	else
		set_running(c, start, due, now);
}

static const struct policy_tier *
next_tier(const struct policy_level *l, int consumed)
{
	const struct policy_tier *timed[POLICY_MAX_TIERS];
	int n = 0, i, j;

	for (i = 0; i < l->ntiers; i++)
		if (l->tiers[i].timed)
			timed[n++] = &l->tiers[i];
	/* Insertion sort by `after`: the file need not list tiers in order. */
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && timed[j]->after < timed[j - 1]->after;
		     j--) {
			const struct policy_tier *t = timed[j];

			timed[j] = timed[j - 1];
			timed[j - 1] = t;
		}
	return consumed < n ? timed[consumed] : NULL;
}

void
clocks_compute(const struct policy *p, const struct clock_input *in,
               int64_t now, struct sla_clock out[CLOCK_KIND_COUNT])
{
	const struct policy_level *l = policy_level(p, in->severity);
	int resolved = in->resolved_at != TIME_NONE;
	int64_t end = resolved ? in->resolved_at : now, start, due;
	int i;

	for (i = 0; i < CLOCK_KIND_COUNT; i++) {
		memset(&out[i], 0, sizeof out[i]);
		out[i].kind = (enum clock_kind)i;
		out[i].state = CLOCK_NONE;
		out[i].start = out[i].due = out[i].stopped_at = TIME_NONE;
	}
	if (l == NULL || in->declared_at == TIME_NONE)
		return;

	/* Acknowledge: stops at the first ack, or at resolution. */
	if (in->acknowledged_at != TIME_NONE) {
		start = level_start(p, in, in->acknowledged_at);
		due = policy_span_add(start, l->respond);
		set_stopped(&out[CLOCK_ACK], start, due, in->acknowledged_at);
	} else {
		start = level_start(p, in, end);
		due = policy_span_add(start, l->respond);
		if (resolved)
			set_stopped(&out[CLOCK_ACK], start, due, end);
		else
			set_running(&out[CLOCK_ACK], start, due, now);
	}

	/* Resolve. */
	start = level_start(p, in, end);
	due = policy_span_add(start, l->resolve);
	if (resolved)
		set_stopped(&out[CLOCK_RESOLVE], start, due, end);
	else
		set_running(&out[CLOCK_RESOLVE], start, due, now);

	if (!resolved) {
		const struct policy_tier *t = next_tier(l, in->escalations);

		/* Next status update. */
		if (l->update > 0) {
			int64_t from = start;

			if (in->last_comms_at != TIME_NONE &&
			    in->last_comms_at > from)
				from = in->last_comms_at;
			set_running(&out[CLOCK_UPDATE], from, from + l->update,
			            now);
		}
		/* Next escalation tier. */
		if (t != NULL) {
			set_running(&out[CLOCK_ESCALATE], start,
			            start + t->after, now);
			out[CLOCK_ESCALATE].tier = t->tier;
			out[CLOCK_ESCALATE].tier_to = t->to;
		}
	} else if (l->postmortem == PM_REQUIRED) {
		start = in->resolved_at;
		due = start + l->postmortem_within;
		if (in->closed_at != TIME_NONE)
			set_stopped(&out[CLOCK_POSTMORTEM], start, due,
			            in->closed_at);
		else
			set_running(&out[CLOCK_POSTMORTEM], start, due, now);
	}
}

const struct sla_clock *
clocks_most_urgent_with(const struct sla_clock c[CLOCK_KIND_COUNT],
                        const struct sla_clock *extra, size_t nextra)
{
	const struct sla_clock *best = NULL;
	size_t i;

	for (i = 0; i < CLOCK_KIND_COUNT + nextra; i++) {
		const struct sla_clock *k =
		    i < CLOCK_KIND_COUNT ? &c[i] : &extra[i - CLOCK_KIND_COUNT];

		if (clock_running(k) && (best == NULL || k->due < best->due))
			best = k;
	}
	return best;
}

const struct sla_clock *
clocks_most_urgent(const struct sla_clock c[CLOCK_KIND_COUNT])
{
	return clocks_most_urgent_with(c, NULL, 0);
}
