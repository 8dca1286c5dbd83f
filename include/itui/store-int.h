/*
 * store-int.h - what the store's own files share: the handle and the
 * statement, transaction and record-keeping helpers of store.c.
 *
 * Contract: included only by src/store*.c (the layer lint keeps SQLite out
 * of every other file).  Same threading rule as store.h: one struct store
 * per thread.  A write function calls st_begin(), does its work with the
 * helpers below (each returns ITUI_OK or fills err), and ends with
 * st_end(st, rc, err), which commits on ITUI_OK and rolls back otherwise.
 * Strings from st_col_text() are the caller's to free.
 */
#ifndef ITUI_STORE_INT_H
#define ITUI_STORE_INT_H

#include <stdint.h>

#include "itui/config.h"
#include "itui/store-drv.h"
#include "itui/policy.h"
#include "itui/playbook.h"
#include "itui/store.h"

#define MAX_TEXT_BYTES  (64 * 1024)
#define MAX_TITLE_BYTES 300
#define MAX_NAME_BYTES  64
/* LIMIT for "all rows": PostgreSQL refuses SQLite's -1. */
#define ST_NO_LIMIT INT64_MAX

struct store {
	struct sd_db *db; /* the driver's connection (store-drv.h) */
	char *path;
	char *actor;
	char *origin;
	int64_t (*now)(void);
	int batch;           /* inside store_batch_begin() */
	int refire_reopens;  /* store_alerts_set_refire() */
	int64_t tx_incident; /* the incident the open change is on, or 0 */
	/* Routing for outbox rows (store-outbox.c); NULL: nothing is sent. */
	const struct policy *policy;
	const struct config *cfg;
	/* Where a level's playbook comes from (store-playbook.h). */
	enum itui_code (*playbook_fn)(void *, const char *,
	                              const struct playbook **,
	                              struct itui_err *);
	void *playbook_ctx;
	struct chain_cache *chain; /* store-chain.c's prepared statements */
	/* What the open transaction changed, for the revision st_end()
	 * records: incidents (0: something not tied to one), and whether it
	 * is one person's own (a draft, a last look) and moves nothing;
	 * touched_monitoring: alerts or sources only (st_note_monitoring). */
	int64_t *touched;
	size_t ntouched, touched_cap;
	int touched_other, touched_monitoring;
	int private_tx;
	int64_t statements; /* prepared so far (store_statements()) */
	int reading;        /* inside store_read_begin() */
};

int64_t st_now(const struct store *st);
/* TIME_NONE means now. */
int64_t st_at_or_now(const struct store *st, int64_t at);

/*
 * Bind formats: 'i' int64_t, 't' a time (TIME_NONE binds NULL), 's' a
 * string (NULL binds NULL), 'd' an int.
 */
/* Runs a statement that returns no rows. */
enum itui_code st_run(struct store *st, struct itui_err *err, const char *doing,
                      const char *sql, const char *fmt, ...);
/* Prepares a query for the caller to step; st_finish() it when done. */
struct sd_stmt *st_query(struct store *st, struct itui_err *err,
                         const char *doing, const char *sql, const char *fmt,
                         ...);
/* Finalizes a query loop; anything but SD_DONE/ROW is an error. */
enum itui_code st_finish(struct store *st, struct sd_stmt *s, int rc,
                         const char *doing, struct itui_err *err);
/*
 * Appends every row of s to the array *vp of *n elements of `size` bytes
 * (grown as needed), each zeroed and filled by read(); finishes s.  On an
 * error the rows read so far stay for the caller to free.  s may be NULL
 * (st_query failed): err is already set.
 */
enum itui_code st_fetch(struct store *st, struct sd_stmt *s, const char *doing,
                        void *vp, size_t *n, size_t size,
                        void (*read)(struct sd_stmt *, void *),
                        struct itui_err *err);
char *st_col_text(struct sd_stmt *s, int col);
int64_t st_col_time(struct sd_stmt *s, int col);

/*
 * A write transaction (nothing inside a batch); refuses read-only stores.
 * st_begin_on() waits only for other writes on that incident (PostgreSQL
 * takes its advisory lock; SQLite has one write lock anyway), or, with
 * SD_SCOPE_NEW, only for global work; st_begin() waits for every write.  Either
 * way the commit tells the others.
 */
enum itui_code st_begin_on(struct store *st, int64_t incident,
                           struct itui_err *err);
enum itui_code st_begin(struct store *st, struct itui_err *err);
/* st_begin_on() the incident of a row of `table` (entries, action_items). */
enum itui_code st_begin_row(struct store *st, const char *table, int64_t row_id,
                            struct itui_err *err);
/* Commits when rc is ITUI_OK, rolls back otherwise; returns the outcome. */
enum itui_code st_end(struct store *st, enum itui_code rc,
                      struct itui_err *err);

/* Input checks with the store's limits; `what` names the field. */
enum itui_code st_check_text(const char *what, const char *s, size_t max,
                             struct itui_err *err);
