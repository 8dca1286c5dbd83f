/*
 * view-alerts.c - the firing alerts, grouped by Alertmanager group key (or
 * alertname) with counts, so a storm of 1,700 is one line; Enter on a group
 * lists its alerts under it (again: folds them), and on an alert declares
 * an incident from it (carrying the alert's id, whatever the size of its
 * label set) or goes to the incident it already belongs to.  Groups come
 * in the order of their most severe member: critical ones first.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "itui/alertview.h"
#include "itui/timeutil.h"
#include "itui/xalloc.h"
#include "itui/view-alerts.h"
#include "itui/view-main.h"

static int
expanded(const struct ui *u, const char *key)
{
	size_t i;

	for (i = 0; i < u->nalert_expanded; i++)
		if (strcmp(u->alert_expanded[i], key) == 0)
			return 1;
	return 0;
}

static void
toggle(struct ui *u, const char *key)
{
	size_t i;

	for (i = 0; i < u->nalert_expanded; i++)
		if (strcmp(u->alert_expanded[i], key) == 0) {
			free(u->alert_expanded[i]);
			u->alert_expanded[i] =
			    u->alert_expanded[--u->nalert_expanded];
			return;
		}
	u->alert_expanded =
	    xreallocarray(u->alert_expanded, u->nalert_expanded + 1,
	                  sizeof *u->alert_expanded);
	u->alert_expanded[u->nalert_expanded++] = xstrdup(key);
}

static void
lines_free(struct ui *u)
{
	alertview_groups_free(u->alert_groups, u->nalert_groups);
	free(u->alert_lines);
	u->alert_groups = NULL;
	u->alert_lines = NULL;
	u->nalert_groups = u->nalert_lines = 0;
}

/* A group of one is its alert's line; an opened group lists its members. */
static void
lines_build(struct ui *u)
{
	size_t g, i, n = 0;

	lines_free(u);
	alertview_groups(&u->alerts, &u->alert_groups, &u->nalert_groups);
	u->alert_lines =
	    xcalloc(u->alerts.n + u->nalert_groups + 1, sizeof *u->alert_lines);
	for (g = 0; g < u->nalert_groups; g++) {
		const struct alert_group *gr = &u->alert_groups[g];

		u->alert_lines[n].group = g;
		u->alert_lines[n++].row = gr->count == 1 ? (long)gr->first : -1;
		if (gr->count == 1 || !expanded(u, gr->key))
			continue;
		for (i = gr->first; i < u->alerts.n; i++)
			if (alertview_same_group(&u->alerts.v[i],
			                         &u->alerts.v[gr->first])) {
				u->alert_lines[n].group = g;
				u->alert_lines[n++].row = (long)i;
			}
	}
	u->nalert_lines = n;
	if (u->alert_sel >= (int)n)
		u->alert_sel = n > 0 ? (int)n - 1 : 0;
}

static void
alerts_reload(struct ui *u)
{
	struct itui_err err;

	alert_rows_free(&u->alerts);
	memset(&u->alerts, 0, sizeof u->alerts);
	if (dash_alerts(&u->d, &u->alerts, &err) != ITUI_OK)
		ui_message(u, 1, "%s", err.msg);
	lines_build(u);
}

static void
alerts_open(struct ui *u)
{
	u->alert_sel = 0;
	alerts_reload(u);
}

static void
alerts_close(struct ui *u)
{
	size_t i;

	lines_free(u);
	alert_rows_free(&u->alerts);
	memset(&u->alerts, 0, sizeof u->alerts);
	for (i = 0; i < u->nalert_expanded; i++)
		free(u->alert_expanded[i]);
	free(u->alert_expanded);
	u->alert_expanded = NULL;
	u->nalert_expanded = 0;
}

/* The selected alert; NULL on a group's line or an empty list. */
static const struct alert_row *
selected(const struct ui *u)
{
	const struct alert_line *l;

	if (u->nalert_lines == 0)
		return NULL;
	l = &u->alert_lines[u->alert_sel];
	return l->row >= 0 ? &u->alerts.v[l->row] : NULL;
}

