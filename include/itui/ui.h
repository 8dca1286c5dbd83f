/*
 * ui.h - the full-screen dashboard: the loop, the views, and the state they
 * share.
 *
 * Contract: ui_run() owns the terminal from start to exit and is called on
 * the main thread, the only thread that ever calls curses.  It sleeps in
 * poll() on the terminal, a signal self-pipe and the store's change
 * descriptor, with a timeout that falls on the next second (the clocks'
 * tick).  Screens are views (struct view_ops) on a stack; a key becomes an
 * action through the keymap of the view in front, the view's request()
 * answers it or returns REACT_UNHANDLED for the generic handler, and the
 * reaction flags are acted on in one place.  Every change goes through the
 * verb layer (dash_run); no ui* or view* file calls the store.  Drawing
 * takes a const struct ui: it writes no state.  struct ui is shared by the
 * ui*.c and view-*.c files and by nothing else.
 */
#ifndef ITUI_UI_H
#define ITUI_UI_H

#include <stdint.h>
#include <stdio.h>

#include "itui/bounds.h"
#include "itui/cmd.h"
#include "itui/context.h"
#include "itui/dash.h"
#include "itui/deliver.h"
#include "itui/editline.h"
#include "itui/keymap.h"
#include "itui/layout.h"
#include "itui/poller.h"
#include "itui/spark.h"
#include "itui/strbuf.h"
#include "itui/watch.h"

/* What an action asks the loop to do, as htop's Htop_Reaction. */
enum ui_react {
	REACT_NONE = 0,
	REACT_REDRAW = 1 << 0,
	REACT_RELOAD = 1 << 1, /* the model, after our own write */
	REACT_FOLLOW = 1 << 2, /* the timeline jumps to the newest entry */
	REACT_QUIT = 1 << 3,
	REACT_CLEAR = 1 << 4, /* repaint the whole terminal */
	REACT_KICK = 1 << 5,  /* wake the poller */
	REACT_UNHANDLED = 1 << 8,
};

struct ui;

struct view_ops {
	enum ui_view id;
	void (*open)(struct ui *u);
	void (*close)(struct ui *u);
	/* The store changed: load what the view shows again. */
	void (*reload)(struct ui *u);
	/* Before drawing: scroll positions and hit areas. */
	void (*layout)(struct ui *u);
	void (*draw)(const struct ui *u);
	unsigned (*request)(struct ui *u, enum ui_action a);
};

enum ui_focus { FOCUS_LIST, FOCUS_TIMELINE };

typedef unsigned (*prompt_fn)(struct ui *u, const char *answer);

#define UI_STASH 4
#define UI_HIST  50 /* `:` lines remembered */
/* What a line may hold: an entry's limit (bounds.h), also for a paste. */
#define UI_INPUT_MAX BOUND_TEXT

struct ui_prompt {
	int on;
	int chained; /* an answer is asking the flow's next question */
	int yesno;   /* one key, y or n */
	int history; /* the `:` line: Up/Down recall, Tab completes verbs */
	int menu;    /* choices drawn in a row: arrows, first letters, Enter */
	size_t menu_sel;
	/* Tab cycling: the text before the first Tab, the next match. */
	int comp_on;
	char *comp_base;
	size_t comp_next;
	char label[400];
	struct editline
	    el; /* the answer being typed (the input line keeps its own) */
	prompt_fn on_answer;
	const char *const *choices;
	size_t nchoices;
	/* What the person saw when the question was asked. */
	struct cmd_seen seen;
	/* Answers of earlier steps of a flow (title, level, ...). */
	char *stash[UI_STASH];
	int step;
};

/* An edit refused because someone else changed the text meanwhile. */
struct ui_conflict {
	int64_t entry_id; /* or 0 for an incident field */
	int64_t incident_id;
	int field;
	char *mine;
	char *theirs;
	char *why;
	int64_t revision; /* theirs */
	int kind;
};

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
	int rows, cols;
	int colors;
	int quit;
	int dirty;
	/* The second ticked and nothing else changed: the next frame redraws
	 * what shows time (bars, list, the incident's head), not the
	 * timeline's rows (clocks_only, set by ui_render for the views). */
	int tick;
	int clocks_only;
	int frame_rows, frame_cols; /* the last frame's size */

	/* the views in front of the main one */
	enum ui_view stack[8];
	int depth;

	/* the timeline input line: open until Esc (continuous logging) */
	int input_on;
	struct editline el;
	enum entry_kind kind;
	int64_t edit_id;
	int edit_rev;
	int64_t input_incident;
	struct ui_prompt prompt;
	char *hist[UI_HIST]; /* the `:` line's history, oldest first */
	int nhist, hist_pos;
	char **people;
	size_t npeople;

	/* a bracketed paste being received (text, never keys) */
	int pasting;
	struct strbuf paste;
	size_t paste_bytes; /* all of it, also past the limit */
	int paste_gap;      /* a break seen: a space before the next text */
	int paste_match;    /* bytes of the end marker seen so far */
	/* the time of an entry waiting for its backdate to be confirmed */
	int64_t pending_at;

	/* the bell (config bell = new-p0,breach): what was rung for */
	int bell_primed;
	int64_t bell_max_id;
	int bell_breached;

	/* status bar */
	char msg[512];
	int msg_error;

	/* drafts */
	int draft_dirty;
	int64_t draft_due_ms;

	/*
	 * Another process holds the write lock: since when (monotonic ms, 0
	 * when not), and the entry whose Enter is tried again at log_due_ms
	 * (its confirmed time in log_at), the text kept in the line.
	 */
	int64_t busy_since_ms;
	int64_t log_due_ms;
	int64_t log_at;

	/* metrics */
	struct poller poller;
	int poller_on;
	struct deliver deliver; /* the outbox's deliverer */
	int deliver_on;
	char poller_problem[600];

	/* the views' own state */
	int help_top;
	struct alert_rows alerts;
	int alert_sel; /* index into alert_lines */
	struct alert_group *alert_groups;
	size_t nalert_groups;
	/* What the A pane lists: a group's line (row -1), or an alert. */
	struct alert_line {
		size_t group;
		long row;
	} * alert_lines;
	size_t nalert_lines;
	char **alert_expanded; /* keys of the groups opened with Enter */
	size_t nalert_expanded;
	struct action_list act_rows;
	int act_sel;
	int ck_sel; /* the checklist view's selected step row */
	char *pager_text;
	char pager_title[160];
	int pager_top;
	int pager_update;  /* a status update: copy, write, edit, mark sent */
	int pager_handoff; /* the handoff summary: l records the look */
	char pager_template[32];
	int64_t pager_incident;
	struct ui_conflict conflict;
	struct entry_list revisions; /* of the entry in the entry view */

	/* set by layout, read by the mouse: the timeline's first row */
	int timeline_y;

	/* live updates */
	struct watch watch;
	int rechecks;
	int64_t late_due_ms; /* the late hint is read again then (0: now) */
	int offline;         /* the database stopped answering */
	int sigfd[2];
	char last_search[128];
	FILE *trace;
	int64_t key_ns; /* when the first key since the last frame was read */
	int64_t slowest_turn_ns; /* the loop's longest turn (trace) */
	int64_t last_tick;
};

