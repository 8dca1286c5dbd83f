/*
 * store-outbox.c - the outbox's SQL: rows written inside the transaction of
 * the change that causes them, the deliverer's queue operations, and the
 * once-only record of things that fall due.
 *
 * DESIGN: a row names its destination, never its URL or key.  Each
 * destination is a FIFO by row id, so messages reach a destination in the
 * order their changes were committed (in order per incident).  A row is
 * claimed (pending -> sending) in its own transaction before it is sent and
 * settled after; the deliverer holds a lock beside the database so only one
 * process sends, and a row left `sending` by a deliverer that died goes back
 * to pending (at least once; receivers deduplicate on the row's
 * idempotency key).  Things that fall due are recorded in outbox_due under a
 * primary key, so a tier is paged once however many rounds see it due.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "itui/store-int.h"
#include "itui/store-outbox.h"
#include "itui/strbuf.h"
#include "itui/xalloc.h"

void
store_set_routes(struct store *st, const struct policy *p,
                 const struct config *cfg)
{
	st->policy = p;
	st->cfg = cfg;
}

static void
add_names(const struct config *cfg, const char *list, char ***names, size_t *n)
{
	const char *p = list;

	while (p != NULL && *p != '\0') {
		size_t len, i;
		char *name;

		while (*p == ' ' || *p == ',' || *p == '\t')
			p++;
		len = strcspn(p, ",");
		while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		if (len == 0)
			break;
		name = xstrndup(p, len);
		p += len;
		for (i = 0; i < *n; i++)
			if (strcmp((*names)[i], name) == 0)
				break;
		if (i < *n || config_destination(cfg, name) == NULL) {
			free(name);
			continue;
		}
		*names = xreallocarray(*names, *n + 1, sizeof **names);
		(*names)[(*n)++] = name;
	}
}

void
outbox_route(const struct policy *p, const struct config *cfg,
             const char *level, const char *event, int tier, char ***names,
             size_t *n)
{
	const struct policy_level *l;

	*names = NULL;
	*n = 0;
	if (p == NULL || cfg == NULL || level == NULL)
		return;
	l = policy_level(p, level);
	if (l == NULL)
		return;
	if (strcmp(event, "escalation") == 0) {
		if (tier >= 1 && tier <= POLICY_MAX_TIERS)
			add_names(cfg, l->tier_notify[tier], names, n);
	} else if (strcmp(event, "update") == 0 ||
	           strcmp(event, "handoff") == 0) {
		add_names(cfg, l->updates != NULL ? l->updates : l->notify,
		          names, n);
	} else {
		add_names(cfg, l->notify, names, n);
	}
}

void
outbox_names_free(char **names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

char *
outbox_channel_name(const struct config *cfg, int64_t declared_at)
{
	const char *fmt = cfg != NULL && cfg->outbox.channel != NULL
	                      ? cfg->outbox.channel
	                      : "#incident-%Y%m%d-%H%M";
	time_t t = (time_t)declared_at;
	struct tm tm;
	char buf[128];

	gmtime_r(&t, &tm);
	/* The pattern is the user's own configuration. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	if (strftime(buf, sizeof buf, fmt, &tm) == 0)
		buf[0] = '\0';
#pragma GCC diagnostic pop
	return xstrdup(buf);
}

/* The PagerDuty action for an event, or NULL when PagerDuty is not told. */
static const char *
pd_action(const char *event, const char *detail_status)
{
	if (strcmp(event, "declared") == 0 ||
	    strcmp(event, "escalation") == 0 || strcmp(event, "severity") == 0)
		return "trigger";
	if (strcmp(event, "ack") == 0)
		return "acknowledge";
	if (strcmp(event, "status") == 0 && detail_status != NULL &&
	    strcmp(detail_status, "resolved") == 0)
		return "resolve";
	return NULL;
}

struct inc_brief {
	char *title, *severity, *status, *service, *impact;
	int64_t declared_at;
	int drill;
};

