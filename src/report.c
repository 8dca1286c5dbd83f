/*
 * report.c - the handoff summary and the statistics, as text or JSON, for
 * the command line and the dashboard's views alike.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "itui/clocks.h"
#include "itui/jsonout.h"
#include "itui/report.h"
#include "itui/sanitize.h"
#include "itui/stats.h"
#include "itui/store-playbook.h"
#include "itui/strbuf.h"
#include "itui/textout.h"
#include "itui/timeutil.h"
#include "itui/xalloc.h"

/* Prints a report line without the padding of its last cell. */
static void
print_line(FILE *f, struct strbuf *sb)
{
	while (sb->len > 0 && sb->buf[sb->len - 1] == ' ')
		sb->buf[--sb->len] = '\0';
	fprintf(f, "%s\n", strbuf_str(sb));
	strbuf_reset(sb);
}

/* Columns of s[0..n) (a UTF-8 sequence counts one). */
static size_t
cols_of(const char *s, size_t n)
{
	size_t i, w = 0;

	for (i = 0; i < n; i++)
		w += ((unsigned char)s[i] & 0xC0) != 0x80;
	return w;
}

/*
 * One line of a note, indented and wrapped at spaces to `cols` columns
 * (70: the dashboard's overlay at 80 columns holds 74): the pager cuts
 * long lines, and the note must be read whole.  A word
 * longer than a line stays whole.
 */
static void
put_wrapped(FILE *f, struct strbuf *sb, const char *s, size_t len, size_t cols)
{
	while (len > 0) {
		size_t cut = len, i;

		if (cols_of(s, len) > cols) {
			size_t sp = 0;

			for (i = 1; i < len && cols_of(s, i) <= cols; i++)
				if (s[i] == ' ')
					sp = i;
			for (; sp == 0 && i < len; i++)
				if (s[i] == ' ')
					sp = i;
			cut = sp > 0 ? sp : len;
		}
		strbuf_addstr(sb, "  ");
		sanitize_append(sb, s, cut, 0, 0, 0);
		print_line(f, sb);
		s += cut;
		len -= cut;
		for (; len > 0 && *s == ' '; s++)
			len--;
	}
}

static enum itui_code
print_json_to(FILE *f, json_t *root, struct itui_err *err)
{
	int rc = jsonout_print(root, f);

	json_decref(root);
	if (rc != 0)
		return err_set(err, ITUI_IO, "writing the report failed");
	return ITUI_OK;
}

/* Yours first, then by due date (undated last). */
static const char *sort_user;

static int
action_order(const void *x, const void *y)
{
	const struct action_item *a = x, *b = y;
	int ma = a->owner && strcmp(a->owner, sort_user) == 0;
	int mb = b->owner && strcmp(b->owner, sort_user) == 0;

	if (ma != mb)
		return mb - ma;
	if ((a->due_at == TIME_NONE) != (b->due_at == TIME_NONE))
		return a->due_at == TIME_NONE ? 1 : -1;
	if (a->due_at != b->due_at)
		return a->due_at < b->due_at ? -1 : 1;
	return a->id < b->id ? -1 : 1;
}

