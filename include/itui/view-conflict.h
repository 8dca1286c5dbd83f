/*
 * view-conflict.h - an edit refused because someone else changed the text
 * first: both texts, and the choice.
 *
 * Contract: main thread only; part of the interface (ui.h), the only
 * layer that calls curses.  It reads the model through dash.h and changes
 * things only through the verb layer.
 */
#ifndef ITUI_VIEW_CONFLICT_H
#define ITUI_VIEW_CONFLICT_H

#include "itui/ui.h"

extern const struct view_ops view_conflict_ops;

/* An entry edit refused: mine is the text that was typed (copied). */
void view_conflict_start(struct ui *u, int64_t entry_id, const char *mine,
                         const char *why);
/* A field edit refused. */
void view_conflict_field(struct ui *u, int64_t incident_id, int field,
                         const char *mine, const char *why);
void view_conflict_clear(struct ui *u);

#endif
