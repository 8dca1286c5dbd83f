/* textout.c - human-readable output for list, show and audit. */
#include <string.h>

#include "itui/sanitize.h"
#include "itui/strbuf.h"
#include "itui/textout.h"
#include "itui/timeutil.h"

void
textout_cell(struct strbuf *sb, const char *s, size_t cols)
{
	size_t used = 0;

	/* The last column always stays blank, to separate the cells. */
	if (s != NULL && cols > 1)
		used = sanitize_append(sb, s, strlen(s), SAN_ELLIPSIS, cols - 1,
		                       0);
	for (; used < cols; used++)
		strbuf_addch(sb, ' ');
}

/* Appends s sanitised, using at most `cols` columns (0: no limit). */
static void
put_text(struct strbuf *sb, const char *s, size_t cols)
{
	if (s != NULL)
		sanitize_append(sb, s, strlen(s), SAN_ELLIPSIS, cols, 0);
}

char *
textout_clock(const struct sla_clock *c, char *buf, size_t size)
{
	char t[TIME_BUF], name[TEXTOUT_CLOCK_BUF];
	const char *in = "";

	/*
	 * The escalation clock says what falls due and whom it reaches,
	 * "tier 2 → engineering manager in 1:36"; the others their name.
	 */
	if (c->kind == CLOCK_ESCALATE && c->tier > 0) {
		snprintf(name, sizeof name, "tier %d%s%s", c->tier,
		         c->tier_to ? " \xe2\x86\x92 " : "",
		         c->tier_to ? c->tier_to : "");
		in = "in ";
	} else
		snprintf(name, sizeof name, "%s", clock_kind_name(c->kind));
	switch (c->state) {
	case CLOCK_OK:
		snprintf(buf, size, "%s %s%s", name, in,
		         time_format_clock(c->remaining, t));
		break;
	case CLOCK_DUE_SOON:
		snprintf(buf, size, "%s %s%s (soon)", name, in,
		         time_format_clock(c->remaining, t));
		break;
	case CLOCK_BREACHED:
		snprintf(buf, size, "%s %s (breached)", name,
		         time_format_clock(c->remaining, t));
		break;
	case CLOCK_MET:
		snprintf(buf, size, "%s met", name);
		break;
	case CLOCK_MISSED:
		snprintf(buf, size, "%s missed by %s", name,
		         time_format_clock(-c->remaining, t));
		break;
	default:
		snprintf(buf, size, "%s -", name);
		break;
	}
	return buf;
}

static void
compute(const struct incident *inc, const struct policy *p, int64_t now,
        struct sla_clock clocks[CLOCK_KIND_COUNT])
{
	struct clock_input in;

	incident_clock_input(inc, &in);
	clocks_compute(p, &in, now, clocks);
}

void
textout_incident_list(FILE *f, const struct incident_list *l,
                      const struct policy *p, int64_t now, int width)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i, title_cols = 0;

	if (l->n == 0) {
		fputs("No incidents.\n", f);
		return;
	}
	/* ID 8, SEV 6, STATUS 14, AGE 7, CLOCK 26: 61 columns before TITLE. */
	if (width > 0)
		title_cols = width > 61 + 10 ? (size_t)width - 61 : 10;
	fprintf(f, "%-8s%-6s%-14s%-7s%-26s%s\n", "ID", "SEV", "STATUS", "AGE",
	        "NEXT CLOCK", "TITLE");
	for (i = 0; i < l->n; i++) {
		const struct incident *inc = &l->v[i];
		struct sla_clock clocks[CLOCK_KIND_COUNT], phase;
		const struct sla_clock *u;
		char id[32], age[TIME_BUF], clk[TEXTOUT_CLOCK_BUF] = "-";
		int64_t end =
		    inc->resolved_at != TIME_NONE ? inc->resolved_at : now;

		compute(inc, p, now, clocks);
		incident_phase_clock(inc, now, &phase);
		u = clocks_most_urgent_with(clocks, &phase, 1);
		if (u != NULL)
			textout_clock(u, clk, sizeof clk);
		snprintf(id, sizeof id, "INC-%lld", (long long)inc->id);
		strbuf_reset(&sb);
		textout_cell(&sb, id, 8);
		textout_cell(&sb, inc->severity, 6);
		textout_cell(&sb, status_name(inc->status), 14);
		textout_cell(&sb, time_format_span(end - inc->declared_at, age),
		             7);
		textout_cell(&sb, clk, 26);
		put_text(&sb, inc->title, title_cols);
		if (inc->drill)
			strbuf_addstr(&sb, " [drill]");
		fprintf(f, "%s\n", strbuf_str(&sb));
	}
	strbuf_free(&sb);
}

