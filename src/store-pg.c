/*
 * store-pg.c - the PostgreSQL driver (store-drv.h), over a dlopen()ed libpq.
 *
 * DESIGN: libpq is loaded on the first PostgreSQL open, never for SQLite
 * (linking it costs every process ~4.5 ms at start-up), as http.c does
 * libcurl.  Statements are the store's SQLite text, translated once at
 * prepare: `?`/`?N` become `$N`, INSERT OR IGNORE becomes ON CONFLICT DO
 * NOTHING, json_object becomes json_build_object and json_array the same
 * compact text as SQLite's (so the hash chains agree across a copy), the
 * reserved word `user` is quoted, and an INSERT into a table with an id
 * returns it (in place of last_insert_rowid).  What cannot be translated
 * stands side by side in the store (sd_sql()).  Integers are sent typed
 * int8, strings untyped so the server infers them from the column.
 *
 * A write takes advisory locks inside its transaction: shared on the
 * whole database and exclusive on its incident, or exclusive on the whole
 * database for global work, so people on different incidents never wait
 * for each other; lock_timeout turns a long wait into the same "busy" as
 * SQLite's timeout.  The commit bumps the scope's row in itui_revisions
 * (the revision is their sum, so it moves with every commit; our own are
 * subtracted, like SQLite's data_version) and sends one NOTIFY naming the
 * incident, both in the same round trip as COMMIT.
 */
#include <dlfcn.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "itui/db.h"
#include "itui/store-drv.h"
#include "itui/store.h"
#include "itui/strbuf.h"
#include "itui/xalloc.h"

#define LOCK_CLASS_ALL      1230263625 /* "ITUI" */
#define LOCK_CLASS_INCIDENT 1230263626
#define LOCK_MIGRATE        1230263627
#define LOCK_LEASE          1230263628
#define CHANNEL             "itui"
#define INT8OID             20
#define PREPARED_MAX        128

static struct {
	void *lib;
	PQconninfoOption *(*conninfoParse)(const char *, char **);
	void (*conninfoFree)(PQconninfoOption *);
	void (*freemem)(void *);
	PGconn *(*connectdb)(const char *);
	ConnStatusType (*status)(const PGconn *);
	char *(*errorMessage)(const PGconn *);
	void (*finish)(PGconn *);
	void (*reset)(PGconn *);
	PGresult *(*exec)(PGconn *, const char *);
	PGresult *(*execParams)(PGconn *, const char *, int, const Oid *,
	                        const char *const *, const int *, const int *,
	                        int);
	PGresult *(*prepare)(PGconn *, const char *, const char *, int,
	                     const Oid *);
	PGresult *(*execPrepared)(PGconn *, const char *, int,
	                          const char *const *, const int *, const int *,
	                          int);
	ExecStatusType (*resultStatus)(const PGresult *);
	char *(*resultErrorField)(const PGresult *, int);
	void (*clear)(PGresult *);
	int (*ntuples)(const PGresult *);
	int (*nfields)(const PGresult *);
	char *(*fname)(const PGresult *, int);
	Oid (*ftype)(const PGresult *, int);
	int (*fnumber)(const PGresult *, const char *);
	char *(*getvalue)(const PGresult *, int, int);
	int (*getisnull)(const PGresult *, int, int);
	char *(*cmdTuples)(PGresult *);
	int (*socket)(const PGconn *);
	int (*consumeInput)(PGconn *);
	PGnotify *(*notifies)(PGconn *);
	void (*setNoticeProcessor)(PGconn *, PQnoticeProcessor, void *);
} pq;

static pthread_once_t pq_once = PTHREAD_ONCE_INIT;
static char pq_error[256];

static void
pq_load(void)
{
	static const char *const names[] = {"libpq.so.5", "libpq.so"};
	size_t i;

	for (i = 0; i < sizeof names / sizeof names[0] && pq.lib == NULL; i++)
		pq.lib = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
	if (pq.lib == NULL) {
		snprintf(pq_error, sizeof pq_error,
		         "libpq is not available (install libpq5): %s",
		         dlerror());
		return;
	}
#define LOAD(field, sym)                                    \
	do {                                                \
		*(void **)(&pq.field) = dlsym(pq.lib, sym); \
		if (pq.field == NULL)                       \
			goto missing;                       \
	} while (0)
	LOAD(conninfoParse, "PQconninfoParse");
	LOAD(conninfoFree, "PQconninfoFree");
	LOAD(freemem, "PQfreemem");
	LOAD(connectdb, "PQconnectdb");
	LOAD(status, "PQstatus");
	LOAD(errorMessage, "PQerrorMessage");
	LOAD(finish, "PQfinish");
	LOAD(reset, "PQreset");
	LOAD(exec, "PQexec");
	LOAD(execParams, "PQexecParams");
	LOAD(prepare, "PQprepare");
	LOAD(execPrepared, "PQexecPrepared");
	LOAD(resultStatus, "PQresultStatus");
	LOAD(resultErrorField, "PQresultErrorField");
	LOAD(clear, "PQclear");
	LOAD(ntuples, "PQntuples");
	LOAD(nfields, "PQnfields");
	LOAD(fname, "PQfname");
	LOAD(ftype, "PQftype");
	LOAD(fnumber, "PQfnumber");
	LOAD(getvalue, "PQgetvalue");
	LOAD(getisnull, "PQgetisnull");
	LOAD(cmdTuples, "PQcmdTuples");
	LOAD(socket, "PQsocket");
	LOAD(consumeInput, "PQconsumeInput");
	LOAD(notifies, "PQnotifies");
	LOAD(setNoticeProcessor, "PQsetNoticeProcessor");
#undef LOAD
	return;
missing:
	snprintf(pq_error, sizeof pq_error, "libpq lacks %s", dlerror());
	dlclose(pq.lib);
	pq.lib = NULL;
}

static enum itui_code
pq_ready(struct itui_err *err)
{
	pthread_once(&pq_once, pq_load);
	if (pq.lib == NULL)
		return err_set(err, ITUI_IO, "%s", pq_error);
	return ITUI_OK;
}

