/*
 * ui.c - the dashboard's main loop, keys, prompts and flows.
 *
 * DESIGN: one thread.  The loop sleeps in poll() on the terminal, a
 * self-pipe written by the signal handlers, and an inotify watch on the
 * database directory; its timeout falls on the next whole second (the SLA
 * clocks' tick) or sooner for a pending re-check or draft save, so an idle
 * dashboard wakes once a second.  Each turn: handle signals, take file
 * events, read every pending key, check PRAGMA data_version (it decides
 * whether another process committed), then draw once if anything set the
 * dirty flag.  Signal handlers only set a flag and write a byte.
 */
#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "itui/comms.h"
#include "itui/http.h"
#include "itui/report.h"
#include "itui/template.h"
#include "itui/sanitize.h"
#include "itui/timeutil.h"
#include "itui/ui.h"
#include "itui/xalloc.h"

#define RECHECKS      4    /* data_version re-checks after a file event */
#define RECHECK_MS    2    /* between them */
#define DRAFT_SAVE_MS 1000 /* after the last keystroke */

static volatile sig_atomic_t got_hup, got_term, got_int;
static int sig_write_fd = -1;

static void
on_signal(int sig)
{
	int saved = errno;
	char c = 's';

	if (sig == SIGHUP)
		got_hup = 1;
	else if (sig == SIGTERM)
		got_term = 1;
	else
		got_int = 1;
	if (sig_write_fd >= 0)
		(void)!write(sig_write_fd, &c, 1);
	errno = saved;
}

static void
restore_terminal(void)
{
	if (!isendwin())
		endwin();
}

