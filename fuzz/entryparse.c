/* Fuzz target: the grammar of a line typed into the timeline input. */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "itui/entryparse.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct parsed_entry e;
	char *line;

	if (size < 1)
		return 0;
	line = fuzz_cstr(data + 1, size - 1);
	if (entryparse(line, (enum entry_kind)(data[0] % 3), &e) == 0) {
		/* The text points into the line. */
		if (e.text < line || e.text > line + strlen(line))
			abort();
	}
	free(line);
	return 0;
}
