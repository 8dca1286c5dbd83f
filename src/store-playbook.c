/*
 * store-playbook.c - the SQL of checklists: giving an incident its
 * playbook's steps, ticking steps from the events that complete them (inside
 * the event's own transaction), the tick/untick/skip verbs, and runbooks.
 *
 * DESIGN: an incident's steps are copied from its playbook when it is
 * declared, so a later edit of the file never rewrites what an incident was
 * asked to do, and the store never reads files: the opener hands it a
 * lookup (store_set_playbooks()).  st_insert_entry() calls
 * st_checklist_entry() for every entry, which maps the entry to its event
 * (playbook_entry_event()) and ticks the earliest open step naming it:
 * the event and its tick commit together or not at all.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "itui/store-int.h"
#include "itui/store-playbook.h"
#include "itui/xalloc.h"

void
store_set_playbooks(struct store *st, store_playbook_fn fn, void *ctx)
{
	st->playbook_fn = fn;
	st->playbook_ctx = ctx;
}

/* Test-only: die between the event's writes and its commit. */
static void
maybe_die(const char *point)
{
	const char *k = getenv("INCIDENT_TUI_TEST_KILL");

	if (k != NULL && strcmp(k, point) == 0)
		raise(SIGKILL);
}

static enum itui_code
max_int(struct store *st, const char *sql, int64_t id, int64_t *out,
        struct itui_err *err)
{
	struct sd_stmt *s =
	    st_query(st, err, "reading the checklist", sql, "i", id);
	int rc;

	*out = 0;
	if (s == NULL)
		return err->code;
	rc = sd_step(s);
	if (rc == SD_ROW)
		*out = sd_int64(s, 0);
	return st_finish(st, s, rc, "reading the checklist", err);
}

/* A checklist_phases row from column `c` on (pos, name, timebox, relative). */
static void
read_phase(struct sd_stmt *s, int c, struct checklist *cl, int64_t **pos,
           size_t *cap)
{
	struct cl_phase *ph;

	if (cl->nphases == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		cl->phases = xreallocarray(cl->phases, *cap, sizeof *ph);
		*pos = xreallocarray(*pos, *cap, sizeof **pos);
	}
	(*pos)[cl->nphases] = sd_int64(s, c);
	ph = &cl->phases[cl->nphases++];
	memset(ph, 0, sizeof *ph);
	ph->name = st_col_text(s, c + 1);
	ph->timebox = sd_int64(s, c + 2);
	ph->relative = sd_int(s, c + 3);
}

#define STEP_COLUMNS                                                  \
	"num, phase_pos, text, role, event, no_progress, progress,"   \
	" progress_at, source, added_at, state, by_user, at, reason," \
	" by_event"

/* A checklist_steps row from column `c` on (STEP_COLUMNS). */
static void
read_step(struct sd_stmt *s, int c, struct checklist *cl, const int64_t *pos,
          size_t *cap)
{
	struct cl_step *st;
	int64_t pp = sd_int64(s, c + 1);
	const char *state = sd_text(s, c + 10);
	size_t i;

	if (cl->nsteps == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		cl->steps = xreallocarray(cl->steps, *cap, sizeof *st);
	}
	st = &cl->steps[cl->nsteps++];
	memset(st, 0, sizeof *st);
	st->num = sd_int(s, c);
	for (i = 0; i < cl->nphases; i++)
		if (pos[i] == pp)
			st->phase = (int)i;
	st->text = st_col_text(s, c + 2);
	st->role = st_col_text(s, c + 3);
	st->event = st_col_text(s, c + 4);
	st->no_progress = sd_int64(s, c + 5);
	st->progress = st_col_text(s, c + 6);
	st->progress_at = st_col_time(s, c + 7);
	st->source = st_col_text(s, c + 8);
	st->added_at = sd_int64(s, c + 9);
	st->state = state != NULL && strcmp(state, "done") == 0 ? STEP_DONE
	            : state != NULL && strcmp(state, "skipped") == 0
	                ? STEP_SKIPPED
	                : STEP_OPEN;
	st->by = st_col_text(s, c + 11);
	st->at = st_col_time(s, c + 12);
	st->reason = st_col_text(s, c + 13);
	st->by_event = sd_int(s, c + 14);
}

