/*
 * ui_draw.c - paints the dashboard from the model, once per loop turn.
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
#include "itui/spark.h"
#include "itui/strbuf.h"
#include "itui/textout.h"
#include "itui/timeutil.h"
#include "itui/ui.h"

enum {
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

static attr_t
color(const struct ui *u, int pair)
{
	return u->colors ? COLOR_PAIR(pair) : A_NORMAL;
}

static attr_t
sev_attr(const struct ui *u, const char *sev)
{
	int r = policy_rank(u->d.policy, sev);

	if (r == 0)
		return color(u, PAIR_SEV0) | A_BOLD;
	if (r == 1)
		return color(u, PAIR_SEV1) | A_BOLD;
	if (r == 2)
		return color(u, PAIR_SEV2);
	return color(u, PAIR_SEV3);
}

static attr_t
clock_attr(const struct ui *u, const struct sla_clock *c)
{
	switch (c->state) {
	case CLOCK_BREACHED:
	case CLOCK_MISSED:
		return color(u, PAIR_BREACH) | A_BOLD;
	case CLOCK_DUE_SOON:
		return u->colors ? color(u, PAIR_SOON) | A_BOLD : A_UNDERLINE;
	case CLOCK_MET:
		return color(u, PAIR_OK);
	default:
		return A_NORMAL;
	}
}

/*
 * Draws untrusted text at (y, x) in at most `w` columns with `attr`;
 * returns the columns used.
 */
static int
put(int y, int x, int w, const char *s, attr_t attr)
{
	struct strbuf sb = STRBUF_INIT;
	size_t used;

	if (w <= 0 || s == NULL)
		return 0;
	used = sanitize_append(&sb, s, strlen(s), SAN_ELLIPSIS, (size_t)w, 0);
	attron(attr);
	mvaddstr(y, x, strbuf_str(&sb));
	attroff(attr);
	strbuf_free(&sb);
	return (int)used;
}

/* Fills the rest of a row from x with attr (a selection bar). */
static void
fill(int y, int x, int end, attr_t attr)
{
	attron(attr);
	for (; x < end; x++)
		mvaddch(y, x, ' ');
	attroff(attr);
}

static void
compute_clocks(const struct ui *u, const struct incident *inc, int64_t now,
               struct sla_clock c[CLOCK_KIND_COUNT])
{
	struct clock_input in;

	incident_clock_input(inc, &in);
	clocks_compute(u->d.policy, &in, now, c);
}

/* Six columns: the list is narrow beside the detail pane. */
static const char *const short_status[STATUS_COUNT] = {
    "invest", "ident", "mitig", "monit", "resolv", "closed"};

