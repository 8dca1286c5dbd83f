/*
 * view-entry.c - one timeline entry in full, word-wrapped, with the texts
 * it had before each edit.
 */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "itui/strbuf.h"
#include "itui/timeutil.h"
#include "itui/view-entry.h"
#include "itui/view-main.h"

static void
entry_open(struct ui *u)
{
	const struct entry *e = ui_selected_entry(u);
	struct itui_err err;

	entry_list_free(&u->revisions);
	memset(&u->revisions, 0, sizeof u->revisions);
	if (e != NULL && e->revision > 1 &&
	    dash_entry_revisions(&u->d, e->id, &u->revisions, &err) != ITUI_OK)
		ui_message(u, 1, "%s", err.msg);
	u->help_top = 0;
}

static void
entry_close(struct ui *u)
{
	entry_list_free(&u->revisions);
	memset(&u->revisions, 0, sizeof u->revisions);
}

static void
entry_draw(const struct ui *u)
{
	const struct entry *e = ui_selected_entry(u);
	struct strbuf sb = STRBUF_INIT;
	char t1[TIME_BUF], t2[TIME_BUF], head[256];
	struct rect r;
	size_t i;

	if (e == NULL) {
		ui_overlay(u, " The entry is gone (deleted?) ", &r);
		return;
	}
	snprintf(head, sizeof head, " %s by %s at %s (logged %s)%s%s ",
	         kind_name(e->kind), e->author, time_format_local(e->at, t1),
	         time_format_hhmm(e->recorded_at, t2),
	         e->pinned ? ", pinned" : "",
	         e->revision > 1 ? ", edited" : "");
	ui_overlay(u, head, &r);
	strbuf_addstr(&sb, e->text);
	/* The history, oldest first: what it said, and who replaced it. */
	for (i = 0; i < u->revisions.n; i++) {
		const struct entry *v = &u->revisions.v[i];

		strbuf_addf(&sb,
		            "\n\n--- revision %d (%s), replaced by %s at "
		            "%s:\n",
		            v->revision, kind_name(v->kind),
		            v->author ? v->author : "?",
		            time_format_local(v->recorded_at, t1));
		strbuf_addstr(&sb, v->text);
	}
	ui_wrap(&r, strbuf_str(&sb), u->help_top);
	strbuf_free(&sb);
}

static unsigned
entry_request(struct ui *u, enum ui_action a)
{
	int pos = ui_scroll(a, u->help_top, 10000, ui_overlay_rows(u));

	if (pos >= 0) {
		u->help_top = pos;
		return REACT_REDRAW;
	}
	switch (a) {
	case UA_ENTRY_EDIT:
	case UA_ENTRY_PIN:
	case UA_ENTRY_DELETE: {
		static const enum ui_action main_of[] = {UA_EDIT, UA_PIN,
		                                         UA_DELETE};
		enum ui_action m = main_of[a - UA_ENTRY_EDIT];

		ui_pop(u);
		u->focus = FOCUS_TIMELINE;
		return view_main_ops.request(u, m);
	}
	default:
		return REACT_UNHANDLED;
	}
}

const struct view_ops view_entry_ops = {
    .id = VIEW_ENTRY,
    .open = entry_open,
    .close = entry_close,
    .reload = entry_open,
    .draw = entry_draw,
    .request = entry_request,
};
