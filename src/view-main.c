/*
 * view-main.c - the incident list beside (or above) the shown incident and
 * its timeline: the view at the bottom of the stack, and the flows that
 * change an incident (declare, ack, status, severity, roles, fields,
 * action items, entries).
 *
 * Every flow captures what the person saw when it began (the prompt's
 * `seen`) and names it in its question, so an answer lands on the incident
 * the question named even if the list moved meanwhile.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "itui/comms.h"
#include "itui/strbuf.h"
#include "itui/textout.h"
#include "itui/timeutil.h"
#include "itui/ui.h"
#include "itui/view-conflict.h"
#include "itui/view-main.h"
#include "itui/view-pager.h"
#include "itui/xalloc.h"

/* Six columns: the list is narrow beside the detail pane. */
static const char *const short_status[STATUS_COUNT] = {
    "invest", "ident", "mitig", "monit", "resolv", "closed"};

static const char *const status_choices[] = {"investigating", "identified",
                                             "mitigating",    "monitoring",
                                             "resolved",      "closed"};
/* The menu shows the full names; "ic", "tl", "comms" are still typed. */
static const char *const role_choices[] = {"commander", "tech-lead",
                                           "comms-lead", "scribe"};
static const char *const field_choices[] = {"title", "service", "impact",
                                            "summary", "root-cause"};

static const char *
short_clock_name(enum clock_kind k)
{
	static const char *const n[] = {"ack", "upd", "res", "esc", "pm"};

	if (k == CLOCK_PHASE)
		return "ph";
	return (unsigned)k < CLOCK_KIND_COUNT ? n[k] : "?";
}

/* ---- selection ------------------------------------------------------ */

static void
select_entry_index(struct ui *u, int i)
{
	if (u->d.timeline.n == 0) {
		u->sel_entry_id = 0;
		return;
	}
	if (i < 0)
		i = 0;
	if ((size_t)i >= u->d.timeline.n)
		i = (int)u->d.timeline.n - 1;
	u->sel_entry_id = u->d.timeline.v[i].id;
	u->tl_lv.sel = i;
	u->follow = (size_t)i == u->d.timeline.n - 1;
	u->dirty = 1;
}

static void
select_incident(struct ui *u, int index)
{
	struct itui_err err;

	if (dash_select(&u->d, index, &err) != ITUI_OK)
		ui_message(u, 1, "%s", err.msg);
	u->follow = 1;
	u->sel_entry_id = 0;
	ui_refind_entry(u);
	u->dirty = 1;
}

void
ui_move(struct ui *u, int delta)
{
	struct itui_err err;

	if (u->focus == FOCUS_LIST) {
		int i = dash_sel_index(&u->d), n = (int)u->d.incidents.n;

		if (n == 0)
			return;
		i = i < 0 ? 0 : i + delta;
		select_incident(u, i < 0 ? 0 : i >= n ? n - 1 : i);
		return;
	}
	if (u->tl_lv.sel + delta < 0 && u->d.timeline.more) {
		int64_t keep = u->sel_entry_id;

		if (dash_load_older(&u->d, &err)) {
			u->sel_entry_id = keep;
			u->follow = 0;
			ui_refind_entry(u);
		}
	}
	select_entry_index(u, u->tl_lv.sel + delta);
}

void
view_main_click(struct ui *u, int y, int x)
{
	struct rect l = u->lay.list;

	if (y > l.y && y < l.y + l.h && x >= l.x && x < l.x + l.w) {
		u->focus = FOCUS_LIST;
		select_incident(u, u->list_lv.top + y - l.y - 1);
		return;
	}
	/* Where the last layout put the timeline. */
	if (u->timeline_y >= 0 && y >= u->timeline_y && x >= u->lay.detail.x &&
	    y < u->lay.detail.y + u->lay.detail.h) {
		u->focus = FOCUS_TIMELINE;
		u->follow = 0;
		select_entry_index(u, u->tl_lv.top + y - u->timeline_y);
	}
}

/* ---- layout and drawing ------------------------------------------- */

/* Rows the detail pane uses above its timeline. */
static int
detail_head_rows(const struct ui *u)
{
	int n = 4; /* title, service line, clocks, roster */

	if (!u->lay.side_by_side)
		n++;
	if (u->d.gone_id != 0 || u->d.detail.impact != NULL)
		n++;
	if (u->d.metric.n > 0)
		n++;
	if (u->d.have_checklist)
		n++;
	n += u->d.actions.n < 3 ? (int)u->d.actions.n : 3;
	if (u->d.actions.n > 3)
		n++;  /* "+N more" */
	return n + 1; /* the timeline's rule */
}

static void
main_layout(struct ui *u)
{
	struct listview *lv = &u->list_lv, *tl = &u->tl_lv;
	struct rect r = u->lay.detail;

	lv->count = (int)u->d.incidents.n;
	lv->height = u->lay.list.h - 1;
	lv->sel = dash_sel_index(&u->d);
	listview_fix(lv);
	u->timeline_y = -1;
	if (!u->d.have_detail)
		return;
	u->timeline_y = r.y + detail_head_rows(u);
	tl->count = (int)u->d.timeline.n;
	tl->height = r.y + r.h - u->timeline_y;
	if (tl->height < 1)
		return;
	if (u->follow || u->focus != FOCUS_TIMELINE)
		listview_bottom(tl);
	else
		listview_fix(tl);
}

