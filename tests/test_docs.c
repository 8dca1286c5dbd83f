/*
 * The man page and --help come from, or are checked against, the command
 * table: a command or option added to the code but not documented fails
 * here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "harness.h"
#include "itui/cmd-admin.h"
#include "itui/cmd.h"
#include "itui/keymap.h"

static char *
read_man(void)
{
	char path[1024];
	FILE *f;
	char *buf = calloc(1, 1 << 20);

	snprintf(path, sizeof path, "%s/incident-tui.1", src_dir());
	f = fopen(path, "r");
	cr_assert_not_null(f, "%s", path);
	(void)!fread(buf, 1, (1 << 20) - 1, f);
	fclose(f);
	return buf;
}

/* "--severity" is written "Fl -severity" in mdoc. */
static void
assert_option_documented(const char *man, const char *opt, const char *where)
{
	char needle[80];

	snprintf(needle, sizeof needle, "Fl %s", opt + 1);
	cr_assert_not_null(strstr(man, needle),
	                   "%s: %s is not in incident-tui.1", where, opt);
}

Test(docs, every_command_and_option_is_in_the_man_page)
{
	char *man = read_man();
	const struct cmd_entry *const *e;
	int i;

	for (e = cmd_table; *e != NULL; e++) {
		const struct cmd_entry *c = *e;
		char needle[64];

		snprintf(needle, sizeof needle, ".It Cm %s", c->name);
		cr_assert_not_null(strstr(man, needle),
		                   "command %s is not in incident-tui.1",
		                   c->name);
		for (i = 0; i < CMD_MAX_OPTS && c->options[i].name; i++)
			assert_option_documented(man, c->options[i].name,
			                         c->name);
	}
	for (i = 0; cmd_global_options[i].name != NULL; i++)
		assert_option_documented(man, cmd_global_options[i].name,
		                         "global");
	free(man);
}

Test(docs, the_man_page_documents_no_missing_command)
{
	char *man = read_man(), *p = strstr(man, ".Sh COMMANDS"), *end;

	cr_assert_not_null(p);
	end = strstr(p + 1, "\n.Sh ");
	cr_assert_not_null(end);
	*end = '\0';
	while ((p = strstr(p, "\n.It Cm ")) != NULL) {
		char name[32] = "";
		const struct cmd_entry *const *e;
		int found = 0;

		p += 8;
		sscanf(p, "%31[a-z-]", name);
		for (e = cmd_table; *e != NULL; e++)
			if (strcmp((*e)->name, name) == 0 ||
			    (strncmp((*e)->name, name, strlen(name)) == 0 &&
			     (*e)->name[strlen(name)] == ' '))
				found = 1;
		cr_assert(found,
		          "incident-tui.1 documents '%s', which the "
		          "program does not have",
		          name);
	}
	free(man);
}

Test(docs, help_lists_every_command)
{
	struct run r = run_bin(NULL, NULL, NULL, ARGS("--help"));
	const struct cmd_entry *const *e;

	cr_assert_eq(r.status, 0);
	for (e = cmd_table; *e != NULL; e++) {
		char needle[64];

		snprintf(needle, sizeof needle, "  %s ", (*e)->name);
		cr_assert_not_null(strstr(r.out, needle), "--help lacks %s",
		                   (*e)->name);
	}
	run_free(&r);
}

Test(docs, environment_variables_are_documented)
{
	static const char *const vars[] = {
	    "INCIDENT_TUI_DB",  "INCIDENT_TUI_USER", "INCIDENT_TUI_SHARE",
	    "INCIDENT_TUI_NOW", "SSH_CONNECTION",    "XDG_CONFIG_HOME",
	    "XDG_DATA_HOME"};
	char *man = read_man();
	size_t i;

	for (i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		char needle[64];

		snprintf(needle, sizeof needle, "Ev %s", vars[i]);
		cr_assert_not_null(strstr(man, needle), "%s", vars[i]);
	}
	free(man);
}

Test(docs, every_dashboard_action_and_key_is_in_the_man_page)
{
	char *man = read_man(), *keys = strstr(man, ".Ss Keys");
	int a;

	cr_assert_not_null(keys, "no Keys section");
	for (a = 0; a < UA_COUNT; a++) {
		char needle[96], copy[64], *save = NULL, *k;

		snprintf(needle, sizeof needle, ".Cm %s", ui_actions[a].name);
		cr_assert_not_null(
		    strstr(keys, needle),
		    "action %s is not in the man page's key list",
		    ui_actions[a].name);
		snprintf(copy, sizeof copy, "%s", ui_actions[a].default_keys);
		for (k = strtok_r(copy, " ", &save); k != NULL;
		     k = strtok_r(NULL, " ", &save)) {
			/* mdoc escapes a leading punctuation mark with \& */
			snprintf(
			    needle, sizeof needle, "Ic %s%s",
			    strchr(":?", k[0]) && k[1] == '\0' ? "\\&" : "", k);
			cr_assert_not_null(strstr(keys, needle),
			                   "key %s (%s) is not in the man page",
			                   k, ui_actions[a].name);
		}
	}
	free(man);
}