static enum itui_code
brief_load(struct store *st, int64_t id, struct inc_brief *b,
           struct itui_err *err)
{
	struct sd_stmt *s = st_query(
	    st, err, "reading the incident for its message",
	    "SELECT title, severity, status, service, impact, declared_at,"
	    " drill FROM incidents WHERE id = ?",
	    "i", id);
	int rc;

	memset(b, 0, sizeof *b);
	if (s == NULL)
		return err->code;
	rc = sd_step(s);
	if (rc == SD_ROW) {
		b->title = st_col_text(s, 0);
		b->severity = st_col_text(s, 1);
		b->status = st_col_text(s, 2);
		b->service = st_col_text(s, 3);
		b->impact = st_col_text(s, 4);
		b->declared_at = sd_int64(s, 5);
		b->drill = sd_int(s, 6);
	}
	return st_finish(st, s, rc, "reading the incident for its message",
	                 err);
}

static void
brief_free(struct inc_brief *b)
{
	free(b->title);
	free(b->severity);
	free(b->status);
	free(b->service);
	free(b->impact);
}

static const char *
headline(const char *event, const char *status)
{
	if (strcmp(event, "declared") == 0)
		return "INCIDENT ALERT";
	if (strcmp(event, "escalation") == 0)
		return "INCIDENT ESCALATION";
	if (strcmp(event, "breach") == 0)
		return "SLA BREACHED";
	if (strcmp(event, "status") == 0 && status != NULL &&
	    strcmp(status, "resolved") == 0)
		return "INCIDENT RESOLVED";
	return "INCIDENT UPDATE";
}

/* Inserts one row per destination; *inserted counts the new ones. */
static enum itui_code
insert_rows(struct store *st, int64_t incident_id, char **names, size_t n,
            const char *event, const char *cause, const char *detail,
            size_t *inserted, struct itui_err *err)
{
	struct strbuf subject = STRBUF_INIT, body = STRBUF_INIT;
	struct inc_brief b;
	enum itui_code rc = ITUI_OK;
	char *channel;
	size_t i;

	*inserted = 0;
	if ((rc = brief_load(st, incident_id, &b, err)) != ITUI_OK)
		return rc;
	channel = outbox_channel_name(st->cfg, b.declared_at);
	/* A drill says so everywhere it lands. */
	strbuf_addf(&subject, "[%s]%s INC-%lld %s: %s",
	            b.severity ? b.severity : "?", b.drill ? " [DRILL]" : "",
	            (long long)incident_id,
	            strcmp(event, "declared") == 0 ? "declared" : event,
	            b.title ? b.title : "");
	if (strcmp(event, "update") == 0 && detail != NULL) {
		strbuf_addf(&body, "%s\n", detail);
	} else {
		strbuf_addf(&body, "%s\n", headline(event, b.status));
		strbuf_addf(&body, "INC-%lld: %s\n", (long long)incident_id,
		            b.title ? b.title : "");
		strbuf_addf(&body, "Severity: %s\nStatus: %s\n",
		            b.severity ? b.severity : "",
		            b.status ? b.status : "");
		if (b.service != NULL)
			strbuf_addf(&body, "Service: %s\n", b.service);
		if (b.impact != NULL)
			strbuf_addf(&body, "Impact: %s\n", b.impact);
		if (detail != NULL)
			strbuf_addf(&body, "%s\n", detail);
	}
	strbuf_addf(&body, "Channel: %s\n", channel);
	for (i = 0; i < n && rc == ITUI_OK; i++) {
		const struct config_destination *d =
		    config_destination(st->cfg, names[i]);
		const char *action = NULL;

		if (d == NULL)
			continue;
		if (strcmp(d->type, "pagerduty") == 0) {
			action = pd_action(event, b.status);
			if (action == NULL)
				continue;
		}
		rc = st_run(st, err, "queueing the message",
		            "INSERT OR IGNORE INTO outbox(incident_id,"
		            " destination, dest_type, event, cause, action,"
		            " subject, body, created_at, next_at)"
		            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		            "isssssssii", incident_id, names[i], d->type, event,
		            cause, action, strbuf_str(&subject),
		            strbuf_str(&body), st_now(st), st_now(st));
		if (rc == ITUI_OK && sd_changes(st->db) > 0)
			(*inserted)++;
	}
	free(channel);
	brief_free(&b);
	strbuf_free(&subject);
	strbuf_free(&body);
	return rc;
}