static void
draw_list(const struct ui *u, int64_t now)
{
	struct rect r = u->lay.list;
	const struct listview *lv = &u->list_lv;
	int i, y, focus = u->focus == FOCUS_LIST && u->depth == 0;
	char head[128];

	snprintf(head, sizeof head, "%-7s %-4s %-6s %-5s %-10s %s", "ID", "SEV",
	         "STATUS", "AGE", "CLOCK",
	         u->d.show_resolved ? "TITLE (all)" : "TITLE (active)");
	ui_put(r.y, r.x, r.w, head, A_BOLD | (focus ? A_UNDERLINE : 0));
	if (lv->count == 0) {
		char keys[64], text[160];

		/* The keys as bound, not as shipped. */
		keymap_describe(&u->km, VIEW_MAIN, UA_DECLARE, keys,
		                sizeof keys);
		snprintf(text, sizeof text, "No %sincidents. %s declares one%s",
		         u->d.show_resolved ? "" : "active ", keys,
		         u->d.show_resolved ? "." : "; R shows resolved ones.");
		ui_put(r.y + 1, r.x, r.w, text, ui_color(u, PAIR_DIM));
		return;
	}
	for (i = lv->top, y = r.y + 1; i < lv->count && y < r.y + r.h;
	     i++, y++) {
		const struct incident *inc = &u->d.incidents.v[i];
		struct sla_clock c[CLOCK_KIND_COUNT], ph;
		const struct sla_clock *urgent;
		char id[24], clk[32] = "", ct[TIME_BUF], age[TIME_BUF];
		int gone = inc->id == u->d.gone_id;
		attr_t sel = i == lv->sel ? (focus ? A_REVERSE : A_BOLD) : 0;
		attr_t dim = gone ? (attr_t)ui_color(u, PAIR_DIM) | A_DIM : 0;
		int x = r.x;

		ui_compute_clocks(u, inc, now, c);
		incident_phase_clock(inc, now, &ph);
		urgent = clocks_most_urgent_with(c, &ph, 1);
		if (urgent != NULL && !gone)
			snprintf(clk, sizeof clk, "%s %s",
			         short_clock_name(urgent->kind),
			         time_format_clock(urgent->remaining, ct));
		snprintf(id, sizeof id, "INC-%lld", (long long)inc->id);
		ui_fill(y, r.x, r.x + r.w, sel);
		ui_put(y, x, 7, id, sel | dim);
		x = r.x + 8;
		ui_put(y, x, 4, inc->severity,
		       sel | (gone ? dim : ui_sev_attr(u, inc->severity)));
		x += 5;
		ui_put(y, x, 6, short_status[inc->status], sel | dim);
		x += 7;
		ui_put(y, x, 5,
		       time_format_age((inc->resolved_at != TIME_NONE
		                            ? inc->resolved_at
		                            : now) -
		                           inc->declared_at,
		                       age),
		       sel | dim);
		x += 6;
		if (urgent != NULL && !gone)
			ui_put(y, x, 10, clk, sel | ui_clock_attr(u, urgent));
		x += 11;
		if (gone) {
			char why[200];

			snprintf(why, sizeof why, "[%s] ", u->d.gone_why);
			x += ui_put(y, x, r.x + r.w - x, why, sel | A_BOLD);
		}
		ui_put(y, x, r.x + r.w - x, inc->title,
		       sel | dim |
		           (dash_matches(&u->d, 0, i, u->last_search)
		                ? A_UNDERLINE
		                : 0));
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

static int
draw_head(const struct ui *u, int64_t now, int y)
{
	struct rect r = u->lay.detail;
	const struct incident *inc = &u->d.detail;
	struct sla_clock c[CLOCK_KIND_COUNT];
	char buf[512], t1[TIME_BUF], t2[TIME_BUF];
	int x, k, i;

	snprintf(buf, sizeof buf, "INC-%lld ", (long long)inc->id);
	x = r.x + ui_put(y, r.x, r.w, buf, A_BOLD);
	x += ui_put(y, x, 6, inc->severity, ui_sev_attr(u, inc->severity)) + 1;
	x += ui_put(y, x, 14, status_name(inc->status), A_BOLD) + 1;
	if (inc->drill)
		x += ui_put(y, x, 8, "[drill]", ui_color(u, PAIR_DIM)) + 1;
	ui_put(y, x, r.x + r.w - x, inc->title, A_BOLD);
	y++;
	snprintf(buf, sizeof buf, "%s%sdeclared %s by %s, %s ago",
	         inc->service ? inc->service : "", inc->service ? " | " : "",
	         time_format_local(inc->declared_at, t1), inc->declared_by,
	         time_format_span(now - inc->declared_at, t2));
	/* Declared from an alert: it was seen (firing) before that. */
	if (inc->detected_at != TIME_NONE &&
	    inc->detected_at < inc->declared_at) {
		size_t n = strlen(buf);

		snprintf(
		    buf + n, sizeof buf - n, " (detected %s before)",
		    time_format_span(inc->declared_at - inc->detected_at, t2));
	}
	ui_put(y++, r.x, r.w, buf, ui_color(u, PAIR_DIM));
	if (u->d.gone_id != 0) {
		snprintf(buf, sizeof buf,
		         "No longer active: %s. Keys still act on INC-%lld; "
		         "move away to drop it from the list.",
		         u->d.gone_why, (long long)inc->id);
		ui_put(y++, r.x, r.w, buf, ui_color(u, PAIR_SOON) | A_BOLD);
	} else if (inc->impact != NULL) {
		x = r.x + ui_put(y, r.x, r.w, "Impact: ", A_BOLD);
		ui_put(y++, x, r.x + r.w - x, inc->impact, A_NORMAL);
	}
	ui_compute_clocks(u, inc, now, c);
	x = r.x;
	for (k = 0; k < CLOCK_KIND_COUNT; k++) {
		char cb[TEXTOUT_CLOCK_BUF];

		if (c[k].state == CLOCK_NONE || x >= r.x + r.w)
			continue;
		textout_clock(&c[k], cb, sizeof cb);
		x += ui_put(y, x, r.x + r.w - x, cb, ui_clock_attr(u, &c[k])) +
		     2;
	}
	y++;
	x = r.x;
	for (k = 0; k < ROLE_COUNT && x < r.x + r.w; k++) {
		static const char *const label[] = {"IC ", "TL ", "Comms ",
		                                    "Scribe "};

		x += ui_put(y, x, r.x + r.w - x, label[k], A_BOLD);
		if (inc->roles[k] != NULL)
			x += ui_put(y, x, r.x + r.w - x, inc->roles[k],
			            A_NORMAL);
		else
			x += ui_put(y, x, r.x + r.w - x, "(unfilled)",
			            ui_color(u, PAIR_DIM) | A_DIM);
		x += 2;
	}
	if (x < r.x + r.w - 8) {
		/* Who else is on this incident, with the roles they hold. */
		char *here = dash_presence_line(&u->d, inc->id,
		                                (size_t)(r.x + r.w - x - 6));

		if (here != NULL && here[0] != '\0') {
			x += ui_put(y, x, r.x + r.w - x, "here: ", A_BOLD);
			ui_put(y, x, r.x + r.w - x, here, A_NORMAL);
		}
		free(here);
	}
	y++;
	if (u->d.have_checklist) {
		struct strbuf pl = STRBUF_INIT;

		checklist_phase_line(&u->d.checklist, &pl);
		ui_put(y++, r.x, r.w, strbuf_str(&pl),
		       ui_clock_attr(u, &u->d.checklist.clock));
		strbuf_free(&pl);
	}
	if (u->d.metric.n > 0) {
		size_t q;

		x = r.x;
		for (q = 0; q < u->d.metric.n && x < r.x + r.w; q++) {
			const struct metric_value *mv = &u->d.metric.v[q];
			char item[160], val[48], sp[3 * 12 + 1];

			/* Placed by time over the query's range: a gap in
			 * the data is a gap in the line. */
			metric_spark(mv, 12, sp);
			metric_value_text(mv, val, sizeof val);
			snprintf(item, sizeof item, "%s %s%s%s", mv->name, val,
			         sp[0] ? " " : "", sp);
			x += ui_put(y, x, r.x + r.w - x, item,
			            mv->failed ? ui_color(u, PAIR_BREACH)
			                       : A_NORMAL) +
			     2;
		}
		y++;
	}
	for (i = 0; i < (int)u->d.actions.n && i < 3; i++) {
		const struct action_item *a = &u->d.actions.v[i];
		int overdue = a->due_at != TIME_NONE && a->due_at < now;

		snprintf(buf, sizeof buf, "ACT-%lld ", (long long)a->id);
		x = r.x + ui_put(y, r.x, r.w, buf, A_BOLD);
		x += ui_put(y, x, r.x + r.w - x, a->text, A_NORMAL);
		if (a->owner != NULL) {
			x += ui_put(y, x, r.x + r.w - x, " @", A_NORMAL);
			x += ui_put(y, x, r.x + r.w - x, a->owner, A_NORMAL);
		}
		if (overdue)
			ui_put(y, x + 1, r.x + r.w - x - 1, "OVERDUE",
			       ui_color(u, PAIR_BREACH) | A_BOLD);
		y++;
	}
	if (u->d.actions.n > 3) {
		char keys[64];

		keymap_describe(&u->km, VIEW_MAIN, UA_ACTIONS, keys,
		                sizeof keys);
		snprintf(buf, sizeof buf,
		         "+%zu more action items (%s lists them)",
		         u->d.actions.n - 3, keys);
		ui_put(y++, r.x, r.w, buf, ui_color(u, PAIR_DIM));
	}
	return y;
}

static void
draw_detail(const struct ui *u, int64_t now)
{
	struct rect r = u->lay.detail;
	const struct listview *lv = &u->tl_lv;
	char buf[512], t1[TIME_BUF];
	int y = r.y, x, i, multiday = 0;
	int focus = u->focus == FOCUS_TIMELINE && u->depth == 0;

	if (u->lay.side_by_side)
		ui_vline(r.y, r.x - 1, r.h);
	else
		ui_hline(r.y, r.x, r.w);
	if (!u->d.have_detail) {
		char keys[64];

		keymap_describe(&u->km, VIEW_MAIN, UA_DECLARE, keys,
		                sizeof keys);
		snprintf(buf, sizeof buf,
		         "Select an incident, or press %s to declare one.",
		         keys);
		ui_put(y + 1, r.x, r.w, buf, ui_color(u, PAIR_DIM));
		return;
	}
	if (!u->lay.side_by_side)
		y++;
	y = draw_head(u, now, y);
	snprintf(buf, sizeof buf, "Timeline (%zu%s)%s", u->d.timeline.n,
	         u->d.timeline.more ? "+" : "",
	         focus ? "" : "  Tab: select entries");
	ui_hline(y, r.x, r.w);
	ui_put(y, r.x + 2, r.w - 4, buf, A_BOLD);
	y = u->timeline_y;
	if (lv->height < 1)
		return;
	/* Entries on more than one calendar day: each row has its date. */
	if (u->d.timeline.n > 1 &&
	    !time_same_local_day(u->d.timeline.v[0].at,
	                         u->d.timeline.v[u->d.timeline.n - 1].at))
		multiday = 1;
	for (i = lv->top; i < lv->count && y < r.y + r.h; i++, y++) {
		const struct entry *e = &u->d.timeline.v[i];
		attr_t sel = focus && i == lv->sel ? A_REVERSE : 0;
		attr_t kattr = e->kind == KIND_SYSTEM || e->kind == KIND_ROLE ||
		                       e->kind == KIND_STATUS ||
		                       e->kind == KIND_SEVERITY
		                   ? (attr_t)ui_color(u, PAIR_DIM)
		                   : A_BOLD;

		ui_fill(y, r.x, r.x + r.w, sel);
		entry_time(e, multiday, t1);
		x = r.x + ui_put(y, r.x, 12, t1, sel);
		x += ui_put(y, x, 1, e->pinned ? "*" : " ", sel | A_BOLD);
		x += ui_put(y, x, 1, entry_is_late(e) ? "~" : " ", sel);
		/* Edited: the old text is in the entry view's history. */
		x += ui_put(y, x, 1, e->revision > 1 ? "\xe2\x9c\x8e" : " ",
		            sel | A_BOLD);
		ui_put(y, x, 9, kind_name(e->kind), sel | kattr);
		x += 10;
		ui_put(y, x, 10, e->author, sel);
		x += 11;
		ui_put(y, x, r.x + r.w - x, e->text,
		       sel | (dash_matches(&u->d, 1, i, u->last_search)
		                  ? A_UNDERLINE
		                  : 0));
	}
}

/* Blank rows [y0, y1) of a rect, for a frame that redraws only them. */
static void
clear_rows(struct rect r, int y0, int y1)
{
	int y;

	for (y = y0; y < y1 && y < r.y + r.h; y++)
		ui_fill(y, r.x, r.x + r.w, A_NORMAL);
}

static void
main_draw(const struct ui *u)
{
	int64_t now = context_now();
	struct rect r = u->lay.detail;

	if (!u->clocks_only) {
		draw_list(u, now);
		draw_detail(u, now);
		return;
	}
	/* The clocks moved, nothing else: the list and the incident's head,
	 * not its timeline (the same rows as last frame, unchanged). */
	clear_rows(u->lay.list, u->lay.list.y, u->lay.list.y + u->lay.list.h);
	draw_list(u, now);
	if (!u->d.have_detail || u->timeline_y < 0)
		return;
	if (!u->lay.side_by_side)
		r.y++;
	clear_rows(r, r.y, u->timeline_y - 1);
	draw_head(u, now, r.y);
}

/* ---- the flows --------------------------------------------------- */

static long long
seen_incident(const struct ui *u)
{
	return (long long)u->prompt.seen.incident;
}

static unsigned
run_on_seen(struct ui *u, const char *const *words)
{
	(void)ui_verb(u, &u->prompt.seen, 0, NULL, words);
	return REACT_FOLLOW;
}

static unsigned
answer_yes_ack(struct ui *u, const char *a)
{
	(void)a;
	return run_on_seen(u, UI_WORDS("ack"));
}

static unsigned
answer_status(struct ui *u, const char *a)
{
	return run_on_seen(u, UI_WORDS("status", "--", a));
}

static unsigned
answer_severity(struct ui *u, const char *a)
{
	return run_on_seen(u, UI_WORDS("severity", "--", a));
}

static unsigned
answer_assign_name(struct ui *u, const char *a)
{
	if (*a == '\0') {
		ui_message(u, 0, "not assigned");
		return REACT_NONE;
	}
	return run_on_seen(u, UI_WORDS("assign", u->prompt.stash[0], "--", a));
}

static unsigned
answer_assign_role(struct ui *u, const char *a)
{
	int r = role_parse(a);
	char label[160];

	if (r < 0) {
		ui_message(u, 1,
		           "unknown role '%s' (commander/ic, tech-lead/tl, "
		           "comms-lead/comms, scribe)",
		           a);
		return REACT_NONE;
	}
	u->prompt.stash[0] = xstrdup(role_name((enum role)r));
	u->prompt.step++;
	ui_load_people(u);
	snprintf(label, sizeof label,
	         "%s of INC-%lld (Tab completes):", role_name((enum role)r),
	         seen_incident(u));
	ui_ask(u, label, "", answer_assign_name, NULL, 0);
	return REACT_NONE;
}

static unsigned
answer_action_due(struct ui *u, const char *a)
{
	const char *w[12] = {"action", "add"};
	int n = 2;

	if (u->prompt.stash[1] != NULL && *u->prompt.stash[1] != '\0') {
		w[n++] = "--owner";
		w[n++] = u->prompt.stash[1];
	}
	if (*a != '\0') {
		w[n++] = "--due";
		w[n++] = a;
	}
	w[n++] = "--";
	w[n++] = u->prompt.stash[0];
	w[n] = NULL;
	return run_on_seen(u, w);
}

static unsigned
answer_action_owner(struct ui *u, const char *a)
{
	u->prompt.stash[1] = xstrdup(a);
	u->prompt.step++;
	ui_ask(u, "Due (YYYY-MM-DD, +3d, empty for none):", "",
	       answer_action_due, NULL, 0);
	return REACT_NONE;
}

static unsigned
answer_action_text(struct ui *u, const char *a)
{
	if (*a == '\0') {
		ui_message(u, 0, "no action item added");
		return REACT_NONE;
	}
	u->prompt.stash[0] = xstrdup(a);
	u->prompt.step++;
	ui_load_people(u);
	ui_ask(u, "Owner (Tab completes, empty for none):", "",
	       answer_action_owner, NULL, 0);
	return REACT_NONE;
}

void
view_main_ask_action(struct ui *u)
{
	char label[96];

	snprintf(label, sizeof label,
	         "Action item for INC-%lld:", (long long)ui_seen(u).incident);
	ui_ask(u, label, "", answer_action_text, NULL, 0);
}

static unsigned
answer_field_value(struct ui *u, const char *a)
{
	char rev[32];

	snprintf(rev, sizeof rev, "%s", u->prompt.stash[1]);
	if (ui_verb(u, &u->prompt.seen, 0, NULL,
	            UI_WORDS("set", "--if-revision", rev, u->prompt.stash[0],
	                     "--", a)) == ITUI_CONFLICT)
		view_conflict_field(u, u->prompt.seen.incident,
		                    field_parse(u->prompt.stash[0]), a, u->msg);
	return REACT_RELOAD;
}

static unsigned
answer_field(struct ui *u, const char *a)
{
	const struct incident *inc = &u->d.detail;
	int f = field_parse(a);
	const char *cur;
	char label[160], rev[32];

	if (f < 0) {
		ui_message(
		    u, 1,
		    "unknown field '%s' (title, service, impact, summary, "
		    "root-cause)",
		    a);
		return REACT_NONE;
	}
	if (!u->d.have_detail || inc->id != u->prompt.seen.incident) {
		ui_message(u, 1, "INC-%lld is no longer shown; nothing changed",
		           seen_incident(u));
		return REACT_NONE;
	}
	cur = f == FIELD_TITLE     ? inc->title
	      : f == FIELD_SERVICE ? inc->service
	      : f == FIELD_IMPACT  ? inc->impact
	      : f == FIELD_SUMMARY ? inc->summary
	                           : inc->root_cause;
	snprintf(rev, sizeof rev, "%lld", (long long)u->d.field_revision);
	u->prompt.stash[0] = xstrdup(field_name((enum inc_field)f));
	u->prompt.stash[1] = xstrdup(rev);
	u->prompt.step++;
	snprintf(label, sizeof label, "%s of INC-%lld (empty clears it):",
	         field_name((enum inc_field)f), seen_incident(u));
	ui_ask(u, label, cur ? cur : "", answer_field_value, NULL, 0);
	return REACT_NONE;
}

static unsigned
answer_delete(struct ui *u, const char *a)
{
	char id[32];

	(void)a;
	snprintf(id, sizeof id, "E-%lld", (long long)u->prompt.seen.entry);
	if (ui_verb(u, &u->prompt.seen, 0, NULL,
	            UI_WORDS("entry", "delete", id)) == ITUI_OK)
		ui_message(u, 0,
		           "deleted %s (:entry restore %s brings it back)", id,
		           id);
	return REACT_FOLLOW;
}

/* Declaring: title, the policy's triage questions, severity, service. */
static unsigned
answer_declare_service(struct ui *u, const char *a)
{
	const char *w[14] = {"declare", "--severity", u->prompt.stash[1]};
	int64_t made = 0;
	int n = 3;

	if (u->prompt.stash[0] != NULL) {
		w[n++] = "--title";
		w[n++] = u->prompt.stash[0];
	}
	if (*a != '\0') {
		w[n++] = "--service";
		w[n++] = a;
	}
	if (u->prompt.stash[2] != NULL) {
		w[n++] = "--alert";
		w[n++] = u->prompt.stash[2];
	}
	w[n] = NULL;
	if (ui_verb(u, &u->prompt.seen, 0, &made, w) == ITUI_OK && made > 0) {
		struct itui_err err;

		(void)dash_select_id(&u->d, made, &err);
		u->focus = FOCUS_LIST;
		u->follow = 1;
		u->sel_entry_id = 0;
	}
	return REACT_FOLLOW;
}

static unsigned
answer_declare_level(struct ui *u, const char *a)
{
	const struct policy_level *l = policy_level(u->d.policy, a);

	if (l == NULL) {
		ui_message(u, 1, "unknown severity '%s' (%s)", a,
		           policy_level_list(u->d.policy));
		return REACT_NONE;
	}
	free(u->prompt.stash[1]);
	u->prompt.stash[1] = xstrdup(l->name);
	u->prompt.step++;
	ui_ask(u, "Service (optional):", "", answer_declare_service, NULL, 0);
	return REACT_NONE;
}

static const char *level_names[POLICY_MAX_LEVELS];

/* Index of name among n choices, or dflt. */
static size_t
choice_index(const char *const *v, size_t n, const char *name, size_t dflt)
{
	size_t i;

	for (i = 0; name != NULL && i < n; i++)
		if (strcasecmp(v[i], name) == 0)
			return i;
	return dflt;
}

/*
 * The levels as a menu, the suggestion (or else the least severe level)
 * highlighted, so Enter alone never declares the top severity by accident.
 */
static void
ask_level(struct ui *u, const char *label_head, const char *suggest,
          prompt_fn fn)
{
	size_t n = (size_t)u->d.policy->nlevels, i;
	char label[200];

	for (i = 0; i < n; i++)
		level_names[i] = u->d.policy->levels[i].name;
	snprintf(label, sizeof label, "%s:", label_head);
	ui_menu(u, label, fn, level_names, n,
	        choice_index(level_names, n, suggest, n - 1));
}

static void ask_triage(struct ui *u);

static unsigned
answer_triage(struct ui *u, const char *a)
{
	const struct policy *p = u->d.policy;
	int q = u->prompt.step - 1;

	u->prompt.step++;
	if (a[0] == 'y' || a[0] == 'Y') {
		ask_level(u, "Severity", p->triage[q].level,
		          answer_declare_level);
		return REACT_NONE;
	}
	if (a[0] == 's' || a[0] == 'S') {
		ask_level(u, "Severity", "", answer_declare_level);
		return REACT_NONE;
	}
	ask_triage(u);
	return REACT_NONE;
}

/* The policy's decision tree, one yes/no question at a time. */
static void
ask_triage(struct ui *u)
{
	const struct policy *p = u->d.policy;
	int q = u->prompt.step - 1;
	char label[300];

	if (q >= p->ntriage) {
		ask_level(u, "Severity", p->triage_otherwise,
		          answer_declare_level);
		return;
	}
	snprintf(label, sizeof label, "Triage: %s (y/n, s to skip)",
	         p->triage[q].question);
	ui_ask(u, label, "", answer_triage, NULL, 0);
}

static unsigned
answer_declare_title(struct ui *u, const char *a)
{
	if (*a == '\0') {
		ui_message(u, 0, "nothing declared");
		return REACT_NONE;
	}
	u->prompt.stash[0] = xstrdup(a);
	u->prompt.step = 1;
	if (u->d.policy->ntriage > 0)
		ask_triage(u);
	else
		ask_level(u, "Severity", "", answer_declare_level);
	return REACT_NONE;
}

void
view_main_declare(struct ui *u, const char *title, const char *level,
                  const char *alert_ref)
{
	if (alert_ref == NULL) {
		ui_ask(u, "Title:", "", answer_declare_title, NULL, 0);
		return;
	}
	/* From an alert: its id (the verb takes the title), the level. */
	ui_ask(u, "Service (optional):", "", answer_declare_service, NULL, 0);
	u->prompt.stash[0] = title ? xstrdup(title) : NULL;
	u->prompt.stash[2] = xstrdup(alert_ref);
	u->prompt.step = 1;
	if (level != NULL) {
		u->prompt.stash[1] = xstrdup(level);
		u->prompt.step = 2;
		ui_ask(u, "Service (optional):", "", answer_declare_service,
		       NULL, 0);
		return;
	}
	ask_level(u, "Severity", "", answer_declare_level);
}

/* n / N: the next or previous match, and where it is among them all. */
static unsigned
search_step(struct ui *u, int step)
{
	int in_tl = u->focus == FOCUS_TIMELINE, from, i, k, n, nth = 0, all = 0;

	if (u->last_search[0] == '\0') {
		ui_message(u, 1, "no search yet (/ searches)");
		return REACT_REDRAW;
	}
	from = in_tl ? u->tl_lv.sel : dash_sel_index(&u->d);
	i = dash_search_step(&u->d, in_tl, from, step, u->last_search);
	if (i < 0) {
		ui_message(u, 1, "not found: %s", u->last_search);
		return REACT_REDRAW;
	}
	if (in_tl)
		select_entry_index(u, i);
	else
		select_incident(u, i);
	n = in_tl ? (int)u->d.timeline.n : (int)u->d.incidents.n;
	for (k = 0; k < n; k++)
		if (dash_matches(&u->d, in_tl, k, u->last_search)) {
			all++;
			if (k == i)
				nth = all;
		}
	ui_message(u, 0, "/%s  match %d of %d (n next, N previous)",
	           u->last_search, nth, all);
	return REACT_REDRAW;
}

static unsigned
answer_search(struct ui *u, const char *a)
{
	if (*a != '\0')
		snprintf(u->last_search, sizeof u->last_search, "%s", a);
	return search_step(u, 1);
}

static unsigned
answer_template(struct ui *u, const char *a)
{
	char title[96], *text;
	struct itui_err err;

	if (*a == '\0')
		a = comms_default_template(&u->d.detail);
	text = dash_report(
	    &u->d,
	    UI_WORDS("update", "--template", a, "--", u->prompt.stash[0]),
	    &err);
	if (text == NULL) {
		ui_message(u, 1, "%s", err.msg);
		return REACT_NONE;
	}
	snprintf(u->pager_template, sizeof u->pager_template, "%s", a);
	u->pager_incident = u->prompt.seen.incident;
	snprintf(title, sizeof title, "Status update (%s) for INC-%lld", a,
	         seen_incident(u));
	ui_pager_open(u, title, text, 1);
	return REACT_REDRAW;
}

static unsigned
show_report(struct ui *u, int handoff)
{
	struct itui_err err;
	/* Opening the handoff is no look: l in the view confirms one. */
	char *text = dash_report(&u->d,
	                         handoff ? UI_WORDS("handoff", "--peek")
	                                 : UI_WORDS("stats", "--since", "30d"),
	                         &err);

	if (text == NULL) {
		ui_message(u, 1, "%s", err.msg);
		return REACT_NONE;
	}
	ui_pager_open(u,
	              handoff ? "Handoff (" HANDOFF_KEYS ")"
	                      : "Reports: the last 30 days",
	              text, 0);
	u->pager_handoff = handoff;
	return REACT_REDRAW;
}

/* ---- the view's actions -------------------------------------------- */

static unsigned
entry_action(struct ui *u, enum ui_action a)
{
	const struct entry *e = ui_selected_entry(u);
	char label[300], t[TIME_BUF], snip[64];

	if (e == NULL || u->focus != FOCUS_TIMELINE) {
		ui_message(u, 1, "select an entry first (Tab, then j/k)");
		return REACT_REDRAW;
	}
	if (a == UA_PIN) {
		struct cmd_seen s = ui_seen(u);

		(void)ui_verb(u, &s, 0, NULL,
		              e->pinned ? UI_WORDS("entry", "pin", "--off")
		                        : UI_WORDS("entry", "pin"));
		return REACT_REDRAW;
	}
	if (!kind_loggable(e->kind)) {
		ui_message(u, 1,
		           "%s entries are the record of a change; they cannot "
		           "be %s",
		           kind_name(e->kind),
		           a == UA_EDIT ? "edited" : "deleted");
		return REACT_REDRAW;
	}
	if (a == UA_EDIT) {
		ui_start_input(u, e);
		return REACT_REDRAW;
	}
	snprintf(snip, sizeof snip, "%.40s%s", e->text,
	         strlen(e->text) > 40 ? "…" : "");
	snprintf(label, sizeof label, "Delete entry %s \"%s\" from INC-%lld?",
	         time_format_hhmm(e->at, t), snip, (long long)e->incident_id);
	ui_confirm(u, label, answer_delete);
	return REACT_REDRAW;
}

static unsigned
main_request(struct ui *u, enum ui_action a)
{
	char label[300];
	long long id = (long long)ui_seen(u).incident;
	int page = u->focus == FOCUS_LIST ? u->list_lv.height : u->tl_lv.height;

	switch (a) {
	case UA_DOWN:
		ui_move(u, 1);
		return REACT_REDRAW;
	case UA_UP:
		ui_move(u, -1);
		return REACT_REDRAW;
	case UA_PAGE_DOWN:
		ui_move(u, page);
		return REACT_REDRAW;
	case UA_PAGE_UP:
		ui_move(u, -page);
		return REACT_REDRAW;
	case UA_HALF_DOWN:
		ui_move(u, page / 2 > 0 ? page / 2 : 1);
		return REACT_REDRAW;
	case UA_HALF_UP:
		ui_move(u, -(page / 2 > 0 ? page / 2 : 1));
		return REACT_REDRAW;
	case UA_TOP:
		ui_move(u, -1000000);
		return REACT_REDRAW;
	case UA_BOTTOM:
		ui_move(u, 1000000);
		return REACT_REDRAW;
	case UA_BACK:
		u->focus = FOCUS_LIST;
		return REACT_REDRAW;
	case UA_NEXT_PANE:
		u->focus = u->focus == FOCUS_LIST ? FOCUS_TIMELINE : FOCUS_LIST;
		if (u->focus == FOCUS_TIMELINE) {
			u->follow = 1;
			ui_refind_entry(u);
		}
		return REACT_REDRAW;
	case UA_OPEN:
		if (u->focus == FOCUS_LIST) {
			u->focus = FOCUS_TIMELINE;
			u->follow = 1;
			ui_refind_entry(u);
		} else if (ui_selected_entry(u) != NULL) {
			ui_push(u, VIEW_ENTRY);
		}
		return REACT_REDRAW;
	case UA_LOG:
		ui_start_input(u, NULL);
		return REACT_REDRAW;
	case UA_EDIT:
	case UA_PIN:
	case UA_DELETE:
		return entry_action(u, a);
	case UA_DECLARE:
		view_main_declare(u, NULL, NULL, NULL);
		return REACT_REDRAW;
	case UA_ACK:
		snprintf(label, sizeof label, "Acknowledge INC-%lld?", id);
		ui_confirm(u, label, answer_yes_ack);
		return REACT_REDRAW;
	case UA_STATUS:
		/* The next status is the usual answer: highlighted first. */
		snprintf(label, sizeof label, "Status of INC-%lld:", id);
		ui_menu(u, label, answer_status, status_choices, 6,
		        u->d.detail.status + 1 < 6 ? u->d.detail.status + 1
		                                   : 5);
		return REACT_REDRAW;
	case UA_SEVERITY:
		snprintf(label, sizeof label, "Severity of INC-%lld", id);
		ask_level(u, label, u->d.detail.severity, answer_severity);
		return REACT_REDRAW;
	case UA_ASSIGN:
		snprintf(label, sizeof label, "Role on INC-%lld:", id);
		ui_menu(u, label, answer_assign_role, role_choices, 4, 0);
		return REACT_REDRAW;
	case UA_UNASSIGN:
		ui_message(u, 1, "usage: :unassign ROLE");
		return REACT_REDRAW;
	case UA_FIELDS:
		snprintf(label, sizeof label,
		         "Field of INC-%lld (title, service, impact, summary, "
		         "root-cause):",
		         id);
		ui_ask(u, label, "", answer_field, field_choices, 5);
		return REACT_REDRAW;
	case UA_ACTION:
		view_main_ask_action(u);
		return REACT_REDRAW;
	case UA_SNAPSHOT: {
		struct cmd_seen s = ui_seen(u);

		if (!u->poller_on) {
			ui_message(u, 1, "%s",
			           u->poller_problem[0]
			               ? u->poller_problem
			               : "no metrics source configured "
			                 "([prometheus] in the config)");
			return REACT_REDRAW;
		}
		(void)ui_verb(u, &s, 0, NULL, UI_WORDS("snapshot"));
		return REACT_KICK | REACT_REDRAW;
	}
	case UA_ALERTS:
		ui_push(u, VIEW_ALERTS);
		return REACT_REDRAW;
	case UA_ACTIONS:
		ui_push(u, VIEW_ACTIONS);
		return REACT_REDRAW;
	case UA_CHECKLIST:
		ui_push(u, VIEW_CHECKLIST);
		return REACT_REDRAW;
	case UA_UPDATE: {
		char inc[32];

		snprintf(inc, sizeof inc, "INC-%lld", id);
		snprintf(label, sizeof label, "Template for INC-%lld:", id);
		ui_menu(u, label, answer_template, comms_templates, 6,
		        choice_index(comms_templates, 6,
		                     comms_default_template(&u->d.detail), 0));
		u->prompt.stash[0] = xstrdup(inc);
		return REACT_REDRAW;
	}
	case UA_HANDOFF:
		return show_report(u, 1);
	case UA_REPORTS:
		return show_report(u, 0);
	case UA_RESOLVED:
		u->d.show_resolved = !u->d.show_resolved;
		ui_message(u, 0, "%s",
		           u->d.show_resolved ? "showing resolved incidents"
		                              : "active incidents only");
		return REACT_RELOAD;
	case UA_SEARCH:
		ui_ask(u, "/", "", answer_search, NULL, 0);
		return REACT_REDRAW;
	case UA_SELECT:
		ui_message(u, 1, "usage: :select INC-N");
		return REACT_REDRAW;
	case UA_SEARCH_NEXT:
		return search_step(u, 1);
	case UA_SEARCH_PREV:
		return search_step(u, -1);
	default:
		return REACT_UNHANDLED;
	}
}

static void
main_reload(struct ui *u)
{
	ui_refind_entry(u);
}

const struct view_ops view_main_ops = {
    .id = VIEW_MAIN,
    .reload = main_reload,
    .layout = main_layout,
    .draw = main_draw,
    .request = main_request,
};
