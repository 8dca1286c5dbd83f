/*
 * comms.c - placeholder values for status updates and postmortems.
 *
 * Each placeholder is a row in a table (name, function); a template naming
 * anything else fails with its file and line.  Values are drawn from the
 * incident, its whole timeline and action items, the policy and the clock.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "itui/checklist.h"
#include "itui/clocks.h"
#include "itui/comms.h"
#include "itui/metricentry.h"
#include "itui/store-playbook.h"
#include "itui/config.h"
#include "itui/sanitize.h"
#include "itui/stats.h"
#include "itui/store-chain.h"
#include "itui/template.h"
#include "itui/textout.h"
#include "itui/timeutil.h"
#include "itui/xalloc.h"

const char *const comms_templates[] = {"initial",    "update",    "resolution",
                                       "statuspage", "executive", "tactical",
                                       NULL};

struct comms {
	const struct incident *inc;
	const struct entry_list *tl;
	const struct action_list *actions;
	const struct policy *p;
	int64_t now;
	const char *user;
	int multiday;
	struct checklist *cl; /* the playbook checklist, for pm_process */
	struct chain_head head;
};

const char *
comms_default_template(const struct incident *inc)
{
	if (!status_is_active(inc->status))
		return "resolution";
	if (inc->last_comms_at == TIME_NONE)
		return "initial";
	return "update";
}

/* Appends untrusted text, made inert; newlines kept when multiline. */
static void
put(struct strbuf *out, const char *s, int multiline)
{
	if (s != NULL)
		sanitize_append(out, s, strlen(s),
		                multiline ? SAN_MULTILINE : 0, 0, 0);
}

static void
put_time(struct strbuf *out, int64_t t, const char *none)
{
	char b[TIME_BUF];

	if (t == TIME_NONE) {
		strbuf_addstr(out, none);
		return;
	}
	strbuf_addf(out, "%s %s", time_format_local(t, b), time_zone_name());
}

/* HH:MM, or YYYY-MM-DD HH:MM when the incident spans days. */
static void
put_when(const struct comms *c, struct strbuf *out, int64_t t)
{
	char b[TIME_BUF];

	strbuf_addstr(out, c->multiday ? time_format_local(t, b)
	                               : time_format_hhmm(t, b));
}

static const char *
status_label(enum inc_status s)
{
	static const char *const l[STATUS_COUNT] = {
	    "Investigating", "Identified", "Identified",
	    "Monitoring",    "Resolved",   "Resolved"};

	return (unsigned)s < STATUS_COUNT ? l[s] : "?";
}

static void
role(const struct comms *c, struct strbuf *o, enum role r)
{
	if (c->inc->roles[r] != NULL)
		put(o, c->inc->roles[r], 0);
	else
		strbuf_addstr(o, "unassigned");
}

#define V(fn) static void fn(const struct comms *c, struct strbuf *o)

