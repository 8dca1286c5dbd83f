/*
 * benchutil.h - what the bench helpers (propagate.c, writers.c) share: a
 * monotonic clock in ns and a comparison for sorting latencies.
 */
#ifndef ITUI_BENCHUTIL_H
#define ITUI_BENCHUTIL_H

#include <time.h>

static inline long long
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static inline int
cmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

#endif
