/*
 * ui_draw.c - the drawing kit and the frame: colours, untrusted text in a
 * column budget, boxes, the top bar and the status line; ui_render() lays
 * out the views (the one step that may move scroll positions) and then
 * draws them from a const struct ui, once per loop turn.
 *
 * Every string from the database goes through the sanitiser with a column
 * cap before it reaches curses, so stored text can neither move the cursor
 * nor spill out of its pane.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "itui/sanitize.h"
#include "itui/strbuf.h"
#include "itui/timeutil.h"
#include "itui/ui.h"
#include "itui/view-actions.h"
#include "itui/view-alerts.h"
#include "itui/view-checklist.h"
#include "itui/view-conflict.h"
#include "itui/view-entry.h"
#include "itui/view-help.h"
#include "itui/view-main.h"
#include "itui/view-pager.h"

static const struct view_ops *const draw_views[VIEW_COUNT] = {
    [VIEW_MAIN] = &view_main_ops,
    [VIEW_ENTRY] = &view_entry_ops,
    [VIEW_HELP] = &view_help_ops,
    [VIEW_ALERTS] = &view_alerts_ops,
    [VIEW_ACTIONS] = &view_actions_ops,
    [VIEW_PAGER] = &view_pager_ops,
    [VIEW_CONFLICT] = &view_conflict_ops,
    [VIEW_CHECKLIST] = &view_checklist_ops,
};

void
ui_colors_init(struct ui *u)
{
	const char *nc = getenv("NO_COLOR");

	u->colors = has_colors() && (nc == NULL || *nc == '\0');
	if (!u->colors)
		return;
	start_color();
	use_default_colors();
	init_pair(PAIR_SEV0, COLOR_RED, -1);
	init_pair(PAIR_SEV1, COLOR_MAGENTA, -1);
	init_pair(PAIR_SEV2, COLOR_YELLOW, -1);
	init_pair(PAIR_SEV3, COLOR_CYAN, -1);
	init_pair(PAIR_SOON, COLOR_YELLOW, -1);
	init_pair(PAIR_BREACH, COLOR_RED, -1);
	init_pair(PAIR_BAR, COLOR_WHITE, COLOR_BLUE);
	init_pair(PAIR_DIM, COLOR_BLUE, -1);
	init_pair(PAIR_OK, COLOR_GREEN, -1);
}

unsigned long
ui_color(const struct ui *u, enum ui_pair pair)
{
	return u->colors ? COLOR_PAIR(pair) : A_NORMAL;
}

unsigned long
ui_attr_bold(void)
{
	return A_BOLD;
}

unsigned long
ui_attr_reverse(void)
{
	return A_REVERSE;
}

unsigned long
ui_attr_dim(void)
{
	return A_DIM;
}

unsigned long
ui_sev_attr(const struct ui *u, const char *sev)
{
	int r = policy_rank(u->d.policy, sev);

	if (r == 0)
		return ui_color(u, PAIR_SEV0) | A_BOLD;
	if (r == 1)
		return ui_color(u, PAIR_SEV1) | A_BOLD;
	if (r == 2)
		return ui_color(u, PAIR_SEV2);
	return ui_color(u, PAIR_SEV3);
}

unsigned long
ui_clock_attr(const struct ui *u, const struct sla_clock *c)
{
	switch (c->state) {
	case CLOCK_BREACHED:
	case CLOCK_MISSED:
		return ui_color(u, PAIR_BREACH) | A_BOLD;
	case CLOCK_DUE_SOON:
		return u->colors ? ui_color(u, PAIR_SOON) | A_BOLD
		                 : A_UNDERLINE;
	case CLOCK_MET:
		return ui_color(u, PAIR_OK);
	default:
		return A_NORMAL;
	}
}

int
ui_put(int y, int x, int w, const char *s, unsigned long attr)
{
	struct strbuf sb = STRBUF_INIT;
	size_t used;

	if (w <= 0 || s == NULL)
		return 0;
	used = sanitize_append(&sb, s, strlen(s), SAN_ELLIPSIS, (size_t)w, 0);
	attron((attr_t)attr);
	mvaddstr(y, x, strbuf_str(&sb));
	attroff((attr_t)attr);
	strbuf_free(&sb);
	return (int)used;
}

void
ui_fill(int y, int x, int end, unsigned long attr)
{
	/* One call for the row, not a call per cell: every frame fills. */
	if (end > x)
		mvhline(y, x, ' ' | (chtype)attr, end - x);
}