int64_t
ui_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void message(struct ui *u, int error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
message(struct ui *u, int error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(u->msg, sizeof u->msg, fmt, ap);
	va_end(ap);
	u->msg_error = error;
	u->dirty = 1;
}

/* Reloads after a change of ours; reports a failure in the status bar. */
static void
reload(struct ui *u)
{
	struct itui_err err;

	if (dash_reload(&u->d, &err) != ITUI_OK)
		message(u, 1, "%s", err.msg);
	u->dirty = 1;
}

static void
report(struct ui *u, enum itui_code rc, const struct itui_err *err,
       const char *ok)
{
	if (rc != ITUI_OK)
		message(u, 1, "%s", err->msg);
	else if (ok != NULL)
		message(u, 0, "%s", ok);
	reload(u);
}

/* ---- drafts ----------------------------------------------------------------
 */

static void
save_draft(struct ui *u)
{
	struct itui_err err;

	if (!u->draft_dirty || u->input_incident == 0 || u->edit_id != 0)
		return;
	if (store_draft_save(u->d.st, u->ctx->user, u->input_incident, u->kind,
	                     editline_text(&u->el), &err) != ITUI_OK)
		message(u, 1, "draft not saved: %s", err.msg);
	u->draft_dirty = 0;
	u->draft_due_ms = 0;
}

static void
drop_draft(struct ui *u)
{
	struct itui_err err;

	if (u->input_incident != 0 && u->edit_id == 0)
		(void)store_draft_save(u->d.st, u->ctx->user, u->input_incident,
		                       u->kind, "", &err);
	u->draft_dirty = 0;
	u->draft_due_ms = 0;
}

/* ---- selection helpers -----------------------------------------------------
 */

static const struct entry *
selected_entry(const struct ui *u)
{
	size_t i;

	for (i = 0; i < u->d.timeline.n; i++)
		if (u->d.timeline.v[i].id == u->sel_entry_id)
			return &u->d.timeline.v[i];
	return NULL;
}

static void
select_entry_index(struct ui *u, int i)
{
	if (u->d.timeline.n == 0) {
		u->sel_entry_id = 0;
		return;
	}
	if (i < 0)
		i = 0;
	if ((size_t)i >= u->d.timeline.n)
		i = (int)u->d.timeline.n - 1;
	u->sel_entry_id = u->d.timeline.v[i].id;
	u->tl_lv.sel = i;
	u->follow = (size_t)i == u->d.timeline.n - 1;
	u->dirty = 1;
}

/* After a reload the selected entry may have moved in the window. */
static void
refind_entry(struct ui *u)
{
	size_t i;

	u->tl_lv.count = (int)u->d.timeline.n;
	if (u->follow || u->sel_entry_id == 0) {
		if (u->d.timeline.n > 0) {
			u->tl_lv.sel = (int)u->d.timeline.n - 1;
			u->sel_entry_id = u->d.timeline.v[u->tl_lv.sel].id;
		}
		return;
	}
	for (i = 0; i < u->d.timeline.n; i++)
		if (u->d.timeline.v[i].id == u->sel_entry_id) {
			u->tl_lv.sel = (int)i;
			return;
		}
	u->follow = 1;
	refind_entry(u);
}

static void
select_incident(struct ui *u, int index)
{
	struct itui_err err;

	if (dash_select(&u->d, index, &err) != ITUI_OK)
		message(u, 1, "%s", err.msg);
	u->follow = 1;
	u->sel_entry_id = 0;
	refind_entry(u);
	u->dirty = 1;
}

static void
move_selection(struct ui *u, int delta)
{
	struct itui_err err;

	if (u->focus == FOCUS_LIST) {
		int i = dash_sel_index(&u->d), n = (int)u->d.incidents.n;

		if (n == 0)
			return;
		i = i < 0 ? 0 : i + delta;
		select_incident(u, i < 0 ? 0 : i >= n ? n - 1 : i);
		return;
	}
	if (u->tl_lv.sel + delta < 0 && u->d.timeline.more) {
		int64_t keep = u->sel_entry_id;

		if (dash_load_older(&u->d, &err)) {
			u->sel_entry_id = keep;
			u->follow = 0;
			refind_entry(u);
		}
	}
	select_entry_index(u, u->tl_lv.sel + delta);
}

/* ---- prompts
 * ----------------------------------------------------------------- */

static void
ask(struct ui *u, const char *label, const char *initial, prompt_fn fn,
    const char *const *choices, size_t nchoices)
{
	snprintf(u->prompt, sizeof u->prompt, "%s", label);
	editline_set(&u->el, initial);
	u->on_answer = fn;
	u->choices = choices;
	u->nchoices = nchoices;
	u->mode = MODE_PROMPT;
	u->msg[0] = '\0';
	u->dirty = 1;
}

/* Tab in a prompt: complete from the choices (roles, levels, people). */
static void
complete(struct ui *u)
{
	const char *text = editline_text(&u->el), *const *v = u->choices;
	size_t n = u->nchoices, i, len = strlen(text);

	if (v == NULL) {
		v = (const char *const *)u->people;
		n = u->npeople;
	}
	for (i = 0; i < n; i++)
		if (strncasecmp(v[i], text, len) == 0 && strlen(v[i]) > len) {
			editline_set(&u->el, v[i]);
			u->dirty = 1;
			return;
		}
}

static const char *const status_choices[] = {"investigating", "identified",
                                             "mitigating",    "monitoring",
                                             "resolved",      "closed"};
static const char *const role_choices[] = {
    "commander", "tech-lead", "comms-lead", "scribe", "ic", "tl", "comms"};

static void
answer_status(struct ui *u, const char *a)
{
	struct itui_err err;
	int s = status_parse(a);

	if (s < 0) {
		message(u, 1, "unknown status '%s'", a);
		return;
	}
	report(u,
	       store_incident_set_status(u->d.st, u->d.sel_id,
	                                 (enum inc_status)s, TIME_NONE, &err),
	       &err, NULL);
}

static void
answer_severity(struct ui *u, const char *a)
{
	const struct policy_level *l = policy_level(u->d.policy, a);
	struct itui_err err;

	if (l == NULL) {
		message(u, 1, "unknown severity '%s' (%s)", a,
		        policy_level_list(u->d.policy));
		return;
	}
	report(u,
	       store_incident_set_severity(u->d.st, u->d.sel_id, l->name,
	                                   TIME_NONE, &err),
	       &err, NULL);
}

static void
load_people(struct ui *u)
{
	struct itui_err err;
	size_t i;

	for (i = 0; i < u->npeople; i++)
		free(u->people[i]);
	free(u->people);
	u->people = NULL;
	u->npeople = 0;
	(void)store_people(u->d.st, &u->people, &u->npeople, &err);
}

static void
answer_assign_name(struct ui *u, const char *a)
{
	struct itui_err err;

	if (*a == '\0') {
		message(u, 0, "not assigned");
		return;
	}
	report(u,
	       store_role_assign(u->d.st, u->d.sel_id, (enum role)u->flow_role,
	                         a, TIME_NONE, &err),
	       &err, NULL);
}

static void
answer_assign_role(struct ui *u, const char *a)
{
	int r = role_parse(a);
	char label[64];

	if (r < 0) {
		message(u, 1, "unknown role '%s'", a);
		return;
	}
	u->flow_role = r;
	load_people(u);
	snprintf(label, sizeof label,
	         "%s (Tab completes):", role_name((enum role)r));
	ask(u, label, "", answer_assign_name, NULL, 0);
}

static void
answer_action_due(struct ui *u, const char *a)
{
	struct itui_err err;
	int64_t due = TIME_NONE, id;
	enum itui_code rc;

	if (*a != '\0' && time_parse_due(a, context_now(), &due, &err)) {
		message(u, 1, "%s", err.msg);
		return;
	}
	rc = store_action_add(u->d.st, u->d.sel_id, u->flow_text,
	                      u->flow_owner[0] ? u->flow_owner : NULL, due,
	                      HORIZON_SHORT_TERM, &id, &err);
	report(u, rc, &err, rc == ITUI_OK ? "action item added" : NULL);
}

static void
answer_action_owner(struct ui *u, const char *a)
{
	snprintf(u->flow_owner, sizeof u->flow_owner, "%s", a);
	ask(u, "Due (YYYY-MM-DD, +3d, empty for none):", "", answer_action_due,
	    NULL, 0);
}

static void
answer_action_text(struct ui *u, const char *a)
{
	if (*a == '\0') {
		message(u, 0, "no action item added");
		return;
	}
	snprintf(u->flow_text, sizeof u->flow_text, "%s", a);
	load_people(u);
	ask(u, "Owner (Tab completes, empty for none):", "",
	    answer_action_owner, NULL, 0);
}

static void
answer_declare_service(struct ui *u, const char *a)
{
	struct incident_new in = {0};
	struct itui_err err;
	int64_t id;
	enum itui_code rc;

	in.title = u->flow_title;
	in.severity = u->flow_level;
	in.service = *a ? a : NULL;
	in.at = TIME_NONE;
	in.alert_key = u->flow_alert[0] ? u->flow_alert : NULL;
	rc = store_incident_declare(u->d.st, &in, &id, &err);
	if (rc == ITUI_OK) {
		u->d.sel_id = id;
		u->d.have_detail = 0;
		u->focus = FOCUS_LIST;
		message(u, 0, "declared INC-%lld", (long long)id);
	}
	report(u, rc, &err, NULL);
	if (rc == ITUI_OK)
		message(u, 0, "declared INC-%lld", (long long)id);
}

static void
answer_declare_level(struct ui *u, const char *a)
{
	const struct policy_level *l = policy_level(u->d.policy, a);

	if (l == NULL) {
		message(u, 1, "unknown severity '%s' (%s)", a,
		        policy_level_list(u->d.policy));
		return;
	}
	snprintf(u->flow_level, sizeof u->flow_level, "%s", l->name);
	ask(u, "Service (optional):", "", answer_declare_service, NULL, 0);
}

static const char *level_names[POLICY_MAX_LEVELS];

static void
ask_level(struct ui *u, const char *suggest)
{
	char label[160];
	int i;

	for (i = 0; i < u->d.policy->nlevels; i++)
		level_names[i] = u->d.policy->levels[i].name;
	snprintf(label, sizeof label,
	         "Severity (%s):", policy_level_list(u->d.policy));
	ask(u, label, suggest, answer_declare_level, level_names,
	    (size_t)u->d.policy->nlevels);
}

static void ask_triage(struct ui *u);

static void
answer_triage(struct ui *u, const char *a)
{
	const struct policy *p = u->d.policy;

	if (a[0] == 'y' || a[0] == 'Y') {
		ask_level(u, p->triage[u->flow_step].level);
		return;
	}
	if (a[0] == 's' || a[0] == 'S') {
		ask_level(u, "");
		return;
	}
	u->flow_step++;
	ask_triage(u);
}

/* The policy's decision tree, one yes/no question at a time. */
static void
ask_triage(struct ui *u)
{
	const struct policy *p = u->d.policy;
	char label[300];

	if (u->flow_step >= p->ntriage) {
		ask_level(u, p->triage_otherwise);
		return;
	}
	snprintf(label, sizeof label, "Triage: %s (y/n, s to skip)",
	         p->triage[u->flow_step].question);
	ask(u, label, "", answer_triage, NULL, 0);
}

static void
answer_declare_title(struct ui *u, const char *a)
{
	if (*a == '\0') {
		message(u, 0, "nothing declared");
		return;
	}
	snprintf(u->flow_title, sizeof u->flow_title, "%s", a);
	u->flow_step = 0;
	if (u->d.policy->ntriage > 0)
		ask_triage(u);
	else
		ask_level(u, "");
}

static void
answer_delete(struct ui *u, const char *a)
{
	struct itui_err err;

	if (a[0] != 'y' && a[0] != 'Y') {
		message(u, 0, "not deleted");
		return;
	}
	report(u, store_entry_delete(u->d.st, u->sel_entry_id, &err), &err,
	       "entry deleted (kept in history)");
}

static void run_action(struct ui *u, enum ui_action a, const char *args);
static void reload_alerts(struct ui *u);
static void show_report(struct ui *u, int handoff);
static void reload_actions(struct ui *u);
static void answer_template(struct ui *u, const char *a);

static void
answer_command(struct ui *u, const char *a)
{
	char name[64] = "";
	const char *args;
	enum ui_action act;

	sscanf(a, "%63s", name);
	if (name[0] == '\0')
		return;
	act = action_by_name(name);
	args = a + strspn(a, " ");
	args += strlen(name);
	args += strspn(args, " ");
	if (act == ACTION_NONE) {
		message(u, 1, "unknown command '%s' (? lists them)", name);
		return;
	}
	run_action(u, act, args);
}

static void
answer_search(struct ui *u, const char *a)
{
	int in_tl = u->focus == FOCUS_TIMELINE, from, i;

	if (*a != '\0')
		snprintf(u->last_search, sizeof u->last_search, "%s", a);
	if (u->last_search[0] == '\0')
		return;
	from = in_tl ? u->tl_lv.sel : dash_sel_index(&u->d);
	i = dash_search(&u->d, in_tl, from, u->last_search);
	if (i < 0) {
		message(u, 1, "not found: %s", u->last_search);
		return;
	}
	if (in_tl)
		select_entry_index(u, i);
	else
		select_incident(u, i);
	message(u, 0, "/%s", u->last_search);
}

/* ---- the input line
 * ------------------------------------------------------------ */

static void
start_input(struct ui *u, int64_t edit_id)
{
	const struct entry *e = edit_id ? selected_entry(u) : NULL;
	struct itui_err err;
	char *text = NULL;
	int64_t inc = 0;
	enum entry_kind kind = KIND_NOTE;

	u->mode = MODE_INPUT;
	u->edit_id = edit_id;
	u->input_incident = u->d.sel_id;
	u->kind = KIND_NOTE;
	u->msg[0] = '\0';
	if (e != NULL) {
		u->kind = e->kind;
		editline_set(&u->el, e->text);
	} else if (store_draft_load(u->d.st, u->ctx->user, &inc, &kind, &text,
	                            &err) == ITUI_OK &&
	           text != NULL && inc == u->d.sel_id) {
		u->kind = kind;
		editline_set(&u->el, text);
		message(u, 0, "your unsent draft");
	} else {
		editline_set(&u->el, "");
	}
	free(text);
	u->dirty = 1;
}

static void
cycle_kind(struct ui *u)
{
	int k = (int)u->kind;

	do
		k = (k + 1) % KIND_COUNT;
	while (!kind_loggable((enum entry_kind)k));
	u->kind = (enum entry_kind)k;
	u->draft_dirty = 1;
	u->dirty = 1;
}

static void
submit_input(struct ui *u)
{
	struct itui_err err;
	enum itui_code rc;
	int64_t inc = u->d.sel_id;

	if (u->input_incident != u->d.sel_id)
		(void)dash_select_id(&u->d, u->input_incident, &err);
	rc = dash_log(&u->d, editline_text(&u->el), u->kind, u->edit_id, &err);
	if (rc != ITUI_OK) {
		message(u, 1, "%s", err.msg);
		return;
	}
	drop_draft(u);
	if (inc != u->input_incident)
		(void)dash_select_id(&u->d, inc, &err);
	u->mode = MODE_NORMAL;
	message(u, 0,
	        u->edit_id ? "entry edited (the old text is kept)" : "logged");
	u->edit_id = 0;
	u->follow = u->focus != FOCUS_TIMELINE || u->follow;
	refind_entry(u);
}

static void
input_key(struct ui *u, uint32_t key)
{
	switch (key) {
	case KEYC_ENTER:
		if (u->mode == MODE_INPUT) {
			submit_input(u);
		} else {
			char *answer = xstrdup(editline_text(&u->el));

			u->mode = MODE_NORMAL;
			u->on_answer(u, answer);
			free(answer);
		}
		return;
	case KEYC_ESC:
		if (u->mode == MODE_INPUT) {
			drop_draft(u);
			message(u, 0, "cancelled");
		}
		u->mode = MODE_NORMAL;
		u->edit_id = 0;
		u->dirty = 1;
		return;
	case KEYC_TAB:
		if (u->mode == MODE_INPUT)
			cycle_kind(u);
		else
			complete(u);
		return;
	}
	if (editline_key(&u->el, key)) {
		u->dirty = 1;
		if (u->mode == MODE_INPUT && u->edit_id == 0) {
			u->draft_dirty = 1;
			u->draft_due_ms = mono_ms() + DRAFT_SAVE_MS;
		}
	}
}

/* ---- actions
 * --------------------------------------------------------------------- */

static int
need(struct ui *u, unsigned flags)
{
	if ((flags & ACT_WRITES) && store_is_readonly(u->d.st)) {
		message(u, 1, "the database is read-only for you");
		return 0;
	}
	if ((flags & (ACT_INCIDENT | ACT_ENTRY)) && u->d.sel_id == 0) {
		message(u, 1, "no incident selected");
		return 0;
	}
	if ((flags & ACT_ENTRY) &&
	    (u->focus != FOCUS_TIMELINE || selected_entry(u) == NULL)) {
		message(u, 1, "select an entry first (Tab, then j/k)");
		return 0;
	}
	return 1;
}

static void
run_action(struct ui *u, enum ui_action a, const char *args)
{
	const struct entry *e;
	struct itui_err err;
	int already, i;
	char msg[256];

	if (!need(u, ui_actions[a].flags))
		return;
	/* A `:` command with arguments runs straight through the model. */
	if (args != NULL && *args != '\0' && a != UA_SEARCH) {
		char line[1024];
		enum itui_code rc;

		snprintf(line, sizeof line, "%s %s", ui_actions[a].name, args);
		rc = dash_command(&u->d, line, msg, sizeof msg, &err);
		report(u, rc, &err, msg[0] ? msg : NULL);
		if (rc == ITUI_OK)
			refind_entry(u);
		return;
	}
	u->msg[0] = '\0';
	u->dirty = 1;
	switch (a) {
	case UA_DOWN:
		move_selection(u, 1);
		break;
	case UA_UP:
		move_selection(u, -1);
		break;
	case UA_PAGE_DOWN:
		move_selection(u, u->focus == FOCUS_LIST ? u->list_lv.height
		                                         : u->tl_lv.height);
		break;
	case UA_PAGE_UP:
		move_selection(u, u->focus == FOCUS_LIST ? -u->list_lv.height
		                                         : -u->tl_lv.height);
		break;
	case UA_TOP:
		move_selection(u, -1000000);
		break;
	case UA_BOTTOM:
		move_selection(u, 1000000);
		break;
	case UA_NEXT_PANE:
		u->focus = u->focus == FOCUS_LIST ? FOCUS_TIMELINE : FOCUS_LIST;
		if (u->focus == FOCUS_TIMELINE) {
			u->follow = 1;
			refind_entry(u);
		}
		break;
	case UA_OPEN:
		if (u->focus == FOCUS_LIST) {
			u->focus = FOCUS_TIMELINE;
			u->follow = 1;
			refind_entry(u);
		} else if (selected_entry(u) != NULL) {
			u->mode = MODE_VIEW;
		}
		break;
	case UA_BACK:
		if (u->mode == MODE_HELP || u->mode == MODE_VIEW)
			u->mode = MODE_NORMAL;
		else
			u->focus = FOCUS_LIST;
		break;
	case UA_LOG:
		start_input(u, 0);
		break;
	case UA_EDIT:
		e = selected_entry(u);
		if (!kind_loggable(e->kind)) {
			message(u, 1,
			        "%s entries are the record of a change; "
			        "they cannot be edited",
			        kind_name(e->kind));
			break;
		}
		u->mode = MODE_NORMAL;
		start_input(u, e->id);
		break;
	case UA_PIN:
		e = selected_entry(u);
		report(u,
		       store_entry_set_pinned(u->d.st, e->id, !e->pinned, &err),
		       &err, e->pinned ? "unpinned" : "pinned");
		break;
	case UA_DELETE:
		e = selected_entry(u);
		if (!kind_loggable(e->kind)) {
			message(u, 1,
			        "%s entries are the record of a change; "
			        "they cannot be deleted",
			        kind_name(e->kind));
			break;
		}
		ask(u, "Delete the entry? It stays in the history (y/N)", "",
		    answer_delete, NULL, 0);
		break;
	case UA_DECLARE:
		u->flow_alert[0] = '\0';
		ask(u, "Title:", "", answer_declare_title, NULL, 0);
		break;
	case UA_ACK:
		report(u,
		       store_incident_ack(u->d.st, u->d.sel_id, TIME_NONE,
		                          &already, &err),
		       &err, "acknowledged");
		if (already)
			message(u, 0, "already acknowledged");
		break;
	case UA_STATUS:
		ask(u, "Status (Tab completes):", "", answer_status,
		    status_choices, 6);
		break;
	case UA_SEVERITY:
		for (i = 0; i < u->d.policy->nlevels; i++)
			level_names[i] = u->d.policy->levels[i].name;
		snprintf(msg, sizeof msg,
		         "Severity (%s):", policy_level_list(u->d.policy));
		ask(u, msg, "", answer_severity, level_names,
		    (size_t)u->d.policy->nlevels);
		break;
	case UA_ASSIGN:
		ask(u,
		    "Role (commander/ic, tech-lead/tl, comms-lead/comms, "
		    "scribe):",
		    "", answer_assign_role, role_choices, 7);
		break;
	case UA_UNASSIGN:
		message(u, 1, "usage: :unassign ROLE");
		break;
	case UA_ACTION:
		ask(u, "Action item:", "", answer_action_text, NULL, 0);
		break;
	case UA_SNAPSHOT:
		if (!u->poller_on) {
			message(u, 1, "%s",
			        u->poller_problem[0]
			            ? u->poller_problem
			            : "no metrics source configured "
			              "([prometheus] in the config)");
			break;
		}
		report(u,
		       store_snapshot_request(u->d.st, u->d.sel_id, "on demand",
		                              &err),
		       &err, "snapshot requested; it appears in the timeline");
		poller_kick(&u->poller);
		break;
	case UA_ALERTS:
		u->alert_sel = 0;
		u->mode = MODE_ALERTS;
		reload_alerts(u);
		break;
	case UA_ACTIONS:
		u->act_sel = 0;
		u->mode = MODE_ACTIONS;
		reload_actions(u);
		break;
	case UA_UPDATE:
		ask(u, "Template (Tab completes; Enter for the usual one):", "",
		    answer_template, comms_templates, 6);
		break;
	case UA_HANDOFF:
		show_report(u, 1);
		break;
	case UA_REPORTS:
		show_report(u, 0);
		break;
	case UA_RESOLVED:
		u->d.show_resolved = !u->d.show_resolved;
		reload(u);
		message(u, 0,
		        u->d.show_resolved ? "showing resolved incidents"
		                           : "active incidents only");
		break;
	case UA_SEARCH:
		if (args != NULL && *args != '\0')
			answer_search(u, args);
		else
			ask(u, "/", "", answer_search, NULL, 0);
		break;
	case UA_SELECT:
		message(u, 1, "usage: :select INC-N");
		break;
	case UA_COMMAND:
		ask(u, ":", "", answer_command, NULL, 0);
		break;
	case UA_HELP:
		u->mode = MODE_HELP;
		u->help_top = 0;
		break;
	case UA_REDRAW:
		clearok(curscr, TRUE);
		break;
	case UA_QUIT:
		u->quit = 1;
		break;
	case UA_COUNT:
	case ACTION_NONE:
		break;
	}
}

/* ---- the alerts pane ----------------------------------------------------- */

/* The pane follows the database like the rest of the screen. */
static void
reload_alerts(struct ui *u)
{
	struct itui_err err;

	alert_rows_free(&u->alerts);
	if (store_alerts(u->d.st, 1, &u->alerts, &err) != ITUI_OK)
		message(u, 1, "%s", err.msg);
	if (u->alert_sel >= (int)u->alerts.n)
		u->alert_sel = u->alerts.n > 0 ? (int)u->alerts.n - 1 : 0;
	u->dirty = 1;
}

/* [severity-map]: an alert's severity label to a policy level. */
static const char *
mapped_level(const struct ui *u, const char *label)
{
	size_t i;

	for (i = 0; label != NULL && i < u->ctx->cfg.nseverity_map; i++)
		if (strcmp(u->ctx->cfg.severity_map[i].key, label) == 0)
			return u->ctx->cfg.severity_map[i].value;
	return NULL;
}

static void
alerts_key(struct ui *u, uint32_t key)
{
	const struct alert_row *a;
	const char *level;

	u->dirty = 1;
	if (key == 'j' || key == KEYC_DOWN) {
		if (u->alert_sel + 1 < (int)u->alerts.n)
			u->alert_sel++;
		return;
	}
	if (key == 'k' || key == KEYC_UP) {
		if (u->alert_sel > 0)
			u->alert_sel--;
		return;
	}
	if (key != KEYC_ENTER && key != 'n') {
		u->mode = MODE_NORMAL;
		return;
	}
	if (u->alerts.n == 0)
		return;
	a = &u->alerts.v[u->alert_sel];
	u->mode = MODE_NORMAL;
	if (a->incident_id != 0) {
		struct itui_err err;

		/* Already an incident: go to it. */
		if (dash_select_id(&u->d, a->incident_id, &err) != ITUI_OK)
			message(u, 1, "%s", err.msg);
		return;
	}
	if (store_is_readonly(u->d.st)) {
		message(u, 1, "the database is read-only for you");
		return;
	}
	snprintf(u->flow_alert, sizeof u->flow_alert, "%s", a->key);
	snprintf(u->flow_title, sizeof u->flow_title, "%s",
	         a->summary ? a->summary : a->name);
	level = mapped_level(u, a->severity);
	if (level != NULL && policy_level(u->d.policy, level) != NULL) {
		snprintf(u->flow_level, sizeof u->flow_level, "%s",
		         policy_level(u->d.policy, level)->name);
		ask(u, "Service (optional):", "", answer_declare_service, NULL,
		    0);
		return;
	}
	ask_level(u, "");
}

/* ---- the action items pane
 * ---------------------------------------------------- */

static void
reload_actions(struct ui *u)
{
	struct itui_err err;

	action_list_free(&u->act_rows);
	if (store_actions(u->d.st, u->d.sel_id, 0, &u->act_rows, &err) !=
	    ITUI_OK)
		message(u, 1, "%s", err.msg);
	if (u->act_sel >= (int)u->act_rows.n)
		u->act_sel = u->act_rows.n > 0 ? (int)u->act_rows.n - 1 : 0;
	u->dirty = 1;
}

static const struct action_item *
selected_action(const struct ui *u)
{
	if (u->act_rows.n == 0)
		return NULL;
	return &u->act_rows.v[u->act_sel];
}

static void
answer_action_field(struct ui *u, const char *a)
{
	const struct action_item *ai = selected_action(u);
	struct itui_err err;
	int64_t due = TIME_NONE;
	enum itui_code rc;

	u->mode = MODE_ACTIONS;
	if (ai == NULL || *a == '\0')
		return;
	if (u->flow_step == 'w' &&
	    time_parse_due(a, context_now(), &due, &err) != ITUI_OK) {
		message(u, 1, "%s", err.msg);
		return;
	}
	rc = store_action_edit(u->d.st, ai->id, u->flow_step == 'e' ? a : NULL,
	                       u->flow_step == 'o' ? a : NULL, due, &err);
	report(u, rc, &err, "action item changed");
	u->mode = MODE_ACTIONS;
	reload_actions(u);
}

static void
actions_key(struct ui *u, uint32_t key)
{
	const struct action_item *ai = selected_action(u);
	struct itui_err err;

	u->dirty = 1;
	if (key == 'j' || key == KEYC_DOWN) {
		if (u->act_sel + 1 < (int)u->act_rows.n)
			u->act_sel++;
		return;
	}
	if (key == 'k' || key == KEYC_UP) {
		if (u->act_sel > 0)
			u->act_sel--;
		return;
	}
	if (key == 't') {
		ask(u, "Action item:", "", answer_action_text, NULL, 0);
		return;
	}
	if (ai != NULL && (key == 'x' || key == 'D')) {
		report(u,
		       store_action_set_state(
		           u->d.st, ai->id,
		           key == 'x' ? ACTION_DONE : ACTION_DROPPED, &err),
		       &err, key == 'x' ? "done" : "dropped");
		u->mode = MODE_ACTIONS;
		reload_actions(u);
		return;
	}
	if (ai != NULL && (key == 'o' || key == 'w' || key == 'e')) {
		u->flow_step = (int)key;
		if (key == 'o')
			load_people(u);
		ask(u,
		    key == 'o'   ? "Owner (Tab completes):"
		    : key == 'w' ? "Due (YYYY-MM-DD, +3d):"
		                 : "Text:",
		    key == 'e' ? ai->text : "", answer_action_field, NULL, 0);
		return;
	}
	u->mode = MODE_NORMAL;
}

/* ---- the pager: reports and status updates ---------------------------------
 */

static void
pager_open(struct ui *u, const char *title, char *text, int is_update)
{
	free(u->pager_text);
	u->pager_text = text;
	snprintf(u->pager_title, sizeof u->pager_title, "%s", title);
	u->pager_top = 0;
	u->pager_update = is_update;
	u->mode = MODE_PAGER;
	u->dirty = 1;
}

/* Runs a report into a string, as the command line would print it. */
static char *
capture(struct ui *u, int handoff, struct itui_err *err)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	enum itui_code rc;
	int64_t now = context_now(), since = now - 30 * 86400, look;
	const char *why = "default";

	if (f == NULL)
		fatal("open_memstream failed");
	if (handoff) {
		since = now - 12 * 3600;
		if (store_last_look(u->d.st, u->ctx->user, &look, err) ==
		        ITUI_OK &&
		    look != TIME_NONE) {
			since = look;
			why = "your last look";
		}
		rc = report_handoff(u->d.st, u->d.policy, u->ctx->user, now,
		                    since, why, 0, f, err);
	} else {
		rc = report_stats(u->d.st, u->d.policy, now, since, 0, f, err);
	}
	fclose(f);
	if (rc != ITUI_OK) {
		free(buf);
		return NULL;
	}
	return buf;
}