enum itui_code
report_handoff(struct store *st, const struct policy *p, const char *user,
               int64_t now, int64_t since, const char *why, int json,
               int mark_look, FILE *f, struct itui_err *err)
{
	struct incident_list l;
	struct entry_list changes;
	struct action_list acts;
	struct alert_rows alerts;
	struct handoff_list mine;
	struct strbuf sb = STRBUF_INIT;
	size_t i, open = 0, overdue = 0, loose = 0;
	char t1[TIME_BUF], t2[TIME_BUF];

	if (store_incident_list(st, 0, 0, &l, err))
		return err->code;
	incident_list_sort(&l, p);
	if (store_changes_since(st, since, 200, &changes, err) ||
	    store_actions(st, 0, 1, &acts, err) ||
	    store_alerts(st, 1, &alerts, err) ||
	    store_handoffs_to(st, user, since, &mine, err)) {
		incident_list_free(&l);
		return err->code;
	}
	sort_user = user;
	if (acts.n > 1)
		qsort(acts.v, acts.n, sizeof *acts.v, action_order);
	for (i = 0; i < acts.n; i++) {
		open++;
		overdue +=
		    acts.v[i].due_at != TIME_NONE && acts.v[i].due_at < now;
	}
	for (i = 0; i < alerts.n; i++)
		loose += alerts.v[i].incident_id == 0;
	/* Reading the handoff is a look: the next one starts from here. */
	if (mark_look && !store_is_readonly(st))
		(void)store_set_last_look(st, user, now, NULL);

	if (json) {
		json_t *root = json_object(), *arr = json_array();

		json_object_set_new(root, "user", json_string(user));
		json_object_set_new(root, "now", jsonout_time(now));
		json_object_set_new(root, "since", jsonout_time(since));
		json_object_set_new(root, "since_from", json_string(why));
		for (i = 0; i < l.n; i++)
			json_array_append_new(
			    arr, jsonout_incident(&l.v[i], p, now));
		json_object_set_new(root, "incidents", arr);
		arr = json_array();
		for (i = 0; i < changes.n; i++) {
			json_t *e = jsonout_entry(&changes.v[i]);

			json_object_set_new(
			    e, "incident_id",
			    json_integer(changes.v[i].incident_id));
			json_array_append_new(arr, e);
		}
		json_object_set_new(root, "changes", arr);
		arr = json_array();
		for (i = 0; i < acts.n; i++)
			json_array_append_new(arr,
			                      jsonout_action(&acts.v[i], now));
		json_object_set_new(root, "actions", arr);
		arr = json_array();
		for (i = 0; i < alerts.n; i++)
			if (alerts.v[i].incident_id == 0)
				json_array_append_new(
				    arr, jsonout_alert(&alerts.v[i]));
		json_object_set_new(root, "unattached_alerts", arr);
		arr = json_array();
		for (i = 0; i < mine.n; i++)
			json_array_append_new(
			    arr, json_pack("{s:o, s:s, s:o}", "at",
			                   jsonout_time(mine.v[i].at), "from",
			                   mine.v[i].from, "note",
			                   mine.v[i].note
			                       ? json_string(mine.v[i].note)
			                       : json_null()));
		json_object_set_new(root, "handed_to_you", arr);
		handoff_list_free(&mine);
		incident_list_free(&l);
		entry_list_free(&changes);
		action_list_free(&acts);
		alert_rows_free(&alerts);
		return print_json_to(f, root, err);
	}

	/* Eighty columns: a pager-sized glance. */
	strbuf_addf(&sb, "Handoff for ");
	textout_cell(&sb, user, 33);
	sb.len -= 33 - text_width(strbuf_str(&sb) + 12);
	sb.buf[sb.len] = '\0';
	strbuf_addf(&sb, " at %s %s", time_format_local(now, t1),
	            time_zone_name());
	print_line(f, &sb);
	/* What was handed to you comes first, each note whole. */
	for (i = 0; i < mine.n; i++) {
		const char *n = mine.v[i].note, *nl;

		strbuf_addstr(&sb, i ? "" : "\nHANDED TO YOU\n");
		strbuf_addstr(&sb, "From ");
		sanitize_append(&sb, mine.v[i].from, strlen(mine.v[i].from), 0,
		                0, 0);
		strbuf_addf(&sb,
		            " at %s:", time_format_local(mine.v[i].at, t1));
		if (n == NULL)
			strbuf_addstr(&sb, " (no note)");
		print_line(f, &sb);
		for (; n != NULL && *n != '\0'; n = *nl ? nl + 1 : nl) {
			nl = n + strcspn(n, "\n");
			put_wrapped(f, &sb, n, (size_t)(nl - n), 70);
		}
	}
	handoff_list_free(&mine);
	strbuf_addf(&sb, "Changes since %s (%s)", time_format_local(since, t2),
	            why);
	print_line(f, &sb);
	strbuf_addf(&sb, "\nACTIVE INCIDENTS (%zu)", l.n);
	print_line(f, &sb);
	for (i = 0; i < l.n; i++) {
		const struct incident *inc = &l.v[i];
		struct sla_clock c[CLOCK_KIND_COUNT], phase;
		struct clock_input in;
		const struct sla_clock *u;
		char id[24], clk[TEXTOUT_CLOCK_BUF] = "";
		int r;

		incident_clock_input(inc, &in);
		clocks_compute(p, &in, now, c);
		incident_phase_clock(inc, now, &phase);
		u = clocks_most_urgent_with(c, &phase, 1);
		if (u != NULL)
			textout_clock(u, clk, sizeof clk);
		snprintf(id, sizeof id, "INC-%lld", (long long)inc->id);
		textout_cell(&sb, id, 8);
		textout_cell(&sb, inc->severity, 6);
		textout_cell(&sb, status_name(inc->status), 15);
		textout_cell(&sb, clk, 51);
		print_line(f, &sb);
		strbuf_addstr(&sb, "        ");
		textout_cell(&sb, inc->title, 72);
		print_line(f, &sb);
		strbuf_addstr(&sb, "        ");
		for (r = 0; r < ROLE_COUNT; r++) {
			static const char *const lab[] = {"IC ", "TL ",
			                                  "Comms ", "Scribe "};

			strbuf_addstr(&sb, lab[r]);
			textout_cell(&sb, inc->roles[r] ? inc->roles[r] : "-",
			             12);
		}
		print_line(f, &sb);
	}
	strbuf_addf(&sb, "\nWHAT CHANGED (%zu%s)", changes.n,
	            changes.more ? "+" : "");
	print_line(f, &sb);
	for (i = 0; i < changes.n; i++) {
		const struct entry *e = &changes.v[i];
		char id[24];

		snprintf(id, sizeof id, "INC-%lld", (long long)e->incident_id);
		strbuf_addstr(&sb, "  ");
		textout_cell(&sb, id, 8);
		textout_cell(&sb, time_format_hhmm(e->recorded_at, t1), 6);
		textout_cell(&sb, kind_name(e->kind), 11);
		textout_cell(&sb, e->author, 10);
		textout_cell(&sb, e->text, 43);
		print_line(f, &sb);
	}
	strbuf_addf(&sb, "\nACTION ITEMS (%zu open, %zu overdue; yours first)",
	            open, overdue);
	print_line(f, &sb);
	for (i = 0; i < acts.n; i++) {
		const struct action_item *ai = &acts.v[i];
		char id[24], due[TIME_BUF] = "-";

		snprintf(id, sizeof id, "ACT-%lld", (long long)ai->id);
		if (ai->due_at != TIME_NONE)
			snprintf(due, sizeof due, "%.10s",
			         time_format_local(ai->due_at, t1));
		strbuf_addstr(&sb, "  ");
		textout_cell(&sb, id, 8);
		textout_cell(&sb, ai->owner ? ai->owner : "-", 10);
		textout_cell(&sb, due, 11);
		textout_cell(&sb,
		             ai->due_at != TIME_NONE && ai->due_at < now
		                 ? "OVERDUE"
		                 : "",
		             8);
		textout_cell(&sb, ai->text, 41);
		print_line(f, &sb);
	}
	strbuf_addf(&sb, "\nFIRING ALERTS NOT ON AN INCIDENT (%zu)", loose);
	print_line(f, &sb);
	for (i = 0; i < alerts.n; i++) {
		const struct alert_row *al = &alerts.v[i];
		char id[24];

		if (al->incident_id != 0)
			continue;
		snprintf(id, sizeof id, "AL-%lld", (long long)al->id);
		strbuf_addstr(&sb, "  ");
		textout_cell(&sb, id, 8);
		textout_cell(&sb, al->severity ? al->severity : "-", 10);
		textout_cell(&sb, al->name, 20);
		textout_cell(&sb, al->summary, 40);
		print_line(f, &sb);
	}
	strbuf_free(&sb);
	incident_list_free(&l);
	entry_list_free(&changes);
	action_list_free(&acts);
	alert_rows_free(&alerts);
	return ITUI_OK;
}

