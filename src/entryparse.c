/* entryparse.c - reads the timeline input line's small grammar. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "itui/entryparse.h"

static const char *
skip_space(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

int
entryparse(const char *line, enum entry_kind kind, struct parsed_entry *out)
{
	const char *s = skip_space(line);
	int h, m;

	memset(out, 0, sizeof *out);
	out->kind = kind;
	/* "9:05 " or "09:05 " followed by text. */
	if (isdigit((unsigned char)s[0])) {
		int n = isdigit((unsigned char)s[1]) ? 2 : 1;

		if (s[n] == ':' && isdigit((unsigned char)s[n + 1]) &&
		    isdigit((unsigned char)s[n + 2]) &&
		    (s[n + 3] == ' ' || s[n + 3] == '\t') &&
		    sscanf(s, "%d:%d", &h, &m) == 2 && h >= 0 && h < 24 &&
		    m >= 0 && m < 60) {
			out->has_time = 1;
			out->hhmm[0] = (char)('0' + h / 10);
			out->hhmm[1] = (char)('0' + h % 10);
			out->hhmm[2] = ':';
			out->hhmm[3] = (char)('0' + m / 10);
			out->hhmm[4] = (char)('0' + m % 10);
			out->hhmm[5] = '\0';
			s = skip_space(s + n + 3);
		}
	}
	if (strncasecmp(s, "TODO:", 5) == 0) {
		out->is_todo = 1;
		s = skip_space(s + 5);
	} else if (strncasecmp(s, "DECISION:", 9) == 0) {
		out->kind = KIND_DECISION;
		s = skip_space(s + 9);
	}
	out->text = s;
	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	return *s == '\0' ? -1 : 0;
}
