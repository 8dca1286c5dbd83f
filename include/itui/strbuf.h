/*
 * strbuf.h - a growable, always NUL-terminated byte buffer.
 *
 * Contract: a zeroed struct strbuf (STRBUF_INIT) is an empty buffer; the
 * owner calls strbuf_free() or takes the bytes with strbuf_detach() (then
 * frees them with free()).  Not shared between threads.
 */
#ifndef ITUI_STRBUF_H
#define ITUI_STRBUF_H

#include <stddef.h>

struct strbuf {
	char *buf;
	size_t len;
	size_t cap;
};

#define STRBUF_INIT        \
	{                  \
		NULL, 0, 0 \
	}

void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, int c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void strbuf_reset(struct strbuf *sb);
/* The contents, never NULL ("" when empty). */
const char *strbuf_str(const struct strbuf *sb);
char *strbuf_detach(struct strbuf *sb);
void strbuf_free(struct strbuf *sb);

#endif
