/*
 * spark.h - Unicode sparklines and the values beside them.
 *
 * Contract: pure; any thread.  Samples are placed by their time over the
 * range queried (a squeezed line of samples side by side, as drawn before,
 * hid gaps); NaN and infinite samples are drawn as spaces.
 */
#ifndef ITUI_SPARK_H
#define ITUI_SPARK_H

#include <stddef.h>

/*
 * A sparkline that does not mislead: `width` cells cover [start, end]
 * (the query's whole range), each cell drawing the samples whose time
 * falls in it (their maximum), so a gap in the data is a gap (a space) and
 * not a squeezed line.  A non-negative series is scaled from zero unless
 * its spread is large (more than half its maximum), so noise is not drawn
 * as a cliff.  t[] are Unix seconds.  out needs 3 * width + 1 bytes.
 */
void spark_render_timed(const double *t, const double *v, size_t n,
                        double start, double end, size_t width, char *out);

/* A value to 3 significant digits with its unit ("0.0667 s", "1.23e+06"). */
void spark_format_value(double v, const char *unit, char *buf, size_t size);

#endif
