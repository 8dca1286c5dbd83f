/* keymap.c - the action table, key names, and [keys] rebinding. */
#include <stdio.h>
#include <string.h>

#include "itui/keymap.h"
#include "itui/sanitize.h"

const struct action_info ui_actions[UA_COUNT] = {
#define UI_ACTION_ROW(e, name, keys, flags, help) {name, keys, flags, help},
    UI_ACTIONS(UI_ACTION_ROW)
#undef UI_ACTION_ROW
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

static void
bind(struct keymap *km, uint32_t key, enum ui_action a)
{
	size_t i;

	/* A key does one thing: a new binding takes it from its old action. */
	for (i = 0; i < km->n; i++)
		if (km->key[i] == key) {
			km->action[i] = a;
			return;
		}
	if (km->n < KEYMAP_MAX) {
		km->key[km->n] = key;
		km->action[km->n++] = a;
	}
}

static void
unbind_action(struct keymap *km, enum ui_action a)
{
	size_t i, o = 0;

	for (i = 0; i < km->n; i++)
		if (km->action[i] != a) {
			km->key[o] = km->key[i];
			km->action[o++] = km->action[i];
		}
	km->n = o;
}

/* Binds each space-separated key name; returns the first bad name or NULL. */
static const char *
bind_list(struct keymap *km, const char *list, enum ui_action a, char *bad,
          size_t badlen)
{
	char copy[256], *save = NULL, *tok;

	snprintf(copy, sizeof copy, "%s", list);
	for (tok = strtok_r(copy, " \t", &save); tok != NULL;
	     tok = strtok_r(NULL, " \t", &save)) {
		uint32_t k = keyc_parse(tok);

		if (k == 0) {
			snprintf(bad, badlen, "%s", tok);
			return bad;
		}
		bind(km, k, a);
	}
	return NULL;
}

void
keymap_init(struct keymap *km)
{
	char bad[64];
	int a;

	km->n = 0;
	for (a = 0; a < UA_COUNT; a++)
		(void)bind_list(km, ui_actions[a].default_keys,
		                (enum ui_action)a, bad, sizeof bad);
}

enum ui_action
action_by_name(const char *name)
{
	int a;

	for (a = 0; a < UA_COUNT; a++)
		if (strcmp(ui_actions[a].name, name) == 0)
			return (enum ui_action)a;
	return ACTION_NONE;
}

enum itui_code
keymap_apply(struct keymap *km, const char *file,
             const struct config_pair *pairs, size_t n, struct itui_err *err)
{
	char bad[64];
	size_t i;

	for (i = 0; i < n; i++) {
		enum ui_action a = action_by_name(pairs[i].key);

		if (a == ACTION_NONE)
			return err_set(err, ITUI_CONFIG,
			               "%s:%d: [keys]: unknown action '%s'",
			               file, pairs[i].line, pairs[i].key);
		unbind_action(km, a);
		if (bind_list(km, pairs[i].value, a, bad, sizeof bad) != NULL)
			return err_set(
			    err, ITUI_CONFIG,
			    "%s:%d: [keys]: unknown key '%s' (e.g. o, C-o, "
			    "PageDown, F1)",
			    file, pairs[i].line, bad);
	}
	return ITUI_OK;
}

enum ui_action
keymap_lookup(const struct keymap *km, uint32_t key)
{
	size_t i;

	for (i = 0; i < km->n; i++)
		if (km->key[i] == key)
			return km->action[i];
	return ACTION_NONE;
}

void
keymap_describe(const struct keymap *km, enum ui_action a, char *buf,
                size_t size)
{
	size_t i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < km->n && off + 1 < size; i++) {
		char name[32];

		if (km->action[i] != a)
			continue;
		keyc_name(km->key[i], name, sizeof name);
		off += (size_t)snprintf(buf + off, size - off, "%s%s",
		                        off ? " " : "", name);
	}
}
