/* template.c - the {{placeholder}} renderer for status updates and postmortems.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "itui/template.h"
#include "itui/xalloc.h"

#define TMPL_MAX (256 * 1024)

enum itui_code
tmpl_render(const char *file, const char *text, tmpl_lookup lookup, void *ctx,
            struct strbuf *out, struct itui_err *err)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = text;
	int line = 1;

	while (*p != '\0') {
		const char *open = strstr(p, "{{"), *close, *a, *b;
		char name[64];
		size_t n;

		if (open == NULL) {
			strbuf_addstr(&sb, p);
			break;
		}
		/* Text before the braces, counting lines for messages. */
		for (a = p; a < open; a++)
			line += *a == '\n';
		if (open > p && open[-1] == '\\') {
			strbuf_add(&sb, p, (size_t)(open - p - 1));
			strbuf_addstr(&sb, "{{");
			p = open + 2;
			continue;
		}
		strbuf_add(&sb, p, (size_t)(open - p));
		close = strstr(open + 2, "}}");
		a = open + 2;
		if (close == NULL ||
		    memchr(a, '\n', (size_t)(close - a)) != NULL) {
			strbuf_free(&sb);
			return err_set(
			    err, ITUI_CONFIG,
			    "%s:%d: unterminated placeholder (no }} on the line)",
			    file, line);
		}
		b = close;
		while (a < b && isspace((unsigned char)*a))
			a++;
		while (b > a && isspace((unsigned char)b[-1]))
			b--;
		n = (size_t)(b - a);
		if (n == 0 || n >= sizeof name) {
			strbuf_free(&sb);
			return err_set(err, ITUI_CONFIG,
			               "%s:%d: %s placeholder", file, line,
			               n == 0 ? "empty" : "overlong");
		}
		memcpy(name, a, n);
		name[n] = '\0';
		if (lookup(ctx, name, &sb) != 0) {
			strbuf_free(&sb);
			return err_set(err, ITUI_CONFIG,
			               "%s:%d: unknown placeholder '%s'", file,
			               line, name);
		}
		p = close + 2;
	}
	strbuf_add(out, strbuf_str(&sb), sb.len);
	strbuf_free(&sb);
	return ITUI_OK;
}

enum itui_code
tmpl_read(const char *path, char **text, struct itui_err *err)
{
	FILE *f = fopen(path, "r");
	char *buf;
	size_t n;

	*text = NULL;
	if (f == NULL)
		return err_set(err, errno == ENOENT ? ITUI_INPUT : ITUI_IO,
		               "%s: %s", path, strerror(errno));
	buf = xmalloc(TMPL_MAX + 1);
	n = fread(buf, 1, TMPL_MAX + 1, f);
	fclose(f);
	if (n > TMPL_MAX) {
		free(buf);
		return err_set(err, ITUI_CONFIG, "%s: larger than 256 KiB",
		               path);
	}
	if (memchr(buf, '\0', n) != NULL) {
		free(buf);
		return err_set(err, ITUI_CONFIG, "%s: not a text file", path);
	}
	buf[n] = '\0';
	*text = buf;
	return ITUI_OK;
}
