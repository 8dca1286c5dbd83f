/* fuzz_util.c - helpers of the fuzz targets (see fuzz.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"

char *
fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

static char path[128];

static void
remove_file(void)
{
	unlink(path);
}

const char *
fuzz_file(const uint8_t *data, size_t size, const char *suffix)
{
	static int registered;
	FILE *f;

	if (!registered) {
		atexit(remove_file);
		registered = 1;
	}
	snprintf(path, sizeof path, "/tmp/itui-fuzz-%d%s", (int)getpid(),
	         suffix);
	f = fopen(path, "wb");
	if (f == NULL)
		abort();
	if (size > 0 && fwrite(data, 1, size, f) != size)
		abort();
	fclose(f);
	return path;
}