static void
show_report(struct ui *u, int handoff)
{
	struct itui_err err;
	char *text = capture(u, handoff, &err);

	if (text == NULL) {
		message(u, 1, "%s", err.msg);
		return;
	}
	pager_open(u, handoff ? "Handoff" : "Reports: the last 30 days", text,
	           0);
}

static void
answer_template(struct ui *u, const char *a)
{
	struct strbuf out = STRBUF_INIT;
	struct itui_err err;
	char title[96];

	if (*a == '\0')
		a = comms_default_template(&u->d.detail);
	if (comms_render(u->d.st, u->d.policy, u->ctx->share_dir, u->d.sel_id,
	                 a, context_now(), u->ctx->user, &out,
	                 &err) != ITUI_OK) {
		strbuf_free(&out);
		message(u, 1, "%s", err.msg);
		return;
	}
	snprintf(u->pager_template, sizeof u->pager_template, "%s", a);
	u->pager_incident = u->d.sel_id;
	snprintf(title, sizeof title, "Status update (%s) for INC-%lld", a,
	         (long long)u->d.sel_id);
	pager_open(u, title, strbuf_detach(&out), 1);
}

static void
answer_write(struct ui *u, const char *path)
{
	FILE *f;

	if (*path == '\0')
		return;
	f = fopen(path, "w");
	if (f == NULL || fputs(u->pager_text, f) == EOF || fclose(f) != 0) {
		message(u, 1, "writing %s: %s", path, strerror(errno));
		return;
	}
	message(u, 0, "written to %s", path);
}

