/*
 * store-edit.c - changes made after the fact: incident fields set after the
 * declaration, entries restored, edits that carry the revision they started
 * from, and an entry logged together with the removal of its draft.
 *
 * DESIGN: an edit that names the revision it started from re-reads that
 * revision under the write lock; when someone else moved it on, nothing is
 * written and the error names who did and when, so the person decides with
 * both texts in front of them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "itui/store-int.h"
#include "itui/timeutil.h"
#include "itui/xalloc.h"

enum itui_code
st_entry_conflict(struct store *st, const struct entry *e, int if_revision,
                  struct itui_err *err)
{
	struct sd_stmt *s =
	    st_query(st, err, "reading the entry's history",
	             "SELECT replaced_by, replaced_at FROM entry_revisions"
	             " WHERE entry_id = ? ORDER BY revision DESC LIMIT 1",
	             "i", e->id);
	char *who = NULL, t[TIME_BUF] = "";
	int64_t when = TIME_NONE;

	if (s == NULL)
		return err->code;
	if (sd_step(s) == SD_ROW) {
		who = st_col_text(s, 0);
		when = st_col_time(s, 1);
	}
	sd_finalize(s);
	if (when != TIME_NONE)
		time_format_iso(when, t);
	err_set(err, ITUI_CONFLICT,
	        "entry %lld was changed by %s at %s (now revision %d; yours "
	        "started from %d): nothing was changed",
	        (long long)e->id, who ? who : "someone", t[0] ? t : "?",
	        e->revision, if_revision);
	free(who);
	return ITUI_CONFLICT;
}

enum itui_code
store_entry_restore(struct store *st, int64_t entry_id, struct itui_err *err)
{
	struct entry e;
	enum itui_code rc;

	if ((rc = st_begin_row(st, "entries", entry_id, err)) != ITUI_OK)
		return rc;
	if ((rc = store_entry_get(st, entry_id, &e, err)) != ITUI_OK)
		return st_end(st, rc, err);
	if (e.deleted_at == TIME_NONE) {
		rc = err_set(err, ITUI_INPUT,
		             "timeline entry %lld is not deleted",
		             (long long)entry_id);
		entry_free(&e);
		return st_end(st, rc, err);
	}
	rc = st_run(st, err, "restoring the entry",
	            "UPDATE entries SET deleted_at = NULL, deleted_by = NULL"
	            " WHERE id = ?",
	            "i", entry_id);
	if (rc == ITUI_OK)
		rc = st_audit(st, e.incident_id, "entry", entry_id, "restored",
		              NULL, e.text, err);
	if (rc == ITUI_OK)
		rc = st_touch_incident(st, e.incident_id, err);
	entry_free(&e);
	return st_end(st, rc, err);
}

enum itui_code
store_entry_revisions(struct store *st, int64_t entry_id,
                      struct entry_list *out, struct itui_err *err)
{
	struct sd_stmt *s = st_query(
	    st, err, "reading the entry's history",
	    "SELECT revision, at, kind, text, replaced_by, replaced_at"
	    " FROM entry_revisions WHERE entry_id = ? ORDER BY revision",
	    "i", entry_id);
	size_t cap = 0;
	int rc;

	memset(out, 0, sizeof *out);
	if (s == NULL)
		return err->code;
	while ((rc = sd_step(s)) == SD_ROW) {
		struct entry *e;
		char *kind;
		int k;

		if (out->n == cap)
			out->v = xreallocarray(out->v, cap = cap ? cap * 2 : 4,
			                       sizeof *out->v);
		e = &out->v[out->n++];
		memset(e, 0, sizeof *e);
		e->id = entry_id;
		e->revision = sd_int(s, 0);
		e->at = st_col_time(s, 1);
		kind = st_col_text(s, 2);
		k = kind_parse(kind);
		e->kind = k >= 0 ? (enum entry_kind)k : KIND_NOTE;
		free(kind);
		e->text = st_col_text(s, 3);
		/* Who replaced this text, and when: the next revision's. */
		e->author = st_col_text(s, 4);
		e->recorded_at = st_col_time(s, 5);
		e->deleted_at = TIME_NONE;
	}
	rc = st_finish(st, s, rc, "reading the entry's history", err);
	if (rc != ITUI_OK)
		entry_list_free(out);
	return rc;
}

enum itui_code
store_entry_add_draft(struct store *st, int64_t incident_id,
                      enum entry_kind kind, int64_t at, const char *text,
                      const char *data, const char *draft_user,
                      int64_t *entry_id, struct itui_err *err)
{
	enum itui_code rc;

	if (draft_user == NULL)
		return store_entry_add(st, incident_id, kind, at, text, data,
		                       entry_id, err);
	if ((rc = st_begin_on(st, incident_id, err)) != ITUI_OK)
		return rc;
	st->batch++;
	rc = store_entry_add(st, incident_id, kind, at, text, data, entry_id,
	                     err);
	st->batch--;
	if (rc == ITUI_OK)
		rc = st_run(st, err, "removing the draft",
		            "DELETE FROM drafts WHERE user = ? AND"
		            " incident_id = ?",
		            "si", draft_user, incident_id);
	return st_end(st, rc, err);
}