/* PagerDuty destinations already triggered for the incident. */
static enum itui_code
triggered(struct store *st, int64_t incident_id, char ***names, size_t *n,
          struct itui_err *err)
{
	struct sd_stmt *s = st_query(
	    st, err, "reading the pages sent",
	    "SELECT DISTINCT destination FROM outbox WHERE incident_id = ?"
	    " AND action = 'trigger' AND state != 'cancelled' ORDER BY 1",
	    "i", incident_id);
	int rc;

	if (s == NULL)
		return err->code;
	while ((rc = sd_step(s)) == SD_ROW) {
		const char *name = sd_text(s, 0);
		size_t i;

		for (i = 0; i < *n; i++)
			if (strcmp((*names)[i], name) == 0)
				break;
		if (i < *n || config_destination(st->cfg, name) == NULL)
			continue;
		*names = xreallocarray(*names, *n + 1, sizeof **names);
		(*names)[(*n)++] = xstrdup(name);
	}
	return st_finish(st, s, rc, "reading the pages sent", err);
}

/* A cause unique to this change: the next row id, stable in the transaction. */
static enum itui_code
next_cause(struct store *st, const char *event, char *buf, size_t size,
           struct itui_err *err)
{
	struct sd_stmt *s =
	    st_query(st, err, "numbering the message",
	             "SELECT coalesce(max(id), 0) + 1 FROM outbox", "");
	int rc;

	if (s == NULL)
		return err->code;
	rc = sd_step(s);
	if (rc == SD_ROW)
		snprintf(buf, size, "%s:%lld", event,
		         (long long)sd_int64(s, 0));
	return st_finish(st, s, rc, "numbering the message", err);
}

enum itui_code
st_outbox_change(struct store *st, int64_t incident_id, const char *event,
                 const char *detail, struct itui_err *err)
{
	char **names = NULL, cause[64];
	size_t n = 0, inserted;
	struct inc_brief b;
	enum itui_code rc;

	if (st->policy == NULL || st->cfg == NULL ||
	    st->cfg->ndestinations == 0)
		return ITUI_OK;
	if ((rc = brief_load(st, incident_id, &b, err)) != ITUI_OK)
		return rc;
	outbox_route(st->policy, st->cfg, b.severity, event, 0, &names, &n);
	/* Acknowledge and resolve reach the pages that were sent. */
	if (strcmp(event, "ack") == 0 ||
	    (strcmp(event, "status") == 0 && b.status != NULL &&
	     strcmp(b.status, "resolved") == 0))
		rc = triggered(st, incident_id, &names, &n, err);
	brief_free(&b);
	if (rc == ITUI_OK && n > 0)
		rc = next_cause(st, event, cause, sizeof cause, err);
	if (rc == ITUI_OK && n > 0)
		rc = insert_rows(st, incident_id, names, n, event, cause,
		                 detail, &inserted, err);
	outbox_names_free(names, n);
	return rc;
}

/* ---- reading ---------------------------------------------------------- */

#define OUTBOX_COLUMNS                                                         \
	"id, coalesce(incident_id, 0), destination, dest_type, event, action," \
	" subject, body, state, last_error, idem_key, attempts, created_at,"   \
	" next_at, sent_at"

static void
read_row(struct sd_stmt *s, void *p)
{
	struct outbox_row *r = p;

	r->id = sd_int64(s, 0);
	r->incident_id = sd_int64(s, 1);
	r->destination = st_col_text(s, 2);
	r->dest_type = st_col_text(s, 3);
	r->event = st_col_text(s, 4);
	r->action = st_col_text(s, 5);
	r->subject = st_col_text(s, 6);
	r->body = st_col_text(s, 7);
	r->state = st_col_text(s, 8);
	r->last_error = st_col_text(s, 9);
	r->idem_key = st_col_text(s, 10);
	r->attempts = sd_int(s, 11);
	r->created_at = sd_int64(s, 12);
	r->next_at = sd_int64(s, 13);
	r->sent_at = st_col_time(s, 14);
}