/* OSC 52: the terminal (even over SSH) puts the text on the clipboard. */
static void
copy_osc52(struct ui *u)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *s = (const unsigned char *)u->pager_text;
	size_t n = strlen(u->pager_text), i;
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, "\033]52;c;");
	for (i = 0; i < n; i += 3) {
		unsigned v = (unsigned)s[i] << 16 |
		             (i + 1 < n ? (unsigned)s[i + 1] << 8 : 0) |
		             (i + 2 < n ? s[i + 2] : 0);

		strbuf_addch(&sb, b64[v >> 18 & 63]);
		strbuf_addch(&sb, b64[v >> 12 & 63]);
		strbuf_addch(&sb, i + 1 < n ? b64[v >> 6 & 63] : '=');
		strbuf_addch(&sb, i + 2 < n ? b64[v & 63] : '=');
	}
	strbuf_addch(&sb, '\a');
	(void)!write(STDOUT_FILENO, sb.buf, sb.len);
	strbuf_free(&sb);
	message(u, 0, "copied to the clipboard (OSC 52)");
}

/* Edits the update in $EDITOR, outside curses, and reads it back. */
static void
edit_in_editor(struct ui *u)
{
	const char *ed = getenv("VISUAL") ? getenv("VISUAL") : getenv("EDITOR");
	char path[] = "/tmp/incident-tui-update-XXXXXX", *cmd, *text = NULL;
	struct itui_err err;
	int fd = mkstemp(path), status;

	if (fd < 0) {
		message(u, 1, "mkstemp: %s", strerror(errno));
		return;
	}
	(void)!write(fd, u->pager_text, strlen(u->pager_text));
	close(fd);
	def_prog_mode();
	endwin();
	cmd = xasprintf("%s '%s'", ed && *ed ? ed : "vi", path);
	status = system(cmd);
	free(cmd);
	reset_prog_mode();
	clearok(curscr, TRUE);
	if (status == 0 && tmpl_read(path, &text, &err) == ITUI_OK) {
		free(u->pager_text);
		u->pager_text = text;
		message(u, 0, "edited");
	} else {
		message(u, 1, "the editor failed; the text is unchanged");
	}
	unlink(path);
	u->dirty = 1;
}

