/*
 * view-help.h - the keys of the view below it, from the live keymap.
 *
 * Contract: main thread only; part of the interface (ui.h), the only
 * layer that calls curses.  It reads the model through dash.h and changes
 * things only through the verb layer.
 */
#ifndef ITUI_VIEW_HELP_H
#define ITUI_VIEW_HELP_H

#include "itui/ui.h"

extern const struct view_ops view_help_ops;

#endif
