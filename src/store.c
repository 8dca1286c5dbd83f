/*
 * store.c - all SQL of incident-tui.
 *
 * DESIGN: a write is a function that opens one IMMEDIATE transaction, checks
 * the current state under the write lock, changes it, appends the typed
 * timeline entry and the audit rows that describe the change, and commits.
 * Reads reset every statement as soon as its rows are read (an open read
 * statement in any process stops checkpoints and grows the WAL).  Statements
 * are prepared per call: a command runs a handful, and preparing costs
 * microseconds.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "itui/store-chain.h"
#include "itui/store-int.h"
#include "itui/store.h"
#include "itui/strbuf.h"
#include "itui/timeutil.h"
#include "itui/xalloc.h"

static int64_t
real_now(void)
{
	return (int64_t)time(NULL);
}

int64_t
st_now(const struct store *st)
{
	/* On PostgreSQL a change records the server's time, not ours. */
	if (st->now == real_now && st->db->server_now > 0)
		return st->db->server_now;
	return st->now();
}

enum itui_code
store_open(const char *path, unsigned flags, struct store **out,
           struct itui_err *err)
{
	struct store *st = xcalloc(1, sizeof *st);
	enum itui_code rc;

	rc = sd_open(path, flags, &st->db, err);
	if (rc != ITUI_OK) {
		free(st);
		*out = NULL;
		return rc;
	}
	st->path = sd_display(path);
	st->actor = xstrdup("unknown");
	st->origin = xstrdup("local");
	st->now = real_now;
	*out = st;
	return ITUI_OK;
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	chain_cache_free(st->chain);
	sd_close(st->db);
	free(st->touched);
	free(st->path);
	free(st->actor);
	free(st->origin);
	free(st);
}

int
store_is_readonly(const struct store *st)
{
	return st->db->readonly;
}

const char *
store_path(const struct store *st)
{
	return st->path;
}

void
store_set_actor(struct store *st, const char *user, const char *origin)
{
	free(st->actor);
	free(st->origin);
	st->actor = xstrdup(user != NULL ? user : "unknown");
	st->origin = xstrdup(origin != NULL ? origin : "local");
}

int
store_files_intact(struct store *st)
{
	return st->db->ops->intact == NULL || st->db->ops->intact(st->db);
}

void
store_set_wait(struct store *st, int ms)
{
	st->db->ops->set_wait(st->db, ms);
}

void
store_set_clock(struct store *st, int64_t (*now)(void))
{
	st->now = now != NULL ? now : real_now;
}

/* ---- statement helpers ------------------------------------------------ */

/* Binds arguments by a format (store-int.h). */
static int
bindv(struct sd_stmt *s, const char *fmt, va_list ap)
{
	int i, rc = SD_OK;

	for (i = 0; fmt[i] != '\0' && rc == SD_OK; i++) {
		int col = i + 1;

		switch (fmt[i]) {
		case 'i':
			rc = sd_bind_int64(s, col, va_arg(ap, int64_t));
			break;
		case 'd':
			rc = sd_bind_int64(s, col, va_arg(ap, int));
			break;
		case 't': {
			int64_t t = va_arg(ap, int64_t);

			rc = t == TIME_NONE ? sd_bind_null(s, col)
			                    : sd_bind_int64(s, col, t);
			break;
		}
		case 's': {
			const char *v = va_arg(ap, const char *);

			rc = v == NULL ? sd_bind_null(s, col)
			               : sd_bind_text(s, col, v);
			break;
		}
		default:
			fatal("bad bind format '%c'", fmt[i]);
		}
	}
	return rc;
}

static struct sd_stmt *
prepare(struct store *st, const char *sql, const char *fmt, va_list ap,
        const char *doing, struct itui_err *err)
{
	struct sd_stmt *s = NULL;
	int rc = sd_prepare(st->db, sql, &s);

	st->statements++;
	if (rc == SD_OK)
		rc = bindv(s, fmt, ap);
	if (rc != SD_OK) {
		sd_error(st->db, rc, doing, err);
		sd_finalize(s);
		return NULL;
	}
	return s;
}

/* Runs a statement that returns no rows. */
enum itui_code
st_run(struct store *st, struct itui_err *err, const char *doing,
       const char *sql, const char *fmt, ...)
{
	struct sd_stmt *s;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	s = prepare(st, sql, fmt, ap, doing, err);
	va_end(ap);
	if (s == NULL)
		return err->code;
	rc = sd_step(s);
	sd_finalize(s);
	if (rc != SD_DONE && rc != SD_ROW)
		return sd_error(st->db, rc, doing, err);
	return ITUI_OK;
}

/* Prepares a query for the caller to step; finalize it when done. */
struct sd_stmt *
st_query(struct store *st, struct itui_err *err, const char *doing,
         const char *sql, const char *fmt, ...)
{
	struct sd_stmt *s;
	va_list ap;

	va_start(ap, fmt);
	s = prepare(st, sql, fmt, ap, doing, err);
	va_end(ap);
	return s;
}

char *
st_col_text(struct sd_stmt *s, int col)
{
	const char *t = sd_text(s, col);

	return t != NULL ? xstrdup(t) : NULL;
}

int64_t
st_col_time(struct sd_stmt *s, int col)
{
	if (sd_is_null(s, col))
		return TIME_NONE;
	return sd_int64(s, col);
}

/* Finishes a query loop: anything but SD_DONE is an error. */
enum itui_code
st_finish(struct store *st, struct sd_stmt *s, int rc, const char *doing,
          struct itui_err *err)
{
	sd_finalize(s);
	if (rc != SD_DONE && rc != SD_ROW)
		return sd_error(st->db, rc, doing, err);
	return ITUI_OK;
}

enum itui_code
st_fetch(struct store *st, struct sd_stmt *s, const char *doing, void *vp,
         size_t *n, size_t size, void (*read)(struct sd_stmt *, void *),
         struct itui_err *err)
{
	char **v = vp;
	size_t cap = *n;
	int rc;

	if (s == NULL)
		return err->code;
	while ((rc = sd_step(s)) == SD_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*v = xreallocarray(*v, cap, size);
		}
		memset(*v + *n * size, 0, size);
		read(s, *v + *n * size);
		(*n)++;
	}
	return st_finish(st, s, rc, doing, err);
}

/* ---- transactions ----------------------------------------------------- */

/* Refuses a read-only store with the reason. */
static enum itui_code
check_writable(struct store *st, struct itui_err *err)
{
	if (!st->db->readonly)
		return ITUI_OK;
	if (st->db->full)
		return sd_full_error(st->path, NULL, err);
	if (st->db->standby)
		return err_set(err, ITUI_READONLY,
		               "%s is a standby server, which only reads (the "
		               "primary takes writes: name both hosts with "
		               "target_session_attrs=read-write); nothing was "
		               "changed",
		               st->path);
	return err_set(
	    err, ITUI_READONLY,
	    "%s is read-only for you (%s); nothing was changed", st->path,
	    st->db->snapshot ? "no write access to it or its directory"
	                     : "no write access");
}

const char *
store_readonly_why(const struct store *st)
{
	return st->db->full      ? "disk full"
	       : st->db->standby ? "standby"
	                         : "read-only";
}

enum itui_code
store_check_writable(struct store *st, struct itui_err *err)
{
	return check_writable(st, err);
}

enum itui_code
st_begin_on(struct store *st, int64_t incident, struct itui_err *err)
{
	int rc;

	if (check_writable(st, err) != ITUI_OK)
		return err->code;
	if (st->batch)
		return ITUI_OK;
	store_read_end(st);
	st->ntouched = 0;
	st->touched_other = st->touched_monitoring = st->private_tx = 0;
	rc = st->db->ops->begin(st->db, incident > 0 || incident == SD_SCOPE_NEW
	                                    ? incident
	                                    : SD_SCOPE_ALL);
	if (rc != SD_OK)
		return sd_error(st->db, rc, "starting a change", err);
	st->tx_incident = incident > 0 ? incident : 0;
	return ITUI_OK;
}

enum itui_code
st_begin_row(struct store *st, const char *table, int64_t row_id,
             struct itui_err *err)
{
	/* A row never moves to another incident: no lock needed to ask. */
	char sql[96];
	struct sd_stmt *s;
	int64_t incident = 0;

	snprintf(sql, sizeof sql, "SELECT incident_id FROM %s WHERE id = ?",
	         table);
	if (check_writable(st, err) != ITUI_OK)
		return err->code;
	s = st_query(st, err, "starting a change", sql, "i", row_id);
	if (s == NULL)
		return err->code;
	if (sd_step(s) == SD_ROW)
		incident = sd_int64(s, 0);
	sd_finalize(s);
	return st_begin_on(st, incident, err);
}

enum itui_code
st_begin(struct store *st, struct itui_err *err)
{
	return st_begin_on(st, 0, err);
}

void
st_note_change(struct store *st, int64_t incident_id)
{
	size_t i;

	if (incident_id <= 0) {
		st->touched_other = 1;
		return;
	}
	for (i = 0; i < st->ntouched; i++)
		if (st->touched[i] == incident_id)
			return;
	if (st->ntouched == st->touched_cap) {
		st->touched_cap = st->touched_cap ? st->touched_cap * 2 : 8;
		st->touched = xreallocarray(st->touched, st->touched_cap,
		                            sizeof *st->touched);
	}
	st->touched[st->ntouched++] = incident_id;
}

void
st_note_monitoring(struct store *st)
{
	st->touched_monitoring = 1;
}

void
st_private(struct store *st)
{
	st->private_tx = 1;
}

/*
 * One revision per committed transaction, in the transaction: the newest
 * in row 0, and on each incident it touched (row -1 when it changed
 * something else, or when nothing said what it changed).
 */