V(v_ref)
{
	strbuf_addf(o, "INC-%lld", (long long)c->inc->id);
}
V(v_id)
{
	strbuf_addf(o, "%lld", (long long)c->inc->id);
}
V(v_title)
{
	put(o, c->inc->title, 0);
}
V(v_severity)
{
	put(o, c->inc->severity, 0);
}
V(v_severity_definition)
{
	const struct policy_level *l = policy_level(c->p, c->inc->severity);

	put(o, l ? l->definition : "not in this policy", 0);
}
V(v_peak_severity)
{
	const char *peak = stats_peak_severity(c->p, c->inc);

	put(o, peak, 0);
	if (strcmp(peak, c->inc->severity) != 0) {
		strbuf_addstr(o, " (now ");
		put(o, c->inc->severity, 0);
		strbuf_addch(o, ')');
	}
}
V(v_status)
{
	strbuf_addstr(o, status_name(c->inc->status));
}
V(v_status_label)
{
	strbuf_addstr(o, status_label(c->inc->status));
}
V(v_service)
{
	put(o, c->inc->service ? c->inc->service : "unspecified", 0);
}
V(v_impact)
{
	put(o, c->inc->impact ? c->inc->impact : "under assessment", 1);
}
V(v_summary)
{
	put(o, c->inc->summary ? c->inc->summary : "_To be written._", 1);
}
V(v_root_cause)
{
	put(o, c->inc->root_cause ? c->inc->root_cause : "under investigation",
	    1);
}
V(v_commander)
{
	role(c, o, ROLE_COMMANDER);
}
V(v_tech_lead)
{
	role(c, o, ROLE_TECH_LEAD);
}
V(v_comms_lead)
{
	role(c, o, ROLE_COMMS_LEAD);
}
V(v_scribe)
{
	role(c, o, ROLE_SCRIBE);
}
V(v_roles)
{
	static const char *const label[ROLE_COUNT] = {
	    "Incident commander", "Tech lead", "Comms lead", "Scribe"};
	int r;

	for (r = 0; r < ROLE_COUNT; r++) {
		strbuf_addf(o, "%s- %s: ", r ? "\n" : "", label[r]);
		role(c, o, (enum role)r);
	}
}
V(v_declared_at)
{
	put_time(o, c->inc->declared_at, "unknown");
}
V(v_detected_at)
{
	put_time(o, c->inc->detected_at, "unknown");
	/* Declared from an alert: it was seen before anyone declared it. */
	if (c->inc->detected_at != TIME_NONE &&
	    c->inc->detected_at < c->inc->declared_at) {
		char b[TIME_BUF];

		strbuf_addf(o,
		            " (the alert's start, %s before the declaration)",
		            time_format_span(
		                c->inc->declared_at - c->inc->detected_at, b));
	}
}
V(v_acknowledged_at)
{
	put_time(o, c->inc->acknowledged_at, "not yet");
}
V(v_mitigated_at)
{
	put_time(o, c->inc->mitigated_at, "not yet");
}
V(v_resolved_at)
{
	put_time(o, c->inc->resolved_at, "not yet");
}
V(v_now)
{
	put_time(o, c->now, "");
}
V(v_user)
{
	put(o, c->user, 0);
}
V(v_duration)
{
	char b[TIME_BUF];
	int64_t end =
	    c->inc->resolved_at != TIME_NONE ? c->inc->resolved_at : c->now;

	strbuf_addstr(o, time_format_span(end - c->inc->declared_at, b));
}
/* When the current status began: its latest change, or the declaration. */
static int64_t
status_began(const struct comms *c)
{
	int64_t at = c->inc->declared_at;
	size_t i;

	for (i = 0; i < c->tl->n; i++) {
		const struct entry *e = &c->tl->v[i];
		json_t *d;
		int to;

		if (e->kind != KIND_STATUS || e->data == NULL || e->at < at)
			continue;
		d = json_loads(e->data, 0, NULL);
		to = status_parse(json_string_value(json_object_get(d, "to")));
		json_decref(d);
		if (to == (int)c->inc->status)
			at = e->at;
	}
	return at;
}
V(v_status_for)
{
	char b[TIME_BUF];
	int64_t since = status_began(c);

	strbuf_addstr(o,
	              time_format_span(c->now > since ? c->now - since : 0, b));
}
V(v_next_update_line)
{
	const struct policy_level *l = policy_level(c->p, c->inc->severity);
	char b[TIME_BUF], d[TIME_BUF];

	/* Resolved: no update is due, so none is promised. */
	if (!status_is_active(c->inc->status))
		strbuf_addstr(o, "This incident is resolved.");
	else if (l == NULL || l->update == 0)
		strbuf_addstr(o, "Next update as needed.");
	else
		strbuf_addf(o, "Next update by %s %s (every %s).",
		            time_format_hhmm(c->now + l->update, b),
		            time_zone_name(),
		            time_format_duration(l->update, d));
}
V(v_next_update)
{
	const struct policy_level *l = policy_level(c->p, c->inc->severity);
	char b[TIME_BUF], d[TIME_BUF];

	if (!status_is_active(c->inc->status)) {
		strbuf_addstr(o, "none planned (resolved)");
		return;
	}
	if (l == NULL || l->update == 0) {
		strbuf_addstr(o, "as needed");
		return;
	}
	strbuf_addf(o, "%s %s (every %s)",
	            time_format_hhmm(c->now + l->update, b), time_zone_name(),
	            time_format_duration(l->update, d));
}
V(v_clocks)
{
	struct sla_clock k[CLOCK_KIND_COUNT];
	struct clock_input in;
	char b[TEXTOUT_CLOCK_BUF];
	int i, n = 0;

	incident_clock_input(c->inc, &in);
	clocks_compute(c->p, &in, c->now, k);
	for (i = 0; i < CLOCK_KIND_COUNT; i++)
		/* After resolution no update is owed: its clock is no news. */
		if (k[i].state != CLOCK_NONE &&
		    !(i == CLOCK_UPDATE && !status_is_active(c->inc->status)))
			strbuf_addf(o, "%s%s", n++ ? "; " : "",
			            textout_clock(&k[i], b, sizeof b));
}

