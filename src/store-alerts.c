/*
 * store-alerts.c - the alerts and monitoring-source tables.
 *
 * DESIGN: an alert row is one real alert, whichever sources report it: it
 * is found by Alertmanager's fingerprint first, then by its identity key
 * (labels minus the external/replica labels), and it keeps a stable id
 * (AL-N) that incidents refer to.  Two kinds of change reach it: a polling
 * round (the whole set: what is missing from a complete round resolved) and
 * a pushed webhook notification (only the alerts it names).  Alertmanager's
 * state is kept beside ours: a silenced alert is still firing, suppressed,
 * and never written as resolved.  Every write is one transaction; every
 * step is checked and a failing one rolls the whole change back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "itui/store-int.h"
#include "itui/store.h"
#include "itui/timeutil.h"
#include "itui/xalloc.h"

int
alert_severity_rank(const char *s)
{
	static const char *const names[][6] = {
	    {"critical", "page", "emergency", "fatal", "p1", "sev1"},
	    {"error", "high", "major", "p2", "sev2", NULL},
	    {"warning", "warn", "medium", "minor", "p3", "sev3"},
	    {"info", "low", "notice", "p4", "p5", "none"},
	};
	size_t i, k;

	if (s == NULL)
		return 4;
	for (i = 0; i < 4; i++)
		for (k = 0; k < 6 && names[i][k] != NULL; k++)
			if (strcasecmp(s, names[i][k]) == 0)
				return (int)i;
	return 4;
}

/* The SQL twin of alert_severity_rank(), for ORDER BY. */
#define RANK_SQL                                                                \
	"CASE WHEN lower(severity) IN ('critical','page','emergency','fatal',"  \
	"'p1','sev1') THEN 0 WHEN lower(severity) IN ('error','high','major',"  \
	"'p2','sev2') THEN 1 WHEN lower(severity) IN ('warning','warn',"        \
	"'medium','minor','p3','sev3') THEN 2 WHEN lower(severity) IN ('info'," \
	"'low','notice','p4','p5','none') THEN 3 ELSE 4 END"

#define ROW_COLS                                                                \
	"id, key, name, summary, severity, labels, annotations, source, since," \
	" last_seen, resolved_at, coalesce(incident_id, 0), state = 'firing',"  \
	" fingerprint, am_state, silenced_by, inhibited_by, group_key,"         \
	" external_url, generator_url, silence_id, ends_at"

static void
read_row(struct sd_stmt *s, void *p)
{
	struct alert_row *a = p;

	memset(a, 0, sizeof *a);
	a->id = sd_int64(s, 0);
	a->key = st_col_text(s, 1);
	a->name = st_col_text(s, 2);
	a->summary = st_col_text(s, 3);
	a->severity = st_col_text(s, 4);
	a->labels = st_col_text(s, 5);
	a->annotations = st_col_text(s, 6);
	a->source = st_col_text(s, 7);
	a->since = st_col_time(s, 8);
	a->last_seen = st_col_time(s, 9);
	a->resolved_at = st_col_time(s, 10);
	a->incident_id = sd_int64(s, 11);
	a->firing = sd_int(s, 12);
	a->fingerprint = st_col_text(s, 13);
	a->am_state = st_col_text(s, 14);
	a->silenced_by = st_col_text(s, 15);
	a->inhibited_by = st_col_text(s, 16);
	a->group_key = st_col_text(s, 17);
	a->external_url = st_col_text(s, 18);
	a->generator_url = st_col_text(s, 19);
	a->silence_id = st_col_text(s, 20);
	a->ends_at = st_col_time(s, 21);
	a->suppressed =
	    a->am_state != NULL && strcmp(a->am_state, "suppressed") == 0;
	a->rank = alert_severity_rank(a->severity);
}

/* What we knew of an alert before this change. */
struct before {
	int64_t id, incident;
	int found, was_firing, incident_active, incident_resolved;
	char *am_state;
};

