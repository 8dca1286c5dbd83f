/*
 * view-help.c - the help for the view below it: every action it answers,
 * with the keys the live keymap gives it (a rebound key shows as rebound).
 */
#include <curses.h>
#include <stdio.h>

#include "itui/view-help.h"

static const char *const input_help[] = {
    "",
    "In the input line (i):",
    "  Enter logs, Esc cancels, Tab cycles the kind",
    "  HH:MM at the start backdates the entry",
    "  TODO: makes an action item, DECISION: a decision",
    "  C-a C-e C-u C-k C-w: start, end, kill back, kill on, word",
    "",
    "Commands (:) run every verb by name, on the incident shown, e.g.:",
    "  :status monitoring   :severity P1   :assign ic alice",
    "  :impact EU checkout down   :log text   :select 12   :q",
    "  :help VERB shows a verb's options",
};

/* The view the help is for. */
static enum ui_view
below(const struct ui *u)
{
	return u->depth >= 2 ? u->stack[u->depth - 2] : VIEW_MAIN;
}

static int
help_lines(const struct ui *u)
{
	int a, n = 1;

	for (a = 0; a < UA_COUNT; a++)
		n += action_in_view((enum ui_action)a, below(u));
	if (below(u) == VIEW_MAIN)
		n += (int)(sizeof input_help / sizeof input_help[0]);
	return n;
}

static void
help_open(struct ui *u)
{
	u->help_top = 0;
}

static void
help_draw(const struct ui *u)
{
	enum ui_view v = below(u);
	char keys[64], row[300], title[96];
	struct rect r;
	int a, line = 0, y;
	size_t i;

	snprintf(title, sizeof title,
	         " Help: %s (rebind in [keys%s%s] of the config) ",
	         ui_view_names[v], v == VIEW_MAIN ? "" : ".",
	         v == VIEW_MAIN ? "" : ui_view_names[v]);
	ui_overlay(u, title, &r);
	for (a = 0; a < UA_COUNT; a++) {
		if (!action_in_view((enum ui_action)a, v))
			continue;
		y = r.y + line++ - u->help_top;
		if (y < r.y || y >= r.y + r.h)
			continue;
		keymap_describe(&u->km, v, (enum ui_action)a, keys,
		                sizeof keys);
		snprintf(row, sizeof row, "%-16s %-12s %s",
		         keys[0] ? keys : "(: only)", ui_actions[a].name,
		         ui_actions[a].help);
		ui_put(y, r.x, r.w, row, A_NORMAL);
	}
	if (v != VIEW_MAIN)
		return;
	for (i = 0; i < sizeof input_help / sizeof input_help[0]; i++) {
		y = r.y + line++ - u->help_top;
		if (y >= r.y && y < r.y + r.h)
			ui_put(y, r.x, r.w, input_help[i],
			       input_help[i][0] != ' ' ? A_BOLD : A_NORMAL);
	}
}

static unsigned
help_request(struct ui *u, enum ui_action a)
{
	int pos = ui_scroll(a, u->help_top, help_lines(u), ui_overlay_rows(u));

	if (pos < 0)
		return REACT_UNHANDLED;
	u->help_top = pos;
	return REACT_REDRAW;
}

const struct view_ops view_help_ops = {
    .id = VIEW_HELP,
    .open = help_open,
    .draw = help_draw,
    .request = help_request,
};