/* Entries worth telling people about: not the bookkeeping ones. */
static int
newsworthy(const struct entry *e)
{
	return e->kind != KIND_ROLE && e->kind != KIND_METRIC &&
	       !(e->kind == KIND_SYSTEM &&
	         (e->data == NULL || strstr(e->data, "declared") == NULL));
}

static void
entry_line(const struct comms *c, struct strbuf *o, const struct entry *e)
{
	strbuf_addstr(o, "- ");
	put_when(c, o, e->at);
	strbuf_addf(o, " %s: ", kind_name(e->kind));
	put(o, e->text, 0);
}

V(v_recent)
{
	size_t i, shown = 0, start;

	for (i = c->tl->n; i > 0 && shown < 5; i--)
		if (newsworthy(&c->tl->v[i - 1]))
			shown++;
	start = i;
	shown = 0;
	for (i = start; i < c->tl->n; i++)
		if (newsworthy(&c->tl->v[i])) {
			if (shown++)
				strbuf_addch(o, '\n');
			entry_line(c, o, &c->tl->v[i]);
		}
	if (shown == 0)
		strbuf_addstr(o, "- nothing yet");
}
V(v_recent_actions)
{
	size_t i, shown = 0;

	for (i = 0; i < c->tl->n; i++) {
		const struct entry *e = &c->tl->v[i];

		if (e->kind != KIND_ACTION && e->kind != KIND_DECISION)
			continue;
		if (shown++)
			strbuf_addch(o, '\n');
		entry_line(c, o, e);
	}
	if (shown == 0)
		strbuf_addstr(o, "- none recorded");
}
V(v_status_history)
{
	size_t i;
	const char *last = status_label(STATUS_INVESTIGATING);

	strbuf_addstr(o, "- ");
	put_when(c, o, c->inc->declared_at);
	strbuf_addf(o, " %s", last);
	for (i = 0; i < c->tl->n; i++) {
		const struct entry *e = &c->tl->v[i];
		json_t *d;
		int to;

		if (e->kind != KIND_STATUS || e->data == NULL)
			continue;
		d = json_loads(e->data, 0, NULL);
		to = status_parse(json_string_value(json_object_get(d, "to")));
		json_decref(d);
		/* The page's words merge statuses (identified and mitigating
		 * are both Identified): a change it cannot show is no line. */
		if (to < 0 ||
		    strcmp(status_label((enum inc_status)to), last) == 0)
			continue;
		last = status_label((enum inc_status)to);
		strbuf_addstr(o, "\n- ");
		put_when(c, o, e->at);
		strbuf_addf(o, " %s", last);
	}
}
V(v_open_actions)
{
	size_t i, shown = 0;
	char b[TIME_BUF];

	for (i = 0; i < c->actions->n; i++) {
		const struct action_item *a = &c->actions->v[i];

		if (a->state != ACTION_OPEN)
			continue;
		strbuf_addf(o, "%s- ACT-%lld ", shown++ ? "\n" : "",
		            (long long)a->id);
		put(o, a->text, 0);
		strbuf_addstr(o, " (");
		put(o, a->owner ? a->owner : "no owner", 0);
		if (a->due_at != TIME_NONE)
			strbuf_addf(o, ", due %s",
			            time_format_local(a->due_at, b));
		if (a->due_at != TIME_NONE && a->due_at < c->now)
			strbuf_addstr(o, ", OVERDUE");
		strbuf_addch(o, ')');
	}
	if (shown == 0)
		strbuf_addstr(o, "- none");
}