enum itui_code st_check_name(const char *what, const char *s,
                             struct itui_err *err);
/* ITUI_NOT_FOUND with "no incident INC-N" when it does not exist. */
enum itui_code st_incident_exists(struct store *st, int64_t id,
                                  struct itui_err *err);

/* Record keeping inside the caller's transaction. */
enum itui_code st_audit(struct store *st, int64_t incident_id,
                        const char *object, int64_t object_id,
                        const char *field, const char *old_value,
                        const char *new_value, struct itui_err *err);
/* Notes what the open transaction changed (0: not one incident). */
void st_note_change(struct store *st, int64_t incident_id);
/*
 * The open transaction changes alerts or sources and, unless it also
 * notes an incident, nothing else: a dashboard then reads those again, not
 * its incident list and timeline (200 webhook posts a second would have it
 * reread everything 200 times a second).
 */
void st_note_monitoring(struct store *st);
/* Marks the open transaction as one person's own: no revision moves. */
void st_private(struct store *st);
enum itui_code st_touch_incident(struct store *st, int64_t id,
                                 struct itui_err *err);
enum itui_code st_insert_entry(struct store *st, int64_t incident_id,
                               enum entry_kind kind, int64_t at,
                               const char *text, const char *data,
                               int64_t *entry_id, struct itui_err *err);
/* A typed entry recording a change of `field` from `from` to `to`. */
enum itui_code st_typed_entry(struct store *st, int64_t incident_id,
                              enum entry_kind kind, int64_t at,
                              const char *text, const char *field,
                              const char *from, const char *to,
                              struct itui_err *err);
/* The entry, refused when deleted. */
enum itui_code st_editable_entry(struct store *st, int64_t entry_id,
                                 struct entry *e, struct itui_err *err);
/* ITUI_CONFLICT naming who made the entry's current revision, and when. */
enum itui_code st_entry_conflict(struct store *st, const struct entry *e,
                                 int if_revision, struct itui_err *err);
/*
 * Attaches the alert (by id, or by key when id is 0) to the incident, with
 * an `alert` entry at `at` (store-alerts.c).
 */
enum itui_code st_alert_link(struct store *st, int64_t incident_id,
                             int64_t alert_id, const char *key, int64_t at,
                             struct itui_err *err);
enum itui_code st_request_snapshot(struct store *st, int64_t id,
                                   const char *reason, struct itui_err *err);

/* An entry from a row of ENTRY_COLUMNS. */
#define ENTRY_COLUMNS                                                         \
	"id, incident_id, at, recorded_at, author, kind, text, data, pinned," \
	" revision, deleted_at, mod_seq"
void st_read_entry(struct sd_stmt *s, struct entry *e);
/* The same, as a reader for st_fetch(); and column 0 as a string. */
void st_read_entry_row(struct sd_stmt *s, void *e);
void st_read_text_row(struct sd_stmt *s, void *out);

/*
 * Outbox rows for a change, inside the caller's transaction
 * (store-outbox.c): one per destination the incident's level names for the
 * event.  `event` is one of declared, severity, status, ack, update,
 * handoff; `detail` is a line saying what changed.  Does nothing when no
 * routing is attached.
 */
enum itui_code st_outbox_change(struct store *st, int64_t incident_id,
                                const char *event, const char *detail,
                                struct itui_err *err);
/*
 * Checklists (store-playbook.c), inside the caller's transaction: give the
 * incident its level's playbook steps; tick the steps an entry's event
 * completes and note progress for guard steps; raise a named event.
 */
enum itui_code st_checklist_level(struct store *st, int64_t id,
                                  const char *level, int64_t at,
                                  struct itui_err *err);
enum itui_code st_checklist_entry(struct store *st, int64_t id,
                                  enum entry_kind kind, const char *data,
                                  int64_t at, struct itui_err *err);
enum itui_code st_checklist_event(struct store *st, int64_t id,
                                  const char *event, int64_t at,
                                  struct itui_err *err);
/*
 * The incidents of a loaded list as one set, for reads that fetch a column
 * for all of them in one statement: `sql` is "(1,2,3)" and st_idset_find()
 * gives an id's place in the list (-1: not in it).  st_idset_free() frees.
 */
struct st_idset {
	char *sql;
	struct st_idpos *byid; /* sorted by id */
	size_t n;
};

void st_idset_init(struct st_idset *set, const struct incident *v, size_t n);
int st_idset_find(const struct st_idset *set, int64_t id);
void st_idset_free(struct st_idset *set);
/* st_query() of a statement whose one %s is the set's SQL. */
struct sd_stmt *st_query_set(struct store *st, struct itui_err *err,
                             const char *doing, const char *sql_fmt,
                             const struct st_idset *set);

/* The current phase of each incident of the set: two statements. */
enum itui_code st_checklist_phases(struct store *st, struct incident *v,
                                   const struct st_idset *set,
                                   struct itui_err *err);

#endif
