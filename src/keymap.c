/*
 * keymap.c - the action table, key names, per-view key maps, and [keys]
 * rebinding.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "itui/keymap.h"
#include "itui/sanitize.h"

const struct action_info ui_actions[UA_COUNT] = {
#define UI_ACTION_ROW(e, view, name, keys, flags, help) \
	{VIEW_##view, name, keys, flags, help},
    UI_ACTIONS(UI_ACTION_ROW)
#undef UI_ACTION_ROW
};

const char *const ui_view_names[VIEW_COUNT] = {
#define UI_VIEW_NAME(e, name) name,
    UI_VIEWS(UI_VIEW_NAME)
#undef UI_VIEW_NAME
};

static const struct {
	const char *name;
	uint32_t key;
} named[] = {
    {"Up", KEYC_UP},         {"Down", KEYC_DOWN},
    {"Left", KEYC_LEFT},     {"Right", KEYC_RIGHT},
    {"Home", KEYC_HOME},     {"End", KEYC_END},
    {"PageUp", KEYC_PGUP},   {"PageDown", KEYC_PGDN},
    {"Delete", KEYC_DELETE}, {"Backspace", KEYC_BACKSPACE},
    {"S-Tab", KEYC_BTAB},    {"F1", KEYC_F1},
    {"Enter", KEYC_ENTER},   {"Tab", KEYC_TAB},
    {"Esc", KEYC_ESC},       {"Space", ' '},
};

uint32_t
keyc_parse(const char *s)
{
	size_t i, len = strlen(s);
	uint32_t cp;

	for (i = 0; i < sizeof named / sizeof named[0]; i++)
		if (strcmp(named[i].name, s) == 0)
			return named[i].key;
	if (len == 3 && s[0] == 'C' && s[1] == '-' && s[2] >= 'a' &&
	    s[2] <= 'z' && s[2] != 'i' && s[2] != 'j' && s[2] != 'm' &&
	    s[2] != '[')
		return KEYC_CTRL((uint32_t)s[2]);
	/* One printable character (UTF-8). */
	if (len > 0 && utf8_decode(s, len, &cp) == len && cp > ' ' &&
	    cp != 0x7f && cp != 0xFFFD)
		return cp;
	return 0;
}

void
keyc_name(uint32_t key, char *buf, size_t size)
{
	size_t i;

	for (i = 0; i < sizeof named / sizeof named[0]; i++)
		if (named[i].key == key) {
			snprintf(buf, size, "%s", named[i].name);
			return;
		}
	if (key < 0x20) {
		snprintf(buf, size, "C-%c", (char)(key + 'a' - 1));
		return;
	}
	if (key < 0x110000) {
		char u[5] = {0};

		utf8_encode(key, u);
		snprintf(buf, size, "%s", u);
		return;
	}
	snprintf(buf, size, "?");
}

static enum ui_action
find_key(const struct keymap_view *v, uint32_t key)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		if (v->key[i] == key)
			return v->action[i];
	return ACTION_NONE;
}

static void
bind(struct keymap_view *v, uint32_t key, enum ui_action a)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		if (v->key[i] == key) {
			v->action[i] = a;
			return;
		}
	if (v->n < KEYMAP_MAX) {
		v->key[v->n] = key;
		v->action[v->n++] = a;
	}
}

static void
unbind_action(struct keymap_view *v, enum ui_action a)
{
	size_t i, o = 0;

	for (i = 0; i < v->n; i++)
		if (v->action[i] != a) {
			v->key[o] = v->key[i];
			v->action[o++] = v->action[i];
		}
	v->n = o;
}

int
action_in_view(enum ui_action a, enum ui_view view)
{
	return (unsigned)a < UA_COUNT &&
	       (ui_actions[a].view == view || ui_actions[a].view == VIEW_ANY);
}

void
keymap_init(struct keymap *km)
{
	int a;

	memset(km, 0, sizeof *km);
	for (a = 0; a < UA_COUNT; a++) {
		char copy[64], *save = NULL, *tok;

		snprintf(copy, sizeof copy, "%s", ui_actions[a].default_keys);
		for (tok = strtok_r(copy, " ", &save); tok != NULL;
		     tok = strtok_r(NULL, " ", &save))
			bind(&km->v[ui_actions[a].view], keyc_parse(tok),
			     (enum ui_action)a);
	}
}

enum ui_action
action_by_name(enum ui_view view, const char *name)
{
	int a;

	for (a = 0; a < UA_COUNT; a++)
		if (ui_actions[a].view == view &&
		    strcmp(ui_actions[a].name, name) == 0)
			return (enum ui_action)a;
	for (a = 0; a < UA_COUNT; a++)
		if (ui_actions[a].view == VIEW_ANY &&
		    strcmp(ui_actions[a].name, name) == 0)
			return (enum ui_action)a;
	return ACTION_NONE;
}

/*
 * Who else holds `key` where action `a` would answer it: in a view, its
 * own actions and the generic ones; for a generic action, every view.
 */
static enum ui_action
holder(const struct keymap *km, enum ui_view view, uint32_t key,
       enum ui_action a)
{
	enum ui_action h;
	int v;

	if (view != VIEW_ANY) {
		h = find_key(&km->v[view], key);
		if (h == ACTION_NONE)
			h = find_key(&km->v[VIEW_ANY], key);
		return h == a ? ACTION_NONE : h;
	}
	for (v = 0; v < VIEW_COUNT; v++) {
		h = find_key(&km->v[v], key);
		if (h != ACTION_NONE && h != a)
			return h;
	}
	return ACTION_NONE;
}

