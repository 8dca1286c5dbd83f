/* spark.c - sparklines, and reading a metric entry's data for them. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "itui/spark.h"
#include "itui/xalloc.h"

static const char *const blocks[8] = {
    "\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83", "\xe2\x96\x84",
    "\xe2\x96\x85", "\xe2\x96\x86", "\xe2\x96\x87", "\xe2\x96\x88"};

void
spark_render_timed(const double *t, const double *v, size_t n, double start,
                   double end, size_t width, char *out)
{
	double *cell = xcalloc(width + 1, sizeof *cell);
	double lo = INFINITY, hi = -INFINITY, span = end - start;
	char *p = out;
	size_t i;

	for (i = 0; i < width; i++)
		cell[i] = NAN;
	for (i = 0; i < n && span > 0 && width > 0; i++) {
		long c;

		if (!isfinite(v[i]) || t[i] < start || t[i] > end)
			continue;
		c = (long)((t[i] - start) / span * (double)width);
		if (c >= (long)width)
			c = (long)width - 1;
		if (isnan(cell[c]) || v[i] > cell[c])
			cell[c] = v[i];
	}
	for (i = 0; i < width; i++)
		if (isfinite(cell[i])) {
			lo = cell[i] < lo ? cell[i] : lo;
			hi = cell[i] > hi ? cell[i] : hi;
		}
	/*
	 * From zero for a non-negative series whose spread is small next to
	 * its level (noise around 100 is not a cliff); from its minimum when
	 * the spread is large.
	 */
	if (lo >= 0 && hi - lo <= hi / 2)
		lo = 0;
	for (i = 0; i < width; i++) {
		int level;

		if (!isfinite(cell[i])) {
			*p++ = ' ';
			continue;
		}
		level = hi > lo ? (int)((cell[i] - lo) / (hi - lo) * 7.0 + 0.5)
		                : (hi > 0 ? 7 : 0);
		memcpy(p, blocks[level], 3);
		p += 3;
	}
	*p = '\0';
	free(cell);
}

void
spark_format_value(double v, const char *unit, char *buf, size_t size)
{
	if (isnan(v))
		snprintf(buf, size, "NaN");
	else if (isinf(v))
		snprintf(buf, size, "%sInf", v > 0 ? "+" : "-");
	else
		snprintf(buf, size, "%.3g%s%s", v, unit && *unit ? " " : "",
		         unit ? unit : "");
}
