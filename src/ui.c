/*
 * ui.c - the dashboard's main loop, the view stack, keys, prompts and the
 * input line.
 *
 * DESIGN: one thread.  The loop sleeps in poll() on the terminal, a
 * self-pipe written by the signal handlers (and by the poller when it
 * commits), and an inotify watch on the database directory; its timeout
 * falls on the next whole second (the SLA clocks' tick) or sooner for a
 * pending re-check or draft save, so an idle dashboard wakes once a
 * second.  Each turn: handle signals, take file events, read every pending
 * key, check whether another process committed, then draw once if anything
 * set the dirty flag.  A key is looked up in the keymap of the view in
 * front; the view's request() answers it or leaves it to the generic
 * handler here; either returns reaction flags, and react() is the one place
 * that acts on them.  Every change is a verb run through dash_run(), with
 * what the person saw when they pressed the key or opened the prompt.
 * No turn waits on another process's write lock: a write waits at most a
 * frame (DASH_WRITE_WAIT_MS), and an entry or draft the lock refused stays
 * in the line and is tried again on a later turn (BUSY_RETRY_MS), the
 * status saying for how long the database has been held.
 */
#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "itui/entryparse.h"
#include "itui/http.h"
#include "itui/sanitize.h"
#include "itui/timeutil.h"
#include "itui/ui.h"
#include "itui/unsent.h"
#include "itui/view-actions.h"
#include "itui/view-alerts.h"
#include "itui/view-checklist.h"
#include "itui/view-conflict.h"
#include "itui/view-entry.h"
#include "itui/view-help.h"
#include "itui/view-main.h"
#include "itui/view-pager.h"
#include "itui/xalloc.h"

#define RECHECKS      4    /* data_version re-checks after a file event */
#define RECHECK_MS    2    /* between them */
#define LATE_HOLD_MS  250  /* the unannounced writes' hint, read this often */
#define DRAFT_SAVE_MS 1000 /* after the last keystroke */
#define BUSY_RETRY_MS 100  /* a write the lock refused: tried again after */

static volatile sig_atomic_t got_hup, got_term, got_int;

static void react(struct ui *u, unsigned r);
static int sig_write_fd = -1;

static const struct view_ops *const views[VIEW_COUNT] = {
    [VIEW_MAIN] = &view_main_ops,
    [VIEW_ENTRY] = &view_entry_ops,
    [VIEW_HELP] = &view_help_ops,
    [VIEW_ALERTS] = &view_alerts_ops,
    [VIEW_ACTIONS] = &view_actions_ops,
    [VIEW_PAGER] = &view_pager_ops,
    [VIEW_CONFLICT] = &view_conflict_ops,
    [VIEW_CHECKLIST] = &view_checklist_ops,
};

static void
on_signal(int sig)
{
	int saved = errno;
	char c = 's';

	if (sig == SIGHUP)
		got_hup = 1;
	else if (sig == SIGTERM)
		got_term = 1;
	else
		got_int = 1;
	if (sig_write_fd >= 0)
		(void)!write(sig_write_fd, &c, 1);
	errno = saved;
}

/* Codes curses gives the bracketed-paste markers (define_key below). */
#define KEY_PASTE_BEGIN (KEY_MAX + 1)
#define KEY_PASTE_END   (KEY_MAX + 2)
#define KEY_SGR_MOUSE   (KEY_MAX + 3)
#define SGR_ON          "\033[?1006h"
#define SGR_OFF         "\033[?1006l"

/* We decode SGR mouse reports ourselves (terminfo has only X10's). */
static int own_sgr;
#define PASTE_ON  "\033[?2004h"
#define PASTE_OFF "\033[?2004l"

static void
restore_terminal(void)
{
	if (!isendwin()) {
		if (own_sgr)
			fputs(SGR_OFF, stdout);
		fputs(PASTE_OFF, stdout);
		fflush(stdout);
		endwin();
	}
}

/* ---- the view stack and messages ---------------------------------- */

enum ui_view
ui_top(const struct ui *u)
{
	return u->depth > 0 ? u->stack[u->depth - 1] : VIEW_MAIN;
}

void
ui_push(struct ui *u, enum ui_view v)
{
	if (ui_top(u) == v ||
	    u->depth >= (int)(sizeof u->stack / sizeof u->stack[0]))
		return;
	u->stack[u->depth++] = v;
	if (views[v]->open != NULL)
		views[v]->open(u);
	u->dirty = 1;
}

void
ui_pop(struct ui *u)
{
	enum ui_view v;

	if (u->depth == 0)
		return;
	v = u->stack[--u->depth];
	if (views[v]->close != NULL)
		views[v]->close(u);
	u->dirty = 1;
}

void
ui_message(struct ui *u, int error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(u->msg, sizeof u->msg, fmt, ap);
	va_end(ap);
	u->msg_error = error;
	u->dirty = 1;
}

const struct entry *
ui_selected_entry(const struct ui *u)
{
	size_t i;

	for (i = 0; i < u->d.timeline.n; i++)
		if (u->d.timeline.v[i].id == u->sel_entry_id)
			return &u->d.timeline.v[i];
	return NULL;
}

struct cmd_seen
ui_seen(const struct ui *u)
{
	struct cmd_seen s = {0, 0, 0};
	const struct entry *e = ui_selected_entry(u);

	s.incident = u->d.have_detail ? u->d.detail.id : 0;
	if (e != NULL &&
	    (u->focus == FOCUS_TIMELINE || ui_top(u) == VIEW_ENTRY))
		s.entry = e->id;
	if (ui_top(u) == VIEW_ACTIONS && u->act_rows.n > 0)
		s.action = u->act_rows.v[u->act_sel].id;
	return s;
}

int
ui_scroll(enum ui_action a, int pos, int count, int page)
{
	int half = page / 2 > 0 ? page / 2 : 1;

	switch (a) {
	case UA_DOWN:
		pos++;
		break;
	case UA_UP:
		pos--;
		break;
	case UA_PAGE_DOWN:
		pos += page;
		break;
	case UA_PAGE_UP:
		pos -= page;
		break;
	case UA_HALF_DOWN:
		pos += half;
		break;
	case UA_HALF_UP:
		pos -= half;
		break;
	case UA_TOP:
		pos = 0;
		break;
	case UA_BOTTOM:
		pos = count - 1;
		break;
	default:
		return -1;
	}
	if (pos >= count)
		pos = count - 1;
	return pos < 0 ? 0 : pos;
}

int
ui_overlay_rows(const struct ui *u)
{
	return u->rows - 6 > 1 ? u->rows - 6 : 1;
}

/* ---- running verbs ------------------------------------------------- */

enum itui_code
ui_verb(struct ui *u, const struct cmd_seen *seen, int show, int64_t *made,
        const char *const *words)
{
	struct dash_result res;
	enum itui_code rc = dash_run(&u->d, words, seen, NULL, &res);

	if (made != NULL)
		*made = res.made;
	/* A change may have queued messages: no need to wait a round. */
	if (rc == ITUI_OK && u->deliver_on)
		deliver_kick(&u->deliver);
	if (rc == ITUI_OK && show && res.lines > 1) {
		char title[96];

		snprintf(title, sizeof title, ":%s", words[0]);
		ui_pager_open(u, title, res.out, 0);
		res.out = NULL;
	} else if (res.msg[0] != '\0') {
		ui_message(u, res.error, "%s", res.msg);
	}
	dash_result_free(&res);
	ui_refind_entry(u);
	u->dirty = 1;
	return rc;
}

/* ---- prompts --------------------------------------------------------- */

static void too_long(struct ui *u, size_t bytes);

static void
prompt_clear(struct ui *u)
{
	int i;

	for (i = 0; i < UI_STASH; i++) {
		free(u->prompt.stash[i]);
		u->prompt.stash[i] = NULL;
	}
	u->prompt.on = 0;
	u->prompt.yesno = 0;
	u->prompt.step = 0;
}

