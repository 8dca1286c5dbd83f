/*
 * view-pager.h - a scrollable text: a report, a verb's output, or a status
 * update that can be copied, written, edited and marked sent.
 *
 * Contract: main thread only; part of the interface (ui.h), the only
 * layer that calls curses.  It reads the model through dash.h and changes
 * things only through the verb layer.
 */
#ifndef ITUI_VIEW_PAGER_H
#define ITUI_VIEW_PAGER_H

#include "itui/ui.h"

extern const struct view_ops view_pager_ops;

/* The handoff summary's own keys, named in its title. */
#define HANDOFF_KEYS "t: since, l: count it as read"

#endif