void
ui_hline(int y, int x, int w)
{
	mvhline(y, x, ACS_HLINE, w);
}

void
ui_vline(int y, int x, int h)
{
	mvvline(y, x, ACS_VLINE, h);
}

void
ui_box(int y, int x, int h, int w)
{
	int i;

	for (i = y; i < y + h; i++) {
		move(i, x);
		hline(' ', w);
	}
	mvhline(y, x, ACS_HLINE, w);
	mvhline(y + h - 1, x, ACS_HLINE, w);
	mvvline(y, x, ACS_VLINE, h);
	mvvline(y, x + w - 1, ACS_VLINE, h);
	mvaddch(y, x, ACS_ULCORNER);
	mvaddch(y, x + w - 1, ACS_URCORNER);
	mvaddch(y + h - 1, x, ACS_LLCORNER);
	mvaddch(y + h - 1, x + w - 1, ACS_LRCORNER);
}

void
ui_overlay(const struct ui *u, const char *title, struct rect *inner)
{
	int h = u->rows - 4, w = u->cols - 4, y0 = 2, x0 = 2;
	char foot[400], line[420];

	ui_box(y0, x0, h, w);
	ui_put(y0, x0 + 2, w - 4, title, A_BOLD);
	keymap_footer(&u->km, ui_top(u), foot, sizeof foot);
	snprintf(line, sizeof line, " %s ", foot);
	ui_put(y0 + h - 1, x0 + 2, w - 4, line, A_BOLD);
	inner->y = y0 + 1;
	inner->x = x0 + 2;
	inner->h = h - 2;
	inner->w = w - 4;
}

void
ui_wrap(const struct rect *r, const char *text, int top)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p;
	int y = r->y, line = 0;

	sanitize_append(&sb, text, strlen(text), SAN_MULTILINE, 0, 0);
	p = strbuf_str(&sb);
	while (*p != '\0' && y < r->y + r->h) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p), used = 0,
		       off = 0, last_space = 0;
		struct strbuf one = STRBUF_INIT;

		while (off < len) {
			uint32_t cp;
			size_t n = utf8_decode(p + off, len - off, &cp);
			int cw = codepoint_width(cp);

			if ((int)used + cw > r->w)
				break;
			if (cp == ' ')
				last_space = off + 1;
			strbuf_add(&one, p + off, n);
			used += (size_t)cw;
			off += n;
		}
		/* Break after the last space rather than inside a word. */
		if (off < len && last_space > 0) {
			one.len = last_space;
			one.buf[one.len] = '\0';
			off = last_space;
		}
		if (line++ >= top)
			mvaddstr(y++, r->x, strbuf_str(&one));
		strbuf_free(&one);
		p += off;
		if (off == len && nl != NULL)
			p++;
		if (off == 0 && len > 0)
			p++; /* a column narrower than one character */
	}
	strbuf_free(&sb);
}

void
ui_compute_clocks(const struct ui *u, const struct incident *inc, int64_t now,
                  struct sla_clock c[CLOCK_KIND_COUNT])
{
	struct clock_input in;

	incident_clock_input(inc, &in);
	clocks_compute(u->d.policy, &in, now, c);
}

/* "prometheus ok, grafana DOWN", or why there is no poller. */
static void
metrics_health(const struct ui *u, char *buf, size_t size)
{
	size_t i, off = 0;

	buf[0] = '\0';
	if (!u->poller_on) {
		snprintf(buf, size, "%s",
		         u->poller_problem[0] ? "not running"
		                              : "not configured");
		return;
	}
	for (i = 0; i < u->d.nsources && off + 1 < size; i++)
		off += (size_t)snprintf(buf + off, size - off, "%s%s %s",
		                        i ? ", " : "", u->d.sources[i].name,
		                        u->d.sources[i].ok ? "ok" : "DOWN");
	if (off == 0)
		snprintf(buf, size, "starting");
}

/*
 * "2 BREACHED" at the start of the bar when promises of the listed
 * incidents are broken; returns the column after it.
 */
