/*
 * model.h - the plain values the store returns and the interface draws:
 * incidents, timeline entries, action items, audit rows, and the name tables
 * for statuses, roles, entry kinds and action states.
 *
 * Contract: these structs own their strings; each *_free() releases what a
 * store call filled in (the struct itself belongs to the caller).  Name tables
 * are static and may be read from any thread.  Times are Unix seconds, with
 * TIME_NONE (clocks.h) for "has not happened".
 */
#ifndef ITUI_MODEL_H
#define ITUI_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "itui/clocks.h"

enum inc_status {
	STATUS_INVESTIGATING,
	STATUS_IDENTIFIED,
	STATUS_MITIGATING,
	STATUS_MONITORING,
	STATUS_RESOLVED,
	STATUS_CLOSED,
	STATUS_COUNT
};

enum role {
	ROLE_COMMANDER,
	ROLE_TECH_LEAD,
	ROLE_COMMS_LEAD,
	ROLE_SCRIBE,
	ROLE_COUNT
};

/* X(enum suffix, name, may a person log it directly?) */
#define ENTRY_KINDS(X)                 \
	X(NOTE, "note", 1)             \
	X(DECISION, "decision", 1)     \
	X(ACTION, "action", 1)         \
	X(STATUS, "status", 0)         \
	X(SEVERITY, "severity", 0)     \
	X(ROLE, "role", 0)             \
	X(COMMS, "comms", 1)           \
	X(METRIC, "metric", 0)         \
	X(ALERT, "alert", 0)           \
	X(ESCALATION, "escalation", 1) \
	X(HANDOFF, "handoff", 1)       \
	X(SYSTEM, "system", 0)         \
	X(CHECKLIST, "checklist", 0)

enum entry_kind {
#define KIND_ENUM(e, name, loggable) KIND_##e,
	ENTRY_KINDS(KIND_ENUM)
#undef KIND_ENUM
	    KIND_COUNT
};

/* Incident fields that can change after the declaration. */
enum inc_field {
	FIELD_TITLE,
	FIELD_SERVICE,
	FIELD_IMPACT,
	FIELD_SUMMARY,
	FIELD_ROOT_CAUSE,
	FIELD_COUNT
};

enum action_state {
	ACTION_OPEN,
	ACTION_DONE,
	ACTION_DROPPED,
	ACTION_STATE_COUNT
};
enum action_horizon {
	HORIZON_IMMEDIATE,
	HORIZON_SHORT_TERM,
	HORIZON_LONG_TERM,
	HORIZON_COUNT
};

const char *status_name(enum inc_status s);
/* -1 when unknown. */
int status_parse(const char *s);
/* As a person types it: the name or a prefix of one only ("mon"). */
int status_parse_word(const char *s);
int status_is_active(enum inc_status s);
const char *role_name(enum role r);
/* Accepts the aliases ic, tl and comms; -1 when unknown. */
int role_parse(const char *s);
const char *kind_name(enum entry_kind k);
int kind_parse(const char *s);
int kind_loggable(enum entry_kind k);
/* "root-cause"; field_parse also takes "root_cause"; -1 when unknown. */
const char *field_name(enum inc_field f);
int field_parse(const char *s);
/* The column in the store ("root_cause"). */
const char *field_column(enum inc_field f);
const char *action_state_name(enum action_state s);
int action_state_parse(const char *s);
const char *horizon_name(enum action_horizon h);
int horizon_parse(const char *s);

struct incident {
	int64_t id;
	char *title;
	char *severity;
	enum inc_status status;
	char *service;
	char *impact;
	char *summary;
	char *root_cause;
	char *alert_key;
	char *declared_by;
	int drill;
	int64_t declared_at, detected_at, acknowledged_at, mitigated_at;
	int64_t resolved_at, closed_at, recorded_at, updated_at;
	char *roles[ROLE_COUNT]; /* current holders, NULL when unfilled */
	/* What the clocks need beyond the fields above. */
	int64_t last_comms_at;
	int escalations;
	struct sev_change *changes;
	size_t nchanges;
	/* The playbook's current phase (TIME_NONE/NULL: none, or untimed). */
	char *phase;
	int64_t phase_start, phase_due;
};

struct incident_list {
	struct incident *v;
	size_t n;
};

struct entry {
	int64_t id;
	int64_t incident_id;
	int64_t at;
	int64_t recorded_at;
	char *author;
	enum entry_kind kind;
	char *text;
	char *data; /* JSON text or NULL */
	int pinned;
	int revision;
	int64_t deleted_at;
	/* The incident's timeline change count when this row last changed
	 * (store_timeline_changes()). */
	int64_t change_seq;
};

struct entry_list {
	struct entry *v;
	size_t n;
	int more; /* older entries exist beyond the page */
};

struct action_item {
	int64_t id;
	int64_t incident_id;
	char *text;
	char *owner;
	int64_t due_at;
	enum action_horizon horizon;
	enum action_state state;
	int64_t created_at;
	char *created_by;
};

struct action_list {
	struct action_item *v;
	size_t n;
};

struct audit_row {
	int64_t id;
	int64_t at;
	char *actor;
	char *origin;
	char *db_role; /* PostgreSQL's session_user; NULL on SQLite */
	int64_t incident_id;
	char *object;
	int64_t object_id;
	char *field;
	char *old_value;
	char *new_value;
};

struct audit_list {
	struct audit_row *v;
	size_t n;
};

void incident_free(struct incident *inc);
/* A deep copy, for incident_free() to free. */
void incident_copy(struct incident *dst, const struct incident *src);
void incident_list_free(struct incident_list *l);
void entry_free(struct entry *e);
void entry_list_free(struct entry_list *l);
/* The newest change_seq among l's entries (0: none). */
int64_t entry_list_newest_change(const struct entry_list *l);
/*
 * Brings a timeline up to date with the entries that changed since it was
 * read (store_timeline_changes()), taking them over: replaced where shown,
 * removed when deleted, placed in time order otherwise, unless a partial
 * page (more set) begins after them.  Returns the newest change_seq seen,
 * for the next "since".
 */
int64_t entry_list_merge(struct entry_list *l, struct entry_list *changed);
void action_list_free(struct action_list *l);
void audit_list_free(struct audit_list *l);

/* Active first, by severity (policy order) then oldest; then the rest, newest
 * first. */
void incident_list_sort(struct incident_list *l, const struct policy *p);
/* The clock input for an incident (pointers into inc). */
void incident_clock_input(const struct incident *inc, struct clock_input *in);
/* The current phase's clock (kind CLOCK_PHASE; CLOCK_NONE when none runs). */
void incident_phase_clock(const struct incident *inc, int64_t now,
                          struct sla_clock *out);
/* An entry was written more than two minutes after the moment it records. */
int entry_is_late(const struct entry *e);

#endif
