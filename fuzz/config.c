/* Fuzz target: the configuration file. */
#include "fuzz.h"
#include "itui/config.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config c;
	struct itui_err err;

	if (config_load(fuzz_file(data, size, ".conf"), &c, &err) == ITUI_OK)
		config_free(&c);
	return 0;
}
