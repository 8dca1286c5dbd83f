/*
 * reload.c - what one dashboard reload costs after another connection's
 * commit: CPU microseconds and statements per reload, over N commits on
 * one incident of a database of INCIDENTS (the propagation path without
 * the terminal).  Usage: reload DB N
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "itui/context.h"
#include "itui/dash.h"
#include "itui/store.h"

static long long
ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int
main(int argc, char **argv)
{
	struct globals g = {0};
	struct context ctx;
	struct itui_err err;
	struct store *writer;
	struct dash d;
	long long spent = 0, stmts = 0, wall = 0;
	int n, i;

	if (argc != 3)
		return 2;
	n = atoi(argv[2]);
	g.db = argv[1];
	g.user = "bench";
	if (store_open(argv[1], 0, &writer, &err) != ITUI_OK ||
	    context_init(&ctx, &g, &err) != ITUI_OK ||
	    dash_open(&d, &ctx, &err) != ITUI_OK) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	store_set_actor(writer, "other", "local");
	for (i = 0; i < n; i++) {
		long long t, w, s;

		if (store_entry_add(writer, d.sel_id, KIND_NOTE, TIME_NONE,
		                    "reload probe", NULL, NULL, &err) != ITUI_OK) {
			fprintf(stderr, "%s\n", err.msg);
			return 1;
		}
		t = ns(CLOCK_PROCESS_CPUTIME_ID);
		w = ns(CLOCK_MONOTONIC);
		s = store_statements(d.st);
		if (dash_changed(&d) != 1 || dash_reload(&d, &err) != ITUI_OK) {
			fprintf(stderr, "reload: %s\n", err.msg);
			return 1;
		}
		spent += ns(CLOCK_PROCESS_CPUTIME_ID) - t;
		wall += ns(CLOCK_MONOTONIC) - w;
		stmts += store_statements(d.st) - s;
	}
	printf("%.1f %.1f %.1f\n", spent / 1e3 / n, (double)stmts / n,
	       wall / 1e3 / n);
	dash_close(&d);
	context_free(&ctx);
	store_close(writer);
	return 0;
}