/* Server notices (e.g. "relation already exists, skipping") stay quiet. */
static void
quiet(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

/* ---- translating the store's SQL ------------------------------------------
 */

/* Tables whose INSERT returns the new row's id (last_insert_rowid's job). */
static const char *
id_column(const char *table, size_t len)
{
	static const char *const with_id[] = {
	    "incidents", "entries",   "role_assignments",  "action_items",
	    "alerts",    "audit",     "snapshot_requests", "handoffs",
	    "outbox",    "signatures"};
	size_t i;

	if (len == 15 && strncmp(table, "entry_revisions", len) == 0)
		return "rowid";
	for (i = 0; i < sizeof with_id / sizeof with_id[0]; i++)
		if (strlen(with_id[i]) == len &&
		    strncmp(table, with_id[i], len) == 0)
			return "id";
	return NULL;
}

static int
is_word(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

/* After a '(': whether the call has a comma at its own level. */
static int
two_args(const char *p)
{
	int depth = 0;
	char q = 0;

	for (; *p != '\0'; p++) {
		if (q != 0) {
			if (*p == q)
				q = 0;
		} else if (*p == '\'' || *p == '"') {
			q = *p;
		} else if (*p == '(') {
			depth++;
		} else if (*p == ')') {
			if (depth-- == 0)
				return 0;
		} else if (*p == ',' && depth == 0) {
			return 1;
		}
	}
	return 0;
}

static const char *
skip_space(const char *p)
{
	while (*p == ' ' || *p == '\n' || *p == '\t')
		p++;
	return p;
}

/* The store's SQLite text in PostgreSQL's words; *nparams the highest $N. */
static char *
translate(const char *sql, int *nparams, int *returning)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = sql, *ret_col = NULL;
	int maxn = 0, ignore = 0, has_returning = 0, depth = 0, nclose = 0;
	int closes[8];

	while (*p != '\0') {
		if (*p == '\'' || *p == '"') {
			char q = *p;

			strbuf_addch(&sb, *p++);
			while (*p != '\0') {
				strbuf_addch(&sb, *p);
				if (*p++ == q) {
					if (*p != q)
						break;
					strbuf_addch(&sb, *p++);
				}
			}
			continue;
		}
		if (*p == '?') {
			int n = 0;

			p++;
			if (*p >= '0' && *p <= '9') {
				while (*p >= '0' && *p <= '9')
					n = n * 10 + (*p++ - '0');
			} else {
				n = maxn + 1;
			}
			if (n > maxn)
				maxn = n;
			strbuf_addf(&sb, "$%d", n);
			continue;
		}
		if (is_word(*p) && (p == sql || !is_word(p[-1]))) {
			const char *w = p;
			size_t len;

			while (is_word(*p))
				p++;
			len = (size_t)(p - w);
#define IS(lit) (len == sizeof lit - 1 && strncmp(w, lit, len) == 0)
			if (IS("user")) {
				strbuf_addstr(&sb, "\"user\"");
			} else if (IS("json_object") && *p == '(') {
				strbuf_addstr(&sb, "json_build_object");
			} else if (IS("json_array") && *p == '(') {
				/* SQLite's compact text, so hashes agree. */
				strbuf_addstr(&sb,
				              "itui_compact(json_build_array");
				if (nclose <
				    (int)(sizeof closes / sizeof *closes))
					closes[nclose++] = depth + 1;
			} else if (IS("temp") && *p == '.') {
				strbuf_addstr(&sb, "pg_temp");
			} else if (IS("ifnull") && *p == '(') {
				strbuf_addstr(&sb, "coalesce");
			} else if ((IS("max") || IS("min")) && *p == '(' &&
			           two_args(p + 1)) {
				strbuf_addstr(&sb, w[1] == 'a' ? "greatest"
				                               : "least");
			} else if (IS("RETURNING")) {
				has_returning = 1;
				strbuf_add(&sb, w, len);
			} else if (IS("INSERT")) {
				const char *q = skip_space(p), *t;

				strbuf_addstr(&sb, "INSERT");
				if (strncmp(q, "OR IGNORE", 9) == 0) {
					ignore = 1;
					p = q + 9;
					q = skip_space(p);
				}
				if (strncmp(q, "INTO", 4) == 0) {
					t = skip_space(q + 4);
					q = t;
					while (is_word(*q) || *q == '.')
						q++;
					ret_col = id_column(t, (size_t)(q - t));
				}
			} else {
				strbuf_add(&sb, w, len);
			}
#undef IS
			continue;
		}
		if (*p == '(') {
			depth++;
		} else if (*p == ')') {
			if (nclose > 0 && closes[nclose - 1] == depth) {
				strbuf_addch(&sb, ')');
				nclose--;
			}
			depth--;
		}
		strbuf_addch(&sb, *p++);
	}
	while (sb.len > 0 &&
	       (sb.buf[sb.len - 1] == ' ' || sb.buf[sb.len - 1] == ';'))
		sb.buf[--sb.len] = '\0';
	if (ignore)
		strbuf_addstr(&sb, " ON CONFLICT DO NOTHING");
	*returning = 0;
	if (ret_col != NULL && !has_returning) {
		strbuf_addf(&sb, " RETURNING %s", ret_col);
		*returning = 1;
	}
	*nparams = maxn;
	return strbuf_detach(&sb);
}

/* ---- connections and statements -------------------------------------------
 */

struct pg_db {
	struct sd_db base;
	PGconn *c;
	char sqlstate[6];
	char *msg;
	int64_t last_id;
	int changes;
	int64_t own;        /* revisions our own commits added */
	int64_t seen;       /* the last revision read */
	uint32_t leases[4]; /* jobs whose advisory lock we hold */
	size_t nleases;
	int in_tx; /* between begin and commit/rollback */
	/*
	 * Statements this session has run, by text and parameter types; the
	 * second run of one prepares it on the server (itui_N), so a
	 * dashboard's reload is not parsed and planned again on every commit
	 * while a one-shot command pays no extra round trip.
	 */
	struct {
		char *key;
		int uses;
		int ready; /* prepared as itui_<index> in this session */
	} prepared[PREPARED_MAX];
	int nprepared;
};

struct pg_stmt {
	struct sd_stmt base;
	char *sql;
	int nparams;
	int returning; /* we added RETURNING id: record it, yield no row */
	char **vals;
	Oid *types;
	PGresult *res;
	int row, nrows;
};

#define PDB(d) ((struct pg_db *)(void *)(d))
#define PST(s) ((struct pg_stmt *)(void *)(s))

static const struct sd_ops pg_ops;

/* Remembers a failed result's SQLSTATE and message; the SQLite-style code. */
static int
failed(struct pg_db *d, const PGresult *res)
{
	const char *state =
	    res != NULL ? pq.resultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	/* The primary message: one line, no "ERROR:" and no cursor art. */
	const char *msg =
	    res != NULL ? pq.resultErrorField(res, PG_DIAG_MESSAGE_PRIMARY)
	                : NULL;
	size_t n;

	if (msg == NULL || *msg == '\0')
		msg = pq.errorMessage(d->c);
	free(d->msg);
	d->msg = xstrdup(msg != NULL ? msg : "unknown error");
	n = strlen(d->msg);
	while (n > 0 && (d->msg[n - 1] == '\n' || d->msg[n - 1] == ' '))
		d->msg[--n] = '\0';
	snprintf(d->sqlstate, sizeof d->sqlstate, "%s",
	         state != NULL ? state : "08006");
	if (strcmp(d->sqlstate, "55P03") == 0 ||
	    strcmp(d->sqlstate, "40P01") == 0 ||
	    strcmp(d->sqlstate, "40001") == 0)
		return SD_BUSY;
	if (strncmp(d->sqlstate, "23", 2) == 0)
		return 19; /* SQLITE_CONSTRAINT */
	if (strcmp(d->sqlstate, "25006") == 0)
		return 8; /* SQLITE_READONLY */
	return SD_ERR;
}

static int session_setup(struct pg_db *d);

static void
forget_prepared(struct pg_db *d)
{
	int i;

	for (i = 0; i < d->nprepared; i++)
		free(d->prepared[i].key);
	d->nprepared = 0;
}

/*
 * A connection that broke outside a transaction (a restarted or promoted
 * server) is made again once before the statement fails: nothing was
 * half done.  Session locks (leases) are gone with it.  1 when it is back.
 */
static int
reconnected(struct pg_db *d)
{
	if (d->in_tx || pq.status(d->c) == CONNECTION_OK)
		return 0;
	pq.reset(d->c);
	/* A new session: nothing of ours is prepared on it. */
	forget_prepared(d);
	if (pq.status(d->c) != CONNECTION_OK || session_setup(d) != SD_OK)
		return 0;
	d->nleases = 0;
	return 1;
}

/* Runs SQL with no parameters; SD_OK or an error code. */
static int
run(struct pg_db *d, const char *sql)
{
	PGresult *res = pq.exec(d->c, sql);

	if (pq.resultStatus(res) == PGRES_FATAL_ERROR && reconnected(d)) {
		pq.clear(res);
		res = pq.exec(d->c, sql);
	}
	ExecStatusType s = pq.resultStatus(res);
	int rc = SD_OK;

	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK)
		rc = failed(d, res);
	pq.clear(res);
	return rc;
}

