/*
 * store-chain.c - the hash chains that make an edit of the file with
 * sqlite3, a deleted row or two swapped rows show, and the signatures of
 * their heads.
 *
 * DESIGN: a row's content is built by SQLite itself as a JSON array of the
 * row's columns (json_array() escapes and orders them the same way every
 * time), so the writer, the one-time fill and verify all hash exactly the
 * same bytes from one query per class.  The queries live here, in C, and
 * never in a view: a view is part of the file, and the file is what we do not
 * trust.  SHA-256 is sha256.c's (a linked crypto library costs every
 * process measurable start-up time).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "itui/db.h"
#include "itui/sha256.h"
#include "itui/store-chain.h"
#include "itui/store-int.h"
#include "itui/strbuf.h"
#include "itui/xalloc.h"

static const char zero_hash[CHAIN_HASH_LEN + 1] =
    "0000000000000000000000000000000000000000000000000000000000000000";

/*
 * Per class: rowid, chain (incident), seq, hash, content.  The entry's
 * content is its first version (an edit moves that into entry_revisions as
 * revision 1); each revision covers the version it replaced and the one
 * that replaced it, so the entry's current text is covered by its newest
 * revision.
 */
#define ENTRY_SQL                                                             \
	"SELECT e.id AS rid, e.incident_id AS chain, e.chain_seq AS seq,"     \
	" e.chain_hash AS hash, json_array('entry', e.recorded_at, e.author," \
	" coalesce(r.at, e.at), coalesce(r.kind, e.kind),"                    \
	" coalesce(r.text, e.text), e.data) AS content, e.id AS ent"          \
	" FROM entries e LEFT JOIN entry_revisions r"                         \
	" ON r.entry_id = e.id AND r.revision = 1"
#define REVISION_SQL                                                                           \
	"SELECT r.rowid AS rid, e.incident_id AS chain, r.chain_seq AS seq,"                   \
	" r.chain_hash AS hash, json_array('revision', e.chain_seq, r.revision, r.at, r.kind," \
	" r.text, r.replaced_at, r.replaced_by, coalesce(n.at, e.at),"                         \
	" coalesce(n.kind, e.kind), coalesce(n.text, e.text)) AS content,"                     \
	" r.entry_id AS ent"                                                                   \
	" FROM entry_revisions r JOIN entries e ON e.id = r.entry_id"                          \
	" LEFT JOIN entry_revisions n ON n.entry_id = r.entry_id"                              \
	" AND n.revision = r.revision + 1"
#define AUDIT_SQL                                                                                           \
	"SELECT a.id AS rid, coalesce(a.incident_id, 0) AS chain,"                                          \
	" a.chain_seq AS seq, a.chain_hash AS hash, json_array('audit', a.at, a.actor, a.origin, a.object," \
	" CASE WHEN a.object_id IS NULL THEN NULL"                                                          \
	" WHEN a.object = 'entry' THEN 'entry:' || coalesce(CAST((SELECT"                                   \
	" x.chain_seq FROM entries x WHERE x.id = a.object_id) AS TEXT), '?')"                              \
	" WHEN a.object = 'action' THEN 'action:' || (SELECT count(*) FROM"                                 \
	" action_items x WHERE x.incident_id = a.incident_id"                                               \
	" AND x.id <= a.object_id)"                                                                         \
	" WHEN a.object_id = a.incident_id THEN 'self'"                                                     \
	" ELSE a.object || ':' || a.object_id END,"                                                         \
	" a.field, a.old_value, a.new_value) AS content,"                                                   \
	" CASE WHEN a.object = 'entry' THEN a.object_id END AS ent"                                         \
	" FROM audit a"

static const char *const class_sql[] = {ENTRY_SQL, REVISION_SQL, AUDIT_SQL};
static const char *const class_table[] = {"entries", "entry_revisions",
                                          "audit"};
static const char *const class_rowid[] = {"e.id", "r.rowid", "a.id"};
/* The key column (PostgreSQL gives entry_revisions a real rowid column). */
static const char *const class_key[] = {"id", "rowid", "id"};
static const char *const class_chain[] = {"e.incident_id", "e.incident_id",
                                          "coalesce(a.incident_id, 0)"};

