/* stats.c - incident statistics over a period. */
#include <stdlib.h>
#include <string.h>

#include "itui/checklist.h"
#include "itui/stats.h"
#include "itui/xalloc.h"

static int
by_declared(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

const char *
stats_peak_severity(const struct policy *p, const struct incident *inc)
{
	const char *peak = inc->severity;
	int best = policy_rank(p, peak);
	size_t i;

	for (i = 0; i < inc->nchanges; i++) {
		const struct sev_change *c = &inc->changes[i];
		const char *lv[2] = {c->from, c->to};

		/* As for the clocks, a change dated before the declaration
		 * is no level the incident was declared at. */
		if (c->at < inc->declared_at)
			continue;
		for (int k = 0; k < 2; k++) {
			int r = lv[k] ? policy_rank(p, lv[k]) : -1;

			if (r >= 0 && (best < 0 || r < best)) {
				best = r;
				peak = lv[k];
			}
		}
	}
	return peak;
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
		r = policy_rank(p, stats_peak_severity(p, inc));
		if (r >= 0)
			out->by_peak[r]++;
		else
			out->other_peak++;
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

static int
by_secs(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

void
stats_process(const struct checklist *cls, size_t n, struct stats_process *out)
{
	size_t i, p, k, j;

	memset(out, 0, sizeof *out);
	for (i = 0; i < n; i++) {
		const struct checklist *cl = &cls[i];

		for (p = 0; p < cl->nphases; p++) {
			for (k = 0; k < out->nphases; k++)
				if (strcmp(out->phases[k].name,
				           cl->phases[p].name) == 0)
					break;
			if (k == out->nphases) {
				out->phases =
				    xreallocarray(out->phases, out->nphases + 1,
				                  sizeof *out->phases);
				memset(&out->phases[k], 0,
				       sizeof out->phases[k]);
				out->phases[k].name = cl->phases[p].name;
				out->nphases++;
			}
			out->phases[k].seen++;
		}
		for (j = 0; j < cl->nsteps; j++) {
			const struct cl_step *s = &cl->steps[j];
			const char *ph = cl->phases[s->phase].name;

			for (k = 0; k < out->nsteps; k++)
				if (strcmp(out->steps[k].text, s->text) == 0 &&
				    strcmp(out->steps[k].phase, ph) == 0)
					break;
			if (k == out->nsteps) {
				out->steps =
				    xreallocarray(out->steps, out->nsteps + 1,
				                  sizeof *out->steps);
				memset(&out->steps[k], 0, sizeof out->steps[k]);
				out->steps[k].phase = ph;
				out->steps[k].text = s->text;
				out->nsteps++;
			}
			out->steps[k].seen++;
			out->steps[k].late += s->late;
			out->steps[k].skipped += s->seen == STEP_SKIPPED;
		}
	}
	for (k = 0; k < out->nphases; k++) {
		int64_t *v = xcalloc(n + 1, sizeof *v);
		size_t m = 0;

		for (i = 0; i < n; i++)
			for (p = 0; p < cls[i].nphases; p++) {
				const struct cl_phase *ph = &cls[i].phases[p];

				if (strcmp(ph->name, out->phases[k].name) ==
				        0 &&
				    ph->end != TIME_NONE &&
				    ph->start != TIME_NONE)
					v[m++] = ph->end - ph->start;
			}
		qsort(v, m, sizeof *v, by_secs);
		out->phases[k].completed = (int)m;
		out->phases[k].median = m == 0 ? -1
		                        : m % 2 == 1
		                            ? v[m / 2]
		                            : (v[m / 2 - 1] + v[m / 2]) / 2;
		free(v);
	}
}

void
stats_process_free(struct stats_process *sp)
{
	free(sp->phases);
	free(sp->steps);
	memset(sp, 0, sizeof *sp);
}