/* The one integer a query returns (0 when it returns none). */
static int
run_int(struct pg_db *d, const char *sql, int64_t *out)
{
	PGresult *res = pq.exec(d->c, sql);
	int rc = SD_OK;

	if (pq.resultStatus(res) == PGRES_FATAL_ERROR && reconnected(d)) {
		pq.clear(res);
		res = pq.exec(d->c, sql);
	}
	*out = 0;
	if (pq.resultStatus(res) != PGRES_TUPLES_OK)
		rc = failed(d, res);
	else if (pq.ntuples(res) > 0 && !pq.getisnull(res, 0, 0))
		*out = strtoll(pq.getvalue(res, 0, 0), NULL, 10);
	pq.clear(res);
	return rc;
}

static void
p_close(struct sd_db *db)
{
	struct pg_db *d = PDB(db);

	pq.finish(d->c);
	forget_prepared(d);
	free(d->msg);
	free(d);
}

static int
p_exec(struct sd_db *db, const char *sql)
{
	int n, ret, rc;
	char *t = translate(sql, &n, &ret);

	rc = run(PDB(db), t);
	free(t);
	return rc;
}

static int
p_prepare(struct sd_db *db, const char *sql, int keep, struct sd_stmt **out)
{
	struct pg_stmt *s = xcalloc(1, sizeof *s);

	(void)keep; /* a round trip either way; the text is kept */
	s->base.ops = &pg_ops;
	s->base.db = db;
	s->sql = translate(sql, &s->nparams, &s->returning);
	if (s->nparams > 0) {
		s->vals = xcalloc((size_t)s->nparams, sizeof *s->vals);
		s->types = xcalloc((size_t)s->nparams, sizeof *s->types);
	}
	s->row = -1;
	*out = &s->base;
	return SD_OK;
}

static int
set_param(struct pg_stmt *s, int col, char *v, Oid type)
{
	if (col < 1 || col > s->nparams) {
		free(v);
		return SD_OK; /* SQLite ignores nothing here; neither do we */
	}
	free(s->vals[col - 1]);
	s->vals[col - 1] = v;
	s->types[col - 1] = type;
	return SD_OK;
}

static int
p_bind_int64(struct sd_stmt *s, int col, int64_t v)
{
	return set_param(PST(s), col, xasprintf("%" PRId64, v), INT8OID);
}

static int
p_bind_text(struct sd_stmt *s, int col, const char *v)
{
	return set_param(PST(s), col, xstrdup(v), 0);
}

static int
p_bind_null(struct sd_stmt *s, int col)
{
	return set_param(PST(s), col, NULL, 0);
}

/* The statement's entry in the session's list (added on its first run),
 * or -1 when the list is full. */
static int
prepared_slot(struct pg_db *d, const struct pg_stmt *s)
{
	struct strbuf key = STRBUF_INIT;
	int i;

	strbuf_addstr(&key, s->sql);
	for (i = 0; i < s->nparams; i++)
		strbuf_addf(&key, "%c%u", i ? ',' : '\x1f',
		            (unsigned)s->types[i]);
	for (i = 0; i < d->nprepared; i++)
		if (strcmp(d->prepared[i].key, strbuf_str(&key)) == 0) {
			strbuf_free(&key);
			return i;
		}
	if (d->nprepared == PREPARED_MAX) {
		strbuf_free(&key);
		return -1;
	}
	d->prepared[d->nprepared].key = strbuf_detach(&key);
	d->prepared[d->nprepared].uses = 0;
	d->prepared[d->nprepared].ready = 0;
	return d->nprepared++;
}

static PGresult *
execute(struct pg_db *d, const struct pg_stmt *s)
{
	const char *const *vals = (const char *const *)s->vals;
	int k = prepared_slot(d, s);
	char name[32];

	if (k >= 0 && !d->prepared[k].ready && ++d->prepared[k].uses >= 2) {
		PGresult *r;

		snprintf(name, sizeof name, "itui_%d", k);
		r = pq.prepare(d->c, name, s->sql, s->nparams, s->types);
		/* Not prepared (an aborted transaction): run it unprepared. */
		d->prepared[k].ready = pq.resultStatus(r) == PGRES_COMMAND_OK;
		pq.clear(r);
	}
	if (k < 0 || !d->prepared[k].ready)
		return pq.execParams(d->c, s->sql, s->nparams, s->types, vals,
		                     NULL, NULL, 0);
	snprintf(name, sizeof name, "itui_%d", k);
	return pq.execPrepared(d->c, name, s->nparams, vals, NULL, NULL, 0);
}

static int
p_step(struct sd_stmt *st)
{
	struct pg_stmt *s = PST(st);
	struct pg_db *d = PDB(st->db);
	ExecStatusType status;

	if (s->res != NULL) {
		if (s->row + 1 >= s->nrows)
			return SD_DONE;
		s->row++;
		return SD_ROW;
	}
	s->res = execute(d, s);
	status = pq.resultStatus(s->res);
	if (status == PGRES_FATAL_ERROR && reconnected(d)) {
		pq.clear(s->res);
		s->res =
		    pq.execParams(d->c, s->sql, s->nparams, s->types,
		                  (const char *const *)s->vals, NULL, NULL, 0);
		status = pq.resultStatus(s->res);
	}
	if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
		int rc = failed(d, s->res);

		pq.clear(s->res);
		s->res = NULL;
		return rc;
	}
	d->changes = atoi(pq.cmdTuples(s->res));
	s->nrows = status == PGRES_TUPLES_OK ? pq.ntuples(s->res) : 0;
	if (s->returning) {
		if (s->nrows > 0)
			d->last_id = strtoll(
			    pq.getvalue(s->res, s->nrows - 1, 0), NULL, 10);
		s->nrows = 0;
	}
	if (s->nrows == 0)
		return SD_DONE;
	s->row = 0;
	return SD_ROW;
}

