/*
 * metricentry.h - the data of a `metric` timeline entry: the one module
 * that writes its JSON (the poller, metrics.c) and reads it (the
 * dashboard's roster and sparklines, the postmortem's snapshot table).
 *
 * Contract: pure; any thread.  The data is {"source", "taken_at",
 * "queries": [{"name", "expr", "unit", "result_type", "series": [{"labels",
 * "value"}], "range": {"start", "end", "series": [{"labels", "values":
 * [[t, "v"]...]}]}, "error"}], "grafana"?}; values are strings spelled as
 * Prometheus spells them (NaN, +Inf).  metricentry_series() returns a new
 * reference; metric_summary_parse() fills plain values the caller frees
 * with metric_summary_free().
 */
#ifndef ITUI_METRICENTRY_H
#define ITUI_METRICENTRY_H

#include <stddef.h>

#include <jansson.h>

#include "itui/prom.h"

/* A query's answer as the entry keeps it: instant (value) or range. */
json_t *metricentry_series(const struct prom_result *r, int range);

struct metric_value {
	char name[64];
	char value[32]; /* as Prometheus spelled it */
	char unit[32];
	size_t series; /* how many series answered */
	/* The range query's top series (by its largest value): samples and
	 * their times (Unix seconds), over [spark_start, spark_end]. */
	double *spark, *spark_t;
	size_t nspark;
	double spark_start, spark_end;
	int failed;
};

struct metric_summary {
	struct metric_value *v;
	size_t n;
};

/* 0, or -1 when data is not a metric entry's. */
int metric_summary_parse(const char *data, struct metric_summary *out);
void metric_summary_free(struct metric_summary *s);
/*
 * The sparkline of one query: `width` cells over the range it covered,
 * samples placed by time (a gap is a gap); "" when it has no range.  out
 * needs 3 * width + 1 bytes.
 */
void metric_spark(const struct metric_value *m, size_t width, char *out);
/* Its value to 3 significant digits with the unit ("0.0667 s"), or the
 * text kept ("no data", "failed"). */
void metric_value_text(const struct metric_value *m, char *buf, size_t size);

#endif
