/*
 * view-pager.c - a scrollable text: a report, a verb's output, or a status
 * update, which can be sent to the clipboard, written to a file, edited in
 * $EDITOR and marked sent (a comms entry, through the `update` verb).
 */
#include <curses.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "itui/strbuf.h"
#include "itui/template.h"
#include "itui/view-pager.h"
#include "itui/xalloc.h"

void
ui_pager_open(struct ui *u, const char *title, char *text, int is_update)
{
	free(u->pager_text);
	u->pager_text = text;
	snprintf(u->pager_title, sizeof u->pager_title, " %s ", title);
	u->pager_top = 0;
	u->pager_update = is_update;
	u->pager_handoff = 0;
	ui_push(u, VIEW_PAGER);
	u->dirty = 1;
}

static int
pager_lines(const struct ui *u)
{
	const char *q;
	int n = 1;

	for (q = u->pager_text ? u->pager_text : ""; *q; q++)
		n += *q == '\n';
	return n;
}

static void
pager_close(struct ui *u)
{
	free(u->pager_text);
	u->pager_text = NULL;
	u->pager_update = 0;
	u->pager_handoff = 0;
}

static void
pager_layout(struct ui *u)
{
	int page = ui_overlay_rows(u), n = pager_lines(u);

	if (u->pager_top > n - page)
		u->pager_top = n - page > 0 ? n - page : 0;
}

static void
pager_draw(const struct ui *u)
{
	const char *p = u->pager_text ? u->pager_text : "";
	struct rect r;
	int y, line = 0;

	ui_overlay(u, u->pager_title, &r);
	for (y = r.y; *p != '\0' && y < r.y + r.h; line++) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char *one = xstrndup(p, len);

		if (line >= u->pager_top)
			ui_put(y++, r.x, r.w, one, A_NORMAL);
		free(one);
		p += len + (nl ? 1 : 0);
	}
}

static unsigned
answer_write(struct ui *u, const char *path)
{
	FILE *f;

	if (*path == '\0')
		return REACT_NONE;
	f = fopen(path, "w");
	if (f == NULL || fputs(u->pager_text, f) == EOF || fclose(f) != 0) {
		ui_message(u, 1, "writing %s: %s", path, strerror(errno));
		return REACT_REDRAW;
	}
	ui_message(u, 0, "written to %s", path);
	return REACT_REDRAW;
}

/* OSC 52: the terminal (even over SSH) may put the text on its clipboard. */
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
	/* Only sent: whether it reached a clipboard the terminal decides. */
	ui_message(u, 0,
	           "sent to the terminal for its clipboard (OSC 52; it may "
	           "ignore it; under tmux: set -g set-clipboard on)");
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
		ui_message(u, 1, "mkstemp: %s", strerror(errno));
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
		ui_message(u, 0, "edited");
	} else {
		ui_message(u, 1, "the editor failed; the text is unchanged");
	}
	unlink(path);
}

static unsigned
mark_sent(struct ui *u)
{
	struct cmd_seen s = {u->pager_incident, 0, 0};
	char *text = xstrdup(u->pager_text);
	enum itui_code rc;

	rc = ui_verb(u, &s, 0, NULL,
	             UI_WORDS("update", "--template", u->pager_template,
	                      "--mark-sent", "--text", text));
	free(text);
	if (rc == ITUI_OK)
		ui_pop(u);
	return REACT_RELOAD;
}

/* The handoff's "since" menu; a typed duration or time also goes. */
static const char *const since_choices[] = {"last-look", "1h",  "4h",
                                            "12h",       "24h", "7d"};

static unsigned
answer_since(struct ui *u, const char *a)
{
	struct itui_err err;
	int look = strcmp(a, "last-look") == 0 || *a == '\0';
	char *text =
	    dash_report(&u->d,
	                look ? UI_WORDS("handoff", "--peek")
	                     : UI_WORDS("handoff", "--peek", "--since", a),
	                &err);

	if (text == NULL) {
		ui_message(u, 1, "%s", err.msg);
		return REACT_REDRAW;
	}
	free(u->pager_text);
	u->pager_text = text;
	u->pager_top = 0;
	snprintf(u->pager_title, sizeof u->pager_title,
	         " Handoff since %s (" HANDOFF_KEYS ") ",
	         look ? "your last look" : a);
	return REACT_REDRAW;
}

static unsigned
pager_request(struct ui *u, enum ui_action a)
{
	int pos =
	    ui_scroll(a, u->pager_top, pager_lines(u), ui_overlay_rows(u));

	if (pos >= 0) {
		u->pager_top = pos;
		return REACT_REDRAW;
	}
	if (a == UA_PG_SINCE) {
		if (!u->pager_handoff) {
			ui_message(u, 1,
			           "only the handoff summary has a since");
			return REACT_REDRAW;
		}
		ui_menu(u, "Changes since:", answer_since, since_choices,
		        sizeof since_choices / sizeof since_choices[0], 0);
		return REACT_REDRAW;
	}
	if (a == UA_PG_LOOK) {
		struct cmd_seen s = {0, 0, 0};

		if (!u->pager_handoff) {
			ui_message(u, 1,
			           "only the handoff summary counts as a "
			           "look");
			return REACT_REDRAW;
		}
		(void)ui_verb(u, &s, 0, NULL, UI_WORDS("handoff", "--look"));
		return REACT_REDRAW;
	}
	if (a != UA_PG_COPY && a != UA_PG_WRITE && a != UA_PG_EDIT &&
	    a != UA_PG_SENT)
		return REACT_UNHANDLED;
	if (!u->pager_update) {
		ui_message(u, 1, "only a status update can be %s",
		           a == UA_PG_SENT ? "marked sent"
		                           : "copied or edited");
		return REACT_REDRAW;
	}
	switch (a) {
	case UA_PG_COPY:
		copy_osc52(u);
		return REACT_REDRAW;
	case UA_PG_WRITE:
		ui_ask(u, "Write to file:", "", answer_write, NULL, 0);
		return REACT_REDRAW;
	case UA_PG_EDIT:
		edit_in_editor(u);
		return REACT_CLEAR | REACT_REDRAW;
	default:
		return mark_sent(u);
	}
}

const struct view_ops view_pager_ops = {
    .id = VIEW_PAGER,
    .close = pager_close,
    .layout = pager_layout,
    .draw = pager_draw,
    .request = pager_request,
};