/* HH:MM, or MM-DD HH:MM when the incident spans days. */
static char *
entry_time(int64_t t, int multiday, char *buf)
{
	char full[TIME_BUF];

	if (!multiday)
		return time_format_hhmm(t, buf);
	time_format_local(t, full);
	snprintf(buf, TIME_BUF, "%s", full + 5);
	return buf;
}

void
textout_incident(FILE *f, const struct incident *inc,
                 const struct entry_list *timeline,
                 const struct action_list *actions, const struct policy *p,
                 int64_t now, int width)
{
	const struct policy_level *lvl = policy_level(p, inc->severity);
	struct sla_clock clocks[CLOCK_KIND_COUNT];
	struct strbuf sb = STRBUF_INIT;
	char t1[TIME_BUF], t2[TIME_BUF], clk[TEXTOUT_CLOCK_BUF];
	size_t cols = width > 0 ? (size_t)width : 0, i;
	int multiday = 0, k;

	compute(inc, p, now, clocks);
	strbuf_addf(&sb, "INC-%lld  ", (long long)inc->id);
	put_text(&sb, inc->title, cols > 12 ? cols - 12 : 0);
	if (inc->drill)
		strbuf_addstr(&sb, "  [drill]");
	strbuf_addstr(&sb, "\nSeverity     ");
	put_text(&sb, inc->severity, 16);
	if (lvl != NULL) {
		strbuf_addstr(&sb, " (");
		put_text(&sb, lvl->definition, cols > 40 ? cols - 40 : 0);
		strbuf_addstr(&sb, ")");
	} else {
		strbuf_addstr(&sb, " (not in this policy)");
	}
	strbuf_addf(&sb, "\nStatus       %s", status_name(inc->status));
	strbuf_addstr(&sb, "\nService      ");
	put_text(&sb, inc->service != NULL ? inc->service : "-",
	         cols ? cols - 13 : 0);
	strbuf_addstr(&sb, "\nImpact       ");
	put_text(&sb, inc->impact != NULL ? inc->impact : "-",
	         cols ? cols - 13 : 0);
	strbuf_addf(&sb, "\nDeclared     %s by ",
	            time_format_local(inc->declared_at, t1));
	put_text(&sb, inc->declared_by, 32);
	strbuf_addf(&sb, " (%s ago)",
	            time_format_span(now - inc->declared_at, t2));
	if (inc->acknowledged_at != TIME_NONE)
		strbuf_addf(&sb, "\nAcknowledged %s",
		            time_format_local(inc->acknowledged_at, t1));
	if (inc->mitigated_at != TIME_NONE)
		strbuf_addf(&sb, "\nMitigated    %s",
		            time_format_local(inc->mitigated_at, t1));
	if (inc->resolved_at != TIME_NONE)
		strbuf_addf(
		    &sb, "\nResolved     %s (after %s)",
		    time_format_local(inc->resolved_at, t1),
		    time_format_span(inc->resolved_at - inc->declared_at, t2));
	if (inc->closed_at != TIME_NONE)
		strbuf_addf(&sb, "\nClosed       %s",
		            time_format_local(inc->closed_at, t1));
	strbuf_addstr(&sb, "\nClocks      ");
	for (k = 0; k < CLOCK_KIND_COUNT; k++) {
		if (clocks[k].state == CLOCK_NONE)
			continue;
		strbuf_addf(&sb, " %s;",
		            textout_clock(&clocks[k], clk, sizeof clk));
	}
	if (sb.buf[sb.len - 1] == ';')
		sb.buf[--sb.len] = '\0';
	strbuf_addstr(&sb, "\nRoles       ");
	for (k = 0; k < ROLE_COUNT; k++) {
		strbuf_addf(&sb, " %s: ", role_name((enum role)k));
		put_text(&sb,
		         inc->roles[k] != NULL ? inc->roles[k] : "(unfilled)",
		         32);
		if (k + 1 < ROLE_COUNT)
			strbuf_addch(&sb, ';');
	}
	fprintf(f, "%s\n", strbuf_str(&sb));

	if (actions != NULL && actions->n > 0) {
		fputs("\nAction items\n", f);
		for (i = 0; i < actions->n; i++) {
			const struct action_item *a = &actions->v[i];

			strbuf_reset(&sb);
			strbuf_addf(&sb, "  ACT-%lld [%s] ", (long long)a->id,
			            action_state_name(a->state));
			put_text(&sb, a->text, cols > 40 ? cols - 40 : 0);
			if (a->owner != NULL) {
				strbuf_addstr(&sb, " (owner ");
				put_text(&sb, a->owner, 32);
				strbuf_addch(&sb, ')');
			}
			if (a->due_at != TIME_NONE)
				strbuf_addf(&sb, " due %s%s",
				            time_format_local(a->due_at, t1),
				            a->state == ACTION_OPEN &&
				                    a->due_at < now
				                ? " OVERDUE"
				                : "");
			fprintf(f, "%s\n", strbuf_str(&sb));
		}
	}

	if (timeline != NULL) {
		fprintf(f, "\nTimeline%s\n",
		        timeline->more
		            ? " (newest entries; --limit 0 shows all)"
		            : "");
		/* More than one calendar day in the display zone: dates. */
		if (timeline->n > 0 &&
		    !time_same_local_day(timeline->v[0].at,
		                         timeline->v[timeline->n - 1].at))
			multiday = 1;
		for (i = 0; i < timeline->n; i++) {
			const struct entry *e = &timeline->v[i];
			size_t indent = multiday ? 36 : 30;

			strbuf_reset(&sb);
			strbuf_addf(&sb, "  %s%s ",
			            entry_time(e->at, multiday, t1),
			            e->pinned ? "*" : " ");
			textout_cell(&sb, kind_name(e->kind), 10);
			textout_cell(&sb, e->author, 12);
			put_text(&sb, e->text,
			         cols > indent ? cols - indent : 0);
			if (entry_is_late(e))
				strbuf_addf(
				    &sb, " (logged %s)",
				    time_format_hhmm(e->recorded_at, t2));
			if (e->revision > 1)
				strbuf_addstr(&sb, " (edited)");
			fprintf(f, "%s\n", strbuf_str(&sb));
		}
	}
	strbuf_free(&sb);
}

void
textout_audit(FILE *f, const struct audit_list *l, int width)
{
	struct strbuf sb = STRBUF_INIT;
	char t[TIME_BUF];
	size_t i, cols = width > 60 ? (size_t)width - 60 : 0;

	for (i = 0; i < l->n; i++) {
		const struct audit_row *a = &l->v[i];

		strbuf_reset(&sb);
		strbuf_addf(&sb, "%s  ", time_format_local(a->at, t));
		textout_cell(&sb, a->actor, 12);
		/* On PostgreSQL, the login that wrote it beside the name. */
		if (a->db_role != NULL)
			textout_cell(&sb, a->db_role, 12);
		textout_cell(&sb, a->origin, 16);
		strbuf_addf(&sb, "%s %lld ", a->object,
		            (long long)a->object_id);
		put_text(&sb, a->field, 24);
		strbuf_addstr(&sb, ": ");
		put_text(&sb, a->old_value != NULL ? a->old_value : "-",
		         cols / 2);
		strbuf_addstr(&sb, " -> ");
		put_text(&sb, a->new_value != NULL ? a->new_value : "-",
		         cols / 2);
		fprintf(f, "%s\n", strbuf_str(&sb));
	}
	strbuf_free(&sb);
}
