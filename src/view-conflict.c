/*
 * view-conflict.c - an edit the store refused because someone else changed
 * the text after the edit began: theirs and mine side by side, and the
 * choice of keeping mine (a new revision over theirs, both in the
 * history), keeping theirs, or editing again from theirs.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "itui/strbuf.h"
#include "itui/view-conflict.h"
#include "itui/xalloc.h"

void
view_conflict_clear(struct ui *u)
{
	free(u->conflict.mine);
	free(u->conflict.theirs);
	free(u->conflict.why);
	memset(&u->conflict, 0, sizeof u->conflict);
}

/* Theirs, as the store has it now. */
static void
load_theirs(struct ui *u)
{
	struct itui_err err;

	free(u->conflict.theirs);
	u->conflict.theirs = NULL;
	if (u->conflict.entry_id > 0) {
		struct entry e;

		if (dash_entry(&u->d, u->conflict.entry_id, &e, &err) ==
		    ITUI_OK) {
			u->conflict.theirs = xstrdup(e.text);
			u->conflict.revision = e.revision;
			u->conflict.kind = (int)e.kind;
			u->conflict.incident_id = e.incident_id;
			entry_free(&e);
		}
		return;
	}
	if (u->d.have_detail && u->d.detail.id == u->conflict.incident_id) {
		const struct incident *inc = &u->d.detail;
		const char *v =
		    u->conflict.field == FIELD_TITLE     ? inc->title
		    : u->conflict.field == FIELD_SERVICE ? inc->service
		    : u->conflict.field == FIELD_IMPACT  ? inc->impact
		    : u->conflict.field == FIELD_SUMMARY ? inc->summary
		                                         : inc->root_cause;

		u->conflict.theirs = xstrdup(v ? v : "");
		u->conflict.revision = u->d.field_revision;
	}
}

void
view_conflict_start(struct ui *u, int64_t entry_id, const char *mine,
                    const char *why)
{
	view_conflict_clear(u);
	u->conflict.entry_id = entry_id;
	u->conflict.mine = xstrdup(mine);
	u->conflict.why = xstrdup(why);
	load_theirs(u);
	ui_push(u, VIEW_CONFLICT);
}

void
view_conflict_field(struct ui *u, int64_t incident_id, int field,
                    const char *mine, const char *why)
{
	view_conflict_clear(u);
	u->conflict.incident_id = incident_id;
	u->conflict.field = field;
	u->conflict.mine = xstrdup(mine);
	u->conflict.why = xstrdup(why);
	load_theirs(u);
	ui_push(u, VIEW_CONFLICT);
}

static void
conflict_draw(const struct ui *u)
{
	struct strbuf sb = STRBUF_INIT;
	struct rect r;

	ui_overlay(u, " Changed by someone else: nothing was saved ", &r);
	strbuf_addf(&sb, "%s\n\nTHEIRS (now in the record):\n%s\n\nYOURS:\n%s",
	            u->conflict.why ? u->conflict.why : "",
	            u->conflict.theirs ? u->conflict.theirs : "(gone)",
	            u->conflict.mine ? u->conflict.mine : "");
	ui_wrap(&r, strbuf_str(&sb), 0);
	strbuf_free(&sb);
}

static unsigned
keep_mine(struct ui *u)
{
	struct cmd_seen s = {u->conflict.incident_id, u->conflict.entry_id, 0};
	char rev[32], id[32];
	enum itui_code rc;

	load_theirs(u);
	snprintf(rev, sizeof rev, "%lld", (long long)u->conflict.revision);
	snprintf(id, sizeof id, "E-%lld", (long long)u->conflict.entry_id);
	if (u->conflict.entry_id > 0)
		rc = ui_verb(u, &s, 0, NULL,
		             UI_WORDS("entry", "edit", id, "--if-revision", rev,
		                      "--", u->conflict.mine));
	else
		rc = ui_verb(
		    u, &s, 0, NULL,
		    UI_WORDS("set", "--if-revision", rev,
		             field_name((enum inc_field)u->conflict.field),
		             "--", u->conflict.mine));
	if (rc == ITUI_CONFLICT) {
		/* Changed yet again: show the newest. */
		free(u->conflict.why);
		u->conflict.why = xstrdup(u->msg);
		load_theirs(u);
		return REACT_RELOAD;
	}
	if (rc == ITUI_OK) {
		ui_message(u, 0, "kept yours; theirs stays in the history");
		ui_pop(u);
	}
	return REACT_RELOAD;
}

static unsigned
conflict_request(struct ui *u, enum ui_action a)
{
	struct entry e;

	switch (a) {
	case UA_CF_MINE:
		return keep_mine(u);
	case UA_CF_THEIRS:
		ui_message(u, 0, "kept theirs; your text is dropped");
		ui_pop(u);
		return REACT_RELOAD;
	case UA_CF_AGAIN:
		load_theirs(u);
		if (u->conflict.entry_id == 0) {
			ui_message(u, 1, "edit the field again with E");
			ui_pop(u);
			return REACT_RELOAD;
		}
		/* The input line, editing from theirs' revision, with mine. */
		memset(&e, 0, sizeof e);
		e.id = u->conflict.entry_id;
		e.revision = (int)u->conflict.revision;
		e.kind = (enum entry_kind)u->conflict.kind;
		e.text = u->conflict.mine;
		ui_start_input(u, &e);
		u->input_incident = u->conflict.incident_id;
		ui_pop(u);
		return REACT_REDRAW;
	default:
		return REACT_UNHANDLED;
	}
}

static void
conflict_close(struct ui *u)
{
	view_conflict_clear(u);
}

const struct view_ops view_conflict_ops = {
    .id = VIEW_CONFLICT,
    .close = conflict_close,
    .draw = conflict_draw,
    .request = conflict_request,
};
