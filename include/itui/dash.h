/*
 * dash.h - the dashboard's model: what the interface draws, and the one way
 * it changes anything (the verb layer).
 *
 * Contract: main thread only; no curses.  dash_reload() loads a fresh
 * snapshot (incident list, the shown incident with its timeline window,
 * action items and newest metric summary) and finds the selection again by
 * id, so a reload never moves the cursor.  When another person's change
 * takes the shown incident off the list, it stays in the list marked
 * (d->gone_id, d->gone_why: "resolved by dave") until the person moves
 * away: an action never silently lands on another incident.
 * dash_changed() asks the store whether another connection committed since
 * the last load; dash_run() reloads after a verb that writes.  Strings in
 * the snapshot belong to the dash until the next reload; a struct
 * dash_result's `out` is the caller's to free.
 */
#ifndef ITUI_DASH_H
#define ITUI_DASH_H

#include <stdint.h>

#include "itui/checklist.h"
#include "itui/cmd.h"
#include "itui/context.h"
#include "itui/model.h"
#include "itui/presence.h"
#include "itui/metricentry.h"
#include "itui/spark.h"

#define DASH_LIST_LIMIT      1000 /* resolved incidents shown at most */
#define DASH_TIMELINE_WINDOW 400
/*
 * A write from the dashboard waits at most this for the write lock (a
 * frame), then fails with ITUI_BUSY and changes nothing; the interface
 * keeps the text and tries again on a later turn.
 */
#define DASH_WRITE_WAIT_MS 16

struct dash {
	struct context *ctx;
	struct store *st;
	const struct policy *policy;
	int show_resolved;
	struct incident_list incidents;
	int64_t sel_id;  /* the shown incident, 0 when none */
	int64_t gone_id; /* the shown incident another change took away */
	char gone_why[160];
	struct incident detail;
	int have_detail;
	int64_t field_revision; /* of the shown incident's fields */
	struct entry_list timeline;
	int timeline_window;
	int64_t timeline_seq; /* its newest change_seq, 0: read it whole */
	struct action_list actions;
	struct checklist checklist; /* the shown incident's, computed */
	int have_checklist;
	struct source_row *sources; /* metrics sources' health */
	size_t nsources;
	int loose_alerts; /* firing, on no incident, not silenced */
	/* The newest metric entry of the timeline, parsed once per load. */
	int64_t metric_id;
	struct metric_summary metric;
	int64_t data_version;
	int64_t revision;  /* store_revision() at the last load */
	int private_moved; /* only private rows changed since (presence) */
	/* Who else has the database open (presence.h). */
	char session[96];
	struct presence_tracker presence;
	struct presence_list people;
	int64_t people_at; /* when people was read, 0: never */
	int64_t loads;     /* how many times a snapshot was loaded */
	/* This host's clock minus the database server's (PostgreSQL), in
	 * seconds, as last measured (time(NULL) in skew_at, 0: never). */
	int64_t skew;
	int64_t skew_at;
	/* A PostgreSQL standby: the last replayed commit's time, as of the
	 * last load (0: not a standby, or not known). */
	int standby;
	int64_t standby_as_of;
};

/* The top bar names the skew past this many seconds either way. */
#define DASH_SKEW_SHOWN 2
/* How often the server's clock is read again, in seconds. */
#define DASH_SKEW_EVERY 60

enum itui_code dash_open(struct dash *d, struct context *ctx,
                         struct itui_err *err);
/* A write's wait for the lock: DASH_WRITE_WAIT_MS, or 0 while it is known
 * to be held (the interface's retries). */
void dash_write_wait(struct dash *d, int ms);
/* 0 when the database's -wal or -shm went from under the dashboard
 * (store_files_intact()): it must stop without touching the store. */
int dash_files_intact(struct dash *d);
void dash_close(struct dash *d);
enum itui_code dash_reload(struct dash *d, struct itui_err *err);
/*
 * 1 when another connection changed the record since the last load, 0
 * when not (a draft, last look or presence row of someone else sets
 * private_moved instead), -1 when the database could not be asked.
 */
int dash_changed(struct dash *d);
int dash_readonly(const struct dash *d);
/*
 * Measures the skew between `now` (the dashboard's clock) and the database
 * server's, at most once every DASH_SKEW_EVERY seconds of `wall` (time()):
 * 1 when what the top bar says of it changed.  Nothing on SQLite.
 */
int dash_skew_check(struct dash *d, int64_t now, int64_t wall);
/* "clock 30s ahead of the server" into buf, or "" within DASH_SKEW_SHOWN. */
void dash_skew_text(const struct dash *d, char *buf, size_t size);
/* The top bar's word for a read-only dashboard: "read-only" or "disk full". */
const char *dash_readonly_state(const struct dash *d);
/* The one line a write would be refused with ("" when it would not be). */
void dash_write_refusal(struct dash *d, char *buf, size_t size);
/* The database as the top bar names it: a file's name, or a PostgreSQL
 * location without its password (store_path()). */
const char *dash_location(const struct dash *d);

