/*
 * keymap.h - the dashboard's actions, the view each belongs to, and their
 * key bindings.
 *
 * Contract: UI_ACTIONS is the one table of actions: their enum, the view
 * they belong to, their names (also the `:` words and the [keys] names),
 * default keys and help text.  The help overlay, the footer, the `:`
 * command line and the man page's key list all come from, or are checked
 * against, it.  Actions of VIEW_ANY work in every view unless the view in
 * front binds the key to one of its own: a view's keymap falls back to the
 * generic one, as tig's do.  Keys are abstract codes (Unicode code points,
 * or KEYC_* above the Unicode range) so this module needs no curses.  A
 * struct keymap is built once on the main thread and read-only afterwards.
 */
#ifndef ITUI_KEYMAP_H
#define ITUI_KEYMAP_H

#include <stddef.h>
#include <stdint.h>

#include "itui/config.h"
#include "itui/err.h"

enum keycode {
	KEYC_BASE = 0x110000,
	KEYC_UP,
	KEYC_DOWN,
	KEYC_LEFT,
	KEYC_RIGHT,
	KEYC_HOME,
	KEYC_END,
	KEYC_PGUP,
	KEYC_PGDN,
	KEYC_DELETE,
	KEYC_BACKSPACE,
	KEYC_BTAB,
	KEYC_F1,
	KEYC_RESIZE,
	KEYC_MOUSE,
	KEYC_PASTE_START, /* bracketed paste: what comes between is text */
	KEYC_PASTE_END,
	KEYC_SGR_MOUSE, /* an SGR mouse report follows (ui.c reads it) */
};

/* Control keys are their C0 codes. */
#define KEYC_CTRL(c) ((c)&0x1f)
#define KEYC_ENTER   '\n'
#define KEYC_TAB     '\t'
#define KEYC_ESC     0x1b

/* X(enum, name) of the views; the name is [keys.NAME]. */
#define UI_VIEWS(X)               \
	X(ANY, "any")             \
	X(MAIN, "main")           \
	X(ENTRY, "entry")         \
	X(HELP, "help")           \
	X(ALERTS, "alerts")       \
	X(ACTIONS, "actions")     \
	X(PAGER, "pager")         \
	X(CHECKLIST, "checklist") \
	X(CONFLICT, "conflict")

enum ui_view {
#define UI_VIEW_ENUM(e, name) VIEW_##e,
	UI_VIEWS(UI_VIEW_ENUM)
#undef UI_VIEW_ENUM
	    VIEW_COUNT
};

extern const char *const ui_view_names[VIEW_COUNT];

/* Where an action applies. */
enum {
	ACT_ANY = 0,
	ACT_INCIDENT = 1 << 0, /* needs a shown incident */
	ACT_ENTRY = 1 << 1,    /* needs a selected timeline entry */
	ACT_WRITES = 1 << 2,   /* changes the database */
	ACT_FOOTER = 1 << 3,   /* listed in the view's footer */
};

