/* entryparse.c - reads the timeline input line's small grammar. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "itui/entryparse.h"
#include "itui/timeutil.h"

static const char *
skip_space(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* The prefixes a line may start with, and what each makes. */
static const struct {
	const char *word;
	enum entry_kind kind;
	int todo;
} prefixes[] = {
    {"TODO:", KIND_ACTION, 1},           {"DECISION:", KIND_DECISION, 0},
    {"ACTION:", KIND_ACTION, 0},         {"COMMS:", KIND_COMMS, 0},
    {"ESCALATION:", KIND_ESCALATION, 0}, {"NOTE:", KIND_NOTE, 0},
};

int
entryparse(const char *line, enum entry_kind kind, struct parsed_entry *out)
{
	const char *s = skip_space(line);
	size_t n = strcspn(s, " \t"), i;

	memset(out, 0, sizeof *out);
	out->kind = kind;
	/* "9:05 ", "09:05:30 " or "-5m " followed by text. */
	if (s[n] != '\0' && n < sizeof out->at && time_is_at_word(s, n)) {
		out->has_time = 1;
		memcpy(out->at, s, n);
		out->at[n] = '\0';
		s = skip_space(s + n);
	}
	for (i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
		size_t len = strlen(prefixes[i].word);

		if (strncasecmp(s, prefixes[i].word, len) != 0)
			continue;
		out->is_todo = prefixes[i].todo;
		if (!out->is_todo)
			out->kind = prefixes[i].kind;
		s = skip_space(s + len);
		break;
	}
	out->text = s;
	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	return *s == '\0' ? -1 : 0;
}