static enum itui_code
record_revision(struct store *st, struct itui_err *err)
{
	struct sd_stmt *s;
	int64_t rev = 0;
	size_t i;
	int rc;

	if (st->private_tx)
		return ITUI_OK;
	s = st_query(st, err, "recording the revision",
	             "UPDATE changes SET rev = rev + 1 WHERE incident_id = 0"
	             " RETURNING rev",
	             "");
	if (s == NULL)
		return err->code;
	if ((rc = sd_step(s)) == SD_ROW) {
		rev = sd_int64(s, 0);
		rc = sd_step(s);
	}
	if (st_finish(st, s, rc, "recording the revision", err))
		return err->code;
	if (st->ntouched == 0 && !st->touched_monitoring)
		st->touched_other = 1;
	if (st->touched_monitoring &&
	    st_run(st, err, "recording the revision",
	           "INSERT INTO changes(incident_id, rev) VALUES (-2, ?)"
	           " ON CONFLICT(incident_id) DO UPDATE SET rev ="
	           " excluded.rev",
	           "i", rev) != ITUI_OK)
		return err->code;
	for (i = 0; i < st->ntouched; i++)
		if (st_run(st, err, "recording the revision",
		           "INSERT INTO changes(incident_id, rev) VALUES (?, ?)"
		           " ON CONFLICT(incident_id) DO UPDATE SET rev ="
		           " excluded.rev",
		           "ii", st->touched[i], rev) != ITUI_OK)
			return err->code;
	if (st->touched_other &&
	    st_run(st, err, "recording the revision",
	           "UPDATE changes SET rev = ? WHERE incident_id = -1", "i",
	           rev) != ITUI_OK)
		return err->code;
	return ITUI_OK;
}

/* Commits when rc is ITUI_OK, rolls back otherwise; returns the outcome. */
enum itui_code
st_end(struct store *st, enum itui_code rc, struct itui_err *err)
{
	int src;

	if (st->batch)
		return rc;
	if (rc == ITUI_OK)
		rc = record_revision(st, err);
	/* The commit's notice names the incident when there is one. */
	if (st->ntouched == 1)
		st->tx_incident = st->touched[0];
	else if (st->ntouched > 1 || st->touched_other)
		st->tx_incident = 0;
	st->ntouched = 0;
	st->touched_other = st->touched_monitoring = st->private_tx = 0;
	if (rc != ITUI_OK) {
		st->db->ops->rollback(st->db);
		return rc;
	}
	src = st->db->ops->commit(st->db, st->tx_incident);
	if (src != SD_OK) {
		sd_error(st->db, src, "saving the change", err);
		st->db->ops->rollback(st->db);
		return err->code;
	}
	return ITUI_OK;
}

enum itui_code
store_batch_begin(struct store *st, struct itui_err *err)
{
	enum itui_code rc = st_begin(st, err);

	if (rc == ITUI_OK)
		st->batch = 1;
	return rc;
}

enum itui_code
store_batch_end(struct store *st, int commit, struct itui_err *err)
{
	st->batch = 0;
	return st_end(st, commit ? ITUI_OK : ITUI_INTERNAL, err);
}

int64_t
store_statements(const struct store *st)
{
	return st->statements;
}

void
store_read_begin(struct store *st)
{
	if (st->batch || st->reading)
		return;
	/* PostgreSQL's default is a snapshot per statement. */
	st->reading = sd_exec(st->db, sd_sql(st->db, "BEGIN",
	                                     "BEGIN ISOLATION LEVEL REPEATABLE"
	                                     " READ, READ ONLY")) == SD_OK;
}

void
store_read_end(struct store *st)
{
	if (!st->reading)
		return;
	st->reading = 0;
	/* Nothing was written: a failed end loses nothing. */
	(void)sd_exec(st->db, "COMMIT");
}

enum itui_code
store_data_version(struct store *st, int64_t *out, struct itui_err *err)
{
	int rc = st->db->ops->revision(st->db, out);

	if (rc != SD_OK)
		return sd_error(st->db, rc, "reading the data version", err);
	return ITUI_OK;
}

enum itui_code
store_init_roles(struct store *st, struct itui_err *err)
{
	int rc;

	if (st->db->dialect != SD_PG)
		return ITUI_OK;
	if ((rc = sd_pg_roles(st->db)) != SD_OK)
		return sd_error(st->db, rc, "making the roles", err);
	return ITUI_OK;
}

int
store_lease(struct store *st, const char *job)
{
	return st->db->ops->lease(st->db, job);
}

/* A query without parameters whose first row's first column is *out (0
 * when it returns no row). */
static enum itui_code
one_int(struct store *st, const char *doing, const char *sql, int64_t *out,
        struct itui_err *err)
{
	struct sd_stmt *s = st_query(st, err, doing, sql, "");
	int rc;

	*out = 0;
	if (s == NULL)
		return err->code;
	rc = sd_step(s);
	if (rc == SD_ROW)
		*out = sd_int64(s, 0);
	return st_finish(st, s, rc, doing, err);
}

enum itui_code
store_revision(struct store *st, int64_t *out, struct itui_err *err)
{
	return one_int(st, "reading the revision",
	               "SELECT rev FROM changes WHERE incident_id = 0", out,
	               err);
}

int
store_standby(struct store *st, int64_t *as_of)
{
	*as_of = 0;
	if (!st->db->standby)
		return 0;
	/* The last commit replayed: nothing newer is shown. */
	(void)one_int(st, "reading the standby's replay time",
	              "SELECT CAST(coalesce(floor(extract(epoch FROM"
	              " pg_last_xact_replay_timestamp())), 0) AS BIGINT)",
	              as_of, NULL);
	return 1;
}

enum itui_code
store_server_time(struct store *st, int64_t *out, struct itui_err *err)
{
	*out = 0;
	if (st->db->dialect != SD_PG)
		return ITUI_OK;
	/* clock_timestamp(), not now(): a read snapshot's start is older. */
	return one_int(
	    st, "reading the server's clock",
	    "SELECT CAST(floor(extract(epoch FROM clock_timestamp()))"
	    " AS BIGINT)",
	    out, err);
}

enum itui_code
store_changes(struct store *st, int64_t since, int64_t **ids, size_t *n,
              int *other, int *monitoring, int64_t *now, struct itui_err *err)
{
	struct sd_stmt *s = st_query(st, err, "reading what changed",
	                             "SELECT incident_id, rev FROM changes"
	                             " WHERE rev > ? OR incident_id = 0"
	                             " ORDER BY incident_id",
	                             "i", since);
	size_t cap = 0;
	int rc;

	*ids = NULL;
	*n = 0;
	*other = *monitoring = 0;
	*now = since;
	if (s == NULL)
		return err->code;
	while ((rc = sd_step(s)) == SD_ROW) {
		int64_t id = sd_int64(s, 0);

		if (id == 0) {
			*now = sd_int64(s, 1);
		} else if (id == -2) {
			*monitoring = 1;
		} else if (id < 0) {
			*other = 1;
		} else {
			if (*n == cap) {
				cap = cap ? cap * 2 : 8;
				*ids = xreallocarray(*ids, cap, sizeof **ids);
			}
			(*ids)[(*n)++] = id;
		}
	}
	if (st_finish(st, s, rc, "reading what changed", err)) {
		free(*ids);
		*ids = NULL;
		*n = 0;
		return err->code;
	}
	return ITUI_OK;
}

/* ---- validation -------------------------------------------------------- */

enum itui_code
st_check_text(const char *what, const char *s, size_t max, struct itui_err *err)
{
	const char *p = s;

	if (s == NULL)
		return err_set(err, ITUI_INPUT, "%s is empty", what);
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	if (*p == '\0')
		return err_set(err, ITUI_INPUT, "%s is empty", what);
	if (strlen(s) > max)
		return err_set(err, ITUI_INPUT, "%s is longer than %zu bytes",
		               what, max);
	return ITUI_OK;
}