/* "alerts.down" -> the alerts view and "down"; "log" -> main. */
static enum ui_view
split_name(const char *key, const char **name)
{
	const char *dot = strchr(key, '.');
	int v;

	*name = key;
	if (dot == NULL)
		return VIEW_MAIN;
	for (v = 0; v < VIEW_COUNT; v++)
		if (strlen(ui_view_names[v]) == (size_t)(dot - key) &&
		    strncmp(ui_view_names[v], key, (size_t)(dot - key)) == 0) {
			*name = dot + 1;
			return (enum ui_view)v;
		}
	return VIEW_COUNT;
}

enum itui_code
keymap_apply(struct keymap *km, const char *file,
             const struct config_pair *pairs, size_t n, struct itui_err *err)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const char *name;
		enum ui_view view = split_name(pairs[i].key, &name);
		char copy[256], *save = NULL, *tok, section[32];
		enum ui_action a;
		struct keymap_view *kv;

		if (name == pairs[i].key)
			snprintf(section, sizeof section, "keys");
		else
			snprintf(section, sizeof section, "keys.%.*s",
			         (int)(name - pairs[i].key - 1), pairs[i].key);
		if (view == VIEW_COUNT)
			return err_set(
			    err, ITUI_CONFIG,
			    "%s:%d: unknown view in [keys.%.*s] (main, "
			    "entry, help, alerts, actions, pager, "
			    "conflict)",
			    file, pairs[i].line,
			    (int)strcspn(pairs[i].key, "."), pairs[i].key);
		a = action_by_name(view, name);
		if (a == ACTION_NONE)
			return err_set(err, ITUI_CONFIG,
			               "%s:%d: [%s]: unknown action '%s'", file,
			               pairs[i].line, section, name);
		/* A generic action rebound in [keys.VIEW] is that view's. */
		kv = &km->v[ui_actions[a].view == VIEW_ANY && view != VIEW_MAIN
		                ? view
		                : ui_actions[a].view];
		unbind_action(kv, a);
		snprintf(copy, sizeof copy, "%s", pairs[i].value);
		for (tok = strtok_r(copy, " \t", &save); tok != NULL;
		     tok = strtok_r(NULL, " \t", &save)) {
			uint32_t k = keyc_parse(tok);
			enum ui_action h;

			if (k == 0)
				return err_set(err, ITUI_CONFIG,
				               "%s:%d: [%s]: unknown key '%s' "
				               "(e.g. o, C-o, PageDown, F1)",
				               file, pairs[i].line, section,
				               tok);
			h = holder(km, (enum ui_view)(kv - km->v), k, a);
			if (h != ACTION_NONE)
				return err_set(err, ITUI_CONFIG,
				               "%s:%d: [%s]: %s already does "
				               "'%s'; rebind that first",
				               file, pairs[i].line, section,
				               tok, ui_actions[h].name);
			bind(kv, k, a);
		}
	}
	return ITUI_OK;
}

enum ui_action
keymap_lookup(const struct keymap *km, enum ui_view view, uint32_t key)
{
	enum ui_action a = find_key(&km->v[view], key);

	return a != ACTION_NONE ? a : find_key(&km->v[VIEW_ANY], key);
}

static void
describe_in(const struct keymap_view *v, enum ui_action a, char *buf,
            size_t size, size_t *off)
{
	size_t i;

	for (i = 0; i < v->n && *off + 1 < size; i++) {
		char name[32];

		if (v->action[i] != a)
			continue;
		keyc_name(v->key[i], name, sizeof name);
		*off += (size_t)snprintf(buf + *off, size - *off, "%s%s",
		                         *off ? " " : "", name);
	}
}

void
keymap_describe(const struct keymap *km, enum ui_view view, enum ui_action a,
                char *buf, size_t size)
{
	size_t off = 0;

	buf[0] = '\0';
	describe_in(&km->v[view], a, buf, size, &off);
	/* A generic action answers its own keys too, where not shadowed. */
	if (ui_actions[a].view == VIEW_ANY && view != VIEW_ANY) {
		const struct keymap_view *g = &km->v[VIEW_ANY];
		size_t i;

		for (i = 0; i < g->n && off + 1 < size; i++) {
			char name[32];

			if (g->action[i] != a ||
			    find_key(&km->v[view], g->key[i]) != ACTION_NONE)
				continue;
			keyc_name(g->key[i], name, sizeof name);
			off += (size_t)snprintf(buf + off, size - off, "%s%s",
			                        off ? " " : "", name);
		}
	}
}

void
keymap_footer(const struct keymap *km, enum ui_view view, char *buf,
              size_t size)
{
	size_t off = 0;
	int pass, a;

	buf[0] = '\0';
	/* The generic ones first (help, quit), then the view's own. */
	for (pass = 0; pass < 2; pass++)
		for (a = 0; a < UA_COUNT && off + 1 < size; a++) {
			char keys[64], *sp;

			if (!(ui_actions[a].flags & ACT_FOOTER) ||
			    ui_actions[a].view != (pass ? view : VIEW_ANY))
				continue;
			keymap_describe(km, view, (enum ui_action)a, keys,
			                sizeof keys);
			if (keys[0] == '\0')
				continue;
			sp = strchr(keys, ' ');
			if (sp != NULL)
				*sp = '\0';
			off += (size_t)snprintf(buf + off, size - off,
			                        "%s%s:%s", off ? "  " : "",
			                        keys, ui_actions[a].name);
		}
}