void
chain_sha256_hex(const void *data, size_t len, char out[CHAIN_HASH_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	uint8_t d[SHA256_BYTES];
	struct sha256 c;
	int i;

	sha256_begin(&c);
	sha256_add(&c, data, len);
	sha256_end(&c, d);
	for (i = 0; i < SHA256_BYTES; i++) {
		out[2 * i] = hex[d[i] >> 4];
		out[2 * i + 1] = hex[d[i] & 15];
	}
	out[CHAIN_HASH_LEN] = '\0';
}

char *
chain_canonical_json(const char *text)
{
	json_t *v;
	char *out;

	if (text == NULL)
		return NULL;
	v = json_loads(text, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
	if (v == NULL)
		return xstrdup(text);
	out = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
	json_decref(v);
	return out != NULL ? out : xstrdup(text);
}

/* hash = SHA-256(prev "\n" content) */
static void
link_hash(const char *prev, const char *content, char out[CHAIN_HASH_LEN + 1])
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, prev);
	strbuf_addch(&sb, '\n');
	strbuf_addstr(&sb, content != NULL ? content : "");
	chain_sha256_hex(sb.buf, sb.len, out);
	strbuf_free(&sb);
}

static enum itui_code
prep(struct sd_db *db, const char *sql, struct sd_stmt **s,
     struct itui_err *err)
{
	int rc = sd_prepare(db, sql, s);

	if (rc != SD_OK)
		return sd_error(db, rc, "checking the record's chain", err);
	return ITUI_OK;
}

static enum itui_code
done(struct sd_db *db, struct sd_stmt *s, int rc, struct itui_err *err)
{
	sd_finalize(s);
	if (rc != SD_DONE && rc != SD_ROW && rc != SD_OK)
		return sd_error(db, rc, "checking the record's chain", err);
	return ITUI_OK;
}

static enum itui_code
read_head(struct sd_db *db, int64_t chain, int64_t *seq,
          char prev[CHAIN_HASH_LEN + 1], struct itui_err *err)
{
	struct sd_stmt *s;
	int rc;

	*seq = 0;
	memcpy(prev, zero_hash, sizeof zero_hash);
	if (prep(db, "SELECT seq, hash FROM chain_heads WHERE incident_id = ?",
	         &s, err))
		return err->code;
	sd_bind_int64(s, 1, chain);
	rc = sd_step(s);
	if (rc == SD_ROW) {
		const char *h = sd_text(s, 1);

		*seq = sd_int64(s, 0);
		if (h != NULL)
			snprintf(prev, CHAIN_HASH_LEN + 1, "%s", h);
	}
	return done(db, s, rc, err);
}

/*
 * The statements of one link, kept prepared per connection when a cache is
 * given (preparing them cost more than the rest of a timeline write).
 * Each is reset right after use: an open statement would hold back
 * checkpoints.
 */
enum {
	ST_CONTENT,    /* the general queries, per class (fill, verify) */
	ST_WRITER = 3, /* the writers' shortcuts, per enum writer_sql */
	ST_UPDATE = 7, /* per class */
	ST_UPSERT = 10,
	ST_COUNT
};

/*
 * The writers' shortcuts: each gives exactly what the general query gives
 * for the rows it is used on (a new entry has no revisions yet; an audit
 * row's object picks one branch of CHAIN_AUDIT_REF_SQL), and costs a third
 * to prepare, which a one-shot `log` pays on every run.  verify always
 * uses the general queries, so a shortcut that drifted would fail the tests
 * that verify after every kind of change.
 */
enum writer_sql { W_NEW_ENTRY, W_AUDIT_ENTRY, W_AUDIT_ACTION, W_AUDIT_OTHER };

#define HEAD_OF(chain)                                                  \
	" (SELECT seq FROM chain_heads WHERE incident_id = " chain ")," \
	" (SELECT hash FROM chain_heads WHERE incident_id = " chain ")"
#define AUDIT_HEAD                                                     \
	"SELECT coalesce(a.incident_id, 0), json_array('audit', a.at," \
	" a.actor, a.origin, a.object, "