/* A prompt keeps the flow's stash; a new flow starts with ui_ask(). */
void
ui_ask(struct ui *u, const char *label, const char *initial, prompt_fn fn,
       const char *const *choices, size_t nchoices)
{
	/* A flow keeps what was seen when its first question was asked. */
	if (!u->prompt.on && !u->prompt.chained)
		u->prompt.seen = ui_seen(u);
	snprintf(u->prompt.label, sizeof u->prompt.label, "%s", label);
	editline_set(&u->prompt.el, initial);
	u->prompt.el.max = UI_INPUT_MAX;
	u->prompt.on_answer = fn;
	u->prompt.choices = choices;
	u->prompt.nchoices = nchoices;
	u->prompt.yesno = 0;
	u->prompt.menu = 0;
	u->prompt.history = 0;
	u->prompt.comp_on = 0;
	u->prompt.on = 1;
	u->msg[0] = '\0';
	u->dirty = 1;
}

void
ui_confirm(struct ui *u, const char *label, prompt_fn fn)
{
	char full[400];

	snprintf(full, sizeof full, "%s (y/n)", label);
	ui_ask(u, full, "", fn, NULL, 0);
	u->prompt.yesno = 1;
}

void
ui_menu(struct ui *u, const char *label, prompt_fn fn,
        const char *const *choices, size_t nchoices, size_t sel)
{
	ui_ask(u, label, "", fn, choices, nchoices);
	u->prompt.menu = 1;
	u->prompt.menu_sel = sel < nchoices ? sel : 0;
}

/* The menu's highlight follows what is typed: the first choice it starts. */
static void
menu_follow(struct ui *u)
{
	const char *text = editline_text(&u->prompt.el);
	size_t i, len = strlen(text);

	for (i = 0; len > 0 && i < u->prompt.nchoices; i++)
		if (strncasecmp(u->prompt.choices[i], text, len) == 0) {
			u->prompt.menu_sel = i;
			return;
		}
}

/*
 * Enter in a menu: nothing typed, or the start of the highlighted choice,
 * takes that choice; other text is answered as typed (the free form).
 */
static const char *
menu_answer(const struct ui *u, const char *text)
{
	const char *c = u->prompt.choices[u->prompt.menu_sel];

	if (*text == '\0' || strncasecmp(c, text, strlen(text)) == 0)
		return c;
	return text;
}

void
ui_load_people(struct ui *u)
{
	dash_people_free(u->people, u->npeople);
	dash_people(&u->d, &u->people, &u->npeople);
}

static const char *const status_words[] = {
    "investigating", "identified", "mitigating", "monitoring", "resolved",
    "closed",        "commander",  "tech-lead",  "comms-lead", "scribe"};

/*
 * What Tab offers for the word being typed: on the command line a verb's
 * name first and then statuses, roles, levels and names; in a prompt its
 * choices, else the names seen in the store.  *v is the caller's to free.
 */
static size_t
candidates(const struct ui *u, int first_word, const char ***v)
{
	size_t n = 0, cap = 64 + u->npeople + POLICY_MAX_LEVELS, i;
	const char **out = xcalloc(cap, sizeof *out);

	if (u->prompt.history && first_word) {
		for (i = 0; cmd_table[i] != NULL && n < cap; i++)
			if (strchr(cmd_table[i]->name, ' ') == NULL &&
			    !(cmd_table[i]->flags & CMD_CLI_ONLY))
				out[n++] = cmd_table[i]->name;
	} else if (u->prompt.history) {
		for (i = 0; i < sizeof status_words / sizeof *status_words; i++)
			out[n++] = status_words[i];
		for (i = 0; i < (size_t)u->d.policy->nlevels; i++)
			out[n++] = u->d.policy->levels[i].name;
	} else if (u->prompt.choices != NULL) {
		for (i = 0; i < u->prompt.nchoices && n < cap; i++)
			out[n++] = u->prompt.choices[i];
	}
	if (u->prompt.history ? !first_word : u->prompt.choices == NULL)
		for (i = 0; i < u->npeople && n < cap; i++)
			out[n++] = u->people[i];
	*v = out;
	return n;
}

/*
 * Tab in a prompt completes the last word; Tab again cycles through every
 * match of what was typed before the first Tab.
 */
static void
complete(struct ui *u)
{
	struct ui_prompt *p = &u->prompt;
	const char **v, *word;
	size_t n, k, wlen, head;

	if (!p->comp_on) {
		free(p->comp_base);
		p->comp_base = xstrdup(editline_text(&p->el));
		p->comp_next = 0;
		p->comp_on = 1;
	}
	word = strrchr(p->comp_base, ' ');
	word = word != NULL ? word + 1 : p->comp_base;
	head = (size_t)(word - p->comp_base);
	wlen = strlen(word);
	/* The first word when only blanks stand before it. */
	n = candidates(u, strspn(p->comp_base, " ") >= head, &v);
	for (k = 0; k < n; k++) {
		size_t i = (p->comp_next + k) % n;

		if (strncasecmp(v[i], word, wlen) != 0)
			continue;
		p->comp_next = i + 1;
		editline_set(&p->el, "");
		p->el.max = UI_INPUT_MAX;
		(void)editline_insert_n(&p->el, p->comp_base, head);
		(void)editline_insert_str(&p->el, v[i]);
		free(v);
		u->dirty = 1;
		return;
	}
	free(v);
	ui_message(u, 1, "nothing to complete for '%s'", word);
}

/* Up / Down on the command line: earlier lines, newest first. */
static void
history_move(struct ui *u, int step)
{
	int pos = u->hist_pos + step;

	if (pos < 0 || pos > u->nhist)
		return;
	u->hist_pos = pos;
	editline_set(&u->prompt.el, pos < u->nhist ? u->hist[pos] : "");
	u->prompt.el.max = UI_INPUT_MAX;
	u->dirty = 1;
}

static void
history_add(struct ui *u, const char *line)
{
	if (line[strspn(line, " ")] == '\0' ||
	    (u->nhist > 0 && strcmp(u->hist[u->nhist - 1], line) == 0))
		return;
	if (u->nhist == UI_HIST) {
		free(u->hist[0]);
		memmove(u->hist, u->hist + 1, (UI_HIST - 1) * sizeof *u->hist);
		u->nhist--;
	}
	u->hist[u->nhist++] = xstrdup(line);
}

static unsigned
prompt_answer(struct ui *u, const char *answer)
{
	prompt_fn fn = u->prompt.on_answer;
	char *copy = xstrdup(answer);
	unsigned r;

	u->prompt.on = 0;
	u->prompt.chained = 1;
	r = fn(u, copy);
	u->prompt.chained = 0;
	free(copy);
	/* The answer asked nothing further: the flow is over. */
	if (!u->prompt.on)
		prompt_clear(u);
	return r | REACT_REDRAW;
}

static unsigned
prompt_key(struct ui *u, uint32_t key)
{
	if (u->prompt.yesno) {
		if (key == 'y' || key == 'Y')
			return prompt_answer(u, "y");
		if (key == 'n' || key == 'N' || key == KEYC_ESC ||
		    key == KEYC_ENTER) {
			prompt_clear(u);
			ui_message(u, 0, "nothing changed");
			return REACT_REDRAW;
		}
		return REACT_NONE;
	}
	if (key != KEYC_TAB)
		u->prompt.comp_on = 0;
	if (u->prompt.menu && u->prompt.nchoices > 0 &&
	    (key == KEYC_LEFT || key == KEYC_RIGHT || key == KEYC_UP ||
	     key == KEYC_DOWN)) {
		size_t n = u->prompt.nchoices;

		u->prompt.menu_sel =
		    (u->prompt.menu_sel +
		     (key == KEYC_LEFT || key == KEYC_UP ? n - 1 : 1)) %
		    n;
		editline_set(&u->prompt.el, "");
		return REACT_REDRAW;
	}
	switch (key) {
	case KEYC_ENTER: {
		char *text = xstrdup(editline_text(&u->prompt.el));
		unsigned r;

		if (u->prompt.history)
			history_add(u, text);
		r = prompt_answer(u, u->prompt.menu && u->prompt.nchoices > 0
		                         ? menu_answer(u, text)
		                         : text);
		free(text);
		return r;
	}
	case KEYC_ESC:
		prompt_clear(u);
		ui_message(u, 0, "cancelled");
		return REACT_REDRAW;
	case KEYC_TAB:
		complete(u);
		return REACT_REDRAW;
	case KEYC_UP:
	case KEYC_DOWN:
		if (u->prompt.history) {
			history_move(u, key == KEYC_UP ? -1 : 1);
			return REACT_REDRAW;
		}
		return REACT_NONE;
	}
	switch (editline_key(&u->prompt.el, key)) {
	case 0:
		return REACT_NONE;
	case -1:
		too_long(u, 0);
		break;
	}
	if (u->prompt.menu)
		menu_follow(u);
	return REACT_REDRAW;
}

