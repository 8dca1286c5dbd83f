/*
 * view-checklist.c - the playbook's checklist of the shown incident: each
 * phase with its state, each step with who closed it and when; x ticks, u
 * opens again, s skips with a reason (all through the `check` verb, so the
 * other dashboards see it at once).
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "itui/timeutil.h"
#include "itui/view-checklist.h"
#include "itui/xalloc.h"

static void
checklist_open(struct ui *u)
{
	u->ck_sel = 0;
}

static void
checklist_draw(const struct ui *u)
{
	struct cl_row *rows = NULL;
	char title[96], line[400], t[TIME_BUF];
	struct rect r;
	size_t n, i;
	int y, top = 0;

	snprintf(title, sizeof title, " Checklist of INC-%lld ",
	         (long long)u->d.detail.id);
	ui_overlay(u, title, &r);
	if (!u->d.have_checklist) {
		ui_put(r.y, r.x, r.w,
		       "No playbook for this incident's level (a level names "
		       "one with playbook = NAME).",
		       ui_color(u, PAIR_DIM));
		return;
	}
	n = checklist_rows(&u->d.checklist, &rows);
	/* Each phase takes a header row above its first step. */
	if (u->ck_sel * 2 >= r.h)
		top = u->ck_sel - r.h / 2;
	for (i = (size_t)top, y = r.y; i < n && y < r.y + r.h; i++) {
		const struct cl_row *row = &rows[i];
		unsigned long sel = (int)i == u->ck_sel ? A_REVERSE : 0;
		unsigned long attr = A_NORMAL;
		const char *mark = strcmp(row->state, "done") == 0      ? "[x]"
		                   : strcmp(row->state, "skipped") == 0 ? "[-]"
		                   : strcmp(row->state, "overdue") == 0 ? "[!]"
		                                                        : "[ ]";

		if (row->phase != NULL) {
			snprintf(line, sizeof line, "%s (%s)", row->phase,
			         row->phase_state);
			ui_put(y++, r.x, r.w, line, A_BOLD);
			if (y >= r.y + r.h)
				break;
		}
		if (strcmp(row->state, "overdue") == 0)
			attr = ui_color(u, PAIR_BREACH) | A_BOLD;
		else if (strcmp(row->state, "open") != 0)
			attr = ui_color(u, PAIR_DIM);
		snprintf(line, sizeof line, "%s %2d %s%s%s%s%s%s%s%s", mark,
		         row->num, row->text, row->role ? " (" : "",
		         row->role ? row->role : "", row->role ? ")" : "",
		         row->who ? " - " : "", row->who ? row->who : "",
		         row->when != TIME_NONE ? " " : "",
		         row->when != TIME_NONE ? time_format_hhmm(row->when, t)
		                                : "");
		ui_fill(y, r.x - 1, r.x + r.w + 1, sel);
		y++;
		ui_put(y - 1, r.x, r.w, line, sel | attr);
		if (row->reason != NULL && y < r.y + r.h) {
			snprintf(line, sizeof line, "       skipped: %s",
			         row->reason);
			ui_put(y++, r.x, r.w, line, ui_color(u, PAIR_DIM));
		}
	}
	free(rows);
}

/* The number of the selected step, or 0. */
static int
selected_step(const struct ui *u)
{
	struct cl_row *rows = NULL;
	size_t n = checklist_rows(&u->d.checklist, &rows);
	int num =
	    u->ck_sel >= 0 && (size_t)u->ck_sel < n ? rows[u->ck_sel].num : 0;

	free(rows);
	return num;
}

static unsigned
answer_skip(struct ui *u, const char *reason)
{
	if (*reason == '\0') {
		ui_message(u, 1,
		           "a skipped step needs a reason; nothing changed");
		return REACT_REDRAW;
	}
	(void)ui_verb(u, &u->prompt.seen, 0, NULL,
	              UI_WORDS("check", u->prompt.stash[0], "--skip", reason));
	return REACT_RELOAD;
}

static unsigned
checklist_request(struct ui *u, enum ui_action a)
{
	struct cmd_seen s = ui_seen(u);
	char num[16], label[96];
	int n = u->d.have_checklist ? (int)u->d.checklist.nsteps : 0;
	int pos = ui_scroll(a, u->ck_sel, n, ui_overlay_rows(u) / 2);

	if (pos >= 0) {
		u->ck_sel = pos;
		return REACT_REDRAW;
	}
	if (a != UA_CK_TICK && a != UA_CK_UNTICK && a != UA_CK_SKIP)
		return REACT_UNHANDLED;
	if (n == 0 || selected_step(u) == 0) {
		ui_message(u, 1, "no step selected");
		return REACT_REDRAW;
	}
	snprintf(num, sizeof num, "%d", selected_step(u));
	if (a == UA_CK_SKIP) {
		snprintf(label, sizeof label,
		         "Why skip step %s of INC-%lld? (a reason is needed)",
		         num, (long long)s.incident);
		ui_ask(u, label, "", answer_skip, NULL, 0);
		u->prompt.stash[0] = xstrdup(num);
		return REACT_REDRAW;
	}
	(void)ui_verb(u, &s, 0, NULL,
	              a == UA_CK_TICK ? UI_WORDS("check", num)
	                              : UI_WORDS("check", num, "--undo"));
	return REACT_RELOAD;
}

const struct view_ops view_checklist_ops = {
    .id = VIEW_CHECKLIST,
    .open = checklist_open,
    .draw = checklist_draw,
    .request = checklist_request,
};