static int
breached_clocks(const struct ui *u, int64_t now, int w)
{
	struct sla_clock c[CLOCK_KIND_COUNT];
	char buf[48];
	size_t i;
	int k, n = 0;

	for (i = 0; i < u->d.incidents.n; i++) {
		if (u->d.incidents.v[i].id == u->d.gone_id)
			continue;
		ui_compute_clocks(u, &u->d.incidents.v[i], now, c);
		for (k = 0; k < CLOCK_KIND_COUNT; k++)
			n += c[k].state == CLOCK_BREACHED;
	}
	if (n == 0)
		return 0;
	snprintf(buf, sizeof buf, " %d BREACHED ", n);
	return ui_put(0, 0, w, buf,
	              ui_color(u, PAIR_BREACH) | A_BOLD | A_REVERSE);
}

/*
 * "3 ALERTS" after it when alerts fire that no incident has taken (A
 * lists them); returns the column after it.
 */
static int
loose_alerts(const struct ui *u, int x, int w)
{
	char buf[48];

	if (u->d.loose_alerts == 0)
		return x;
	snprintf(buf, sizeof buf, " %d ALERT%s ", u->d.loose_alerts,
	         u->d.loose_alerts == 1 ? "" : "S");
	return x + ui_put(0, x, w - x, buf,
	                  ui_color(u, PAIR_SOON) | A_BOLD | A_REVERSE);
}

static void
draw_top(const struct ui *u, int64_t now)
{
	struct rect r = u->lay.top;
	char buf[512], roles[128], t[TIME_BUF], health[200], skew[80],
	    standby[80];
	attr_t bar = u->colors ? (attr_t)ui_color(u, PAIR_BAR) : A_REVERSE;
	const char *state = u->offline             ? "OFFLINE"
	                    : u->d.standby         ? standby
	                    : dash_readonly(&u->d) ? dash_readonly_state(&u->d)
	                                           : "live";
	time_t tt = (time_t)now;
	struct tm tm;
	int x;

	/* The others get what a third of the bar holds; names come sanitised.
	 */
	char *others = dash_presence_line(&u->d, 0, (size_t)(r.w / 3));

	/* A standby shows the primary's data up to its last replay. */
	snprintf(standby, sizeof standby, "read-only standby, data as of %s",
	         u->d.standby_as_of > 0
	             ? time_format_local(u->d.standby_as_of, t)
	             : "its last replay");
	ui_fill(r.y, 0, r.w, bar);
	dash_my_roles(&u->d, roles, sizeof roles);
	metrics_health(u, health, sizeof health);
	/* Beside the state: times shown here and times recorded differ. */
	dash_skew_text(&u->d, skew + 2, sizeof skew - 2);
	if (skew[2] != '\0')
		memcpy(skew, "  ", 2);
	else
		skew[0] = '\0';
	localtime_r(&tt, &tm);
	strftime(t, sizeof t, "%H:%M:%S", &tm);
	snprintf(buf, sizeof buf,
	         " incident-tui  %s  %s%s  %s%s%s%s%s%s  metrics: %s",
	         dash_location(&u->d), state, skew, u->ctx->user,
	         roles[0] ? " (" : "", roles, roles[0] ? ")" : "",
	         others != NULL && others[0] != '\0' ? "  with " : "",
	         others != NULL ? others : "", health);
	free(others);
	x = breached_clocks(u, now, r.w - 14);
	x = loose_alerts(u, x, r.w - 14);
	ui_put(r.y, x, r.w - 14 - x, buf, bar);
	snprintf(buf, sizeof buf, "%s %s ", t, time_zone_name());
	ui_put(r.y, r.w - (int)strlen(buf), (int)strlen(buf), buf,
	       bar | A_BOLD);
}

/* A menu prompt: what was typed, then the choices, the highlighted one
 * in reverse. */
static void
draw_menu(const struct ui *u, int y, int x, int w)
{
	const char *typed = editline_text(&u->prompt.el);
	int cx;
	size_t i;

	x += ui_put(y, x, w - x - 1, typed, A_NORMAL);
	cx = x;
	x += typed[0] != '\0' ? 2 : 0;
	for (i = 0; i < u->prompt.nchoices && x < w; i++)
		x += ui_put(y, x, w - x, u->prompt.choices[i],
		            i == u->prompt.menu_sel ? A_REVERSE : A_NORMAL) +
		     1;
	move(y, cx);
}

