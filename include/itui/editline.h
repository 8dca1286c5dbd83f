/*
 * editline.h - a one-line UTF-8 text editor (the timeline input line, the
 * prompts and the `:` command line).
 *
 * Contract: pure; the owner frees the buffer with editline_free().  The
 * cursor is a byte offset that always sits on a character boundary; every
 * edit moves by whole characters, so a wide or multi-byte character is never
 * split.  Main thread.
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
};

void editline_set(struct editline *el, const char *text);
void editline_free(struct editline *el);
const char *editline_text(const struct editline *el);
void editline_insert(struct editline *el, uint32_t cp);
void editline_insert_str(struct editline *el, const char *s);

/*
 * Handles an editing key (arrows, Home/End, Backspace, Delete, C-a, C-e,
 * C-b, C-f, C-h, C-d, C-u, C-k, C-w) or a printable character.  Returns 1
 * when the key was used.
 */
int editline_key(struct editline *el, uint32_t key);

/* Display columns from the start of the text to the cursor. */
size_t editline_cursor_col(const struct editline *el);
/*
 * The byte offset to start drawing from so that the cursor is visible in a
 * field `width` columns wide (horizontal scrolling).
 */
size_t editline_view_start(const struct editline *el, size_t width);

#endif