enum itui_code
store_checklist(struct store *st, int64_t id, struct checklist *cl,
                struct itui_err *err)
{
	struct sd_stmt *s;
	int64_t *pos = NULL;
	size_t cap = 0;
	int rc;

	memset(cl, 0, sizeof *cl);
	cl->declared_at = cl->resolved_at = TIME_NONE;
	s = st_query(
	    st, err, "reading the incident",
	    "SELECT declared_at, resolved_at FROM incidents WHERE id = ?", "i",
	    id);
	if (s == NULL)
		return err->code;
	rc = sd_step(s);
	if (rc == SD_ROW) {
		cl->declared_at = st_col_time(s, 0);
		cl->resolved_at = st_col_time(s, 1);
	} else if (rc == SD_DONE) {
		sd_finalize(s);
		return err_set(err, ITUI_NOTFOUND, "no incident INC-%lld",
		               (long long)id);
	}
	if (st_finish(st, s, rc, "reading the incident", err))
		return err->code;

	s = st_query(st, err, "reading the checklist",
	             "SELECT pos, name, timebox, relative FROM checklist_phases"
	             " WHERE incident_id = ? ORDER BY pos",
	             "i", id);
	if (s == NULL)
		return err->code;
	while ((rc = sd_step(s)) == SD_ROW)
		read_phase(s, 0, cl, &pos, &cap);
	if (st_finish(st, s, rc, "reading the checklist", err))
		goto fail;

	cap = 0;
	s = st_query(st, err, "reading the checklist",
	             "SELECT " STEP_COLUMNS " FROM checklist_steps"
	             " WHERE incident_id = ? ORDER BY phase_pos, pos",
	             "i", id);
	if (s == NULL)
		goto fail;
	while ((rc = sd_step(s)) == SD_ROW)
		read_step(s, 0, cl, pos, &cap);
	if (st_finish(st, s, rc, "reading the checklist", err))
		goto fail;
	free(pos);
	return ITUI_OK;
fail:
	free(pos);
	checklist_free(cl);
	return err->code;
}

/* The phase position a new phase gets, after every other. */
static enum itui_code
add_phase(struct store *st, int64_t id, const struct pb_phase *ph, int64_t *pos,
          struct itui_err *err)
{
	if (max_int(st,
	            "SELECT coalesce(max(pos), 0) + 1 FROM checklist_phases"
	            " WHERE incident_id = ?",
	            id, pos, err))
		return err->code;
	return st_run(st, err, "adding the phase",
	              "INSERT INTO checklist_phases(incident_id, pos, name,"
	              " timebox, relative) VALUES (?, ?, ?, ?, ?)",
	              "iisid", id, *pos, ph->name,
	              ph->untimed ? (int64_t)0 : ph->timebox, ph->relative);
}

static enum itui_code
phase_by_name(struct store *st, int64_t id, const char *name, int64_t *pos,
              struct itui_err *err)
{
	struct sd_stmt *s = st_query(st, err, "reading the checklist",
	                             "SELECT pos FROM checklist_phases"
	                             " WHERE incident_id = ? AND name = ?",
	                             "is", id, name);
	int rc;

	*pos = 0;
	if (s == NULL)
		return err->code;
	rc = sd_step(s);
	if (rc == SD_ROW)
		*pos = sd_int64(s, 0);
	return st_finish(st, s, rc, "reading the checklist", err);
}

/* The current phase's position, or 0 when every phase is done. */
static enum itui_code
current_phase_pos(struct store *st, int64_t id, int64_t *pos,
                  struct itui_err *err)
{
	struct checklist cl;
	struct sd_stmt *s;
	int rc;

