/* The policy presets, policy file errors, the INI reader and the config. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "harness.h"
#include "itui/config.h"
#include "itui/policy.h"

static struct policy *
load_preset(const char *name)
{
	char path[1024];
	struct policy *p = NULL;
	struct itui_err err;

	snprintf(path, sizeof path, "%s/share/incident-tui/policies/%s.ini",
	         src_dir(), name);
	cr_assert_eq(policy_load(path, &p, &err), ITUI_OK, "%s", err.msg);
	return p;
}

Test(policy, default_preset_matches_the_spec)
{
	struct policy *p = load_preset("default");
	const struct policy_level *p0, *p3;

	cr_assert_eq(p->nlevels, 4);
	cr_assert_str_eq(p->levels[0].name, "P0");
	p0 = policy_level(p, "p0");
	cr_assert_not_null(p0);
	cr_assert_eq(p0->respond.secs, 15 * 60);
	cr_assert_eq(p0->update, 30 * 60);
	cr_assert_eq(p0->resolve.secs, 4 * 3600);
	cr_assert_eq(p0->postmortem, PM_REQUIRED);
	cr_assert_eq(p0->postmortem_within, 48 * 3600);
	cr_assert_eq(p0->ntiers, 3);
	cr_assert_eq(p0->tiers[0].tier, 2);
	cr_assert_eq(p0->tiers[0].after, 2 * 3600);
	cr_assert_eq(p0->tiers[1].timed, 0);
	cr_assert_str_eq(p0->tiers[1].to, "CTO/VP");
	cr_assert_eq(policy_level(p, "P1")->resolve.secs, 24 * 3600);
	cr_assert_eq(policy_level(p, "P2")->update, 86400);
	p3 = policy_level(p, "P3");
	cr_assert_eq(p3->respond.bdays, 1);
	cr_assert_eq(p3->update, 0);
	cr_assert_eq(p3->postmortem, PM_NOT_REQUIRED);
	cr_assert_eq(policy_rank(p, "P2"), 2);
	cr_assert_eq(policy_rank(p, "SEV1"), -1);
	policy_free(p);
}

Test(policy, sev_preset_has_the_decision_tree)
{
	struct policy *p = load_preset("sev");

	cr_assert_eq(p->nlevels, 4);
	cr_assert_str_eq(p->levels[3].name, "SEV4");
	cr_assert_eq(policy_level(p, "SEV2")->resolve.secs, 24 * 3600);
	cr_assert_eq(policy_level(p, "SEV3")->resolve.secs, 72 * 3600);
	cr_assert_eq(policy_level(p, "SEV4")->resolve.secs, 7 * 86400);
	cr_assert_eq(p->ntriage, 4);
	cr_assert_str_eq(p->triage[0].level, "SEV1");
	cr_assert_str_eq(p->triage_otherwise, "SEV4");
	policy_free(p);
}

/* Inline arrays: Criterion re-executes the binary, so no pointers. */
struct bad_policy {
	char text[256];
	char want[96]; /* substring of the message, after "FILE:" */
};

