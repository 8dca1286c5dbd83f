/*
 * stats.h - the numbers of a period: incidents by severity (now and at
 * its peak), MTTA, MTTR,
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
	int by_level[POLICY_MAX_LEVELS]; /* by the current severity */
	int other_level;
	int by_peak[POLICY_MAX_LEVELS]; /* by the most urgent level it had */
	int other_peak;
	double mtta, mttr, mtbf;
	int acked, resolved;
	int breached[CLOCK_KIND_COUNT];
	int applies[CLOCK_KIND_COUNT];
	int escalated;
};

/*
 * The most urgent level the incident has had: the current one or any level
 * a severity change (dated from the declaration on) came from or went to;
 * a level the policy does not know loses to one it does.  Points into inc.
 */
const char *stats_peak_severity(const struct policy *p,
                                const struct incident *inc);

void stats_compute(const struct policy *p, const struct incident_list *l,
                   int64_t since, int64_t now, struct stats *out);

/*
 * How the playbooks ran, over computed checklists (the caller leaves out
 * drills and incidents before `since`): per phase name, in first-seen
 * order, the median time from its start to its end over the incidents
 * where it ended (-1: none; an even count takes the mean of the middle
 * two, rounded down); per step text, how often it appeared, was done late
 * or was skipped.  Names point into the checklists, which must outlive
 * the result; stats_process_free() releases the arrays.
 */
struct stats_phase {
	const char *name;
	int seen, completed;
	int64_t median;
};
struct stats_step {
	const char *phase, *text;
	int seen, late, skipped;
};
struct stats_process {
	struct stats_phase *phases;
	size_t nphases;
	struct stats_step *steps;
	size_t nsteps;
};

struct checklist;
void stats_process(const struct checklist *cls, size_t n,
                   struct stats_process *out);
void stats_process_free(struct stats_process *sp);

#endif
