/* Fuzz target: a severity policy file. */
#include "fuzz.h"
#include "itui/policy.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct policy *p;
	struct itui_err err;

	if (policy_load(fuzz_file(data, size, ".ini"), &p, &err) == ITUI_OK) {
		(void)policy_level_list(p);
		(void)policy_rank(p, "P1");
		policy_free(p);
	}
	return 0;
}
