/*
 * store.h - the incident store: every read and write of incidents, timeline
 * entries, roles, action items, alerts and the audit trail.
 *
 * Contract: the only module that speaks SQL (over store-drv.h); this
 * header carries no SQLite types, so another backend could stand behind it.
 * A struct store is one connection and belongs to one thread (the interface
 * and the poller each open their own).  Every write is one committed
 * transaction begun IMMEDIATE, with its audit rows and its typed timeline
 * entry inside it: either all of a change is stored or none of it.  Output
 * structs are filled in for the caller, who frees them with the model.h
 * destructors.  Validation of names against the policy is the caller's job;
 * the store checks that records exist and that values are well formed.
 */
#ifndef ITUI_STORE_H
#define ITUI_STORE_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#include "itui/err.h"
#include "itui/model.h"

struct store;

enum {
	STORE_READONLY = 1 << 0, /* never write */
	STORE_NOCREATE = 1 << 1, /* a missing file is an error */
};

enum itui_code store_open(const char *path, unsigned flags, struct store **out,
                          struct itui_err *err);
void store_close(struct store *st);
int store_is_readonly(const struct store *st);
/* Why a read-only store is: "read-only" (no write access), "disk full"
 * (opened for reading because its disk is full) or "standby" (a
 * PostgreSQL standby server). */
const char *store_readonly_why(const struct store *st);
/* ITUI_OK, or the one line a write would fail with (read-only, disk full). */
enum itui_code store_check_writable(struct store *st, struct itui_err *err);
const char *store_path(const struct store *st);

/*
 * For a shared (group-writable) database: the chmod/chgrp commands that let
 * every group member in, or "" when nothing needs fixing.
 */
void store_permission_advice(const char *path, char *buf, size_t size);

/* Who is acting, recorded on every change (origin: "local", "ssh 10.1.2.3"). */
void store_set_actor(struct store *st, const char *user, const char *origin);
/*
 * How long a write on this connection waits for the write lock (SQLite's
 * busy timeout, PostgreSQL's lock_timeout) before it fails with ITUI_BUSY,
 * changing nothing.  Commands wait DB_BUSY_TIMEOUT_MS (10 s); the
 * dashboard no longer than a frame, and tries again on a later turn.
 */
void store_set_wait(struct store *st, int ms);
/*
 * 0 when the files beside the database this connection uses (SQLite's
 * -wal and -shm) were removed, replaced, cut short or made immutable since
 * it opened: it must not be used again (the next read may be a SIGBUS, a
 * write may go where nobody reads it).  Always 1 on PostgreSQL.
 */
int store_files_intact(struct store *st);
/* The clock for recorded times; tests pin it. NULL restores time(). */
void store_set_clock(struct store *st, int64_t (*now)(void));

/*
 * Changes whenever another connection (another process or our own poller)
 * commits; not for this connection's own commits.
 */
enum itui_code store_data_version(struct store *st, int64_t *out,
                                  struct itui_err *err);
/* Statements this connection has prepared: what a test holds a reload to. */
int64_t store_statements(const struct store *st);
/*
 * Several reads as one: every statement until store_read_end() sees the
 * same committed state (a dashboard's list and its detail agree), and
 * SQLite takes its read lock once instead of once per statement.  A write
 * begun in between ends the read first.  A read that cannot begin is no
 * error: the statements then run each on its own.
 */
void store_read_begin(struct store *st);
void store_read_end(struct store *st);
/*
 * The record's revision: moves with every committed change of the record
 * (by anyone, this connection included), never with a draft, a last look
 * or a presence row.  So a data_version that moved with the same revision
 * means only such private rows changed.
 */
enum itui_code store_revision(struct store *st, int64_t *out,
                              struct itui_err *err);
/*
 * What changed after revision `since`: the incidents (ids, ascending;
 * free() *ids), *other set when something not tied to one incident changed
 * too (outbox, settings...), *monitoring when alerts or sources did.  *now
 * is the revision read.
 */
enum itui_code store_changes(struct store *st, int64_t since, int64_t **ids,
                             size_t *n, int *other, int *monitoring,
                             int64_t *now, struct itui_err *err);

/*
 * The database server's clock (Unix seconds) in *out, for showing how far
 * this host's clock is from the one that records times; 0 without a
 * query when the database has no clock of its own (SQLite: a file on this
 * host, whose times are this host's).
 */
/*
 * 1 when the database is a PostgreSQL standby (read-only), with the time
 * of the last commit it replayed in *as_of (0 when unknown): what it shows
 * is the primary's data as of then.  0 otherwise, without a query.
 */
