/*
 * view-entry.h - one timeline entry in full, with its earlier revisions.
 *
 * Contract: main thread only; part of the interface (ui.h), the only
 * layer that calls curses.  It reads the model through dash.h and changes
 * things only through the verb layer.
 */
#ifndef ITUI_VIEW_ENTRY_H
#define ITUI_VIEW_ENTRY_H

#include "itui/ui.h"

extern const struct view_ops view_entry_ops;

#endif
