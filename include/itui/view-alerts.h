/*
 * view-alerts.h - the firing alerts; declare an incident from one.
 *
 * Contract: main thread only; part of the interface (ui.h), the only
 * layer that calls curses.  It reads the model through dash.h and changes
 * things only through the verb layer.
 */
#ifndef ITUI_VIEW_ALERTS_H
#define ITUI_VIEW_ALERTS_H

#include "itui/ui.h"

extern const struct view_ops view_alerts_ops;

#endif