void
outbox_row_free(struct outbox_row *r)
{
	free(r->destination);
	free(r->dest_type);
	free(r->event);
	free(r->action);
	free(r->subject);
	free(r->body);
	free(r->state);
	free(r->last_error);
	free(r->idem_key);
	memset(r, 0, sizeof *r);
}

void
outbox_rows_free(struct outbox_rows *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		outbox_row_free(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

enum itui_code
store_outbox_list(struct store *st, int64_t incident_id, int limit,
                  struct outbox_rows *out, struct itui_err *err)
{
	struct sd_stmt *s = st_query(
	    st, err, "reading the outbox",
	    "SELECT " OUTBOX_COLUMNS " FROM outbox WHERE (? = 0 OR"
	    " incident_id = ?) ORDER BY id DESC LIMIT ?",
	    "iid", incident_id, incident_id, limit > 0 ? limit : INT_MAX);

	memset(out, 0, sizeof *out);
	if (s == NULL)
		return err->code;
	return st_fetch(st, s, "reading the outbox", &out->v, &out->n,
	                sizeof *out->v, read_row, err);
}

enum itui_code
store_outbox_get(struct store *st, int64_t id, struct outbox_row *out,
                 struct itui_err *err)
{
	struct sd_stmt *s = st_query(
	    st, err, "reading the message",
	    "SELECT " OUTBOX_COLUMNS " FROM outbox WHERE id = ?", "i", id);
	int rc;

	memset(out, 0, sizeof *out);
	if (s == NULL)
		return err->code;
	rc = sd_step(s);
	if (rc == SD_ROW) {
		read_row(s, out);
		sd_finalize(s);
		return ITUI_OK;
	}
	if (st_finish(st, s, rc, "reading the message", err) != ITUI_OK)
		return err->code;
	return err_set(err, ITUI_NOTFOUND, "no message MSG-%lld",
	               (long long)id);
}

/* ---- the dashboard's and the command's verbs ---------------------------- */

static enum itui_code
set_state(struct store *st, int64_t id, const char *from_states, const char *to,
          const char *verb, struct itui_err *err)
{
	struct outbox_row r;
	enum itui_code rc;

	if ((rc = st_begin(st, err)) != ITUI_OK)
		return rc;
	st_note_change(st, 0);
	if ((rc = store_outbox_get(st, id, &r, err)) != ITUI_OK)
		return st_end(st, rc, err);
	if (strstr(from_states, r.state) == NULL) {
		rc = err_set(err, ITUI_INPUT, "MSG-%lld is %s: it cannot be %s",
		             (long long)id, r.state, verb);
		outbox_row_free(&r);
		return st_end(st, rc, err);
	}
	rc = st_run(st, err, "changing the message",
	            "UPDATE outbox SET state = ?, attempts = CASE WHEN ? ="
	            " 'pending' THEN 0 ELSE attempts END, next_at = ?"
	            " WHERE id = ?",
	            "ssii", to, to, st_now(st), id);
	if (rc == ITUI_OK)
		rc = st_audit(st, r.incident_id, "outbox", id, "state", r.state,
		              to, err);
	outbox_row_free(&r);
	return st_end(st, rc, err);
}

enum itui_code
store_outbox_retry(struct store *st, int64_t id, struct itui_err *err)
{
	return set_state(st, id, "failed cancelled", "pending", "retried", err);
}

enum itui_code
store_outbox_cancel(struct store *st, int64_t id, struct itui_err *err)
{
	return set_state(st, id, "pending failed", "cancelled", "cancelled",
	                 err);
}

/* ---- the deliverer ------------------------------------------------------ */

enum itui_code
store_outbox_queues(struct store *st, char ***names, size_t *n,
                    struct itui_err *err)
{
	struct sd_stmt *s =
	    st_query(st, err, "reading the outbox queues",
	             "SELECT DISTINCT destination FROM outbox WHERE state IN"
	             " ('pending', 'sending') ORDER BY 1",
	             "");

	*names = NULL;
	*n = 0;
	return st_fetch(st, s, "reading the outbox queues", names, n,
	                sizeof **names, st_read_text_row, err);
}

enum itui_code
store_outbox_head(struct store *st, const char *destination,
                  struct outbox_row *out, int *found, struct itui_err *err)
{
	struct sd_stmt *s = st_query(
	    st, err, "reading the outbox",
	    "SELECT " OUTBOX_COLUMNS " FROM outbox WHERE destination = ? AND"
	    " state IN ('pending', 'sending') ORDER BY id LIMIT 1",
	    "s", destination);
	int rc;

	*found = 0;
	memset(out, 0, sizeof *out);
	if (s == NULL)
		return err->code;
	rc = sd_step(s);
	if (rc == SD_ROW) {
		read_row(s, out);
		*found = 1;
	}
	return st_finish(st, s, rc, "reading the outbox", err);
}

enum itui_code
store_outbox_claim(struct store *st, int64_t id, int *claimed,
                   struct itui_err *err)
{
	enum itui_code rc;

	*claimed = 0;
	if ((rc = st_begin(st, err)) != ITUI_OK)
		return rc;
	st_note_change(st, 0);
	rc = st_run(st, err, "claiming the message",
	            "UPDATE outbox SET state = 'sending', attempts = attempts"
	            " + 1 WHERE id = ? AND state = 'pending'",
	            "i", id);
	if (rc == ITUI_OK)
		*claimed = sd_changes(st->db) == 1;
	return st_end(st, rc, err);
}

static enum itui_code
settle_entry(struct store *st, const struct outbox_row *r, const char *text,
             struct itui_err *err)
{
	char data[96];

	if (r->incident_id == 0)
		return ITUI_OK;
	snprintf(data, sizeof data, "{\"outbox\":%lld}", (long long)r->id);
	return st_insert_entry(st, r->incident_id, KIND_SYSTEM, st_now(st),
	                       text, data, NULL, err);
}

enum itui_code
store_outbox_sent(struct store *st, int64_t id, struct itui_err *err)
{
	struct outbox_row r;
	enum itui_code rc;
	char *text;

	if ((rc = st_begin(st, err)) != ITUI_OK)
		return rc;
	st_note_change(st, 0);
	if ((rc = store_outbox_get(st, id, &r, err)) != ITUI_OK)
		return st_end(st, rc, err);
	rc = st_run(st, err, "settling the message",
	            "UPDATE outbox SET state = 'sent', sent_at = ?,"
	            " last_error = NULL WHERE id = ? AND state = 'sending'",
	            "ii", st_now(st), id);
	text = xasprintf("Sent MSG-%lld (%s%s%s) to %s (%s)", (long long)id,
	                 r.event, r.action ? ", " : "",
	                 r.action ? r.action : "", r.destination, r.dest_type);
	if (rc == ITUI_OK)
		rc = settle_entry(st, &r, text, err);
	free(text);
	outbox_row_free(&r);
	return st_end(st, rc, err);
}

enum itui_code
store_outbox_failed(struct store *st, int64_t id, const char *why,
                    int permanent, int64_t retry_at, int max_attempts,
                    int *gave_up, struct itui_err *err)
{
	struct outbox_row r;
	enum itui_code rc;

	*gave_up = 0;
	if ((rc = st_begin(st, err)) != ITUI_OK)
		return rc;
	st_note_change(st, 0);
	if ((rc = store_outbox_get(st, id, &r, err)) != ITUI_OK)
		return st_end(st, rc, err);
	if (max_attempts <= 0)
		max_attempts = OUTBOX_MAX_ATTEMPTS;
	*gave_up = permanent || r.attempts >= max_attempts;
	rc = st_run(st, err, "settling the message",
	            "UPDATE outbox SET state = ?, next_at = ?, last_error = ?"
	            " WHERE id = ? AND state = 'sending'",
	            "sisi", *gave_up ? "failed" : "pending", retry_at, why, id);
	if (rc == ITUI_OK && *gave_up) {
		char *text =
		    xasprintf("Gave up on MSG-%lld (%s) to %s after %d %s: %s",
		              (long long)id, r.event, r.destination, r.attempts,
		              r.attempts == 1 ? "try" : "tries", why);

		rc = settle_entry(st, &r, text, err);
		free(text);
	}
	outbox_row_free(&r);
	return st_end(st, rc, err);
}

enum itui_code
store_outbox_release(struct store *st, struct itui_err *err)
{
	enum itui_code rc;

	if ((rc = st_begin(st, err)) != ITUI_OK)
		return rc;
	st_note_change(st, 0);
	rc = st_run(st, err, "releasing unsettled messages",
	            "UPDATE outbox SET state = 'pending' WHERE state ="
	            " 'sending'",
	            "");
	return st_end(st, rc, err);
}

enum itui_code
store_outbox_due(struct store *st, int64_t incident_id, const char *cause,
                 const char *event, int tier, const char *detail, int *fired,
                 struct itui_err *err)
{
	char **names = NULL;
	size_t n = 0, inserted = 0;
	struct inc_brief b;
	enum itui_code rc;
	char *text;

	*fired = 0;
	/* Seen every round once it happened: a read, not a write. */
	{
		struct sd_stmt *q = st_query(
		    st, err, "reading what fell due",
		    "SELECT 1 FROM outbox_due WHERE incident_id = ? AND cause = ?",
		    "is", incident_id, cause);
		int qrc, seen;

		if (q == NULL)
			return err->code;
		qrc = sd_step(q);
		seen = qrc == SD_ROW;
		if (st_finish(st, q, qrc, "reading what fell due", err) !=
		    ITUI_OK)
			return err->code;
		if (seen)
			return ITUI_OK;
	}
	if ((rc = st_begin_on(st, incident_id, err)) != ITUI_OK)
		return rc;
	rc = st_run(st, err, "recording what fell due",
	            "INSERT OR IGNORE INTO outbox_due(incident_id, cause, at)"
	            " VALUES (?, ?, ?)",
	            "isi", incident_id, cause, st_now(st));
	if (rc != ITUI_OK || sd_changes(st->db) == 0)
		return st_end(st, rc, err);
	*fired = 1;
	if ((rc = brief_load(st, incident_id, &b, err)) != ITUI_OK)
		return st_end(st, rc, err);
	outbox_route(st->policy, st->cfg, b.severity, event, tier, &names, &n);
	brief_free(&b);
	if (n > 0)
		rc = insert_rows(st, incident_id, names, n, event, cause,
		                 detail, &inserted, err);
	/* A breach nobody is told of is already on the clocks. */
	if (rc == ITUI_OK && (n > 0 || strcmp(event, "escalation") == 0)) {
		struct strbuf who = STRBUF_INIT;
		size_t i;

		for (i = 0; i < n; i++)
			strbuf_addf(&who, "%s%s", i ? ", " : "", names[i]);
		text = xasprintf("%s; %s %s", detail,
		                 n ? "notifying"
		                   : "no destination is named for it",
		                 strbuf_str(&who));
		/* A page sent is the escalation: it consumes the tier. */
		rc = st_insert_entry(st, incident_id,
		                     strcmp(event, "escalation") == 0 && n > 0
		                         ? KIND_ESCALATION
		                         : KIND_SYSTEM,
		                     st_now(st), text, NULL, NULL, err);
		free(text);
		strbuf_free(&who);
	}
	outbox_names_free(names, n);
	return st_end(st, rc, err);
}

enum itui_code
store_public_updates(struct store *st, int64_t incident_id,
                     struct entry_list *out, struct itui_err *err)
{
	struct sd_stmt *s = st_query(
	    st, err, "reading the public updates",
	    "SELECT " ENTRY_COLUMNS " FROM entries WHERE incident_id = ? AND"
	    " deleted_at IS NULL AND json_valid(data) AND"
	    " ((kind = 'comms' AND json_extract(data, '$.template') ="
	    " 'statuspage') OR json_extract(data, '$.public') = 1)"
	    " ORDER BY at, id",
	    "i", incident_id);

	memset(out, 0, sizeof *out);
	if (s == NULL)
		return err->code;
	return st_fetch(st, s, "reading the public updates", &out->v, &out->n,
	                sizeof *out->v, st_read_entry_row, err);
}