static void
draw_alert(const struct ui *u, const struct rect *r, int y, int x,
           const struct alert_row *a, unsigned long sel)
{
	char head[96], t[TIME_BUF];

	snprintf(head, sizeof head, "AL-%lld %-9s %s ", (long long)a->id,
	         a->severity ? a->severity : "-",
	         time_format_hhmm(a->since, t));
	x += ui_put(y, x, r->x + r->w - x, head, sel);
	if (a->incident_id) {
		snprintf(head, sizeof head, "INC-%lld ",
		         (long long)a->incident_id);
		x += ui_put(y, x, r->x + r->w - x, head, sel | A_BOLD);
	}
	{
		/* A silenced or inhibited alert is not firing at us. */
		const char *state = alertview_state(a);
		unsigned long dim = strcmp(state, "firing") != 0
		                        ? ui_color(u, PAIR_DIM) | A_DIM
		                        : 0;

		if (dim) {
			snprintf(head, sizeof head, "[%s] ", state);
			x += ui_put(y, x, r->x + r->w - x, head, sel);
		}
		x +=
		    ui_put(y, x, r->x + r->w - x, a->name, sel | A_BOLD | dim) +
		    1;
		ui_put(y, x, r->x + r->w - x, a->summary, sel | dim);
	}
}

/* "[+] critical  HighErrors  1700 alerts (12 silenced, 3 in incidents)" */
static void
draw_group(const struct ui *u, const struct rect *r, int y,
           const struct alert_group *g, unsigned long sel)
{
	const struct alert_row *a = &u->alerts.v[g->first];
	char head[160];
	int x = r->x;

	snprintf(head, sizeof head, "[%c] %-9s ",
	         expanded(u, g->key) ? '-' : '+',
	         a->severity ? a->severity : "-");
	x += ui_put(y, x, r->w, head, sel);
	x += ui_put(y, x, r->x + r->w - x, g->name ? g->name : "(no name)",
	            sel | A_BOLD);
	snprintf(head, sizeof head, "  %zu alerts", g->count);
	x += ui_put(y, x, r->x + r->w - x, head, sel | A_BOLD);
	if (g->suppressed > 0 || g->linked > 0) {
		snprintf(head, sizeof head, " (%zu silenced, %zu in incidents)",
		         g->suppressed, g->linked);
		x += ui_put(y, x, r->x + r->w - x, head,
		            sel | ui_color(u, PAIR_DIM));
	}
	if (a->summary != NULL) {
		x += ui_put(y, x, r->x + r->w - x, "  ", sel);
		ui_put(y, x, r->x + r->w - x, a->summary, sel);
	}
}

static void
alerts_draw(const struct ui *u)
{
	struct rect r;
	int y, top = 0;
	size_t i;

	ui_overlay(u, " Firing alerts ", &r);
	if (u->alerts.n == 0) {
		ui_put(r.y, r.x, r.w,
		       u->poller_on ? "No firing alerts."
		                    : "No firing alerts (no metrics source "
		                      "configured).",
		       ui_color(u, PAIR_DIM));
		return;
	}
	if (u->alert_sel >= r.h)
		top = u->alert_sel - (r.h - 1);
	for (i = (size_t)top, y = r.y; i < u->nalert_lines && y < r.y + r.h;
	     i++, y++) {
		const struct alert_line *l = &u->alert_lines[i];
		const struct alert_group *g = &u->alert_groups[l->group];
		unsigned long sel = (int)i == u->alert_sel ? A_REVERSE : 0;

		ui_fill(y, r.x - 1, r.x + r.w + 1, sel);
		if (l->row < 0)
			draw_group(u, &r, y, g, sel);
		else
			/* A group's members are indented under its line. */
			draw_alert(u, &r, y, r.x + (g->count > 1 ? 4 : 0),
			           &u->alerts.v[l->row], sel);
	}
}

/* [severity-map]: an alert's severity label to a policy level. */
static const char *
mapped_level(const struct ui *u, const char *label)
{
	size_t i;

	for (i = 0; label != NULL && i < u->ctx->cfg.nseverity_map; i++)
		if (strcmp(u->ctx->cfg.severity_map[i].key, label) == 0) {
			const struct policy_level *l = policy_level(
			    u->d.policy, u->ctx->cfg.severity_map[i].value);

			return l != NULL ? l->name : NULL;
		}
	return NULL;
}