/* X(enum, view, name, default keys, flags, help) */
#define UI_ACTIONS(X)                                                          \
	X(DOWN, ANY, "down", "j Down", ACT_ANY, "move the selection down")     \
	X(UP, ANY, "up", "k Up", ACT_ANY, "move the selection up")             \
	X(PAGE_DOWN, ANY, "page-down", "C-f PageDown Space", ACT_ANY,          \
	  "one page down")                                                     \
	X(PAGE_UP, ANY, "page-up", "C-b PageUp", ACT_ANY, "one page up")       \
	X(HALF_DOWN, ANY, "half-down", "C-d", ACT_ANY, "half a page down")     \
	X(HALF_UP, ANY, "half-up", "C-u", ACT_ANY, "half a page up")           \
	X(TOP, ANY, "top", "g Home", ACT_ANY, "go to the first line")          \
	X(BOTTOM, ANY, "bottom", "G End", ACT_ANY, "go to the last line")      \
	X(BACK, ANY, "back", "Esc", ACT_ANY, "back, close, cancel")            \
	X(COMMAND, ANY, "command", ":", ACT_ANY, "command line")               \
	X(HELP, ANY, "help", "? F1", ACT_FOOTER, "help for the view in front") \
	X(REDRAW, ANY, "redraw", "C-l", ACT_ANY, "redraw the screen")          \
	X(QUIT, ANY, "quit", "q", ACT_FOOTER,                                  \
	  "quit (in an overlay: close it)")                                    \
	X(NEXT_PANE, MAIN, "next-pane", "Tab", ACT_FOOTER,                     \
	  "switch between the incident list and the timeline")                 \
	X(OPEN, MAIN, "open", "Enter", ACT_ANY,                                \
	  "open the selected incident, or show the selected entry")            \
	X(LOG, MAIN, "log", "i", ACT_INCIDENT | ACT_WRITES | ACT_FOOTER,       \
	  "type timeline entries")                                             \
	X(EDIT, MAIN, "edit", "e", ACT_ENTRY | ACT_WRITES,                     \
	  "edit the selected entry (the old text is kept)")                    \
	X(PIN, MAIN, "pin", "p", ACT_ENTRY | ACT_WRITES,                       \
	  "pin or unpin the entry")                                            \
	X(DELETE, MAIN, "delete", "d", ACT_ENTRY | ACT_WRITES,                 \
	  "delete the entry (kept in history)")                                \
	X(DECLARE, MAIN, "declare", "D", ACT_WRITES | ACT_FOOTER,              \
	  "declare a new incident")                                            \
	X(ACK, MAIN, "ack", "a", ACT_INCIDENT | ACT_WRITES | ACT_FOOTER,       \
	  "acknowledge")                                                       \
	X(STATUS, MAIN, "status", "s", ACT_INCIDENT | ACT_WRITES | ACT_FOOTER, \
	  "change status")                                                     \
	X(SEVERITY, MAIN, "severity", "v",                                     \
	  ACT_INCIDENT | ACT_WRITES | ACT_FOOTER, "change severity")           \
	X(ASSIGN, MAIN, "assign", "r", ACT_INCIDENT | ACT_WRITES | ACT_FOOTER, \
	  "assign a role")                                                     \
	X(UNASSIGN, MAIN, "unassign", "", ACT_INCIDENT | ACT_WRITES,           \
	  "leave a role unfilled")                                             \
	X(FIELDS, MAIN, "fields", "E", ACT_INCIDENT | ACT_WRITES,              \
	  "edit a field: title, service, impact, summary, root cause")         \
	X(ACTION, MAIN, "action", "t", ACT_INCIDENT | ACT_WRITES,              \
	  "add an action item")                                                \
	X(SNAPSHOT, MAIN, "snapshot", "m", ACT_INCIDENT,                       \
	  "take a metrics snapshot now")                                       \
	X(ALERTS, MAIN, "alerts", "A", ACT_ANY,                                \
	  "firing alerts; Enter declares an incident from one")                \
	X(ACTIONS, MAIN, "actions", "T", ACT_INCIDENT,                         \
	  "the incident's action items")                                       \
	X(CHECKLIST, MAIN, "checklist", "K", ACT_INCIDENT,                     \
	  "the playbook's checklist: tick, untick, skip steps")                \
	X(UPDATE, MAIN, "update", "u", ACT_INCIDENT,                           \
	  "draft a status update from a template")                             \
	X(HANDOFF, MAIN, "handoff", "H", ACT_ANY, "the shift-handoff summary") \
	X(REPORTS, MAIN, "reports", "S", ACT_ANY,                              \
	  "statistics of the last 30 days")                                    \
	X(RESOLVED, MAIN, "resolved", "R", ACT_ANY,                            \
	  "show or hide resolved incidents")                                   \
	X(SEARCH, MAIN, "search", "/", ACT_FOOTER,                             \
	  "search the timeline or the list (matches are underlined)")          \
	X(SEARCH_NEXT, MAIN, "next-match", "n", ACT_ANY,                       \
	  "the next match of the last search")                                 \
	X(SEARCH_PREV, MAIN, "previous-match", "N", ACT_ANY,                   \
	  "the previous match of the last search")                             \
	X(SELECT, MAIN, "select", "", ACT_ANY, "select an incident by id")     \
	X(ENTRY_EDIT, ENTRY, "edit", "e", ACT_ENTRY | ACT_WRITES | ACT_FOOTER, \
	  "edit this entry")                                                   \
	X(ENTRY_PIN, ENTRY, "pin", "p", ACT_ENTRY | ACT_WRITES | ACT_FOOTER,   \
	  "pin or unpin this entry")                                           \
	X(ENTRY_DELETE, ENTRY, "delete", "d",                                  \
	  ACT_ENTRY | ACT_WRITES | ACT_FOOTER, "delete this entry")            \
	X(ALERT_OPEN, ALERTS, "open", "Enter n", ACT_FOOTER,                   \
	  "declare an incident from the alert, or go to its incident")         \
	X(AL_SILENCE, ALERTS, "silence", "s", ACT_FOOTER,                      \
	  "silence the alert in Alertmanager for a while")                     \
	X(AL_EXPIRE, ALERTS, "expire", "S", ACT_FOOTER,                        \
	  "expire the alert's silence")                                        \
	X(AL_ATTACH, ALERTS, "attach", "a", ACT_WRITES | ACT_FOOTER,           \
	  "attach the alert to an incident")                                   \
	X(ACT_DONE, ACTIONS, "done", "x", ACT_WRITES | ACT_FOOTER,             \
	  "mark the item done")                                                \
	X(ACT_DROP, ACTIONS, "drop", "D", ACT_WRITES | ACT_FOOTER,             \
	  "mark the item dropped")                                             \
	X(ACT_OWNER, ACTIONS, "owner", "o", ACT_WRITES | ACT_FOOTER,           \
	  "change the owner")                                                  \
	X(ACT_DUE, ACTIONS, "due", "w", ACT_WRITES | ACT_FOOTER,               \
	  "change the due date")                                               \
	X(ACT_EDIT, ACTIONS, "edit", "e", ACT_WRITES | ACT_FOOTER,             \
	  "change the text")                                                   \
	X(ACT_ADD, ACTIONS, "add", "t", ACT_WRITES | ACT_FOOTER,               \
	  "add an action item")                                                \
	X(CK_TICK, CHECKLIST, "tick", "x Enter", ACT_WRITES | ACT_FOOTER,      \
	  "tick the step (done)")                                              \
	X(CK_UNTICK, CHECKLIST, "untick", "u", ACT_WRITES | ACT_FOOTER,        \
	  "open the step again")                                               \
	X(CK_SKIP, CHECKLIST, "skip", "s", ACT_WRITES | ACT_FOOTER,            \
	  "skip the step, with a reason")                                      \
	X(PG_COPY, PAGER, "copy", "c", ACT_FOOTER,                             \
	  "a status update: send it to the terminal's clipboard (OSC 52)")     \
	X(PG_WRITE, PAGER, "write", "w", ACT_FOOTER,                           \
	  "a status update: write it to a file")                               \
	X(PG_EDIT, PAGER, "edit", "e", ACT_FOOTER,                             \
	  "a status update: edit it in $EDITOR")                               \
	X(PG_SENT, PAGER, "mark-sent", "s", ACT_WRITES | ACT_FOOTER,           \
	  "a status update: log it as sent (the update clock restarts)")       \
	X(PG_LOOK, PAGER, "look", "l", ACT_WRITES | ACT_FOOTER,                \
	  "the handoff summary: count it as read (the next one starts now)")   \
	X(PG_SINCE, PAGER, "since", "t", ACT_FOOTER,                           \
	  "the handoff summary: the changes since when (a menu)")              \
	X(CF_MINE, CONFLICT, "keep-mine", "m", ACT_WRITES | ACT_FOOTER,        \
	  "save your text over theirs (both stay in the history)")             \
	X(CF_THEIRS, CONFLICT, "keep-theirs", "t", ACT_FOOTER,                 \
	  "drop your text and keep theirs")                                    \
	X(CF_AGAIN, CONFLICT, "edit-again", "e", ACT_FOOTER,                   \
	  "edit your text again, starting from theirs")

