/*
 * keymap.h - the dashboard's actions and their key bindings.
 *
 * Contract: UI_ACTIONS is the one table of actions: their enum, their names
 * (which are also the `:` commands), default keys and help text.  The help
 * overlay, the `:` command line and the man page's key list all come from,
 * or are checked against, it.  Keys are abstract codes (Unicode code points,
 * or KEYC_* above the Unicode range) so this module needs no curses; the
 * interface translates.  A struct keymap is built once on the main thread
 * and read-only afterwards.
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
};

/* Control keys are their C0 codes. */
#define KEYC_CTRL(c) ((c)&0x1f)
#define KEYC_ENTER   '\n'
#define KEYC_TAB     '\t'
#define KEYC_ESC     0x1b

/* Where an action applies. */
enum {
	ACT_ANY = 0,
	ACT_INCIDENT = 1 << 0, /* needs a selected incident */
	ACT_ENTRY = 1 << 1,    /* needs a selected timeline entry */
	ACT_WRITES = 1 << 2,   /* changes the database */
};

/* X(enum, name, default keys, flags, help) */
#define UI_ACTIONS(X)                                                          \
	X(DOWN, "down", "j Down", ACT_ANY, "move the selection down")          \
	X(UP, "up", "k Up", ACT_ANY, "move the selection up")                  \
	X(PAGE_DOWN, "page-down", "C-f PageDown", ACT_ANY, "one page down")    \
	X(PAGE_UP, "page-up", "C-b PageUp", ACT_ANY, "one page up")            \
	X(TOP, "top", "g Home", ACT_ANY, "go to the first line")               \
	X(BOTTOM, "bottom", "G End", ACT_ANY, "go to the last line")           \
	X(NEXT_PANE, "next-pane", "Tab", ACT_ANY,                              \
	  "switch between the incident list and the timeline")                 \
	X(OPEN, "open", "Enter", ACT_ANY,                                      \
	  "open the selected incident, or show the selected entry")            \
	X(BACK, "back", "Esc", ACT_ANY, "back, cancel")                        \
	X(LOG, "log", "i", ACT_INCIDENT | ACT_WRITES, "type a timeline entry") \
	X(EDIT, "edit", "e", ACT_ENTRY | ACT_WRITES,                           \
	  "edit the selected entry (the old text is kept)")                    \
	X(PIN, "pin", "p", ACT_ENTRY | ACT_WRITES, "pin or unpin the entry")   \
	X(DELETE, "delete", "d", ACT_ENTRY | ACT_WRITES,                       \
	  "delete the entry (kept in history)")                                \
	X(DECLARE, "declare", "n", ACT_WRITES, "declare a new incident")       \
	X(ACK, "ack", "a", ACT_INCIDENT | ACT_WRITES, "acknowledge")           \
	X(STATUS, "status", "s", ACT_INCIDENT | ACT_WRITES, "change status")   \
	X(SEVERITY, "severity", "v", ACT_INCIDENT | ACT_WRITES,                \
	  "change severity")                                                   \
	X(ASSIGN, "assign", "r", ACT_INCIDENT | ACT_WRITES, "assign a role")   \
	X(UNASSIGN, "unassign", "", ACT_INCIDENT | ACT_WRITES,                 \
	  "leave a role unfilled")                                             \
	X(ACTION, "action", "t", ACT_INCIDENT | ACT_WRITES,                    \
	  "add an action item")                                                \
	X(SNAPSHOT, "snapshot", "m", ACT_INCIDENT,                             \
	  "take a metrics snapshot now")                                       \
	X(ALERTS, "alerts", "A", ACT_ANY,                                      \
	  "firing alerts; Enter declares an incident from one")                \
	X(ACTIONS, "actions", "T", ACT_INCIDENT,                               \
	  "action items: x done, D dropped, o owner, w due, e edit")           \
	X(UPDATE, "update", "u", ACT_INCIDENT,                                 \
	  "draft a status update from a template")                             \
	X(HANDOFF, "handoff", "H", ACT_ANY, "the shift-handoff summary")       \
	X(REPORTS, "reports", "S", ACT_ANY, "statistics of the last 30 days")  \
	X(RESOLVED, "resolved", "R", ACT_ANY,                                  \
	  "show or hide resolved incidents")                                   \
	X(SEARCH, "search", "/", ACT_ANY,                                      \
	  "search the timeline or the list (Enter alone: next match)")         \
	X(SELECT, "select", "", ACT_ANY, "select an incident by id")           \
	X(COMMAND, "command", ":", ACT_ANY, "command line")                    \
	X(HELP, "help", "? F1", ACT_ANY, "this help")                          \
	X(REDRAW, "redraw", "C-l", ACT_ANY, "redraw the screen")               \
	X(QUIT, "quit", "q", ACT_ANY, "quit")

enum ui_action {
	ACTION_NONE = -1,
#define UI_ACTION_ENUM(e, name, keys, flags, help) UA_##e,
	UI_ACTIONS(UI_ACTION_ENUM)
#undef UI_ACTION_ENUM
	    UA_COUNT
};

struct action_info {
	const char *name;
	const char *default_keys;
	unsigned flags;
	const char *help;
};

extern const struct action_info ui_actions[UA_COUNT];

#define KEYMAP_MAX 160

struct keymap {
	uint32_t key[KEYMAP_MAX];
	enum ui_action action[KEYMAP_MAX];
	size_t n;
};

void keymap_init(struct keymap *km);
/* Applies [keys] lines: "ACTION = KEY [KEY...]" replaces that action's keys. */
enum itui_code keymap_apply(struct keymap *km, const char *file,
                            const struct config_pair *pairs, size_t n,
                            struct itui_err *err);
enum ui_action keymap_lookup(const struct keymap *km, uint32_t key);
/* The keys bound to an action, as "j Down" ("" when none). */
void keymap_describe(const struct keymap *km, enum ui_action a, char *buf,
                     size_t size);
/* By name (the `:` command); ACTION_NONE when unknown. */
enum ui_action action_by_name(const char *name);

/* "C-l", "PageDown", "j" <-> codes. 0 when the name is unknown. */
uint32_t keyc_parse(const char *name);
void keyc_name(uint32_t key, char *buf, size_t size);

#endif
