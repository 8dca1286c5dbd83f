/*
 * Fuzz target: every time a person or a server gives: --at, --due,
 * durations, RFC 3339 and the fixed clock; a time accepted by --at or --due
 * must fall in the window.
 */
#include <stdlib.h>

#include "fuzz.h"
#include "itui/timeutil.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const int64_t now = 1795000000;
	struct itui_err err;
	char *s = fuzz_cstr(data, size), buf[TIME_BUF];
	int64_t t;
	long ns;

	if (time_parse_at(s, now, &t, &err) == ITUI_OK) {
		if (!time_in_window(t))
			abort();
		time_format_local(t, buf);
	}
	if (time_parse_due(s, now, &t, &err) == ITUI_OK) {
		if (!time_in_window(t))
			abort();
		time_format_iso(t, buf);
	}
	if (time_parse_duration(s, &t) == 0) {
		time_format_span(t, buf);
		time_format_clock(t, buf);
		time_format_age(t, buf);
		time_format_duration(t, buf);
	}
	(void)time_parse_rfc3339(s, &t, &ns);
	if (time_parse_now(s, &t, &err) == ITUI_OK && !time_in_window(t))
		abort();
	free(s);
	return 0;
}
