/*
 * view-actions.c - every action item of the shown incident: mark done or
 * dropped, change the owner, due date or text, add one.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "itui/timeutil.h"
#include "itui/view-actions.h"
#include "itui/view-main.h"
#include "itui/xalloc.h"

static void
actions_reload(struct ui *u)
{
	struct itui_err err;

	action_list_free(&u->act_rows);
	memset(&u->act_rows, 0, sizeof u->act_rows);
	if (u->d.have_detail &&
	    dash_actions(&u->d, u->d.detail.id, &u->act_rows, &err) != ITUI_OK)
		ui_message(u, 1, "%s", err.msg);
	if (u->act_sel >= (int)u->act_rows.n)
		u->act_sel = u->act_rows.n > 0 ? (int)u->act_rows.n - 1 : 0;
}

static void
actions_open(struct ui *u)
{
	u->act_sel = 0;
	actions_reload(u);
}

static void
actions_close(struct ui *u)
{
	action_list_free(&u->act_rows);
	memset(&u->act_rows, 0, sizeof u->act_rows);
}

static void
actions_draw(const struct ui *u)
{
	int64_t now = context_now();
	char title[96];
	struct rect r;
	int y, top = 0;
	size_t i;

	snprintf(title, sizeof title, " Action items of INC-%lld ",
	         (long long)u->d.detail.id);
	ui_overlay(u, title, &r);
	if (u->act_rows.n == 0) {
		ui_put(r.y, r.x, r.w, "No action items yet; t adds one.",
		       ui_color(u, PAIR_DIM));
		return;
	}
	if (u->act_sel >= r.h)
		top = u->act_sel - (r.h - 1);
	for (i = (size_t)top, y = r.y; i < u->act_rows.n && y < r.y + r.h;
	     i++, y++) {
		const struct action_item *a = &u->act_rows.v[i];
		unsigned long sel = (int)i == u->act_sel ? A_REVERSE : 0;
		char head[64], due[TIME_BUF] = "-", t[TIME_BUF];
		int x = r.x, overdue = a->state == ACTION_OPEN &&
		                       a->due_at != TIME_NONE &&
		                       a->due_at < now;

		if (a->due_at != TIME_NONE)
			snprintf(due, sizeof due, "%.10s",
			         time_format_local(a->due_at, t));
		ui_fill(y, r.x - 1, r.x + r.w + 1, sel);
		snprintf(head, sizeof head, "ACT-%lld %-8s %-10s ",
		         (long long)a->id, action_state_name(a->state), due);
		x += ui_put(y, x, r.w, head, sel);
		if (overdue)
			x += ui_put(y, x, 9, "OVERDUE ",
			            sel | ui_color(u, PAIR_BREACH) | A_BOLD);
		x += ui_put(y, x, 14, a->owner ? a->owner : "(no owner)", sel) +
		     1;
		ui_put(y, x, r.x + r.w - x, a->text, sel);
	}
}

static unsigned
answer_item_field(struct ui *u, const char *a)
{
	const char *opt = u->prompt.stash[0];

	if (*a == '\0')
		return REACT_NONE;
	(void)ui_verb(u, &u->prompt.seen, 0, NULL,
	              UI_WORDS("action", "edit", opt, a));
	return REACT_RELOAD;
}

static unsigned
actions_request(struct ui *u, enum ui_action a)
{
	const struct action_item *ai =
	    u->act_rows.n > 0 ? &u->act_rows.v[u->act_sel] : NULL;
	struct cmd_seen s = ui_seen(u);
	char label[160];
	int pos =
	    ui_scroll(a, u->act_sel, (int)u->act_rows.n, ui_overlay_rows(u));

	if (pos >= 0) {
		u->act_sel = pos;
		return REACT_REDRAW;
	}
	if (a == UA_ACT_ADD) {
		view_main_ask_action(u);
		return REACT_REDRAW;
	}
	if (a != UA_ACT_DONE && a != UA_ACT_DROP && a != UA_ACT_OWNER &&
	    a != UA_ACT_DUE && a != UA_ACT_EDIT)
		return REACT_UNHANDLED;
	if (ai == NULL) {
		ui_message(u, 1, "no action item selected");
		return REACT_REDRAW;
	}
	if (a == UA_ACT_DONE || a == UA_ACT_DROP) {
		(void)ui_verb(u, &s, 0, NULL,
		              a == UA_ACT_DONE ? UI_WORDS("action", "done")
		                               : UI_WORDS("action", "drop"));
		return REACT_RELOAD;
	}
	if (a == UA_ACT_OWNER)
		ui_load_people(u);
	snprintf(label, sizeof label, "%s of ACT-%lld%s:",
	         a == UA_ACT_OWNER ? "Owner"
	         : a == UA_ACT_DUE ? "Due (YYYY-MM-DD, +3d)"
	                           : "Text",
	         (long long)ai->id,
	         a == UA_ACT_OWNER ? " (Tab completes)" : "");
	ui_ask(u, label, a == UA_ACT_EDIT ? ai->text : "", answer_item_field,
	       NULL, 0);
	u->prompt.stash[0] = xstrdup(a == UA_ACT_OWNER ? "--owner"
	                             : a == UA_ACT_DUE ? "--due"
	                                               : "--text");
	return REACT_REDRAW;
}

const struct view_ops view_actions_ops = {
    .id = VIEW_ACTIONS,
    .open = actions_open,
    .close = actions_close,
    .reload = actions_reload,
    .draw = actions_draw,
    .request = actions_request,
};