static const char *
short_clock_name(enum clock_kind k)
{
	static const char *const n[] = {"ack", "upd", "res", "esc", "pm"};

	return (unsigned)k < CLOCK_KIND_COUNT ? n[k] : "?";
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

static void
draw_top(struct ui *u, int64_t now)
{
	struct rect r = u->lay.top;
	char buf[512], roles[128], t[TIME_BUF], health[200];
	const char *slash = strrchr(u->ctx->db_path, '/');
	attr_t bar = u->colors ? color(u, PAIR_BAR) : A_REVERSE;
	const char *state = u->offline                   ? "OFFLINE"
	                    : store_is_readonly(u->d.st) ? "read-only"
	                                                 : "live";
	time_t tt = (time_t)now;
	struct tm tm;

	fill(r.y, 0, r.w, bar);
	dash_my_roles(&u->d, roles, sizeof roles);
	metrics_health(u, health, sizeof health);
	localtime_r(&tt, &tm);
	strftime(t, sizeof t, "%H:%M:%S", &tm);
	snprintf(buf, sizeof buf,
	         " incident-tui  %s  %s  %s%s%s%s  metrics: %s",
	         slash ? slash + 1 : u->ctx->db_path, state, u->ctx->user,
	         roles[0] ? " (" : "", roles, roles[0] ? ")" : "", health);
	put(r.y, 0, r.w - 14, buf, bar);
	snprintf(buf, sizeof buf, "%s %s ", t, time_zone_name());
	put(r.y, r.w - (int)strlen(buf), (int)strlen(buf), buf, bar | A_BOLD);
}

static void
draw_list(struct ui *u, int64_t now)
{
	struct rect r = u->lay.list;
	struct listview *lv = &u->list_lv;
	int i, y, focus = u->focus == FOCUS_LIST && u->mode == MODE_NORMAL;
	char head[128];

	snprintf(head, sizeof head, "%-7s %-4s %-6s %-5s %-10s %s", "ID", "SEV",
	         "STATUS", "AGE", "CLOCK",
	         u->d.show_resolved ? "TITLE (all)" : "TITLE (active)");
	put(r.y, r.x, r.w, head, A_BOLD | (focus ? A_UNDERLINE : 0));
	lv->count = (int)u->d.incidents.n;
	lv->height = r.h - 1;
	lv->sel = dash_sel_index(&u->d);
	listview_fix(lv);
	if (lv->count == 0) {
		put(r.y + 1, r.x, r.w,
		    u->d.show_resolved ? "No incidents. n declares one."
		                       : "No active incidents. n declares one, "
		                         "R shows resolved ones.",
		    color(u, PAIR_DIM));
		return;
	}
	for (i = lv->top, y = r.y + 1; i < lv->count && y < r.y + r.h;
	     i++, y++) {
		const struct incident *inc = &u->d.incidents.v[i];
		struct sla_clock c[CLOCK_KIND_COUNT];
		const struct sla_clock *urgent;
		char id[24], clk[32] = "", ct[TIME_BUF], age[TIME_BUF];
		attr_t sel = i == lv->sel ? (focus ? A_REVERSE : A_BOLD) : 0;
		int x = r.x;

		compute_clocks(u, inc, now, c);
		urgent = clocks_most_urgent(c);
		if (urgent != NULL)
			snprintf(clk, sizeof clk, "%s %s",
			         short_clock_name(urgent->kind),
			         time_format_clock(urgent->remaining, ct));
		snprintf(id, sizeof id, "INC-%lld", (long long)inc->id);
		fill(y, r.x, r.x + r.w, sel);
		x += put(y, x, 7, id, sel) + 1;
		x = r.x + 8;
		put(y, x, 4, inc->severity, sel | sev_attr(u, inc->severity));
		x += 5;
		put(y, x, 6, short_status[inc->status], sel);
		x += 7;
		put(y, x, 5,
		    time_format_age((inc->resolved_at != TIME_NONE
		                         ? inc->resolved_at
		                         : now) -
		                        inc->declared_at,
		                    age),
		    sel);
		x += 6;
		if (urgent != NULL)
			put(y, x, 10, clk, sel | clock_attr(u, urgent));
		x += 11;
		put(y, x, r.x + r.w - x, inc->title, sel);
	}
}

/* "HH:MM" or "MM-DD HH:MM" when the timeline spans days. */
static void
entry_time(const struct entry *e, int multiday, char *buf)
{
	char full[TIME_BUF];

	if (!multiday) {
		time_format_hhmm(e->at, buf);
		return;
	}
	time_format_local(e->at, full);
	snprintf(buf, TIME_BUF, "%s", full + 5);
}

/* The newest metric entry in the timeline window, or NULL. */
static const struct entry *
latest_metric(const struct ui *u)
{
	size_t i;

	for (i = u->d.timeline.n; i > 0; i--)
		if (u->d.timeline.v[i - 1].kind == KIND_METRIC)
			return &u->d.timeline.v[i - 1];
	return NULL;
}

static void
draw_detail(struct ui *u, int64_t now)
{
	struct rect r = u->lay.detail;
	const struct incident *inc = &u->d.detail;
	struct sla_clock c[CLOCK_KIND_COUNT];
	char buf[512], t1[TIME_BUF], t2[TIME_BUF];
	int y = r.y, x, k, top, i, multiday = 0;
	struct listview *lv = &u->tl_lv;
	int focus = u->focus == FOCUS_TIMELINE && u->mode == MODE_NORMAL;

	if (u->lay.side_by_side)
		for (i = r.y; i < r.y + r.h; i++)
			mvaddch(i, r.x - 1, ACS_VLINE);
	else
		mvhline(r.y, r.x, ACS_HLINE, r.w);
	u->timeline_y = -1;
	if (!u->d.have_detail) {
		put(y + 1, r.x, r.w,
		    "Select an incident, or press n to declare one.",
		    color(u, PAIR_DIM));
		return;
	}
	if (!u->lay.side_by_side)
		y++;
	/* Title line */
	snprintf(buf, sizeof buf, "INC-%lld ", (long long)inc->id);
	x = r.x + put(y, r.x, r.w, buf, A_BOLD);
	x += put(y, x, 6, inc->severity, sev_attr(u, inc->severity)) + 1;
	x += put(y, x, 14, status_name(inc->status), A_BOLD) + 1;
	if (inc->drill)
		x += put(y, x, 8, "[drill]", color(u, PAIR_DIM)) + 1;
	put(y, x, r.x + r.w - x, inc->title, A_BOLD);
	y++;
	/* Service and age */
	snprintf(buf, sizeof buf, "%s%sdeclared %s by %s, %s ago",
	         inc->service ? inc->service : "", inc->service ? " | " : "",
	         time_format_local(inc->declared_at, t1), inc->declared_by,
	         time_format_span(now - inc->declared_at, t2));
	put(y++, r.x, r.w, buf, color(u, PAIR_DIM));
	/* Clocks */
	compute_clocks(u, inc, now, c);
	x = r.x;
	for (k = 0; k < CLOCK_KIND_COUNT; k++) {
		char cb[TIME_BUF * 2];

		if (c[k].state == CLOCK_NONE || x >= r.x + r.w)
			continue;
		textout_clock(&c[k], cb, sizeof cb);
		x += put(y, x, r.x + r.w - x, cb, clock_attr(u, &c[k])) + 2;
	}
	y++;
	/* Roster */
	x = r.x;
	for (k = 0; k < ROLE_COUNT && x < r.x + r.w; k++) {
		static const char *const label[] = {"IC ", "TL ", "Comms ",
		                                    "Scribe "};

		x += put(y, x, r.x + r.w - x, label[k], A_BOLD);
		if (inc->roles[k] != NULL)
			x += put(y, x, r.x + r.w - x, inc->roles[k], A_NORMAL);
		else
			x += put(y, x, r.x + r.w - x, "(unfilled)",
			         color(u, PAIR_DIM) | A_DIM);
		x += 2;
	}
	y++;
	/* The latest metric snapshot: labelled values and sparklines. */
	if (latest_metric(u) != NULL) {
		const struct entry *me = latest_metric(u);
		size_t q;

		if (me->id != u->metric_id) {
			metric_summary_free(&u->metric);
			if (metric_summary_parse(me->data, &u->metric) != 0)
				memset(&u->metric, 0, sizeof u->metric);
			u->metric_id = me->id;
		}
		x = r.x;
		for (q = 0; q < u->metric.n && x < r.x + r.w; q++) {
			const struct metric_value *mv = &u->metric.v[q];
			char item[160], sp[3 * 12 + 1] = "";

			if (mv->nspark > 1)
				spark_render(mv->spark, mv->nspark, 12, sp);
			snprintf(item, sizeof item, "%s %s%s%s%s%s", mv->name,
			         mv->value, mv->unit[0] ? " " : "", mv->unit,
			         sp[0] ? " " : "", sp);
			x +=
			    put(y, x, r.x + r.w - x, item,
			        mv->failed ? color(u, PAIR_BREACH) : A_NORMAL) +
			    2;
		}
		y++;
	}
	/* Open action items, up to three */
	for (i = 0; i < (int)u->d.actions.n && i < 3; i++) {
		const struct action_item *a = &u->d.actions.v[i];
		int overdue = a->due_at != TIME_NONE && a->due_at < now;

		snprintf(buf, sizeof buf, "ACT-%lld ", (long long)a->id);
		x = r.x + put(y, r.x, r.w, buf, A_BOLD);
		x += put(y, x, r.x + r.w - x, a->text, A_NORMAL);
		if (a->owner != NULL) {
			x += put(y, x, r.x + r.w - x, " @", A_NORMAL);
			x += put(y, x, r.x + r.w - x, a->owner, A_NORMAL);
		}
		if (overdue)
			put(y, x + 1, r.x + r.w - x - 1, "OVERDUE",
			    color(u, PAIR_BREACH) | A_BOLD);
		y++;
	}
	/* Timeline */
	snprintf(buf, sizeof buf, "Timeline (%zu%s)%s", u->d.timeline.n,
	         u->d.timeline.more ? "+" : "",
	         focus ? "" : "  Tab: select entries");
	mvhline(y, r.x, ACS_HLINE, r.w);
	put(y, r.x + 2, r.w - 4, buf, A_BOLD);
	y++;
	top = y;
	u->timeline_y = top;
	lv->count = (int)u->d.timeline.n;
	lv->height = r.y + r.h - top;
	if (lv->height < 1)
		return;
	if (u->follow || u->focus != FOCUS_TIMELINE)
		listview_bottom(lv);
	else
		listview_fix(lv);
	if (u->d.timeline.n > 1 &&
	    u->d.timeline.v[u->d.timeline.n - 1].at - u->d.timeline.v[0].at >=
	        86400)
		multiday = 1;
	for (i = lv->top; i < lv->count && y < r.y + r.h; i++, y++) {
		const struct entry *e = &u->d.timeline.v[i];
		attr_t sel = focus && i == lv->sel ? A_REVERSE : 0;
		attr_t kattr = e->kind == KIND_SYSTEM || e->kind == KIND_ROLE ||
		                       e->kind == KIND_STATUS ||
		                       e->kind == KIND_SEVERITY
		                   ? color(u, PAIR_DIM)
		                   : A_BOLD;

		fill(y, r.x, r.x + r.w, sel);
		entry_time(e, multiday, t1);
		x = r.x + put(y, r.x, 12, t1, sel);
		x += put(y, x, 1, e->pinned ? "*" : " ", sel | A_BOLD);
		x += put(y, x, 1, entry_is_late(e) ? "~" : " ", sel);
		x += 1;
		put(y, x, 9, kind_name(e->kind), sel | kattr);
		x += 10;
		put(y, x, 10, e->author, sel);
		x += 11;
		put(y, x, r.x + r.w - x, e->text, sel);
	}
}

static void
draw_status(struct ui *u)
{
	struct rect r = u->lay.status;
	char label[400];
	size_t start, col;
	int x;

	move(r.y, 0);
	clrtoeol();
	if (u->mode == MODE_INPUT || u->mode == MODE_PROMPT) {
		/* The input owns the last row; a message goes just above it. */
		if (u->msg[0] != '\0') {
			move(r.y - 1, 0);
			clrtoeol();
			put(r.y - 1, 0, r.w, u->msg,
			    u->msg_error ? color(u, PAIR_BREACH) | A_BOLD
			                 : A_BOLD);
		}
		if (u->mode == MODE_INPUT)
			snprintf(label, sizeof label, "%s[%s] INC-%lld> ",
			         u->edit_id ? "edit " : "", kind_name(u->kind),
			         (long long)u->input_incident);
		else
			snprintf(label, sizeof label, "%s ", u->prompt);
		x = put(r.y, 0, r.w * 2 / 3, label, A_BOLD);
		start = editline_view_start(&u->el, (size_t)(r.w - x - 1));
		put(r.y, x, r.w - x - 1, editline_text(&u->el) + start,
		    A_NORMAL);
		col = editline_cursor_col(&u->el);
		{
			struct editline head = u->el;

			head.cursor = start;
			col -= editline_cursor_col(&head);
		}
		move(r.y, x + (int)col);
		return;
	}
	if (u->msg[0] != '\0') {
		put(r.y, 0, r.w, u->msg,
		    u->msg_error ? color(u, PAIR_BREACH) | A_BOLD : A_NORMAL);
		return;
	}
	put(r.y, 0, r.w,
	    "?:help  i:log  n:declare  a:ack  s:status  v:severity  r:assign  "
	    "t:action  Tab:pane  /:search  :cmd  q:quit",
	    color(u, PAIR_DIM));
}

static void
draw_box(int y, int x, int h, int w)
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

static void
draw_help(struct ui *u)
{
	static const char *const extra[] = {
	    "",
	    "In the input line (i):",
	    "  Enter logs, Esc cancels, Tab cycles the kind",
	    "  HH:MM at the start backdates the entry",
	    "  TODO: makes an action item, DECISION: a decision",
	    "  C-a C-e C-u C-k C-w: start, end, kill back, kill on, word",
	    "",
	    "Commands (:), each action by name, e.g.:",
	    "  :status monitoring   :severity P1   :assign ic alice",
	    "  :unassign tl   :log text   :declare P2 title   :select 12",
	};
	int h = u->rows - 4, w = u->cols - 8, y0 = 2, x0 = 4, line = 0, a;
	int total = UA_COUNT + 2 + (int)(sizeof extra / sizeof extra[0]);
	char keys[64], row[256];

	if (w > 90) {
		x0 = (u->cols - 90) / 2;
		w = 90;
	}
	if (u->help_top > total - (h - 2))
		u->help_top = total - (h - 2) > 0 ? total - (h - 2) : 0;
	draw_box(y0, x0, h, w);
	put(y0, x0 + 2, w - 4, " Help: q or Esc closes, j/k scroll ", A_BOLD);
	for (a = -1; a < UA_COUNT + 1 + (int)(sizeof extra / sizeof extra[0]);
	     a++, line++) {
		int y = y0 + 1 + line - u->help_top;

		if (y <= y0 || y >= y0 + h - 1)
			continue;
		if (a == -1) {
			put(y, x0 + 2, w - 4,
			    "Keys (rebind in [keys] of the config)", A_BOLD);
		} else if (a < UA_COUNT) {
			keymap_describe(&u->km, (enum ui_action)a, keys,
			                sizeof keys);
			snprintf(row, sizeof row, "%-16s %-10s %s",
			         keys[0] ? keys : "(:only)", ui_actions[a].name,
			         ui_actions[a].help);
			put(y, x0 + 2, w - 4, row, A_NORMAL);
		} else {
			put(y, x0 + 2, w - 4, extra[a - UA_COUNT],
			    a - UA_COUNT == 1 || a - UA_COUNT == 7 ? A_BOLD
			                                           : A_NORMAL);
		}
	}
}

static void
draw_view(struct ui *u)
{
	const struct entry *e = NULL;
	struct strbuf sb = STRBUF_INIT;
	char t1[TIME_BUF], t2[TIME_BUF], head[256];
	int h = u->rows - 4, w = u->cols - 8, y0 = 2, x0 = 4, y;
	const char *p;
	size_t i;

	for (i = 0; i < u->d.timeline.n; i++)
		if (u->d.timeline.v[i].id == u->sel_entry_id)
			e = &u->d.timeline.v[i];
	if (e == NULL) {
		u->mode = MODE_NORMAL;
		return;
	}
	draw_box(y0, x0, h, w);
	snprintf(head, sizeof head, " %s by %s at %s (logged %s)%s%s ",
	         kind_name(e->kind), e->author, time_format_local(e->at, t1),
	         time_format_hhmm(e->recorded_at, t2),
	         e->pinned ? ", pinned" : "",
	         e->revision > 1 ? ", edited" : "");
	put(y0, x0 + 2, w - 4, head, A_BOLD);
	sanitize_append(&sb, e->text, strlen(e->text), SAN_MULTILINE, 0, 0);
	/* Wrap by display columns, line by line. */
	p = strbuf_str(&sb);
	for (y = y0 + 1; *p != '\0' && y < y0 + h - 1; y++) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p), used = 0,
		       off = 0;
		struct strbuf line = STRBUF_INIT;

		size_t last_space = 0;

		while (off < len) {
			uint32_t cp;
			size_t n = utf8_decode(p + off, len - off, &cp);
			int cw = codepoint_width(cp);

			if ((int)used + cw > w - 4)
				break;
			if (cp == ' ')
				last_space = off + 1;
			strbuf_add(&line, p + off, n);
			used += (size_t)cw;
			off += n;
		}
		/* Break after the last space rather than inside a word. */
		if (off < len && last_space > 0) {
			line.len = last_space;
			line.buf[line.len] = '\0';
			off = last_space;
		}
		mvaddstr(y, x0 + 2, strbuf_str(&line));
		strbuf_free(&line);
		p += off;
		if (off == len && nl != NULL)
			p++;
	}
	put(y0 + h - 1, x0 + 2, w - 4, " e edit  p pin  d delete  Esc close ",
	    A_BOLD);
	strbuf_free(&sb);
}