enum itui_code
st_check_name(const char *what, const char *s, struct itui_err *err)
{
	const unsigned char *p;

	if (st_check_text(what, s, MAX_NAME_BYTES, err) != ITUI_OK)
		return err->code;
	for (p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return err_set(err, ITUI_INPUT,
			               "%s contains a control character", what);
	return ITUI_OK;
}

enum itui_code
st_incident_exists(struct store *st, int64_t id, struct itui_err *err)
{
	struct sd_stmt *s =
	    st_query(st, err, "looking up the incident",
	             "SELECT 1 FROM incidents WHERE id = ?", "i", id);
	int rc;

	if (s == NULL)
		return err->code;
	rc = sd_step(s);
	sd_finalize(s);
	if (rc == SD_ROW)
		return ITUI_OK;
	if (rc == SD_DONE)
		return err_set(err, ITUI_NOTFOUND, "no incident INC-%lld",
		               (long long)id);
	return sd_error(st->db, rc, "looking up the incident", err);
}

/* ---- audit and typed entries ------------------------------------------ */

enum itui_code
st_audit(struct store *st, int64_t incident_id, const char *object,
         int64_t object_id, const char *field, const char *old_value,
         const char *new_value, struct itui_err *err)
{
	st_note_change(st, incident_id);
	if (st_run(st, err, "recording the audit trail",
	           "INSERT INTO audit(at, actor, origin, incident_id, object,"
	           " object_id, field, old_value, new_value)"
	           " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
	           "issisisss", st_now(st), st->actor, st->origin, incident_id,
	           object, object_id, field, old_value, new_value) != ITUI_OK)
		return err->code;
	return st_chain_link(st, CHAIN_AUDIT, sd_last_id(st->db), object, err);
}

enum itui_code
st_touch_incident(struct store *st, int64_t id, struct itui_err *err)
{
	st_note_change(st, id);
	return st_run(st, err, "updating the incident",
	              "UPDATE incidents SET updated_at = ? WHERE id = ?", "ii",
	              st_now(st), id);
}

/* Inserts an entry inside the caller's transaction. */
enum itui_code
st_insert_entry(struct store *st, int64_t incident_id, enum entry_kind kind,
                int64_t at, const char *text, const char *data,
                int64_t *entry_id, struct itui_err *err)
{
	int64_t id;
	/* Canonical (sorted keys) so exports import back to the same hash. */
	char *canon = chain_canonical_json(data);
	enum itui_code rc;

	st_note_change(st, incident_id);
	rc = st_run(
	    st, err, "adding the timeline entry",
	    "INSERT INTO entries(incident_id, at, recorded_at, author, kind,"
	    " text, data) VALUES (?, ?, ?, ?, ?, ?, json(?))",
	    "iiissss", incident_id, at, st_now(st), st->actor, kind_name(kind),
	    text, canon);

	free(canon);
	if (rc != ITUI_OK)
		return err->code;
	id = sd_last_id(st->db);
	if (entry_id != NULL)
		*entry_id = id;
	if (st_chain_link(st, CHAIN_ENTRY, id, NULL, err) != ITUI_OK)
		return err->code;
	if (st_audit(st, incident_id, "entry", id, "created", NULL, text,
	             err) != ITUI_OK)
		return err->code;
	/* The checklist steps this entry's event completes, in the same tx. */
	return st_checklist_entry(st, incident_id, kind, data, at, err);
}

/* A typed entry recording a change from `from` to `to`. */
enum itui_code
st_typed_entry(struct store *st, int64_t incident_id, enum entry_kind kind,
               int64_t at, const char *text, const char *field,
               const char *from, const char *to, struct itui_err *err)
{
	char *data;
	struct sd_stmt *s =
	    st_query(st, err, "building the entry",
	             "SELECT json_object('field', CAST(? AS TEXT), 'from',"
	             " CAST(? AS TEXT), 'to', CAST(? AS TEXT))",
	             "sss", field, from, to);
	enum itui_code rc;

	if (s == NULL)
		return err->code;
	if (sd_step(s) != SD_ROW) {
		sd_finalize(s);
		return sd_error(st->db, sd_errcode(st->db),
		                "building the entry", err);
	}
	data = st_col_text(s, 0);
	sd_finalize(s);
	rc = st_insert_entry(st, incident_id, kind, at, text, data, NULL, err);
	free(data);
	return rc;
}

int64_t
st_at_or_now(const struct store *st, int64_t at)
{
	return at == TIME_NONE ? st_now(st) : at;
}

/* ---- incidents --------------------------------------------------------- */

enum itui_code
st_request_snapshot(struct store *st, int64_t id, const char *reason,
                    struct itui_err *err)
{
	return st_run(
	    st, err, "asking for a snapshot",
	    "INSERT INTO snapshot_requests(incident_id, reason, requested_at)"
	    " VALUES (?, ?, ?)",
	    "isi", id, reason, st_now(st));
}

static enum itui_code assign_in_tx(struct store *st, int64_t id, enum role role,
                                   const char *person, int64_t at,
                                   struct itui_err *err);

enum itui_code
store_incident_declare(struct store *st, const struct incident_new *in,
                       int64_t *id, struct itui_err *err)
{
	int64_t at = st_at_or_now(st, in->at), now = st_now(st);
	enum itui_code rc;
	char *text;

	if (st_check_text("the title", in->title, MAX_TITLE_BYTES, err) ||
	    st_check_name("the severity", in->severity, err))
		return err->code;
	if (in->commander != NULL &&
	    st_check_name("the commander's name", in->commander, err))
		return err->code;
	if ((rc = st_begin_on(st, SD_SCOPE_NEW, err)) != ITUI_OK)
		return rc;
	rc = st_run(
	    st, err, "declaring the incident",
	    "INSERT INTO incidents(title, severity, status, service, impact,"
	    " declared_at, detected_at, declared_by, recorded_at, updated_at,"
	    " drill, alert_key)"
	    " VALUES (?, ?, 'investigating', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	    "sssstisiids", in->title, in->severity, in->service, in->impact, at,
	    at, st->actor, now, now, in->drill ? 1 : 0, in->alert_key);
	if (rc != ITUI_OK)
		return st_end(st, rc, err);
	*id = sd_last_id(st->db);
	/* The playbook first, so the declaration's own events tick it. */
	rc = st_checklist_level(st, *id, in->severity, at, err);
	if (rc != ITUI_OK)
		return st_end(st, rc, err);
	text = xasprintf("Declared %s%s incident: %s", in->severity,
	                 in->drill ? " drill" : "", in->title);
	rc = st_insert_entry(st, *id, KIND_SYSTEM, at, text,
	                     "{\"event\":\"declared\"}", NULL, err);
	free(text);
	if (rc == ITUI_OK)
		rc = st_request_snapshot(st, *id, "declared", err);
	if (rc == ITUI_OK && (in->alert_id > 0 || in->alert_key != NULL))
		rc = st_alert_link(st, *id, in->alert_id, in->alert_key, at,
		                   err);
	/*
	 * Declared from an alert, the incident was detected when the alert
	 * started firing, not when someone got round to declaring it (never
	 * later than the declaration, whatever the source's clock says).
	 */
	if (rc == ITUI_OK && (in->alert_id > 0 || in->alert_key != NULL))
		rc =
		    st_run(st, err, "dating the detection",
		           "UPDATE incidents SET detected_at = min(declared_at,"
		           " coalesce((SELECT since FROM alerts WHERE"
		           " alerts.id = incidents.alert_id), declared_at))"
		           " WHERE id = ?",
		           "i", *id);
	if (rc == ITUI_OK)
		rc = st_audit(st, *id, "incident", *id, "declared", NULL,
		              in->title, err);
	if (rc == ITUI_OK)
		rc = st_audit(st, *id, "incident", *id, "severity", NULL,
		              in->severity, err);
	if (rc == ITUI_OK && in->commander != NULL)
		rc = assign_in_tx(st, *id, ROLE_COMMANDER, in->commander, at,
		                  err);
	if (rc == ITUI_OK)
		rc = st_outbox_change(st, *id, "declared", NULL, err);
	return st_end(st, rc, err);
}

#define INCIDENT_COLUMNS                                                       \
	"id, title, severity, status, service, impact, summary, root_cause,"   \
	" alert_key, declared_by, drill, declared_at, detected_at,"            \
	" acknowledged_at, mitigated_at, resolved_at, closed_at, recorded_at," \
	" updated_at"

static void
read_incident(struct sd_stmt *s, void *p)
{
	struct incident *inc = p;
	const char *status = sd_text(s, 3);
	int st;

	memset(inc, 0, sizeof *inc);
	inc->id = sd_int64(s, 0);
	inc->title = st_col_text(s, 1);
	inc->severity = st_col_text(s, 2);
	st = status_parse(status);
	inc->status = st < 0 ? STATUS_INVESTIGATING : (enum inc_status)st;
	inc->service = st_col_text(s, 4);
	inc->impact = st_col_text(s, 5);
	inc->summary = st_col_text(s, 6);
	inc->root_cause = st_col_text(s, 7);
	inc->alert_key = st_col_text(s, 8);
	inc->declared_by = st_col_text(s, 9);
	inc->drill = sd_int(s, 10);
	inc->declared_at = st_col_time(s, 11);
	inc->detected_at = st_col_time(s, 12);
	inc->acknowledged_at = st_col_time(s, 13);
	inc->mitigated_at = st_col_time(s, 14);
	inc->resolved_at = st_col_time(s, 15);
	inc->closed_at = st_col_time(s, 16);
	inc->recorded_at = st_col_time(s, 17);
	inc->updated_at = st_col_time(s, 18);
	inc->last_comms_at = TIME_NONE;
	inc->phase_start = inc->phase_due = TIME_NONE;
}

struct st_idpos {
	int64_t id;
	size_t at;
};

static int
cmp_idpos(const void *a, const void *b)
{
	const struct st_idpos *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

void
st_idset_init(struct st_idset *set, const struct incident *v, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	set->byid = xcalloc(n ? n : 1, sizeof *set->byid);
	set->n = n;
	for (i = 0; i < n; i++) {
		set->byid[i].id = v[i].id;
		set->byid[i].at = i;
		strbuf_addf(&sb, "%s%lld", i ? "," : "(", (long long)v[i].id);
	}
	strbuf_addstr(&sb, ")");
	qsort(set->byid, n, sizeof *set->byid, cmp_idpos);
	set->sql = strbuf_detach(&sb);
}

int
st_idset_find(const struct st_idset *set, int64_t id)
{
	struct st_idpos key = {id, 0};
	const struct st_idpos *hit =
	    bsearch(&key, set->byid, set->n, sizeof *set->byid, cmp_idpos);

	return hit != NULL ? (int)hit->at : -1;
}

void
st_idset_free(struct st_idset *set)
{
	free(set->sql);
	free(set->byid);
}

struct sd_stmt *
st_query_set(struct store *st, struct itui_err *err, const char *doing,
             const char *sql_fmt, const struct st_idset *set)
{
	const char *at = strstr(sql_fmt, "%s");
	struct strbuf sql = STRBUF_INIT;
	struct sd_stmt *s;

	if (at == NULL)
		fatal("st_query_set: no %%s in the statement");
	strbuf_add(&sql, sql_fmt, (size_t)(at - sql_fmt));
	strbuf_addstr(&sql, set->sql);
	strbuf_addstr(&sql, at + 2);
	s = st_query(st, err, doing, strbuf_str(&sql), "");
	strbuf_free(&sql);
	return s;
}

/*
 * Roles, severity history, last comms, escalations and the current phase
 * of every incident of v[0..n): what the clocks need, in a fixed number of
 * statements whatever n is (the list of a war room of fifty reloads on
 * every commit).
 */
static enum itui_code
load_extras(struct store *st, struct incident *v, size_t n,
            struct itui_err *err)
{
	struct itui_err scratch;
	struct st_idset set;
	struct sd_stmt *s;
	size_t *cap, i;
	int rc, k;

	if (n == 0)
		return ITUI_OK;
	if (err == NULL) /* the dashboard's selection asks without one */
		err = &scratch;
	err->code = ITUI_OK;
	cap = xcalloc(n, sizeof *cap);
	for (i = 0; i < n; i++)
		v[i].last_comms_at = TIME_NONE;
	st_idset_init(&set, v, n);

	s = st_query_set(
	    st, err, "reading the roles",
	    "SELECT incident_id, role, person FROM role_assignments"
	    " WHERE ended_at IS NULL AND incident_id IN %s",
	    &set);
	if (s == NULL)
		goto out;
	while ((rc = sd_step(s)) == SD_ROW) {
		int r = role_parse(sd_text(s, 1));

		if ((k = st_idset_find(&set, sd_int64(s, 0))) >= 0 && r >= 0) {
			free(v[k].roles[r]);
			v[k].roles[r] = st_col_text(s, 2);
		}
	}
	if (st_finish(st, s, rc, "reading the roles", err))
		goto out;

	s = st_query_set(
	    st, err, "reading the timeline",
	    "SELECT incident_id, max(CASE WHEN kind = 'comms' THEN at END),"
	    " sum(CASE WHEN kind = 'escalation' THEN 1 ELSE 0 END)"
	    " FROM entries WHERE kind IN ('comms', 'escalation')"
	    " AND deleted_at IS NULL AND incident_id IN %s"
	    " GROUP BY incident_id",
	    &set);
	if (s == NULL)
		goto out;
	while ((rc = sd_step(s)) == SD_ROW)
		if ((k = st_idset_find(&set, sd_int64(s, 0))) >= 0) {
			v[k].last_comms_at = st_col_time(s, 1);
			v[k].escalations = sd_int(s, 2);
		}
	if (st_finish(st, s, rc, "reading the timeline", err))
		goto out;

	s = st_query_set(st, err, "reading the severity history",
	                 "SELECT incident_id, at, json_extract(data, '$.from'),"
	                 " json_extract(data, '$.to') FROM entries"
	                 " WHERE kind = 'severity' AND deleted_at IS NULL"
	                 " AND incident_id IN %s ORDER BY incident_id, at, id",
	                 &set);
	if (s == NULL)
		goto out;
	while ((rc = sd_step(s)) == SD_ROW) {
		struct sev_change *c;
		struct incident *inc;

		if ((k = st_idset_find(&set, sd_int64(s, 0))) < 0)
			continue;
		inc = &v[k];
		if (inc->nchanges == cap[k]) {
			cap[k] = cap[k] ? cap[k] * 2 : 4;
			inc->changes =
			    xreallocarray(inc->changes, cap[k], sizeof *c);
		}
		c = &inc->changes[inc->nchanges++];
		c->at = sd_int64(s, 1);
		c->from = st_col_text(s, 2);
		c->to = st_col_text(s, 3);
	}
	if (st_finish(st, s, rc, "reading the severity history", err))
		goto out;
	st_checklist_phases(st, v, &set, err);
out:
	free(cap);
	st_idset_free(&set);
	return err->code;
}

enum itui_code
store_incident_get(struct store *st, int64_t id, struct incident *out,
                   struct itui_err *err)
{
	struct sd_stmt *s = st_query(
	    st, err, "reading the incident",
	    "SELECT " INCIDENT_COLUMNS " FROM incidents WHERE id = ?", "i", id);
	int rc;

	memset(out, 0, sizeof *out);
	if (s == NULL)
		return err->code;
	rc = sd_step(s);
	if (rc == SD_DONE) {
		sd_finalize(s);
		return err_set(err, ITUI_NOTFOUND, "no incident INC-%lld",
		               (long long)id);
	}
	if (rc != SD_ROW)
		return st_finish(st, s, rc, "reading the incident", err);
	read_incident(s, out);
	sd_finalize(s);
	if (load_extras(st, out, 1, err) != ITUI_OK) {
		incident_free(out);
		return err->code;
	}
	return ITUI_OK;
}

enum itui_code
store_incident_list(struct store *st, int all, int limit,
                    struct incident_list *out, struct itui_err *err)
{
	struct sd_stmt *s;

	out->v = NULL;
	out->n = 0;
	/* The active ones named, not "not resolved": a seek on the status
	 * index instead of a walk through a year's resolved incidents. */
	if (all)
		s = st_query(st, err, "listing incidents",
		             "SELECT " INCIDENT_COLUMNS " FROM incidents"
		             " ORDER BY status IN ('resolved', 'closed'),"
		             " declared_at DESC, id DESC LIMIT ?",
		             "i", limit > 0 ? (int64_t)limit : ST_NO_LIMIT);
	else
		s = st_query(st, err, "listing incidents",
		             "SELECT " INCIDENT_COLUMNS " FROM incidents"
		             " WHERE status IN ('investigating', 'identified',"
		             " 'mitigating', 'monitoring')"
		             " ORDER BY declared_at DESC, id DESC LIMIT ?",
		             "i", limit > 0 ? (int64_t)limit : ST_NO_LIMIT);
	if (st_fetch(st, s, "listing incidents", &out->v, &out->n,
	             sizeof *out->v, read_incident, err))
		goto fail;
	if (load_extras(st, out->v, out->n, err) != ITUI_OK)
		goto fail;
	return ITUI_OK;
fail:
	incident_list_free(out);
	return err->code;
}

/* Reads one text column of an incident inside a transaction. */
static enum itui_code
incident_field(struct store *st, int64_t id, const char *column, char **out,
               struct itui_err *err)
{
	char sql[128];
	struct sd_stmt *s;
	int rc;

	snprintf(sql, sizeof sql, "SELECT %s FROM incidents WHERE id = ?",
	         column);
	s = st_query(st, err, "reading the incident", sql, "i", id);
	if (s == NULL)
		return err->code;
	rc = sd_step(s);
	if (rc == SD_DONE) {
		sd_finalize(s);
		return err_set(err, ITUI_NOTFOUND, "no incident INC-%lld",
		               (long long)id);
	}
	if (rc != SD_ROW)
		return st_finish(st, s, rc, "reading the incident", err);
	*out = st_col_text(s, 0);
	sd_finalize(s);
	return ITUI_OK;
}

enum itui_code
store_incident_ack(struct store *st, int64_t id, int64_t at, int *already,
                   struct itui_err *err)
{
	char *old = NULL, buf[TIME_BUF];
	enum itui_code rc;

	*already = 0;
	at = st_at_or_now(st, at);
	if ((rc = st_begin_on(st, id, err)) != ITUI_OK)
		return rc;
	rc = incident_field(st, id, "acknowledged_at", &old, err);
	if (rc == ITUI_OK && old != NULL) {
		*already = 1;
		free(old);
		return st_end(st, ITUI_OK, err);
	}
	time_format_iso(at, buf);
	if (rc == ITUI_OK)
		rc = st_run(
		    st, err, "acknowledging",
		    "UPDATE incidents SET acknowledged_at = ?, updated_at = ?"
		    " WHERE id = ?",
		    "iii", at, st_now(st), id);
	if (rc == ITUI_OK)
		rc = st_insert_entry(st, id, KIND_SYSTEM, at, "Acknowledged",
		                     "{\"event\":\"ack\"}", NULL, err);
	if (rc == ITUI_OK)
		rc = st_audit(st, id, "incident", id, "acknowledged_at", NULL,
		              buf, err);
	if (rc == ITUI_OK)
		rc = st_outbox_change(st, id, "ack", "Acknowledged", err);
	return st_end(st, rc, err);
}

/* Sets or clears one time column, auditing the change. */
static enum itui_code
set_time_field(struct store *st, int64_t id, const char *column, int64_t value,
               struct itui_err *err)
{
	char *old = NULL, sql[128], obuf[TIME_BUF], nbuf[TIME_BUF];
	int64_t oldv;
	enum itui_code rc;

	if ((rc = incident_field(st, id, column, &old, err)) != ITUI_OK)
		return rc;
	oldv = old != NULL ? strtoll(old, NULL, 10) : TIME_NONE;
	free(old);
	if (oldv == value)
		return ITUI_OK;
	snprintf(sql, sizeof sql, "UPDATE incidents SET %s = ? WHERE id = ?",
	         column);
	rc = st_run(st, err, "updating the incident", sql, "ti", value, id);
	if (rc == ITUI_OK)
		rc = st_audit(
		    st, id, "incident", id, column,
		    oldv == TIME_NONE ? NULL : time_format_iso(oldv, obuf),
		    value == TIME_NONE ? NULL : time_format_iso(value, nbuf),
		    err);
	return rc;
}

enum itui_code
store_incident_set_status(struct store *st, int64_t id, enum inc_status status,
                          int64_t at, struct itui_err *err)
{
	char *old = NULL, *text = NULL;
	int64_t cur_res = TIME_NONE;
	enum itui_code rc;
	int from;

	at = st_at_or_now(st, at);
	if ((rc = st_begin_on(st, id, err)) != ITUI_OK)
		return rc;
	if ((rc = incident_field(st, id, "status", &old, err)) != ITUI_OK)
		return st_end(st, rc, err);
	from = status_parse(old);
	if (from == (int)status) {
		free(old);
		return st_end(st, ITUI_OK, err);
	}
	rc = st_run(
	    st, err, "changing the status",
	    "UPDATE incidents SET status = ?, updated_at = ? WHERE id = ?",
	    "sii", status_name(status), st_now(st), id);
	if (rc == ITUI_OK)
		rc = st_audit(st, id, "incident", id, "status", old,
		              status_name(status), err);
	/* Lifecycle times follow the status, both ways. */
	if (rc == ITUI_OK) {
		char *res = NULL;

		rc = incident_field(st, id, "resolved_at", &res, err);
		if (res != NULL)
			cur_res = strtoll(res, NULL, 10);
		free(res);
	}
	if (rc == ITUI_OK && status >= STATUS_MONITORING &&
	    from < (int)STATUS_MONITORING)
		rc = set_time_field(st, id, "mitigated_at", at, err);
	if (rc == ITUI_OK && status < STATUS_MONITORING)
		rc = set_time_field(st, id, "mitigated_at", TIME_NONE, err);
	if (rc == ITUI_OK && status >= STATUS_RESOLVED && cur_res == TIME_NONE)
		rc = set_time_field(st, id, "resolved_at", at, err);
	if (rc == ITUI_OK && status < STATUS_RESOLVED)
		rc = set_time_field(st, id, "resolved_at", TIME_NONE, err);
	if (rc == ITUI_OK)
		rc = set_time_field(st, id, "closed_at",
		                    status == STATUS_CLOSED ? at : TIME_NONE,
		                    err);
	if (rc == ITUI_OK) {
		text = xasprintf("Status: %s -> %s%s", old, status_name(status),
		                 from > (int)status ? " (relapse)" : "");
		rc = st_typed_entry(st, id, KIND_STATUS, at, text, "status",
		                    old, status_name(status), err);
	}
	if (rc == ITUI_OK)
		rc = st_outbox_change(st, id, "status", text, err);
	/* A status change is a moment the metrics should show. */
	if (rc == ITUI_OK && status < STATUS_CLOSED)
		rc = st_request_snapshot(st, id, "status", err);
	free(text);
	free(old);
	return st_end(st, rc, err);
}

enum itui_code
store_incident_set_severity(struct store *st, int64_t id, const char *level,
                            int64_t at, struct itui_err *err)
{
	char *old = NULL, *text;
	enum itui_code rc;

	if (st_check_name("the severity", level, err))
		return err->code;
	at = st_at_or_now(st, at);
	if ((rc = st_begin_on(st, id, err)) != ITUI_OK)
		return rc;
	if ((rc = incident_field(st, id, "severity", &old, err)) != ITUI_OK)
		return st_end(st, rc, err);
	if (strcmp(old, level) == 0) {
		free(old);
		return st_end(st, ITUI_OK, err);
	}
	rc = st_run(
	    st, err, "changing the severity",
	    "UPDATE incidents SET severity = ?, updated_at = ? WHERE id = ?",
	    "sii", level, st_now(st), id);
	if (rc == ITUI_OK)
		rc = st_audit(st, id, "incident", id, "severity", old, level,
		              err);
	text = xasprintf("Severity: %s -> %s", old, level);
	if (rc == ITUI_OK)
		rc = st_checklist_level(st, id, level, at, err);
	if (rc == ITUI_OK)
		rc = st_typed_entry(st, id, KIND_SEVERITY, at, text, "severity",
		                    old, level, err);
	if (rc == ITUI_OK)
		rc = st_request_snapshot(st, id, "severity", err);
	if (rc == ITUI_OK)
		rc = st_outbox_change(st, id, "severity", text, err);
	free(text);
	free(old);
	return st_end(st, rc, err);
}

/* ---- roles --------------------------------------------------------------- */

static enum itui_code
current_holder(struct store *st, int64_t id, enum role role, char **person,
               struct itui_err *err)
{
	struct sd_stmt *s =
	    st_query(st, err, "reading the roles",
	             "SELECT person FROM role_assignments WHERE incident_id = ?"
	             " AND role = ? AND ended_at IS NULL",
	             "is", id, role_name(role));
	int rc;

	*person = NULL;
	if (s == NULL)
		return err->code;
	rc = sd_step(s);
	if (rc == SD_ROW)
		*person = st_col_text(s, 0);
	return st_finish(st, s, rc, "reading the roles", err);
}

static enum itui_code
end_assignment(struct store *st, int64_t id, enum role role, int64_t at,
               struct itui_err *err)
{
	return st_run(
	    st, err, "changing the role",
	    "UPDATE role_assignments SET ended_at = ?, ended_by = ?"
	    " WHERE incident_id = ? AND role = ? AND ended_at IS NULL",
	    "isis", at, st->actor, id, role_name(role));
}

static enum itui_code
assign_in_tx(struct store *st, int64_t id, enum role role, const char *person,
             int64_t at, struct itui_err *err)
{
	char *old = NULL, *text, field[32];
	enum itui_code rc;

	if ((rc = current_holder(st, id, role, &old, err)) != ITUI_OK)
		return rc;
	if (old != NULL && strcmp(old, person) == 0) {
		free(old);
		return ITUI_OK;
	}
	rc = old != NULL ? end_assignment(st, id, role, at, err) : ITUI_OK;
	if (rc == ITUI_OK)
		rc = st_run(
		    st, err, "assigning the role",
		    "INSERT INTO role_assignments(incident_id, role, person,"
		    " assigned_at, assigned_by) VALUES (?, ?, ?, ?, ?)",
		    "issis", id, role_name(role), person, at, st->actor);
	snprintf(field, sizeof field, "role:%s", role_name(role));
	if (rc == ITUI_OK)
		rc = st_audit(st, id, "role", id, field, old, person, err);
	text = old != NULL
	           ? xasprintf("%s: %s -> %s", role_name(role), old, person)
	           : xasprintf("%s: %s", role_name(role), person);
	if (rc == ITUI_OK)
		rc = st_typed_entry(st, id, KIND_ROLE, at, text,
		                    role_name(role), old, person, err);
	if (rc == ITUI_OK)
		rc = st_touch_incident(st, id, err);
	free(text);
	free(old);
	return rc;
}

enum itui_code
store_role_assign(struct store *st, int64_t id, enum role role,
                  const char *person, int64_t at, struct itui_err *err)
{
	enum itui_code rc;

	if (st_check_name("the person's name", person, err))
		return err->code;
	at = st_at_or_now(st, at);
	if ((rc = st_begin_on(st, id, err)) != ITUI_OK)
		return rc;
	rc = st_incident_exists(st, id, err);
	if (rc == ITUI_OK)
		rc = assign_in_tx(st, id, role, person, at, err);
	return st_end(st, rc, err);
}

enum itui_code
store_role_unassign(struct store *st, int64_t id, enum role role, int64_t at,
                    struct itui_err *err)
{
	char *old = NULL, *text, field[32];
	enum itui_code rc;

	at = st_at_or_now(st, at);
	if ((rc = st_begin_on(st, id, err)) != ITUI_OK)
		return rc;
	rc = st_incident_exists(st, id, err);
	if (rc == ITUI_OK)
		rc = current_holder(st, id, role, &old, err);
	if (rc == ITUI_OK && old == NULL)
		rc = err_set(err, ITUI_INPUT, "INC-%lld has no %s to unassign",
		             (long long)id, role_name(role));
	if (rc != ITUI_OK)
		return st_end(st, rc, err);
	rc = end_assignment(st, id, role, at, err);
	snprintf(field, sizeof field, "role:%s", role_name(role));
	if (rc == ITUI_OK)
		rc = st_audit(st, id, "role", id, field, old, NULL, err);
	text = xasprintf("%s: %s stood down (unfilled)", role_name(role), old);
	if (rc == ITUI_OK)
		rc = st_typed_entry(st, id, KIND_ROLE, at, text,
		                    role_name(role), old, NULL, err);
	if (rc == ITUI_OK)
		rc = st_touch_incident(st, id, err);
	free(text);
	free(old);
	return st_end(st, rc, err);
}

/* ---- timeline ----------------------------------------------------------- */

enum itui_code
store_entry_add(struct store *st, int64_t incident_id, enum entry_kind kind,
                int64_t at, const char *text, const char *data,
                int64_t *entry_id, struct itui_err *err)
{
	enum itui_code rc;

	if (st_check_text("the entry text", text, MAX_TEXT_BYTES, err))
		return err->code;
	if ((unsigned)kind >= KIND_COUNT)
		return err_set(err, ITUI_INPUT, "unknown entry kind");
	at = st_at_or_now(st, at);
	if ((rc = st_begin_on(st, incident_id, err)) != ITUI_OK)
		return rc;
	rc = st_incident_exists(st, incident_id, err);
	if (rc == ITUI_OK)
		rc = st_insert_entry(st, incident_id, kind, at, text, data,
		                     entry_id, err);
	if (rc == ITUI_OK)
		rc = st_touch_incident(st, incident_id, err);
	/* A status update marked sent goes to the level's update list. */
	if (rc == ITUI_OK && kind == KIND_COMMS)
		rc = st_outbox_change(st, incident_id, "update", text, err);
	return st_end(st, rc, err);
}

void
st_read_text_row(struct sd_stmt *s, void *out)
{
	*(char **)out = st_col_text(s, 0);
}

void
st_read_entry_row(struct sd_stmt *s, void *e)
{
	st_read_entry(s, e);
}

void
st_read_entry(struct sd_stmt *s, struct entry *e)
{
	int k = kind_parse(sd_text(s, 5));

	e->id = sd_int64(s, 0);
	e->incident_id = sd_int64(s, 1);
	e->at = sd_int64(s, 2);
	e->recorded_at = sd_int64(s, 3);
	e->author = st_col_text(s, 4);
	e->kind = k < 0 ? KIND_NOTE : (enum entry_kind)k;
	e->text = st_col_text(s, 6);
	e->data = st_col_text(s, 7);
	e->pinned = sd_int(s, 8);
	e->revision = sd_int(s, 9);
	e->deleted_at = st_col_time(s, 10);
	e->change_seq = sd_int64(s, 11);
}

enum itui_code
store_entry_get(struct store *st, int64_t entry_id, struct entry *out,
                struct itui_err *err)
{
	struct sd_stmt *s =
	    st_query(st, err, "reading the entry",
	             "SELECT " ENTRY_COLUMNS " FROM entries WHERE id = ?", "i",
	             entry_id);
	int rc;

	memset(out, 0, sizeof *out);
	if (s == NULL)
		return err->code;
	rc = sd_step(s);
	if (rc == SD_ROW) {
		st_read_entry(s, out);
		sd_finalize(s);
		return ITUI_OK;
	}
	if (rc == SD_DONE) {
		sd_finalize(s);
		return err_set(err, ITUI_NOTFOUND, "no timeline entry %lld",
		               (long long)entry_id);
	}
	return st_finish(st, s, rc, "reading the entry", err);
}

/* Reads an entry for a change by a person; typed entries are the record. */
enum itui_code
st_editable_entry(struct store *st, int64_t entry_id, struct entry *e,
                  struct itui_err *err)
{
	if (store_entry_get(st, entry_id, e, err) != ITUI_OK)
		return err->code;
	if (e->deleted_at != TIME_NONE) {
		entry_free(e);
		return err_set(err, ITUI_INPUT,
		               "timeline entry %lld is deleted",
		               (long long)entry_id);
	}
	return ITUI_OK;
}

enum itui_code
store_entry_edit(struct store *st, int64_t entry_id, enum entry_kind kind,
                 int64_t at, const char *text, struct itui_err *err)
{
	return store_entry_edit_rev(st, entry_id, kind, at, text, 0, err);
}

enum itui_code
store_entry_edit_rev(struct store *st, int64_t entry_id, enum entry_kind kind,
                     int64_t at, const char *text, int if_revision,
                     struct itui_err *err)
{
	struct entry e;
	enum itui_code rc;
	int64_t rev;

	if (st_check_text("the entry text", text, MAX_TEXT_BYTES, err))
		return err->code;
	if (!kind_loggable(kind))
		return err_set(err, ITUI_INPUT,
		               "entries of kind %s are written by the system",
		               kind_name(kind));
	if ((rc = st_begin_row(st, "entries", entry_id, err)) != ITUI_OK)
		return rc;
	if ((rc = st_editable_entry(st, entry_id, &e, err)) != ITUI_OK)
		return st_end(st, rc, err);
	if (!kind_loggable(e.kind)) {
		rc = err_set(
		    err, ITUI_INPUT,
		    "entry %lld records a %s change and cannot be edited",
		    (long long)entry_id, kind_name(e.kind));
		entry_free(&e);
		return st_end(st, rc, err);
	}
	if (if_revision > 0 && e.revision != if_revision) {
		rc = st_entry_conflict(st, &e, if_revision, err);
		entry_free(&e);
		return st_end(st, rc, err);
	}
	if (at == TIME_NONE)
		at = e.at;
	rc = st_run(
	    st, err, "keeping the old version",
	    "INSERT INTO entry_revisions(entry_id, revision, at, kind, text,"
	    " replaced_at, replaced_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
	    "idissis", entry_id, e.revision, e.at, kind_name(e.kind), e.text,
	    st_now(st), st->actor);
	rev = sd_last_id(st->db);
	if (rc == ITUI_OK)
		rc = st_run(st, err, "editing the entry",
		            "UPDATE entries SET text = ?, kind = ?, at = ?,"
		            " revision = revision + 1 WHERE id = ?",
		            "ssii", text, kind_name(kind), at, entry_id);
	/* After the update: a revision's hash covers what replaced it. */
	if (rc == ITUI_OK)
		rc = st_chain_link(st, CHAIN_REVISION, rev, NULL, err);
	if (rc == ITUI_OK && strcmp(text, e.text) != 0)
		rc = st_audit(st, e.incident_id, "entry", entry_id, "text",
		              e.text, text, err);
	if (rc == ITUI_OK && kind != e.kind)
		rc = st_audit(st, e.incident_id, "entry", entry_id, "kind",
		              kind_name(e.kind), kind_name(kind), err);
	if (rc == ITUI_OK && at != e.at) {
		char o[TIME_BUF], n[TIME_BUF];

		rc = st_audit(st, e.incident_id, "entry", entry_id, "at",
		              time_format_iso(e.at, o), time_format_iso(at, n),
		              err);
	}
	if (rc == ITUI_OK)
		rc = st_touch_incident(st, e.incident_id, err);
	entry_free(&e);
	return st_end(st, rc, err);
}

enum itui_code
store_entry_set_pinned(struct store *st, int64_t entry_id, int pinned,
                       struct itui_err *err)
{
	struct entry e;
	enum itui_code rc;

	if ((rc = st_begin_row(st, "entries", entry_id, err)) != ITUI_OK)
		return rc;
	if ((rc = st_editable_entry(st, entry_id, &e, err)) != ITUI_OK)
		return st_end(st, rc, err);
	if (!e.pinned != !pinned) {
		rc = st_run(st, err, "pinning the entry",
		            "UPDATE entries SET pinned = ? WHERE id = ?", "di",
		            pinned ? 1 : 0, entry_id);
		if (rc == ITUI_OK)
			rc = st_audit(st, e.incident_id, "entry", entry_id,
			              "pinned", e.pinned ? "1" : "0",
			              pinned ? "1" : "0", err);
		if (rc == ITUI_OK)
			rc = st_touch_incident(st, e.incident_id, err);
	}
	entry_free(&e);
	return st_end(st, rc, err);
}

enum itui_code
store_entry_delete(struct store *st, int64_t entry_id, struct itui_err *err)
{
	struct entry e;
	enum itui_code rc;

	if ((rc = st_begin_row(st, "entries", entry_id, err)) != ITUI_OK)
		return rc;
	if ((rc = st_editable_entry(st, entry_id, &e, err)) != ITUI_OK)
		return st_end(st, rc, err);
	if (!kind_loggable(e.kind)) {
		rc = err_set(
		    err, ITUI_INPUT,
		    "entry %lld records a %s change and cannot be deleted",
		    (long long)entry_id, kind_name(e.kind));
		entry_free(&e);
		return st_end(st, rc, err);
	}
	rc = st_run(
	    st, err, "deleting the entry",
	    "UPDATE entries SET deleted_at = ?, deleted_by = ? WHERE id = ?",
	    "isi", st_now(st), st->actor, entry_id);
	if (rc == ITUI_OK)
		rc = st_audit(st, e.incident_id, "entry", entry_id, "deleted",
		              e.text, NULL, err);
	if (rc == ITUI_OK)
		rc = st_touch_incident(st, e.incident_id, err);
	entry_free(&e);
	return st_end(st, rc, err);
}

enum itui_code
store_timeline(struct store *st, int64_t incident_id, int64_t before_at,
               int64_t before_id, int limit, struct entry_list *out,
               struct itui_err *err)
{
	struct sd_stmt *s;
	size_t cap = 0, i;
	int64_t lim = limit > 0 ? (int64_t)limit + 1 : ST_NO_LIMIT;
	int rc;

	out->v = NULL;
	out->n = 0;
	out->more = 0;
	if (before_id > 0)
		s = st_query(
		    st, err, "reading the timeline",
		    "SELECT " ENTRY_COLUMNS " FROM entries"
		    " WHERE incident_id = ? AND deleted_at IS NULL"
		    " AND (at, id) < (?, ?) ORDER BY at DESC, id DESC LIMIT ?",
		    "iiii", incident_id, before_at, before_id, lim);
	else
		s = st_query(st, err, "reading the timeline",
		             "SELECT " ENTRY_COLUMNS " FROM entries"
		             " WHERE incident_id = ? AND deleted_at IS NULL"
		             " ORDER BY at DESC, id DESC LIMIT ?",
		             "ii", incident_id, lim);
	if (s == NULL)
		return err->code;
	while ((rc = sd_step(s)) == SD_ROW) {
		if (limit > 0 && out->n == (size_t)limit) {
			out->more = 1;
			break;
		}
		if (out->n == cap) {
			cap = cap ? cap * 2 : 32;
			out->v = xreallocarray(out->v, cap, sizeof *out->v);
		}
		st_read_entry(s, &out->v[out->n++]);
	}
	if (st_finish(st, s, rc, "reading the timeline", err)) {
		entry_list_free(out);
		return err->code;
	}
	/* Fetched newest first; the timeline reads oldest first. */
	for (i = 0; i < out->n / 2; i++) {
		struct entry t = out->v[i];

		out->v[i] = out->v[out->n - 1 - i];
		out->v[out->n - 1 - i] = t;
	}
	return ITUI_OK;
}

enum itui_code
store_timeline_changes(struct store *st, int64_t incident_id, int64_t since,
                       struct entry_list *out, struct itui_err *err)
{
	out->v = NULL;
	out->n = 0;
	out->more = 0;
	return st_fetch(st,
	                st_query(st, err, "reading the timeline",
	                         "SELECT " ENTRY_COLUMNS " FROM entries"
	                         " WHERE incident_id = ? AND mod_seq > ?"
	                         " ORDER BY mod_seq",
	                         "ii", incident_id, since),
	                "reading the timeline", &out->v, &out->n,
	                sizeof *out->v, st_read_entry_row, err);
}

/* ---- action items -------------------------------------------------------- */

static int
mentions_postmortem(const char *text)
{
	static const char w[] = "postmortem", w2[] = "post-mortem";
	size_t i, j;

	for (i = 0; text[i] != '\0'; i++) {
		for (j = 0; w[j] && (text[i + j] | 0x20) == w[j]; j++)
			;
		if (w[j] == '\0')
			return 1;
		for (j = 0; w2[j] && (text[i + j] | 0x20) == w2[j]; j++)
			;
		if (w2[j] == '\0')
			return 1;
	}
	return 0;
}

enum itui_code
store_action_add(struct store *st, int64_t incident_id, const char *text,
                 const char *owner, int64_t due_at, enum action_horizon horizon,
                 int64_t *action_id, struct itui_err *err)
{
	enum itui_code rc;
	char *line;

	if (st_check_text("the action item", text, MAX_TITLE_BYTES * 4, err))
		return err->code;
	if (owner != NULL && st_check_name("the owner's name", owner, err))
		return err->code;
	if ((rc = st_begin_on(st, incident_id, err)) != ITUI_OK)
		return rc;
	if ((rc = st_incident_exists(st, incident_id, err)) != ITUI_OK)
		return st_end(st, rc, err);
	rc = st_run(
	    st, err, "adding the action item",
	    "INSERT INTO action_items(incident_id, text, owner, due_at, horizon,"
	    " created_at, created_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
	    "isstsisi", incident_id, text, owner, due_at, horizon_name(horizon),
	    st_now(st), st->actor, st_now(st));
	if (rc != ITUI_OK)
		return st_end(st, rc, err);
	*action_id = sd_last_id(st->db);
	line = xasprintf("Action item ACT-%lld added: %s%s%s",
	                 (long long)*action_id, text, owner ? " (owner " : "",
	                 owner ? owner : "");
	if (owner != NULL) {
		char *t = xasprintf("%s)", line);

		free(line);
		line = t;
	}
	rc = st_insert_entry(st, incident_id, KIND_SYSTEM, st_now(st), line,
	                     NULL, NULL, err);
	free(line);
	if (rc == ITUI_OK)
		rc = st_audit(st, incident_id, "action", *action_id, "created",
		              NULL, text, err);
	/* An action item for the postmortem is how it gets scheduled. */
	if (rc == ITUI_OK && mentions_postmortem(text))
		rc = st_checklist_event(st, incident_id, "postmortem-scheduled",
		                        st_now(st), err);
	if (rc == ITUI_OK)
		rc = st_touch_incident(st, incident_id, err);
	return st_end(st, rc, err);
}

enum itui_code
store_action_set_state(struct store *st, int64_t action_id,
                       enum action_state state, struct itui_err *err)
{
	struct sd_stmt *s;
	int64_t incident_id = 0;
	char *old = NULL, *line;
	enum itui_code rc;
	int src;

	if ((rc = st_begin_row(st, "action_items", action_id, err)) != ITUI_OK)
		return rc;
	s = st_query(st, err, "reading the action item",
	             "SELECT incident_id, state FROM action_items WHERE id = ?",
	             "i", action_id);
	if (s == NULL)
		return st_end(st, err->code, err);
	src = sd_step(s);
	if (src == SD_ROW) {
		incident_id = sd_int64(s, 0);
		old = st_col_text(s, 1);
	}
	rc = st_finish(st, s, src, "reading the action item", err);
	if (rc == ITUI_OK && old == NULL)
		rc = err_set(err, ITUI_NOTFOUND, "no action item ACT-%lld",
		             (long long)action_id);
	if (rc != ITUI_OK || strcmp(old, action_state_name(state)) == 0) {
		free(old);
		return st_end(st, rc, err);
	}
	rc = st_run(
	    st, err, "changing the action item",
	    "UPDATE action_items SET state = ?, updated_at = ? WHERE id = ?",
	    "sii", action_state_name(state), st_now(st), action_id);
	if (rc == ITUI_OK)
		rc = st_audit(st, incident_id, "action", action_id, "state",
		              old, action_state_name(state), err);
	line = xasprintf("Action item ACT-%lld: %s -> %s", (long long)action_id,
	                 old, action_state_name(state));
	if (rc == ITUI_OK)
		rc = st_insert_entry(st, incident_id, KIND_SYSTEM, st_now(st),
		                     line, NULL, NULL, err);
	if (rc == ITUI_OK)
		rc = st_touch_incident(st, incident_id, err);
	free(line);
	free(old);
	return st_end(st, rc, err);
}

enum itui_code
store_actions(struct store *st, int64_t incident_id, int open_only,
              struct action_list *out, struct itui_err *err)
{
	struct sd_stmt *s;
	size_t cap = 0;
	int rc;

	out->v = NULL;
	out->n = 0;
	s = st_query(
	    st, err, "reading the action items",
	    "SELECT id, incident_id, text, owner, due_at, horizon, state,"
	    " created_at, created_by FROM action_items"
	    " WHERE (?1 = 0 OR incident_id = ?1) AND (?2 = 0 OR state = 'open')"
	    " ORDER BY due_at IS NULL, due_at, id",
	    "id", incident_id, open_only ? 1 : 0);
	if (s == NULL)
		return err->code;
	while ((rc = sd_step(s)) == SD_ROW) {
		struct action_item *a;
		int h, stt;

		if (out->n == cap) {
			cap = cap ? cap * 2 : 8;
			out->v = xreallocarray(out->v, cap, sizeof *out->v);
		}
		a = &out->v[out->n++];
		a->id = sd_int64(s, 0);
		a->incident_id = sd_int64(s, 1);
		a->text = st_col_text(s, 2);
		a->owner = st_col_text(s, 3);
		a->due_at = st_col_time(s, 4);
		h = horizon_parse(sd_text(s, 5));
		a->horizon =
		    h < 0 ? HORIZON_SHORT_TERM : (enum action_horizon)h;
		stt = action_state_parse(sd_text(s, 6));
		a->state = stt < 0 ? ACTION_OPEN : (enum action_state)stt;
		a->created_at = sd_int64(s, 7);
		a->created_by = st_col_text(s, 8);
	}
	if (st_finish(st, s, rc, "reading the action items", err)) {
		action_list_free(out);
		return err->code;
	}
	return ITUI_OK;
}

/* ---- audit and meta ----------------------------------------------------- */

static void
read_audit(struct sd_stmt *s, void *p)
{
	struct audit_row *a = p;

	a->id = sd_int64(s, 0);
	a->at = sd_int64(s, 1);
	a->actor = st_col_text(s, 2);
	a->origin = st_col_text(s, 3);
	a->incident_id = sd_int64(s, 4);
	a->object = st_col_text(s, 5);
	a->object_id = sd_int64(s, 6);
	a->field = st_col_text(s, 7);
	a->old_value = st_col_text(s, 8);
	a->new_value = st_col_text(s, 9);
	a->db_role = st_col_text(s, 10);
}

enum itui_code
store_audit(struct store *st, int64_t incident_id, struct audit_list *out,
            struct itui_err *err)
{
	struct sd_stmt *s;

	out->v = NULL;
	out->n = 0;
	s = st_query(
	    st, err, "reading the audit trail",
	    "SELECT id, at, actor, origin, incident_id, object, object_id,"
	    " field, old_value, new_value, db_role FROM audit"
	    " WHERE ?1 = 0 OR incident_id = ?1 ORDER BY id",
	    "i", incident_id);
	if (st_fetch(st, s, "reading the audit trail", &out->v, &out->n,
	             sizeof *out->v, read_audit, err)) {
		audit_list_free(out);
		return err->code;
	}
	return ITUI_OK;
}
enum itui_code
store_meta_get(struct store *st, const char *key, char **value,
               struct itui_err *err)
{
	struct sd_stmt *s =
	    st_query(st, err, "reading settings",
	             "SELECT value FROM meta WHERE key = ?", "s", key);
	int rc;

	*value = NULL;
	if (s == NULL)
		return err->code;
	rc = sd_step(s);
	if (rc == SD_ROW)
		*value = st_col_text(s, 0);
	return st_finish(st, s, rc, "reading settings", err);
}

enum itui_code
store_meta_set(struct store *st, const char *key, const char *value,
               struct itui_err *err)
{
	enum itui_code rc;

	if ((rc = st_begin(st, err)) != ITUI_OK)
		return rc;
	rc = st_run(st, err, "saving settings",
	            "INSERT INTO meta(key, value) VALUES (?, ?)"
	            " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
	            "ss", key, value);
	return st_end(st, rc, err);
}

/* ---- drafts and people -----------------------------------------------------
 */

enum itui_code
store_draft_save(struct store *st, const char *user, int64_t incident_id,
                 enum entry_kind kind, const char *text, struct itui_err *err)
{
	enum itui_code rc;

	if ((rc = st_begin_on(st, incident_id, err)) != ITUI_OK)
		return rc;
	st_private(st);
	if (text == NULL || *text == '\0')
		rc = st_run(
		    st, err, "discarding the draft",
		    "DELETE FROM drafts WHERE user = ? AND incident_id = ?",
		    "si", user, incident_id);
	else
		rc = st_run(
		    st, err, "saving the draft",
		    "INSERT INTO drafts(user, incident_id, kind, text, updated_at)"
		    " VALUES (?, ?, ?, ?, ?) ON CONFLICT(user, incident_id)"
		    " DO UPDATE SET kind = excluded.kind, text = excluded.text,"
		    " updated_at = excluded.updated_at",
		    "sissi", user, incident_id, kind_name(kind), text,
		    st_now(st));
	return st_end(st, rc, err);
}

enum itui_code
store_draft_load(struct store *st, const char *user, int64_t *incident_id,
                 enum entry_kind *kind, char **text, struct itui_err *err)
{
	struct sd_stmt *s =
	    st_query(st, err, "reading the draft",
	             "SELECT incident_id, kind, text FROM drafts WHERE user = ?"
	             " ORDER BY updated_at DESC LIMIT 1",
	             "s", user);
	int rc;

	*text = NULL;
	if (s == NULL)
		return err->code;
	rc = sd_step(s);
	if (rc == SD_ROW) {
		int k = kind_parse(sd_text(s, 1));

		*incident_id = sd_int64(s, 0);
		*kind = k < 0 ? KIND_NOTE : (enum entry_kind)k;
		*text = st_col_text(s, 2);
	}
	return st_finish(st, s, rc, "reading the draft", err);
}

enum itui_code
store_people(struct store *st, char ***names, size_t *n, struct itui_err *err)
{
	struct sd_stmt *s =
	    st_query(st, err, "reading names",
	             "SELECT person FROM role_assignments UNION"
	             " SELECT owner FROM action_items WHERE owner IS NOT NULL"
	             " ORDER BY 1 LIMIT 500",
	             "");

	*names = NULL;
	*n = 0;
	return st_fetch(st, s, "reading names", names, n, sizeof **names,
	                st_read_text_row, err);
}

/* The alert and source functions are in store-alerts.c. */

enum itui_code
store_snapshot_request(struct store *st, int64_t incident_id,
                       const char *reason, struct itui_err *err)
{
	enum itui_code rc;

	if ((rc = st_begin_on(st, incident_id, err)) != ITUI_OK)
		return rc;
	rc = st_incident_exists(st, incident_id, err);
	if (rc == ITUI_OK)
		rc = st_request_snapshot(st, incident_id, reason, err);
	return st_end(st, rc, err);
}

enum itui_code
store_snapshot_due(struct store *st, int64_t every, int64_t max_age,
                   int64_t **ids, size_t *n, struct itui_err *err)
{
	int64_t now = st_now(st);
	enum itui_code rc;
	struct sd_stmt *s;
	int src;

	*ids = NULL;
	*n = 0;
	if ((rc = st_begin(st, err)) != ITUI_OK)
		return rc;
	s = st_query(
	    st, err, "finding snapshots to take",
	    "SELECT DISTINCT r.incident_id FROM snapshot_requests r"
	    " JOIN incidents i ON i.id = r.incident_id"
	    " WHERE r.done_at IS NULL AND r.requested_at >= ?1"
	    " UNION SELECT i.id FROM incidents i WHERE ?2 > 0"
	    " AND i.status NOT IN ('resolved', 'closed')"
	    " AND coalesce((SELECT max(recorded_at) FROM entries e"
	    "  WHERE e.incident_id = i.id AND e.kind = 'metric'), 0) < ?3",
	    "iii", now - max_age, every, now - every);
	while (s != NULL && (src = sd_step(s)) == SD_ROW) {
		*ids = xreallocarray(*ids, *n + 1, sizeof **ids);
		(*ids)[(*n)++] = sd_int64(s, 0);
	}
	if (s == NULL)
		return st_end(st, err->code, err);
	rc = st_finish(st, s, src, "finding snapshots to take", err);
	if (rc == ITUI_OK)
		rc = st_run(
		    st, err, "taking snapshot requests",
		    "UPDATE snapshot_requests SET done_at = ? WHERE done_at IS NULL",
		    "i", now);
	if (rc != ITUI_OK) {
		free(*ids);
		*ids = NULL;
		*n = 0;
	}
	return st_end(st, rc, err);
}

enum itui_code
store_annotations_pending(struct store *st, int64_t since,
                          struct annotation_job **v, size_t *n,
                          struct itui_err *err)
{
	struct sd_stmt *s = st_query(
	    st, err, "finding annotations to post",
	    "SELECT e.id, e.incident_id, e.at, e.text, i.severity,"
	    " (e.kind = 'status' AND json_extract(e.data, '$.to') = 'resolved'),"
	    " i.declared_at,"
	    " coalesce((SELECT a.grafana_id FROM annotations a JOIN entries d"
	    "  ON d.id = a.entry_id WHERE d.incident_id = e.incident_id AND"
	    "  json_extract(d.data, '$.event') = 'declared'), 0)"
	    " FROM entries e JOIN incidents i ON i.id = e.incident_id"
	    " WHERE e.recorded_at >= ? AND e.deleted_at IS NULL"
	    " AND (e.kind IN ('status', 'severity')"
	    "  OR json_extract(e.data, '$.event') = 'declared')"
	    " AND e.id NOT IN (SELECT entry_id FROM annotations)"
	    " ORDER BY e.id LIMIT 100",
	    "i", since);
	int rc;

	*v = NULL;
	*n = 0;
	if (s == NULL)
		return err->code;
	while ((rc = sd_step(s)) == SD_ROW) {
		struct annotation_job *j;

		*v = xreallocarray(*v, *n + 1, sizeof **v);
		j = &(*v)[(*n)++];
		j->entry_id = sd_int64(s, 0);
		j->incident_id = sd_int64(s, 1);
		j->at = sd_int64(s, 2);
		j->text = st_col_text(s, 3);
		j->severity = st_col_text(s, 4);
		j->closes_region = sd_int(s, 5);
		j->declared_at = sd_int64(s, 6);
		j->region_grafana_id = sd_int64(s, 7);
	}
	return st_finish(st, s, rc, "finding annotations to post", err);
}

void
annotation_jobs_free(struct annotation_job *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].text);
		free(v[i].severity);
	}
	free(v);
}

