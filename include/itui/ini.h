/*
 * ini.h - a small INI reader shared by the policy and the config loaders.
 *
 * Contract: lines are `[section]`, `[section arg]`, `key = value`, blank, or
 * comments starting with ';' or '#'; a ';' or '#' after white space ends a
 * value.  The handler is called once per section header (key == NULL) and
 * once per key, in file order, with strings valid only during the call.  A
 * handler that returns non-zero with a message in `why` stops the parse, and
 * the error becomes "FILE:LINE: why".  Pure apart from reading the file; any
 * thread.
 */
#ifndef ITUI_INI_H
#define ITUI_INI_H

#include <stddef.h>

#include "itui/err.h"

struct ini_item {
	const char *section; /* "" before the first header */
	const char *arg;     /* "error_rate" in [query error_rate], or "" */
	const char *key;     /* NULL on a section header */
	const char *value;
	int line;
};

typedef int (*ini_handler)(void *ctx, const struct ini_item *item, char *why,
                           size_t whylen);

enum itui_code ini_parse_file(const char *path, ini_handler handler, void *ctx,
                              struct itui_err *err);
enum itui_code ini_parse_buffer(const char *name, const char *buf, size_t len,
                                ini_handler handler, void *ctx,
                                struct itui_err *err);

#endif