static void
pager_key(struct ui *u, uint32_t key)
{
	struct itui_err err;

	u->dirty = 1;
	switch (key) {
	case 'j':
	case KEYC_DOWN:
		u->pager_top++;
		return;
	case 'k':
	case KEYC_UP:
		if (u->pager_top > 0)
			u->pager_top--;
		return;
	case ' ':
	case KEYC_PGDN:
		u->pager_top += u->rows - 6;
		return;
	case KEYC_PGUP:
		u->pager_top = u->pager_top > u->rows - 6
		                   ? u->pager_top - (u->rows - 6)
		                   : 0;
		return;
	}
	if (u->pager_update && key == 'c') {
		copy_osc52(u);
		return;
	}
	if (u->pager_update && key == 'w') {
		ask(u, "Write to file:", "", answer_write, NULL, 0);
		u->mode = MODE_PROMPT;
		return;
	}
	if (u->pager_update && key == 'e') {
		edit_in_editor(u);
		return;
	}
	if (u->pager_update && key == 's') {
		char data[64];

		snprintf(data, sizeof data, "{\"template\":\"%s\"}",
		         u->pager_template);
		report(u,
		       store_entry_add(u->d.st, u->pager_incident, KIND_COMMS,
		                       TIME_NONE, u->pager_text, data, NULL,
		                       &err),
		       &err, "marked as sent: the update clock starts again");
		u->mode = MODE_NORMAL;
		return;
	}
	u->mode = MODE_NORMAL;
}

