/*
 * entryparse.h - the grammar of a line typed into the timeline input:
 *
 *   [TIME ] [TODO: | DECISION: | ACTION: | COMMS: | ESCALATION: | NOTE: ] text
 *
 * A leading TIME (HH:MM, HH:MM:SS, -5m, -1h30m: the --at grammar, see
 * time_is_at_word()) backdates the entry; "TODO:" makes an action item of
 * the rest; the other prefixes make an entry of that kind whatever kind the
 * line was set to (prefixes in any letter case).
 * Pure; any thread.
 */
#ifndef ITUI_ENTRYPARSE_H
#define ITUI_ENTRYPARSE_H

#include "itui/model.h"

struct parsed_entry {
	int has_time;
	char
	    at[24]; /* the leading time's word ("09:05", "-5m") when has_time */
	enum entry_kind kind;
	int is_todo;      /* an action item rather than an entry */
	const char *text; /* into the input, trimmed at the front */
};

/*
 * Parses `line` with `kind` as the kind chosen in the input line.  Returns
 * 0, or -1 when nothing but a time and a prefix (or nothing) was typed.
 */
int entryparse(const char *line, enum entry_kind kind,
               struct parsed_entry *out);

#endif
