/* jsonout.c - builds the --json documents from model values. */
#include <stdlib.h>
#include <string.h>

#include "itui/alertview.h"
#include "itui/jsonout.h"
#include "itui/store.h"
#include "itui/sanitize.h"
#include "itui/textout.h"
#include "itui/timeutil.h"

/* Stored text may hold invalid UTF-8; JSON may not. */
static json_t *
jstr(const char *s)
{
	json_t *j = json_string(s);
	char *fixed;

	if (j != NULL)
		return j;
	fixed = utf8_repair(s);
	j = json_string(fixed);
	free(fixed);
	return j;
}

static json_t *
str_or_null(const char *s)
{
	return s != NULL ? jstr(s) : json_null();
}

json_t *
jsonout_time(int64_t t)
{
	char buf[TIME_BUF];

	if (t == TIME_NONE)
		return json_null();
	return json_string(time_format_iso(t, buf));
}

json_t *
jsonout_clock(const struct sla_clock *c)
{
	json_t *o = json_object();
	char text[TEXTOUT_CLOCK_BUF];

	json_object_set_new(o, "name", json_string(clock_kind_name(c->kind)));
	json_object_set_new(o, "state",
	                    json_string(clock_state_name(c->state)));
	json_object_set_new(o, "start", jsonout_time(c->start));
	json_object_set_new(o, "due", jsonout_time(c->due));
	json_object_set_new(o, "stopped_at", jsonout_time(c->stopped_at));
	json_object_set_new(o, "remaining_seconds", json_integer(c->remaining));
	json_object_set_new(o, "text",
	                    json_string(textout_clock(c, text, sizeof text)));
	return o;
}

json_t *
jsonout_clocks(const struct sla_clock c[CLOCK_KIND_COUNT])
{
	json_t *arr = json_array();
	int i;

	for (i = 0; i < CLOCK_KIND_COUNT; i++) {
		json_t *o;

		if (c[i].state == CLOCK_NONE)
			continue;
		o = jsonout_clock(&c[i]);
		if (c[i].kind == CLOCK_ESCALATE) {
			json_object_set_new(o, "tier", json_integer(c[i].tier));
			json_object_set_new(o, "to", str_or_null(c[i].tier_to));
		}
		json_array_append_new(arr, o);
	}
	return arr;
}

json_t *
jsonout_incident(const struct incident *inc, const struct policy *p,
                 int64_t now)
{
	struct sla_clock clocks[CLOCK_KIND_COUNT], phase;
	struct clock_input in;
	const struct sla_clock *urgent;
	json_t *o = json_object(), *roles = json_object(), *ca;
	char ref[32];
	int i;

	snprintf(ref, sizeof ref, "INC-%lld", (long long)inc->id);
	json_object_set_new(o, "id", json_integer(inc->id));
	json_object_set_new(o, "ref", json_string(ref));
	json_object_set_new(o, "title", jstr(inc->title));
	json_object_set_new(o, "severity", jstr(inc->severity));
	json_object_set_new(o, "status", json_string(status_name(inc->status)));
	json_object_set_new(o, "active",
	                    json_boolean(status_is_active(inc->status)));
	json_object_set_new(o, "service", str_or_null(inc->service));
	json_object_set_new(o, "impact", str_or_null(inc->impact));
	json_object_set_new(o, "summary", str_or_null(inc->summary));
	json_object_set_new(o, "root_cause", str_or_null(inc->root_cause));
	json_object_set_new(o, "drill", json_boolean(inc->drill));
	json_object_set_new(o, "alert_key", str_or_null(inc->alert_key));
	json_object_set_new(o, "declared_by", str_or_null(inc->declared_by));
	json_object_set_new(o, "declared_at", jsonout_time(inc->declared_at));
	json_object_set_new(o, "detected_at", jsonout_time(inc->detected_at));
	json_object_set_new(o, "acknowledged_at",
	                    jsonout_time(inc->acknowledged_at));
	json_object_set_new(o, "mitigated_at", jsonout_time(inc->mitigated_at));
	json_object_set_new(o, "resolved_at", jsonout_time(inc->resolved_at));
	json_object_set_new(o, "closed_at", jsonout_time(inc->closed_at));
	json_object_set_new(o, "updated_at", jsonout_time(inc->updated_at));
	for (i = 0; i < ROLE_COUNT; i++)
		json_object_set_new(roles, role_name((enum role)i),
		                    str_or_null(inc->roles[i]));
	json_object_set_new(o, "roles", roles);
	incident_clock_input(inc, &in);
	clocks_compute(p, &in, now, clocks);
	incident_phase_clock(inc, now, &phase);
	urgent = clocks_most_urgent_with(clocks, &phase, 1);
	ca = jsonout_clocks(clocks);
	/* The playbook phase's time box, when one runs. */
	if (phase.state != CLOCK_NONE) {
		json_t *po = jsonout_clock(&phase);

		json_object_set_new(po, "phase", str_or_null(inc->phase));
		json_array_append_new(ca, po);
	}
	json_object_set_new(o, "clocks", ca);
	json_object_set_new(o, "most_urgent_clock",
	                    urgent ? json_string(clock_kind_name(urgent->kind))
	                           : json_null());
	return o;
}