/* ---- the input line and drafts ------------------------------------- */

static void
too_long(struct ui *u, size_t bytes)
{
	if (bytes > 0)
		ui_message(u, 1,
		           "paste refused: %zu bytes would pass the limit of "
		           "an entry (%d bytes); nothing was inserted",
		           bytes, UI_INPUT_MAX);
	else
		ui_message(u, 1, "the text is at its limit (%d bytes)",
		           UI_INPUT_MAX);
}

/* Text put into a line by the program: cut on a character boundary. */
static void
set_capped(struct ui *u, struct editline *el, const char *text)
{
	size_t n = text != NULL ? strlen(text) : 0;

	editline_set(el, text);
	el->max = UI_INPUT_MAX;
	if (n <= UI_INPUT_MAX)
		return;
	n = UI_INPUT_MAX;
	while (n > 0 && ((unsigned char)el->buf[n] & 0xC0) == 0x80)
		n--;
	el->buf[n] = '\0';
	el->len = el->cursor = n;
	ui_message(u, 1,
	           "the text was longer than an entry may be; cut at %d "
	           "bytes",
	           UI_INPUT_MAX);
}

/*
 * A turn, from the wake-up to the next sleep, is how long a key could
 * wait: the trace names each that took over TRACE_TURN_NS ("turn END LEN",
 * monotonic ns) and the slowest at the end; and each entry or draft the
 * dashboard tried to write that took as long ("write END LEN"): what a
 * held lock could cost.
 */
#define TRACE_TURN_NS 5000000

static void
trace_write(struct ui *u, int64_t start_ns)
{
	int64_t now = time_mono_ns();

	if (u->trace != NULL && now - start_ns > TRACE_TURN_NS) {
		fprintf(u->trace, "write %lld %lld\n", (long long)now,
		        (long long)(now - start_ns));
		fflush(u->trace);
	}
}

static void
trace_turn(struct ui *u, int64_t woke_ns)
{
	int64_t now = time_mono_ns(), len = now - woke_ns;

	if (u->trace == NULL)
		return;
	if (len > u->slowest_turn_ns)
		u->slowest_turn_ns = len;
	if (len > TRACE_TURN_NS) {
		fprintf(u->trace, "turn %lld %lld\n", (long long)now,
		        (long long)len);
		fflush(u->trace);
	}
}

/*
 * Another process holds the write lock (a stopped writer, a hung
 * script): the write failed at once, changing nothing.  The status says
 * for how long; what waits is tried again on a later turn.
 */
static void
show_waiting(struct ui *u)
{
	int64_t now = time_mono_ms();

	if (u->busy_since_ms == 0) {
		/* Known to be held: the retries do not wait at all. */
		u->busy_since_ms = now;
		dash_write_wait(&u->d, 0);
	}
	ui_message(u, 1,
	           "waiting for the database: held by another process for "
	           "%lld s%s",
	           (long long)((now - u->busy_since_ms) / 1000),
	           u->log_due_ms > 0 ? "; the entry is logged when it is free"
	                             : "; your text is kept");
}

/* A write went through: the waiting status goes with the wait. */
static void
not_waiting(struct ui *u)
{
	if (u->busy_since_ms == 0)
		return;
	u->busy_since_ms = 0;
	dash_write_wait(&u->d, DASH_WRITE_WAIT_MS);
	if (strncmp(u->msg, "waiting for the database", 24) == 0)
		ui_message(u, 0, "the database is free again");
}

static void
save_draft(struct ui *u)
{
	struct itui_err err;
	enum itui_code rc;
	int64_t t0;

	if (!u->draft_dirty || u->input_incident == 0 || u->edit_id != 0)
		return;
	t0 = time_mono_ns();
	rc = dash_draft_save(&u->d, u->input_incident, u->kind,
	                     editline_text(&u->el), &err);
	trace_write(u, t0);
	if (rc == ITUI_BUSY) {
		/* Still dirty: the next turn tries again. */
		u->draft_due_ms = time_mono_ms() + BUSY_RETRY_MS;
		show_waiting(u);
		return;
	}
	if (rc != ITUI_OK)
		ui_message(u, 1, "draft not saved: %s", err.msg);
	else
		not_waiting(u);
	u->draft_dirty = 0;
	u->draft_due_ms = 0;
}

static void
drop_draft(struct ui *u)
{
	struct itui_err err;

	u->draft_dirty = 0;
	u->draft_due_ms = 0;
	if (u->input_incident != 0 && u->edit_id == 0 &&
	    dash_draft_save(&u->d, u->input_incident, u->kind, "", &err) ==
	        ITUI_BUSY) {
		/* The line is empty: saving it later drops the draft. */
		u->draft_dirty = 1;
		u->draft_due_ms = time_mono_ms() + BUSY_RETRY_MS;
	}
}

static void
draft_touched(struct ui *u)
{
	if (u->edit_id != 0)
		return;
	u->draft_dirty = 1;
	u->draft_due_ms = time_mono_ms() + DRAFT_SAVE_MS;
}

void
ui_start_input(struct ui *u, const struct entry *edit)
{
	struct itui_err err;
	char *text = NULL;
	int64_t inc = 0;
	enum entry_kind kind = KIND_NOTE;

	u->input_on = 1;
	u->edit_id = edit != NULL ? edit->id : 0;
	u->edit_rev = edit != NULL ? edit->revision : 0;
	u->input_incident = u->d.have_detail ? u->d.detail.id : 0;
	u->kind = KIND_NOTE;
	u->msg[0] = '\0';
	if (edit != NULL) {
		u->kind = edit->kind;
		set_capped(u, &u->el, edit->text);
	} else if (dash_draft_load(&u->d, &inc, &kind, &text, &err) ==
	               ITUI_OK &&
	           text != NULL && inc == u->input_incident) {
		u->kind = kind;
		ui_message(u, 0, "your unsent draft");
		set_capped(u, &u->el, text);
	} else {
		set_capped(u, &u->el, "");
	}
	free(text);
	u->dirty = 1;
}

/* Tab / Shift-Tab: the next or previous kind a person may log. */
static void
cycle_kind(struct ui *u, int step)
{
	int k = (int)u->kind;

	do
		k = (k + step + KIND_COUNT) % KIND_COUNT;
	while (!kind_loggable((enum entry_kind)k));
	u->kind = (enum entry_kind)k;
	draft_touched(u);
	u->dirty = 1;
}

