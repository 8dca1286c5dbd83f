/*
 * store-copy.c - `db copy FROM TO`: a team's whole history moved between
 * locations (SQLite to PostgreSQL, or back), every table, ids, revisions
 * and hashes kept, counts verified.
 *
 * DESIGN: driver level, both ends opened (and so migrated) to this build's
 * schema, so the columns match by name.  The destination must hold no
 * incident; it is filled in one transaction that holds the whole
 * database's lock, so a failure leaves it as it was.  PostgreSQL's identity
 * sequences are moved past the copied ids afterwards.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "itui/store-drv.h"
#include "itui/store.h"
#include "itui/strbuf.h"
#include "itui/xalloc.h"

/* Parents before children (foreign keys are checked row by row). */
static const char *const tables[] = {
    "meta",
    "incidents",
    "entries",
    "entry_revisions",
    "role_assignments",
    "action_items",
    "audit",
    "drafts",
    "sources",
    "snapshot_requests",
    "annotations",
    "last_looks",
    "handoffs",
    "outbox",
    "outbox_due",
    "checklist_sources",
    "checklist_phases",
    "checklist_steps",
    "alerts",
    "chain_heads",
    "signatures",
    "presence",
    "changes",
};
#define NTABLES (sizeof tables / sizeof tables[0])

/* Tables whose ids PostgreSQL generates (the sequence moves past them). */
static const char *const with_identity[][2] = {
    {"incidents", "id"},
    {"entries", "id"},
    {"entry_revisions", "rowid"},
    {"role_assignments", "id"},
    {"action_items", "id"},
    {"alerts", "id"},
    {"audit", "id"},
    {"snapshot_requests", "id"},
    {"handoffs", "id"},
    {"outbox", "id"},
    {"signatures", "id"},
};

static enum itui_code
count(struct sd_db *db, const char *table, int64_t *out, struct itui_err *err)
{
	char sql[128];
	struct sd_stmt *s;
	int rc;

	snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
	*out = 0;
	if ((rc = sd_prepare(db, sql, &s)) != SD_OK)
		return sd_error(db, rc, "counting rows", err);
	rc = sd_step(s);
	if (rc == SD_ROW)
		*out = sd_int64(s, 0);
	sd_finalize(s);
	if (rc != SD_ROW)
		return sd_error(db, rc, "counting rows", err);
	return ITUI_OK;
}

/* Copies one table's rows, columns by name. */
static enum itui_code
copy_table(struct sd_db *from, struct sd_db *to, const char *table,
           struct itui_err *err)
{
	char sql[160], doing[96];
	struct strbuf ins = STRBUF_INIT;
	struct sd_stmt *s = NULL, *w = NULL;
	int rc, n = 0, i;

	snprintf(doing, sizeof doing, "copying %s", table);
	/* SQLite's entry_revisions has its rowid implicit; name it. */
	snprintf(sql, sizeof sql, "SELECT %s* FROM %s",
	         from->dialect == SD_SQLITE &&
	                 strcmp(table, "entry_revisions") == 0
	             ? "rowid AS rowid, "
	             : "",
	         table);
	if ((rc = sd_prepare(from, sql, &s)) != SD_OK)
		return sd_error(from, rc, doing, err);
	while ((rc = sd_step(s)) == SD_ROW) {
		if (w == NULL) {
			n = sd_column_count(s);
			strbuf_addf(&ins, "INSERT INTO %s(", table);
			for (i = 0; i < n; i++)
				strbuf_addf(&ins, "%s%s", i ? ", " : "",
				            sd_column_name(s, i));
			strbuf_addstr(&ins, ") VALUES (");
			for (i = 0; i < n; i++)
				strbuf_addf(&ins, "%s?%d", i ? ", " : "",
				            i + 1);
			strbuf_addch(&ins, ')');
			rc = sd_prepare_keep(to, strbuf_str(&ins), &w);
			if (rc != SD_OK) {
				sd_error(to, rc, doing, err);
				goto out;
			}
		}
		for (i = 0; i < n; i++) {
			switch (sd_type(s, i)) {
			case SD_NULL:
				sd_bind_null(w, i + 1);
				break;
			case SD_INTEGER:
				sd_bind_int64(w, i + 1, sd_int64(s, i));
				break;
			default:
				sd_bind_text(w, i + 1, sd_text(s, i));
				break;
			}
		}
		rc = sd_step(w);
		sd_reset(w);
		if (rc != SD_DONE && rc != SD_ROW) {
			sd_error(to, rc, doing, err);
			goto out;
		}
	}
	if (rc != SD_DONE)
		sd_error(from, rc, doing, err);
	else
		err->code = ITUI_OK;
out:
	sd_finalize(s);
	sd_finalize(w);
	strbuf_free(&ins);
	return err->code;
}