int store_standby(struct store *st, int64_t *as_of);
enum itui_code store_server_time(struct store *st, int64_t *out,
                                 struct itui_err *err);

/*
 * The change hint for a location, for the interface's poll(): inotify on
 * an SQLite file's DB.wake, touched after each commit, or a connection
 * LISTENing on PostgreSQL.  A hint only: store_data_version() decides.
 * store_watch_open() never fails (fd -1: the slow re-check still works).
 * Main thread.
 *
 * store_watch_drain() reads what is pending: STORE_WATCH_COMMIT when a
 * commit was announced, STORE_WATCH_LATE (SQLite with DB.wake only) when
 * the database's files were written by someone, perhaps a writer that
 * does not announce its commits.  A commit of this build makes many such
 * writes: after one, hold them back (store_watch_hold(w, 1)) for a few
 * hundred ms, then let them come again and check the data version.
 * Without DB.wake the writes are STORE_WATCH_COMMIT, and may come before
 * the commit is visible: re-check briefly.
 */
/*
 * One holder per database for a job ("poller", "deliver"): 1 when this
 * connection holds the job's lease, taking it when free; 0 when another
 * process holds it.  It is kept until the store closes or the process
 * dies: an flock() on DB.JOB.lock beside an SQLite file (never the
 * database itself), a session advisory lock on PostgreSQL.
 */
int store_lease(struct store *st, const char *job);

/*
 * PostgreSQL: the group roles itui_writer (may change the record) and
 * itui_reader (may read it), made or brought up to date with their grants
 * (needs the owner, and CREATEROLE the first time).  SQLite: nothing.
 */
enum itui_code store_init_roles(struct store *st, struct itui_err *err);

/* The schema version this build writes. */
int store_schema_version(void);
/*
 * Copies every table of the database at `from` into the new, empty one at
 * `to` (created or migrated first): ids, revisions and hashes kept, in one
 * transaction, then every table's rows counted on both ends; a line per
 * non-empty table goes to report (may be NULL).
 */
enum itui_code store_copy(const char *from, const char *to, FILE *report,
                          struct itui_err *err);

struct store_watch;
struct store_watch *store_watch_open(const char *location);
enum { STORE_WATCH_COMMIT = 1, STORE_WATCH_LATE = 2 };
int store_watch_fd(const struct store_watch *w);
int store_watch_drain(struct store_watch *w);
void store_watch_hold(struct store_watch *w, int hold);
void store_watch_close(struct store_watch *w);

struct incident_new {
	const char *title;
	const char *severity;
	const char *service;
	const char *impact;
	const char *commander;
	const char *alert_key; /* the alert's key, or NULL; see alert_id */
	int64_t at;            /* when it was declared; TIME_NONE for now */
	int drill;
	int64_t alert_id; /* AL-N to declare from (wins over alert_key) */
};

enum itui_code store_incident_declare(struct store *st,
                                      const struct incident_new *in,
                                      int64_t *id, struct itui_err *err);
enum itui_code store_incident_get(struct store *st, int64_t id,
                                  struct incident *out, struct itui_err *err);
/*
 * Active incidents, or all with `all` (active ones first, then the newest),
 * at most `limit` of them (0: no limit).  The caller sorts for display.
 */
enum itui_code store_incident_list(struct store *st, int all, int limit,
                                   struct incident_list *out,
                                   struct itui_err *err);
/* The first acknowledgement; *already is set when it was acknowledged. */
enum itui_code store_incident_ack(struct store *st, int64_t id, int64_t at,
                                  int *already, struct itui_err *err);
enum itui_code store_incident_set_status(struct store *st, int64_t id,
                                         enum inc_status status, int64_t at,
                                         struct itui_err *err);
enum itui_code store_incident_set_severity(struct store *st, int64_t id,
                                           const char *level, int64_t at,
                                           struct itui_err *err);

enum itui_code store_role_assign(struct store *st, int64_t id, enum role role,
                                 const char *person, int64_t at,
                                 struct itui_err *err);
enum itui_code store_role_unassign(struct store *st, int64_t id, enum role role,
                                   int64_t at, struct itui_err *err);

/* Appends an entry; `data` is JSON text or NULL. */
enum itui_code store_entry_add(struct store *st, int64_t incident_id,
                               enum entry_kind kind, int64_t at,
                               const char *text, const char *data,
                               int64_t *entry_id, struct itui_err *err);