#define AUDIT_TAIL                                       \
	", a.field, a.old_value, a.new_value)," HEAD_OF( \
	    "coalesce(a.incident_id, 0)") " FROM audit a WHERE a.id = ?"

static const char *const writer_sql[] = {
    "SELECT e.incident_id, json_array('entry', e.recorded_at, e.author,"
    " e.at, e.kind, e.text, e.data)," HEAD_OF(
        "e.incident_id") " FROM entries e WHERE e.id = ?",
    AUDIT_HEAD "CASE WHEN a.object_id IS NULL THEN NULL ELSE 'entry:' ||"
               " coalesce(CAST((SELECT x.chain_seq FROM entries x WHERE"
               " x.id = a.object_id) AS TEXT), '?') END" AUDIT_TAIL,
    AUDIT_HEAD "CASE WHEN a.object_id IS NULL THEN NULL ELSE 'action:' ||"
               " (SELECT count(*) FROM action_items x WHERE x.incident_id ="
               " a.incident_id AND x.id <= a.object_id) END" AUDIT_TAIL,
    AUDIT_HEAD "CASE WHEN a.object_id IS NULL THEN NULL"
               " WHEN a.object_id = a.incident_id THEN 'self'"
               " ELSE a.object || ':' || a.object_id END" AUDIT_TAIL,
};

struct chain_cache {
	struct sd_stmt *s[ST_COUNT];
};

static enum itui_code
stmt(struct sd_db *db, struct chain_cache *cache, int slot, const char *sql,
     struct sd_stmt **out, struct itui_err *err)
{
	int rc;

	if (cache != NULL && cache->s[slot] != NULL) {
		*out = cache->s[slot];
		return ITUI_OK;
	}
	rc = cache != NULL ? sd_prepare_keep(db, sql, out)
	                   : sd_prepare(db, sql, out);
	if (rc != SD_OK)
		return sd_error(db, rc, "chaining the record", err);
	if (cache != NULL)
		cache->s[slot] = *out;
	return ITUI_OK;
}

static void
release(struct chain_cache *cache, struct sd_stmt *s)
{
	if (cache != NULL) {
		sd_reset(s);
	} else {
		sd_finalize(s);
	}
}

void
chain_cache_free(struct chain_cache *cache)
{
	int i;

	if (cache == NULL)
		return;
	for (i = 0; i < ST_COUNT; i++)
		sd_finalize(cache->s[i]);
	free(cache);
}

/* w: a writer shortcut, or -1 for the general query of cls. */
static enum itui_code
link_row(struct sd_db *db, struct chain_cache *cache, enum chain_class cls,
         int w, int64_t rowid, struct itui_err *err)
{
	char hash[CHAIN_HASH_LEN + 1], *sql;
	struct strbuf sb = STRBUF_INIT;
	struct sd_stmt *s;
	int64_t chain = 0, seq = 1;
	int rc;

	/* The row's content and its chain's head, in one statement. */
	if (w >= 0) {
		rc = stmt(db, cache, ST_WRITER + w, writer_sql[w], &s, err);
	} else {
		sql = xasprintf("SELECT q.chain, q.content, h.seq, h.hash FROM"
		                " (%s WHERE %s = ?) AS q LEFT JOIN chain_heads"
		                " h ON h.incident_id = q.chain",
		                class_sql[cls], class_rowid[cls]);
		rc = stmt(db, cache, ST_CONTENT + (int)cls, sql, &s, err);
		free(sql);
	}
	if (rc != ITUI_OK)
		return rc;
	sd_bind_int64(s, 1, rowid);
	rc = sd_step(s);
	if (rc == SD_ROW) {
		const char *prev = sd_text(s, 3);

		chain = sd_int64(s, 0);
		seq = sd_int64(s, 2) + 1;
		/* hash = SHA-256(prev "\n" content) */
		strbuf_addstr(&sb, prev != NULL ? prev : zero_hash);
		strbuf_addch(&sb, '\n');
		strbuf_addstr(&sb, sd_text(s, 1) != NULL ? sd_text(s, 1) : "");
		chain_sha256_hex(sb.buf, sb.len, hash);
		strbuf_free(&sb);
	}
	release(cache, s);
	if (rc != SD_ROW)
		return rc == SD_DONE
		           ? err_set(err, ITUI_INTERNAL,
		                     "chaining the record: row %lld of %s is "
		                     "gone",
		                     (long long)rowid, class_table[cls])
		           : sd_error(db, rc, "chaining the record", err);
	sql = xasprintf("UPDATE %s SET chain_seq = ?, chain_hash = ? WHERE "
	                "%s = ?",
	                class_table[cls], class_key[cls]);
	rc = stmt(db, cache, ST_UPDATE + (int)cls, sql, &s, err);
	free(sql);
	if (rc != ITUI_OK)
		return rc;
	sd_bind_int64(s, 1, seq);
	sd_bind_text(s, 2, hash);
	sd_bind_int64(s, 3, rowid);
	rc = sd_step(s);
	release(cache, s);
	if (rc != SD_DONE)
		return sd_error(db, rc, "chaining the record", err);
	if (stmt(db, cache, ST_UPSERT,
	         "INSERT INTO chain_heads(incident_id, seq, hash)"
	         " VALUES (?, ?, ?) ON CONFLICT(incident_id) DO UPDATE"
	         " SET seq = excluded.seq, hash = excluded.hash",
	         &s, err) != ITUI_OK)
		return err->code;
	sd_bind_int64(s, 1, chain);
	sd_bind_int64(s, 2, seq);
	sd_bind_text(s, 3, hash);
	rc = sd_step(s);
	release(cache, s);
	if (rc != SD_DONE)
		return sd_error(db, rc, "chaining the record", err);
	return ITUI_OK;
}

