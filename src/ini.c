/* ini.c - line-oriented INI reader; every error names the file and line. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "itui/ini.h"
#include "itui/xalloc.h"

#define INI_MAX_FILE (1 << 20)

static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

static void
strip_comment(char *s)
{
	char *p;

	for (p = s; *p != '\0'; p++) {
		if ((*p == ';' || *p == '#') && p > s &&
		    (p[-1] == ' ' || p[-1] == '\t')) {
			*p = '\0';
			return;
		}
	}
}

enum itui_code
ini_parse_buffer(const char *name, const char *buf, size_t len,
                 ini_handler handler, void *ctx, struct itui_err *err)
{
	char *copy = xstrndup(buf, len), *line, *next;
	char section[128] = "", arg[128] = "", why[256];
	enum itui_code rc = ITUI_OK;
	int lineno = 0;

	for (line = copy; line != NULL; line = next) {
		struct ini_item item = {section, arg, NULL, NULL, 0};
		char *s, *eq;

		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		lineno++;
		item.line = lineno;
		s = trim(line);
		if (*s == '\0' || *s == ';' || *s == '#')
			continue;
		why[0] = '\0';
		if (*s == '[') {
			char *close = strchr(s, ']'), *sp, *rest;

			rest = close != NULL ? trim(close + 1) : NULL;
			if (rest == NULL ||
			    (*rest != '\0' && *rest != ';' && *rest != '#')) {
				rc = err_set(err, ITUI_CONFIG,
				             "%s:%d: bad section header", name,
				             lineno);
				break;
			}
			*close = '\0';
			s = trim(s + 1);
			sp = strpbrk(s, " \t");
			arg[0] = '\0';
			if (sp != NULL) {
				*sp = '\0';
				snprintf(arg, sizeof arg, "%s", trim(sp + 1));
			}
			if (*s == '\0' || strlen(s) >= sizeof section) {
				rc = err_set(err, ITUI_CONFIG,
				             "%s:%d: bad section header", name,
				             lineno);
				break;
			}
			snprintf(section, sizeof section, "%s", s);
			if (handler(ctx, &item, why, sizeof why) != 0) {
				rc = err_set(err, ITUI_CONFIG, "%s:%d: %s",
				             name, lineno, why);
				break;
			}
			continue;
		}
		eq = strchr(s, '=');
		if (eq == NULL) {
			rc = err_set(err, ITUI_CONFIG,
			             "%s:%d: expected 'key = value'", name,
			             lineno);
			break;
		}
		*eq = '\0';
		item.key = trim(s);
		strip_comment(eq + 1);
		item.value = trim(eq + 1);
		if (*item.key == '\0') {
			rc = err_set(err, ITUI_CONFIG,
			             "%s:%d: missing key before '='", name,
			             lineno);
			break;
		}
		if (handler(ctx, &item, why, sizeof why) != 0) {
			rc = err_set(err, ITUI_CONFIG, "%s:%d: %s", name,
			             lineno, why);
			break;
		}
	}
	free(copy);
	return rc;
}

enum itui_code
ini_parse_file(const char *path, ini_handler handler, void *ctx,
               struct itui_err *err)
{
	FILE *f = fopen(path, "r");
	char *buf;
	size_t n;
	enum itui_code rc;

	if (f == NULL)
		return err_set(err, errno == ENOENT ? ITUI_CONFIG : ITUI_IO,
		               "%s: %s", path, strerror(errno));
	buf = xmalloc(INI_MAX_FILE + 1);
	n = fread(buf, 1, INI_MAX_FILE + 1, f);
	if (ferror(f) || n > INI_MAX_FILE) {
		rc = err_set(err, ITUI_CONFIG, "%s: %s", path,
		             ferror(f) ? strerror(errno)
		                       : "file larger than 1 MiB");
		fclose(f);
		free(buf);
		return rc;
	}
	fclose(f);
	if (memchr(buf, '\0', n) != NULL) {
		free(buf);
		return err_set(err, ITUI_CONFIG, "%s: not a text file", path);
	}
	rc = ini_parse_buffer(path, buf, n, handler, ctx, err);
	free(buf);
	return rc;
}