enum itui_code
store_annotation_done(struct store *st, int64_t entry_id, int64_t incident_id,
                      int64_t grafana_id, const char *error,
                      struct itui_err *err)
{
	enum itui_code rc;

	if ((rc = st_begin_on(st, incident_id, err)) != ITUI_OK)
		return rc;
	rc = st_run(
	    st, err, "recording the annotation",
	    "INSERT INTO annotations(entry_id, incident_id, grafana_id,"
	    " posted_at, error) VALUES (?, ?, ?, ?, ?)"
	    " ON CONFLICT(entry_id) DO UPDATE SET grafana_id = excluded.grafana_id,"
	    " posted_at = excluded.posted_at, error = excluded.error",
	    "iiiis", entry_id, incident_id, grafana_id, st_now(st), error);
	return st_end(st, rc, err);
}

/* ---- handoffs
 * ---------------------------------------------------------------- */

enum itui_code
store_last_look(struct store *st, const char *user, int64_t *at,
                struct itui_err *err)
{
	struct sd_stmt *s =
	    st_query(st, err, "reading your last look",
	             "SELECT at FROM last_looks WHERE user = ?", "s", user);
	int rc;

	*at = TIME_NONE;
	if (s == NULL)
		return err->code;
	rc = sd_step(s);
	if (rc == SD_ROW)
		*at = sd_int64(s, 0);
	return st_finish(st, s, rc, "reading your last look", err);
}