static unsigned
log_input(struct ui *u, int64_t at)
{
	struct dash_result res;
	enum itui_code rc;
	char *mine = xstrdup(editline_text(&u->el));
	int64_t t0;

	u->log_due_ms = 0;
	t0 = time_mono_ns();
	rc = dash_log_at(&u->d, u->input_incident, mine, u->kind, u->edit_id,
	                 u->edit_rev, at, &res);
	trace_write(u, t0);
	if (rc == ITUI_BUSY) {
		/* Nothing was written: the text stays in the line and the
		 * loop tries again, without waiting here. */
		u->log_due_ms = time_mono_ms() + BUSY_RETRY_MS;
		u->log_at = at;
		show_waiting(u);
		dash_result_free(&res);
		free(mine);
		return REACT_REDRAW;
	}
	if (rc == ITUI_CONFLICT) {
		/* Someone else changed the entry: both texts, and a choice. */
		view_conflict_start(u, u->edit_id, mine, res.msg);
		u->input_on = 0;
		u->edit_id = 0;
		dash_result_free(&res);
		free(mine);
		return REACT_RELOAD;
	}
	free(mine);
	if (rc != ITUI_OK) {
		ui_message(u, 1, "%s", res.msg);
		dash_result_free(&res);
		return REACT_REDRAW;
	}
	not_waiting(u);
	if (u->deliver_on)
		deliver_kick(&u->deliver);
	if (u->edit_id != 0) {
		ui_message(u, 0, "entry edited (the old text is kept)");
		u->input_on = 0;
		u->edit_id = 0;
	} else {
		/* Continuous logging: the line stays open for the next one;
		 * the verb dropped the draft in the same transaction. */
		ui_message(u, 0, "%s (Esc closes the line)", res.msg);
		set_capped(u, &u->el, "");
		u->draft_dirty = 0;
		u->draft_due_ms = 0;
	}
	dash_result_free(&res);
	return REACT_FOLLOW;
}

/* The Enter the write lock held back, once more (a loop turn). */
static void
retry_log(struct ui *u)
{
	if (!u->input_on) {
		u->log_due_ms = 0;
		return;
	}
	react(u, log_input(u, u->log_at));
}

static unsigned
answer_backdate(struct ui *u, const char *a)
{
	(void)a;
	return log_input(u, u->pending_at);
}

/*
 * Enter: a leading time is read here with --at's parser, and a time on
 * another day or before the declaration is asked about once.
 */
static unsigned
submit_input(struct ui *u)
{
	struct parsed_entry pe;
	struct itui_err err;
	int64_t now = context_now(), at;
	const struct incident *inc = &u->d.detail;
	char label[300], t[TIME_BUF], day[TIME_BUF], decl[TIME_BUF];

	if (entryparse(editline_text(&u->el), u->kind, &pe) != 0 ||
	    !pe.has_time)
		return log_input(u, TIME_NONE);
	if (time_parse_at(pe.at, now, &at, &err) != ITUI_OK) {
		ui_message(u, 1, "%s", err.msg);
		return REACT_REDRAW;
	}
	u->pending_at = at;
	time_format_hhmm(at, t);
	time_format_date(at, day);
	if (!time_same_local_day(at, now)) {
		snprintf(label, sizeof label, "%s is %s, %s: log it there?", t,
		         time_same_local_day(at + 86400, now) ? "yesterday"
		                                              : "another day",
		         day);
		ui_confirm(u, label, answer_backdate);
		return REACT_REDRAW;
	}
	if (u->d.have_detail && inc->id == u->input_incident &&
	    at < inc->declared_at) {
		snprintf(label, sizeof label,
		         "%s is before INC-%lld was declared (%s): log it "
		         "there?",
		         t, (long long)inc->id,
		         time_format_hhmm(inc->declared_at, decl));
		ui_confirm(u, label, answer_backdate);
		return REACT_REDRAW;
	}
	return log_input(u, at);
}

/* Esc: the line closes; unsent text stays as the draft. */
static unsigned
close_input(struct ui *u)
{
	const char *text = editline_text(&u->el);

	/* An Enter the lock held back is not sent after the line closes. */
	u->log_due_ms = 0;
	if (u->edit_id != 0) {
		ui_message(u, 0, "edit cancelled (the entry is unchanged)");
	} else if (text[strspn(text, " \t")] == '\0') {
		drop_draft(u);
		ui_message(u, 0, "closed");
	} else {
		u->draft_dirty = 1;
		save_draft(u);
		ui_message(u, 0, "kept as your draft (%s opens it again)", "i");
	}
	u->input_on = 0;
	u->edit_id = 0;
	return REACT_REDRAW;
}

static unsigned
input_key(struct ui *u, uint32_t key)
{
	int used;

	switch (key) {
	case KEYC_ENTER:
		return submit_input(u);
	case KEYC_ESC:
		return close_input(u);
	case KEYC_TAB:
		cycle_kind(u, 1);
		return REACT_REDRAW;
	case KEYC_BTAB:
		cycle_kind(u, -1);
		return REACT_REDRAW;
	}
	used = editline_key(&u->el, key);
	if (used == 0)
		return REACT_NONE;
	if (used < 0)
		too_long(u, 0);
	draft_touched(u);
	return REACT_REDRAW;
}

/* ---- bracketed paste: text, never keys ------------------------------ */

/* One byte of a paste (UTF-8 passes through; paste_done() repairs it). */
static void
paste_byte(struct ui *u, unsigned char c)
{
	/*
	 * A tab or line break in a paste is a space (runs of them one, none
	 * at the ends): it never changes the kind or submits, and a
	 * multi-line paste becomes one line.
	 */
	if (c == '\t' || c == '\n' || c == '\r') {
		u->paste_gap = u->paste_bytes > 0;
		return;
	}
	if (c < 0x20 || c == 0x7f)
		return;
	if (u->paste_gap) {
		u->paste_gap = 0;
		paste_byte(u, ' ');
	}
	u->paste_bytes++;
	/* Past the limit only the size is counted: memory stays bounded. */
	if (u->paste.len < UI_INPUT_MAX)
		strbuf_add(&u->paste, &c, 1);
}

static void
paste_add(struct ui *u, uint32_t key)
{
	char c[5] = {0};
	size_t n, i;

	if (key == KEYC_ENTER)
		key = '\n';
	if (key >= KEYC_BASE)
		return;
	n = utf8_encode(key, c);
	for (i = 0; i < n; i++)
		paste_byte(u, (unsigned char)c[i]);
}

static void
paste_done(struct ui *u)
{
	struct editline *el = NULL;
	char *text;

	if (u->prompt.on && !u->prompt.yesno)
		el = &u->prompt.el;
	else if (u->input_on && !u->prompt.on)
		el = &u->el;
	else if (!u->prompt.on && ui_top(u) == VIEW_MAIN && u->d.have_detail &&
	         !dash_readonly(&u->d)) {
		/* Pasting into the dashboard starts an entry with it. */
		ui_start_input(u, NULL);
		el = &u->el;
	}
	/* Raw bytes came in: invalid UTF-8 becomes U+FFFD. */
	text = utf8_repair(strbuf_str(&u->paste));
	if (el == NULL)
		ui_message(u, 1, "paste ignored: nothing is being typed");
	else if (u->paste_bytes > u->paste.len ||
	         editline_insert_str(el, text) != 0)
		too_long(u, u->paste_bytes > u->paste.len ? u->paste_bytes
		                                          : strlen(text));
	else if (el == &u->el)
		draft_touched(u);
	free(text);
	strbuf_free(&u->paste);
	u->paste_bytes = 0;
	u->paste_gap = 0;
	u->dirty = 1;
}

/* ---- the generic actions -------------------------------------------- */

void
ui_refind_entry(struct ui *u)
{
	size_t i;

	u->tl_lv.count = (int)u->d.timeline.n;
	if (u->follow || u->sel_entry_id == 0) {
		if (u->d.timeline.n > 0) {
			u->tl_lv.sel = (int)u->d.timeline.n - 1;
			u->sel_entry_id = u->d.timeline.v[u->tl_lv.sel].id;
		}
		return;
	}
	for (i = 0; i < u->d.timeline.n; i++)
		if (u->d.timeline.v[i].id == u->sel_entry_id) {
			u->tl_lv.sel = (int)i;
			return;
		}
	u->follow = 1;
	ui_refind_entry(u);
}

