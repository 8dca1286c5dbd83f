/*
 * alertview.c - curses-free views of alert rows: their state, groups for
 * a storm, titles cut at a word, and the links they carry.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "itui/alertview.h"
#include "itui/xalloc.h"

const char *
alertview_state(const struct alert_row *a)
{
	if (!a->firing)
		return "resolved";
	if (a->am_state != NULL && strcmp(a->am_state, "suppressed") == 0)
		return a->silenced_by != NULL ? "silenced" : "inhibited";
	if (a->am_state != NULL && strcmp(a->am_state, "unprocessed") == 0)
		return "unprocessed";
	return "firing";
}

int
alertview_title(const char *summary, char *buf, size_t size)
{
	size_t len = strlen(summary), cut, limit = TITLE_CUT;

	if (size < 8) {
		if (size > 0)
			buf[0] = '\0';
		return 0;
	}
	if (limit > size - 4)
		limit = size - 4;
	if (len <= limit) {
		snprintf(buf, size, "%s", summary);
		return 0;
	}
	/* The last space within the limit; else a character boundary. */
	for (cut = limit; cut > limit / 2 && summary[cut] != ' '; cut--)
		;
	if (summary[cut] != ' ')
		for (cut = limit; cut > 0 && (summary[cut] & 0xC0) == 0x80;
		     cut--)
			;
	while (cut > 0 && (summary[cut - 1] == ' ' || summary[cut - 1] == ','))
		cut--;
	snprintf(buf, size, "%.*s\xe2\x80\xa6", (int)cut, summary);
	return 1;
}

char *
alertview_label(const char *labels, const char *name)
{
	json_t *j = labels ? json_loads(labels, 0, NULL) : NULL;
	const char *v = json_string_value(json_object_get(j, name));
	char *out = v != NULL && *v != '\0' ? xstrdup(v) : NULL;

	json_decref(j);
	return out;
}

char *
alertview_service(const struct config *cfg, const struct alert_row *a)
{
	return alertview_label(a->labels, cfg->alerts.service_label
	                                      ? cfg->alerts.service_label
	                                      : "service");
}

static const char *
nz(const char *s)
{
	return s != NULL ? s : "";
}

int
alertview_same_group(const struct alert_row *a, const struct alert_row *b)
{
	return strcmp(nz(a->name), nz(b->name)) == 0 &&
	       strcmp(nz(a->group_key), nz(b->group_key)) == 0;
}

void
alertview_groups(const struct alert_rows *rows, struct alert_group **out,
                 size_t *n)
{
	struct alert_group *g = NULL;
	size_t i, k, ng = 0;

	for (i = 0; i < rows->n; i++) {
		const struct alert_row *a = &rows->v[i];
		/* Linear in groups: a storm is many alerts in few groups. */
		for (k = 0;
		     k < ng && !alertview_same_group(&rows->v[g[k].first], a);
		     k++)
			;
		if (k == ng) {
			g = xreallocarray(g, ng + 1, sizeof *g);
			memset(&g[ng], 0, sizeof g[ng]);
			g[ng].key =
			    a->group_key != NULL
			        ? xasprintf("%s %s", a->group_key, nz(a->name))
			        : xstrdup(nz(a->name));
			g[ng].name = a->name;
			g[ng].first = i;
			g[ng].rank = a->rank;
			ng++;
		}
		g[k].count++;
		g[k].suppressed += a->suppressed ? 1 : 0;
		g[k].linked += a->incident_id != 0 ? 1 : 0;
		if (a->rank < g[k].rank)
			g[k].rank = a->rank;
	}
	*out = g;
	*n = ng;
}

void
alertview_groups_free(struct alert_group *g, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(g[i].key);
	free(g);
}

void
alertview_links(const struct alert_row *a, struct alert_links *out)
{
	memset(out, 0, sizeof *out);
	out->generator = xstrdup_or_null(a->generator_url);
	out->runbook = alertview_label(a->annotations, "runbook_url");
	if (a->external_url != NULL) {
		const char *sid =
		    a->silence_id ? a->silence_id : a->silenced_by;

		if (sid != NULL)
			out->silence =
			    xasprintf("%s/#/silences/%.*s", a->external_url,
			              (int)strcspn(sid, ","), sid);
		else
			out->silence =
			    xasprintf("%s/#/silences/new", a->external_url);
	}
}

void
alertview_links_free(struct alert_links *l)
{
	free(l->generator);
	free(l->runbook);
	free(l->silence);
	memset(l, 0, sizeof *l);
}