static enum itui_code
look_up(struct store *st, const struct alert_in *a, struct before *b,
        struct itui_err *err)
{
#define LOOK_UP_SQL                                                                        \
	"SELECT a.id, coalesce(a.incident_id, 0), a.state = 'firing',"                     \
	" a.am_state, CASE WHEN i.status NOT IN ('resolved', 'closed') THEN 1 ELSE 0 END," \
	" CASE WHEN i.status = 'resolved' THEN 1 ELSE 0 END"                               \
	" FROM alerts a LEFT JOIN incidents i ON i.id = a.incident_id"
	static const char *const sql[2] = {LOOK_UP_SQL
	                                   " WHERE a.fingerprint = ?",
	                                   LOOK_UP_SQL " WHERE a.key = ?"};
	int pass, src;

	memset(b, 0, sizeof *b);
	/* The fingerprint first: Alertmanager's identity; then the key. */
	for (pass = 0; pass < 2 && !b->found; pass++) {
		const char *v = pass == 0 ? a->fingerprint : a->key;
		struct sd_stmt *s;
		enum itui_code rc;

		if (v == NULL)
			continue;
		s = st_query(st, err, "reading the alert", sql[pass], "s", v);
		if (s == NULL)
			return err->code;
		src = sd_step(s);
		if (src == SD_ROW) {
			b->found = 1;
			b->id = sd_int64(s, 0);
			b->incident = sd_int64(s, 1);
			b->was_firing = sd_int(s, 2);
			b->am_state = st_col_text(s, 3);
			b->incident_active = sd_int(s, 4);
			b->incident_resolved = sd_int(s, 5);
		}
		if ((rc = st_finish(st, s, src, "reading the alert", err)) !=
		    ITUI_OK)
			return rc;
	}
	return ITUI_OK;
}

static enum itui_code
note(struct store *st, int64_t incident, int64_t at, const char *text,
     struct itui_err *err)
{
	return st_insert_entry(st, incident, KIND_ALERT, at, text, NULL, NULL,
	                       err);
}

static int
is_suppressed(const char *s)
{
	return s != NULL && strcmp(s, "suppressed") == 0;
}

