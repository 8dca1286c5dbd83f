/*
 * ui.h - the full-screen dashboard.
 *
 * Contract: ui_run() owns the terminal from start to exit and is called on
 * the main thread, the only thread that ever calls curses.  It sleeps in
 * poll() on the terminal, a signal self-pipe and an inotify watch, with a
 * timeout that falls on the next second (the clocks' tick).  Events set
 * dirty flags; ui_render() draws once per loop turn.  Returns the exit
 * status; on failure err holds one line.  struct ui is shared by ui.c
 * (loop, keys, prompts) and ui_draw.c (drawing) and by nothing else.
 */
#ifndef ITUI_UI_H
#define ITUI_UI_H

#include <stdint.h>
#include <stdio.h>

#include "itui/context.h"
#include "itui/dash.h"
#include "itui/editline.h"
#include "itui/keymap.h"
#include "itui/layout.h"
#include "itui/poller.h"
#include "itui/spark.h"
#include "itui/watch.h"

enum ui_mode {
	MODE_NORMAL,
	MODE_INPUT,  /* the timeline input line */
	MODE_PROMPT, /* a one-line question in the status bar */
	MODE_HELP,
	MODE_VIEW,    /* one entry, in full */
	MODE_ALERTS,  /* the alerts pane */
	MODE_PAGER,   /* a report or a status update, scrollable */
	MODE_ACTIONS, /* the incident's action items */
};

enum ui_focus { FOCUS_LIST, FOCUS_TIMELINE };

struct ui;
typedef void (*prompt_fn)(struct ui *u, const char *answer);

struct ui {
	struct context *ctx;
	struct dash d;
	struct keymap km;
	struct layout lay;
	struct listview list_lv;
	struct listview tl_lv;
	int64_t sel_entry_id; /* kept across reloads */
	int follow;           /* timeline pinned to the newest entry */
	enum ui_focus focus;
	enum ui_mode mode;
	int rows, cols;
	int colors;
	int quit;
	int dirty;

	/* input line and prompts */
	struct editline el;
	enum entry_kind kind;
	int64_t edit_id;
	int64_t input_incident;
	char prompt[320];
	prompt_fn on_answer;
	const char *const *choices;
	size_t nchoices;
	char **people;
	size_t npeople;
	int help_top;

	/* multi-step flows */
	char flow_title[512];
	char flow_level[16];
	char flow_text[1024];
	char flow_owner[128];
	int flow_step;
	int flow_role;

	/* status bar */
	char msg[512];
	int msg_error;

	/* drafts */
	int draft_dirty;
	int64_t draft_due_ms;

	/* metrics */
	struct poller poller;
	int poller_on;
	char poller_problem[600];
	struct alert_rows alerts;
	int alert_sel;
	char flow_alert[2048];

	/* set while drawing, read by the mouse: the timeline's first row */
	int timeline_y;
	/* the newest metric entry, parsed once (not on every frame) */
	int64_t metric_id;
	struct metric_summary metric;

	/* the action items pane */
	struct action_list act_rows;
	int act_sel;

	/* the pager */
	char *pager_text;
	char pager_title[160];
	int pager_top;
	int pager_update; /* a status update: c, w, s and e apply */
	char pager_template[32];
	int64_t pager_incident;

	/* live updates */
	struct watch watch;
	int rechecks;
	int offline; /* the database stopped answering */
	int sigfd[2];
	char last_search[128];
	FILE *trace;
	int64_t key_ns; /* when the first key since the last frame was read */
	int64_t last_tick;
};

int ui_run(struct context *ctx, struct itui_err *err);

/* CLOCK_MONOTONIC in nanoseconds, for the trace. */
int64_t ui_mono_ns(void);

/* ui_draw.c */
void ui_render(struct ui *u);
void ui_colors_init(struct ui *u);

#endif