static json_t *
mean_json(double secs)
{
	return secs < 0 ? json_null() : json_integer((json_int_t)secs);
}

static void
mean_text(FILE *f, const char *label, double secs, int n)
{
	char b[TIME_BUF];

	if (secs < 0)
		fprintf(f, "%-6s -          (no data)\n", label);
	else
		fprintf(f, "%-6s %-10s (%d incident%s)\n", label,
		        time_format_span((int64_t)secs, b), n,
		        n == 1 ? "" : "s");
}

static void
process_done(struct checklist *cls, size_t n, struct stats_process *sp)
{
	size_t i;

	stats_process_free(sp);
	for (i = 0; i < n; i++)
		checklist_free(&cls[i]);
	free(cls);
}

static void
add_process_json(json_t *root, const struct stats_process *sp)
{
	json_t *ph = json_array(), *st = json_array();
	size_t i;

	for (i = 0; i < sp->nphases; i++) {
		const struct stats_phase *p = &sp->phases[i];

		json_array_append_new(
		    ph, json_pack("{s:s, s:i, s:i, s:o}", "name", p->name,
		                  "incidents", p->seen, "completed",
		                  p->completed, "median_seconds",
		                  p->median >= 0 ? json_integer(p->median)
		                                 : json_null()));
	}
	for (i = 0; i < sp->nsteps; i++) {
		const struct stats_step *s = &sp->steps[i];

		json_array_append_new(st, json_pack("{s:s, s:s, s:i, s:i, s:i}",
		                                    "phase", s->phase, "text",
		                                    s->text, "incidents",
		                                    s->seen, "late", s->late,
		                                    "skipped", s->skipped));
	}
	json_object_set_new(root, "phases", ph);
	json_object_set_new(root, "steps", st);
}