int ui_run(struct context *ctx, struct itui_err *err);

/* ---- ui.c: what the views use ------------------------------------ */

/* The view in front. */
enum ui_view ui_top(const struct ui *u);
void ui_push(struct ui *u, enum ui_view v);
void ui_pop(struct ui *u);
void ui_message(struct ui *u, int error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* What the person sees now: the shown incident, selected entry, item. */
struct cmd_seen ui_seen(const struct ui *u);
/*
 * Runs a verb with what the person saw, reports its note or error in the
 * status bar, and shows multi-line output in the pager when `show` is set.
 * Returns the verb's code; *made (optional) gets what it created.
 */
enum itui_code ui_verb(struct ui *u, const struct cmd_seen *seen, int show,
                       int64_t *made, const char *const *words);
#define UI_WORDS(...) ((const char *const[]){__VA_ARGS__, NULL})
/* Asks a question in the status bar; the answer goes to fn. */
void ui_ask(struct ui *u, const char *label, const char *initial, prompt_fn fn,
            const char *const *choices, size_t nchoices);
/*
 * A question answered from a menu of choices (sel highlighted first):
 * arrows move, typing picks the first choice it starts, Enter takes the
 * highlighted one; text that starts no choice is answered as typed.
 */
void ui_menu(struct ui *u, const char *label, prompt_fn fn,
             const char *const *choices, size_t nchoices, size_t sel);
/* A y/n question answered by one key. */
void ui_confirm(struct ui *u, const char *label, prompt_fn fn);
/* Opens the pager on text (taken). */
void ui_pager_open(struct ui *u, const char *title, char *text, int is_update);
/* Names seen in the store, for completion. */
void ui_load_people(struct ui *u);
/* The timeline input line, new (edit_id 0) or editing an entry. */
void ui_start_input(struct ui *u, const struct entry *edit);
/* Moves the main view's selection (the list or the timeline). */
void ui_move(struct ui *u, int delta);
/* Finds the selected timeline entry again after a reload. */
void ui_refind_entry(struct ui *u);
const struct entry *ui_selected_entry(const struct ui *u);
/*
 * A movement action applied to a position in 0..count-1 with a page of
 * `page` rows: the new position, or -1 when `a` is not a movement.
 */
int ui_scroll(enum ui_action a, int pos, int count, int page);
/* An overlay's page height. */
int ui_overlay_rows(const struct ui *u);

/* ---- ui_draw.c: the drawing kit ----------------------------------- */

enum ui_pair {
	PAIR_SEV0 = 1,
	PAIR_SEV1,
	PAIR_SEV2,
	PAIR_SEV3,
	PAIR_SOON,
	PAIR_BREACH,
	PAIR_BAR,
	PAIR_DIM,
	PAIR_OK,
};

void ui_render(struct ui *u);
void ui_colors_init(struct ui *u);
/* Attributes are curses attr_t values carried as unsigned long. */
unsigned long ui_color(const struct ui *u, enum ui_pair pair);
unsigned long ui_sev_attr(const struct ui *u, const char *sev);
unsigned long ui_clock_attr(const struct ui *u, const struct sla_clock *c);
unsigned long ui_attr_bold(void);
unsigned long ui_attr_reverse(void);
unsigned long ui_attr_dim(void);
/* Untrusted text at (y, x) in at most w columns; returns the columns. */
int ui_put(int y, int x, int w, const char *s, unsigned long attr);
/* Fills a row from x to end with attr (a selection bar). */
void ui_fill(int y, int x, int end, unsigned long attr);
/* A framed box; *inner gets the usable rectangle. */
void ui_box(int y, int x, int h, int w);
/* The standard overlay frame: a box with a title and the view's footer. */
void ui_overlay(const struct ui *u, const char *title, struct rect *inner);
/* Long text wrapped at word boundaries into the rectangle, from `top`. */
void ui_wrap(const struct rect *r, const char *text, int top);
void ui_hline(int y, int x, int w);
void ui_vline(int y, int x, int h);
void ui_compute_clocks(const struct ui *u, const struct incident *inc,
                       int64_t now, struct sla_clock c[CLOCK_KIND_COUNT]);

#endif
