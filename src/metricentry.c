/* metricentry.c - a metric entry's JSON, written and read in one place. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "itui/metricentry.h"
#include "itui/spark.h"
#include "itui/xalloc.h"

static json_t *
value_json(double v)
{
	char buf[40];

	/* Prometheus's own spelling keeps NaN and the infinities. */
	if (isnan(v))
		return json_string("NaN");
	if (isinf(v))
		return json_string(v > 0 ? "+Inf" : "-Inf");
	snprintf(buf, sizeof buf, "%.17g", v);
	return json_string(buf);
}

json_t *
metricentry_series(const struct prom_result *r, int range)
{
	json_t *arr = json_array();
	size_t i, k;

	for (i = 0; i < r->n; i++) {
		json_t *o = json_object(), *labels;

		labels = json_loads(r->s[i].labels, 0, NULL);
		json_object_set_new(o, "labels",
		                    labels ? labels : json_object());
		if (!range) {
			json_object_set_new(o, "value",
			                    r->s[i].n > 0
			                        ? value_json(r->s[i].v[0].v)
			                        : json_null());
		} else {
			json_t *vals = json_array();

			for (k = 0; k < r->s[i].n; k++) {
				json_t *pair = json_array();

				json_array_append_new(
				    pair, json_real(r->s[i].v[k].t));
				json_array_append_new(
				    pair, value_json(r->s[i].v[k].v));
				json_array_append_new(vals, pair);
			}
			json_object_set_new(o, "values", vals);
		}
		json_array_append_new(arr, o);
	}
	return arr;
}

static double
parse_value(json_t *v)
{
	const char *s = json_string_value(v);

	return s != NULL ? strtod(s, NULL) : NAN;
}

/* The range's series with the largest value: the one a reader looks for. */
static void
range_series(struct metric_value *m, json_t *range)
{
	json_t *series = json_object_get(range, "series"), *sr, *top = NULL;
	json_t *pair;
	double best = -INFINITY;
	size_t i, k;

	json_array_foreach(series, i, sr)
	{
		json_array_foreach(json_object_get(sr, "values"), k, pair)
		{
			double v = parse_value(json_array_get(pair, 1));

			if (top == NULL || (isfinite(v) && v > best)) {
				if (isfinite(v))
					best = v;
				top = sr;
			}
		}
	}
	series = json_object_get(top, "values");
	if (json_array_size(series) == 0)
		return;
	m->spark = xcalloc(json_array_size(series), sizeof *m->spark);
	m->spark_t = xcalloc(json_array_size(series), sizeof *m->spark_t);
	json_array_foreach(series, k, pair)
	{
		m->spark_t[m->nspark] =
		    json_number_value(json_array_get(pair, 0));
		m->spark[m->nspark++] = parse_value(json_array_get(pair, 1));
	}
	m->spark_start = json_number_value(json_object_get(range, "start"));
	m->spark_end = json_number_value(json_object_get(range, "end"));
	/* Entries written before the range was kept: its samples' span. */
	if (!(m->spark_end > m->spark_start)) {
		m->spark_start = m->spark_t[0];
		m->spark_end = m->spark_t[m->nspark - 1];
	}
}

int
metric_summary_parse(const char *data, struct metric_summary *out)
{
	json_t *root = data ? json_loads(data, 0, NULL) : NULL, *q;
	size_t i;

	memset(out, 0, sizeof *out);
	if (!json_is_array(json_object_get(root, "queries"))) {
		json_decref(root);
		return -1;
	}
	json_array_foreach(json_object_get(root, "queries"), i, q)
	{
		struct metric_value *m;
		json_t *series = json_object_get(q, "series");
		const char *s;

		out->v = xreallocarray(out->v, out->n + 1, sizeof *out->v);
		m = &out->v[out->n++];
		memset(m, 0, sizeof *m);
		s = json_string_value(json_object_get(q, "name"));
		snprintf(m->name, sizeof m->name, "%s", s ? s : "?");
		s = json_string_value(json_object_get(q, "unit"));
		snprintf(m->unit, sizeof m->unit, "%s", s ? s : "");
		m->failed = !json_is_null(json_object_get(q, "error")) &&
		            json_object_get(q, "error") != NULL;
		m->series = json_array_size(series);
		s = json_string_value(
		    json_object_get(json_array_get(series, 0), "value"));
		snprintf(m->value, sizeof m->value, "%s",
		         m->failed ? "failed"
		         : s       ? s
		                   : "no data");
		range_series(m, json_object_get(q, "range"));
	}
	json_decref(root);
	return 0;
}

void
metric_summary_free(struct metric_summary *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->v[i].spark);
		free(s->v[i].spark_t);
	}
	free(s->v);
	memset(s, 0, sizeof *s);
}

void
metric_spark(const struct metric_value *m, size_t width, char *out)
{
	out[0] = '\0';
	if (m->nspark > 1 && m->spark_end > m->spark_start)
		spark_render_timed(m->spark_t, m->spark, m->nspark,
		                   m->spark_start, m->spark_end, width, out);
}

void
metric_value_text(const struct metric_value *m, char *buf, size_t size)
{
	char *end;
	double v = strtod(m->value, &end);

	if (m->failed || end == m->value || *end != '\0')
		snprintf(buf, size, "%s", m->value);
	else
		spark_format_value(v, m->unit, buf, size);
}