static void
draw_status(const struct ui *u)
{
	struct rect r = u->lay.status;
	char label[440], foot[400], zone[80] = "";
	const struct editline *el = u->prompt.on ? &u->prompt.el : &u->el;
	int yesno = u->prompt.on && u->prompt.yesno;
	size_t start, col;
	int x;

	/* A leading time is read in the display zone: name it unless UTC. */
	if (strcmp(time_zone_name(), "UTC") != 0)
		snprintf(zone, sizeof zone, "(%s)", time_zone_name());

	move(r.y, 0);
	clrtoeol();
	if (u->input_on || u->prompt.on) {
		/* The input owns the last row; a message goes just above it. */
		if (u->msg[0] != '\0') {
			move(r.y - 1, 0);
			clrtoeol();
			ui_put(r.y - 1, 0, r.w, u->msg,
			       u->msg_error ? ui_color(u, PAIR_BREACH) | A_BOLD
			                    : A_BOLD);
		}
		if (u->prompt.on)
			snprintf(label, sizeof label, "%s ", u->prompt.label);
		else
			snprintf(label, sizeof label, "%s[%s] INC-%lld%s%s> ",
			         u->edit_id ? "edit " : "", kind_name(u->kind),
			         (long long)u->input_incident,
			         zone[0] ? " " : "", zone);
		/* A question answered by one key may use the whole row. */
		x = ui_put(r.y, 0, yesno ? r.w : r.w * 2 / 3, label, A_BOLD);
		if (yesno)
			return;
		if (u->prompt.on && u->prompt.menu) {
			draw_menu(u, r.y, x, r.w);
			return;
		}
		start = editline_view_start(el, (size_t)(r.w - x - 1));
		ui_put(r.y, x, r.w - x - 1, editline_text(el) + start,
		       A_NORMAL);
		col = editline_cols_from(el, start);
		move(r.y, x + (int)col);
		return;
	}
	if (u->msg[0] != '\0') {
		ui_put(r.y, 0, r.w, u->msg,
		       u->msg_error ? ui_color(u, PAIR_BREACH) | A_BOLD
		                    : A_NORMAL);
		return;
	}
	keymap_footer(&u->km, ui_top(u), foot, sizeof foot);
	ui_put(r.y, 0, r.w, foot, ui_color(u, PAIR_DIM));
}

void
ui_render(struct ui *u)
{
	int64_t now = context_now();
	int i;

	getmaxyx(stdscr, u->rows, u->cols);
	layout_compute(u->rows, u->cols, (int)u->d.incidents.n, &u->lay);
	/* A tick alone leaves the timeline's rows: an SSH link and 50
	 * dashboards pay for the clocks each second, not the whole screen. */
	u->clocks_only = u->tick && !u->dirty && u->depth == 0 &&
	                 !u->prompt.on && !u->lay.too_small &&
	                 u->rows == u->frame_rows && u->cols == u->frame_cols;
	u->tick = 0;
	u->frame_rows = u->rows;
	u->frame_cols = u->cols;
	if (!u->clocks_only)
		erase();
	if (u->lay.too_small) {
		/* Said in full, however narrow: wrapped over the rows. */
		struct rect all = {0, 0, u->rows, u->cols};

		ui_wrap(&all,
		        "incident-tui: the terminal is too small: it needs 40 "
		        "columns and 10 rows at least",
		        0);
		curs_set(0);
		refresh();
		u->dirty = 0;
		return;
	}
	/* Layout may scroll; drawing only reads. */
	view_main_ops.layout(u);
	for (i = 0; i < u->depth; i++)
		if (draw_views[u->stack[i]]->layout != NULL)
			draw_views[u->stack[i]]->layout(u);
	draw_top(u, now);
	view_main_ops.draw(u);
	if (u->depth > 0)
		draw_views[ui_top(u)]->draw(u);
	if (u->clocks_only)
		ui_fill(u->lay.status.y, 0, u->lay.status.w, A_NORMAL);
	draw_status(u);
	curs_set((u->input_on && !u->prompt.on) ||
	                 (u->prompt.on && !u->prompt.yesno)
	             ? 1
	             : 0);
	refresh();
	if (u->trace != NULL) {
		/* "time data-version key-to-frame", all in nanoseconds. */
		int64_t t = time_mono_ns();

		fprintf(u->trace, "%lld %lld %lld\n", (long long)t,
		        (long long)u->d.data_version,
		        (long long)(u->key_ns ? t - u->key_ns : 0));
		fflush(u->trace);
		u->key_ns = 0;
	}
	u->dirty = 0;
}