static void
p_reset(struct sd_stmt *st)
{
	struct pg_stmt *s = PST(st);
	int i;

	pq.clear(s->res);
	s->res = NULL;
	s->row = -1;
	s->nrows = 0;
	for (i = 0; i < s->nparams; i++) {
		free(s->vals[i]);
		s->vals[i] = NULL;
		s->types[i] = 0;
	}
}

static void
p_finalize(struct sd_stmt *st)
{
	struct pg_stmt *s = PST(st);

	p_reset(st);
	free(s->vals);
	free(s->types);
	free(s->sql);
	free(s);
}

static int
p_column_count(struct sd_stmt *st)
{
	struct pg_stmt *s = PST(st);

	return s->res != NULL ? pq.nfields(s->res) : 0;
}

static const char *
p_column_name(struct sd_stmt *st, int col)
{
	struct pg_stmt *s = PST(st);

	return s->res != NULL ? pq.fname(s->res, col) : NULL;
}

static int
have(const struct pg_stmt *s, int col)
{
	return s->res != NULL && s->row >= 0 && s->row < s->nrows && col >= 0 &&
	       col < pq.nfields(s->res) && !pq.getisnull(s->res, s->row, col);
}

static int
p_column_type(struct sd_stmt *st, int col)
{
	struct pg_stmt *s = PST(st);

	if (!have(s, col))
		return SD_NULL;
	switch (pq.ftype(s->res, col)) {
	case 16: /* bool */
	case 20: /* int8 */
	case 21: /* int2 */
	case 23: /* int4 */
	case 26: /* oid */
		return SD_INTEGER;
	case 700:
	case 701:
	case 1700:
		return SD_FLOAT;
	default:
		return SD_TEXT;
	}
}

static int64_t
p_column_int64(struct sd_stmt *st, int col)
{
	struct pg_stmt *s = PST(st);
	const char *v;

	if (!have(s, col))
		return 0;
	v = pq.getvalue(s->res, s->row, col);
	if (pq.ftype(s->res, col) == 16)
		return v[0] == 't';
	return strtoll(v, NULL, 10);
}

static const char *
p_column_text(struct sd_stmt *st, int col)
{
	struct pg_stmt *s = PST(st);

	if (!have(s, col))
		return NULL;
	if (pq.ftype(s->res, col) == 16)
		return pq.getvalue(s->res, s->row, col)[0] == 't' ? "1" : "0";
	return pq.getvalue(s->res, s->row, col);
}

static int64_t
p_last_id(struct sd_db *db)
{
	return PDB(db)->last_id;
}

static int
p_changes(struct sd_db *db)
{
	return PDB(db)->changes;
}

static int
p_errcode(struct sd_db *db)
{
	struct pg_db *d = PDB(db);

	return d->sqlstate[0] != '\0' ? SD_ERR : SD_OK;
}

static enum itui_code
p_error(struct sd_db *db, int rc, const char *doing, struct itui_err *err)
{
	struct pg_db *d = PDB(db);
	const char *msg = d->msg != NULL ? d->msg : "unknown error";

	if (rc == SD_BUSY)
		return sd_busy_error(db, doing, err);
	if (rc == 8)
		return err_set(err, ITUI_READONLY,
		               "%s: the database is read-only for you", doing);
	if (rc == 19)
		return err_set(err, ITUI_INPUT, "%s: %s", doing, msg);
	if (strncmp(d->sqlstate, "08", 2) == 0 ||
	    pq.status(d->c) != CONNECTION_OK)
		return err_set(err, ITUI_IO,
		               "%s: the connection to the database server was "
		               "lost (%s)",
		               doing, msg);
	if (strcmp(d->sqlstate, "42501") == 0)
		return err_set(err, ITUI_READONLY, "%s: %s", doing, msg);
	return err_set(err, ITUI_IO, "%s: %s", doing, msg);
}

static int
p_begin(struct sd_db *db, int64_t scope)
{
	struct pg_db *d = PDB(db);
	char locks[160], sql[320];
	int64_t now = 0;
	int rc;

	if (scope == SD_SCOPE_ALL)
		snprintf(locks, sizeof locks, "pg_advisory_xact_lock(%d, 0)",
		         LOCK_CLASS_ALL);
	else if (scope == SD_SCOPE_NEW)
		snprintf(locks, sizeof locks,
		         "pg_advisory_xact_lock_shared(%d, 0)", LOCK_CLASS_ALL);
	else
		snprintf(locks, sizeof locks,
		         "pg_advisory_xact_lock_shared(%d, 0),"
		         " pg_advisory_xact_lock(%d, %d)",
		         LOCK_CLASS_ALL, LOCK_CLASS_INCIDENT,
		         (int)(scope & 0x7fffffff));
	/* The server's clock once the locks are ours: recorded times. */
	snprintf(sql, sizeof sql,
	         "BEGIN; SELECT extract(epoch FROM clock_timestamp())::bigint"
	         " FROM (SELECT %s) AS l",
	         locks);
	rc = run_int(d, sql, &now);
	if (rc != SD_OK) {
		/* A lock that timed out leaves the transaction aborted. */
		run(d, "ROLLBACK");
		return rc;
	}
	d->in_tx = 1;
	d->base.server_now = now;
	return rc;
}

static int
p_commit(struct sd_db *db, int64_t incident)
{
	struct pg_db *d = PDB(db);
	char sql[384];
	int rc;

	snprintf(sql, sizeof sql,
	         "INSERT INTO itui_revisions(scope, rev) VALUES (%" PRId64
	         ", 1) ON CONFLICT(scope) DO UPDATE SET rev ="
	         " itui_revisions.rev + 1;"
	         " SELECT pg_notify('" CHANNEL "', '%" PRId64 "'); COMMIT",
	         incident, incident);
	rc = run(d, sql);
	if (rc == SD_OK) {
		d->own++;
		d->in_tx = 0;
		d->base.server_now = 0;
	}
	return rc;
}

static void
p_rollback(struct sd_db *db)
{
	run(PDB(db), "ROLLBACK");
	PDB(db)->in_tx = 0;
	PDB(db)->base.server_now = 0;
}

static int
p_revision(struct sd_db *db, int64_t *out)
{
	struct pg_db *d = PDB(db);
	int64_t sum;
	int rc = run_int(d, "SELECT coalesce(sum(rev), 0) FROM itui_revisions",
	                 &sum);

	if (rc == SD_OK)
		*out = sum - d->own;
	return rc;
}

/* A session advisory lock per job: released when the connection goes. */
static int
p_lease(struct sd_db *db, const char *job)
{
	struct pg_db *d = PDB(db);
	char sql[128];
	uint32_t h = 5381;
	int64_t got = 0;
	size_t i;

	for (h = 5381; *job != '\0'; job++)
		h = h * 33 + (unsigned char)*job;
	h &= 0x7fffffff;
	for (i = 0; i < d->nleases; i++)
		if (d->leases[i] == h)
			return 1;
	if (d->nleases == sizeof d->leases / sizeof d->leases[0])
		return 0;
	snprintf(sql, sizeof sql, "SELECT pg_try_advisory_lock(%d, %d)::int",
	         LOCK_LEASE, (int)h);
	if (run_int(d, sql, &got) != SD_OK || !got)
		return 0;
	d->leases[d->nleases++] = h;
	return 1;
}

