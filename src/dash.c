/*
 * dash.c - the dashboard's model and actions, kept free of curses so the
 * tests drive them directly.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "itui/dash.h"
#include "itui/entryparse.h"
#include "itui/keymap.h"
#include "itui/timeutil.h"
#include "itui/xalloc.h"

static void
free_detail(struct dash *d)
{
	if (d->have_detail)
		incident_free(&d->detail);
	entry_list_free(&d->timeline);
	action_list_free(&d->actions);
	d->have_detail = 0;
}

enum itui_code
dash_open(struct dash *d, struct context *ctx, struct itui_err *err)
{
	memset(d, 0, sizeof *d);
	d->ctx = ctx;
	d->timeline_window = DASH_TIMELINE_WINDOW;
	if (context_policy(ctx, &d->policy, err) != ITUI_OK ||
	    context_store(ctx, 0, &d->st, err) != ITUI_OK)
		return err->code;
	return dash_reload(d, err);
}

void
dash_close(struct dash *d)
{
	source_rows_free(d->sources, d->nsources);
	d->sources = NULL;
	d->nsources = 0;
	free_detail(d);
	incident_list_free(&d->incidents);
}

static enum itui_code
load_detail(struct dash *d, struct itui_err *err)
{
	free_detail(d);
	if (d->sel_id == 0)
		return ITUI_OK;
	if (store_incident_get(d->st, d->sel_id, &d->detail, err) != ITUI_OK)
		return err->code;
	d->have_detail = 1;
	if (store_timeline(d->st, d->sel_id, 0, 0, d->timeline_window,
	                   &d->timeline, err) != ITUI_OK ||
	    store_actions(d->st, d->sel_id, 1, &d->actions, err) != ITUI_OK)
		return err->code;
	return ITUI_OK;
}

enum itui_code
dash_reload(struct dash *d, struct itui_err *err)
{
	struct incident_list fresh;
	int64_t v = 0;
	size_t i;
	int found = 0;

	/* Read the version first: a commit after it is seen next time. */
	if (store_data_version(d->st, &v, err) != ITUI_OK)
		return err->code;
	if (store_incident_list(d->st, d->show_resolved, DASH_LIST_LIMIT,
	                        &fresh, err) != ITUI_OK)
		return err->code;
	incident_list_sort(&fresh, d->policy);
	source_rows_free(d->sources, d->nsources);
	if (store_sources(d->st, &d->sources, &d->nsources, err) != ITUI_OK) {
		incident_list_free(&fresh);
		return err->code;
	}
	incident_list_free(&d->incidents);
	d->incidents = fresh;
	d->data_version = v;
	d->loads++;
	for (i = 0; i < d->incidents.n; i++)
		if (d->incidents.v[i].id == d->sel_id)
			found = 1;
	/* Keep an explicitly chosen incident even when the list hides it. */
	if (!found && d->sel_id != 0 && !d->have_detail)
		d->sel_id = 0;
	if (d->sel_id == 0 && d->incidents.n > 0)
		d->sel_id = d->incidents.v[0].id;
	return load_detail(d, err);
}

int
dash_changed(struct dash *d)
{
	int64_t v;

	if (store_data_version(d->st, &v, NULL) != ITUI_OK)
		return -1;
	return v != d->data_version;
}

int
dash_sel_index(const struct dash *d)
{
	size_t i;

	for (i = 0; i < d->incidents.n; i++)
		if (d->incidents.v[i].id == d->sel_id)
			return (int)i;
	return -1;
}

enum itui_code
dash_select(struct dash *d, int index, struct itui_err *err)
{
	if (index < 0 || (size_t)index >= d->incidents.n)
		return ITUI_OK;
	if (d->incidents.v[index].id == d->sel_id && d->have_detail)
		return ITUI_OK;
	d->sel_id = d->incidents.v[index].id;
	d->timeline_window = DASH_TIMELINE_WINDOW;
	return load_detail(d, err);
}

enum itui_code
dash_select_id(struct dash *d, int64_t id, struct itui_err *err)
{
	struct incident probe;

	if (store_incident_get(d->st, id, &probe, err) != ITUI_OK)
		return err->code;
	incident_free(&probe);
	d->sel_id = id;
	d->timeline_window = DASH_TIMELINE_WINDOW;
	return load_detail(d, err);
}