/* Replaces text/kind/at, keeping the old version in the revision history. */
enum itui_code store_entry_edit(struct store *st, int64_t entry_id,
                                enum entry_kind kind, int64_t at,
                                const char *text, struct itui_err *err);
/*
 * The same, refused with ITUI_CONFLICT (naming who changed it, and when)
 * unless the entry is still at revision `if_revision` (0: no check), so
 * nobody's edit is overwritten unseen.
 */
enum itui_code store_entry_edit_rev(struct store *st, int64_t entry_id,
                                    enum entry_kind kind, int64_t at,
                                    const char *text, int if_revision,
                                    struct itui_err *err);
/* Brings a deleted entry back. */
enum itui_code store_entry_restore(struct store *st, int64_t entry_id,
                                   struct itui_err *err);
/* An entry's earlier texts, oldest first (revision, at, kind, text, by). */
enum itui_code store_entry_revisions(struct store *st, int64_t entry_id,
                                     struct entry_list *out,
                                     struct itui_err *err);
/*
 * Appends an entry and, in the same transaction, removes `draft_user`'s
 * draft for the incident (the text that was typed is now logged).
 */
enum itui_code store_entry_add_draft(struct store *st, int64_t incident_id,
                                     enum entry_kind kind, int64_t at,
                                     const char *text, const char *data,
                                     const char *draft_user, int64_t *entry_id,
                                     struct itui_err *err);
/*
 * Sets a field that may change after the declaration (title, service,
 * impact, summary, root cause; NULL or "" clears all but the title), with
 * the old and new value audited and a system entry on the timeline.  With
 * if_revision >= 0 it is refused (ITUI_CONFLICT) when the incident's fields
 * changed since that revision (store_incident_revision); -1: no check.
 */
enum itui_code store_incident_set_field(struct store *st, int64_t id,
                                        enum inc_field field, const char *value,
                                        int64_t if_revision,
                                        struct itui_err *err);
/* How many times the incident's fields were changed (0: never). */
enum itui_code store_incident_revision(struct store *st, int64_t id,
                                       int64_t *rev, struct itui_err *err);
enum itui_code store_entry_set_pinned(struct store *st, int64_t entry_id,
                                      int pinned, struct itui_err *err);
/* Soft delete: hidden from timelines, kept with its history. */
enum itui_code store_entry_delete(struct store *st, int64_t entry_id,
                                  struct itui_err *err);
enum itui_code store_entry_get(struct store *st, int64_t entry_id,
                               struct entry *out, struct itui_err *err);
/*
 * The newest `limit` visible entries (0: all) in event-time order, oldest
 * first; out->more says whether older ones exist.  With before_id > 0 the
 * page ends just before the entry (before_at, before_id): keyset paging.
 */
enum itui_code store_timeline(struct store *st, int64_t incident_id,
                              int64_t before_at, int64_t before_id, int limit,
                              struct entry_list *out, struct itui_err *err);
/*
 * The incident's entries that changed after change count `since` (an
 * entry's change_seq): added, edited, pinned, deleted (deleted_at set) or
 * restored, in the order they changed.  What a timeline already read needs
 * to be current (entry_list_merge()).
 */
enum itui_code store_timeline_changes(struct store *st, int64_t incident_id,
                                      int64_t since, struct entry_list *out,
                                      struct itui_err *err);

enum itui_code store_action_add(struct store *st, int64_t incident_id,
                                const char *text, const char *owner,
                                int64_t due_at, enum action_horizon horizon,
                                int64_t *action_id, struct itui_err *err);
enum itui_code store_action_set_state(struct store *st, int64_t action_id,
                                      enum action_state state,
                                      struct itui_err *err);
/* incident_id 0: every incident; open_only: state open. */
enum itui_code store_actions(struct store *st, int64_t incident_id,
                             int open_only, struct action_list *out,
                             struct itui_err *err);

enum itui_code store_audit(struct store *st, int64_t incident_id,
                           struct audit_list *out, struct itui_err *err);

/*
 * The unsent text a person was typing for an incident, kept across crashes
 * and dropped SSH sessions.  Saving empty text removes the draft.
 */
enum itui_code store_draft_save(struct store *st, const char *user,
                                int64_t incident_id, enum entry_kind kind,
                                const char *text, struct itui_err *err);
/* The person's newest draft; *text is NULL when there is none. */
enum itui_code store_draft_load(struct store *st, const char *user,
                                int64_t *incident_id, enum entry_kind *kind,
                                char **text, struct itui_err *err);

/* Names seen before (role holders, action owners), for completion. */
enum itui_code store_people(struct store *st, char ***names, size_t *n,
                            struct itui_err *err);