enum ui_action {
	ACTION_NONE = -1,
#define UI_ACTION_ENUM(e, view, name, keys, flags, help) UA_##e,
	UI_ACTIONS(UI_ACTION_ENUM)
#undef UI_ACTION_ENUM
	    UA_COUNT
};

struct action_info {
	enum ui_view view;
	const char *name;
	const char *default_keys;
	unsigned flags;
	const char *help;
};

extern const struct action_info ui_actions[UA_COUNT];

#define KEYMAP_MAX 96

/* One view's bindings; the generic view's are the fallback. */
struct keymap_view {
	uint32_t key[KEYMAP_MAX];
	enum ui_action action[KEYMAP_MAX];
	size_t n;
};

struct keymap {
	struct keymap_view v[VIEW_COUNT];
};

void keymap_init(struct keymap *km);
/*
 * Applies the [keys] lines ("ACTION = KEY [KEY...]", the main view and the
 * generic actions) and [keys.VIEW] lines (config.c keeps them as
 * "VIEW.ACTION"): each replaces that action's keys in its view.  A key
 * another action of the same view holds is a file:line error.
 */
enum itui_code keymap_apply(struct keymap *km, const char *file,
                            const struct config_pair *pairs, size_t n,
                            struct itui_err *err);
/* The action a key runs in a view (its own, else a generic one). */
enum ui_action keymap_lookup(const struct keymap *km, enum ui_view view,
                             uint32_t key);
/* The keys bound to an action in a view, as "j Down" ("" when none). */
void keymap_describe(const struct keymap *km, enum ui_view view,
                     enum ui_action a, char *buf, size_t size);
/* "i log  n declare  ? help" from the view's ACT_FOOTER actions. */
void keymap_footer(const struct keymap *km, enum ui_view view, char *buf,
                   size_t size);
/* By name in a view (its own first, then generic); ACTION_NONE if none. */
enum ui_action action_by_name(enum ui_view view, const char *name);
/* Whether an action is offered in a view (its own, or generic). */
int action_in_view(enum ui_action a, enum ui_view view);

/* "C-l", "PageDown", "j" <-> codes. 0 when the name is unknown. */
uint32_t keyc_parse(const char *name);
void keyc_name(uint32_t key, char *buf, size_t size);

#endif