enum itui_code
store_incident_revision(struct store *st, int64_t id, int64_t *rev,
                        struct itui_err *err)
{
	struct sd_stmt *s =
	    st_query(st, err, "reading the incident's revision",
	             "SELECT count(*) FROM audit WHERE incident_id = ? AND"
	             " object = 'incident' AND object_id = ? AND field IN"
	             " ('title', 'service', 'impact', 'summary', 'root-cause')",
	             "ii", id, id);
	int rc;

	if (s == NULL)
		return err->code;
	rc = sd_step(s);
	*rev = rc == SD_ROW ? sd_int64(s, 0) : 0;
	return st_finish(st, s, rc, "reading the incident's revision", err);
}

/* Who made the incident's newest field change, for a refused edit. */
static enum itui_code
field_conflict(struct store *st, int64_t id, int64_t rev, int64_t if_revision,
               struct itui_err *err)
{
	struct sd_stmt *s = st_query(
	    st, err, "reading the audit trail",
	    "SELECT actor, at, field FROM audit WHERE incident_id = ? AND"
	    " object = 'incident' AND field IN ('title', 'service', 'impact',"
	    " 'summary', 'root-cause') ORDER BY id DESC LIMIT 1",
	    "i", id);
	char *who = NULL, *field = NULL, t[TIME_BUF] = "?";

	if (s == NULL)
		return err->code;
	if (sd_step(s) == SD_ROW) {
		who = st_col_text(s, 0);
		time_format_iso(sd_int64(s, 1), t);
		field = st_col_text(s, 2);
	}
	sd_finalize(s);
	err_set(err, ITUI_CONFLICT,
	        "INC-%lld was changed by %s at %s (%s; now revision %lld, "
	        "yours started from %lld): nothing was changed",
	        (long long)id, who ? who : "someone", t,
	        field ? field : "a field", (long long)rev,
	        (long long)if_revision);
	free(who);
	free(field);
	return ITUI_CONFLICT;
}

enum itui_code
store_incident_set_field(struct store *st, int64_t id, enum inc_field field,
                         const char *value, int64_t if_revision,
                         struct itui_err *err)
{
	const char *col = field_column(field), *name = field_name(field);
	size_t max = field == FIELD_TITLE || field == FIELD_SERVICE
	                 ? MAX_TITLE_BYTES
	                 : MAX_TEXT_BYTES;
	char *sql, *old = NULL, *text;
	struct sd_stmt *s;
	int64_t rev;
	enum itui_code rc;

	if ((unsigned)field >= FIELD_COUNT)
		return err_set(err, ITUI_INPUT, "unknown field");
	if (value != NULL && *value == '\0')
		value = NULL;
	if (field == FIELD_TITLE && value == NULL)
		return err_set(err, ITUI_INPUT, "the title cannot be empty");
	if (value != NULL && (field == FIELD_TITLE || field == FIELD_SERVICE) &&
	    strpbrk(value, "\r\n") != NULL)
		return err_set(err, ITUI_INPUT, "the %s must be one line",
		               name);
	if (value != NULL && st_check_text(name, value, max, err) != ITUI_OK)
		return err->code;
	if ((rc = st_begin_on(st, id, err)) != ITUI_OK)
		return rc;
	if ((rc = st_incident_exists(st, id, err)) != ITUI_OK)
		return st_end(st, rc, err);
	if ((rc = store_incident_revision(st, id, &rev, err)) != ITUI_OK)
		return st_end(st, rc, err);
	if (if_revision >= 0 && rev != if_revision)
		return st_end(st, field_conflict(st, id, rev, if_revision, err),
		              err);
	/* col comes from a fixed table, never from the caller's text. */
	sql = xasprintf("SELECT %s FROM incidents WHERE id = ?", col);
	s = st_query(st, err, "reading the incident", sql, "i", id);
	free(sql);
	if (s == NULL)
		return st_end(st, err->code, err);
	if (sd_step(s) == SD_ROW)
		old = st_col_text(s, 0);
	sd_finalize(s);
	if ((old == NULL && value == NULL) ||
	    (old != NULL && value != NULL && strcmp(old, value) == 0)) {
		free(old);
		return st_end(st, ITUI_OK, err);
	}
	sql = xasprintf("UPDATE incidents SET %s = ?, updated_at = ?"
	                " WHERE id = ?",
	                col);
	rc = st_run(st, err, "changing the incident", sql, "sii", value,
	            st_now(st), id);
	free(sql);
	if (rc == ITUI_OK)
		rc = st_audit(st, id, "incident", id, name, old, value, err);
	text = value != NULL
	           ? xasprintf("%c%s set: %s", name[0] - 32, name + 1, value)
	           : xasprintf("%c%s cleared", name[0] - 32, name + 1);
	if (rc == ITUI_OK)
		rc = st_typed_entry(st, id, KIND_SYSTEM, st_now(st), text, name,
		                    old, value, err);
	free(text);
	free(old);
	return st_end(st, rc, err);
}