/* Adds or refreshes one firing alert; its id in *id. */
static enum itui_code
upsert(struct store *st, const struct alert_in *a, int64_t now, int64_t *id,
       int *changed, struct itui_err *err)
{
	struct before b;
	enum itui_code rc;
	char *t = NULL;
	int reopen;

	if ((rc = look_up(st, a, &b, err)) != ITUI_OK)
		return rc;
	/* Fired again once its incident was resolved: reopen it, if so
	 * configured (never a closed one), else let it go. */
	reopen = b.found && !b.was_firing && b.incident != 0 &&
	         b.incident_resolved && st->refire_reopens;
	if (!b.found) {
		rc = st_run(
		    st, err, "adding the alert",
		    "INSERT INTO alerts(key, fingerprint, source, name, labels,"
		    " annotations, since, last_seen, state, summary, severity,"
		    " am_state, silenced_by, inhibited_by, group_key,"
		    " external_url, generator_url, ends_at)"
		    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'firing', ?, ?, ?, ?, ?,"
		    " ?, ?, ?, ?)",
		    "ssssssiisssssssst", a->key, a->fingerprint, a->source,
		    a->name, a->labels, a->annotations,
		    a->since > 0 ? a->since : now, now, a->summary, a->severity,
		    a->am_state, a->silenced_by, a->inhibited_by, a->group_key,
		    a->external_url, a->generator_url, a->ends_at);
		if (rc == ITUI_OK) {
			*id = sd_last_id(st->db);
			(*changed)++;
		}
		return rc;
	}
	*id = b.id;
	/*
	 * Alertmanager's view wins where it gave one; a Prometheus-only
	 * report keeps what Alertmanager last said.  A re-fire starts a new
	 * `since`.  The casts: PostgreSQL cannot type a NULL parameter that
	 * is only tested with IS NULL.
	 */
	rc = st_run(
	    st, err, "refreshing the alert",
	    "UPDATE alerts SET last_seen = ?2, state = 'firing',"
	    " resolved_at = NULL, annotations = ?3, summary = ?4,"
	    " fingerprint = coalesce(?5, fingerprint),"
	    " am_state = CASE WHEN CAST(?6 AS TEXT) IS NULL THEN am_state"
	    " ELSE ?6 END,"
	    " silenced_by = CASE WHEN CAST(?6 AS TEXT) IS NULL THEN"
	    " silenced_by ELSE ?7 END,"
	    " inhibited_by = CASE WHEN CAST(?6 AS TEXT) IS NULL THEN"
	    " inhibited_by ELSE ?8 END, group_key = coalesce(?9, group_key),"
	    " external_url = coalesce(?10, external_url),"
	    " generator_url = coalesce(?11, generator_url),"
	    " labels = CASE WHEN CAST(?5 AS TEXT) IS NOT NULL THEN ?12 ELSE"
	    " labels END,"
	    " since = CASE WHEN state = 'firing' THEN since ELSE ?13 END,"
	    " ends_at = ?14,"
	    " incident_id = CASE WHEN state = 'firing' OR ?15 <> 0 THEN incident_id"
	    " ELSE NULL END"
	    " WHERE id = ?1",
	    "iissssssssssitd", b.id, now, a->annotations, a->summary,
	    a->fingerprint, a->am_state, a->silenced_by, a->inhibited_by,
	    a->group_key, a->external_url, a->generator_url, a->labels,
	    a->since > 0 ? a->since : now, a->ends_at,
	    b.incident_active || reopen);
	if (rc != ITUI_OK)
		goto out;
	if (!b.was_firing) {
		(*changed)++;
		/* Fired again: the same incident while it is open. */
		if (b.incident != 0 && b.incident_active) {
			t = xasprintf("Alert %s firing again", a->name);
			rc = note(st, b.incident, now, t, err);
		} else if (reopen) {
			int batch = st->batch;

			t = xasprintf("Alert %s fired again after the incident"
			              " was resolved: reopened ([alerts] refire"
			              " = reopen)",
			              a->name);
			rc = note(st, b.incident, now, t, err);
			/* Part of this round's transaction, not one of its
			 * own: begin and end are skipped as in a batch. */
			st->batch = 1;
			if (rc == ITUI_OK)
				rc = store_incident_set_status(
				    st, b.incident, STATUS_INVESTIGATING, now,
				    err);
			st->batch = batch;
		}
	} else if (a->am_state != NULL &&
	           is_suppressed(a->am_state) != is_suppressed(b.am_state)) {
		(*changed)++;
		/* Silenced or inhibited is not resolved: said as it is. */
		if (b.incident != 0 && b.incident_active) {
			if (is_suppressed(a->am_state))
				t = xasprintf(
				    "Alert %s suppressed in Alertmanager (%s %s);"
				    " still firing",
				    a->name,
				    a->silenced_by ? "silenced by"
				                   : "inhibited by",
				    a->silenced_by    ? a->silenced_by
				    : a->inhibited_by ? a->inhibited_by
				                      : "?");
			else
				t = xasprintf("Alert %s active again in"
				              " Alertmanager (no longer"
				              " suppressed)",
				              a->name);
			rc = note(st, b.incident, now, t, err);
		}
	} else if (a->am_state != NULL && b.am_state != NULL &&
	           strcmp(a->am_state, b.am_state) != 0) {
		(*changed)++;
	}
out:
	free(t);
	free(b.am_state);
	return rc;
}

/* Marks one alert resolved, with an entry on its open incident. */
static enum itui_code
resolve_one(struct store *st, int64_t id, const char *name, int64_t incident,
            int incident_active, int64_t at, struct itui_err *err)
{
	enum itui_code rc = st_run(
	    st, err, "resolving the alert",
	    "UPDATE alerts SET state = 'resolved', resolved_at = ? WHERE id = ?",
	    "ii", at, id);

	if (rc == ITUI_OK && incident != 0 && incident_active) {
		char *t = xasprintf("Alert %s resolved", name);

		rc = note(st, incident, at, t, err);
		free(t);
	}
	return rc;
}

