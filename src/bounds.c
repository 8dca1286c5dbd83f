/* bounds.c - the limits of fields, checked before anything is stored. */
#include <string.h>

#include "itui/bounds.h"

enum itui_code
bounds_text(const char *what, const char *s, size_t max, struct itui_err *err)
{
	if (s != NULL && strlen(s) > max)
		return err_set(err, ITUI_INPUT,
		               "%s is longer than %zu bytes (%zu)", what, max,
		               strlen(s));
	return ITUI_OK;
}

enum itui_code
bounds_line(const char *what, const char *s, size_t max, struct itui_err *err)
{
	const unsigned char *p;

	if (bounds_text(what, s, max, err) != ITUI_OK)
		return err->code;
	for (p = (const unsigned char *)s; p != NULL && *p != '\0'; p++) {
		/* Other controls are stored and shown inert (sanitize.h). */
		if (*p == '\n' || *p == '\r' || *p == '\v' || *p == '\f')
			return err_set(err, ITUI_INPUT,
			               "%s must be one line (it holds a line "
			               "break)",
			               what);
	}
	return ITUI_OK;
}

enum itui_code
bounds_name(const char *what, const char *s, struct itui_err *err)
{
	const unsigned char *p;

	if (s == NULL || *s == '\0')
		return err_set(err, ITUI_INPUT, "%s is empty", what);
	if (strlen(s) > BOUND_NAME)
		return err_set(err, ITUI_INPUT, "%s is longer than %d bytes",
		               what, BOUND_NAME);
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p <= ' ' || *p == 0x7f)
			return err_set(err, ITUI_INPUT,
			               "%s must be one word: no blank, line "
			               "break or control character",
			               what);
	return ITUI_OK;
}

enum itui_code
bounds_field(enum inc_field f, const char *value, struct itui_err *err)
{
	switch (f) {
	case FIELD_TITLE:
		return bounds_line("the title", value, BOUND_TITLE, err);
	case FIELD_SERVICE:
		return bounds_line("the service", value, BOUND_SERVICE, err);
	case FIELD_IMPACT:
		return bounds_text("the impact", value, BOUND_IMPACT, err);
	default:
		return bounds_text(field_name(f), value, BOUND_TEXT, err);
	}
}