static unsigned
alert_open(struct ui *u)
{
	const struct alert_row *a = selected(u);
	char ref[32];

	if (u->nalert_lines == 0)
		return REACT_NONE;
	if (a == NULL) {
		toggle(u,
		       u->alert_groups[u->alert_lines[u->alert_sel].group].key);
		lines_build(u);
		return REACT_REDRAW;
	}
	if (a->incident_id != 0) {
		struct itui_err err;
		int64_t id = a->incident_id;

		ui_pop(u);
		if (dash_select_id(&u->d, id, &err) != ITUI_OK)
			ui_message(u, 1, "%s", err.msg);
		return REACT_FOLLOW;
	}
	if (dash_readonly(&u->d)) {
		ui_message(u, 1, "the database is read-only for you");
		return REACT_REDRAW;
	}
	snprintf(ref, sizeof ref, "AL-%lld", (long long)a->id);
	/* The flow copies what it needs: the rows may reload meanwhile. */
	/* The verb cuts the title from the summary and fills the impact. */
	view_main_declare(u, NULL, mapped_level(u, a->severity), ref);
	ui_pop(u);
	return REACT_REDRAW;
}

static unsigned
answer_silence(struct ui *u, const char *dur)
{
	(void)ui_verb(
	    u, &u->prompt.seen, 0, NULL,
	    UI_WORDS("silence", u->prompt.stash[0], *dur ? dur : "2h"));
	return REACT_RELOAD;
}

static unsigned
answer_attach(struct ui *u, const char *inc)
{
	(void)ui_verb(u, &u->prompt.seen, 0, NULL,
	              UI_WORDS("attach", u->prompt.stash[0], inc));
	return REACT_RELOAD;
}

/* Silence, expire, attach: verbs on the selected alert. */
static unsigned
alert_verb(struct ui *u, enum ui_action act)
{
	char ref[32], label[128], inc[32] = "";
	const struct alert_row *a = selected(u);

	if (u->nalert_lines == 0)
		return REACT_NONE;
	if (a == NULL) {
		ui_message(u, 1,
		           "a group: Enter lists its alerts, then choose "
		           "one");
		return REACT_REDRAW;
	}
	snprintf(ref, sizeof ref, "AL-%lld", (long long)a->id);
	if (act == UA_AL_EXPIRE) {
		struct cmd_seen s = ui_seen(u);

		(void)ui_verb(u, &s, 0, NULL,
		              UI_WORDS("silence", ref, "--expire"));
		return REACT_RELOAD;
	}
	if (act == UA_AL_SILENCE) {
		snprintf(label, sizeof label, "Silence %s for (2h):", ref);
		ui_ask(u, label, "", answer_silence, NULL, 0);
	} else {
		if (u->d.have_detail)
			snprintf(inc, sizeof inc, "INC-%lld",
			         (long long)u->d.detail.id);
		snprintf(label, sizeof label, "Attach %s to:", ref);
		ui_ask(u, label, inc, answer_attach, NULL, 0);
	}
	u->prompt.stash[0] = xstrdup(ref);
	return REACT_REDRAW;
}

static unsigned
alerts_request(struct ui *u, enum ui_action a)
{
	int pos = ui_scroll(a, u->alert_sel, (int)u->nalert_lines,
	                    ui_overlay_rows(u));

	if (pos >= 0) {
		u->alert_sel = pos;
		return REACT_REDRAW;
	}
	if (a == UA_ALERT_OPEN)
		return alert_open(u);
	if (a == UA_AL_SILENCE || a == UA_AL_EXPIRE || a == UA_AL_ATTACH)
		return alert_verb(u, a);
	return REACT_UNHANDLED;
}

const struct view_ops view_alerts_ops = {
    .id = VIEW_ALERTS,
    .open = alerts_open,
    .close = alerts_close,
    .reload = alerts_reload,
    .draw = alerts_draw,
    .request = alerts_request,
};