enum itui_code
chain_link(struct sd_db *db, enum chain_class cls, int64_t rowid,
           struct itui_err *err)
{
	return link_row(db, NULL, cls, -1, rowid, err);
}

enum itui_code
st_chain_link(struct store *st, enum chain_class cls, int64_t rowid,
              const char *object, struct itui_err *err)
{
	int w = -1;

	if (st->chain == NULL)
		st->chain = xcalloc(1, sizeof *st->chain);
	if (cls == CHAIN_ENTRY)
		w = W_NEW_ENTRY;
	else if (cls == CHAIN_AUDIT && object != NULL)
		w = strcmp(object, "entry") == 0    ? W_AUDIT_ENTRY
		    : strcmp(object, "action") == 0 ? W_AUDIT_ACTION
		                                    : W_AUDIT_OTHER;
	return link_row(st->db, st->chain, cls, w, rowid, err);
}

/* ---- the one-time fill ------------------------------------------------ */

struct pending {
	int cls;
	int64_t rowid;
	int64_t entry; /* the entry it refers to, or 0 */
};

static int
is_linked(struct sd_db *db, enum chain_class cls, int64_t rowid)
{
	char *sql = xasprintf("SELECT chain_hash IS NOT NULL FROM %s WHERE "
	                      "%s = ?",
	                      class_table[cls], class_key[cls]);
	struct sd_stmt *s;
	int yes = 0;

	if (sd_prepare(db, sql, &s) == SD_OK) {
		sd_bind_int64(s, 1, rowid);
		if (sd_step(s) == SD_ROW)
			yes = sd_int(s, 0);
		sd_finalize(s);
	}
	free(sql);
	return yes;
}

/* Older entries' data in the canonical form new writes use. */
static enum itui_code
canonical_data(struct sd_db *db, struct itui_err *err)
{
	struct sd_stmt *s, *u;
	int rc;

	if (prep(db,
	         "SELECT id, data FROM entries WHERE data IS NOT NULL AND"
	         " chain_hash IS NULL",
	         &s, err))
		return err->code;
	if (prep(db, "UPDATE entries SET data = ? WHERE id = ?", &u, err)) {
		sd_finalize(s);
		return err->code;
	}
	while ((rc = sd_step(s)) == SD_ROW) {
		const char *d = sd_text(s, 1);
		char *c = chain_canonical_json(d);

		if (strcmp(c, d) != 0) {
			sd_bind_text(u, 1, c);
			sd_bind_int64(u, 2, sd_int64(s, 0));
			if (sd_step(u) != SD_DONE) {
				free(c);
				rc = sd_errcode(db);
				break;
			}
			sd_reset(u);
		}
		free(c);
	}
	sd_finalize(u);
	return done(db, s, rc, err);
}