/*
 * The group roles a database's people are put in: itui_writer may change
 * the record, itui_reader only read it.  Made by the owner (db init).
 */
static const char roles_sql[] =
    "DO $$ BEGIN"
    " IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'itui_reader')"
    " THEN CREATE ROLE itui_reader NOLOGIN; END IF;"
    " IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'itui_writer')"
    " THEN CREATE ROLE itui_writer NOLOGIN; END IF; END $$;"
    "GRANT USAGE ON SCHEMA public TO itui_reader, itui_writer;"
    "GRANT SELECT ON ALL TABLES IN SCHEMA public TO itui_reader;"
    "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public"
    " TO itui_writer;"
    "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO itui_writer;";

int
sd_pg_roles(struct sd_db *db)
{
	return run(PDB(db), roles_sql);
}

/* lock_timeout is the busy timeout (kept for a reconnect's session). */
static void
p_set_wait(struct sd_db *db, int ms)
{
	struct pg_db *d = PDB(db);
	char sql[64];

	d->base.wait_ms = ms;
	snprintf(sql, sizeof sql, "SET lock_timeout = %d", ms > 0 ? ms : 1);
	(void)run(d, sql);
}

static const struct sd_ops pg_ops = {
    .name = "postgresql",
    .close = p_close,
    .exec = p_exec,
    .prepare = p_prepare,
    .bind_int64 = p_bind_int64,
    .bind_text = p_bind_text,
    .bind_null = p_bind_null,
    .step = p_step,
    .reset = p_reset,
    .finalize = p_finalize,
    .column_count = p_column_count,
    .column_name = p_column_name,
    .column_type = p_column_type,
    .column_int64 = p_column_int64,
    .column_text = p_column_text,
    .last_id = p_last_id,
    .changes = p_changes,
    .errcode = p_errcode,
    .error = p_error,
    .begin = p_begin,
    .commit = p_commit,
    .rollback = p_rollback,
    .revision = p_revision,
    .lease = p_lease,
    .set_wait = p_set_wait,
};

/* ---- the schema ------------------------------------------------------------
 */

/*
 * The schema as SQLite's migrations leave it at PG_BASELINE, in
 * PostgreSQL's types; later migrations follow it, one per SQLite one.
 * GENERATED BY DEFAULT keeps ids given by `db copy`.  The functions give
 * the store's queries SQLite's json, json_extract, json_valid and instr.
 */
