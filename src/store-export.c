/*
 * store-export.c - export and import of one incident's whole record.
 *
 * DESIGN: each section is one query whose column names are the JSON keys
 * (columns named data, labels or annotations hold JSON and are embedded as
 * values); rows are ordered by chain seq or by id, never by anything a
 * clock could tie, and keys are sorted when printed, so the same record
 * gives the same bytes.  Import replays the chained rows in seq order with
 * the same helper the writers use (st_chain_link), so the copy's chain is the
 * original's.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "itui/db.h"
#include "itui/store-chain.h"
#include "itui/store-export.h"
#include "itui/store-int.h"
#include "itui/xalloc.h"

static int
is_json_column(const char *name)
{
	return strcmp(name, "data") == 0 || strcmp(name, "labels") == 0 ||
	       strcmp(name, "annotations") == 0;
}

/* The rows of a query (bound to the incident id) as an array of objects. */
static enum itui_code
rows(struct store *st, const char *sql, int64_t id, json_t **out,
     struct itui_err *err)
{
	struct sd_stmt *s =
	    st_query(st, err, "exporting the incident", sql, "i", id);
	json_t *arr;
	int rc, i, n;

	if (s == NULL)
		return err->code;
	arr = json_array();
	n = sd_column_count(s);
	while ((rc = sd_step(s)) == SD_ROW) {
		json_t *o = json_object();

		for (i = 0; i < n; i++) {
			const char *name = sd_column_name(s, i);
			const char *t;
			json_t *v;

			switch (sd_type(s, i)) {
			case SD_NULL:
				v = json_null();
				break;
			case SD_INTEGER:
				v = json_integer(sd_int64(s, i));
				break;
			default:
				t = sd_text(s, i);
				v = NULL;
				if (is_json_column(name))
					v = json_loads(t, JSON_DECODE_ANY,
					               NULL);
				if (v == NULL)
					v = json_string(t);
				if (v == NULL) /* not UTF-8 */
					v = json_stringn_nocheck(t, strlen(t));
				break;
			}
			json_object_set_new(o, name, v);
		}
		json_array_append_new(arr, o);
	}
	if (st_finish(st, s, rc, "exporting the incident", err) != ITUI_OK) {
		json_decref(arr);
		return err->code;
	}
	*out = arr;
	return ITUI_OK;
}

enum itui_code
store_export(struct store *st, int64_t id, json_t **out, struct itui_err *err)
{
	static const struct {
		const char *key, *sql;
	} sections[] = {
	    {"incident",
	     "SELECT title, severity, status, service, impact, summary,"
	     " root_cause, alert_key, declared_by, drill, declared_at,"
	     " detected_at, acknowledged_at, mitigated_at, resolved_at,"
	     " closed_at FROM incidents WHERE id = ?"},
	    {"timeline",
	     "SELECT chain_seq AS seq, at, recorded_at, author, kind, text,"
	     " data, pinned, revision, deleted_at, deleted_by FROM entries"
	     " WHERE incident_id = ? ORDER BY chain_seq, id"},
	    {"revisions",
	     "SELECT e.chain_seq AS entry, r.chain_seq AS seq, r.revision,"
	     " r.at, r.kind, r.text, r.replaced_at, r.replaced_by"
	     " FROM entry_revisions r JOIN entries e ON e.id = r.entry_id"
	     " WHERE e.incident_id = ? ORDER BY e.chain_seq, r.revision"},
	    {"roles", "SELECT role, person, assigned_at, assigned_by, ended_at,"
	              " ended_by FROM role_assignments WHERE incident_id = ?"
	              " ORDER BY id"},
	    {"action_items",
	     "SELECT row_number() OVER (ORDER BY id) AS n, text, owner,"
	     " due_at, horizon, state, created_at, created_by, updated_at"
	     " FROM action_items WHERE incident_id = ? ORDER BY id"},
	    {"alerts",
	     "SELECT key, source, name, labels, annotations, summary,"
	     " severity, since, last_seen, state, resolved_at FROM alerts"
	     " WHERE incident_id = ? ORDER BY key"},
	    {"audit",
	     "SELECT a.chain_seq AS seq, a.at, a.actor, a.origin, a.object,"
	     " " CHAIN_AUDIT_REF_SQL " AS ref, a.field, a.old_value,"
	     " a.new_value, a.db_role FROM audit a WHERE a.incident_id = ?"
	     " ORDER BY a.chain_seq, a.id"},
	    {"signatures",
	     "SELECT seq, head, signer, signature, signed_at FROM signatures"
	     " WHERE incident_id = ? ORDER BY id"},
	    {"chain",
	     "SELECT seq, hash FROM chain_heads WHERE incident_id = ?"},
	};
	json_t *root, *v = NULL, *tl, *revs, *e, *r;
	size_t i, j;
	enum itui_code rc = ITUI_OK;

	*out = NULL;
	if (st_incident_exists(st, id, err) != ITUI_OK)
		return err->code;
	/* One read transaction: every section as of one moment. */
	if (sd_exec(st->db, "BEGIN") != SD_OK)
		return sd_error(st->db, sd_errcode(st->db),
		                "exporting the incident", err);
	root = json_object();
	json_object_set_new(root, "format", json_string(EXPORT_FORMAT));
	json_object_set_new(root, "id", json_integer(id));
	for (i = 0; i < sizeof sections / sizeof sections[0] && !rc; i++) {
		rc = rows(st, sections[i].sql, id, &v, err);
		if (rc != ITUI_OK)
			break;
		if (strcmp(sections[i].key, "incident") == 0 ||
		    strcmp(sections[i].key, "chain") == 0) {
			json_t *one = json_array_get(v, 0);

			if (one != NULL)
				json_object_set(root, sections[i].key, one);
			else
				json_object_set_new(root, sections[i].key,
				                    json_pack("{s:i,s:s}",
				                              "seq", 0, "hash",
				                              ""));
			json_decref(v);
		} else {
			json_object_set_new(root, sections[i].key, v);
		}
	}
	sd_exec(st->db, "COMMIT");
	if (rc != ITUI_OK) {
		json_decref(root);
		return rc;
	}
	/* Revisions go inside their entry. */
	tl = json_object_get(root, "timeline");
	revs = json_object_get(root, "revisions");
	json_array_foreach(tl, i, e)
	{
		json_t *mine = json_array();
		json_int_t seq = json_integer_value(json_object_get(e, "seq"));

		json_array_foreach(revs, j, r)
		{
			if (json_integer_value(json_object_get(r, "entry")) ==
			    seq) {
				json_t *c = json_deep_copy(r);

				json_object_del(c, "entry");
				json_array_append_new(mine, c);
			}
		}
		json_object_set_new(e, "revisions", mine);
	}
	json_object_del(root, "revisions");
	*out = root;
	return ITUI_OK;
}