json_t *
jsonout_entry(const struct entry *e)
{
	json_t *o = json_object(), *data = NULL;

	json_object_set_new(o, "id", json_integer(e->id));
	json_object_set_new(o, "at", jsonout_time(e->at));
	json_object_set_new(o, "recorded_at", jsonout_time(e->recorded_at));
	json_object_set_new(o, "late", json_boolean(entry_is_late(e)));
	json_object_set_new(o, "author", jstr(e->author));
	json_object_set_new(o, "kind", json_string(kind_name(e->kind)));
	json_object_set_new(o, "text", jstr(e->text));
	if (e->data != NULL)
		data = json_loads(e->data, JSON_DECODE_ANY, NULL);
	json_object_set_new(o, "data", data != NULL ? data : json_null());
	json_object_set_new(o, "pinned", json_boolean(e->pinned));
	json_object_set_new(o, "revision", json_integer(e->revision));
	return o;
}

json_t *
jsonout_action(const struct action_item *a, int64_t now)
{
	json_t *o = json_object();
	char ref[32];

	snprintf(ref, sizeof ref, "ACT-%lld", (long long)a->id);
	json_object_set_new(o, "id", json_integer(a->id));
	json_object_set_new(o, "ref", json_string(ref));
	json_object_set_new(o, "incident_id", json_integer(a->incident_id));
	json_object_set_new(o, "text", jstr(a->text));
	json_object_set_new(o, "owner", str_or_null(a->owner));
	json_object_set_new(o, "due_at", jsonout_time(a->due_at));
	json_object_set_new(o, "overdue",
	                    json_boolean(a->state == ACTION_OPEN &&
	                                 a->due_at != TIME_NONE &&
	                                 a->due_at < now));
	json_object_set_new(o, "horizon",
	                    json_string(horizon_name(a->horizon)));
	json_object_set_new(o, "state",
	                    json_string(action_state_name(a->state)));
	json_object_set_new(o, "created_at", jsonout_time(a->created_at));
	json_object_set_new(o, "created_by", str_or_null(a->created_by));
	return o;
}

json_t *
jsonout_audit(const struct audit_row *a)
{
	json_t *o = json_object();

	json_object_set_new(o, "id", json_integer(a->id));
	json_object_set_new(o, "at", jsonout_time(a->at));
	json_object_set_new(o, "actor", str_or_null(a->actor));
	json_object_set_new(o, "origin", str_or_null(a->origin));
	json_object_set_new(o, "db_role", str_or_null(a->db_role));
	json_object_set_new(o, "incident_id", json_integer(a->incident_id));
	json_object_set_new(o, "object", str_or_null(a->object));
	json_object_set_new(o, "object_id", json_integer(a->object_id));
	json_object_set_new(o, "field", str_or_null(a->field));
	json_object_set_new(o, "old", str_or_null(a->old_value));
	json_object_set_new(o, "new", str_or_null(a->new_value));
	return o;
}

int
jsonout_print(json_t *root, FILE *f)
{
	if (json_dumpf(root, f, JSON_INDENT(2) | JSON_ENSURE_ASCII) != 0)
		return -1;
	return fputc('\n', f) == EOF ? -1 : 0;
}

json_t *
jsonout_alert(const struct alert_row *r)
{
	json_t *o = json_object(), *j;
	char ref[32];

	snprintf(ref, sizeof ref, "AL-%lld", (long long)r->id);
	json_object_set_new(o, "id", json_integer(r->id));
	json_object_set_new(o, "ref", json_string(ref));
	json_object_set_new(o, "name", json_string(r->name));
	json_object_set_new(o, "summary",
	                    r->summary ? json_string(r->summary) : json_null());
	json_object_set_new(o, "severity",
	                    r->severity ? json_string(r->severity)
	                                : json_null());
	j = json_loads(r->labels, 0, NULL);
	json_object_set_new(o, "labels", j ? j : json_object());
	j = r->annotations ? json_loads(r->annotations, 0, NULL) : NULL;
	json_object_set_new(o, "annotations", j ? j : json_object());
	json_object_set_new(o, "since", jsonout_time(r->since));
	json_object_set_new(o, "incident_id",
	                    r->incident_id ? json_integer(r->incident_id)
	                                   : json_null());
	json_object_set_new(o, "state", json_string(alertview_state(r)));
	json_object_set_new(o, "suppressed", json_boolean(r->suppressed));
	json_object_set_new(o, "fingerprint", str_or_null(r->fingerprint));
	json_object_set_new(o, "am_state", str_or_null(r->am_state));
	json_object_set_new(o, "silenced_by", str_or_null(r->silenced_by));
	json_object_set_new(o, "inhibited_by", str_or_null(r->inhibited_by));
	json_object_set_new(o, "group_key", str_or_null(r->group_key));
	json_object_set_new(o, "generator_url", str_or_null(r->generator_url));
	json_object_set_new(o, "external_url", str_or_null(r->external_url));
	json_object_set_new(o, "silence_id", str_or_null(r->silence_id));
	return o;
}