enum itui_code
chain_fill(struct sd_db *db, struct itui_err *err)
{
	static const char *const order_sql =
	    "SELECT 0, id, 0, incident_id, recorded_at FROM entries"
	    " WHERE chain_hash IS NULL"
	    " UNION ALL SELECT 1, rowid, entry_id, (SELECT incident_id FROM"
	    " entries WHERE id = entry_id), replaced_at FROM entry_revisions"
	    " WHERE chain_hash IS NULL"
	    " UNION ALL SELECT 2, id, CASE WHEN object = 'entry' THEN object_id"
	    " ELSE 0 END, coalesce(incident_id, 0), at FROM audit"
	    " WHERE chain_hash IS NULL"
	    " ORDER BY 4, 5, 1, 2";
	struct pending *v = NULL;
	size_t n = 0, cap = 0, i;
	struct sd_stmt *s;
	enum itui_code rc = ITUI_OK;
	int src;

	if (canonical_data(db, err) != ITUI_OK)
		return err->code;
	if (prep(db, order_sql, &s, err))
		return err->code;
	while ((src = sd_step(s)) == SD_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 256;
			v = xreallocarray(v, cap, sizeof *v);
		}
		v[n].cls = sd_int(s, 0);
		v[n].rowid = sd_int64(s, 1);
		v[n].entry = sd_int64(s, 2);
		n++;
	}
	if (done(db, s, src, err) != ITUI_OK) {
		free(v);
		return err->code;
	}
	for (i = 0; i < n && rc == ITUI_OK; i++) {
		/* A row that names an entry needs the entry's seq first. */
		if (v[i].entry != 0 && !is_linked(db, CHAIN_ENTRY, v[i].entry))
			rc = chain_link(db, CHAIN_ENTRY, v[i].entry, err);
		if (rc == ITUI_OK && !is_linked(db, v[i].cls, v[i].rowid))
			rc = chain_link(db, v[i].cls, v[i].rowid, err);
	}
	free(v);
	return rc;
}

/* ---- verify ------------------------------------------------------------ */

static void
name_row(int cls, int64_t rowid, int64_t entry, char *buf, size_t size)
{
	switch (cls) {
	case CHAIN_ENTRY:
		snprintf(buf, size, "entry %lld", (long long)rowid);
		break;
	case CHAIN_REVISION:
		snprintf(buf, size, "a revision of entry %lld",
		         (long long)entry);
		break;
	default:
		snprintf(buf, size, "audit row %lld", (long long)rowid);
		break;
	}
}

static enum itui_code
verify_chain(struct store *st, int64_t chain, struct chain_check *c,
             struct itui_err *err)
{
	char prev[CHAIN_HASH_LEN + 1], hash[CHAIN_HASH_LEN + 1];
	char *sql;
	struct sd_stmt *s;
	int64_t expect = 1, head_seq;
	char head_hash[CHAIN_HASH_LEN + 1];
	int rc;

