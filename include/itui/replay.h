/*
 * replay.h - a past incident replayed into a database as a drill, at its
 * original pace scaled by a speed.
 *
 * Contract: main thread only; blocks for the length of the replay (the
 * original duration divided by the speed), sleeping to deadlines on
 * CLOCK_MONOTONIC.  The source is read once (store_export) and never
 * written; the drill is declared in `dst` with drill = 1 (so stats leave it
 * out) and every event is written by the store's ordinary calls with the
 * original author as the actor and "replay" as the origin.  With
 * pause_at_decisions each decision is preceded by a question on `out` and
 * the trainee's answer read from `in` is logged (by `trainee`) as a decision
 * whose data holds the original ({"drill_answer_for": SEQ, "original":
 * TEXT}); the time spent answering shifts the rest of the replay.
 */
#ifndef ITUI_REPLAY_H
#define ITUI_REPLAY_H

#include <stdint.h>
#include <stdio.h>

#include "itui/err.h"
#include "itui/store.h"

struct replay_opts {
	double speed; /* > 0; 1 is real time */
	int64_t from; /* skip events before this time; TIME_NONE: none */
	int pause_at_decisions;
	const char *trainee; /* who answers at decision points */
	FILE *in, *out;      /* prompts and answers; progress lines on out */
};

enum itui_code replay_run(struct store *src, int64_t id, struct store *dst,
                          const struct replay_opts *o, int64_t *drill_id,
                          struct itui_err *err);

#endif