enum itui_code
store_set_last_look(struct store *st, const char *user, int64_t at,
                    struct itui_err *err)
{
	enum itui_code rc;

	if ((rc = st_begin(st, err)) != ITUI_OK)
		return rc;
	st_private(st);
	rc = st_run(st, err, "recording your last look",
	            "INSERT INTO last_looks(user, at) VALUES (?, ?)"
	            " ON CONFLICT(user) DO UPDATE SET at = excluded.at",
	            "si", user, at);
	return st_end(st, rc, err);
}

enum itui_code
store_changes_since(struct store *st, int64_t since, int limit,
                    struct entry_list *out, struct itui_err *err)
{
	struct sd_stmt *s = st_query(
	    st, err, "reading recent changes",
	    "SELECT " ENTRY_COLUMNS " FROM entries WHERE recorded_at >= ?"
	    " AND deleted_at IS NULL AND kind != 'metric'"
	    " ORDER BY recorded_at, id LIMIT ?",
	    "ii", since, (int64_t)limit);
	enum itui_code rc;

	out->v = NULL;
	out->n = 0;
	out->more = 0;
	rc = st_fetch(st, s, "reading recent changes", &out->v, &out->n,
	              sizeof *out->v, st_read_entry_row, err);
	out->more = out->n == (size_t)limit;
	if (rc != ITUI_OK) {
		entry_list_free(out);
		return err->code;
	}
	return ITUI_OK;
}

