/*
 * view-alerts.c - the firing alerts; Enter declares an incident from one
 * (carrying the alert's id, whatever the size of its label set) or goes to
 * the incident it already belongs to.
 */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "itui/timeutil.h"
#include "itui/view-alerts.h"
#include "itui/view-main.h"

static void
alerts_reload(struct ui *u)
{
	struct itui_err err;

	alert_rows_free(&u->alerts);
	memset(&u->alerts, 0, sizeof u->alerts);
	if (dash_alerts(&u->d, &u->alerts, &err) != ITUI_OK)
		ui_message(u, 1, "%s", err.msg);
	if (u->alert_sel >= (int)u->alerts.n)
		u->alert_sel = u->alerts.n > 0 ? (int)u->alerts.n - 1 : 0;
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
	alert_rows_free(&u->alerts);
	memset(&u->alerts, 0, sizeof u->alerts);
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
	for (i = (size_t)top, y = r.y; i < u->alerts.n && y < r.y + r.h;
	     i++, y++) {
		const struct alert_row *a = &u->alerts.v[i];
		unsigned long sel = (int)i == u->alert_sel ? A_REVERSE : 0;
		char head[96], t[TIME_BUF];
		int x = r.x;

		ui_fill(y, r.x - 1, r.x + r.w + 1, sel);
		snprintf(head, sizeof head, "AL-%lld %-9s %s ",
		         (long long)a->id, a->severity ? a->severity : "-",
		         time_format_hhmm(a->since, t));
		x += ui_put(y, x, r.w, head, sel);
		if (a->incident_id) {
			snprintf(head, sizeof head, "INC-%lld ",
			         (long long)a->incident_id);
			x += ui_put(y, x, r.x + r.w - x, head, sel | A_BOLD);
		}
		x += ui_put(y, x, r.x + r.w - x, a->name, sel | A_BOLD) + 1;
		ui_put(y, x, r.x + r.w - x, a->summary, sel);
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
	const struct alert_row *a;
	char ref[32];

	if (u->alerts.n == 0)
		return REACT_NONE;
	a = &u->alerts.v[u->alert_sel];
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
	view_main_declare(u, a->summary ? a->summary : a->name,
	                  mapped_level(u, a->severity), ref);
	ui_pop(u);
	return REACT_REDRAW;
}

static unsigned
alerts_request(struct ui *u, enum ui_action a)
{
	int pos =
	    ui_scroll(a, u->alert_sel, (int)u->alerts.n, ui_overlay_rows(u));

	if (pos >= 0) {
		u->alert_sel = pos;
		return REACT_REDRAW;
	}
	if (a == UA_ALERT_OPEN)
		return alert_open(u);
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
