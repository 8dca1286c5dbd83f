/*
 * Fuzz target: the {{placeholder}} renderer, with a lookup that knows a few
 * names (one of them expanding to text with braces of its own).
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "itui/template.h"

static int
lookup(void *ctx, const char *name, struct strbuf *out)
{
	(void)ctx;
	if (strcmp(name, "title") == 0)
		strbuf_addstr(out, "a {{title}} with }} braces");
	else if (strcmp(name, "id") == 0)
		strbuf_addstr(out, "INC-1");
	else if (strcmp(name, "empty") != 0)
		return -1;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf out = STRBUF_INIT;
	struct itui_err err;
	char *text = fuzz_cstr(data, size);

	(void)tmpl_render("fuzz.tmpl", text, lookup, NULL, &out, &err);
	strbuf_free(&out);
	free(text);
	return 0;
}