/* Runs a `:` line's verb; many lines of output open the pager. */
static void
run_line(struct ui *u, const char *line, const char *name)
{
	struct dash_result res;
	enum itui_code rc = dash_run_line(&u->d, line, &u->prompt.seen, &res);

	if (rc == ITUI_OK && res.lines > 1 && res.msg[0] == '\0') {
		ui_pager_open(u, line, res.out, 0);
		res.out = NULL;
	} else if (res.msg[0] != '\0') {
		ui_message(u, res.error, "%s", res.msg);
	}
	if (rc == ITUI_OK && res.made > 0 && strncmp(name, "dec", 3) == 0) {
		struct itui_err err;

		(void)dash_select_id(&u->d, res.made, &err);
	}
	dash_result_free(&res);
	ui_refind_entry(u);
}

/*
 * The roles you hold on the listed active incidents, "IC INC-1, Scribe
 * INC-3", into buf (past 40 columns "+N more", so the menu fits 80);
 * returns how many.
 */
static int
held_roles(const struct ui *u, char *buf, size_t size)
{
	static const char *const label[ROLE_COUNT] = {"IC", "TL", "Comms",
	                                              "Scribe"};
	size_t i, len = 0;
	int k, n = 0, shown = 0;

	buf[0] = '\0';
	for (i = 0; i < u->d.incidents.n; i++) {
		const struct incident *inc = &u->d.incidents.v[i];

		if (!status_is_active(inc->status))
			continue;
		for (k = 0; k < ROLE_COUNT; k++) {
			if (inc->roles[k] == NULL ||
			    strcmp(inc->roles[k], u->ctx->user) != 0)
				continue;
			n++;
			if (len > 40 || len >= size)
				continue;
			len += (size_t)snprintf(
			    buf + len, size - len, "%s%s INC-%lld",
			    shown ? ", " : "", label[k], (long long)inc->id);
			shown++;
		}
	}
	if (n > shown && len < size)
		snprintf(buf + len, size - len, " +%d more", n - shown);
	return n;
}

/*
 * move: the handoff as typed, with --move-roles (before the words, so a
 * note's own dashes stay text); keep: as typed.
 */
static unsigned
answer_move_roles(struct ui *u, const char *a)
{
	char *line;

	if (strcmp(a, "move") != 0 && strcmp(a, "keep") != 0) {
		ui_message(u, 1, "move or keep; nothing recorded");
		return REACT_REDRAW;
	}
	line = xasprintf("handoff %s%s",
	                 strcmp(a, "move") == 0 ? "--move-roles " : "",
	                 u->prompt.stash[0]);
	run_line(u, line, "handoff");
	free(line);
	return REACT_REDRAW;
}

static unsigned
answer_command(struct ui *u, const char *line)
{
	char name[64] = "";
	enum ui_action a;
	const char *rest;

	sscanf(line, "%63s", name);
	if (name[0] == '\0')
		return REACT_NONE;
	rest = line + strspn(line, " ") + strlen(name);
	rest += strspn(rest, " ");
	/* :q, :quit, :help, :alerts... - the actions of the view in front. */
	if (strcmp(name, "q") == 0)
		return REACT_QUIT;
	if (strcmp(name, "select") == 0) {
		struct itui_err err;
		int64_t id = 0;

		if (cmd_parse_id(rest, "INC", &id, &err) != ITUI_OK ||
		    dash_select_id(&u->d, id, &err) != ITUI_OK) {
			ui_message(u, 1, "%s", err.msg);
			return REACT_REDRAW;
		}
		u->follow = 1;
		u->sel_entry_id = 0;
		return REACT_FOLLOW;
	}
	a = action_by_name(ui_top(u), name);
	if (a != ACTION_NONE && *rest == '\0') {
		unsigned r = views[ui_top(u)]->request(u, a);

		if (r & REACT_UNHANDLED)
			r = views[VIEW_MAIN]->request(u, a);
		return r & ~(unsigned)REACT_UNHANDLED;
	}
	if (strcmp(name, "help") == 0 && *rest != '\0') {
		const char *w[] = {"help", rest, NULL};

		(void)ui_verb(u, &u->prompt.seen, 1, NULL, w);
		return REACT_REDRAW;
	}
	/* :handoff erin note... offers to pass on the roles you hold. */
	if (strcmp(name, "handoff") == 0 && *rest != '\0' && *rest != '-' &&
	    strstr(rest, "--move-roles") == NULL) {
		char held[300], label[400], who[64] = "";

		sscanf(rest, "%63s", who);
		if (held_roles(u, held, sizeof held) > 0) {
			static const char *const choices[] = {"move", "keep"};

			snprintf(label, sizeof label, "Pass %s to %s too?",
			         held, who);
			free(u->prompt.stash[0]);
			u->prompt.stash[0] = xstrdup(rest);
			ui_menu(u, label, answer_move_roles, choices, 2, 0);
			return REACT_REDRAW;
		}
	}
	run_line(u, line, name);
	return REACT_REDRAW;
}

static unsigned
generic_request(struct ui *u, enum ui_action a)
{
	switch (a) {
	case UA_BACK:
		if (u->depth > 0)
			ui_pop(u);
		return REACT_REDRAW;
	case UA_QUIT:
		if (u->depth > 0) {
			ui_pop(u);
			return REACT_REDRAW;
		}
		return REACT_QUIT;
	case UA_HELP:
		ui_push(u, VIEW_HELP);
		return REACT_REDRAW;
	case UA_COMMAND:
		ui_ask(u, ":", "", answer_command, NULL, 0);
		u->prompt.history = 1;
		u->hist_pos = u->nhist;
		ui_load_people(u);
		return REACT_REDRAW;
	case UA_REDRAW:
		return REACT_CLEAR | REACT_REDRAW;
	default:
		break;
	}
	if (ui_top(u) == VIEW_MAIN)
		ui_message(u, 1, "%s does not apply here", ui_actions[a].name);
	return REACT_REDRAW;
}

/* The one place reactions are acted on. */
static void
react(struct ui *u, unsigned r)
{
	struct itui_err err;

	if (r & REACT_QUIT)
		u->quit = 1;
	if (r & REACT_RELOAD) {
		if (dash_reload(&u->d, &err) != ITUI_OK)
			ui_message(u, 1, "%s", err.msg);
		if (views[ui_top(u)]->reload != NULL && ui_top(u) != VIEW_MAIN)
			views[ui_top(u)]->reload(u);
	}
	if (r & REACT_FOLLOW)
		u->follow = u->focus != FOCUS_TIMELINE || u->follow;
	if (r & (REACT_RELOAD | REACT_FOLLOW))
		ui_refind_entry(u);
	if (r & REACT_KICK && u->poller_on)
		poller_kick(&u->poller);
	if (r & REACT_CLEAR)
		clearok(curscr, TRUE);
	if (r != REACT_NONE)
		u->dirty = 1;
}

static int
allowed(struct ui *u, enum ui_action a)
{
	unsigned f = ui_actions[a].flags;

	if ((f & ACT_WRITES) && dash_readonly(&u->d)) {
		char why[300];

		dash_write_refusal(&u->d, why, sizeof why);
		ui_message(u, 1, "%s", why);
		return 0;
	}
	if ((f & (ACT_INCIDENT | ACT_ENTRY)) && !u->d.have_detail) {
		ui_message(u, 1, "no incident selected");
		return 0;
	}
	if ((f & ACT_ENTRY) && ui_selected_entry(u) == NULL) {
		ui_message(u, 1, "select an entry first (Tab, then j/k)");
		return 0;
	}
	return 1;
}

/* Runs an action in the view in front; generic ones fall through. */
static void
run_action(struct ui *u, enum ui_action a)
{
	enum ui_view v = ui_top(u);
	unsigned r;

	if (!allowed(u, a))
		return;
	if (v == VIEW_MAIN || a == UA_SEARCH)
		u->msg[0] = '\0';
	r = views[v]->request(u, a);
	if (r & REACT_UNHANDLED)
		r = generic_request(u, a);
	react(u, r);
}

