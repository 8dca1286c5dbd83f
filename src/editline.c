/* editline.c - UTF-8 aware line editing, character by character. */
#include <stdlib.h>
#include <string.h>

#include "itui/editline.h"
#include "itui/keymap.h"
#include "itui/sanitize.h"
#include "itui/xalloc.h"

static void
reserve(struct editline *el, size_t extra)
{
	if (el->len + extra + 1 <= el->cap)
		return;
	el->cap = (el->len + extra + 1) * 2;
	el->buf = xreallocarray(el->buf, el->cap, 1);
}

void
editline_set(struct editline *el, const char *text)
{
	size_t n = text != NULL ? strlen(text) : 0;

	el->len = 0;
	reserve(el, n);
	if (n > 0)
		memcpy(el->buf, text, n);
	el->len = el->cursor = n;
	el->buf[n] = '\0';
}

void
editline_free(struct editline *el)
{
	free(el->buf);
	memset(el, 0, sizeof *el);
}

const char *
editline_text(const struct editline *el)
{
	return el->buf != NULL ? el->buf : "";
}

int
editline_insert_n(struct editline *el, const char *s, size_t n)
{
	if (el->buf == NULL)
		editline_set(el, "");
	if (el->max > 0 && (n > el->max || el->len > el->max - n))
		return -1;
	reserve(el, n);
	memmove(el->buf + el->cursor + n, el->buf + el->cursor,
	        el->len - el->cursor + 1);
	memcpy(el->buf + el->cursor, s, n);
	el->len += n;
	el->cursor += n;
	return 0;
}

int
editline_insert_str(struct editline *el, const char *s)
{
	return editline_insert_n(el, s, strlen(s));
}

int
editline_insert(struct editline *el, uint32_t cp)
{
	char u[5] = {0};

	return editline_insert_n(el, u, utf8_encode(cp, u));
}

/* Byte offset of the character before / after `at`. */
static size_t
prev_char(const struct editline *el, size_t at)
{
	if (at == 0)
		return 0;
	at--;
	while (at > 0 && ((unsigned char)el->buf[at] & 0xC0) == 0x80)
		at--;
	return at;
}

static size_t
next_char(const struct editline *el, size_t at)
{
	uint32_t cp;

	if (at >= el->len)
		return el->len;
	return at + utf8_decode(el->buf + at, el->len - at, &cp);
}

static void
delete_range(struct editline *el, size_t from, size_t to)
{
	if (to <= from)
		return;
	memmove(el->buf + from, el->buf + to, el->len - to + 1);
	el->len -= to - from;
	if (el->cursor > to)
		el->cursor -= to - from;
	else if (el->cursor > from)
		el->cursor = from;
}

static int
is_space_at(const struct editline *el, size_t at)
{
	return el->buf[at] == ' ' || el->buf[at] == '\t';
}

int
editline_key(struct editline *el, uint32_t key)
{
	size_t p;

	if (el->buf == NULL)
		editline_set(el, "");
	switch (key) {
	case KEYC_LEFT:
	case KEYC_CTRL('b'):
		el->cursor = prev_char(el, el->cursor);
		return 1;
	case KEYC_RIGHT:
	case KEYC_CTRL('f'):
		el->cursor = next_char(el, el->cursor);
		return 1;
	case KEYC_HOME:
	case KEYC_CTRL('a'):
		el->cursor = 0;
		return 1;
	case KEYC_END:
	case KEYC_CTRL('e'):
		el->cursor = el->len;
		return 1;
	case KEYC_BACKSPACE:
	case KEYC_CTRL('h'):
	case 0x7f:
		delete_range(el, prev_char(el, el->cursor), el->cursor);
		return 1;
	case KEYC_DELETE:
	case KEYC_CTRL('d'):
		delete_range(el, el->cursor, next_char(el, el->cursor));
		return 1;
	case KEYC_CTRL('u'):
		delete_range(el, 0, el->cursor);
		return 1;
	case KEYC_CTRL('k'):
		delete_range(el, el->cursor, el->len);
		return 1;
	case KEYC_CTRL('w'):
		p = el->cursor;
		while (p > 0 && is_space_at(el, prev_char(el, p)))
			p = prev_char(el, p);
		while (p > 0 && !is_space_at(el, prev_char(el, p)))
			p = prev_char(el, p);
		delete_range(el, p, el->cursor);
		return 1;
	}
	if (key >= 0x20 && key != 0x7f && key < 0x110000 &&
	    !(key >= 0x80 && key < 0xa0))
		return editline_insert(el, key) == 0 ? 1 : -1;
	return 0;
}

static size_t
width_between(const struct editline *el, size_t from, size_t to)
{
	size_t w = 0;

	while (from < to) {
		uint32_t cp;

		from += utf8_decode(el->buf + from, el->len - from, &cp);
		w += (size_t)codepoint_width(cp);
	}
	return w;
}

size_t
editline_cursor_col(const struct editline *el)
{
	return el->buf != NULL ? width_between(el, 0, el->cursor) : 0;
}

size_t
editline_cols_from(const struct editline *el, size_t start)
{
	return el->buf != NULL && start <= el->cursor
	           ? width_between(el, start, el->cursor)
	           : 0;
}

size_t
editline_view_start(const struct editline *el, size_t width)
{
	size_t start, w = 0;

	if (el->buf == NULL || width < 2)
		return 0;
	/*
	 * Keep the cursor inside the field, with room for one more column:
	 * walk back from the cursor over at most a field's width of text, so
	 * the cost is the field's, not the line's.
	 */
	start = el->cursor;
	while (start > 0) {
		size_t p = prev_char(el, start);
		uint32_t cp;

		utf8_decode(el->buf + p, el->len - p, &cp);
		if (w + (size_t)codepoint_width(cp) >= width)
			break;
		w += (size_t)codepoint_width(cp);
		start = p;
	}
	return start;
}
