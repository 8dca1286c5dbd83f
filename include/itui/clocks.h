/*
 * clocks.h - SLA clocks of one incident at one moment, computed, never
 * stored.
 *
 * Contract: clocks_compute() is pure: the same policy, input and `now` give
 * the same clocks.  The caller owns the input (and its change list) and the
 * output array.  Any thread.  Times are Unix seconds; TIME_NONE marks a time
 * that has not happened.
 *
 * Rules (docs/clocks.md has the reasoning):
 *  - The acknowledge, resolve and escalation clocks run from the declaration,
 *    or from the latest change to a more urgent level: an upgrade starts the
 *    new level's promises afresh, a downgrade keeps the earlier start.
 *  - The update clock runs from the later of that start and the latest
 *    `comms` entry; `update = none` levels have no update clock.
 *  - Each escalation entry consumes the next timed tier.
 *  - Resolution stops the acknowledge (if still running), update, resolve and
 *    escalation clocks; a required postmortem is due `within` the resolution
 *    and stops when the incident is closed.  A relapse clears the resolution
 *    time, so the clocks run again.
 *  - A running clock is breached below zero, due soon under 25 % of its
 *    interval or under 10 minutes left, and ok otherwise; a stopped clock is
 *    met or missed.
 */
#ifndef ITUI_CLOCKS_H
#define ITUI_CLOCKS_H

#include <stddef.h>
#include <stdint.h>

#include "itui/policy.h"

#define TIME_NONE INT64_MIN

enum clock_kind {
	CLOCK_ACK,
	CLOCK_UPDATE,
	CLOCK_RESOLVE,
	CLOCK_ESCALATE,
	CLOCK_POSTMORTEM,
	CLOCK_KIND_COUNT,
	/* A playbook phase's time box (checklist.h): not one of the policy's
	 * clocks, so never in the array clocks_compute() fills. */
	CLOCK_PHASE = CLOCK_KIND_COUNT
};

enum clock_state {
	CLOCK_NONE, /* does not apply (no such promise, or not yet) */
	CLOCK_OK,
	CLOCK_DUE_SOON,
	CLOCK_BREACHED,
	CLOCK_MET,   /* stopped in time */
	CLOCK_MISSED /* stopped after its due time */
};

struct sev_change {
	int64_t at;
	const char *from;
	const char *to;
};

struct clock_input {
	const char *severity; /* the current level */
	int64_t declared_at;
	int64_t acknowledged_at;
	int64_t resolved_at;
	int64_t closed_at;
	int64_t last_comms_at;
	int escalations; /* escalation entries logged */
	const struct sev_change *changes;
	size_t nchanges;
};

struct sla_clock {
	enum clock_kind kind;
	enum clock_state state;
	int64_t start;
	int64_t due;
	int64_t stopped_at;  /* TIME_NONE while running */
	int64_t remaining;   /* due - now (or due - stopped_at) */
	int tier;            /* CLOCK_ESCALATE: the tier that falls due */
	const char *tier_to; /* points into the policy */
};

void clocks_compute(const struct policy *p, const struct clock_input *in,
                    int64_t now, struct sla_clock out[CLOCK_KIND_COUNT]);

/* The running clock that falls due first, or NULL when none runs. */
const struct sla_clock *
clocks_most_urgent(const struct sla_clock c[CLOCK_KIND_COUNT]);
/*
 * The same over the SLA clocks and `nextra` more (a playbook phase's clock):
 * the earliest due running clock; on a tie the SLA clock wins.
 */
const struct sla_clock *
clocks_most_urgent_with(const struct sla_clock c[CLOCK_KIND_COUNT],
                        const struct sla_clock *extra, size_t nextra);
/*
 * Sets a clock from its start, due time and stop (TIME_NONE: running) by
 * the rules above; the one judge for the SLA and the playbook clocks.
 */
void clocks_judge(struct sla_clock *c, int64_t start, int64_t due,
                  int64_t stopped_at, int64_t now);

const char *clock_kind_name(enum clock_kind k);
const char *clock_state_name(enum clock_state s);
int clock_running(const struct sla_clock *c);

#endif