/* ---- keys and mouse
 * --------------------------------------------------------------- */

static uint32_t
translate(int rc, wint_t ch)
{
	if (rc == KEY_CODE_YES) {
		switch (ch) {
		case KEY_UP:
			return KEYC_UP;
		case KEY_DOWN:
			return KEYC_DOWN;
		case KEY_LEFT:
			return KEYC_LEFT;
		case KEY_RIGHT:
			return KEYC_RIGHT;
		case KEY_HOME:
			return KEYC_HOME;
		case KEY_END:
			return KEYC_END;
		case KEY_PPAGE:
			return KEYC_PGUP;
		case KEY_NPAGE:
			return KEYC_PGDN;
		case KEY_DC:
			return KEYC_DELETE;
		case KEY_BACKSPACE:
			return KEYC_BACKSPACE;
		case KEY_BTAB:
			return KEYC_BTAB;
		case KEY_F(1):
			return KEYC_F1;
		case KEY_ENTER:
			return KEYC_ENTER;
		case KEY_RESIZE:
			return KEYC_RESIZE;
		case KEY_MOUSE:
			return KEYC_MOUSE;
		}
		return 0;
	}
	if (ch == '\r')
		return KEYC_ENTER;
	if (ch == 0x7f)
		return KEYC_BACKSPACE;
	return (uint32_t)ch;
}