enum itui_code
store_alerts_sync(struct store *st, const struct alert_in *v, size_t n,
                  int complete, int *changed, struct itui_err *err)
{
	int64_t now = st_now(st), id;
	enum itui_code rc;
	struct sd_stmt *s;
	size_t i;
	int src;

	*changed = 0;
	if ((rc = st_begin(st, err)) != ITUI_OK)
		return rc;
	st_note_monitoring(st);
	rc = st_run(st, err, "syncing alerts",
	            "CREATE TEMP TABLE IF NOT EXISTS seen(id INTEGER PRIMARY"
	            " KEY)",
	            "");
	if (rc == ITUI_OK)
		rc = st_run(st, err, "syncing alerts", "DELETE FROM temp.seen",
		            "");
	for (i = 0; rc == ITUI_OK && i < n; i++) {
		rc = upsert(st, &v[i], now, &id, changed, err);
		if (rc == ITUI_OK)
			rc = st_run(
			    st, err, "syncing alerts",
			    "INSERT OR IGNORE INTO temp.seen(id) VALUES (?)",
			    "i", id);
	}
	if (rc == ITUI_OK && complete) {
		struct gone {
			int64_t id, incident;
			int active;
			char *name;
		} *g = NULL;
		size_t ng = 0, k;

		s = st_query(
		    st, err, "resolving alerts",
		    "SELECT a.id, a.name, coalesce(a.incident_id, 0),"
		    " CASE WHEN i.status NOT IN ('resolved', 'closed') THEN 1 ELSE 0 END"
		    " FROM alerts a LEFT JOIN incidents i ON i.id = a.incident_id"
		    " WHERE a.state = 'firing' AND a.id NOT IN"
		    " (SELECT id FROM temp.seen)",
		    "");
		if (s == NULL)
			rc = err->code;
		while (s != NULL && (src = sd_step(s)) == SD_ROW) {
			g = xreallocarray(g, ng + 1, sizeof *g);
			g[ng].id = sd_int64(s, 0);
			g[ng].name = st_col_text(s, 1);
			g[ng].incident = sd_int64(s, 2);
			g[ng].active = sd_int(s, 3);
			ng++;
		}
		if (s != NULL)
			rc = st_finish(st, s, src, "resolving alerts", err);
		for (k = 0; k < ng; k++) {
			if (rc == ITUI_OK) {
				rc = resolve_one(st, g[k].id, g[k].name,
				                 g[k].incident, g[k].active,
				                 now, err);
				(*changed)++;
			}
			free(g[k].name);
		}
		free(g);
	}
	rc = st_end(st, rc, err);
	if (rc != ITUI_OK)
		*changed = 0;
	return rc;
}

enum itui_code
store_alerts_push(struct store *st, const struct alert_in *v, size_t n,
                  int *changed, struct itui_err *err)
{
	int64_t now = st_now(st), id;
	enum itui_code rc;
	size_t i;

	*changed = 0;
	if ((rc = st_begin(st, err)) != ITUI_OK)
		return rc;
	st_note_monitoring(st);
	for (i = 0; rc == ITUI_OK && i < n; i++) {
		const struct alert_in *a = &v[i];
		struct before b;

		if (!a->resolved) {
			rc = upsert(st, a, now, &id, changed, err);
			continue;
		}
		if ((rc = look_up(st, a, &b, err)) != ITUI_OK)
			break;
		if (b.found && b.was_firing) {
			int64_t at = a->ends_at != TIME_NONE && a->ends_at > 0
			                 ? a->ends_at
			                 : now;

			rc = resolve_one(st, b.id, a->name, b.incident,
			                 b.incident_active, at, err);
			if (rc == ITUI_OK)
				rc = st_run(st, err, "resolving the alert",
				            "UPDATE alerts SET ends_at = ?,"
				            " last_seen = ? WHERE id = ?",
				            "tii", a->ends_at, now, b.id);
			(*changed)++;
		}
		free(b.am_state);
	}
	rc = st_end(st, rc, err);
	if (rc != ITUI_OK)
		*changed = 0;
	return rc;
}

static enum itui_code
read_rows(struct store *st, struct sd_stmt *s, struct alert_rows *out,
          struct itui_err *err)
{
	out->v = NULL;
	out->n = 0;
	if (st_fetch(st, s, "reading alerts", &out->v, &out->n, sizeof *out->v,
	             read_row, err)) {
		alert_rows_free(out);
		return err->code;
	}
	return ITUI_OK;
}