static void
draw_alerts(struct ui *u)
{
	int h = u->rows - 4, w = u->cols - 8, y0 = 2, x0 = 4, y, top = 0;
	size_t i;

	draw_box(y0, x0, h, w);
	put(y0, x0 + 2, w - 4,
	    " Firing alerts: Enter declares (or opens its incident), Esc "
	    "closes ",
	    A_BOLD);
	if (u->alerts.n == 0) {
		put(y0 + 1, x0 + 2, w - 4,
		    u->poller_on ? "No firing alerts."
		                 : "No firing alerts (no metrics source "
		                   "configured).",
		    color(u, PAIR_DIM));
		return;
	}
	if (u->alert_sel >= h - 2)
		top = u->alert_sel - (h - 3);
	for (i = (size_t)top, y = y0 + 1; i < u->alerts.n && y < y0 + h - 1;
	     i++, y++) {
		const struct alert_row *a = &u->alerts.v[i];
		attr_t sel = (int)i == u->alert_sel ? A_REVERSE : 0;
		char head[96], t[TIME_BUF];
		int x = x0 + 2;

		fill(y, x0 + 1, x0 + w - 1, sel);
		snprintf(head, sizeof head, "AL-%lld %-9s %s ",
		         (long long)a->id, a->severity ? a->severity : "-",
		         time_format_hhmm(a->since, t));
		x += put(y, x, w - 4, head, sel);
		if (a->incident_id) {
			snprintf(head, sizeof head, "INC-%lld ",
			         (long long)a->incident_id);
			x += put(y, x, x0 + w - 2 - x, head, sel | A_BOLD);
		}
		x += put(y, x, x0 + w - 2 - x, a->name, sel | A_BOLD) + 1;
		put(y, x, x0 + w - 2 - x, a->summary, sel);
	}
}