/* ---- metrics: alerts, source health, snapshots, annotations ---- */

/*
 * An alert as a source reports it.  `key` is its identity: the sorted label
 * set minus the [alerts] ignore_labels (external and replica labels), so the
 * same alert through Prometheus and Alertmanager is one row; Alertmanager's
 * `fingerprint`, where known, is matched first.  am_state is Alertmanager's
 * view (active, suppressed, unprocessed) or NULL when no Alertmanager said.
 */
struct alert_in {
	const char *key;
	const char *fingerprint;
	const char *name;
	const char *summary;
	const char *severity;
	const char *labels;
	const char *annotations;
	const char *source; /* "poll", "webhook", "grafana-webhook" */
	const char *am_state;
	const char *silenced_by; /* silence ids, comma-separated, or NULL */
	const char *inhibited_by;
	const char *group_key;
	const char *external_url;
	const char *generator_url;
	int64_t since;
	int64_t ends_at; /* TIME_NONE when open-ended */
	int resolved;    /* a push notification saying it resolved */
};

struct alert_row {
	int64_t id; /* shown as AL-N; stable (not a rowid) */
	char *key, *name, *summary, *severity, *labels, *annotations, *source;
	char *fingerprint, *am_state, *silenced_by, *inhibited_by, *group_key;
	char *external_url, *generator_url, *silence_id;
	int64_t since, last_seen, resolved_at, incident_id, ends_at;
	int firing;     /* not resolved (may still be suppressed) */
	int suppressed; /* Alertmanager says silenced or inhibited */
	int rank;       /* severity rank: 0 critical ... 4 unknown */
};

struct alert_rows {
	struct alert_row *v;
	size_t n;
};

/*
 * One polling round's alerts.  New ones are added, known ones refreshed
 * (Alertmanager's state kept: a silenced alert stays firing, suppressed);
 * with `complete` (every source answered) the others are marked resolved.
 * An active incident an alert belongs to gets an `alert` entry when it
 * resolves, fires again, or becomes suppressed or active again; a re-fire
 * after its incident was resolved follows store_alerts_set_refire().  *changed
 * counts the alerts that changed.  One transaction; any failing step rolls the
 * whole round back.
 */
enum itui_code store_alerts_sync(struct store *st, const struct alert_in *v,
                                 size_t n, int complete, int *changed,
                                 struct itui_err *err);
/*
 * What a re-fire does to the incident it belonged to once that incident
 * is resolved ([alerts] refire): 0 (new, the default) detaches the alert,
 * which is then offered for a new incident, and writes nothing on the
 * resolved one; 1 (reopen) sets a resolved incident back to investigating
 * with an entry saying why.  A closed incident is never reopened.
 */
void store_alerts_set_refire(struct store *st, int reopen);
/*
 * One pushed notification (Alertmanager or Grafana webhook): firing alerts
 * are added or refreshed, `resolved` ones resolved; nothing else changes.
 */
enum itui_code store_alerts_push(struct store *st, const struct alert_in *v,
                                 size_t n, int *changed, struct itui_err *err);
/*
 * Firing alerts (or all), with no cap: ordered by severity rank (critical
 * first), active before suppressed, then newest first.
 */
/*
 * How many alerts fire on no incident (silenced and inhibited ones left
 * out: someone already decided about those), for the top bar.
 */
enum itui_code store_alerts_loose(struct store *st, int *n,
                                  struct itui_err *err);
enum itui_code store_alerts(struct store *st, int firing_only,
                            struct alert_rows *out, struct itui_err *err);
/* One alert by id; ITUI_NOTFOUND names AL-N. */
enum itui_code store_alert_get(struct store *st, int64_t id,
                               struct alert_rows *out, struct itui_err *err);
/* Attaches an alert to an existing incident, with an `alert` entry. */
enum itui_code store_alert_attach(struct store *st, int64_t alert_id,
                                  int64_t incident_id, struct itui_err *err);
/*
 * Records the Alertmanager silence we created for an alert (silence_id), or
 * its expiry (NULL), with an entry on its incident naming who and for how
 * long (`what`).
 */
enum itui_code store_alert_silence(struct store *st, int64_t alert_id,
                                   const char *silence_id, const char *what,
                                   struct itui_err *err);
void alert_rows_free(struct alert_rows *l);
/* Severity label to rank (0 critical/page ... 3 info, 4 unknown). */
int alert_severity_rank(const char *severity);

