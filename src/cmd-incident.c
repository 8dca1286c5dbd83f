/*
 * cmd-incident.c - the verbs that declare incidents, read them, and change
 * their status, severity, roles and fields.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "itui/alertview.h"
#include "itui/cmd-incident.h"
#include "itui/bounds.h"
#include "itui/cmd-playbook.h"
#include "itui/store-playbook.h"
#include "itui/jsonout.h"
#include "itui/strbuf.h"
#include "itui/textout.h"
#include "itui/timeutil.h"
#include "itui/xalloc.h"

#define OPT_AT                                                             \
	{                                                                  \
		"--at", "TIME", "when it happened (HH:MM, -15m, ISO 8601)" \
	}
#define OPT_JSON                                                \
	{                                                       \
		"--json", NULL, "print JSON (see docs/json.md)" \
	}

/* [severity-map]: the alert's severity label to a policy level. */
static const char *
mapped_severity(const struct context *ctx, const char *label)
{
	size_t i;

	for (i = 0; label != NULL && i < ctx->cfg.nseverity_map; i++)
		if (strcmp(ctx->cfg.severity_map[i].key, label) == 0)
			return ctx->cfg.severity_map[i].value;
	return NULL;
}

/* The alert named AL-N (or N); *found points into *rows. */
static enum itui_code
find_alert(struct store *st, const char *ref, struct alert_rows *rows,
           const struct alert_row **found, struct itui_err *err)
{
	int64_t id;

	if (cmd_parse_id(ref, "AL", &id, err))
		return err_set(
		    err, ITUI_USAGE,
		    "bad alert id '%s' (AL-N, as incident-tui alerts shows)",
		    ref);
	/* By id: every alert is found, however many are firing. */
	if (store_alert_get(st, id, rows, err) != ITUI_OK)
		return err->code;
	*found = &rows->v[0];
	return ITUI_OK;
}

static enum itui_code
cmd_declare(struct cmd_q *q, struct itui_err *err)
{
	struct context *ctx = q->ctx;
	struct incident_new in = {0};
	struct store *st;
	int64_t id;

	struct alert_rows alerts = {NULL, 0};
	const char *sev = cmd_opt(q, "--severity"),
	           *title = cmd_opt(q, "--title");
	char title_buf[TITLE_CUT + 8], *service_buf = NULL;
	enum itui_code rc;

	if (cmd_opt(q, "--alert") != NULL) {
		const struct alert_row *al = NULL;

		if (cmd_store(q, 1, &st, err) ||
		    find_alert(st, cmd_opt(q, "--alert"), &alerts, &al, err))
			return err->code;
		if (title == NULL)
			title = al->summary ? al->summary : al->name;
		if (sev == NULL)
			sev = mapped_severity(ctx, al->severity);
		if (sev == NULL) {
			rc = err_set(
			    err, ITUI_USAGE,
			    "alert %s has severity '%s', which [severity-map] "
			    "does not map; give --severity",
			    cmd_opt(q, "--alert"),
			    al->severity ? al->severity : "");
			alert_rows_free(&alerts);
			return rc;
		}
		in.alert_id = al->id;
		service_buf = alertview_service(&ctx->cfg, al);
		in.service = service_buf;
		if (cmd_opt(q, "--title") == NULL) {
			/* A long summary: cut at a word, whole in the impact.
			 */
			if (alertview_title(al->summary ? al->summary
			                                : al->name,
			                    title_buf, sizeof title_buf))
				in.impact = al->summary;
			/* A title is one line, whatever the alert says. */
			for (char *c = title_buf; *c != '\0'; c++)
				if ((unsigned char)*c < ' ' || *c == 0x7f)
					*c = ' ';
			title = title_buf;
		}
	}
	if (sev == NULL || title == NULL) {
		alert_rows_free(&alerts);
		free(service_buf);
		return err_set(err, ITUI_USAGE, "%s is required",
		               sev == NULL ? "--severity LEVEL"
		                           : "--title TEXT");
	}
	if (cmd_parse_level(q, sev, &in.severity, err) ||
	    cmd_parse_at(q, &in.at, err)) {
		alert_rows_free(&alerts);
		free(service_buf);
		return err->code;
	}
	in.title = title;
	if (cmd_opt(q, "--service") != NULL || in.service == NULL)
		in.service = cmd_opt(q, "--service");
	if (cmd_opt(q, "--impact") != NULL || in.impact == NULL)
		in.impact = cmd_opt(q, "--impact");
	in.commander = cmd_opt(q, "--commander");
	in.drill = cmd_opt(q, "--drill") != NULL;
	if (bounds_line("--title", in.title, BOUND_TITLE, err) ||
	    bounds_line("--service", in.service, BOUND_SERVICE, err) ||
	    bounds_text("--impact", in.impact, BOUND_IMPACT, err) ||
	    (in.commander != NULL &&
	     bounds_name("--commander", in.commander, err))) {
		alert_rows_free(&alerts);
		free(service_buf);
		return err->code;
	}
	rc = cmd_store(q, 1, &st, err);
	if (rc == ITUI_OK)
		rc = store_incident_declare(st, &in, &id, err);
	alert_rows_free(&alerts);
	free(service_buf);
	if (rc != ITUI_OK)
		return rc;
	q->made = id;
	cmd_note(q, "declared INC-%lld", (long long)id);
	fprintf(q->out, "INC-%lld\n", (long long)id);
	return ITUI_OK;
}

