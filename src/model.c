/* model.c - name tables and destructors for the plain model values. */
#include <stdlib.h>
#include <string.h>

#include "itui/model.h"
#include "itui/xalloc.h"

static const char *const status_names[STATUS_COUNT] = {
    "investigating", "identified", "mitigating",
    "monitoring",    "resolved",   "closed"};
static const char *const role_names[ROLE_COUNT] = {"commander", "tech-lead",
                                                   "comms-lead", "scribe"};
static const struct {
	const char *name;
	int loggable;
} kinds[KIND_COUNT] = {
#define KIND_ROW(e, name, loggable) {name, loggable},
    ENTRY_KINDS(KIND_ROW)
#undef KIND_ROW
};
static const char *const action_state_names[ACTION_STATE_COUNT] = {
    "open", "done", "dropped"};
static const char *const horizon_names[HORIZON_COUNT] = {
    "immediate", "short-term", "long-term"};

static int
lookup(const char *const *names, int n, const char *s)
{
	int i;

	if (s == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

const char *
status_name(enum inc_status s)
{
	return (unsigned)s < STATUS_COUNT ? status_names[s] : "?";
}

int
status_parse(const char *s)
{
	return lookup(status_names, STATUS_COUNT, s);
}

int
status_parse_word(const char *s)
{
	size_t len = s != NULL ? strlen(s) : 0;
	int i, found = -1;

	if ((i = status_parse(s)) >= 0 || len == 0)
		return i;
	for (i = 0; i < STATUS_COUNT; i++)
		if (strncmp(status_names[i], s, len) == 0) {
			if (found >= 0)
				return -1;
			found = i;
		}
	return found;
}

int
status_is_active(enum inc_status s)
{
	return s < STATUS_RESOLVED;
}

const char *
role_name(enum role r)
{
	return (unsigned)r < ROLE_COUNT ? role_names[r] : "?";
}

int
role_parse(const char *s)
{
	static const struct {
		const char *alias;
		enum role role;
	} aliases[] = {{"ic", ROLE_COMMANDER},
	               {"tl", ROLE_TECH_LEAD},
	               {"comms", ROLE_COMMS_LEAD}};
	size_t i;

	for (i = 0; s != NULL && i < sizeof aliases / sizeof aliases[0]; i++)
		if (strcmp(s, aliases[i].alias) == 0)
			return (int)aliases[i].role;
	return lookup(role_names, ROLE_COUNT, s);
}

static const char *const field_names[FIELD_COUNT] = {
    "title", "service", "impact", "summary", "root-cause"};
static const char *const field_columns[FIELD_COUNT] = {
    "title", "service", "impact", "summary", "root_cause"};

const char *
field_name(enum inc_field f)
{
	return (unsigned)f < FIELD_COUNT ? field_names[f] : "?";
}

const char *
field_column(enum inc_field f)
{
	return (unsigned)f < FIELD_COUNT ? field_columns[f] : "?";
}

int
field_parse(const char *s)
{
	int i = lookup(field_names, FIELD_COUNT, s);

	return i >= 0 ? i : lookup(field_columns, FIELD_COUNT, s);
}

const char *
kind_name(enum entry_kind k)
{
	return (unsigned)k < KIND_COUNT ? kinds[k].name : "?";
}

int
kind_parse(const char *s)
{
	int i;

	for (i = 0; s != NULL && i < KIND_COUNT; i++)
		if (strcmp(kinds[i].name, s) == 0)
			return i;
	return -1;
}

int
kind_loggable(enum entry_kind k)
{
	return (unsigned)k < KIND_COUNT && kinds[k].loggable;
}

const char *
action_state_name(enum action_state s)
{
	return (unsigned)s < ACTION_STATE_COUNT ? action_state_names[s] : "?";
}

int
action_state_parse(const char *s)
{
	return lookup(action_state_names, ACTION_STATE_COUNT, s);
}

const char *
horizon_name(enum action_horizon h)
{
	return (unsigned)h < HORIZON_COUNT ? horizon_names[h] : "?";
}

int
horizon_parse(const char *s)
{
	return lookup(horizon_names, HORIZON_COUNT, s);
}

void
incident_free(struct incident *inc)
{
	size_t i;

	if (inc == NULL)
		return;
	free(inc->title);
	free(inc->severity);
	free(inc->service);
	free(inc->impact);
	free(inc->summary);
	free(inc->root_cause);
	free(inc->alert_key);
	free(inc->declared_by);
	for (i = 0; i < ROLE_COUNT; i++)
		free(inc->roles[i]);
	for (i = 0; i < inc->nchanges; i++) {
		free((char *)(uintptr_t)inc->changes[i].from);
		free((char *)(uintptr_t)inc->changes[i].to);
	}
	free(inc->changes);
	free(inc->phase);
	memset(inc, 0, sizeof *inc);
}

/* What incident_free() frees, this copies: keep the two together. */
void
incident_copy(struct incident *dst, const struct incident *src)
{
	size_t i;

	*dst = *src;
	dst->title = xstrdup_or_null(src->title);
	dst->severity = xstrdup_or_null(src->severity);
	dst->service = xstrdup_or_null(src->service);
	dst->impact = xstrdup_or_null(src->impact);
	dst->summary = xstrdup_or_null(src->summary);
	dst->root_cause = xstrdup_or_null(src->root_cause);
	dst->alert_key = xstrdup_or_null(src->alert_key);
	dst->declared_by = xstrdup_or_null(src->declared_by);
	for (i = 0; i < ROLE_COUNT; i++)
		dst->roles[i] = xstrdup_or_null(src->roles[i]);
	dst->changes = NULL;
	if (src->nchanges > 0) {
		dst->changes = xcalloc(src->nchanges, sizeof *dst->changes);
		for (i = 0; i < src->nchanges; i++) {
			dst->changes[i].at = src->changes[i].at;
			dst->changes[i].from =
			    xstrdup_or_null(src->changes[i].from);
			dst->changes[i].to =
			    xstrdup_or_null(src->changes[i].to);
		}
	}
	dst->phase = xstrdup_or_null(src->phase);
}

void
incident_list_free(struct incident_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		incident_free(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

void
entry_free(struct entry *e)
{
	free(e->author);
	free(e->text);
	free(e->data);
	memset(e, 0, sizeof *e);
}

void
entry_list_free(struct entry_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		entry_free(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* Timeline order: event time, then the order of writing. */
static int
entry_before(const struct entry *a, const struct entry *b)
{
	return a->at < b->at || (a->at == b->at && a->id < b->id);
}

int64_t
entry_list_newest_change(const struct entry_list *l)
{
	int64_t seq = 0;
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i].change_seq > seq)
			seq = l->v[i].change_seq;
	return seq;
}

int64_t
entry_list_merge(struct entry_list *l, struct entry_list *changed)
{
	int64_t seq = entry_list_newest_change(l);
	size_t i, j, at;

	for (i = 0; i < changed->n; i++) {
		struct entry *c = &changed->v[i];

		if (c->change_seq > seq)
			seq = c->change_seq;
		for (j = 0; j < l->n; j++)
			if (l->v[j].id == c->id) {
				entry_free(&l->v[j]);
				memmove(l->v + j, l->v + j + 1,
				        (l->n - j - 1) * sizeof *l->v);
				l->n--;
				break;
			}
		/* Deleted, or older than a partial window begins: not shown. */
		if (c->deleted_at != TIME_NONE ||
		    (l->more && (l->n == 0 || entry_before(c, &l->v[0])))) {
			entry_free(c);
			continue;
		}
		for (at = l->n; at > 0 && entry_before(c, &l->v[at - 1]); at--)
			;
		l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
		memmove(l->v + at + 1, l->v + at, (l->n - at) * sizeof *l->v);
		l->v[at] = *c;
		l->n++;
	}
	free(changed->v);
	changed->v = NULL;
	changed->n = 0;
	return seq;
}

void
action_list_free(struct action_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].text);
		free(l->v[i].owner);
		free(l->v[i].created_by);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

void
audit_list_free(struct audit_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].actor);
		free(l->v[i].origin);
		free(l->v[i].db_role);
		free(l->v[i].object);
		free(l->v[i].field);
		free(l->v[i].old_value);
		free(l->v[i].new_value);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

void
incident_clock_input(const struct incident *inc, struct clock_input *in)
{
	in->severity = inc->severity;
	in->declared_at = inc->declared_at;
	in->acknowledged_at = inc->acknowledged_at;
	in->resolved_at = inc->resolved_at;
	in->closed_at = inc->closed_at;
	in->last_comms_at = inc->last_comms_at;
	in->escalations = inc->escalations;
	in->changes = inc->changes;
	in->nchanges = inc->nchanges;
}

int
entry_is_late(const struct entry *e)
{
	return e->recorded_at - e->at > 120;
}

static int
incident_order(const void *x, const void *y, void *policy)
{
	const struct incident *a = x, *b = y;
	const struct policy *p = policy;
	int aa = status_is_active(a->status), ba = status_is_active(b->status);
	int ar, br;

	if (aa != ba)
		return ba - aa;
	if (!aa) {
		if (a->declared_at != b->declared_at)
			return a->declared_at < b->declared_at ? 1 : -1;
		return a->id < b->id ? 1 : -1;
	}
	ar = policy_rank(p, a->severity);
	br = policy_rank(p, b->severity);
	ar = ar < 0 ? POLICY_MAX_LEVELS : ar;
	br = br < 0 ? POLICY_MAX_LEVELS : br;
	if (ar != br)
		return ar - br;
	if (a->declared_at != b->declared_at)
		return a->declared_at < b->declared_at ? -1 : 1;
	return a->id < b->id ? -1 : 1;
}

void
incident_list_sort(struct incident_list *l, const struct policy *p)
{
	if (l->n > 1)
		qsort_r(l->v, l->n, sizeof *l->v, incident_order,
		        (void *)(uintptr_t)p);
}

void
incident_phase_clock(const struct incident *inc, int64_t now,
                     struct sla_clock *out)
{
	memset(out, 0, sizeof *out);
	out->kind = CLOCK_PHASE;
	out->state = CLOCK_NONE;
	out->start = out->due = out->stopped_at = TIME_NONE;
	if (inc->phase_due != TIME_NONE && inc->phase_start != TIME_NONE &&
	    inc->resolved_at == TIME_NONE && inc->phase_due != 0)
		clocks_judge(out, inc->phase_start, inc->phase_due, TIME_NONE,
		             now);
}