#define PG_BASELINE 9
static const char pg_schema[] =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);"
    "CREATE TABLE incidents( id BIGINT GENERATED BY DEFAULT AS IDENTITY"
    " PRIMARY KEY, title TEXT NOT NULL CHECK(length(trim(title)) > 0),"
    " severity TEXT NOT NULL, status TEXT NOT NULL CHECK(status IN"
    " ('investigating','identified',"
    " 'mitigating','monitoring','resolved','closed')), service TEXT, impact"
    " TEXT, summary TEXT, root_cause TEXT, declared_at BIGINT NOT NULL,"
    " detected_at BIGINT, acknowledged_at BIGINT, mitigated_at BIGINT,"
    " resolved_at BIGINT, closed_at BIGINT, declared_by TEXT NOT NULL,"
    " recorded_at BIGINT NOT NULL, updated_at BIGINT NOT NULL, drill BIGINT"
    " NOT NULL DEFAULT 0, alert_key TEXT, alert_id BIGINT);"
    "CREATE INDEX incidents_by_status ON incidents(status, declared_at);"
    "CREATE TABLE entries( id BIGINT GENERATED BY DEFAULT AS IDENTITY"
    " PRIMARY KEY, incident_id BIGINT NOT NULL REFERENCES incidents(id), at"
    " BIGINT NOT NULL, recorded_at BIGINT NOT NULL, author TEXT NOT NULL,"
    " kind TEXT NOT NULL, text TEXT NOT NULL, data TEXT, pinned BIGINT NOT"
    " NULL DEFAULT 0, revision BIGINT NOT NULL DEFAULT 1, deleted_at"
    " BIGINT, deleted_by TEXT, chain_seq BIGINT, chain_hash TEXT);"
    "CREATE INDEX entries_by_time ON entries(incident_id, at, id);"
    "CREATE INDEX entries_by_kind ON entries(incident_id, kind, at);"
    "CREATE TABLE entry_revisions( rowid BIGINT GENERATED BY DEFAULT AS"
    " IDENTITY UNIQUE, entry_id BIGINT NOT NULL REFERENCES entries(id),"
    " revision BIGINT NOT NULL, at BIGINT NOT NULL, kind TEXT NOT NULL,"
    " text TEXT NOT NULL, replaced_at BIGINT NOT NULL, replaced_by TEXT NOT"
    " NULL, chain_seq BIGINT, chain_hash TEXT, PRIMARY KEY(entry_id,"
    " revision));"
    "CREATE TABLE role_assignments( id BIGINT GENERATED BY DEFAULT AS"
    " IDENTITY PRIMARY KEY, incident_id BIGINT NOT NULL REFERENCES"
    " incidents(id), role TEXT NOT NULL, person TEXT NOT NULL, assigned_at"
    " BIGINT NOT NULL, assigned_by TEXT NOT NULL, ended_at BIGINT, ended_by"
    " TEXT);"
    "CREATE UNIQUE INDEX roles_current ON role_assignments(incident_id,"
    " role) WHERE ended_at IS NULL;"
    "CREATE TABLE action_items( id BIGINT GENERATED BY DEFAULT AS IDENTITY"
    " PRIMARY KEY, incident_id BIGINT NOT NULL REFERENCES incidents(id),"
    " text TEXT NOT NULL CHECK(length(trim(text)) > 0), owner TEXT, due_at"
    " BIGINT, horizon TEXT NOT NULL CHECK(horizon IN"
    " ('immediate','short-term','long-term')), state TEXT NOT NULL DEFAULT"
    " 'open' CHECK(state IN ('open','done','dropped')), created_at BIGINT"
    " NOT NULL, created_by TEXT NOT NULL, updated_at BIGINT NOT NULL);"
    "CREATE INDEX actions_by_incident ON action_items(incident_id, state);"
    "CREATE TABLE audit( id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY"
    " KEY, at BIGINT NOT NULL, actor TEXT NOT NULL, origin TEXT NOT NULL,"
    " incident_id BIGINT, object TEXT NOT NULL, object_id BIGINT, field"
    " TEXT NOT NULL, old_value TEXT, new_value TEXT, chain_seq BIGINT,"
    " chain_hash TEXT);"
    "CREATE INDEX audit_by_incident ON audit(incident_id, id);"
    "CREATE TABLE drafts( \"user\" TEXT NOT NULL, incident_id BIGINT NOT NULL"
    " REFERENCES incidents(id), kind TEXT NOT NULL, text TEXT NOT NULL,"
    " updated_at BIGINT NOT NULL, PRIMARY KEY(\"user\", incident_id));"
    "CREATE TABLE sources(name TEXT PRIMARY KEY, ok BIGINT NOT NULL, detail"
    " TEXT, checked_at BIGINT NOT NULL, down_since BIGINT, denied BIGINT"
    " NOT NULL DEFAULT 0);"
    "CREATE TABLE snapshot_requests(id BIGINT GENERATED BY DEFAULT AS"
    " IDENTITY PRIMARY KEY, incident_id BIGINT NOT NULL REFERENCES"
    " incidents(id), reason TEXT NOT NULL, requested_at BIGINT NOT NULL,"
    " done_at BIGINT);"
    "CREATE INDEX snapshot_requests_pending ON snapshot_requests(done_at);"
    "CREATE TABLE annotations(entry_id BIGINT PRIMARY KEY REFERENCES"
    " entries(id), incident_id BIGINT NOT NULL, grafana_id BIGINT,"
    " posted_at BIGINT, error TEXT);"
    "CREATE TABLE last_looks(\"user\" TEXT PRIMARY KEY, at BIGINT NOT NULL);"
    "CREATE TABLE handoffs(id BIGINT GENERATED BY DEFAULT AS IDENTITY"
    " PRIMARY KEY, at BIGINT NOT NULL, from_user TEXT NOT NULL, to_user"
    " TEXT NOT NULL, note TEXT);"
    "CREATE INDEX entries_by_recorded ON entries(recorded_at);"
    "CREATE TABLE outbox(id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY"
    " KEY, incident_id BIGINT REFERENCES incidents(id), destination TEXT"
    " NOT NULL, dest_type TEXT NOT NULL, event TEXT NOT NULL, cause TEXT"
    " NOT NULL, action TEXT, subject TEXT NOT NULL, body TEXT NOT NULL,"
    " public BIGINT NOT NULL DEFAULT 0, created_at BIGINT NOT NULL, state"
    " TEXT NOT NULL DEFAULT 'pending' CHECK(state IN"
    " ('pending','sending','sent','failed','cancelled')), attempts BIGINT"
    " NOT NULL DEFAULT 0, next_at BIGINT NOT NULL, sent_at BIGINT,"
    " last_error TEXT, idem_key TEXT NOT NULL UNIQUE DEFAULT"
    " (substr(md5(random()::text || clock_timestamp()::text), 1, 24)),"
    " UNIQUE(destination, cause));"
    "CREATE INDEX outbox_queue ON outbox(destination, state, id);"
    "CREATE INDEX outbox_by_incident ON outbox(incident_id, id);"
    "CREATE TABLE outbox_due(incident_id BIGINT NOT NULL, cause TEXT NOT"
    " NULL, at BIGINT NOT NULL, PRIMARY KEY(incident_id, cause));"
    "CREATE TABLE checklist_sources( incident_id BIGINT NOT NULL REFERENCES"
    " incidents(id), kind TEXT NOT NULL CHECK(kind IN"
    " ('playbook','runbook')), name TEXT NOT NULL, attached_at BIGINT NOT"
    " NULL, attached_by TEXT NOT NULL, PRIMARY KEY(incident_id, kind,"
    " name));"
    "CREATE TABLE checklist_phases( incident_id BIGINT NOT NULL REFERENCES"
    " incidents(id), pos BIGINT NOT NULL, name TEXT NOT NULL, timebox"
    " BIGINT NOT NULL, relative BIGINT NOT NULL, PRIMARY KEY(incident_id,"
    " pos), UNIQUE(incident_id, name));"
    "CREATE TABLE checklist_steps( incident_id BIGINT NOT NULL REFERENCES"
    " incidents(id), num BIGINT NOT NULL, phase_pos BIGINT NOT NULL, pos"
    " BIGINT NOT NULL, text TEXT NOT NULL, role TEXT, event TEXT,"
    " no_progress BIGINT, progress TEXT, progress_at BIGINT, source TEXT"
    " NOT NULL, added_at BIGINT NOT NULL, state TEXT NOT NULL DEFAULT"
    " 'open' CHECK(state IN ('open','done','skipped')), by_user TEXT, at"
    " BIGINT, reason TEXT, by_event BIGINT NOT NULL DEFAULT 0, PRIMARY"
    " KEY(incident_id, num));"
    "CREATE INDEX checklist_open_events ON checklist_steps(incident_id,"
    " event) WHERE state = 'open';"
    "CREATE TABLE alerts(id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY"
    " KEY, key TEXT NOT NULL UNIQUE, fingerprint TEXT, source TEXT NOT"
    " NULL, name TEXT, labels TEXT NOT NULL, annotations TEXT, since"
    " BIGINT, last_seen BIGINT NOT NULL, state TEXT NOT NULL DEFAULT"
    " 'firing', incident_id BIGINT REFERENCES incidents(id), summary TEXT,"
    " severity TEXT, resolved_at BIGINT, am_state TEXT, silenced_by TEXT,"
    " inhibited_by TEXT, group_key TEXT, external_url TEXT, generator_url"
    " TEXT, ends_at BIGINT, silence_id TEXT);"
    "CREATE INDEX alerts_by_fingerprint ON alerts(fingerprint);"
    "CREATE INDEX alerts_by_state ON alerts(state, since);"
    "CREATE TABLE chain_heads(incident_id BIGINT PRIMARY KEY, seq BIGINT"
    " NOT NULL, hash TEXT NOT NULL);"
    "CREATE TABLE signatures(id BIGINT GENERATED BY DEFAULT AS IDENTITY"
    " PRIMARY KEY, incident_id BIGINT NOT NULL REFERENCES incidents(id),"
    " seq BIGINT NOT NULL, head TEXT NOT NULL, signer TEXT NOT NULL,"
    " signature TEXT NOT NULL, signed_at BIGINT NOT NULL);"
    "CREATE TABLE presence(session TEXT PRIMARY KEY, \"user\" TEXT NOT NULL,"
    " incident_id BIGINT, typing BIGINT NOT NULL DEFAULT 0, cols BIGINT,"
    " rows BIGINT, via_ssh BIGINT NOT NULL DEFAULT 0, pid BIGINT, host"
    " TEXT, started_at BIGINT NOT NULL, seen_at BIGINT NOT NULL);"
    "CREATE TABLE itui_revisions(scope BIGINT PRIMARY KEY,"
    " rev BIGINT NOT NULL);"
    "CREATE FUNCTION json_extract(j text, p text) RETURNS text"
    " LANGUAGE sql IMMUTABLE AS"
    " $$ SELECT (j::jsonb) #>> string_to_array(substr(p, 3), '.') $$;"
    "CREATE FUNCTION json(j text) RETURNS json LANGUAGE sql IMMUTABLE AS"
    " $$ SELECT j::json $$;"
    "CREATE FUNCTION json_valid(j text) RETURNS boolean LANGUAGE plpgsql"
    " IMMUTABLE AS $$ BEGIN PERFORM j::jsonb; RETURN j IS NOT NULL;"
    " EXCEPTION WHEN others THEN RETURN false; END $$;"
    "CREATE FUNCTION itui_compact(j json) RETURNS text LANGUAGE sql"
    " IMMUTABLE AS $$ SELECT '[' || coalesce(string_agg(e::text, ','"
    " ORDER BY n), '') || ']' FROM json_array_elements(j)"
    " WITH ORDINALITY AS t(e, n) $$;"
    "CREATE FUNCTION instr(a text, b text) RETURNS integer LANGUAGE sql"
    " IMMUTABLE AS $$ SELECT strpos(a, b) $$;";