	*pos = 0;
	if (store_checklist(st, id, &cl, err))
		return err->code;
	checklist_compute(&cl, st_now(st));
	if (cl.current < 0) {
		checklist_free(&cl);
		return ITUI_OK;
	}
	s = st_query(st, err, "reading the checklist",
	             "SELECT pos FROM checklist_phases"
	             " WHERE incident_id = ? AND name = ?",
	             "is", id, cl.phases[cl.current].name);
	checklist_free(&cl);
	if (s == NULL)
		return err->code;
	rc = sd_step(s);
	if (rc == SD_ROW)
		*pos = sd_int64(s, 0);
	return st_finish(st, s, rc, "reading the checklist", err);
}

/*
 * Copies a playbook's or runbook's steps into the incident's checklist; a
 * step already in its phase (same text) is not added twice.
 */
static enum itui_code
attach(struct store *st, int64_t id, const struct playbook *pb, int runbook,
       int64_t at, int *added, struct itui_err *err)
{
	int64_t cur = 0, num;
	enum itui_code rc;
	size_t p, k;
	struct sd_stmt *s;
	int srcrc, exists = 0;

	*added = 0;
	s = st_query(st, err, "reading the checklist",
	             "SELECT 1 FROM checklist_sources WHERE incident_id = ?"
	             " AND kind = ? AND name = ?",
	             "iss", id, runbook ? "runbook" : "playbook", pb->name);
	if (s == NULL)
		return err->code;
	srcrc = sd_step(s);
	exists = srcrc == SD_ROW;
	if (st_finish(st, s, srcrc, "reading the checklist", err))
		return err->code;
	if (exists)
		return runbook ? err_set(err, ITUI_USAGE,
		                         "runbook %s is already attached to "
		                         "INC-%lld",
		                         pb->name, (long long)id)
		               : ITUI_OK;
	rc = st_run(st, err, "attaching the playbook",
	            "INSERT INTO checklist_sources(incident_id, kind, name,"
	            " attached_at, attached_by) VALUES (?, ?, ?, ?, ?)",
	            "issis", id, runbook ? "runbook" : "playbook", pb->name, at,
	            st->actor);
	if (rc == ITUI_OK && runbook)
		rc = current_phase_pos(st, id, &cur, err);
	for (p = 0; rc == ITUI_OK && p < pb->nphases; p++) {
		const struct pb_phase *ph = &pb->phases[p];
		int64_t pos;

		if ((rc = phase_by_name(st, id, ph->name, &pos, err)))
			break;
		if (pos == 0 && runbook && cur != 0)
			pos = cur;
		if (pos == 0 && (rc = add_phase(st, id, ph, &pos, err)))
			break;
		for (k = 0; rc == ITUI_OK && k < ph->nsteps; k++) {
			const struct pb_step *sp = &ph->steps[k];
			int64_t dup, ppos;

			s = st_query(
			    st, err, "reading the checklist",
			    "SELECT count(*) FROM checklist_steps WHERE"
			    " incident_id = ? AND phase_pos = ? AND"
			    " text = ?",
			    "iis", id, pos, sp->text);
			if (s == NULL) {
				rc = err->code;
				break;
			}
			srcrc = sd_step(s);
			dup = srcrc == SD_ROW ? sd_int64(s, 0) : 0;
			if ((rc = st_finish(st, s, srcrc,
			                    "reading the checklist", err)))
				break;
			if (dup > 0)
				continue;
			if ((rc = max_int(
			         st,
			         "SELECT coalesce(max(num), 0) + 1 FROM"
			         " checklist_steps WHERE incident_id = ?",
			         id, &num, err)))
				break;
			s = st_query(
			    st, err, "reading the checklist",
			    "SELECT coalesce(max(pos), 0) + 1 FROM"
			    " checklist_steps WHERE incident_id = ? AND"
			    " phase_pos = ?",
			    "ii", id, pos);
			if (s == NULL) {
				rc = err->code;
				break;
			}
			srcrc = sd_step(s);
			ppos = srcrc == SD_ROW ? sd_int64(s, 0) : 1;
			if ((rc = st_finish(st, s, srcrc,
			                    "reading the checklist", err)))
				break;
			/* An event that already happened ticks the new step. */
			rc = st_run(
			    st, err, "adding the step",
			    "INSERT INTO checklist_steps(incident_id, num,"
			    " phase_pos, pos, text, role, event, no_progress,"
			    " progress, source, added_at, state, by_user, at,"
			    " by_event)"
			    " SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, nullif(?8, 0), ?9,"
			    "  ?10, ?11,"
			    "  coalesce(d.state, 'open'), d.by_user, d.at,"
			    "  coalesce(d.by_event, 0)"
			    " FROM (SELECT 1) AS one LEFT JOIN (SELECT 'done' AS"
			    "  state,"
			    "  by_user, at, 1 AS by_event FROM checklist_steps"
			    "  WHERE incident_id = ?1 AND event = ?7 AND"
			    "  state = 'done' AND by_event = 1 ORDER BY at"
			    "  LIMIT 1) d ON true",
			    "iiiisssissi", id, num, pos, ppos, sp->text,
			    sp->role, sp->event,
			    sp->no_progress > 0 ? sp->no_progress : (int64_t)0,
			    sp->progress, pb->name, at);
			if (rc == ITUI_OK)
				(*added)++;
		}
	}
	return rc;
}