static void
read_handoff_row(struct sd_stmt *s, void *out)
{
	struct handoff_row *h = out;

	h->id = sd_int64(s, 0);
	h->at = sd_int64(s, 1);
	h->from = st_col_text(s, 2);
	h->note = st_col_text(s, 3);
}

enum itui_code
store_handoffs_to(struct store *st, const char *user, int64_t since,
                  struct handoff_list *out, struct itui_err *err)
{
	out->v = NULL;
	out->n = 0;
	if (st_fetch(st,
	             st_query(st, err, "reading handoffs",
	                      "SELECT id, at, from_user, note FROM handoffs"
	                      " WHERE to_user = ? AND at >= ?"
	                      " ORDER BY at DESC, id DESC LIMIT 20",
	                      "si", user, since),
	             "reading handoffs", &out->v, &out->n, sizeof *out->v,
	             read_handoff_row, err) != ITUI_OK) {
		handoff_list_free(out);
		return err->code;
	}
	return ITUI_OK;
}

void
handoff_list_free(struct handoff_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].from);
		free(l->v[i].note);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* With --move-roles: the outgoing person's roles on `id` go to `to`. */
static enum itui_code
move_roles(struct store *st, int64_t id, const char *to, int64_t at, int *moved,
           struct itui_err *err)
{
	enum itui_code rc = ITUI_OK;
	int r;