int
dash_load_older(struct dash *d, struct itui_err *err)
{
	size_t before = d->timeline.n;

	if (!d->timeline.more)
		return 0;
	d->timeline_window += DASH_TIMELINE_WINDOW;
	if (load_detail(d, err) != ITUI_OK)
		return 0;
	return d->timeline.n > before;
}

enum itui_code
dash_log(struct dash *d, const char *line, enum entry_kind kind,
         int64_t edit_id, struct itui_err *err)
{
	struct parsed_entry pe;
	int64_t at = TIME_NONE, id;
	enum itui_code rc;

	if (d->sel_id == 0)
		return err_set(err, ITUI_INPUT, "no incident selected");
	if (entryparse(line, kind, &pe) != 0)
		return err_set(err, ITUI_INPUT, "nothing to log");
	if (pe.has_time &&
	    time_parse_at(pe.hhmm, context_now(), &at, err) != ITUI_OK)
		return err->code;
	if (edit_id > 0)
		rc =
		    store_entry_edit(d->st, edit_id, pe.kind, at, pe.text, err);
	else if (pe.is_todo)
		rc = store_action_add(d->st, d->sel_id, pe.text, NULL,
		                      TIME_NONE, HORIZON_SHORT_TERM, &id, err);
	else
		rc = store_entry_add(d->st, d->sel_id, pe.kind, at, pe.text,
		                     NULL, &id, err);
	if (rc != ITUI_OK)
		return rc;
	return dash_reload(d, err);
}

void
dash_my_roles(const struct dash *d, char *buf, size_t size)
{
	size_t off = 0;
	int r;

	buf[0] = '\0';
	if (!d->have_detail)
		return;
	for (r = 0; r < ROLE_COUNT && off + 1 < size; r++)
		if (d->detail.roles[r] != NULL &&
		    strcmp(d->detail.roles[r], d->ctx->user) == 0)
			off += (size_t)snprintf(buf + off, size - off, "%s%s",
			                        off ? ", " : "",
			                        role_name((enum role)r));
}

int
dash_search(const struct dash *d, int in_timeline, int from, const char *needle)
{
	int n = in_timeline ? (int)d->timeline.n : (int)d->incidents.n, k;

	if (needle == NULL || *needle == '\0' || n == 0)
		return -1;
	for (k = 1; k <= n; k++) {
		int i = ((from < 0 ? -1 : from) + k) % n;
		const char *a, *b = NULL;

		if (in_timeline) {
			a = d->timeline.v[i].text;
			b = d->timeline.v[i].author;
		} else {
			a = d->incidents.v[i].title;
			b = d->incidents.v[i].service;
		}
		if ((a != NULL && strcasestr(a, needle) != NULL) ||
		    (b != NULL && strcasestr(b, needle) != NULL))
			return i;
	}
	return -1;
}

/* ---- the `:` command line ----------------------------------------------- */

static char *
next_word(char **p)
{
	char *s = *p, *w;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '\0') {
		*p = s;
		return NULL;
	}
	w = s;
	while (*s != '\0' && *s != ' ' && *s != '\t')
		s++;
	if (*s != '\0')
		*s++ = '\0';
	*p = s;
	return w;
}

static enum itui_code
need_incident(const struct dash *d, struct itui_err *err)
{
	if (d->sel_id == 0)
		return err_set(err, ITUI_INPUT, "no incident selected");
	return ITUI_OK;
}

static enum itui_code
level_of(const struct dash *d, const char *s, const char **out,
         struct itui_err *err)
{
	const struct policy_level *l = policy_level(d->policy, s);

	if (l == NULL)
		return err_set(err, ITUI_INPUT, "unknown severity '%s' (%s)",
		               s ? s : "", policy_level_list(d->policy));
	*out = l->name;
	return ITUI_OK;
}

enum itui_code
dash_command(struct dash *d, const char *line, char *msg, size_t msglen,
             struct itui_err *err)
{
	char *copy = xstrdup(line), *p = copy, *name, *arg;
	enum ui_action a;
	enum itui_code rc = ITUI_OK;
	const char *level = NULL;
	int64_t id;
	int v, already;

