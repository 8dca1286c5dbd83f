/* SLA clocks against the default policy, each case pinned to a fixed time. */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "harness.h"
#include "itui/clocks.h"
#include "itui/timeutil.h"

/* Tuesday 2026-11-24T10:00:00Z */
#define T0  1795514400LL
#define MIN 60LL
#define HR  3600LL
#define NO  TIME_NONE

/* Inline arrays: Criterion re-executes the binary, so no pointers. */
struct clock_case {
	char name[80];
	char sev[8];
	int64_t ack, res, closed, comms;
	int escalations;
	char from[8], to[8]; /* one severity change, or "" */
	int64_t change_at;
	int64_t now; /* offset from T0 */
	enum clock_kind kind;
	enum clock_state state;
	int64_t remaining;
};

#define C(n, sev, ack, res, cl, comms, esc, fr, to, chat, now, k, s, rem)      \
	{                                                                      \
		n, sev, ack, res, cl, comms, esc, fr, to, chat, now, k, s, rem \
	}

ParameterizedTestParameters(clocks, table)
{
	static struct clock_case cases[] = {
	    C("P0 ack, fresh", "P0", NO, NO, NO, NO, 0, "", "", 0, 2 * MIN,
	      CLOCK_ACK, CLOCK_OK, 13 * MIN),
	    C("P0 ack, under 10 min left", "P0", NO, NO, NO, NO, 0, "", "", 0,
	      6 * MIN, CLOCK_ACK, CLOCK_DUE_SOON, 9 * MIN),
	    C("P0 ack breached", "P0", NO, NO, NO, NO, 0, "", "", 0, 20 * MIN,
	      CLOCK_ACK, CLOCK_BREACHED, -5 * MIN),
	    C("P0 acked in time", "P0", T0 + 10 * MIN, NO, NO, NO, 0, "", "", 0,
	      50 * MIN, CLOCK_ACK, CLOCK_MET, 5 * MIN),
	    C("P0 acked late", "P0", T0 + 20 * MIN, NO, NO, NO, 0, "", "", 0,
	      50 * MIN, CLOCK_ACK, CLOCK_MISSED, -5 * MIN),
	    C("P0 update overdue without comms", "P0", NO, NO, NO, NO, 0, "",
	      "", 0, 31 * MIN, CLOCK_UPDATE, CLOCK_BREACHED, -1 * MIN),
	    C("P0 comms resets the update clock", "P0", NO, NO, NO,
	      T0 + 20 * MIN, 0, "", "", 0, 31 * MIN, CLOCK_UPDATE, CLOCK_OK,
	      19 * MIN),
	    C("P1 update due soon (25% of 2h)", "P1", NO, NO, NO, NO, 0, "", "",
	      0, 95 * MIN, CLOCK_UPDATE, CLOCK_DUE_SOON, 25 * MIN),
	    C("P3 has no update clock", "P3", NO, NO, NO, NO, 0, "", "", 0, HR,
	      CLOCK_UPDATE, CLOCK_NONE, 0),
	    C("P0 resolve target", "P0", NO, NO, NO, NO, 0, "", "", 0, HR,
	      CLOCK_RESOLVE, CLOCK_OK, 3 * HR),
	    C("upgrade restarts the resolve clock", "P0", NO, NO, NO, NO, 0,
	      "P2", "P0", T0 + 10 * HR, 10 * HR + 30 * MIN, CLOCK_RESOLVE,
	      CLOCK_OK, 3 * HR + 30 * MIN),
	    C("upgrade restarts the ack clock", "P0", NO, NO, NO, NO, 0, "P2",
	      "P0", T0 + 10 * HR, 10 * HR + 6 * MIN, CLOCK_ACK, CLOCK_DUE_SOON,
	      9 * MIN),
	    C("downgrade keeps the original start", "P2", NO, NO, NO, NO, 0,
	      "P0", "P2", T0 + HR, 2 * HR, CLOCK_RESOLVE, CLOCK_OK,
	      3 * 86400 - 2 * HR),
	    C("a change dated before the declaration is ignored", "P0", NO, NO,
	      NO, NO, 0, "P2", "P0", T0 - HR, 3 * HR, CLOCK_RESOLVE, CLOCK_OK,
	      HR),
	    C("resolved in time", "P0", T0 + 5 * MIN, T0 + 3 * HR, NO, NO, 0,
	      "", "", 0, 5 * HR, CLOCK_RESOLVE, CLOCK_MET, HR),
	    C("resolved late", "P0", T0 + 5 * MIN, T0 + 5 * HR, NO, NO, 0, "",
	      "", 0, 6 * HR, CLOCK_RESOLVE, CLOCK_MISSED, -HR),
	    C("resolution stops the update clock", "P0", T0 + 5 * MIN, T0 + HR,
	      NO, NO, 0, "", "", 0, 5 * HR, CLOCK_UPDATE, CLOCK_NONE, 0),
	    C("resolved without ack stops the ack clock", "P0", NO,
	      T0 + 10 * MIN, NO, NO, 0, "", "", 0, 5 * HR, CLOCK_ACK, CLOCK_MET,
	      5 * MIN),
	    C("postmortem due 48h after resolution", "P0", T0 + 5 * MIN,
	      T0 + HR, NO, NO, 0, "", "", 0, 25 * HR, CLOCK_POSTMORTEM,
	      CLOCK_OK, 24 * HR),
	    C("postmortem overdue", "P0", T0 + 5 * MIN, T0 + HR, NO, NO, 0, "",
	      "", 0, 50 * HR, CLOCK_POSTMORTEM, CLOCK_BREACHED, -HR),
	    C("closing stops the postmortem clock", "P0", T0 + 5 * MIN, T0 + HR,
	      T0 + 20 * HR, NO, 0, "", "", 0, 60 * HR, CLOCK_POSTMORTEM,
	      CLOCK_MET, 29 * HR),
	    C("P2 postmortem is optional: no clock", "P2", T0 + 5 * MIN,
	      T0 + HR, NO, NO, 0, "", "", 0, 2 * HR, CLOCK_POSTMORTEM,
	      CLOCK_NONE, 0),
	    C("escalation tier 2 overdue", "P0", T0 + 5 * MIN, NO, NO, NO, 0,
	      "", "", 0, 2 * HR + MIN, CLOCK_ESCALATE, CLOCK_BREACHED, -MIN),
	    C("an escalation entry moves to the next tier", "P0", T0 + 5 * MIN,
	      NO, NO, NO, 1, "", "", 0, 2 * HR + MIN, CLOCK_ESCALATE, CLOCK_OK,
	      2 * HR - MIN),
	    C("no timed tiers left", "P0", T0 + 5 * MIN, NO, NO, NO, 2, "", "",
	      0, 2 * HR, CLOCK_ESCALATE, CLOCK_NONE, 0),
	    C("unknown level: no clocks", "P7", NO, NO, NO, NO, 0, "", "", 0,
	      HR, CLOCK_RESOLVE, CLOCK_NONE, 0),
	};

	return cr_make_param_array(struct clock_case, cases,
	                           sizeof cases / sizeof cases[0]);
}