enum itui_code
st_checklist_level(struct store *st, int64_t id, const char *level, int64_t at,
                   struct itui_err *err)
{
	const struct playbook *pb = NULL;
	int added;

	if (st->playbook_fn == NULL)
		return ITUI_OK;
	if (st->playbook_fn(st->playbook_ctx, level, &pb, err) != ITUI_OK)
		return err->code;
	if (pb == NULL)
		return ITUI_OK;
	return attach(st, id, pb, 0, at, &added, err);
}

enum itui_code
st_checklist_event(struct store *st, int64_t id, const char *event, int64_t at,
                   struct itui_err *err)
{
	struct sd_stmt *s;
	int64_t num = 0;
	enum itui_code rc;
	int src;

	s = st_query(st, err, "reading the checklist",
	             "SELECT num FROM checklist_steps WHERE incident_id = ?"
	             " AND event = ? AND state = 'open'"
	             " ORDER BY phase_pos, pos LIMIT 1",
	             "is", id, event);
	if (s == NULL)
		return err->code;
	src = sd_step(s);
	if (src == SD_ROW)
		num = sd_int64(s, 0);
	if ((rc = st_finish(st, s, src, "reading the checklist", err)))
		return rc;
	if (num == 0)
		return ITUI_OK;
	rc = st_run(st, err, "ticking the step",
	            "UPDATE checklist_steps SET state = 'done', by_user = ?,"
	            " at = ?, by_event = 1 WHERE incident_id = ? AND num = ?",
	            "siii", st->actor, at, id, num);
	if (rc == ITUI_OK)
		rc =
		    st_audit(st, id, "step", num, "state", "open", "done", err);
	if (rc == ITUI_OK)
		maybe_die("checklist-tick");
	return rc;
}

enum itui_code
st_checklist_entry(struct store *st, int64_t id, enum entry_kind kind,
                   const char *data, int64_t at, struct itui_err *err)
{
	char *ev = NULL, *field = NULL, *to = NULL, buf[64];
	const char *event;
	enum itui_code rc = ITUI_OK;

	if (kind == KIND_CHECKLIST)
		return ITUI_OK;
	if (data != NULL &&
	    (kind == KIND_STATUS || kind == KIND_ROLE || kind == KIND_SYSTEM)) {
		struct sd_stmt *s = st_query(
		    st, err, "reading the entry",
		    "SELECT json_extract(?1, '$.event'),"
		    " json_extract(?1, '$.field'), json_extract(?1, '$.to')"
		    " WHERE json_valid(?1)",
		    "s", data);
		int src;

		if (s == NULL)
			return err->code;
		src = sd_step(s);
		if (src == SD_ROW) {
			ev = st_col_text(s, 0);
			field = st_col_text(s, 1);
			to = st_col_text(s, 2);
		}
		rc = st_finish(st, s, src, "reading the entry", err);
	}
	/* Progress, for the guard steps that count this kind. */
	if (rc == ITUI_OK)
		rc = st_run(
		    st, err, "noting progress",
		    "UPDATE checklist_steps SET progress_at ="
		    " max(coalesce(progress_at, ?1), ?1)"
		    " WHERE incident_id = ?2 AND state = 'open' AND"
		    " no_progress IS NOT NULL AND"
		    " instr(' ' || progress || ' ', ' ' || ?3 || ' ') > 0",
		    "iis", at, id, kind_name(kind));
	event = playbook_entry_event(kind_name(kind), ev, field, to, buf,
	                             sizeof buf);
	if (rc == ITUI_OK && event != NULL)
		rc = st_checklist_event(st, id, event, at, err);
	free(ev);
	free(field);
	free(to);
	return rc;
}