static void
mouse(struct ui *u)
{
	MEVENT ev;
	struct rect l = u->lay.list;
	int tl_top;

	if (getmouse(&ev) != OK)
		return;
	if (ev.bstate & (BUTTON4_PRESSED | BUTTON5_PRESSED)) {
		move_selection(u, ev.bstate & BUTTON4_PRESSED ? -3 : 3);
		return;
	}
	if (!(ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED)))
		return;
	if (ev.y > l.y && ev.y < l.y + l.h && ev.x >= l.x && ev.x < l.x + l.w) {
		u->focus = FOCUS_LIST;
		select_incident(u, u->list_lv.top + ev.y - l.y - 1);
		return;
	}
	/* Where the last frame drew the timeline: no layout is re-derived. */
	tl_top = u->timeline_y;
	if (tl_top >= 0 && ev.y >= tl_top && ev.x >= u->lay.detail.x &&
	    ev.y < u->lay.detail.y + u->lay.detail.h) {
		u->focus = FOCUS_TIMELINE;
		u->follow = 0;
		select_entry_index(u, u->tl_lv.top + ev.y - tl_top);
	}
}

static void
handle_key(struct ui *u, uint32_t key)
{
	enum ui_action a;

	if (key == KEYC_RESIZE) {
		u->dirty = 1;
		return;
	}
	if (key == KEYC_MOUSE) {
		if (u->mode == MODE_NORMAL)
			mouse(u);
		return;
	}
	if (u->mode == MODE_INPUT || u->mode == MODE_PROMPT) {
		input_key(u, key);
		return;
	}
	if (u->mode == MODE_HELP) {
		if (key == 'j' || key == KEYC_DOWN)
			u->help_top++;
		else if ((key == 'k' || key == KEYC_UP) && u->help_top > 0)
			u->help_top--;
		else
			u->mode = MODE_NORMAL;
		u->dirty = 1;
		return;
	}
	if (u->mode == MODE_ALERTS) {
		alerts_key(u, key);
		return;
	}
	if (u->mode == MODE_PAGER) {
		pager_key(u, key);
		return;
	}
	if (u->mode == MODE_ACTIONS) {
		actions_key(u, key);
		return;
	}
	if (u->mode == MODE_VIEW) {
		a = keymap_lookup(&u->km, key);
		if (a == UA_EDIT || a == UA_PIN || a == UA_DELETE) {
			u->mode = MODE_NORMAL;
			run_action(u, a, NULL);
			return;
		}
		u->mode = MODE_NORMAL;
		u->dirty = 1;
		return;
	}
	a = keymap_lookup(&u->km, key);
	if (a == ACTION_NONE) {
		char name[32];

		keyc_name(key, name, sizeof name);
		message(u, 1, "%s is not bound (? shows the keys)", name);
		return;
	}
	run_action(u, a, NULL);
}

static void
read_keys(struct ui *u)
{
	wint_t ch;
	int rc;

	while ((rc = get_wch(&ch)) != ERR) {
		uint32_t key = translate(rc, ch);

		if (u->trace != NULL && u->key_ns == 0)
			u->key_ns = ui_mono_ns();
		if (key != 0)
			handle_key(u, key);
		if (u->quit)
			return;
	}
}

/* ---- live updates
 * -------------------------------------------------------------- */

static void
check_version(struct ui *u)
{
	int changed = dash_changed(&u->d);

	if (u->offline != (changed < 0)) {
		u->offline = changed < 0;
		u->dirty = 1;
	}
	if (changed <= 0)
		return;
	reload(u);
	refind_entry(u);
	if (u->mode == MODE_ALERTS)
		reload_alerts(u);
	if (u->mode == MODE_ACTIONS)
		reload_actions(u);
	u->rechecks = 0;
}

static int
poll_timeout(const struct ui *u)
{
	int64_t now = mono_ms(), next;
	struct timespec ts;

	/* The next whole second of the wall clock, for the countdowns. */
	clock_gettime(CLOCK_REALTIME, &ts);
	next = 1000 - ts.tv_nsec / 1000000;
	if (u->rechecks > 0 && next > RECHECK_MS)
		next = RECHECK_MS;
	if (u->draft_due_ms > 0 && u->draft_due_ms - now < next)
		next = u->draft_due_ms - now;
	return next < 0 ? 0 : (int)next;
}

