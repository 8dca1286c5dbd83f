/*
 * alertview.h - alerts as the interface and the command line show them:
 * state words, groups with counts, titles from summaries, links.
 *
 * Contract: pure and curses-free; any thread.  Works on the rows
 * store_alerts() returns (already ordered by severity, then age) and never
 * drops one: a group line counts every member.  The caller frees groups
 * with free() and strings it is handed with free().
 */
#ifndef ITUI_ALERTVIEW_H
#define ITUI_ALERTVIEW_H

#include <stddef.h>

#include "itui/config.h"
#include "itui/store.h"

/* The most bytes of a summary a title takes before it is cut. */
#define TITLE_CUT 120

/*
 * "firing", "silenced", "inhibited", "unprocessed" or "resolved": what an
 * alert is, with Alertmanager's word where it gave one.
 */
const char *alertview_state(const struct alert_row *a);

/*
 * A title from a summary: whole when it fits TITLE_CUT bytes, else cut at
 * the last word boundary (never inside a UTF-8 character) with "…".
 * Returns 1 when it was cut (the whole text then belongs in the impact).
 */
int alertview_title(const char *summary, char *buf, size_t size);

/* A label's value (NULL when absent). Free it. */
char *alertview_label(const char *labels, const char *name);
/* The incident service an alert implies: [alerts] service_label. Free it. */
char *alertview_service(const struct config *cfg, const struct alert_row *a);

struct alert_group {
	char *key;        /* the alertname, after the group key if any */
	const char *name; /* alertname of the first member */
	size_t first;     /* index of the first (most severe) member */
	size_t count, suppressed, linked;
	int rank; /* the most severe member's rank */
};

/* Whether two rows are of one group: same alertname and group key. */
int alertview_same_group(const struct alert_row *a, const struct alert_row *b);

/*
 * Groups the rows by alertname within the Alertmanager group key (a route
 * without group_by puts every alert in one), in the order of each group's first
 * member; counts add up to rows->n.  Free with alertview_groups_free().
 */
void alertview_groups(const struct alert_rows *rows, struct alert_group **out,
                      size_t *n);
void alertview_groups_free(struct alert_group *g, size_t n);

struct alert_links {
	char *generator; /* the rule's graph in Prometheus, or NULL */
	char *runbook;   /* the runbook_url annotation, or NULL */
	char *silence;   /* Alertmanager's page for its silence, or new one */
};

/* The links an alert offers. Free with alertview_links_free(). */
void alertview_links(const struct alert_row *a, struct alert_links *out);
void alertview_links_free(struct alert_links *l);

#endif