	memset(c, 0, sizeof *c);
	c->incident_id = chain;
	c->ok = 1;
	memcpy(prev, zero_hash, sizeof zero_hash);
	/* cls, rowid, seq, hash, content, the entry it names */
	sql = xasprintf("SELECT cls, rid, seq, hash, content, ent FROM ("
	                "SELECT 0 AS cls, * FROM (%s WHERE %s = ?1) AS c0"
	                " UNION ALL SELECT 1, * FROM (%s WHERE %s = ?1) AS c1"
	                " UNION ALL SELECT 2, * FROM (%s WHERE %s = ?1) AS c2)"
	                " AS u"
	                " ORDER BY seq IS NULL, seq, cls, rid",
	                ENTRY_SQL, class_chain[0], REVISION_SQL, class_chain[1],
	                AUDIT_SQL, class_chain[2]);
	rc = sd_prepare(st->db, sql, &s);
	free(sql);
	if (rc != SD_OK)
		return sd_error(st->db, rc, "verifying the record", err);
	sd_bind_int64(s, 1, chain);
	while ((rc = sd_step(s)) == SD_ROW) {
		int cls = sd_int(s, 0);
		int64_t rowid = sd_int64(s, 1);
		int null_seq = sd_is_null(s, 2);
		int64_t seq = sd_int64(s, 2);
		const char *stored = sd_text(s, 3);
		const char *content = sd_text(s, 4);

		c->rows++;
		if (null_seq || stored == NULL) {
			c->ok = 0;
			c->bad_seq = expect;
			snprintf(c->reason, sizeof c->reason,
			         "it carries no hash: it was added outside "
			         "incident-tui");
		} else if (seq > expect) {
			c->ok = 0;
			c->bad_seq = seq;
			snprintf(c->reason, sizeof c->reason,
			         "the row%s before it (seq %lld%s%lld) %s "
			         "missing: deleted or renumbered",
			         seq - expect > 1 ? "s" : "", (long long)expect,
			         seq - expect > 1 ? "-" : "",
			         seq - expect > 1 ? (long long)(seq - 1) : 0LL,
			         seq - expect > 1 ? "are" : "is");
			if (seq - expect == 1)
				snprintf(c->reason, sizeof c->reason,
				         "the row before it (seq %lld) is "
				         "missing: deleted or renumbered",
				         (long long)expect);
		} else if (seq < expect) {
			c->ok = 0;
			c->bad_seq = seq;
			snprintf(c->reason, sizeof c->reason,
			         "it repeats seq %lld: rows were copied or "
			         "renumbered",
			         (long long)seq);
		} else {
			link_hash(prev, content, hash);
			if (strcmp(hash, stored) != 0) {
				c->ok = 0;
				c->bad_seq = seq;
				snprintf(
				    c->reason, sizeof c->reason,
				    "its content or its place in the chain "
				    "does not match its hash: edited, "
				    "reordered or swapped");
			}
		}
		if (!c->ok) {
			name_row(cls, rowid, sd_int64(s, 5), c->where,
			         sizeof c->where);
			break;
		}
		memcpy(prev, hash, sizeof hash);
		expect++;
	}
	sd_finalize(s);
	if (rc != SD_ROW && rc != SD_DONE)
		return sd_error(st->db, rc, "verifying the record", err);
	c->head.incident_id = chain;
	c->head.seq = expect - 1;
	memcpy(c->head.hash, prev, sizeof prev);
	if (!c->ok)
		return ITUI_OK;
	if (read_head(st->db, chain, &head_seq, head_hash, err) != ITUI_OK)
		return err->code;
	if (head_seq != c->head.seq || strcmp(head_hash, c->head.hash) != 0) {
		c->ok = 0;
		c->bad_seq = c->head.seq + 1;
		if (head_seq > c->head.seq) {
			snprintf(c->where, sizeof c->where,
			         "the end of the chain");
			snprintf(c->reason, sizeof c->reason,
			         "the head names seq %lld but the rows stop at "
			         "%lld: the newest rows were deleted",
			         (long long)head_seq, (long long)c->head.seq);
		} else {
			snprintf(c->where, sizeof c->where, "the chain's head");
			snprintf(
			    c->reason, sizeof c->reason,
			    "the stored head (seq %lld) does not match the "
			    "rows (seq %lld)",
			    (long long)head_seq, (long long)c->head.seq);
		}
	}
	return ITUI_OK;
}

/*
 * What an entry row holds beyond its hashed content must agree with the
 * chained audit trail: pinned as the last "pinned" row says, deleted when
 * the last of "deleted"/"restored" says so, and its revision number one past
 * its chained revisions.  (An un-delete with sqlite3 changes no hash.)
 */
static enum itui_code
verify_entry_state(struct store *st, int64_t chain, struct chain_check *c,
                   struct itui_err *err)
{
	struct sd_stmt *s = st_query(
	    st, err, "verifying the record",
	    "SELECT e.id, e.chain_seq, e.pinned,"
	    " coalesce((SELECT a.new_value FROM audit a WHERE"
	    " a.object = 'entry' AND a.object_id = e.id AND a.field = 'pinned'"
	    " ORDER BY a.chain_seq DESC LIMIT 1), '0'),"
	    " e.deleted_at IS NOT NULL,"
	    " coalesce((SELECT CASE WHEN a.field = 'deleted' THEN 1 ELSE 0"
	    " END FROM audit a WHERE"
	    " a.object = 'entry' AND a.object_id = e.id AND a.field IN"
	    " ('deleted', 'restored') ORDER BY a.chain_seq DESC LIMIT 1), 0),"
	    " e.revision, (SELECT count(*) FROM entry_revisions r"
	    " WHERE r.entry_id = e.id)"
	    " FROM entries e WHERE e.incident_id = ? ORDER BY e.chain_seq",
	    "i", chain);
	int rc;

