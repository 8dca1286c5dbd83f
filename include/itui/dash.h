/*
 * dash.h - the dashboard's model: what the interface draws, and the changes
 * a person makes from it.
 *
 * Contract: main thread only; no curses.  dash_reload() loads a fresh
 * snapshot (incident list, the selected incident with its timeline window
 * and action items) and finds the selection again by id, so a reload never
 * moves the cursor.  dash_changed() asks the store whether another
 * connection committed since the last load (PRAGMA data_version); our own
 * writes call dash_reload() themselves.  Strings in the snapshot belong to
 * the dash until the next reload.
 */
#ifndef ITUI_DASH_H
#define ITUI_DASH_H

#include <stdint.h>

#include "itui/context.h"
#include "itui/model.h"

#define DASH_LIST_LIMIT      1000 /* resolved incidents shown at most */
#define DASH_TIMELINE_WINDOW 400

struct dash {
	struct context *ctx;
	struct store *st;
	const struct policy *policy;
	int show_resolved;
	struct incident_list incidents;
	int64_t sel_id; /* selected incident, 0 when none */
	struct incident detail;
	int have_detail;
	struct entry_list timeline;
	int timeline_window;
	struct action_list actions;
	struct source_row *sources; /* metrics sources' health */
	size_t nsources;
	int64_t data_version;
	int64_t loads; /* how many times a snapshot was loaded */
};

enum itui_code dash_open(struct dash *d, struct context *ctx,
                         struct itui_err *err);
void dash_close(struct dash *d);
enum itui_code dash_reload(struct dash *d, struct itui_err *err);
/*
 * 1 when another connection committed since the last load, 0 when not, -1
 * when the database could not be asked (offline).
 */
int dash_changed(struct dash *d);

/* Index of the selected incident in d->incidents, or -1. */
int dash_sel_index(const struct dash *d);
/* Selects by index in the list and loads its detail. */
enum itui_code dash_select(struct dash *d, int index, struct itui_err *err);
enum itui_code dash_select_id(struct dash *d, int64_t id, struct itui_err *err);
/* Loads older timeline entries into the window; 0 when there were none. */
int dash_load_older(struct dash *d, struct itui_err *err);

/*
 * Logs the typed line (grammar in entryparse.h) to the selected incident:
 * an entry of `kind`, or an action item for "TODO:".  When edit_id > 0 the
 * line replaces that entry's text instead (a leading HH:MM moves it).
 */
enum itui_code dash_log(struct dash *d, const char *line, enum entry_kind kind,
                        int64_t edit_id, struct itui_err *err);

/* Runs a `:` command line ("status monitoring", "assign ic alice", ...). */
enum itui_code dash_command(struct dash *d, const char *line, char *msg,
                            size_t msglen, struct itui_err *err);

/* The roles the acting person holds on the selected incident: "commander,
 * scribe". */
void dash_my_roles(const struct dash *d, char *buf, size_t size);

/*
 * Finds the next item after `from` (wrapping) whose text contains `needle`
 * (case-insensitive): in the timeline when in_timeline, else in the list.
 * Returns the index or -1.
 */
int dash_search(const struct dash *d, int in_timeline, int from,
                const char *needle);

#endif