enum itui_code
store_alerts(struct store *st, int firing_only, struct alert_rows *out,
             struct itui_err *err)
{
	/* No LIMIT: a storm's critical alert must not fall off a page. */
	return read_rows(
	    st,
	    st_query(st, err, "reading alerts",
	             "SELECT " ROW_COLS " FROM alerts"
	             " WHERE ?1 = 0 OR state = 'firing'"
	             " ORDER BY state = 'firing' DESC, " RANK_SQL ","
	             " coalesce(am_state, '') = 'suppressed', since DESC, id"
	             " DESC",
	             "d", firing_only ? 1 : 0),
	    out, err);
}

enum itui_code
store_alerts_loose(struct store *st, int *n, struct itui_err *err)
{
	struct sd_stmt *s =
	    st_query(st, err, "counting alerts",
	             "SELECT count(*) FROM alerts WHERE state = 'firing' AND"
	             " coalesce(incident_id, 0) = 0 AND"
	             " coalesce(am_state, '') <> 'suppressed'",
	             "");
	int rc;

	if (s == NULL)
		return err->code;
	rc = sd_step(s);
	*n = rc == SD_ROW ? (int)sd_int64(s, 0) : 0;
	return st_finish(st, s, rc, "counting alerts", err);
}

enum itui_code
store_alert_get(struct store *st, int64_t id, struct alert_rows *out,
                struct itui_err *err)
{
	if (read_rows(st,
	              st_query(st, err, "reading the alert",
	                       "SELECT " ROW_COLS " FROM alerts WHERE id = ?",
	                       "i", id),
	              out, err) != ITUI_OK)
		return err->code;
	if (out->n == 0)
		return err_set(
		    err, ITUI_NOTFOUND,
		    "no alert AL-%lld (incident-tui alerts lists them)",
		    (long long)id);
	return ITUI_OK;
}

enum itui_code
st_alert_link(struct store *st, int64_t incident_id, int64_t alert_id,
              const char *key, int64_t at, struct itui_err *err)
{
	struct sd_stmt *s =
	    alert_id > 0
	        ? st_query(
	              st, err, "reading the alert",
	              "SELECT id, key, name, summary, json_object('labels',"
	              " json(labels), 'annotations', json(annotations),"
	              " 'source', source, 'fingerprint', fingerprint,"
	              " 'state', am_state) FROM alerts WHERE id = ?",
	              "i", alert_id)
	        : st_query(
	              st, err, "reading the alert",
	              "SELECT id, key, name, summary, json_object('labels',"
	              " json(labels), 'annotations', json(annotations),"
	              " 'source', source, 'fingerprint', fingerprint,"
	              " 'state', am_state) FROM alerts WHERE key = ?",
	              "s", key);
	char *k = NULL, *name = NULL, *summary = NULL, *data = NULL, *text;
	enum itui_code rc;
	int64_t id = 0;
	int src;

	/* The alert leaves the loose ones: the top bar's count moves. */
	st_note_monitoring(st);
	if (s == NULL)
		return err->code;
	src = sd_step(s);
	if (src == SD_ROW) {
		id = sd_int64(s, 0);
		k = st_col_text(s, 1);
		name = st_col_text(s, 2);
		summary = st_col_text(s, 3);
		data = st_col_text(s, 4);
	}
	rc = st_finish(st, s, src, "reading the alert", err);
	if (rc == ITUI_OK && id == 0)
		rc =
		    alert_id > 0
		        ? err_set(err, ITUI_NOTFOUND, "no alert AL-%lld",
		                  (long long)alert_id)
		        : err_set(err, ITUI_NOTFOUND, "no alert with that key");
	if (rc == ITUI_OK)
		rc = st_run(st, err, "linking the alert",
		            "UPDATE alerts SET incident_id = ? WHERE id = ?",
		            "ii", incident_id, id);
	if (rc == ITUI_OK)
		rc = st_run(st, err, "linking the alert",
		            "UPDATE incidents SET alert_id = ?,"
		            " alert_key = coalesce(alert_key, ?) WHERE id = ?",
		            "isi", id, k, incident_id);
	if (rc == ITUI_OK) {
		text = xasprintf("Alert %s: %s", name ? name : "?",
		                 summary ? summary
		                 : name  ? name
		                         : "?");
		rc = st_insert_entry(st, incident_id, KIND_ALERT, at, text,
		                     data, NULL, err);
		free(text);
	}
	if (rc == ITUI_OK)
		rc = st_audit(st, incident_id, "alert", id, "incident", NULL, k,
		              err);
	free(k);
	free(name);
	free(summary);
	free(data);
	return rc;
}