	if (s == NULL)
		return err->code;
	while ((rc = sd_step(s)) == SD_ROW) {
		const char *why = NULL;
		char pinned[24];

		snprintf(pinned, sizeof pinned, "%d", sd_int(s, 2));
		if (strcmp(pinned, sd_text(s, 3)) != 0)
			why =
			    "it is pinned otherwise than its audit trail says";
		else if (sd_int(s, 4) != sd_int(s, 5))
			why = "it is deleted or not otherwise than its audit "
			      "trail says";
		else if (sd_int64(s, 6) != sd_int64(s, 7) + 1)
			why = "its revision number does not match its "
			      "revisions";
		if (why != NULL) {
			c->ok = 0;
			c->bad_seq = sd_int64(s, 1);
			snprintf(c->where, sizeof c->where, "entry %lld",
			         (long long)sd_int64(s, 0));
			snprintf(c->reason, sizeof c->reason, "%s", why);
			break;
		}
	}
	return st_finish(st, s, rc == SD_ROW ? SD_DONE : rc,
	                 "verifying the record", err);
}

enum itui_code
store_chain_verify(struct store *st, int64_t incident_id,
                   struct chain_checks *out, struct itui_err *err)
{
	int64_t *ids = NULL;
	size_t n = 0, cap = 0, i;
	enum itui_code rc = ITUI_OK;

	memset(out, 0, sizeof *out);
	if (incident_id > 0) {
		if (st_incident_exists(st, incident_id, err) != ITUI_OK)
			return err->code;
		ids = xmalloc(sizeof *ids);
		ids[n++] = incident_id;
	} else {
		struct sd_stmt *s = st_query(
		    st, err, "verifying the record",
		    "SELECT id FROM incidents UNION SELECT incident_id FROM"
		    " chain_heads UNION SELECT 0 FROM audit WHERE incident_id"
		    " IS NULL OR incident_id = 0 ORDER BY 1",
		    "");
		int src;

		if (s == NULL)
			return err->code;
		while ((src = sd_step(s)) == SD_ROW) {
			if (n == cap) {
				cap = cap ? cap * 2 : 16;
				ids = xreallocarray(ids, cap, sizeof *ids);
			}
			ids[n++] = sd_int64(s, 0);
		}
		if (st_finish(st, s, src, "verifying the record", err)) {
			free(ids);
			return err->code;
		}
	}
	/* One read transaction: every chain as of one moment. */
	if (sd_exec(st->db, "BEGIN") != SD_OK) {
		free(ids);
		return sd_error(st->db, sd_errcode(st->db),
		                "verifying the record", err);
	}
	out->v = xcalloc(n ? n : 1, sizeof *out->v);
	for (i = 0; i < n && rc == ITUI_OK; i++) {
		rc = verify_chain(st, ids[i], &out->v[i], err);
		if (rc == ITUI_OK && out->v[i].ok)
			rc = verify_entry_state(st, ids[i], &out->v[i], err);
		if (rc == ITUI_OK)
			out->n++;
	}
	sd_exec(st->db, "COMMIT");
	free(ids);
	if (rc != ITUI_OK)
		chain_checks_free(out);
	return rc;
}

void
chain_checks_free(struct chain_checks *c)
{
	free(c->v);
	c->v = NULL;
	c->n = 0;
}

enum itui_code
store_chain_head(struct store *st, int64_t incident_id, struct chain_head *out,
                 struct itui_err *err)
{
	out->incident_id = incident_id;
	return read_head(st->db, incident_id, &out->seq, out->hash, err);
}