struct source_row {
	char *name;
	int ok;
	char *detail;
	int64_t checked_at, down_since;
};

/* What a source's state is, for store_source_set(). */
enum source_state {
	SOURCE_OK = 1,
	SOURCE_DOWN = 0,   /* an outage: a monitoring gap on the record */
	SOURCE_DENIED = 2, /* 401/403: not an outage, shown, not logged */
};

/*
 * A monitoring source's health.  When it goes down or comes back, every
 * active incident gets one `system` entry saying so (a gap in monitoring is
 * on the record once, with when it ended).  A permission problem
 * (SOURCE_DENIED) is recorded without a gap entry.  *changed is set on a
 * transition.  One transaction; a failing step rolls it all back.
 */
enum itui_code store_source_set(struct store *st, const char *name, int ok,
                                const char *detail, int *changed,
                                struct itui_err *err);
enum itui_code store_sources(struct store *st, struct source_row **v, size_t *n,
                             struct itui_err *err);
void source_rows_free(struct source_row *v, size_t n);

/* Asks for a metrics snapshot of an incident (the poller takes it). */
enum itui_code store_snapshot_request(struct store *st, int64_t incident_id,
                                      const char *reason, struct itui_err *err);
/*
 * Takes the pending requests (marking them done): incidents to snapshot now,
 * plus active incidents whose newest snapshot is older than `every` seconds
 * (0: none).  Requests older than `max_age` are dropped, not taken: a
 * snapshot long after the event would mislead.
 */
enum itui_code store_snapshot_due(struct store *st, int64_t every,
                                  int64_t max_age, int64_t **ids, size_t *n,
                                  struct itui_err *err);

struct annotation_job {
	int64_t entry_id;
	int64_t incident_id;
	int64_t at;
	char *text;
	char *severity;
	int closes_region; /* the resolution: stretch the declaration */
	int64_t declared_at;
	int64_t region_grafana_id; /* the declaration's annotation, or 0 */
};

/* Declarations, status and severity changes not yet sent to Grafana. */
enum itui_code store_annotations_pending(struct store *st, int64_t since,
                                         struct annotation_job **v, size_t *n,
                                         struct itui_err *err);
void annotation_jobs_free(struct annotation_job *v, size_t n);
enum itui_code store_annotation_done(struct store *st, int64_t entry_id,
                                     int64_t incident_id, int64_t grafana_id,
                                     const char *error, struct itui_err *err);

/* ---- handoffs ---- */

/* When the person last looked at the handoff (TIME_NONE: never). */
enum itui_code store_last_look(struct store *st, const char *user, int64_t *at,
                               struct itui_err *err);
enum itui_code store_set_last_look(struct store *st, const char *user,
                                   int64_t at, struct itui_err *err);
/* Entries recorded since `since`, across incidents, oldest first. */
enum itui_code store_changes_since(struct store *st, int64_t since, int limit,
                                   struct entry_list *out,
                                   struct itui_err *err);
/*
 * Records a handoff: a row in the handoff history and a `handoff` entry on
 * every active incident, in one transaction.  *incidents counts them.
 * With `move`, every role the actor holds on those incidents passes to
 * `to` in the same transaction; *moved counts the roles.
 */
enum itui_code store_handoff_record(struct store *st, const char *to,
                                    const char *note, int move, int *incidents,
                                    int *moved, struct itui_err *err);

struct handoff_row {
	int64_t id, at;
	char *from, *note; /* note: NULL when none was given */
};
struct handoff_list {
	struct handoff_row *v;
	size_t n;
};
/* Handoffs to `user` from `since` on, newest first (at most 20). */
enum itui_code store_handoffs_to(struct store *st, const char *user,
                                 int64_t since, struct handoff_list *out,
                                 struct itui_err *err);
void handoff_list_free(struct handoff_list *l);

/* Changes an action item's text, owner or due date (NULL/TIME_NONE: keep). */
enum itui_code store_action_edit(struct store *st, int64_t action_id,
                                 const char *text, const char *owner,
                                 int64_t due_at, struct itui_err *err);

/* A key/value in the meta table ("demo" marks a demonstration database). */
enum itui_code store_meta_get(struct store *st, const char *key, char **value,
                              struct itui_err *err);
enum itui_code store_meta_set(struct store *st, const char *key,
                              const char *value, struct itui_err *err);

/* Groups several store writes into one transaction (used by `demo`). */
enum itui_code store_batch_begin(struct store *st, struct itui_err *err);
enum itui_code store_batch_end(struct store *st, int commit,
                               struct itui_err *err);

#endif