static void
draw_actions(struct ui *u)
{
	int h = u->rows - 4, w = u->cols - 8, y0 = 2, x0 = 4, y, top = 0;
	int64_t now = context_now();
	size_t i;

	draw_box(y0, x0, h, w);
	put(y0, x0 + 2, w - 4,
	    " Action items: x done  D dropped  o owner  w due  e edit  t add  "
	    "Esc close ",
	    A_BOLD);
	if (u->act_rows.n == 0) {
		put(y0 + 1, x0 + 2, w - 4, "No action items yet; t adds one.",
		    color(u, PAIR_DIM));
		return;
	}
	if (u->act_sel >= h - 2)
		top = u->act_sel - (h - 3);
	for (i = (size_t)top, y = y0 + 1; i < u->act_rows.n && y < y0 + h - 1;
	     i++, y++) {
		const struct action_item *a = &u->act_rows.v[i];
		attr_t sel = (int)i == u->act_sel ? A_REVERSE : 0;
		char head[64], due[TIME_BUF] = "-", t[TIME_BUF];
		int x = x0 + 2, overdue = a->state == ACTION_OPEN &&
		                          a->due_at != TIME_NONE &&
		                          a->due_at < now;

		if (a->due_at != TIME_NONE)
			snprintf(due, sizeof due, "%.10s",
			         time_format_local(a->due_at, t));
		fill(y, x0 + 1, x0 + w - 1, sel);
		snprintf(head, sizeof head, "ACT-%lld %-8s %-10s ",
		         (long long)a->id, action_state_name(a->state), due);
		x += put(y, x, w - 4, head, sel);
		if (overdue)
			x += put(y, x, 9, "OVERDUE ",
			         sel | color(u, PAIR_BREACH) | A_BOLD);
		x += put(y, x, 14, a->owner ? a->owner : "(no owner)", sel) + 1;
		put(y, x, x0 + w - 2 - x, a->text, sel);
	}
}