/* Index of the shown incident in d->incidents, or -1. */
int dash_sel_index(const struct dash *d);
/* Shows the incident at an index of the list (and drops a gone one). */
enum itui_code dash_select(struct dash *d, int index, struct itui_err *err);
enum itui_code dash_select_id(struct dash *d, int64_t id, struct itui_err *err);
/* Loads older timeline entries into the window; 0 when there were none. */
int dash_load_older(struct dash *d, struct itui_err *err);

/* ---- changes: every one through the verb layer ---------------------- */

struct dash_result {
	enum itui_code rc;
	char msg[512]; /* the error, the verb's note, or its one-line output */
	int error;
	char *out;    /* everything the verb printed */
	int lines;    /* how many lines it printed */
	int64_t made; /* what it created */
};

/*
 * Runs a verb from words (the verb's name first) as the person who sees
 * `seen`; its output is captured.  Returns res->rc.
 */
enum itui_code dash_run(struct dash *d, const char *const *words,
                        const struct cmd_seen *seen, const char *stdin_text,
                        struct dash_result *res);
/*
 * A `:` line: "status monitoring", "impact EU checkout down", "sev P1".
 * Words are split as a shell would; a leading field name means `set`.
 */
enum itui_code dash_run_line(struct dash *d, const char *line,
                             const struct cmd_seen *seen,
                             struct dash_result *res);
void dash_result_free(struct dash_result *res);

/*
 * Logs what was typed into the input line (grammar in entryparse.h) on
 * `incident`: an entry of `kind`, an action item for "TODO:", or, with
 * edit_id > 0, a new text for that entry carrying the revision the edit
 * started from (refused with ITUI_CONFLICT when someone else changed it).
 * The person's draft for the incident goes in the same transaction.
 */
enum itui_code dash_log(struct dash *d, int64_t incident, const char *line,
                        enum entry_kind kind, int64_t edit_id, int edit_rev,
                        struct dash_result *res);
/*
 * The same with the leading time already resolved (and confirmed) as `at`,
 * or TIME_NONE to let the verb read the line's own leading time.
 */
enum itui_code dash_log_at(struct dash *d, int64_t incident, const char *line,
                           enum entry_kind kind, int64_t edit_id, int edit_rev,
                           int64_t at, struct dash_result *res);

/* ---- presence --------------------------------------------------------- */

/*
 * Once a loop turn: writes this dashboard's row when what it shows changed
 * (the incident, typing or not, the terminal's size) or a heartbeat is due,
 * and re-reads the others when someone's row moved (d->private_moved) or
 * every PRESENCE_REFRESH seconds.  Never a reload.  Returns 1 when the list
 * of others changed (redraw).  A read-only database or a failed write is
 * skipped quietly: presence is no part of the record.
 */
int dash_presence_update(struct dash *d, int64_t incident, int typing, int cols,
                         int rows, int64_t now);
/*
 * The others as one line of at most width columns (presence_line()): all
 * of them for incident 0 (the top bar), else those on that incident, with
 * the roles they hold on the shown one (the roster).
 */
char *dash_presence_line(const struct dash *d, int64_t incident, size_t width);

/* ---- what the overlays read ----------------------------------------- */

enum itui_code dash_alerts(struct dash *d, struct alert_rows *out,
                           struct itui_err *err);
/* Every action item of an incident (open and closed). */
enum itui_code dash_actions(struct dash *d, int64_t incident,
                            struct action_list *out, struct itui_err *err);
enum itui_code dash_entry(struct dash *d, int64_t entry_id, struct entry *out,
                          struct itui_err *err);
enum itui_code dash_entry_revisions(struct dash *d, int64_t entry_id,
                                    struct entry_list *out,
                                    struct itui_err *err);
/* Names seen before, for completion; free with dash_people_free(). */
void dash_people(struct dash *d, char ***names, size_t *n);
void dash_people_free(char **names, size_t n);
/* The person's unsent text for an incident; empty text removes it. */
enum itui_code dash_draft_save(struct dash *d, int64_t incident,
                               enum entry_kind kind, const char *text,
                               struct itui_err *err);
/* The person's newest draft; *text is NULL when there is none. */
enum itui_code dash_draft_load(struct dash *d, int64_t *incident,
                               enum entry_kind *kind, char **text,
                               struct itui_err *err);
/* Takes the text of a report verb ("handoff", "stats") for the pager. */
char *dash_report(struct dash *d, const char *const *words,
                  struct itui_err *err);

/* The shown incident's checklist computed for `now` (0 when it has none). */
int dash_checklist_now(struct dash *d, int64_t now);

/* The roles the acting person holds on the shown incident. */
void dash_my_roles(const struct dash *d, char *buf, size_t size);

/*
 * Finds the next item after `from` (wrapping) whose text contains `needle`
 * (case-insensitive): in the timeline when in_timeline, else in the list.
 * Returns the index or -1.
 */
int dash_search(const struct dash *d, int in_timeline, int from,
                const char *needle);
/* The same backwards (step -1) or forwards (step 1). */
int dash_search_step(const struct dash *d, int in_timeline, int from, int step,
                     const char *needle);
/* Whether item i (of the timeline or the list) contains needle. */
int dash_matches(const struct dash *d, int in_timeline, int i,
                 const char *needle);

#endif
