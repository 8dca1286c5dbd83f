/* Fuzz target: a playbook (or runbook) file. */
#include "fuzz.h"
#include "itui/playbook.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct playbook *pb;
	struct itui_err err;

	if (playbook_load(fuzz_file(data, size, ".ini"), &pb, &err) == ITUI_OK)
		playbook_free(pb);
	return 0;
}