enum itui_code
store_alert_attach(struct store *st, int64_t alert_id, int64_t incident_id,
                   struct itui_err *err)
{
	enum itui_code rc;

	if ((rc = st_begin_on(st, incident_id, err)) != ITUI_OK)
		return rc;
	st_note_change(st, 0);
	rc = st_incident_exists(st, incident_id, err);
	if (rc == ITUI_OK)
		rc = st_alert_link(st, incident_id, alert_id, NULL, st_now(st),
		                   err);
	if (rc == ITUI_OK)
		rc = st_touch_incident(st, incident_id, err);
	return st_end(st, rc, err);
}

enum itui_code
store_alert_silence(struct store *st, int64_t alert_id, const char *silence_id,
                    const char *what, struct itui_err *err)
{
	struct sd_stmt *s;
	enum itui_code rc;
	int64_t incident = 0;
	char *name = NULL;
	int src;

	if ((rc = st_begin(st, err)) != ITUI_OK)
		return rc;
	st_note_change(st, 0);
	s = st_query(st, err, "reading the alert",
	             "SELECT coalesce(incident_id, 0), name FROM alerts WHERE"
	             " id = ?",
	             "i", alert_id);
	if (s == NULL)
		return st_end(st, err->code, err);
	src = sd_step(s);
	if (src == SD_ROW) {
		incident = sd_int64(s, 0);
		name = st_col_text(s, 1);
	}
	rc = st_finish(st, s, src, "reading the alert", err);
	if (rc == ITUI_OK && src != SD_ROW)
		rc = err_set(err, ITUI_NOTFOUND, "no alert AL-%lld",
		             (long long)alert_id);
	if (rc == ITUI_OK)
		rc = st_run(st, err, "recording the silence",
		            "UPDATE alerts SET silence_id = ? WHERE id = ?",
		            "si", silence_id, alert_id);
	if (rc == ITUI_OK && incident != 0) {
		char *t = xasprintf("Alert %s %s", name ? name : "?", what);

		rc = note(st, incident, st_now(st), t, err);
		free(t);
	}
	if (rc == ITUI_OK)
		rc = st_audit(st, incident ? incident : 0, "alert", alert_id,
		              "silence", NULL, silence_id, err);
	free(name);
	return st_end(st, rc, err);
}

