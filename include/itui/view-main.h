/*
 * view-main.h - the incident list and the shown incident, with the flows that
 * change it.
 *
 * Contract: main thread only; part of the interface (ui.h), the only
 * layer that calls curses.  It reads the model through dash.h and changes
 * things only through the verb layer.
 */
#ifndef ITUI_VIEW_MAIN_H
#define ITUI_VIEW_MAIN_H

#include "itui/ui.h"

extern const struct view_ops view_main_ops;

/* A mouse click at (y, x) on the list or the timeline. */
void view_main_click(struct ui *u, int y, int x);
/*
 * Starts the declare flow; from an alert, with its title, the level its
 * severity maps to (or NULL to ask) and its id (AL-N).
 */
void view_main_declare(struct ui *u, const char *title, const char *level,
                       const char *alert_ref);
/* Asks for a new action item on the shown incident. */
void view_main_ask_action(struct ui *u);

#endif
