/* err.c - the error record and the code table behind exit statuses. */
#include <stdio.h>
#include <string.h>

#include "itui/err.h"

static const struct {
	const char *name;
	int status;
} codes[] = {
#define ITUI_CODE_ROW(name, status, desc) {#name, status},
    ITUI_CODES(ITUI_CODE_ROW)
#undef ITUI_CODE_ROW
};

enum itui_code
err_setv(struct itui_err *err, enum itui_code code, const char *fmt, va_list ap)
{
	if (err != NULL) {
		err->code = code;
		vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	}
	return code;
}

enum itui_code
err_set(struct itui_err *err, enum itui_code code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_setv(err, code, fmt, ap);
	va_end(ap);
	return code;
}

void
err_clear(struct itui_err *err)
{
	err->code = ITUI_OK;
	err->msg[0] = '\0';
}

enum itui_code
err_prefix(struct itui_err *err, enum itui_code code, const char *prefix)
{
	char old[sizeof err->msg];

	if (err == NULL)
		return code;
	/* Copy first: formatting err->msg into itself would overlap. */
	memcpy(old, err->msg, sizeof old);
	return err_set(err, code, "%s: %s", prefix, old);
}

int
err_exit_status(enum itui_code code)
{
	if ((unsigned)code >= ITUI_CODE_COUNT)
		return 1;
	return codes[code].status;
}

const char *
err_code_name(enum itui_code code)
{
	if ((unsigned)code >= ITUI_CODE_COUNT)
		return "UNKNOWN";
	return codes[code].name;
}
