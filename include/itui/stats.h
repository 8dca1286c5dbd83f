/*
 * stats.h - the numbers of a period: incidents by severity, MTTA, MTTR,
 * MTBF, SLA breaches per clock, escalation rate.
 *
 * Contract: pure (incidents and the policy in, figures out); any thread.
 * Drills are left out; so are incidents declared before `since`.  MTBF is
 * the mean gap between consecutive declarations.  A clock counts as
 * breached when it is missed or (still running and) breached at `now`; its
 * share is over the incidents the clock applies to.  Times are seconds; a
 * mean over nothing is -1.
 */
#ifndef ITUI_STATS_H
#define ITUI_STATS_H

#include <stdint.h>

#include "itui/clocks.h"
#include "itui/model.h"
#include "itui/policy.h"

struct stats {
	int64_t since, now;
	int total;
	int drills;
	int by_level[POLICY_MAX_LEVELS];
	int other_level;
	double mtta, mttr, mtbf;
	int acked, resolved;
	int breached[CLOCK_KIND_COUNT];
	int applies[CLOCK_KIND_COUNT];
	int escalated;
};

void stats_compute(const struct policy *p, const struct incident_list *l,
                   int64_t since, int64_t now, struct stats *out);

#endif