void
alert_rows_free(struct alert_rows *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		struct alert_row *a = &l->v[i];

		free(a->key);
		free(a->name);
		free(a->summary);
		free(a->severity);
		free(a->labels);
		free(a->annotations);
		free(a->source);
		free(a->fingerprint);
		free(a->am_state);
		free(a->silenced_by);
		free(a->inhibited_by);
		free(a->group_key);
		free(a->external_url);
		free(a->generator_url);
		free(a->silence_id);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* ---- monitoring sources ---- */

enum itui_code
store_source_set(struct store *st, const char *name, int ok, const char *detail,
                 int *changed, struct itui_err *err)
{
	int64_t now = st_now(st), down_since = TIME_NONE;
	int was_ok = -1, was_denied = 0, denied = ok == SOURCE_DENIED, src;
	enum itui_code rc;
	struct sd_stmt *s;
	char *text = NULL;

	if (denied)
		ok = 0;
	*changed = 0;
	if ((rc = st_begin(st, err)) != ITUI_OK)
		return rc;
	st_note_monitoring(st);
	s = st_query(
	    st, err, "reading source health",
	    "SELECT ok, down_since, denied FROM sources WHERE name = ?", "s",
	    name);
	if (s == NULL)
		return st_end(st, err->code, err);
	src = sd_step(s);
	if (src == SD_ROW) {
		was_ok = sd_int(s, 0);
		down_since = st_col_time(s, 1);
		was_denied = sd_int(s, 2);
	}
	rc = st_finish(st, s, src, "reading source health", err);
	if (rc == ITUI_OK)
		rc = st_run(
		    st, err, "recording source health",
		    "INSERT INTO sources(name, ok, detail, checked_at, down_since,"
		    " denied)"
		    " VALUES (?1, ?2, ?3, ?4, CASE WHEN ?2 <> 0 OR ?5 <> 0 THEN NULL"
		    " ELSE ?4"
		    " END, ?5)"
		    " ON CONFLICT(name) DO UPDATE SET ok = ?2, detail = ?3,"
		    " checked_at = ?4, denied = ?5, down_since = CASE WHEN ?2 <> 0 OR"
		    " ?5 <> 0"
		    " THEN NULL ELSE coalesce(sources.down_since, ?4) END",
		    "sdsid", name, ok ? 1 : 0, detail, now, denied);
	/* A first answer is news only when it is a refusal (below). */
	if (rc != ITUI_OK || (was_ok < 0 && !denied)) {
		if (rc == ITUI_OK)
			*changed = 1;
		return st_end(st, rc, err);
	}
	if (was_ok != (ok ? 1 : 0) || was_denied != denied)
		*changed = 1;
	/*
	 * Only outages reach the timelines, once each way.  A permission
	 * problem is not a gap in monitoring: one entry when it starts (the
	 * room should know nothing from that source is being checked), none
	 * while it persists, and none when the token is fixed.
	 */
	if (denied && !was_denied)
		text = xasprintf(
		    "Monitoring: %s %srefuses our credentials (%s); not an "
		    "outage, but nothing from it is checked until that is "
		    "fixed",
		    name, was_ok == 0 ? "answers again but " : "",
		    detail ? detail : "no detail");
	else if (!ok && !denied && (was_ok || was_denied))
		text = xasprintf("Monitoring gap: %s is not answering (%s)",
		                 name, detail ? detail : "no detail");
	else if ((ok || denied) && !was_ok && !was_denied) {
		char t[TIME_BUF], span[TIME_BUF];

		text = xasprintf(
		    "Monitoring restored: %s answers again (gap since %s, %s)",
		    name,
		    down_since != TIME_NONE ? time_format_hhmm(down_since, t)
		                            : "?",
		    down_since != TIME_NONE
		        ? time_format_span(now - down_since, span)
		        : "?");
	}
	if (text != NULL) {
		int64_t *ids = NULL;
		size_t nid = 0, k;

		s = st_query(st, err, "listing active incidents",
		             "SELECT id FROM incidents WHERE status NOT IN"
		             " ('resolved', 'closed')",
		             "");
		if (s == NULL)
			rc = err->code;
		while (s != NULL && (src = sd_step(s)) == SD_ROW) {
			ids = xreallocarray(ids, nid + 1, sizeof *ids);
			ids[nid++] = sd_int64(s, 0);
		}
		if (s != NULL)
			rc = st_finish(st, s, src, "listing active incidents",
			               err);
		for (k = 0; rc == ITUI_OK && k < nid; k++)
			rc = st_insert_entry(st, ids[k], KIND_SYSTEM, now, text,
			                     NULL, NULL, err);
		free(ids);
		free(text);
	}
	rc = st_end(st, rc, err);
	if (rc != ITUI_OK)
		*changed = 0;
	return rc;
}

enum itui_code
store_sources(struct store *st, struct source_row **v, size_t *n,
              struct itui_err *err)
{
	struct sd_stmt *s = st_query(
	    st, err, "reading source health",
	    "SELECT name, ok, detail, checked_at, down_since FROM sources"
	    " ORDER BY name",
	    "");
	int rc;

	*v = NULL;
	*n = 0;
	if (s == NULL)
		return err->code;
	while ((rc = sd_step(s)) == SD_ROW) {
		struct source_row *r;

		*v = xreallocarray(*v, *n + 1, sizeof **v);
		r = &(*v)[(*n)++];
		r->name = st_col_text(s, 0);
		r->ok = sd_int(s, 1);
		r->detail = st_col_text(s, 2);
		r->checked_at = st_col_time(s, 3);
		r->down_since = st_col_time(s, 4);
	}
	return st_finish(st, s, rc, "reading source health", err);
}

void
source_rows_free(struct source_row *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].detail);
	}
	free(v);
}

void
store_alerts_set_refire(struct store *st, int reopen)
{
	st->refire_reopens = reopen;
}