	msg[0] = '\0';
	name = next_word(&p);
	if (name == NULL) {
		free(copy);
		return ITUI_OK;
	}
	a = action_by_name(name);
	while (*p == ' ')
		p++;
	switch (a) {
	case UA_LOG:
		if ((rc = need_incident(d, err)) == ITUI_OK)
			rc = dash_log(d, p, KIND_NOTE, 0, err);
		break;
	case UA_ACK:
		if ((rc = need_incident(d, err)) == ITUI_OK)
			rc = store_incident_ack(d->st, d->sel_id, TIME_NONE,
			                        &already, err);
		if (rc == ITUI_OK && already)
			snprintf(msg, msglen,
			         "INC-%lld was already acknowledged",
			         (long long)d->sel_id);
		break;
	case UA_STATUS:
		arg = next_word(&p);
		v = status_parse(arg);
		if ((rc = need_incident(d, err)) != ITUI_OK)
			break;
		if (v < 0)
			rc = err_set(
			    err, ITUI_INPUT,
			    "unknown status '%s' (investigating, identified, "
			    "mitigating, monitoring, resolved, closed)",
			    arg ? arg : "");
		else
			rc = store_incident_set_status(d->st, d->sel_id,
			                               (enum inc_status)v,
			                               TIME_NONE, err);
		break;
	case UA_SEVERITY:
		arg = next_word(&p);
		if ((rc = need_incident(d, err)) == ITUI_OK &&
		    (rc = level_of(d, arg, &level, err)) == ITUI_OK)
			rc = store_incident_set_severity(d->st, d->sel_id,
			                                 level, TIME_NONE, err);
		break;
	case UA_ASSIGN:
	case UA_UNASSIGN:
		arg = next_word(&p);
		v = role_parse(arg);
		if ((rc = need_incident(d, err)) != ITUI_OK)
			break;
		if (v < 0) {
			rc = err_set(
			    err, ITUI_INPUT,
			    "unknown role '%s' (commander/ic, tech-lead/tl, "
			    "comms-lead/comms, scribe)",
			    arg ? arg : "");
			break;
		}
		if (a == UA_UNASSIGN) {
			rc = store_role_unassign(d->st, d->sel_id, (enum role)v,
			                         TIME_NONE, err);
			break;
		}
		arg = next_word(&p);
		rc = arg == NULL
		         ? err_set(err, ITUI_INPUT, "assign ROLE NAME")
		         : store_role_assign(d->st, d->sel_id, (enum role)v,
		                             arg, TIME_NONE, err);
		break;
	case UA_ACTION:
		if ((rc = need_incident(d, err)) == ITUI_OK)
			rc = store_action_add(d->st, d->sel_id, p, NULL,
			                      TIME_NONE, HORIZON_SHORT_TERM,
			                      &id, err);
		if (rc == ITUI_OK)
			snprintf(msg, msglen, "added ACT-%lld", (long long)id);
		break;
	case UA_DECLARE: {
		struct incident_new in = {0};

		arg = next_word(&p);
		if ((rc = level_of(d, arg, &level, err)) != ITUI_OK)
			break;
		in.title = p;
		in.severity = level;
		in.at = TIME_NONE;
		rc = store_incident_declare(d->st, &in, &id, err);
		if (rc == ITUI_OK) {
			d->sel_id = id;
			snprintf(msg, msglen, "declared INC-%lld",
			         (long long)id);
		}
		break;
	}
	case UA_SELECT:
		arg = next_word(&p);
		if (arg != NULL && strncasecmp(arg, "INC-", 4) == 0)
			arg += 4;
		id = arg != NULL ? strtoll(arg, NULL, 10) : 0;
		rc = id > 0 ? dash_select_id(d, id, err)
		            : err_set(err, ITUI_INPUT, "select INC-N");
		free(copy);
		return rc;
	case UA_RESOLVED:
		d->show_resolved = !d->show_resolved;
		break;
	default:
		rc = err_set(err, ITUI_INPUT,
		             "'%s' is not a command here (see ? for the list)",
		             name);
		break;
	}
	free(copy);
	if (rc != ITUI_OK)
		return rc;
	return dash_reload(d, err);
}