static void
process_text(FILE *f, const struct stats_process *sp)
{
	struct strbuf sb = STRBUF_INIT;
	char b[TIME_BUF];
	size_t i;
	int any = 0;

	if (sp->nphases == 0)
		return;
	fprintf(f, "\nPlaybook phases (median time to complete)\n");
	for (i = 0; i < sp->nphases; i++) {
		const struct stats_phase *p = &sp->phases[i];

		strbuf_addstr(&sb, "  ");
		textout_cell(&sb, p->name, 24);
		strbuf_addf(&sb, "%-10s (%d of %d completed)",
		            p->median >= 0 ? time_format_span(p->median, b)
		                           : "-",
		            p->completed, p->seen);
		print_line(f, &sb);
	}
	fprintf(f, "\nSteps late or skipped\n");
	for (i = 0; i < sp->nsteps; i++) {
		const struct stats_step *s = &sp->steps[i];

		if (s->late == 0 && s->skipped == 0)
			continue;
		strbuf_addf(&sb, "  late %d, skipped %d of %d: ", s->late,
		            s->skipped, s->seen);
		textout_cell(&sb, s->text, 60);
		print_line(f, &sb);
		any = 1;
	}
	if (!any)
		fprintf(f, "  none\n");
	strbuf_free(&sb);
}

/* {"P0": n, ..., "other": n}: incidents per level of the policy. */
static json_t *
levels_json(const struct policy *p, const int *count, int other)
{
	json_t *lv = json_object();
	int i;

	for (i = 0; i < p->nlevels; i++)
		json_object_set_new(lv, p->levels[i].name,
		                    json_integer(count[i]));
	if (other)
		json_object_set_new(lv, "other", json_integer(other));
	return lv;
}