/* Migrations after the baseline: pg_migrations[i] brings PG_BASELINE + i
 * to PG_BASELINE + i + 1. */
static const char *const pg_migrations[] = {
    /* 10: the record's revision per incident (db.c's migration 10) */
    "CREATE TABLE changes(incident_id BIGINT PRIMARY KEY,"
    " rev BIGINT NOT NULL);"
    "INSERT INTO changes(incident_id, rev) VALUES (0, 0), (-1, 0);",
    /* 11: each incident's timeline counts its changes (db.c's 11); the
     * incident's advisory lock keeps two writers from taking one count */
    "ALTER TABLE entries ADD COLUMN mod_seq BIGINT NOT NULL DEFAULT 0;"
    "CREATE INDEX entries_by_change ON entries(incident_id, mod_seq);"
    /* the incident's field revision, counted on every reload */
    "CREATE INDEX audit_by_field ON audit(incident_id, object, object_id,"
    " field);"
    "CREATE FUNCTION itui_entry_seq() RETURNS trigger LANGUAGE plpgsql AS"
    " $$ BEGIN NEW.mod_seq := (SELECT coalesce(max(mod_seq), 0) + 1"
    " FROM entries WHERE incident_id = NEW.incident_id); RETURN NEW;"
    " END $$;"
    "CREATE TRIGGER entries_seq BEFORE INSERT OR UPDATE OF incident_id, at,"
    " kind, text, data, pinned, revision, deleted_at ON entries"
    " FOR EACH ROW EXECUTE FUNCTION itui_entry_seq();",
    /* 12: the role that wrote each audit row (db.c's 12).  The default
     * is set after the column is added, so rows written before the
     * upgrade stay NULL instead of naming the migrating role. */
    "ALTER TABLE audit ADD COLUMN db_role TEXT;"
    "ALTER TABLE audit ALTER COLUMN db_role SET DEFAULT session_user;",
};
#define PG_NMIGRATIONS (int)(sizeof pg_migrations / sizeof pg_migrations[0])

static enum itui_code
pg_fail(struct pg_db *d, int rc, const char *doing, struct itui_err *err)
{
	return p_error(&d->base, rc, doing, err);
}

static enum itui_code
migrate(struct pg_db *d, const char *name, struct itui_err *err)
{
	int64_t version = 0;
	char sql[160];
	int rc, i;

	if (PG_BASELINE + PG_NMIGRATIONS != db_schema_version())
		fatal("the PostgreSQL schema (%d) is behind SQLite's (%d)",
		      PG_BASELINE + PG_NMIGRATIONS, db_schema_version());
	/* One migrator at a time; the others wait, then find it done. */
	snprintf(sql, sizeof sql,
	         "BEGIN; SELECT pg_advisory_xact_lock(%d, 0);"
	         " CREATE TABLE IF NOT EXISTS itui_version(version integer"
	         " NOT NULL)",
	         LOCK_MIGRATE);
	rc = run(d, sql);
	if (rc == SD_OK)
		rc = run_int(d, "SELECT max(version) FROM itui_version",
		             &version);
	if (rc != SD_OK) {
		if (strcmp(d->sqlstate, "42501") == 0 ||
		    strcmp(d->sqlstate, "25006") == 0) {
			run(d, "ROLLBACK");
			return err_set(
			    err, ITUI_READONLY,
			    "%s needs its schema created or upgraded, which "
			    "this role may not do: run incident-tui once as "
			    "the database's owner",
			    name);
		}
		pg_fail(d, rc, "migrating the schema", err);
		run(d, "ROLLBACK");
		return err->code;
	}
	if (version > db_schema_version()) {
		run(d, "ROLLBACK");
		return err_set(
		    err, ITUI_NEWER,
		    "%s was written by a newer incident-tui (schema %d, this "
		    "one knows %d); upgrade before using it",
		    name, (int)version, db_schema_version());
	}
	if (version == 0)
		rc = run(d, pg_schema);
	for (i = version > PG_BASELINE ? (int)version - PG_BASELINE : 0;
	     rc == SD_OK && i < PG_NMIGRATIONS; i++)
		rc = run(d, pg_migrations[i]);
	if (rc == SD_OK && version != db_schema_version()) {
		snprintf(sql, sizeof sql,
		         "DELETE FROM itui_version; INSERT INTO"
		         " itui_version VALUES (%d);"
		         " COMMENT ON TABLE itui_version IS '%d'",
		         db_schema_version(), db_schema_version());
		rc = run(d, sql);
	}
	if (rc == SD_OK)
		rc = run(d, "COMMIT");
	if (rc != SD_OK) {
		pg_fail(d, rc, "migrating the schema", err);
		run(d, "ROLLBACK");
		return err->code;
	}
	return ITUI_OK;
}

/* ---- opening
 * ----------------------------------------------------------------- */

/* The location without its password, for messages and the top bar. */
static char *
display_name(const char *loc)
{
	PQconninfoOption *o = pq.conninfoParse(loc, NULL), *p;
	const char *host = NULL, *db = NULL, *user = NULL, *port = NULL,
	           *service = NULL;
	struct strbuf sb = STRBUF_INIT;

	if (o == NULL)
		return xstrdup("postgresql://?");
	for (p = o; p->keyword != NULL; p++) {
		if (p->val == NULL || *p->val == '\0')
			continue;
		if (strcmp(p->keyword, "host") == 0)
			host = p->val;
		else if (strcmp(p->keyword, "dbname") == 0)
			db = p->val;
		else if (strcmp(p->keyword, "user") == 0)
			user = p->val;
		else if (strcmp(p->keyword, "port") == 0)
			port = p->val;
		else if (strcmp(p->keyword, "service") == 0)
			service = p->val;
	}
	if (service != NULL && host == NULL) {
		strbuf_addf(&sb, "service=%s", service);
	} else {
		strbuf_addstr(&sb, "postgresql://");
		if (user != NULL)
			strbuf_addf(&sb, "%s@", user);
		/* A socket directory is a path: keep it out of the URI. */
		if (host != NULL && host[0] != '/')
			strbuf_addstr(&sb, host);
		if (port != NULL)
			strbuf_addf(&sb, ":%s", port);
		strbuf_addf(&sb, "/%s", db != NULL ? db : "");
	}
	pq.conninfoFree(o);
	return strbuf_detach(&sb);
}