/* ---- the postmortem's blocks ---- */

/* Minute by minute for the two most urgent levels, key moments otherwise. */
V(v_pm_timeline)
{
	int detailed = policy_rank(c->p, c->inc->severity) >= 0 &&
	               policy_rank(c->p, c->inc->severity) <= 1;
	size_t i;

	strbuf_addstr(o, detailed
	                     ? "Minute by minute (pinned entries in bold).\n\n"
	                     : "Key moments (pinned entries in bold).\n\n");
	strbuf_addstr(o, "| Time | Kind | Who | What |\n|---|---|---|---|");
	for (i = 0; i < c->tl->n; i++) {
		const struct entry *e = &c->tl->v[i];
		struct strbuf cell = STRBUF_INIT;
		size_t k;

		if (e->kind == KIND_METRIC)
			continue;
		if (!detailed && !e->pinned && e->kind != KIND_STATUS &&
		    e->kind != KIND_SEVERITY && e->kind != KIND_DECISION &&
		    e->kind != KIND_ESCALATION)
			continue;
		put(&cell, e->text, 0);
		/* A table cell: pipes would split it. */
		for (k = 0; k < cell.len; k++)
			if (cell.buf[k] == '|')
				cell.buf[k] = '/';
		strbuf_addstr(o, "\n| ");
		put_when(c, o, e->at);
		strbuf_addf(o, "%s | %s | ",
		            entry_is_late(e) ? " (logged late)" : "",
		            kind_name(e->kind));
		put(o, e->author, 0);
		strbuf_addf(o, " | %s%s%s%s |", e->pinned ? "**" : "",
		            strbuf_str(&cell), e->pinned ? "**" : "",
		            e->revision > 1 ? " (edited)" : "");
		strbuf_free(&cell);
	}
}
V(v_pm_actions)
{
	size_t i;
	char b[TIME_BUF];

	strbuf_addstr(o, "| Action | Owner | Due | Horizon | State |\n"
	                 "|---|---|---|---|---|");
	for (i = 0; i < c->actions->n; i++) {
		const struct action_item *a = &c->actions->v[i];

		strbuf_addf(o, "\n| ACT-%lld ", (long long)a->id);
		put(o, a->text, 0);
		strbuf_addstr(o, " | ");
		put(o, a->owner ? a->owner : "unassigned", 0);
		strbuf_addf(
		    o, " | %s | %s | %s%s |",
		    a->due_at != TIME_NONE ? time_format_local(a->due_at, b)
		                           : "-",
		    horizon_name(a->horizon), action_state_name(a->state),
		    a->state == ACTION_OPEN && a->due_at != TIME_NONE &&
		            a->due_at < c->now
		        ? " (overdue)"
		        : "");
	}
	if (c->actions->n == 0)
		strbuf_addstr(o, "\n| (none yet) | | | | |");
}
V(v_pm_metrics)
{
	size_t i, shown = 0;

	for (i = 0; i < c->tl->n; i++) {
		const struct entry *e = &c->tl->v[i];
		struct metric_summary ms;
		size_t k;

		if (e->kind != KIND_METRIC ||
		    metric_summary_parse(e->data, &ms) != 0)
			continue;
		strbuf_addf(o, "%s#### Snapshot at ", shown++ ? "\n\n" : "");
		put_when(c, o, e->at);
		strbuf_addstr(o, "\n\n| Query | Value |\n|---|---|");
		for (k = 0; k < ms.n; k++) {
			strbuf_addstr(o, "\n| ");
			put(o, ms.v[k].name, 0);
			strbuf_addstr(o, " | ");
			put(o, ms.v[k].value, 0);
			strbuf_addstr(o, " |");
		}
		metric_summary_free(&ms);
	}
	if (shown == 0)
		strbuf_addstr(o, "No metric snapshots were taken.");
}
V(v_pm_process)
{
	checklist_postmortem(c->cl, c->now, c->multiday, o);
}
V(v_postmortem_due)
{
	const struct policy_level *l = policy_level(c->p, c->inc->severity);

	if (l == NULL || l->postmortem != PM_REQUIRED) {
		strbuf_addstr(o, l && l->postmortem == PM_OPTIONAL
		                     ? "optional for this severity"
		                     : "not required for this severity");
		return;
	}
	if (c->inc->resolved_at == TIME_NONE) {
		strbuf_addstr(o, "after resolution");
		return;
	}
	put_time(o, c->inc->resolved_at + l->postmortem_within, "");
}