static enum itui_code
cmd_list(struct cmd_q *q, struct itui_err *err)
{
	struct context *ctx = q->ctx;
	struct incident_list l;
	const struct policy *p;
	struct store *st;
	size_t i;

	if (context_policy(ctx, &p, err) || cmd_store(q, 0, &st, err) ||
	    store_incident_list(st, cmd_opt(q, "--all") != NULL, 0, &l, err))
		return err->code;
	incident_list_sort(&l, p);
	if (cmd_opt(q, "--json") != NULL) {
		json_t *root = json_object(), *arr = json_array();

		for (i = 0; i < l.n; i++)
			json_array_append_new(
			    arr, jsonout_incident(&l.v[i], p, ctx->now));
		json_object_set_new(root, "now", jsonout_time(ctx->now));
		json_object_set_new(root, "policy", json_string(p->name));
		json_object_set_new(root, "incidents", arr);
		incident_list_free(&l);
		return cmd_print_json(q, root, err);
	}
	textout_incident_list(q->out, &l, p, ctx->now, cmd_width(q));
	incident_list_free(&l);
	return ITUI_OK;
}

/* show --json: the checklist beside the clocks (docs/json.md). */
static enum itui_code
add_checklist(struct store *st, int64_t id, int64_t now, json_t *root,
              struct itui_err *err)
{
	struct checklist cl;

	if (store_checklist(st, id, &cl, err) != ITUI_OK)
		return err->code;
	checklist_compute(&cl, now);
	json_object_set_new(root, "checklist", checklist_json(&cl));
	checklist_free(&cl);
	return ITUI_OK;
}

static enum itui_code
cmd_show(struct cmd_q *q, struct itui_err *err)
{
	struct context *ctx = q->ctx;
	struct incident inc;
	struct entry_list tl;
	struct action_list acts;
	const struct policy *p;
	struct store *st;
	const char *lim = cmd_opt(q, "--limit");
	int64_t id;
	long limit = 50;
	char *end;
	size_t i;

	id = q->target;
	if (lim != NULL) {
		errno = 0;
		limit = strtol(lim, &end, 10);
		if (*lim == '\0' || *end != '\0' || errno || limit < 0 ||
		    limit > 1000000)
			return err_set(
			    err, ITUI_USAGE,
			    "--limit: '%s' is not a count from 0 to 1000000",
			    lim);
	}
	if (context_policy(ctx, &p, err) || cmd_store(q, 0, &st, err) ||
	    store_incident_get(st, id, &inc, err))
		return err->code;
	if (store_timeline(st, id, 0, 0, (int)limit, &tl, err)) {
		incident_free(&inc);
		return err->code;
	}
	if (store_actions(st, id, 0, &acts, err)) {
		incident_free(&inc);
		entry_list_free(&tl);
		return err->code;
	}
	if (cmd_opt(q, "--json") != NULL) {
		json_t *root = jsonout_incident(&inc, p, ctx->now);
		json_t *ents = json_array(), *arr = json_array();
		int64_t rev = -1;

		if (store_incident_revision(st, id, &rev, err) != ITUI_OK) {
			json_decref(root);
			json_decref(ents);
			json_decref(arr);
			incident_free(&inc);
			entry_list_free(&tl);
			action_list_free(&acts);
			return err->code;
		}
		json_object_set_new(root, "field_revision", json_integer(rev));

		for (i = 0; i < tl.n; i++)
			json_array_append_new(ents, jsonout_entry(&tl.v[i]));
		for (i = 0; i < acts.n; i++)
			json_array_append_new(
			    arr, jsonout_action(&acts.v[i], ctx->now));
		json_object_set_new(root, "now", jsonout_time(ctx->now));
		json_object_set_new(root, "timeline", ents);
		json_object_set_new(root, "timeline_truncated",
		                    json_boolean(tl.more));
		json_object_set_new(root, "actions", arr);
		incident_free(&inc);
		entry_list_free(&tl);
		action_list_free(&acts);
		if (add_checklist(st, id, ctx->now, root, err) != ITUI_OK) {
			json_decref(root);
			return err->code;
		}
		return cmd_print_json(q, root, err);
	}
	textout_incident(q->out, &inc, &tl, &acts, p, ctx->now, cmd_width(q));
	incident_free(&inc);
	entry_list_free(&tl);
	action_list_free(&acts);
	return ITUI_OK;
}