/* The incident's current phase from its computed checklist. */
static void
take_phase(struct incident *inc, struct checklist *cl, int64_t now)
{
	inc->phase_start = inc->phase_due = TIME_NONE;
	cl->declared_at = inc->declared_at;
	cl->resolved_at = inc->resolved_at;
	checklist_compute(cl, now);
	if (cl->current >= 0) {
		const struct cl_phase *ph = &cl->phases[cl->current];

		free(inc->phase);
		inc->phase = xstrdup(ph->name);
		inc->phase_start = ph->start;
		inc->phase_due = ph->due;
	}
}

enum itui_code
st_checklist_phases(struct store *st, struct incident *v,
                    const struct st_idset *set, struct itui_err *err)
{
	size_t n = set->n ? set->n : 1, i;
	struct checklist *cl = xcalloc(n, sizeof *cl);
	int64_t **pos = xcalloc(n, sizeof *pos);
	size_t *pcap = xcalloc(n, sizeof *pcap),
	       *scap = xcalloc(n, sizeof *scap);
	struct sd_stmt *s;
	int rc, k;

	s = st_query_set(st, err, "reading the checklists",
	                 "SELECT incident_id, pos, name, timebox, relative"
	                 " FROM checklist_phases WHERE incident_id IN %s"
	                 " ORDER BY incident_id, pos",
	                 set);
	if (s == NULL)
		goto out;
	while ((rc = sd_step(s)) == SD_ROW)
		if ((k = st_idset_find(set, sd_int64(s, 0))) >= 0)
			read_phase(s, 1, &cl[k], &pos[k], &pcap[k]);
	if (st_finish(st, s, rc, "reading the checklists", err))
		goto out;
	s = st_query_set(st, err, "reading the checklists",
	                 "SELECT incident_id, " STEP_COLUMNS
	                 " FROM checklist_steps WHERE incident_id IN %s"
	                 " ORDER BY incident_id, phase_pos, pos",
	                 set);
	if (s == NULL)
		goto out;
	while ((rc = sd_step(s)) == SD_ROW)
		if ((k = st_idset_find(set, sd_int64(s, 0))) >= 0)
			read_step(s, 1, &cl[k], pos[k], &scap[k]);
	if (st_finish(st, s, rc, "reading the checklists", err))
		goto out;
	for (i = 0; i < set->n; i++)
		take_phase(&v[i], &cl[i], st_now(st));
	err->code = ITUI_OK;
out:
	for (i = 0; i < set->n; i++) {
		checklist_free(&cl[i]);
		free(pos[i]);
	}
	free(cl);
	free(pos);
	free(pcap);
	free(scap);
	return err->code;
}

