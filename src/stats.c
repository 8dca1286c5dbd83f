/* stats.c - incident statistics over a period. */
#include <stdlib.h>
#include <string.h>

#include "itui/stats.h"

static int
by_declared(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

void
stats_compute(const struct policy *p, const struct incident_list *l,
              int64_t since, int64_t now, struct stats *out)
{
	double ack_sum = 0, res_sum = 0;
	int64_t *decl = calloc(l->n + 1, sizeof *decl);
	size_t i;
	int k;

	memset(out, 0, sizeof *out);
	out->since = since;
	out->now = now;
	for (i = 0; i < l->n; i++) {
		const struct incident *inc = &l->v[i];
		struct sla_clock c[CLOCK_KIND_COUNT];
		struct clock_input in;
		int r;

		if (inc->declared_at < since)
			continue;
		if (inc->drill) {
			out->drills++;
			continue;
		}
		decl[out->total++] = inc->declared_at;
		r = policy_rank(p, inc->severity);
		if (r >= 0)
			out->by_level[r]++;
		else
			out->other_level++;
		if (inc->acknowledged_at != TIME_NONE) {
			ack_sum +=
			    (double)(inc->acknowledged_at - inc->declared_at);
			out->acked++;
		}
		if (inc->resolved_at != TIME_NONE) {
			res_sum +=
			    (double)(inc->resolved_at - inc->declared_at);
			out->resolved++;
		}
		if (inc->escalations > 0)
			out->escalated++;
		incident_clock_input(inc, &in);
		clocks_compute(p, &in, now, c);
		for (k = 0; k < CLOCK_KIND_COUNT; k++) {
			if (c[k].state == CLOCK_NONE)
				continue;
			out->applies[k]++;
			if (c[k].state == CLOCK_MISSED ||
			    c[k].state == CLOCK_BREACHED)
				out->breached[k]++;
		}
	}
	out->mtta = out->acked ? ack_sum / out->acked : -1;
	out->mttr = out->resolved ? res_sum / out->resolved : -1;
	out->mtbf = -1;
	if (out->total >= 2) {
		qsort(decl, (size_t)out->total, sizeof *decl, by_declared);
		out->mtbf =
		    (double)(decl[out->total - 1] - decl[0]) / (out->total - 1);
	}
	free(decl);
}