	for (r = 0; r < ROLE_COUNT && rc == ITUI_OK; r++) {
		char *holder = NULL;

		rc = current_holder(st, id, (enum role)r, &holder, err);
		if (rc == ITUI_OK && holder != NULL &&
		    strcmp(holder, st->actor) == 0) {
			rc = assign_in_tx(st, id, (enum role)r, to, at, err);
			(*moved)++;
		}
		free(holder);
	}
	return rc;
}

enum itui_code
store_handoff_record(struct store *st, const char *to, const char *note,
                     int move, int *incidents, int *moved, struct itui_err *err)
{
	int64_t now = st_now(st), hid;
	char *text;
	enum itui_code rc;
	struct sd_stmt *s;
	int src = SD_DONE;

	*incidents = 0;
	*moved = 0;
	if (st_check_name("the person taking over", to, err) ||
	    (note != NULL &&
	     st_check_text("the note", note, MAX_TEXT_BYTES, err)))
		return err->code;
	if ((rc = st_begin(st, err)) != ITUI_OK)
		return rc;
	rc = st_run(
	    st, err, "recording the handoff",
	    "INSERT INTO handoffs(at, from_user, to_user, note) VALUES (?, ?, ?, ?)",
	    "isss", now, st->actor, to, note);
	hid = sd_last_id(st->db);
	text = note
	           ? xasprintf("Handoff from %s to %s: %s", st->actor, to, note)
	           : xasprintf("Handoff from %s to %s", st->actor, to);
	s = rc == ITUI_OK
	        ? st_query(st, err, "listing active incidents",
	                   "SELECT id FROM incidents WHERE status NOT IN"
	                   " ('resolved', 'closed') ORDER BY id",
	                   "")
	        : NULL;
	while (s != NULL && rc == ITUI_OK && (src = sd_step(s)) == SD_ROW) {
		int64_t id = sd_int64(s, 0);
		char data[64];

		snprintf(data, sizeof data, "{\"handoff\":%lld}",
		         (long long)hid);
		rc = st_insert_entry(st, id, KIND_HANDOFF, now, text, data,
		                     NULL, err);
		if (rc == ITUI_OK)
			rc = st_audit(st, id, "handoff", hid, "to", st->actor,
			              to, err);
		if (rc == ITUI_OK)
			rc = st_outbox_change(st, id, "handoff", text, err);
		if (rc == ITUI_OK && move)
			rc = move_roles(st, id, to, now, moved, err);
		(*incidents)++;
	}
	/* A step that failed, or a read that broke off, rolls it all back. */
	if (s == NULL && rc == ITUI_OK)
		rc = err->code;
	else if (s != NULL && rc == ITUI_OK)
		rc = st_finish(st, s, src, "listing active incidents", err);
	else if (s != NULL)
		sd_finalize(s);
	free(text);
	return st_end(st, rc, err);
}

