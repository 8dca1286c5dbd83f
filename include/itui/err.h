/*
 * err.h - error codes and the error record every fallible call fills in.
 *
 * Contract: a function that can fail takes a `struct itui_err *` last, returns
 * an `enum itui_code` (ITUI_OK on success) and, on failure, leaves one complete
 * human sentence in err->msg, without a trailing newline or program name.  The
 * code decides the exit status (2 for usage/input, 1 for operational
 * failures).  Any thread may use these; a struct itui_err belongs to its
 * caller and holds no heap memory.
 */
#ifndef ITUI_ERR_H
#define ITUI_ERR_H

#include <stdarg.h>

/* X(name, exit status, short description) */
#define ITUI_CODES(X)                                \
	X(OK, 0, "success")                          \
	X(USAGE, 2, "bad usage")                     \
	X(INPUT, 2, "bad input")                     \
	X(NOTFOUND, 2, "no such record")             \
	X(NOTDB, 2, "not an incident-tui database")  \
	X(BUSY, 1, "database busy")                  \
	X(CONFLICT, 1, "changed by someone else")    \
	X(READONLY, 1, "database is read-only")      \
	X(IO, 1, "input/output failure")             \
	X(CORRUPT, 1, "database damaged")            \
	X(NEWER, 1, "database from a newer version") \
	X(CONFIG, 2, "bad configuration")            \
	X(INTERNAL, 1, "internal error")

enum itui_code {
#define ITUI_CODE_ENUM(name, status, desc) ITUI_##name,
	ITUI_CODES(ITUI_CODE_ENUM)
#undef ITUI_CODE_ENUM
	    ITUI_CODE_COUNT
};

struct itui_err {
	enum itui_code code;
	char msg[512];
};

/* Sets err (if not NULL) and returns code, so callers can `return
 * err_set(...)`. */
enum itui_code err_set(struct itui_err *err, enum itui_code code,
                       const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
enum itui_code err_setv(struct itui_err *err, enum itui_code code,
                        const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
void err_clear(struct itui_err *err);
/* Puts "prefix: " before the message already in err and sets its code. */
enum itui_code err_prefix(struct itui_err *err, enum itui_code code,
                          const char *prefix);

/* The process exit status for a code: 0, 1 or 2. */
int err_exit_status(enum itui_code code);
const char *err_code_name(enum itui_code code);

#endif