enum itui_code
store_chain_hash_at(struct store *st, int64_t incident_id, int64_t seq,
                    char out[CHAIN_HASH_LEN + 1], struct itui_err *err)
{
	struct chain_checks c;
	char *sql;
	struct sd_stmt *s;
	int rc;

	out[0] = '\0';
	/* The stored hash at seq counts only if the chain up to it is whole. */
	if (store_chain_verify(st, incident_id, &c, err) != ITUI_OK)
		return err->code;
	if (c.n == 1 && !c.v[0].ok && c.v[0].bad_seq <= seq) {
		chain_checks_free(&c);
		return ITUI_OK;
	}
	chain_checks_free(&c);
	sql = xasprintf("SELECT chain_hash FROM entries WHERE incident_id = ?1"
	                " AND chain_seq = ?2 UNION ALL SELECT r.chain_hash"
	                " FROM entry_revisions r JOIN entries e ON"
	                " e.id = r.entry_id WHERE e.incident_id = ?1 AND"
	                " r.chain_seq = ?2 UNION ALL SELECT chain_hash FROM"
	                " audit WHERE coalesce(incident_id, 0) = ?1 AND"
	                " chain_seq = ?2");
	rc = sd_prepare(st->db, sql, &s);
	free(sql);
	if (rc != SD_OK)
		return sd_error(st->db, rc, "reading the chain", err);
	sd_bind_int64(s, 1, incident_id);
	sd_bind_int64(s, 2, seq);
	rc = sd_step(s);
	if (rc == SD_ROW && sd_text(s, 0) != NULL)
		snprintf(out, CHAIN_HASH_LEN + 1, "%s", sd_text(s, 0));
	return done(st->db, s, rc, err);
}

/* ---- signatures ---------------------------------------------------------- */

char *
chain_sign_message(int64_t incident_id, int64_t seq, const char *head)
{
	/*
	 * No incident number: the chain itself names no row ids, so an
	 * imported copy keeps the same chain and its signatures still hold.
	 */
	(void)incident_id;
	return xasprintf("incident-tui chain head\nseq %lld\nhash %s\n",
	                 (long long)seq, head);
}

enum itui_code
store_signature_add(struct store *st, int64_t incident_id, int64_t seq,
                    const char *head, const char *signer, const char *signature,
                    struct itui_err *err)
{
	enum itui_code rc;

	if ((rc = st_begin_on(st, incident_id, err)) != ITUI_OK)
		return rc;
	rc = st_incident_exists(st, incident_id, err);
	if (rc == ITUI_OK)
		rc = st_run(st, err, "storing the signature",
		            "INSERT INTO signatures(incident_id, seq, head,"
		            " signer, signature, signed_at)"
		            " VALUES (?, ?, ?, ?, ?, ?)",
		            "iisssi", incident_id, seq, head, signer, signature,
		            st_now(st));
	return st_end(st, rc, err);
}

enum itui_code
store_signatures(struct store *st, int64_t incident_id,
                 struct signature_list *out, struct itui_err *err)
{
	struct sd_stmt *s = st_query(
	    st, err, "reading the signatures",
	    "SELECT id, incident_id, seq, head, signer, signature, signed_at"
	    " FROM signatures WHERE incident_id = ? ORDER BY id",
	    "i", incident_id);
	size_t cap = 0;
	int rc;

	memset(out, 0, sizeof *out);
	if (s == NULL)
		return err->code;
	while ((rc = sd_step(s)) == SD_ROW) {
		struct signature *g;

		if (out->n == cap) {
			cap = cap ? cap * 2 : 4;
			out->v = xreallocarray(out->v, cap, sizeof *out->v);
		}
		g = &out->v[out->n++];
		g->id = sd_int64(s, 0);
		g->incident_id = sd_int64(s, 1);
		g->seq = sd_int64(s, 2);
		g->head = st_col_text(s, 3);
		g->signer = st_col_text(s, 4);
		g->signature = st_col_text(s, 5);
		g->signed_at = sd_int64(s, 6);
	}
	if (st_finish(st, s, rc, "reading the signatures", err) != ITUI_OK) {
		signature_list_free(out);
		return err->code;
	}
	return ITUI_OK;
}

void
signature_list_free(struct signature_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].head);
		free(l->v[i].signer);
		free(l->v[i].signature);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}
