/*
 * sanitize.c - the single gate between stored text and any terminal.
 *
 * Curses draws ESC and other C0/C1 controls as ^X, but \r, \b, \n and \t move
 * its cursor and bidi overrides pass straight through, and nothing protects
 * text we print outside curses.  So every string from the database, an alert
 * label or an HTTP body passes through sanitize_append() on its way out.
 */
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include "itui/sanitize.h"
#include "itui/xalloc.h"

size_t
utf8_decode(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t c, min;
	size_t n, i;

	if (len == 0) {
		*cp = 0xFFFD;
		return 1;
	}
	c = u[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
		c &= 0x1F;
		min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		c &= 0x0F;
		min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		c &= 0x07;
		min = 0x10000;
	} else {
		*cp = 0xFFFD;
		return 1;
	}
	if (len < n) {
		*cp = 0xFFFD;
		return 1;
	}
	for (i = 1; i < n; i++) {
		if ((u[i] & 0xC0) != 0x80) {
			*cp = 0xFFFD;
			return 1;
		}
		c = (c << 6) | (u[i] & 0x3F);
	}
	/* Overlong forms, surrogates and out-of-range values are invalid. */
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
		*cp = 0xFFFD;
		return 1;
	}
	*cp = c;
	return n;
}

size_t
utf8_encode(uint32_t cp, char *buf)
{
	if (cp < 0x80) {
		buf[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		buf[0] = (char)(0xC0 | (cp >> 6));
		buf[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		buf[0] = (char)(0xE0 | (cp >> 12));
		buf[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		buf[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	buf[0] = (char)(0xF0 | (cp >> 18));
	buf[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	buf[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	buf[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

int
codepoint_width(uint32_t cp)
{
	int w;

	if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0))
		return 0;
	w = wcwidth((wchar_t)cp);
	if (w >= 0)
		return w;
	/*
	 * Outside a UTF-8 locale wcwidth() knows nothing beyond ASCII; guess
	 * from the East Asian wide blocks rather than drawing nothing.
	 */
	if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
	    (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
	    (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
	    (cp >= 0xFFE0 && cp <= 0xFFE6) ||
	    (cp >= 0x1F300 && cp <= 0x1FAFF) ||
	    (cp >= 0x20000 && cp <= 0x3FFFD))
		return 2;
	return 1;
}

enum cp_class { CP_PLAIN, CP_DROP, CP_ESCAPE, CP_NEWLINE, CP_TAB };

static enum cp_class
classify(uint32_t cp)
{
	if (cp == '\n' || cp == 0x2028 || cp == 0x2029)
		return CP_NEWLINE;
	if (cp == '\t')
		return CP_TAB;
	if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
		return CP_ESCAPE;
	/* Bidi marks, embeddings, overrides and isolates: show them. */
	if (cp == 0x061C || cp == 0x200E || cp == 0x200F ||
	    (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069))
		return CP_ESCAPE;
	/* Zero-width characters, BOM, tags and noncharacters: drop. */
	if ((cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF ||
	    (cp >= 0xE0000 && cp <= 0xE007F) || cp == 0xFFFE || cp == 0xFFFF)
		return CP_DROP;
	return CP_PLAIN;
}

/* The visible stand-in for a control: ^X for C0 and DEL, <U+XXXX> otherwise. */
static size_t
escape_form(uint32_t cp, char *buf, size_t size)
{
	if (cp < 0x20)
		return (size_t)snprintf(buf, size, "^%c", (char)(cp + 0x40));
	if (cp == 0x7F)
		return (size_t)snprintf(buf, size, "^?");
	return (size_t)snprintf(buf, size, "<U+%04X>", (unsigned)cp);
}

/* One pass; sets *cut when a cap stopped it before the end of the input. */
static size_t
sanitize_run(struct strbuf *out, const char *in, size_t len, unsigned flags,
             size_t col_cap, size_t byte_cap, int *cut)
{
	size_t i = 0, cols = 0, start = out->len;

	*cut = 0;
	while (i < len) {
		char piece[16];
		size_t plen, w;
		uint32_t cp;

		i += utf8_decode(in + i, len - i, &cp);
		switch (classify(cp)) {
		case CP_DROP:
			continue;
		case CP_NEWLINE:
			if (flags & SAN_MULTILINE) {
				if (byte_cap &&
				    out->len - start + 1 > byte_cap) {
					*cut = 1;
					return cols;
				}
				strbuf_addch(out, '\n');
				cols = 0;
				continue;
			}
			piece[0] = ' ';
			plen = w = 1;
			break;
		case CP_TAB:
			piece[0] = ' ';
			plen = w = 1;
			break;
		case CP_ESCAPE:
			plen = escape_form(cp, piece, sizeof piece);
			w = plen;
			break;
		default:
			plen = utf8_encode(cp, piece);
			w = (size_t)codepoint_width(cp);
			break;
		}
		if ((col_cap && cols + w > col_cap) ||
		    (byte_cap && out->len - start + plen > byte_cap)) {
			*cut = 1;
			return cols;
		}
		strbuf_add(out, piece, plen);
		cols += w;
	}
	return cols;
}

size_t
sanitize_append(struct strbuf *out, const char *in, size_t len, unsigned flags,
                size_t max_cols, size_t max_bytes)
{
	size_t start = out->len, cols;
	int cut;

	if (in == NULL)
		return 0;
	cols = sanitize_run(out, in, len, flags, max_cols, max_bytes, &cut);
	if (!cut || !(flags & SAN_ELLIPSIS))
		return cols;
	/* It did not fit: again, leaving room for the ellipsis. */
	out->len = start;
	if (out->buf != NULL)
		out->buf[start] = '\0';
	if (max_cols == 1 || (max_bytes && max_bytes < 3))
		return 0;
	cols = sanitize_run(out, in, len, flags, max_cols ? max_cols - 1 : 0,
	                    max_bytes ? max_bytes - 3 : 0, &cut);
	strbuf_addstr(out, "\xe2\x80\xa6");
	return cols + 1;
}

char *
sanitize_line(const char *s, size_t max_cols)
{
	struct strbuf sb = STRBUF_INIT;

	if (s != NULL)
		sanitize_append(&sb, s, strlen(s), SAN_ELLIPSIS, max_cols, 0);
	return strbuf_detach(&sb);
}

size_t
text_width(const char *s)
{
	size_t i = 0, len = strlen(s), w = 0;
	uint32_t cp;

	while (i < len) {
		i += utf8_decode(s + i, len - i, &cp);
		w += (size_t)codepoint_width(cp);
	}
	return w;
}

char *
utf8_repair(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i = 0, len = strlen(s);

	while (i < len) {
		char piece[4];
		uint32_t cp;
		size_t n = utf8_decode(s + i, len - i, &cp);

		strbuf_add(&sb, piece, utf8_encode(cp, piece));
		i += n;
	}
	return strbuf_detach(&sb);
}
