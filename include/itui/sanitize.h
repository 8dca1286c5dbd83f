/*
 * sanitize.h - make untrusted text inert before it reaches a terminal.
 *
 * Contract: one per-character pass (never a sequence matcher, so an
 * unterminated escape cannot desynchronise it).  UTF-8 is decoded leniently:
 * each invalid byte becomes U+FFFD and the rest of the string is kept.  C0
 * controls, DEL and C1 controls become visible caret/<U+XXXX> escapes;
 * bidirectional controls become visible <U+XXXX>; zero-width characters and
 * tag characters are dropped.  Newlines are kept only with SAN_MULTILINE.
 * The output is capped by display columns and by bytes.  Pure functions, any
 * thread; the caller owns the strbuf.  Raw text stays raw in the database:
 * this runs at the render boundary and at every plain-text output.
 */
#ifndef ITUI_SANITIZE_H
#define ITUI_SANITIZE_H

#include <stddef.h>
#include <stdint.h>

#include "itui/strbuf.h"

enum {
	SAN_MULTILINE = 1 << 0, /* keep '\n' (and map U+2028/2029 to it) */
	SAN_ELLIPSIS = 1 << 1,  /* end a cut string with "…" inside the cap */
};

/*
 * Appends the inert form of in[0..len) to out, using at most max_cols display
 * columns per line (0: no limit) and at most max_bytes bytes (0: no limit).
 * Returns the number of display columns used on the last line.
 */
size_t sanitize_append(struct strbuf *out, const char *in, size_t len,
                       unsigned flags, size_t max_cols, size_t max_bytes);

/* Convenience: a new, inert, single-line copy of s (NULL -> ""). Free it. */
char *sanitize_line(const char *s, size_t max_cols);

/*
 * Decodes one UTF-8 sequence at s[0..len) into *cp; returns the bytes used
 * (>= 1).  An invalid or truncated sequence yields U+FFFD and consumes 1.
 */
size_t utf8_decode(const char *s, size_t len, uint32_t *cp);
/* Encodes cp as UTF-8 into buf (4 bytes room); returns the length. */
size_t utf8_encode(uint32_t cp, char *buf);
/* Display columns of a code point as the terminal will draw it (0, 1 or 2). */
int codepoint_width(uint32_t cp);
/*
 * A copy of s with each invalid UTF-8 byte replaced by U+FFFD and nothing
 * else changed (for JSON, which must be valid UTF-8). Free it.
 */
char *utf8_repair(const char *s);
/* Display columns of a sanitised single-line string. */
size_t text_width(const char *s);

#endif