static enum itui_code
cmd_ack(struct cmd_q *q, struct itui_err *err)
{
	struct store *st;
	int64_t id, at;
	int already;

	id = q->target;
	if (cmd_parse_at(q, &at, err) || cmd_store(q, 1, &st, err) ||
	    store_incident_ack(st, id, at, &already, err))
		return err->code;
	if (already)
		cmd_warn(q,
		         "INC-%lld was already acknowledged; nothing changed",
		         (long long)id);
	else
		cmd_note(q, "acknowledged INC-%lld", (long long)id);
	return ITUI_OK;
}

static enum itui_code
cmd_status(struct cmd_q *q, struct itui_err *err)
{
	const struct cmd_args *a = &q->args;
	struct store *st;
	int64_t id, at;
	int s;

	id = q->target;
	if (cmd_parse_at(q, &at, err))
		return err->code;
	s = status_parse_word(a->pos[1]);
	if (s < 0)
		return err_set(
		    err, ITUI_USAGE,
		    "unknown or ambiguous status '%s' (investigating, identified, "
		    "mitigating, monitoring, resolved, closed)",
		    a->pos[1]);
	if (cmd_store(q, 1, &st, err) ||
	    store_incident_set_status(st, id, (enum inc_status)s, at, err))
		return err->code;
	return ITUI_OK;
}

static enum itui_code
cmd_severity(struct cmd_q *q, struct itui_err *err)
{
	const struct cmd_args *a = &q->args;
	const char *level;
	struct store *st;
	int64_t id, at;

	id = q->target;
	if (cmd_parse_at(q, &at, err) ||
	    cmd_parse_level(q, a->pos[1], &level, err) ||
	    cmd_store(q, 1, &st, err) ||
	    store_incident_set_severity(st, id, level, at, err))
		return err->code;
	return ITUI_OK;
}

static enum itui_code
parse_role(const char *s, enum role *out, struct itui_err *err)
{
	int r = role_parse(s);

	if (r < 0)
		return err_set(err, ITUI_USAGE,
		               "unknown role '%s' (commander/ic, tech-lead/tl, "
		               "comms-lead/comms, scribe)",
		               s);
	*out = (enum role)r;
	return ITUI_OK;
}

static enum itui_code
cmd_assign(struct cmd_q *q, struct itui_err *err)
{
	const struct cmd_args *a = &q->args;
	struct store *st;
	enum role role = ROLE_COMMANDER;
	int64_t id, at;

	id = q->target;
	if (cmd_parse_at(q, &at, err) || parse_role(a->pos[1], &role, err) ||
	    cmd_store(q, 1, &st, err) ||
	    store_role_assign(st, id, role, a->pos[2], at, err))
		return err->code;
	return ITUI_OK;
}

static enum itui_code
cmd_unassign(struct cmd_q *q, struct itui_err *err)
{
	const struct cmd_args *a = &q->args;
	struct store *st;
	enum role role = ROLE_COMMANDER;
	int64_t id, at;

	id = q->target;
	if (cmd_parse_at(q, &at, err) || parse_role(a->pos[1], &role, err) ||
	    cmd_store(q, 1, &st, err) ||
	    store_role_unassign(st, id, role, at, err))
		return err->code;
	return ITUI_OK;
}

static enum itui_code
cmd_set(struct cmd_q *q, struct itui_err *err)
{
	const struct cmd_args *a = &q->args;
	const char *rev_s = cmd_opt(q, "--if-revision");
	struct store *st;
	int64_t rev = 0;
	char *value = NULL;
	enum itui_code rc;
	int f = field_parse(a->pos[1]);

	if (f < 0)
		return err_set(err, ITUI_USAGE,
		               "unknown field '%s' (title, service, impact, "
		               "summary, root-cause)",
		               a->pos[1]);
	if (rev_s != NULL && cmd_parse_revision(rev_s, &rev, err) != ITUI_OK)
		return err->code;
	if (cmd_gather_text(q, a->pos + 2, a->npos - 2, &value, err))
		return err->code;
	rc = bounds_field((enum inc_field)f, value, err);
	if (rc == ITUI_OK)
		rc = cmd_store(q, 1, &st, err);
	if (rc == ITUI_OK)
		rc = store_incident_set_field(st, q->target, (enum inc_field)f,
		                              value, rev, err);
	if (rc == ITUI_OK)
		cmd_note(q, "INC-%lld: %s %s", (long long)q->target,
		         field_name((enum inc_field)f),
		         *value ? "set" : "cleared");
	free(value);
	return rc;
}