ParameterizedTestParameters(policy, bad_files)
{
	static struct bad_policy cases[] = {
	    {"[level P0]\ndefinition = x\nrespond = soon\n",
	     ":3: respond: bad duration 'soon'"},
	    {"[level P0]\ndefinition = x\nrespond = 1h\nupdate = 1h\nresolve = 1h\n",
	     ":1: level P0 has no 'postmortem'"},
	    {"[level P0]\nbogus = 1\n", ":2: unknown key 'bogus' in a level"},
	    {"[levels P0]\n", ":1: unknown section [levels P0]"},
	    {"[level P0]\nescalate = tier two after 1h to x\n",
	     ":2: escalate:"},
	    {"[level P0]\nescalate = tier 2 after 1h\n",
	     ":2: escalate: missing 'to WHOM'"},
	    {"[policy]\nname = x\n", ": no [level NAME] sections"},
	    {"[triage]\nask = Anything? => P9\n[level P0]\ndefinition = x\n"
	     "respond = 1h\nupdate = none\nresolve = 1h\npostmortem = no\n",
	     ":2: unknown level 'P9'"},
	    {"[level P0]\npostmortem = maybe\n", ":2: postmortem:"},
	    {"just words\n", ":1: expected 'key = value'"},
	    {"[level P0\n", ":1: bad section header"},
	};

	return cr_make_param_array(struct bad_policy, cases,
	                           sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct bad_policy *c, policy, bad_files)
{
	char *dir = tmpdir_make(), path[512];
	struct policy *p = NULL;
	struct itui_err err;
	FILE *f;

	snprintf(path, sizeof path, "%s/p.ini", dir);
	f = fopen(path, "w");
	fputs(c->text, f);
	fclose(f);
	cr_assert_neq(policy_load(path, &p, &err), ITUI_OK);
	cr_assert_null(p);
	cr_assert(strncmp(err.msg, path, strlen(path)) == 0, "%s", err.msg);
	cr_assert(strstr(err.msg, c->want) != NULL, "got '%s', want '%s'",
	          err.msg, c->want);
	tmpdir_remove(dir);
}

static char *
write_config(const char *dir, const char *text)
{
	char *path = malloc(512);
	FILE *f;

	snprintf(path, 512, "%s/config", dir);
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
	return path;
}

Test(config, spec_example_loads)
{
	char *dir = tmpdir_make();
	char *path = write_config(
	    dir,
	    "db = /srv/warroom/incidents.db     ; shared database\n"
	    "user = alice\npolicy = default\ntimezone = UTC\n\n"
	    "[prometheus]\nurl = http://127.0.0.1:9090\ninterval = 30s\n"
	    "timeout = 10s\n\n[alertmanager]\nurl = http://127.0.0.1:9093\n\n"
	    "[grafana]\nurl = http://127.0.0.1:3000\ntoken_env = GRAFANA_TOKEN\n"
	    "dashboard = abc123\ndatasource = P1809F7CD0C75ACF3\n\n"
	    "[query error_rate]                 ; one section per query\n"
	    "expr = sum(rate(http_requests_total{code=~\"5..\"}[5m]))\n"
	    "service = checkout\nunit = req/s\nrange = 1h\nstep = 1m\n\n"
	    "[severity-map]\ncritical = P1\nwarning = P2\n\n[keys]\nlog = o\n");
	struct config c;
	struct itui_err err;

	cr_assert_eq(config_load(path, &c, &err), ITUI_OK, "%s", err.msg);
	cr_assert_str_eq(c.db, "/srv/warroom/incidents.db");
	cr_assert_str_eq(c.user, "alice");
	cr_assert_eq(c.prometheus.interval, 30);
	cr_assert_eq(c.nqueries, 1);
	cr_assert_str_eq(c.queries[0].name, "error_rate");
	cr_assert_str_eq(c.queries[0].expr,
	                 "sum(rate(http_requests_total{code=~\"5..\"}[5m]))");
	cr_assert_eq(c.queries[0].range, 3600);
	cr_assert_eq(c.nseverity_map, 2);
	cr_assert_str_eq(c.keys[0].value, "o");
	config_free(&c);
	free(path);
	tmpdir_remove(dir);
}

struct bad_config {
	char text[128];
	char want[96];
};

ParameterizedTestParameters(config, bad_files)
{
	static struct bad_config cases[] = {
	    {"colour = red\n", ":1: unknown key 'colour'"},
	    {"\n[prometheus]\nurl = ftp://x\n",
	     ":3: url: 'ftp://x' is not an http"},
	    {"[prometheus]\ninterval = often\n", ":2: interval: bad duration"},
	    {"[grafana]\ntoken = glsa_secret\n",
	     ":2: token: tokens are not kept"},
	    {"[query]\n", ":1: a query needs a name"},
	    {"[query q]\nunit = s\n", ":1: query 'q' has no expr"},
	    {"[nonsense]\n", ":1: unknown section [nonsense]"},
	    {"db =\n", ":1: db: empty value"},
	};

	return cr_make_param_array(struct bad_config, cases,
	                           sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct bad_config *c, config, bad_files)
{
	char *dir = tmpdir_make(), *path = write_config(dir, c->text);
	struct config cfg;
	struct itui_err err;

	cr_assert_eq(config_load(path, &cfg, &err), ITUI_CONFIG);
	cr_assert(strstr(err.msg, c->want) != NULL, "got '%s', want '%s'",
	          err.msg, c->want);
	free(path);
	tmpdir_remove(dir);
}

Test(config, missing_default_is_fine_missing_explicit_is_not)
{
	char *dir = tmpdir_make(), path[512];
	struct config c;
	struct itui_err err;

	snprintf(path, sizeof path, "%s/cfg", dir);
	setenv("XDG_CONFIG_HOME", path, 1);
	cr_assert_eq(config_load(NULL, &c, &err), ITUI_OK);
	cr_assert_null(c.path);
	config_free(&c);
	cr_assert_eq(config_load(path, &c, &err), ITUI_CONFIG);
	tmpdir_remove(dir);
}