enum itui_code
report_stats(struct store *st, const struct policy *p, int64_t now,
             int64_t since, int json, FILE *f, struct itui_err *err)
{
	struct incident_list l;
	struct stats s;
	int k, i, max = 1;
	char t1[TIME_BUF];

	struct checklist *cls;
	struct stats_process sp;
	size_t ncl = 0, q;

	if (store_incident_list(st, 1, 0, &l, err))
		return err->code;
	stats_compute(p, &l, since, now, &s);
	/* The playbooks' run, drills and older incidents left out as above. */
	cls = xcalloc(l.n + 1, sizeof *cls);
	for (q = 0; q < l.n; q++) {
		if (l.v[q].drill || l.v[q].declared_at < since)
			continue;
		if (store_checklist(st, l.v[q].id, &cls[ncl], err) != ITUI_OK) {
			while (ncl > 0)
				checklist_free(&cls[--ncl]);
			free(cls);
			incident_list_free(&l);
			return err->code;
		}
		checklist_compute(&cls[ncl++], now);
	}
	incident_list_free(&l);
	stats_process(cls, ncl, &sp);
	if (json) {
		json_t *root = json_object(), *cl = json_object();
		enum itui_code rc;

		add_process_json(root, &sp);
		process_done(cls, ncl, &sp);
		json_object_set_new(root, "since", jsonout_time(since));
		json_object_set_new(root, "now", jsonout_time(now));
		json_object_set_new(root, "incidents", json_integer(s.total));
		json_object_set_new(root, "drills_left_out",
		                    json_integer(s.drills));
		json_object_set_new(root, "by_severity",
		                    levels_json(p, s.by_level, s.other_level));
		json_object_set_new(root, "by_peak_severity",
		                    levels_json(p, s.by_peak, s.other_peak));
		json_object_set_new(root, "mtta_seconds", mean_json(s.mtta));
		json_object_set_new(root, "mttr_seconds", mean_json(s.mttr));
		json_object_set_new(root, "mtbf_seconds", mean_json(s.mtbf));
		for (k = 0; k < CLOCK_KIND_COUNT; k++) {
			json_t *o = json_object();

			json_object_set_new(o, "breached",
			                    json_integer(s.breached[k]));
			json_object_set_new(o, "of",
			                    json_integer(s.applies[k]));
			json_object_set_new(
			    o, "share",
			    s.applies[k] ? json_real((double)s.breached[k] /
			                             s.applies[k])
			                 : json_null());
			json_object_set_new(
			    cl, clock_kind_name((enum clock_kind)k), o);
		}
		json_object_set_new(root, "sla_breaches", cl);
		json_object_set_new(root, "escalated",
		                    json_integer(s.escalated));
		json_object_set_new(
		    root, "escalation_rate",
		    s.total ? json_real((double)s.escalated / s.total)
		            : json_null());
		rc = print_json_to(f, root, err);
		return rc;
	}
	fprintf(f, "Incidents since %s: %d (%d drill%s left out)\n\n",
	        time_format_local(since, t1), s.total, s.drills,
	        s.drills == 1 ? "" : "s");
	for (i = 0; i < p->nlevels; i++)
		if (s.by_level[i] > max)
			max = s.by_level[i];
	/* The bar is the current severity; the peak is the worst it got. */
	fprintf(f, "%-6s %4s %4s\n", "", "now", "peak");
	for (i = 0; i < p->nlevels; i++) {
		int bar = s.by_level[i] * 40 / max;

		fprintf(f, "%-6s %4d %4d ", p->levels[i].name, s.by_level[i],
		        s.by_peak[i]);
		for (k = 0; k < bar; k++)
			fputs("\xe2\x96\x88", f);
		fputc('\n', f);
	}
	fputc('\n', f);
	mean_text(f, "MTTA", s.mtta, s.acked);
	mean_text(f, "MTTR", s.mttr, s.resolved);
	mean_text(f, "MTBF", s.mtbf, s.total);
	fprintf(f, "\nSLA breaches\n");
	for (k = 0; k < CLOCK_KIND_COUNT; k++)
		if (s.applies[k] > 0)
			fprintf(f, "  %-12s %3d of %3d  (%.0f%%)\n",
			        clock_kind_name((enum clock_kind)k),
			        s.breached[k], s.applies[k],
			        100.0 * s.breached[k] / s.applies[k]);
	fprintf(f, "\nEscalated: %d of %d (%.0f%%)\n", s.escalated, s.total,
	        s.total ? 100.0 * s.escalated / s.total : 0.0);
	process_text(f, &sp);
	process_done(cls, ncl, &sp);
	return ITUI_OK;
}
