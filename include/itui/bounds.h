/*
 * bounds.h - the documented limits of what a person may put in a field,
 * checked where the words arrive (the verbs, the global options), so each
 * bad value is refused with one line naming the field and the limit.
 *
 * Contract: pure functions, any thread; each returns ITUI_OK or ITUI_INPUT
 * with err naming `what`.  The limits are the man page's (FIELD LIMITS).
 */
#ifndef ITUI_BOUNDS_H
#define ITUI_BOUNDS_H

#include <stddef.h>

#include "itui/err.h"
#include "itui/model.h"

#define BOUND_NAME    64          /* a user, commander, owner or role holder */
#define BOUND_TITLE   300         /* an incident's title: one line */
#define BOUND_SERVICE 128         /* the affected service: one line */
#define BOUND_IMPACT  4096        /* who or what is affected */
#define BOUND_TEXT    (64 * 1024) /* entries, summary, root cause */

/* A name: not empty, at most BOUND_NAME bytes, no blank or control. */
enum itui_code bounds_name(const char *what, const char *s,
                           struct itui_err *err);
/* One line of at most max bytes: no line break (\n, \r, \v, \f). */
enum itui_code bounds_line(const char *what, const char *s, size_t max,
                           struct itui_err *err);
/* Text of at most max bytes (newlines allowed). */
enum itui_code bounds_text(const char *what, const char *s, size_t max,
                           struct itui_err *err);
/* An incident field's new value, by the field's limit. */
enum itui_code bounds_field(enum inc_field f, const char *value,
                            struct itui_err *err);

#endif
