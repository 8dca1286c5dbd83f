/*
 * writers.c - fairness among writers (issue 16): W processes write PER
 * timeline entries each through the store, all at once, in a tight loop;
 * each write is timed from the call until it returns committed (the wait
 * for the write lock included).  Prints "p50_ms p99_ms max_ms errors" over
 * all W * PER writes.
 * Usage: writers DB W PER   (DB holds incident 1)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "itui/store.h"

#include "benchutil.h"

/* One writer: its latencies (ns, -1 for an error) down `out`. */
static void
writer(const char *db, int w, int per, int go, int out)
{
	struct store *st;
	struct itui_err err;
	long long *lat = calloc((size_t)per, sizeof *lat);
	char text[64], c;
	int i;

	if (store_open(db, STORE_NOCREATE, &st, &err) != ITUI_OK) {
		fprintf(stderr, "writer %d: %s\n", w, err.msg);
		_exit(1);
	}
	store_set_actor(st, "bench", "local");
	/* All start together: the pipe closes once every writer is open. */
	(void)!read(go, &c, 1);
	for (i = 0; i < per; i++) {
		long long t0 = mono_ns();

		snprintf(text, sizeof text, "w%d-%d", w, i);
		if (store_entry_add(st, 1, KIND_NOTE, TIME_NONE, text, NULL,
		                    NULL, &err) != ITUI_OK) {
			fprintf(stderr, "writer %d: %s\n", w, err.msg);
			lat[i] = -1;
		} else {
			lat[i] = mono_ns() - t0;
		}
	}
	store_close(st);
	(void)!write(out, lat, (size_t)per * sizeof *lat);
	_exit(0);
}

int
main(int argc, char **argv)
{
	int w, per, i, go[2], out[2], errors = 0;
	long long *all;
	size_t n = 0, want;

	if (argc != 4)
		return 2;
	w = atoi(argv[2]);
	per = atoi(argv[3]);
	want = (size_t)w * (size_t)per;
	all = calloc(want, sizeof *all);
	if (pipe(go) != 0 || pipe(out) != 0)
		return 1;
	for (i = 0; i < w; i++) {
		if (fork() == 0) {
			close(go[1]);
			close(out[0]);
			writer(argv[1], i, per, go[0], out[1]);
		}
	}
	close(go[0]);
	close(out[1]);
	sleep(1); /* every writer has opened the store */
	close(go[1]);
	for (;;) {
		ssize_t r = read(out[0], (char *)all + n * sizeof *all,
		                 (want - n) * sizeof *all);

		if (r <= 0)
			break;
		n += (size_t)r / sizeof *all;
	}
	while (wait(NULL) > 0)
		;
	for (i = 0; i < (int)n; i++)
		if (all[i] < 0) {
			errors++;
			all[i] = 0;
		}
	errors += (int)(want - n);
	if (n == 0)
		n = 1;
	qsort(all, n, sizeof *all, cmp);
	printf("%.2f %.2f %.2f %d\n", all[n / 2] / 1e6, all[n * 99 / 100] / 1e6,
	       all[n - 1] / 1e6, errors);
	return 0;
}