static enum itui_code
fill(struct sd_db *from, struct sd_db *to, struct itui_err *err)
{
	size_t i;
	int rc;

	/* The new database's migration seeded what the copy brings. */
	if ((rc = sd_exec(to, "DELETE FROM changes")) != SD_OK)
		return sd_error(to, rc, "copying changes", err);
	for (i = 0; i < NTABLES; i++)
		if (copy_table(from, to, tables[i], err) != ITUI_OK)
			return err->code;
	if (to->dialect != SD_PG)
		return ITUI_OK;
	for (i = 0; i < sizeof with_identity / sizeof with_identity[0]; i++) {
		char sql[256];

		snprintf(sql, sizeof sql,
		         "SELECT setval(pg_get_serial_sequence('%s', '%s'),"
		         " coalesce(max(%s), 0) + 1, false) FROM %s",
		         with_identity[i][0], with_identity[i][1],
		         with_identity[i][1], with_identity[i][0]);
		if ((rc = sd_exec(to, sql)) != SD_OK)
			return sd_error(to, rc, "moving the id sequences", err);
	}
	return ITUI_OK;
}

enum itui_code
store_copy(const char *from_loc, const char *to_loc, FILE *report,
           struct itui_err *err)
{
	struct sd_db *from = NULL, *to = NULL;
	int64_t have = 0, a, b;
	size_t i;
	int rc;

	if (sd_open(from_loc, STORE_NOCREATE, &from, err) != ITUI_OK)
		return err->code;
	if (sd_open(to_loc, 0, &to, err) != ITUI_OK)
		goto out;
	if (count(to, "incidents", &have, err) != ITUI_OK)
		goto out;
	if (have > 0) {
		err_set(
		    err, ITUI_INPUT,
		    "the destination already holds %lld incident%s; db copy "
		    "fills only a new, empty database",
		    (long long)have, have == 1 ? "" : "s");
		goto out;
	}
	if ((rc = to->ops->begin(to, SD_SCOPE_ALL)) != SD_OK) {
		sd_error(to, rc, "starting the copy", err);
		goto out;
	}
	if (fill(from, to, err) != ITUI_OK) {
		to->ops->rollback(to);
		goto out;
	}
	if ((rc = to->ops->commit(to, 0)) != SD_OK) {
		sd_error(to, rc, "saving the copy", err);
		to->ops->rollback(to);
		goto out;
	}
	/* Every table, counted on both ends after the commit. */
	for (i = 0; i < NTABLES; i++) {
		if (count(from, tables[i], &a, err) != ITUI_OK ||
		    count(to, tables[i], &b, err) != ITUI_OK)
			goto out;
		if (a != b) {
			err_set(err, ITUI_INTERNAL,
			        "copying %s: %lld rows in the source, %lld in "
			        "the copy",
			        tables[i], (long long)a, (long long)b);
			goto out;
		}
		if (report != NULL && a > 0)
			fprintf(report, "%-18s %lld\n", tables[i],
			        (long long)a);
	}
	err->code = ITUI_OK;
out:
	sd_close(from);
	sd_close(to);
	return err->code;
}
