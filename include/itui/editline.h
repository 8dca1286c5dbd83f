/*
 * editline.h - a one-line UTF-8 text editor (the timeline input line, the
 * prompts and the `:` command line).
 *
 * Contract: pure; the owner frees the buffer with editline_free().  The
 * cursor is a byte offset that always sits on a character boundary; every
 * edit moves by whole characters, so a wide or multi-byte character is never
 * split.  Every operation costs time in proportion to the text it moves or
 * the columns it draws, never to the square of the text (a 1 MB paste must
 * not freeze the loop).  `max` (0: none) caps the text in bytes: an insert
 * that would pass it is refused whole.  Main thread.
 */
#ifndef ITUI_EDITLINE_H
#define ITUI_EDITLINE_H

#include <stddef.h>
#include <stdint.h>

struct editline {
	char *buf;
	size_t len;
	size_t cap;
	size_t cursor;
	size_t max; /* bytes, 0 for no limit; kept by editline_set() */
};

void editline_set(struct editline *el, const char *text);
void editline_free(struct editline *el);
const char *editline_text(const struct editline *el);
/* Returns 0, or -1 (nothing inserted) when the text would pass el->max. */
int editline_insert(struct editline *el, uint32_t cp);
int editline_insert_str(struct editline *el, const char *s);
int editline_insert_n(struct editline *el, const char *s, size_t n);

/*
 * Handles an editing key (arrows, Home/End, Backspace, Delete, C-a, C-e,
 * C-b, C-f, C-h, C-d, C-u, C-k, C-w) or a printable character.  Returns 1
 * when the key was used, -1 when a character was refused by el->max.
 */
int editline_key(struct editline *el, uint32_t key);

/* Display columns from the start of the text to the cursor. */
size_t editline_cursor_col(const struct editline *el);
/* Display columns from byte offset `start` to the cursor. */
size_t editline_cols_from(const struct editline *el, size_t start);
/*
 * The byte offset to start drawing from so that the cursor is visible in a
 * field `width` columns wide (horizontal scrolling).
 */
size_t editline_view_start(const struct editline *el, size_t width);

#endif