static void
handle_signals(struct ui *u)
{
	char buf[64];

	/* Signals, or the poller saying it committed something. */
	while (read(u->sigfd[0], buf, sizeof buf) > 0)
		;
	u->rechecks = RECHECKS;
	if (got_hup || got_term || got_int) {
		/* A dropped session or a kill: keep what was being typed. */
		if (u->mode == MODE_INPUT)
			u->draft_dirty = 1;
		save_draft(u);
		u->quit = 1;
	}
}

static void
restore_draft(struct ui *u)
{
	struct itui_err err;
	enum entry_kind kind;
	int64_t inc = 0;
	char *text = NULL;

	if (store_is_readonly(u->d.st) ||
	    store_draft_load(u->d.st, u->ctx->user, &inc, &kind, &text, &err) !=
	        ITUI_OK ||
	    text == NULL)
		return;
	if (dash_select_id(&u->d, inc, &err) == ITUI_OK) {
		start_input(u, 0);
		message(u, 0,
		        "restored your unsent draft for INC-%lld "
		        "(Enter logs it, Esc discards it)",
		        (long long)inc);
	}
	free(text);
}

static int
setup_signals(struct ui *u)
{
	struct sigaction sa;

	if (pipe2(u->sigfd, O_NONBLOCK | O_CLOEXEC) != 0)
		return -1;
	sig_write_fd = u->sigfd[1];
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	return 0;
}

/* The metrics poller, on its own thread (libcurl is loaded first, here). */
static void
start_poller(struct ui *u)
{
	struct itui_err err;

	if (!metrics_configured(&u->ctx->cfg))
		return;
	if (http_global_init(&err) != ITUI_OK ||
	    poller_open(&u->poller, &u->ctx->cfg, u->ctx->db_path, u->ctx->user,
	                u->sigfd[1], &err) != ITUI_OK ||
	    poller_start(&u->poller, &err) != ITUI_OK) {
		snprintf(u->poller_problem, sizeof u->poller_problem,
		         "metrics poller not running: %s", err.msg);
		message(u, 1, "%s", u->poller_problem);
		poller_close(&u->poller);
		return;
	}
	u->poller_on = 1;
}

int
ui_run(struct context *ctx, struct itui_err *err)
{
	struct ui *u = xcalloc(1, sizeof *u);
	const char *trace = getenv("INCIDENT_TUI_TRACE");
	int64_t started = ui_mono_ns();

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		free(u);
		return err_set(
		    err, ITUI_USAGE,
		    "the dashboard needs a terminal; for scripts use a command "
		    "(incident-tui --help)");
	}
	u->ctx = ctx;
	keymap_init(&u->km);
	if (keymap_apply(&u->km, ctx->cfg.path ? ctx->cfg.path : "config",
	                 ctx->cfg.keys, ctx->cfg.nkeys, err) != ITUI_OK ||
	    dash_open(&u->d, ctx, err) != ITUI_OK) {
		dash_close(&u->d);
		free(u);
		return err->code;
	}
	if (trace != NULL && *trace != '\0') {
		u->trace = fopen(trace, "a");
		if (u->trace != NULL)
			fprintf(u->trace, "start %lld\n", (long long)started);
	}
	if (setup_signals(u) != 0) {
		free(u);
		return err_set(err, ITUI_IO, "pipe: %s", strerror(errno));
	}
	watch_open(&u->watch, ctx->db_path);
	start_poller(u);
	if (getenv("ESCDELAY") == NULL)
		set_escdelay(50);
	initscr();
	xalloc_set_fatal_hook(restore_terminal);
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED |
	              BUTTON5_PRESSED,
	          NULL);
	mouseinterval(0);
	ui_colors_init(u);
	u->follow = 1;
	refind_entry(u);
	restore_draft(u);
	u->dirty = 1;

	while (!u->quit) {
		struct pollfd fds[3] = {{STDIN_FILENO, POLLIN, 0},
		                        {u->sigfd[0], POLLIN, 0},
		                        {u->watch.fd, POLLIN, 0}};
		struct timespec ts;
		int n;

		if (u->dirty)
			ui_render(u);
		n = poll(fds, 3, poll_timeout(u));
		if (n < 0 && errno != EINTR)
			break;
		if (fds[1].revents & POLLIN)
			handle_signals(u);
		if (u->quit)
			break;
		if (fds[0].revents & (POLLHUP | POLLERR)) {
			/* The terminal went away without a signal. */
			got_hup = 1;
			handle_signals(u);
			break;
		}
		if (u->watch.fd >= 0 && (fds[2].revents & POLLIN) &&
		    watch_drain(&u->watch))
			u->rechecks = RECHECKS;
		/* Also after EINTR: a resize arrives as a key. */
		read_keys(u);
		if (u->draft_due_ms > 0 && mono_ms() >= u->draft_due_ms)
			save_draft(u);
		clock_gettime(CLOCK_REALTIME, &ts);
		if (ts.tv_sec != u->last_tick) {
			/* The countdowns move; the slow safety-net check. */
			u->last_tick = ts.tv_sec;
			u->dirty = 1;
			check_version(u);
		} else if (u->rechecks > 0) {
			u->rechecks--;
			check_version(u);
		}
	}
	if (u->mode == MODE_INPUT)
		save_draft(u);
	restore_terminal();
	if (u->poller_on)
		poller_close(&u->poller);
	alert_rows_free(&u->alerts);
	free(u->pager_text);
	action_list_free(&u->act_rows);
	metric_summary_free(&u->metric);
	watch_close(&u->watch);
	if (u->trace != NULL)
		fclose(u->trace);
	close(u->sigfd[0]);
	close(u->sigfd[1]);
	sig_write_fd = -1;
	{
		size_t i;

		for (i = 0; i < u->npeople; i++)
			free(u->people[i]);
		free(u->people);
	}
	editline_free(&u->el);
	dash_close(&u->d);
	free(u);
	return ITUI_OK;
}
