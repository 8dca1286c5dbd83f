/*
 * propagate.c - how long a commit in another process takes to reach a
 * running dashboard's screen.  Commits an entry through the store, then
 * watches the dashboard's INCIDENT_TUI_TRACE file for the first frame that
 * shows a new data version; prints p50, p95 and max over N commits.
 * Usage: propagate DB TRACE N
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "itui/store.h"

#include "benchutil.h"

/* The newest frame line after *off: its time and data version. */
static int
next_frame(FILE *f, long *off, long long *t, long long *v)
{
	char line[256];
	int found = 0;

	fseek(f, *off, SEEK_SET);
	while (fgets(line, sizeof line, f) != NULL) {
		long long a, b, c;

		if (line[strlen(line) - 1] != '\n')
			break;
		*off = ftell(f);
		if (sscanf(line, "%lld %lld %lld", &a, &b, &c) == 3) {
			*t = a;
			*v = b;
			found = 1;
		}
	}
	clearerr(f);
	return found;
}

int
main(int argc, char **argv)
{
	struct store *st;
	struct itui_err err;
	long long *lat, t, v, last_v = -1, t1;
	long off = 0;
	int n, i, missed = 0;
	FILE *f;

	if (argc != 4)
		return 2;
	n = atoi(argv[3]);
	lat = calloc((size_t)n, sizeof *lat);
	if (store_open(argv[1], 0, &st, &err) != ITUI_OK) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	store_set_actor(st, "bench", "local");
	f = fopen(argv[2], "r");
	if (f == NULL)
		return 1;
	while (next_frame(f, &off, &t, &v))
		last_v = v;
	for (i = 0; i < n; i++) {
		long long deadline;
		int seen = 0;

		usleep(20000 + (useconds_t)(rand() % 30000));
		while (next_frame(f, &off, &t, &v))
			last_v = v;
		if (store_entry_add(st, 1, KIND_NOTE, TIME_NONE, "propagation probe",
			NULL, NULL, &err) != ITUI_OK) {
			fprintf(stderr, "%s\n", err.msg);
			return 1;
		}
		t1 = mono_ns();
		deadline = t1 + 2000000000LL;
		while (mono_ns() < deadline && !seen) {
			while (next_frame(f, &off, &t, &v))
				if (v != last_v) {
					seen = 1;
					break;
				}
			if (!seen)
				usleep(100);
		}
		if (!seen) {
			missed++;
			lat[i] = 2000000000LL;
			continue;
		}
		last_v = v;
		lat[i] = t - t1;
	}
	qsort(lat, (size_t)n, sizeof *lat, cmp);
	printf("%.2f %.2f %.2f %d\n", lat[n / 2] / 1e6, lat[n * 95 / 100] / 1e6,
	    lat[n - 1] / 1e6, missed);
	store_close(st);
	return 0;
}