static void
draw_pager(struct ui *u)
{
	int h = u->rows - 4, w = u->cols - 4, y0 = 2, x0 = 2, y, line = 0;
	const char *p = u->pager_text ? u->pager_text : "";
	int total = 1;
	const char *q;

	for (q = p; *q; q++)
		total += *q == '\n';
	if (u->pager_top > total - (h - 2))
		u->pager_top = total - (h - 2) > 0 ? total - (h - 2) : 0;
	draw_box(y0, x0, h, w);
	put(y0, x0 + 2, w - 4, u->pager_title, A_BOLD);
	for (y = y0 + 1; *p != '\0' && y < y0 + h - 1; line++) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char *one = malloc(len + 1);

		memcpy(one, p, len);
		one[len] = '\0';
		if (line >= u->pager_top)
			put(y++, x0 + 2, w - 4, one, A_NORMAL);
		free(one);
		p += len + (nl ? 1 : 0);
	}
	put(y0 + h - 1, x0 + 2, w - 4,
	    u->pager_update
	        ? " c copy  w write to a file  e edit  s mark sent  "
	          "j/k scroll  Esc close "
	        : " j/k scroll  Esc close ",
	    A_BOLD);
}

void
ui_render(struct ui *u)
{
	int64_t now = context_now();

	erase();
	getmaxyx(stdscr, u->rows, u->cols);
	layout_compute(u->rows, u->cols, (int)u->d.incidents.n, &u->lay);
	if (u->lay.too_small) {
		put(0, 0, u->cols,
		    "incident-tui: the terminal is too small "
		    "(40x10 at least)",
		    A_BOLD);
		curs_set(0);
		refresh();
		return;
	}
	draw_top(u, now);
	draw_list(u, now);
	draw_detail(u, now);
	if (u->mode == MODE_HELP)
		draw_help(u);
	else if (u->mode == MODE_VIEW)
		draw_view(u);
	else if (u->mode == MODE_ALERTS)
		draw_alerts(u);
	else if (u->mode == MODE_PAGER)
		draw_pager(u);
	else if (u->mode == MODE_ACTIONS)
		draw_actions(u);
	draw_status(u);
	curs_set(u->mode == MODE_INPUT || u->mode == MODE_PROMPT ? 1 : 0);
	refresh();
	if (u->trace != NULL) {
		/* "time data-version key-to-frame", all in nanoseconds. */
		int64_t t = ui_mono_ns();

		fprintf(u->trace, "%lld %lld %lld\n", (long long)t,
		        (long long)u->d.data_version,
		        (long long)(u->key_ns ? t - u->key_ns : 0));
		fflush(u->trace);
		u->key_ns = 0;
	}
	u->dirty = 0;
}