/* The record's chain head, so a copy can be checked against the file. */
V(v_chain_head)
{
	strbuf_addf(o, "seq %lld, SHA-256 %s", (long long)c->head.seq,
	            c->head.hash);
}

/* A replayed drill: each answer of the trainees beside the original. */
V(v_drill_decisions)
{
	size_t i, shown = 0;

	if (!c->inc->drill)
		return;
	for (i = 0; i < c->tl->n; i++) {
		const struct entry *e = &c->tl->v[i];
		json_t *d =
		    e->data != NULL ? json_loads(e->data, 0, NULL) : NULL;
		const char *orig =
		    json_string_value(json_object_get(d, "original"));

		if (json_object_get(d, "drill_answer_for") != NULL &&
		    orig != NULL) {
			if (shown++ == 0)
				strbuf_addstr(o, "## Drill: your decisions "
				                 "against the original\n\n"
				                 "| Yours | The original |\n"
				                 "|---|---|");
			strbuf_addstr(o, "\n| ");
			put(o, e->text, 0);
			strbuf_addstr(o, " | ");
			put(o, orig, 0);
			strbuf_addstr(o, " |");
		}
		json_decref(d);
	}
}

#undef V

static const struct {
	const char *name;
	void (*fn)(const struct comms *, struct strbuf *);
} vars[] = {
    {"ref", v_ref},
    {"id", v_id},
    {"title", v_title},
    {"severity", v_severity},
    {"severity_definition", v_severity_definition},
    {"peak_severity", v_peak_severity},
    {"status", v_status},
    {"status_label", v_status_label},
    {"service", v_service},
    {"impact", v_impact},
    {"summary", v_summary},
    {"root_cause", v_root_cause},
    {"commander", v_commander},
    {"tech_lead", v_tech_lead},
    {"comms_lead", v_comms_lead},
    {"scribe", v_scribe},
    {"roles", v_roles},
    {"declared_at", v_declared_at},
    {"detected_at", v_detected_at},
    {"acknowledged_at", v_acknowledged_at},
    {"mitigated_at", v_mitigated_at},
    {"resolved_at", v_resolved_at},
    {"duration", v_duration},
    {"next_update", v_next_update},
    {"next_update_line", v_next_update_line},
    {"status_for", v_status_for},
    {"clocks", v_clocks},
    {"now", v_now},
    {"user", v_user},
    {"recent", v_recent},
    {"recent_actions", v_recent_actions},
    {"status_history", v_status_history},
    {"open_actions", v_open_actions},
    {"pm_timeline", v_pm_timeline},
    {"pm_actions", v_pm_actions},
    {"pm_metrics", v_pm_metrics},
    {"pm_process", v_pm_process},
    {"postmortem_due", v_postmortem_due},
    {"chain_head", v_chain_head},
    {"drill_decisions", v_drill_decisions},
};

