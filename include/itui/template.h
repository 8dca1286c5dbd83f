/*
 * template.h - renders text templates with {{placeholder}} substitution.
 *
 * Contract: pure; any thread.  A placeholder is {{name}} (spaces inside the
 * braces allowed); "\{{" writes a literal "{{".  The lookup callback appends
 * a placeholder's value and returns 0, or returns -1 for a name it does not
 * know.  An unknown name, an empty one or an unterminated "{{" fails with
 * "FILE:LINE: what is wrong"; nothing partial is returned.
 */
#ifndef ITUI_TEMPLATE_H
#define ITUI_TEMPLATE_H

#include "itui/err.h"
#include "itui/strbuf.h"

typedef int (*tmpl_lookup)(void *ctx, const char *name, struct strbuf *out);

enum itui_code tmpl_render(const char *file, const char *text,
                           tmpl_lookup lookup, void *ctx, struct strbuf *out,
                           struct itui_err *err);

/* Reads a template file (at most 256 KiB). Free it. */
enum itui_code tmpl_read(const char *path, char **text, struct itui_err *err);

#endif
