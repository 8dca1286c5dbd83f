/*
 * xalloc.h - allocation that cannot fail, and the one place that dies.
 *
 * Contract: on allocation failure these call the registered fatal hook (the
 * interface registers one that restores the terminal) and then exit(1) with
 * a message.  Callable from any thread; the hook must be set before threads
 * start.  Memory is freed with free().
 */
#ifndef ITUI_XALLOC_H
#define ITUI_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xreallocarray(void *ptr, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Like xstrdup but NULL stays NULL. */
char *xstrdup_or_null(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Called once before exiting on a fatal error (e.g. endwin). */
void xalloc_set_fatal_hook(void (*hook)(void));
void fatal(const char *fmt, ...)
    __attribute__((format(printf, 1, 2), noreturn));

#endif