/* ---- import ------------------------------------------------------------- */

static const char *
str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static int64_t
num(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	return json_is_integer(v) ? (int64_t)json_integer_value(v) : TIME_NONE;
}

/* A JSON value as text for a JSON column (NULL for null/absent). */
static char *
json_text(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	if (v == NULL || json_is_null(v))
		return NULL;
	if (json_is_string(v))
		return xstrdup(json_string_value(v));
	return json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
}

struct chained {
	int64_t seq;
	int cls; /* 0 entry, 1 revision, 2 audit */
	json_t *row, *entry;
};

static int
by_seq(const void *a, const void *b)
{
	const struct chained *x = a, *y = b;

	return (x->seq > y->seq) - (x->seq < y->seq);
}

/* The content of version `v` of an entry: revision v, or the entry. */
static json_t *
version(json_t *entry, int64_t v)
{
	json_t *revs = json_object_get(entry, "revisions"), *r;
	size_t i;

	json_array_foreach(revs, i, r)
	{
		if (num(r, "revision") == v)
			return r;
	}
	return entry;
}

static enum itui_code
bad(struct itui_err *err, const char *what)
{
	return err_set(err, ITUI_INPUT, "not an incident-tui export: %s", what);
}

static enum itui_code
insert_chained(struct store *st, int64_t id, struct chained *c,
               int64_t *entry_ids, size_t nentries, int64_t *action_ids,
               size_t nactions, struct itui_err *err)
{
	json_t *r = c->row;
	enum itui_code rc;

	if (c->cls == 0) {
		json_t *first = version(r, 1);
		char *data = json_text(r, "data");
		int64_t seq = num(r, "seq");

		rc = st_run(
		    st, err, "importing an entry",
		    "INSERT INTO entries(incident_id, at, recorded_at,"
		    " author, kind, text, data, pinned, deleted_at,"
		    " deleted_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		    "iiissssdts", id, num(first, "at"), num(r, "recorded_at"),
		    str(r, "author"), str(first, "kind"), str(first, "text"),
		    data, (int)num(r, "pinned"), num(r, "deleted_at"),
		    str(r, "deleted_by"));
		free(data);
		if (rc != ITUI_OK)
			return rc;
		if (seq >= 1 && (size_t)seq <= nentries)
			entry_ids[seq - 1] = sd_last_id(st->db);
		return st_chain_link(st, CHAIN_ENTRY, sd_last_id(st->db), NULL,
		                     err);
	}
	if (c->cls == 1) {
		int64_t es = num(c->entry, "seq"), rev = num(r, "revision");
		int64_t eid =
		    es >= 1 && (size_t)es <= nentries ? entry_ids[es - 1] : 0;
		json_t *next = version(c->entry, rev + 1);
		int64_t rowid;

		if (eid == 0)
			return bad(err, "a revision of an entry not yet seen");
		rc =
		    st_run(st, err, "importing a revision",
		           "INSERT INTO entry_revisions(entry_id, revision, at,"
		           " kind, text, replaced_at, replaced_by)"
		           " VALUES (?, ?, ?, ?, ?, ?, ?)",
		           "iiissis", eid, rev, num(r, "at"), str(r, "kind"),
		           str(r, "text"), num(r, "replaced_at"),
		           str(r, "replaced_by"));
		if (rc != ITUI_OK)
			return rc;
		rowid = sd_last_id(st->db);
		rc = st_run(st, err, "importing a revision",
		            "UPDATE entries SET at = ?, kind = ?, text = ?,"
		            " revision = ? WHERE id = ?",
		            "issii", num(next, "at"), str(next, "kind"),
		            str(next, "text"), rev + 1, eid);
		if (rc != ITUI_OK)
			return rc;
		return st_chain_link(st, CHAIN_REVISION, rowid, NULL, err);
	}
	{
		const char *ref = str(r, "ref");
		int64_t oid = TIME_NONE;
		long long n = 0;

		if (ref == NULL)
			oid = TIME_NONE;
		else if (strcmp(ref, "self") == 0)
			oid = id;
		else if (sscanf(ref, "entry:%lld", &n) == 1)
			oid = n >= 1 && (size_t)n <= nentries ? entry_ids[n - 1]
			                                      : 0;
		else if (sscanf(ref, "action:%lld", &n) == 1)
			oid = n >= 1 && (size_t)n <= nactions
			          ? action_ids[n - 1]
			          : 0;
		else if (strchr(ref, ':') != NULL)
			oid = strtoll(strchr(ref, ':') + 1, NULL, 10);
		rc =
		    st_run(st, err, "importing the audit trail",
		           /* the role that wrote it then, not the importer's */
		           "INSERT INTO audit(at, actor, origin, incident_id,"
		           " object, object_id, field, old_value, new_value,"
		           " db_role) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		           "issistssss", num(r, "at"), str(r, "actor"),
		           str(r, "origin"), id, str(r, "object"), oid,
		           str(r, "field"), str(r, "old_value"),
		           str(r, "new_value"), str(r, "db_role"));
		if (rc != ITUI_OK)
			return rc;
		return st_chain_link(st, CHAIN_AUDIT, sd_last_id(st->db),
		                     str(r, "object"), err);
	}
}