static int
lookup(void *ctx, const char *name, struct strbuf *out)
{
	size_t i;

	for (i = 0; i < sizeof vars / sizeof vars[0]; i++)
		if (strcmp(vars[i].name, name) == 0) {
			vars[i].fn(ctx, out);
			return 0;
		}
	return -1;
}

/* The user's copy of a template first, then the shipped one. */
static char *
template_path(const char *share_dir, const char *name)
{
	char *cfg = config_default_path(), *slash = strrchr(cfg, '/'), *p;

	if (slash != NULL) {
		*slash = '\0';
		p = xasprintf("%s/templates/%s.tmpl", cfg, name);
		if (access(p, R_OK) == 0) {
			free(cfg);
			return p;
		}
		free(p);
	}
	free(cfg);
	return xasprintf("%s/templates/%s.tmpl", share_dir, name);
}

/* Whether the incident's times fall on more than one local date. */
static int
spans_days(const struct incident *inc, const struct entry_list *tl, int64_t now)
{
	char a[TIME_BUF], b[TIME_BUF];
	int64_t end = inc->resolved_at != TIME_NONE ? inc->resolved_at : now;

	if (tl->n > 0 && tl->v[tl->n - 1].at > end)
		end = tl->v[tl->n - 1].at;
	time_format_local(inc->declared_at, a);
	time_format_local(end, b);
	return strncmp(a, b, 10) != 0;
}

enum itui_code
comms_render(struct store *st, const struct policy *p, const char *share_dir,
             int64_t id, const char *name, int64_t now, const char *user,
             struct strbuf *out, struct itui_err *err)
{
	struct incident inc;
	struct entry_list tl;
	struct action_list acts;
	struct checklist cl;
	struct comms c;
	char *path, *text = NULL;
	enum itui_code rc;
	size_t i;

	for (i = 0; name[i] != '\0'; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || name[i] == '-' ||
		      name[i] == '_'))
			return err_set(err, ITUI_USAGE,
			               "bad template name '%s'", name);
	if (store_incident_get(st, id, &inc, err) != ITUI_OK)
		return err->code;
	if (store_timeline(st, id, 0, 0, 0, &tl, err) != ITUI_OK) {
		incident_free(&inc);
		return err->code;
	}
	if (store_actions(st, id, 0, &acts, err) != ITUI_OK) {
		incident_free(&inc);
		entry_list_free(&tl);
		return err->code;
	}
	if (store_checklist(st, id, &cl, err) != ITUI_OK) {
		incident_free(&inc);
		entry_list_free(&tl);
		action_list_free(&acts);
		return err->code;
	}
	c.cl = &cl;
	c.inc = &inc;
	c.tl = &tl;
	c.actions = &acts;
	c.p = p;
	c.now = now;
	c.user = user;
	c.multiday = spans_days(&inc, &tl, now);
	if (store_chain_head(st, id, &c.head, err) != ITUI_OK) {
		incident_free(&inc);
		entry_list_free(&tl);
		action_list_free(&acts);
		return err->code;
	}
	path = template_path(share_dir, name);
	rc = tmpl_read(path, &text, err);
	if (rc == ITUI_INPUT)
		rc = err_set(
		    err, ITUI_USAGE,
		    "no template '%s' (initial, update, resolution, statuspage, "
		    "executive, tactical)",
		    name);
	if (rc == ITUI_OK) {
		/*
		 * A person's own template is as untrusted as what fills it:
		 * its literal text is made inert like the placeholders'.
		 */
		struct strbuf inert = STRBUF_INIT;

		sanitize_append(&inert, text, strlen(text), SAN_MULTILINE, 0,
		                0);
		rc =
		    tmpl_render(path, strbuf_str(&inert), lookup, &c, out, err);
		strbuf_free(&inert);
	}
	free(text);
	free(path);
	incident_free(&inc);
	entry_list_free(&tl);
	action_list_free(&acts);
	checklist_free(&cl);
	return rc;
}