/* ---- keys and mouse -------------------------------------------------- */

static uint32_t
translate(int rc, wint_t ch)
{
	if (rc == KEY_CODE_YES) {
		switch (ch) {
		case KEY_UP:
			return KEYC_UP;
		case KEY_DOWN:
			return KEYC_DOWN;
		case KEY_LEFT:
			return KEYC_LEFT;
		case KEY_RIGHT:
			return KEYC_RIGHT;
		case KEY_HOME:
			return KEYC_HOME;
		case KEY_END:
			return KEYC_END;
		case KEY_PPAGE:
			return KEYC_PGUP;
		case KEY_NPAGE:
			return KEYC_PGDN;
		case KEY_DC:
			return KEYC_DELETE;
		case KEY_BACKSPACE:
			return KEYC_BACKSPACE;
		case KEY_BTAB:
			return KEYC_BTAB;
		case KEY_F(1):
			return KEYC_F1;
		case KEY_ENTER:
			return KEYC_ENTER;
		case KEY_RESIZE:
			return KEYC_RESIZE;
		case KEY_MOUSE:
			return KEYC_MOUSE;
		case KEY_PASTE_BEGIN:
			return KEYC_PASTE_START;
		case KEY_PASTE_END:
			return KEYC_PASTE_END;
		case KEY_SGR_MOUSE:
			return KEYC_SGR_MOUSE;
		}
		return 0;
	}
	if (ch == '\r')
		return KEYC_ENTER;
	if (ch == 0x7f)
		return KEYC_BACKSPACE;
	return (uint32_t)ch;
}

static void
mouse(struct ui *u)
{
	MEVENT ev;

	if (getmouse(&ev) != OK || ui_top(u) != VIEW_MAIN)
		return;
	if (ev.bstate & (BUTTON4_PRESSED | BUTTON5_PRESSED)) {
		ui_move(u, ev.bstate & BUTTON4_PRESSED ? -3 : 3);
		return;
	}
	if (ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED))
		view_main_click(u, ev.y, ev.x);
}

/*
 * An SGR mouse report after its "ESC [ <": "b;x;y" and M (press) or m
 * (release), read straight from the terminal (curses stopped at the
 * prefix).  X10 reports stop at column 223; these do not.
 */
static void
sgr_mouse(struct ui *u)
{
	char buf[32];
	size_t n = 0;
	int b, x, y;

	while (n < sizeof buf - 1) {
		struct pollfd p = {STDIN_FILENO, POLLIN, 0};

		if (poll(&p, 1, 20) <= 0 || read(STDIN_FILENO, buf + n, 1) != 1)
			return;
		if (buf[n] == 'M' || buf[n] == 'm')
			break;
		n++;
	}
	buf[n + 1] = '\0';
	if (sscanf(buf, "%d;%d;%d", &b, &x, &y) != 3 || buf[n] != 'M' ||
	    u->prompt.on || u->input_on || ui_top(u) != VIEW_MAIN)
		return;
	if (b & 64)
		ui_move(u, b & 1 ? 3 : -3);
	else if ((b & 3) == 0)
		view_main_click(u, y - 1, x - 1);
	u->dirty = 1;
}

static void
handle_key(struct ui *u, uint32_t key)
{
	enum ui_action a;

	if (key == KEYC_PASTE_START) {
		u->pasting = 1;
		return;
	}
	if (u->pasting) {
		if (key == KEYC_PASTE_END) {
			u->pasting = 0;
			paste_done(u);
		} else {
			paste_add(u, key);
		}
		return;
	}
	if (key == KEYC_RESIZE) {
		u->dirty = 1;
		return;
	}
	if (key == KEYC_SGR_MOUSE) {
		sgr_mouse(u);
		return;
	}
	if (key == KEYC_MOUSE) {
		if (!u->prompt.on && !u->input_on)
			mouse(u);
		u->dirty = 1;
		return;
	}
	if (u->prompt.on) {
		react(u, prompt_key(u, key));
		return;
	}
	if (u->input_on) {
		react(u, input_key(u, key));
		return;
	}
	a = keymap_lookup(&u->km, ui_top(u), key);
	if (a == ACTION_NONE) {
		char name[32];

		keyc_name(key, name, sizeof name);
		ui_message(u, 1, "%s is not bound here (? shows the keys)",
		           name);
		return;
	}
	run_action(u, a);
}

/*
 * Inside a bracketed paste the bytes are read straight from the terminal
 * in large reads, up to the end marker: a megabyte through get_wch() one
 * character at a time cost seconds of CPU.  curses reads a key sequence a
 * byte at a time and stops at its end, so nothing of the paste is left
 * in its buffer; what follows the end marker is handed back to it.
 */
static void
paste_read_raw(struct ui *u)
{
	static const char end[] = "\033[201~";
	char buf[65536];

	while (u->pasting) {
		struct pollfd p = {STDIN_FILENO, POLLIN, 0};
		ssize_t n, i;

		if (poll(&p, 1, 0) <= 0 || !(p.revents & POLLIN))
			return;
		n = read(STDIN_FILENO, buf, sizeof buf);
		if (n <= 0)
			return;
		for (i = 0; i < n; i++) {
			unsigned char c = (unsigned char)buf[i];

			if (c == (unsigned char)end[u->paste_match]) {
				if (end[++u->paste_match] != '\0')
					continue;
				u->paste_match = 0;
				u->pasting = 0;
				paste_done(u);
				/* The keys after the paste go back to curses,
				 * last first (ungetch is a stack). */
				while (n > i + 1)
					ungetch((unsigned char)buf[--n]);
				return;
			}
			/* A partial marker was text after all. */
			if (u->paste_match > 0) {
				int k;

				for (k = 0; k < u->paste_match; k++)
					paste_byte(u, (unsigned char)end[k]);
				u->paste_match = 0;
				if (c == (unsigned char)end[0]) {
					u->paste_match = 1;
					continue;
				}
			}
			paste_byte(u, c);
		}
	}
}

static void
read_keys(struct ui *u)
{
	wint_t ch;
	int rc;

	paste_read_raw(u);
	if (u->pasting)
		return; /* the rest of the paste is still on its way */
	while ((rc = get_wch(&ch)) != ERR) {
		uint32_t key = translate(rc, ch);

		if (u->trace != NULL && u->key_ns == 0)
			u->key_ns = time_mono_ns();
		if (key != 0)
			handle_key(u, key);
		if (u->quit)
			return;
		if (u->pasting) {
			paste_read_raw(u);
			if (u->pasting)
				return;
		}
	}
}

/* ---- live updates ------------------------------------------------- */

static void
check_version(struct ui *u)
{
	int changed = dash_changed(&u->d);

	if (u->offline != (changed < 0)) {
		u->offline = changed < 0;
		u->dirty = 1;
	}
	/* Someone's presence or draft: the commit the event announced is
	 * seen, so no more re-checks for it. */
	if (changed == 0 && u->d.private_moved)
		u->rechecks = 0;
	if (changed <= 0)
		return;
	react(u, REACT_RELOAD);
	u->rechecks = 0;
}

/* What the others see of this dashboard, and what it sees of them. */
static void
update_presence(struct ui *u, int64_t now)
{
	int64_t shown = u->input_on        ? u->input_incident
	                : u->d.have_detail ? u->d.detail.id
	                                   : 0;
	int typing = u->input_on && editline_text(&u->el)[0] != '\0';

	if (dash_presence_update(&u->d, shown, typing, COLS, LINES, now))
		u->dirty = 1;
}

/*
 * The optional bell: a new incident of the top severity, or one more
 * breached clock on the list, rings the terminal once.  The first look
 * only learns what is there.
 */