char *
sd_pg_display(const char *loc)
{
	if (pq_ready(NULL) != ITUI_OK)
		return xstrdup("postgresql://?");
	return display_name(loc);
}

/* A connection with our session settings; NULL with err set. */
static PGconn *
pg_connect(const char *loc, const char *name, struct itui_err *err)
{
	PQconninfoOption *o;
	char *msg = NULL;
	PGconn *c;

	if (pq_ready(err) != ITUI_OK)
		return NULL;
	o = pq.conninfoParse(loc, &msg);
	if (o == NULL) {
		err_set(err, ITUI_INPUT, "%s is not a PostgreSQL location: %s",
		        name, msg != NULL ? msg : "cannot parse it");
		if (msg != NULL)
			pq.freemem(msg);
		return NULL;
	}
	pq.conninfoFree(o);
	c = pq.connectdb(loc);
	if (c == NULL || pq.status(c) != CONNECTION_OK) {
		char *m = xstrdup(c != NULL ? pq.errorMessage(c) : "no memory");
		size_t n = strlen(m);

		while (n > 0 && (m[n - 1] == '\n' || m[n - 1] == ' '))
			m[--n] = '\0';
		err_set(err, ITUI_IO, "cannot connect to %s: %s", name, m);
		free(m);
		pq.finish(c);
		return NULL;
	}
	pq.setNoticeProcessor(c, quiet, NULL);
	return c;
}

/* The session's settings, ending in "; " so a query may follow. */
static void
session_sql(const struct pg_db *d, char *sql, size_t size)
{
	snprintf(sql, size,
	         "SET lock_timeout = %d; SET client_min_messages = warning;%s ",
	         d->base.wait_ms,
	         d->base.readonly ? " SET default_transaction_read_only = on;"
	                          : "");
}

static int
session_setup(struct pg_db *d)
{
	char sql[160];
	PGresult *res;
	int rc = SD_OK;

	session_sql(d, sql, sizeof sql);
	/* Not run(): it would try to reconnect again. */
	res = pq.exec(d->c, sql);
	if (pq.resultStatus(res) != PGRES_COMMAND_OK)
		rc = failed(d, res);
	pq.clear(res);
	return rc;
}

enum itui_code
sd_pg_open(const char *loc, unsigned flags, struct sd_db **out,
           struct itui_err *err)
{
	struct pg_db *d;
	char *name, sql[160];
	struct strbuf q = STRBUF_INIT;
	int64_t standby = 0;
	int rc, current, reader;

	*out = NULL;
	if (pq_ready(err) != ITUI_OK)
		return err->code;
	name = display_name(loc);
	d = xcalloc(1, sizeof *d);
	d->base.ops = &pg_ops;
	d->base.dialect = SD_PG;
	d->base.wait_ms = DB_BUSY_TIMEOUT_MS;
	d->c = pg_connect(loc, name, err);
	if (d->c == NULL)
		goto fail;
	/*
	 * The version rides on the table's comment, so one round trip (with
	 * the session's settings), and no lock, finds a current schema (the
	 * usual case).
	 */
	session_sql(d, sql, sizeof sql);
	strbuf_addstr(&q, sql);
	strbuf_addstr(&q, "SELECT pg_is_in_recovery()::int * 1000000 +"
	                  " CASE WHEN to_regclass('entries') IS NULL OR"
	                  " has_table_privilege('entries', 'INSERT') THEN 0"
	                  " ELSE 2000000 END +"
	                  " coalesce(obj_description(to_regclass("
	                  "'itui_version'), 'pg_class'), '0')::int");
	rc = run_int(d, strbuf_str(&q), &standby);
	strbuf_free(&q);
	if (rc != SD_OK) {
		pg_fail(d, rc, name, err);
		goto fail;
	}
	current = standby % 1000000 == db_schema_version();
	/* A reader (itui_reader) reads; its writes get the read-only line. */
	reader = standby >= 2000000;
	standby = (standby / 1000000) & 1;
	d->base.standby = (int)standby;
	if ((flags & STORE_READONLY) || standby || reader) {
		int64_t version = 0;

		d->base.readonly = 1;
		rc = run(d, "SET default_transaction_read_only = on");
		if (rc == SD_OK &&
		    run_int(d,
		            "SELECT CASE WHEN to_regclass('itui_version') IS"
		            " NULL THEN 0 ELSE 1 END",
		            &version) == SD_OK &&
		    version == 1)
			rc = run_int(d, "SELECT max(version) FROM itui_version",
			             &version);
		if (rc != SD_OK) {
			pg_fail(d, rc, name, err);
			goto fail;
		}
		if (version < db_schema_version()) {
			err_set(err, ITUI_READONLY,
			        "%s needs its schema created or upgraded: run "
			        "incident-tui once as the database's owner",
			        name);
			goto fail;
		}
	} else if (!current && migrate(d, name, err) != ITUI_OK) {
		goto fail;
	}
	free(name);
	*out = &d->base;
	return ITUI_OK;
fail:
	free(name);
	if (d->c != NULL)
		pq.finish(d->c);
	free(d->msg);
	free(d);
	return err->code;
}

/* ---- the change hint: a listening connection -------------------------------
 */

struct pg_listener {
	PGconn *c;
	char *loc;
};

void *
sd_pg_listen(const char *loc, int *fd)
{
	struct itui_err err;
	struct pg_listener *l;
	PGconn *c = pg_connect(loc, "the database", &err);
	PGresult *res;

	*fd = -1;
	if (c == NULL)
		return NULL;
	/*
	 * The dashboard read before this LISTEN: a notice to ourselves makes
	 * it look once more now that nothing can slip between.
	 */
	res = pq.exec(c, "LISTEN " CHANNEL "; NOTIFY " CHANNEL ", '0'");
	if (pq.resultStatus(res) != PGRES_COMMAND_OK) {
		pq.clear(res);
		pq.finish(c);
		return NULL;
	}
	pq.clear(res);
	l = xcalloc(1, sizeof *l);
	l->c = c;
	l->loc = xstrdup(loc);
	*fd = pq.socket(c);
	return l;
}

int
sd_pg_listen_drain(void *h, int *fd)
{
	struct pg_listener *l = h;
	PGnotify *n;
	int hit = 0;

	if (l == NULL)
		return 0;
	if (!pq.consumeInput(l->c)) {
		/* Gone: listen again (a reconnect means a full reload), or
		 * leave the hint off and the caller's slow re-check on. */
		PGresult *res;

		pq.reset(l->c);
		res = pq.exec(l->c, "LISTEN " CHANNEL);
		if (pq.resultStatus(res) != PGRES_COMMAND_OK)
			*fd = -1;
		else
			*fd = pq.socket(l->c);
		pq.clear(res);
		return 1;
	}
	while ((n = pq.notifies(l->c)) != NULL) {
		hit = 1;
		pq.freemem(n);
	}
	return hit;
}

void
sd_pg_listen_close(void *h)
{
	struct pg_listener *l = h;

	if (l == NULL)
		return;
	pq.finish(l->c);
	free(l->loc);
	free(l);
}