static struct policy *
default_policy(void)
{
	char path[1024];
	struct policy *p;

	snprintf(path, sizeof path,
	         "%s/share/incident-tui/policies/default.ini", src_dir());
	cr_assert_eq(policy_load(path, &p, NULL), ITUI_OK);
	return p;
}

ParameterizedTest(struct clock_case *c, clocks, table)
{
	struct policy *p = default_policy();
	struct sev_change ch = {c->change_at, c->from, c->to};
	struct clock_input in = {c->sev,
	                         T0,
	                         c->ack,
	                         c->res,
	                         c->closed,
	                         c->comms,
	                         c->escalations,
	                         c->from[0] ? &ch : NULL,
	                         c->from[0] ? 1 : 0};
	struct sla_clock out[CLOCK_KIND_COUNT];

	time_set_zone("UTC", NULL);
	clocks_compute(p, &in, T0 + c->now, out);
	cr_assert_eq(out[c->kind].state, c->state, "%s: state %s, want %s",
	             c->name, clock_state_name(out[c->kind].state),
	             clock_state_name(c->state));
	if (c->state != CLOCK_NONE && c->remaining != 0)
		cr_assert_eq(out[c->kind].remaining, c->remaining,
		             "%s: remaining %lld, want %lld", c->name,
		             (long long)out[c->kind].remaining,
		             (long long)c->remaining);
	policy_free(p);
}

Test(clocks, business_day_ack_skips_the_weekend)
{
	struct policy *p = default_policy();
	int64_t fri = T0 + 3 * 86400;
	struct clock_input in = {"P3", fri, NO, NO, NO, NO, 0, NULL, 0};
	struct sla_clock out[CLOCK_KIND_COUNT];

	time_set_zone("UTC", NULL);
	clocks_compute(p, &in, fri + HR, out);
	cr_assert_eq(out[CLOCK_ACK].due, fri + 3 * 86400, "due on Monday");
	policy_free(p);
}

Test(clocks, most_urgent_prefers_the_breached_clock)
{
	struct policy *p = default_policy();
	struct clock_input in = {"P0", T0, NO, NO, NO, NO, 0, NULL, 0};
	struct sla_clock out[CLOCK_KIND_COUNT];
	const struct sla_clock *u;

	clocks_compute(p, &in, T0 + 20 * MIN, out);
	u = clocks_most_urgent(out);
	cr_assert_not_null(u);
	cr_assert_eq(u->kind, CLOCK_ACK);
	in.resolved_at = T0 + HR;
	in.closed_at = T0 + 2 * HR;
	in.acknowledged_at = T0;
	clocks_compute(p, &in, T0 + 3 * HR, out);
	cr_assert_null(clocks_most_urgent(out),
	               "a closed incident has no clock");
	policy_free(p);
}