enum itui_code
store_checklist_set(struct store *st, int64_t id, const char *ref,
                    enum step_state state, const char *reason, int64_t at,
                    int *num, char **text, struct itui_err *err)
{
	struct checklist cl;
	struct cl_step *s;
	char field[32], *line = NULL;
	enum itui_code rc;

	*text = NULL;
	if (state == STEP_SKIPPED && st_check_text("the reason for skipping",
	                                           reason, MAX_TEXT_BYTES, err))
		return err->code;
	at = st_at_or_now(st, at);
	if ((rc = st_begin_on(st, id, err)) != ITUI_OK)
		return rc;
	if ((rc = store_checklist(st, id, &cl, err)) != ITUI_OK)
		return st_end(st, rc, err);
	if (cl.nsteps == 0) {
		checklist_free(&cl);
		return st_end(st,
		              err_set(err, ITUI_USAGE,
		                      "INC-%lld has no checklist (its level "
		                      "names no playbook)",
		                      (long long)id),
		              err);
	}
	s = checklist_find(&cl, ref, err);
	if (s == NULL) {
		checklist_free(&cl);
		return st_end(st, err->code, err);
	}
	if (s->state == state) {
		rc = err_set(err, ITUI_USAGE, "step %d is already %s", s->num,
		             step_state_name(state));
		checklist_free(&cl);
		return st_end(st, rc, err);
	}
	if (state != STEP_OPEN && s->state != STEP_OPEN) {
		rc = err_set(err, ITUI_USAGE,
		             "step %d is %s; reopen it first (--undo)", s->num,
		             step_state_name(s->state));
		checklist_free(&cl);
		return st_end(st, rc, err);
	}
	*num = s->num;
	*text = xstrdup(s->text);
	rc = st_run(
	    st, err, "changing the step",
	    "UPDATE checklist_steps SET state = ?, by_user = ?, at = ?,"
	    " reason = ?, by_event = 0 WHERE incident_id = ? AND num = ?",
	    "sstsid", step_state_name(state),
	    state == STEP_OPEN ? NULL : st->actor,
	    state == STEP_OPEN ? TIME_NONE : at,
	    state == STEP_SKIPPED ? reason : NULL, id, s->num);
	snprintf(field, sizeof field, "step:%d", s->num);
	if (rc == ITUI_OK)
		rc = st_audit(st, id, "step", s->num, "state",
		              step_state_name(s->state), step_state_name(state),
		              err);
	if (rc == ITUI_OK && state == STEP_SKIPPED)
		rc = st_audit(st, id, "step", s->num, "reason", NULL, reason,
		              err);
	if (state == STEP_DONE)
		line = xasprintf("Checked [%d] %s", s->num, s->text);
	else if (state == STEP_SKIPPED)
		line =
		    xasprintf("Skipped [%d] %s: %s", s->num, s->text, reason);
	else
		line = xasprintf("Reopened [%d] %s", s->num, s->text);
	if (rc == ITUI_OK)
		rc = st_typed_entry(st, id, KIND_CHECKLIST, at, line, field,
		                    step_state_name(s->state),
		                    step_state_name(state), err);
	if (rc == ITUI_OK)
		rc = st_touch_incident(st, id, err);
	free(line);
	checklist_free(&cl);
	if (rc != ITUI_OK) {
		free(*text);
		*text = NULL;
	}
	return st_end(st, rc, err);
}

enum itui_code
store_checklist_attach(struct store *st, int64_t id, const struct playbook *rb,
                       int *added, struct itui_err *err)
{
	int64_t at = st_now(st);
	enum itui_code rc;
	char *line;

	*added = 0;
	if ((rc = st_begin_on(st, id, err)) != ITUI_OK)
		return rc;
	rc = st_incident_exists(st, id, err);
	if (rc == ITUI_OK)
		rc = attach(st, id, rb, 1, at, added, err);
	if (rc == ITUI_OK && *added == 0)
		rc = err_set(err, ITUI_USAGE, "runbook %s has no steps to add",
		             rb->name);
	line = xasprintf("Runbook %s attached: %d step%s joined the checklist",
	                 rb->name, *added, *added == 1 ? "" : "s");
	if (rc == ITUI_OK)
		rc = st_typed_entry(st, id, KIND_CHECKLIST, at, line, "runbook",
		                    NULL, rb->name, err);
	if (rc == ITUI_OK)
		rc = st_audit(st, id, "incident", id, "runbook", NULL, rb->name,
		              err);
	if (rc == ITUI_OK)
		rc = st_touch_incident(st, id, err);
	free(line);
	return st_end(st, rc, err);
}