const struct cmd_entry cmd_declare_entry = {
    .name = "declare",
    .synopsis = "--severity LEVEL --title TEXT [options]",
    .summary = "declare an incident and print its id",
    .exec = cmd_declare,
    .flags = CMD_WRITES,
    .options = {{"--severity", "LEVEL", "a level of the policy (required)"},
                {"--title", "TEXT", "a one-line title (required)"},
                {"--service", "NAME", "the affected service"},
                {"--impact", "TEXT", "who or what is affected"},
                {"--commander", "NAME", "assign the incident commander"},
                {"--at", "TIME", "when it was declared (default: now)"},
                {"--drill", NULL, "a drill: kept, but left out of stats"},
                {"--alert", "AL-N",
                 "declare from an alert (its summary and mapped severity)"}},
};

const struct cmd_entry cmd_list_entry = {
    .name = "list",
    .synopsis = "[--all] [--json]",
    .summary = "list active incidents (all with --all)",
    .exec = cmd_list,
    .options = {{"--all", NULL, "include resolved and closed incidents"},
                OPT_JSON},
};

const struct cmd_entry cmd_show_entry = {
    .name = "show",
    .synopsis = "ID [--limit N] [--json]",
    .summary = "show one incident: fields, clocks, roles, actions, timeline",
    .exec = cmd_show,
    .min_pos = 1,
    .max_pos = 1,
    .target = CMD_T_INCIDENT,
    .options = {{"--limit", "N",
                 "newest timeline entries to show (default 50, 0: all)"},
                OPT_JSON},
};

const struct cmd_entry cmd_set_entry = {
    .name = "set",
    .synopsis = "ID FIELD VALUE...|- [--if-revision N]",
    .summary = "change a field: title, service, impact, summary, root-cause "
               "(- reads standard input; an empty value clears it)",
    .exec = cmd_set,
    .min_pos = 2,
    .max_pos = -1,
    .flags = CMD_WRITES,
    .target = CMD_T_INCIDENT,
    .options = {{"--if-revision", "N",
                 "refuse when the fields changed since revision N "
                 "(show --json has it)"}},
};

const struct cmd_entry cmd_ack_entry = {
    .name = "ack",
    .synopsis = "ID [--at TIME]",
    .summary = "acknowledge an incident",
    .exec = cmd_ack,
    .min_pos = 1,
    .max_pos = 1,
    .flags = CMD_WRITES,
    .target = CMD_T_INCIDENT,
    .options = {OPT_AT},
};

const struct cmd_entry cmd_status_entry = {
    .name = "status",
    .aliases = {"st"},
    .synopsis = "ID STATUS [--at TIME]",
    .summary = "change the status (investigating, identified, mitigating, "
               "monitoring, resolved, closed)",
    .exec = cmd_status,
    .min_pos = 2,
    .max_pos = 2,
    .flags = CMD_WRITES,
    .target = CMD_T_INCIDENT,
    .options = {OPT_AT},
};

const struct cmd_entry cmd_severity_entry = {
    .name = "severity",
    .synopsis = "ID LEVEL [--at TIME]",
    .summary = "change the severity",
    .exec = cmd_severity,
    .min_pos = 2,
    .max_pos = 2,
    .flags = CMD_WRITES,
    .target = CMD_T_INCIDENT,
    .options = {OPT_AT},
};

const struct cmd_entry cmd_assign_entry = {
    .name = "assign",
    .synopsis = "ID ROLE NAME [--at TIME]",
    .summary = "assign a role (commander/ic, tech-lead/tl, comms-lead/comms, "
               "scribe)",
    .exec = cmd_assign,
    .min_pos = 3,
    .max_pos = 3,
    .flags = CMD_WRITES,
    .target = CMD_T_INCIDENT,
    .options = {OPT_AT},
};

const struct cmd_entry cmd_unassign_entry = {
    .name = "unassign",
    .synopsis = "ID ROLE [--at TIME]",
    .summary = "leave a role unfilled",
    .exec = cmd_unassign,
    .min_pos = 2,
    .max_pos = 2,
    .flags = CMD_WRITES,
    .target = CMD_T_INCIDENT,
    .options = {OPT_AT},
};
