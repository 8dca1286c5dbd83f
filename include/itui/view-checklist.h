/*
 * view-checklist.h - the shown incident's playbook checklist: every phase
 * and step, who ticked it and when; tick, untick, skip with a reason.
 *
 * Contract: main thread only; part of the interface (ui.h), the only
 * layer that calls curses.  It reads the model through dash.h and changes
 * things only through the verb layer (`check`).
 */
#ifndef ITUI_VIEW_CHECKLIST_H
#define ITUI_VIEW_CHECKLIST_H

#include "itui/ui.h"

extern const struct view_ops view_checklist_ops;

#endif