enum itui_code
store_action_edit(struct store *st, int64_t action_id, const char *text,
                  const char *owner, int64_t due_at, struct itui_err *err)
{
	struct sd_stmt *s;
	char *old_text = NULL, *old_owner = NULL, ob[TIME_BUF], nb[TIME_BUF];
	int64_t incident = 0, old_due = TIME_NONE;
	enum itui_code rc;
	int src;

	if ((text != NULL && st_check_text("the action item", text,
	                                   MAX_TITLE_BYTES * 4, err)) ||
	    (owner != NULL && st_check_name("the owner's name", owner, err)))
		return err->code;
	if ((rc = st_begin_row(st, "action_items", action_id, err)) != ITUI_OK)
		return rc;
	s = st_query(st, err, "reading the action item",
	             "SELECT incident_id, text, owner, due_at FROM action_items"
	             " WHERE id = ?",
	             "i", action_id);
	if (s == NULL)
		return st_end(st, err->code, err);
	src = sd_step(s);
	if (src == SD_ROW) {
		incident = sd_int64(s, 0);
		old_text = st_col_text(s, 1);
		old_owner = st_col_text(s, 2);
		old_due = st_col_time(s, 3);
	}
	rc = st_finish(st, s, src, "reading the action item", err);
	if (rc == ITUI_OK && incident == 0)
		rc = err_set(err, ITUI_NOTFOUND, "no action item ACT-%lld",
		             (long long)action_id);
	if (rc == ITUI_OK && text != NULL && strcmp(text, old_text) != 0) {
		rc = st_run(
		    st, err, "editing the action item",
		    "UPDATE action_items SET text = ?, updated_at = ? WHERE id = ?",
		    "sii", text, st_now(st), action_id);
		if (rc == ITUI_OK)
			rc = st_audit(st, incident, "action", action_id, "text",
			              old_text, text, err);
	}
	if (rc == ITUI_OK && owner != NULL &&
	    (old_owner == NULL || strcmp(owner, old_owner) != 0)) {
		rc = st_run(
		    st, err, "editing the action item",
		    "UPDATE action_items SET owner = ?, updated_at = ? WHERE id = ?",
		    "sii", owner, st_now(st), action_id);
		if (rc == ITUI_OK)
			rc = st_audit(st, incident, "action", action_id,
			              "owner", old_owner, owner, err);
	}
	if (rc == ITUI_OK && due_at != TIME_NONE && due_at != old_due) {
		rc = st_run(
		    st, err, "editing the action item",
		    "UPDATE action_items SET due_at = ?, updated_at = ? WHERE id = ?",
		    "iii", due_at, st_now(st), action_id);
		if (rc == ITUI_OK)
			rc = st_audit(
			    st, incident, "action", action_id, "due_at",
			    old_due != TIME_NONE ? time_format_iso(old_due, ob)
			                         : NULL,
			    time_format_iso(due_at, nb), err);
	}
	free(old_text);
	free(old_owner);
	return st_end(st, rc, err);
}