enum itui_code
store_import(struct store *st, json_t *in, int drill, int64_t *new_id,
             struct itui_err *err)
{
	json_t *inc = json_object_get(in, "incident");
	json_t *tl = json_object_get(in, "timeline");
	json_t *audit = json_object_get(in, "audit");
	json_t *actions = json_object_get(in, "action_items");
	json_t *roles = json_object_get(in, "roles");
	json_t *alerts = json_object_get(in, "alerts");
	json_t *sigs = json_object_get(in, "signatures");
	json_t *e, *r;
	struct chained *v = NULL;
	int64_t *entry_ids = NULL, *action_ids = NULL, id = 0;
	size_t n = 0, cap = 0, i, j;
	enum itui_code rc;

	if (!json_is_object(in) || str(in, "format") == NULL ||
	    strcmp(str(in, "format"), EXPORT_FORMAT) != 0)
		return bad(err, "no \"format\": \"" EXPORT_FORMAT "\"");
	if (!json_is_object(inc) || !json_is_array(tl) ||
	    !json_is_array(audit) || str(inc, "title") == NULL ||
	    str(inc, "severity") == NULL || str(inc, "status") == NULL ||
	    num(inc, "declared_at") == TIME_NONE)
		return bad(err, "the incident or its timeline is missing");
	/* Every chained row, in chain order. */
	json_array_foreach(tl, i, e)
	{
		json_t *revs = json_object_get(e, "revisions");

		if (!json_is_object(e) || num(e, "seq") == TIME_NONE ||
		    str(e, "text") == NULL || str(e, "kind") == NULL ||
		    str(e, "author") == NULL)
			return bad(err, "a timeline entry lacks seq, kind, "
			                "author or text");
		for (j = 0; j <= json_array_size(revs); j++) {
			if (n == cap) {
				cap = cap ? cap * 2 : 64;
				v = xreallocarray(v, cap, sizeof *v);
			}
			v[n].cls = j == 0 ? 0 : 1;
			v[n].row = j == 0 ? e : json_array_get(revs, j - 1);
			v[n].entry = e;
			v[n].seq = num(v[n].row, "seq");
			n++;
		}
	}
	json_array_foreach(audit, i, r)
	{
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			v = xreallocarray(v, cap, sizeof *v);
		}
		v[n].cls = 2;
		v[n].row = r;
		v[n].entry = NULL;
		v[n].seq = num(r, "seq");
		n++;
	}
	qsort(v, n, sizeof *v, by_seq);
	/* Seqs run 1..n in a whole chain; anything else is not an export. */
	for (i = 0; i < n; i++)
		if (v[i].seq != (int64_t)i + 1) {
			free(v);
			return bad(err,
			           "the chained rows' seqs are not 1, 2, ...");
		}
	entry_ids = xcalloc(n + 1, sizeof *entry_ids);
	action_ids = xcalloc(json_array_size(actions) + 1, sizeof *action_ids);
	if ((rc = st_begin(st, err)) != ITUI_OK)
		goto out;
	rc = st_run(
	    st, err, "importing the incident",
	    "INSERT INTO incidents(title, severity, status, service,"
	    " impact, summary, root_cause, alert_key, declared_by, drill,"
	    " declared_at, detected_at, acknowledged_at, mitigated_at,"
	    " resolved_at, closed_at, recorded_at, updated_at)"
	    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
	    " ?, ?)",
	    "sssssssssditttttii", str(inc, "title"), str(inc, "severity"),
	    str(inc, "status"), str(inc, "service"), str(inc, "impact"),
	    str(inc, "summary"), str(inc, "root_cause"), str(inc, "alert_key"),
	    str(inc, "declared_by") ? str(inc, "declared_by") : "unknown",
	    drill || num(inc, "drill") == 1 ? 1 : 0, num(inc, "declared_at"),
	    num(inc, "detected_at"), num(inc, "acknowledged_at"),
	    num(inc, "mitigated_at"), num(inc, "resolved_at"),
	    num(inc, "closed_at"), st_now(st), st_now(st));
	id = sd_last_id(st->db);
	json_array_foreach(actions, i, r)
	{
		if (rc != ITUI_OK)
			break;
		rc = st_run(st, err, "importing an action item",
		            "INSERT INTO action_items(incident_id, text, owner,"
		            " due_at, horizon, state, created_at, created_by,"
		            " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
		            "isstssisi", id, str(r, "text"), str(r, "owner"),
		            num(r, "due_at"), str(r, "horizon"),
		            str(r, "state"), num(r, "created_at"),
		            str(r, "created_by"), num(r, "updated_at"));
		action_ids[i] = sd_last_id(st->db);
	}
	json_array_foreach(roles, i, r)
	{
		if (rc != ITUI_OK)
			break;
		rc = st_run(st, err, "importing a role",
		            "INSERT INTO role_assignments(incident_id, role,"
		            " person, assigned_at, assigned_by, ended_at,"
		            " ended_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
		            "issists", id, str(r, "role"), str(r, "person"),
		            num(r, "assigned_at"), str(r, "assigned_by"),
		            num(r, "ended_at"), str(r, "ended_by"));
	}
	for (i = 0; i < n && rc == ITUI_OK; i++)
		rc = insert_chained(st, id, &v[i], entry_ids, n, action_ids,
		                    json_array_size(actions), err);
	json_array_foreach(alerts, i, r)
	{
		char *labels, *ann;

		if (rc != ITUI_OK)
			break;
		labels = json_text(r, "labels");
		ann = json_text(r, "annotations");
		/* An alert already known here keeps its own row. */
		rc = st_run(st, err, "importing an alert",
		            "INSERT OR IGNORE INTO alerts(key, source, name,"
		            " labels, annotations, summary, severity, since,"
		            " last_seen, state, resolved_at, incident_id)"
		            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		            "sssssssttsti", str(r, "key"), str(r, "source"),
		            str(r, "name"), labels ? labels : "{}", ann,
		            str(r, "summary"), str(r, "severity"),
		            num(r, "since"), num(r, "last_seen"),
		            str(r, "state") ? str(r, "state") : "firing",
		            num(r, "resolved_at"), id);
		free(labels);
		free(ann);
	}
	json_array_foreach(sigs, i, r)
	{
		if (rc != ITUI_OK)
			break;
		rc = st_run(st, err, "importing a signature",
		            "INSERT INTO signatures(incident_id, seq, head,"
		            " signer, signature, signed_at)"
		            " VALUES (?, ?, ?, ?, ?, ?)",
		            "iisssi", id, num(r, "seq"), str(r, "head"),
		            str(r, "signer"), str(r, "signature"),
		            num(r, "signed_at"));
	}
	rc = st_end(st, rc, err);
	if (rc == ITUI_OK)
		*new_id = id;
out:
	free(v);
	free(entry_ids);
	free(action_ids);
	return rc;
}