static void
ring_bell(struct ui *u, int64_t now)
{
	unsigned want = u->ctx->cfg.bell;
	const char *top =
	    u->d.policy->nlevels > 0 ? u->d.policy->levels[0].name : "";
	struct sla_clock c[CLOCK_KIND_COUNT];
	int64_t max_id = u->bell_max_id;
	int breached = 0, ring = 0, k;
	size_t i;

	if (want == 0)
		return;
	for (i = 0; i < u->d.incidents.n; i++) {
		const struct incident *inc = &u->d.incidents.v[i];

		if (inc->id > max_id)
			max_id = inc->id;
		if ((want & CONFIG_BELL_NEW_TOP) && u->bell_primed &&
		    inc->id > u->bell_max_id && strcmp(inc->severity, top) == 0)
			ring = 1;
		ui_compute_clocks(u, inc, now, c);
		for (k = 0; k < CLOCK_KIND_COUNT; k++)
			breached += c[k].state == CLOCK_BREACHED;
	}
	if ((want & CONFIG_BELL_BREACH) && u->bell_primed &&
	    breached > u->bell_breached)
		ring = 1;
	u->bell_max_id = max_id;
	u->bell_breached = breached;
	u->bell_primed = 1;
	if (ring)
		beep();
}

/*
 * Writes to the database's files that DB.wake did not announce (a writer
 * that does not touch it, or ours before they touch it): the first wakes
 * us, the rest are held back LATE_HOLD_MS, then one version check.  A
 * commit of ours makes a dozen such writes, each waking every dashboard.
 */
static void
late_writes(struct ui *u, int seen)
{
	if (seen) {
		watch_hold(&u->watch, 1);
		u->late_due_ms = time_mono_ms() + LATE_HOLD_MS;
	} else if (u->late_due_ms > 0 && time_mono_ms() >= u->late_due_ms) {
		u->late_due_ms = 0;
		watch_hold(&u->watch, 0);
		check_version(u);
	}
}

static int
poll_timeout(const struct ui *u)
{
	int64_t now = time_mono_ms(), next;
	struct timespec ts;

	/* The next whole second of the wall clock, for the countdowns. */
	clock_gettime(CLOCK_REALTIME, &ts);
	next = 1000 - ts.tv_nsec / 1000000;
	if (u->rechecks > 0 && next > RECHECK_MS)
		next = RECHECK_MS;
	if (u->draft_due_ms > 0 && u->draft_due_ms - now < next)
		next = u->draft_due_ms - now;
	if (u->log_due_ms > 0 && u->log_due_ms - now < next)
		next = u->log_due_ms - now;
	if (u->late_due_ms > 0 && u->late_due_ms - now < next)
		next = u->late_due_ms - now;
	return next < 0 ? 0 : (int)next;
}

/*
 * Everything being typed, in a file of this process: an edit, a prompt's
 * answer and the flow's earlier ones (a new incident's title), and the
 * input line too, whose draft row another terminal may overwrite.
 */
static void
save_unsent(struct ui *u)
{
	struct strbuf sb = STRBUF_INIT;
	char what[500];
	int i;

	if (u->input_on) {
		if (u->edit_id != 0)
			snprintf(what, sizeof what,
			         "Your edit of E-%lld:", (long long)u->edit_id);
		else
			snprintf(what, sizeof what, "Your entry for INC-%lld:",
			         (long long)u->input_incident);
		unsent_add(&sb, what, editline_text(&u->el));
	}
	if (u->prompt.on) {
		for (i = 0; i < UI_STASH; i++)
			unsent_add(&sb,
			           "An earlier answer of the same question:",
			           u->prompt.stash[i]);
		if (!u->prompt.yesno)
			unsent_add(&sb, u->prompt.label,
			           editline_text(&u->prompt.el));
	}
	if (unsent_save(u->ctx->db_path, &sb) != 0)
		ui_message(u, 1, "unsent text not saved: %s", strerror(errno));
	strbuf_free(&sb);
}

/* What dashboards cut off on this database left: shown once, then gone. */
static int
show_unsent(struct ui *u)
{
	char *text = unsent_take(u->ctx->db_path), *draft = NULL, *item, *at;
	struct itui_err err;
	enum entry_kind kind;
	int64_t inc = 0;

	if (text == NULL)
		return 0;
	/* The draft row restores itself: its own copy need not be shown. */
	if (dash_draft_load(&u->d, &inc, &kind, &draft, &err) == ITUI_OK &&
	    draft != NULL) {
		item = xasprintf("Your entry for INC-%lld:\n%s\n\n",
		                 (long long)inc, draft);
		while ((at = strstr(text, item)) != NULL)
			memmove(at, at + strlen(item),
			        strlen(at + strlen(item)) + 1);
		free(item);
	}
	free(draft);
	if (text[0] == '\0') {
		free(text);
		return 0;
	}
	ui_pager_open(u, "Text typed into a dashboard that was cut off", text,
	              0);
	ui_message(u, 0,
	           "what was being typed when a dashboard was cut off; "
	           "an input line's draft is kept too (i opens it)");
	return 1;
}

/*
 * A -shm cut short or made immutable under the dashboard turns SQLite's
 * next access of its mapping into a SIGBUS.  On the main thread (armed
 * once curses is up) the handler jumps back to the loop, which never
 * touches the store again; on another thread (the poller's connection)
 * that thread stops in the handler and the main thread is woken.  Either
 * way files_lost() ends the dashboard as a lost terminal does: the typed
 * text kept, the terminal restored, one clear line.  The loop also checks
 * the files each turn (dash_files_intact()), mostly before any SIGBUS.
 */
static sigjmp_buf bus_jmp;
static volatile sig_atomic_t bus_armed, got_bus;
static pthread_t main_thread;

static void
on_bus(int sig)
{
	char c = 'b';

	got_bus = 1;
	if (pthread_equal(pthread_self(), main_thread)) {
		if (bus_armed)
			siglongjmp(bus_jmp, 1);
		/* Not in the loop: the default (the fault comes again). */
		signal(sig, SIG_DFL);
		return;
	}
	if (sig_write_fd >= 0)
		(void)!write(sig_write_fd, &c, 1);
	for (;;)
		pause();
}

static void __attribute__((noreturn)) files_lost(struct ui *u)
{
	const char *db = u->ctx->db_path;

	bus_armed = 0;
	save_unsent(u);
	restore_terminal();
	fprintf(stderr,
	        "incident-tui: %s-shm or %s-wal was removed, replaced, cut "
	        "short or made immutable under this dashboard, so it stopped "
	        "without reading or writing more; what you were typing is "
	        "kept and shown at the next start\n",
	        db, db);
	if (u->trace != NULL)
		fflush(u->trace);
	/* Not ui_free(): closing the store would touch the files again. */
	_exit(1);
}

static void
handle_signals(struct ui *u)
{
	char buf[64];

	/* Signals, or the poller saying it committed something. */
	while (read(u->sigfd[0], buf, sizeof buf) > 0)
		;
	u->rechecks = RECHECKS;
	if (got_bus)
		files_lost(u);
	if (got_hup || got_term || got_int) {
		/* A dropped session or a kill: keep what was being typed. */
		if (u->input_on)
			u->draft_dirty = 1;
		save_draft(u);
		save_unsent(u);
		u->quit = 1;
	}
}

static void
restore_draft(struct ui *u)
{
	struct itui_err err;
	enum entry_kind kind;
	int64_t inc = 0;
	char *text = NULL;

	if (dash_readonly(&u->d) ||
	    dash_draft_load(&u->d, &inc, &kind, &text, &err) != ITUI_OK ||
	    text == NULL)
		return;
	if (dash_select_id(&u->d, inc, &err) == ITUI_OK) {
		ui_start_input(u, NULL);
		ui_message(u, 0,
		           "restored your unsent draft for INC-%lld "
		           "(Enter logs it, Esc discards it)",
		           (long long)inc);
	}
	free(text);
}

