/*
 * spark.h - Unicode sparklines and the metric-entry reader behind them.
 *
 * Contract: pure; any thread.  spark_render() draws up to `width` samples
 * (the newest) with the eight block characters, scaled between their
 * minimum and maximum; NaN and infinite samples are drawn as spaces.
 * metric_summary_parse() reads a `metric` entry's JSON data into plain
 * values for drawing; the caller frees them with metric_summary_free().
 */
#ifndef ITUI_SPARK_H
#define ITUI_SPARK_H

#include <stddef.h>

/* out needs 3 * width + 1 bytes. */
void spark_render(const double *v, size_t n, size_t width, char *out);

struct metric_value {
	char name[64];
	char value[32]; /* as Prometheus spelled it */
	char unit[32];
	size_t series; /* how many series answered */
	double *spark; /* the first series' range samples, or NULL */
	size_t nspark;
	int failed;
};

struct metric_summary {
	struct metric_value *v;
	size_t n;
};

int metric_summary_parse(const char *data, struct metric_summary *out);
void metric_summary_free(struct metric_summary *s);

#endif