static int
setup_signals(struct ui *u)
{
	struct sigaction sa;

	if (pipe2(u->sigfd, O_NONBLOCK | O_CLOEXEC) != 0)
		return -1;
	sig_write_fd = u->sigfd[1];
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = on_bus;
	main_thread = pthread_self();
	sigaction(SIGBUS, &sa, NULL);
	return 0;
}

/* The metrics poller, on its own thread (libcurl is loaded first, here). */
static void
start_poller(struct ui *u)
{
	struct itui_err err;

	if (!metrics_configured(&u->ctx->cfg))
		return;
	if (http_global_init(&err) != ITUI_OK ||
	    poller_open(&u->poller, &u->ctx->cfg, u->ctx->db_path, u->ctx->user,
	                u->sigfd[1], &err) != ITUI_OK ||
	    poller_start(&u->poller, &err) != ITUI_OK) {
		snprintf(u->poller_problem, sizeof u->poller_problem,
		         "metrics poller not running: %s", err.msg);
		ui_message(u, 1, "%s", u->poller_problem);
		poller_close(&u->poller);
		return;
	}
	u->poller_on = 1;
}

/*
 * The outbox's deliverer, on its own thread; only one process per database
 * delivers (a lock), the others' rounds do nothing.
 */
static void
start_deliverer(struct ui *u)
{
	struct itui_err err;

	if (!deliver_configured(&u->ctx->cfg))
		return;
	if (http_global_init(&err) != ITUI_OK ||
	    deliver_open(&u->deliver, &u->ctx->cfg, u->d.policy,
	                 u->ctx->db_path, u->sigfd[1], &err) != ITUI_OK ||
	    deliver_start(&u->deliver, &err) != ITUI_OK) {
		ui_message(u, 1, "outbox deliverer not running: %s", err.msg);
		deliver_close(&u->deliver);
		return;
	}
	u->deliver_on = 1;
}

static void
ui_free(struct ui *u)
{
	int i;

	while (u->depth > 0)
		ui_pop(u);
	if (u->poller_on)
		poller_close(&u->poller);
	if (u->deliver_on)
		deliver_close(&u->deliver);
	alert_rows_free(&u->alerts);
	free(u->pager_text);
	action_list_free(&u->act_rows);
	entry_list_free(&u->revisions);
	view_conflict_clear(u);
	watch_close(&u->watch);
	if (u->trace != NULL)
		fclose(u->trace);
	close(u->sigfd[0]);
	close(u->sigfd[1]);
	sig_write_fd = -1;
	dash_people_free(u->people, u->npeople);
	for (i = 0; i < UI_STASH; i++)
		free(u->prompt.stash[i]);
	editline_free(&u->el);
	editline_free(&u->prompt.el);
	free(u->prompt.comp_base);
	for (i = 0; i < u->nhist; i++)
		free(u->hist[i]);
	strbuf_free(&u->paste);
	dash_close(&u->d);
	free(u);
}

int
ui_run(struct context *ctx, struct itui_err *err)
{
	struct ui *u = xcalloc(1, sizeof *u);
	const char *trace = getenv("INCIDENT_TUI_TRACE");
	int64_t started = time_mono_ns(), woke_ns = 0;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		free(u);
		return err_set(
		    err, ITUI_USAGE,
		    "the dashboard needs a terminal; for scripts use a command "
		    "(incident-tui --help)");
	}
	u->ctx = ctx;
	keymap_init(&u->km);
	if (keymap_apply(&u->km, ctx->cfg.path ? ctx->cfg.path : "config",
	                 ctx->cfg.keys, ctx->cfg.nkeys, err) != ITUI_OK ||
	    dash_open(&u->d, ctx, err) != ITUI_OK) {
		dash_close(&u->d);
		free(u);
		return err->code;
	}
	if (trace != NULL && *trace != '\0') {
		u->trace = fopen(trace, "a");
		if (u->trace != NULL)
			fprintf(u->trace, "start %lld\n", (long long)started);
	}
	if (setup_signals(u) != 0) {
		dash_close(&u->d);
		free(u);
		return err_set(err, ITUI_IO, "pipe: %s", strerror(errno));
	}
	watch_open(&u->watch, ctx->db_path);
	start_poller(u);
	start_deliverer(u);
	if (getenv("ESCDELAY") == NULL)
		set_escdelay(50);
	initscr();
	xalloc_set_fatal_hook(restore_terminal);
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED |
	              BUTTON5_PRESSED,
	          NULL);
	mouseinterval(0);
	/* Bracketed paste: a paste arrives between these, as text. */
	define_key("\033[200~", KEY_PASTE_BEGIN);
	define_key("\033[201~", KEY_PASTE_END);
	/* SGR mouse (1006) where terminfo knows only X10's 223 columns. */
	{
		const char *km = tigetstr("kmous");

		if (km == NULL || km == (char *)-1 ||
		    strcmp(km, "\033[<") != 0) {
			own_sgr = 1;
			define_key("\033[<", KEY_SGR_MOUSE);
			fputs(SGR_ON, stdout);
		}
	}
	fputs(PASTE_ON, stdout);
	fflush(stdout);
	ui_colors_init(u);
	u->follow = 1;
	ui_refind_entry(u);
	if (!show_unsent(u))
		restore_draft(u);
	u->dirty = 1;
	if (sigsetjmp(bus_jmp, 1) != 0)
		files_lost(u);
	bus_armed = 1;

	while (!u->quit) {
		struct pollfd fds[3] = {{STDIN_FILENO, POLLIN, 0},
		                        {u->sigfd[0], POLLIN, 0},
		                        {u->watch.fd, POLLIN, 0}};
		int hint = 0;
		struct timespec ts;
		int n;

		if (u->dirty || u->tick)
			ui_render(u);
		/* After the frame: the others' view of us never delays it. */
		update_presence(u, (int64_t)time(NULL));
		if (dash_skew_check(&u->d, context_now(), (int64_t)time(NULL)))
			u->dirty = 1;
		if (u->dirty)
			ui_render(u);
		if (woke_ns != 0)
			trace_turn(u, woke_ns);
		n = poll(fds, 3, poll_timeout(u));
		woke_ns = time_mono_ns();
		/* Before anything reads the store this turn. */
		if (!dash_files_intact(&u->d))
			files_lost(u);
		if (n < 0 && errno != EINTR)
			break;
		if (fds[1].revents & POLLIN)
			handle_signals(u);
		if (u->quit)
			break;
		if (fds[0].revents & (POLLHUP | POLLERR)) {
			/* The terminal went away without a signal. */
			got_hup = 1;
			handle_signals(u);
			break;
		}
		if (u->watch.fd >= 0 && (fds[2].revents & POLLIN))
			hint = watch_drain(&u->watch);
		if (hint & STORE_WATCH_COMMIT)
			u->rechecks = RECHECKS;
		late_writes(u, hint & STORE_WATCH_LATE);
		/* Also after EINTR: a resize arrives as a key. */
		read_keys(u);
		if (u->log_due_ms > 0 && time_mono_ms() >= u->log_due_ms)
			retry_log(u);
		if (u->draft_due_ms > 0 && time_mono_ms() >= u->draft_due_ms)
			save_draft(u);
		clock_gettime(CLOCK_REALTIME, &ts);
		if (ts.tv_sec != u->last_tick) {
			/* The countdowns move; the slow safety-net check. */
			u->last_tick = ts.tv_sec;
			u->tick = 1;
			check_version(u);
			ring_bell(u, context_now());
		} else if (u->rechecks > 0) {
			u->rechecks--;
			check_version(u);
		}
	}
	bus_armed = 0;
	if (u->input_on)
		save_draft(u);
	/* The lock held the draft back: the text goes to this user's file. */
	if (u->input_on && u->draft_dirty)
		save_unsent(u);
	restore_terminal();
	if (u->trace != NULL)
		fprintf(u->trace, "slowest-turn %lld\n",
		        (long long)u->slowest_turn_ns);
	ui_free(u);
	return ITUI_OK;
}
