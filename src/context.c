/* context.c - resolves configuration, identity, paths, policy and store. */
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "itui/context.h"
#include "itui/store-outbox.h"
#include "itui/store-playbook.h"
#include "itui/bounds.h"
#include "itui/timeutil.h"
#include "itui/xalloc.h"

#ifndef ITUI_DATADIR
#define ITUI_DATADIR "/usr/local/share/incident-tui"
#endif

int64_t
context_now(void)
{
	const char *fixed = getenv("INCIDENT_TUI_NOW");
	int64_t t;
	char *end;

	if (fixed != NULL && *fixed != '\0') {
		if (time_parse_rfc3339(fixed, &t, NULL) == 0)
			return t;
		t = strtoll(fixed, &end, 10);
		if (*end == '\0')
			return t;
	}
	return (int64_t)time(NULL);
}

static int
is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

char *
context_share_dir(void)
{
	const char *env = getenv("INCIDENT_TUI_SHARE");
	char exe[PATH_MAX];
	ssize_t n;

	if (env != NULL && *env != '\0')
		return xstrdup(env);
	/* Relocatable: PREFIX/bin/incident-tui finds PREFIX/share; a build
	 * in the source tree (build/incident-tui) finds ./share. */
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		char *slash, *cand;

		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash != NULL) {
			*slash = '\0';
			cand =
			    xasprintf("%s/../share/incident-tui/policies", exe);
			if (is_dir(cand)) {
				cand[strlen(cand) - strlen("/policies")] = '\0';
				return cand;
			}
			free(cand);
		}
	}
	return xstrdup(ITUI_DATADIR);
}

char *
context_user(const char *opt, const char *config_user)
{
	const char *env = getenv("INCIDENT_TUI_USER");
	struct passwd *pw;

	if (opt != NULL && *opt != '\0')
		return xstrdup(opt);
	if (env != NULL && *env != '\0')
		return xstrdup(env);
	if (config_user != NULL && *config_user != '\0')
		return xstrdup(config_user);
	pw = getpwuid(geteuid());
	if (pw != NULL && pw->pw_name != NULL)
		return xstrdup(pw->pw_name);
	env = getenv("USER");
	if (env != NULL && *env != '\0')
		return xstrdup(env);
	return xasprintf("uid-%u", (unsigned)geteuid());
}

char *
context_origin(void)
{
	const char *ssh = getenv("SSH_CONNECTION");
	size_t n;

	if (ssh == NULL || *ssh == '\0')
		return xstrdup("local");
	n = strcspn(ssh, " ");
	if (n > 64)
		n = 64;
	return xasprintf("ssh %.*s", (int)n, ssh);
}

static char *
default_db_path(void)
{
	const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");

	if (xdg != NULL && *xdg == '/')
		return xasprintf("%s/incident-tui/incidents.db", xdg);
	return xasprintf("%s/.local/share/incident-tui/incidents.db",
	                 home != NULL ? home : ".");
}

/* mkdir -p for the default location only; an explicit path must exist. */
static enum itui_code
make_parent_dirs(const char *file, struct itui_err *err)
{
	char *p = xstrdup(file), *s;

	for (s = strchr(p + 1, '/'); s != NULL; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(p, 0700) != 0 && errno != EEXIST) {
			err_set(err, ITUI_IO, "cannot create directory %s: %s",
			        p, strerror(errno));
			free(p);
			return ITUI_IO;
		}
		*s = '/';
	}
	free(p);
	return ITUI_OK;
}

enum itui_code
context_init(struct context *ctx, const struct globals *g, struct itui_err *err)
{
	const char *env_db = getenv("INCIDENT_TUI_DB"),
	           *env_now = getenv("INCIDENT_TUI_NOW");
	int64_t fixed;

	memset(ctx, 0, sizeof *ctx);
	/* A typo here would silently run on the real clock. */
	if (env_now != NULL && *env_now != '\0' &&
	    time_parse_now(env_now, &fixed, err) != ITUI_OK)
		return err_prefix(err, ITUI_USAGE, "INCIDENT_TUI_NOW");
	if (config_load(g->config, &ctx->cfg, err) != ITUI_OK)
		return err->code;
	if (time_set_zone(ctx->cfg.timezone, err) != ITUI_OK) {
		if (ctx->cfg.path != NULL) {
			char where[600];

			snprintf(where, sizeof where, "%s: timezone",
			         ctx->cfg.path);
			return err_prefix(err, ITUI_CONFIG, where);
		}
		return err->code;
	}
	if (g->db != NULL)
		ctx->db_path = xstrdup(g->db);
	else if (env_db != NULL && *env_db != '\0')
		ctx->db_path = xstrdup(env_db);
	else if (ctx->cfg.db != NULL)
		ctx->db_path = xstrdup(ctx->cfg.db);
	else {
		ctx->db_path = default_db_path();
		ctx->db_is_default = 1;
	}
	ctx->user = context_user(g->user, ctx->cfg.user);
	if (bounds_name("the user name", ctx->user, err) != ITUI_OK)
		return err_prefix(err, ITUI_USAGE,
		                  g->user != NULL ? "--user" : "user");
	ctx->origin = context_origin();
	ctx->share_dir = context_share_dir();
	ctx->policy_path = policy_path(
	    g->policy != NULL ? g->policy : ctx->cfg.policy, ctx->share_dir);
	ctx->now = context_now();
	return ITUI_OK;
}

enum itui_code
context_policy(struct context *ctx, const struct policy **out,
               struct itui_err *err)
{
	if (ctx->policy == NULL &&
	    policy_load(ctx->policy_path, &ctx->policy, err) != ITUI_OK)
		return err->code;
	*out = ctx->policy;
	return ITUI_OK;
}

enum itui_code
context_playbook(void *opaque, const char *level, const struct playbook **out,
                 struct itui_err *err)
{
	struct context *ctx = opaque;
	const struct policy *p = NULL;
	const struct policy_level *l;
	char *path;
	int r;

	*out = NULL;
	if (context_policy(ctx, &p, err) != ITUI_OK)
		return err->code;
	r = policy_rank(p, level);
	if (r < 0)
		return ITUI_OK;
	l = &p->levels[r];
	if (l->playbook[0] == '\0')
		return ITUI_OK;
	if (ctx->playbooks[r] == NULL) {
		path = playbook_path("playbooks", l->playbook, ctx->share_dir);
		if (playbook_load(path, &ctx->playbooks[r], err) != ITUI_OK) {
			free(path);
			return err->code;
		}
		free(path);
	}
	*out = ctx->playbooks[r];
	return ITUI_OK;
}

static int64_t fixed_now;

static int64_t
clock_fixed(void)
{
	return fixed_now;
}

/*
 * The database keeps the levels of the policy it was first written with:
 * a person whose policy has other levels would silently lose every SLA
 * clock and statistic of the others' incidents, so they are refused.
 */
static enum itui_code
check_policy(struct context *ctx, unsigned flags, struct itui_err *err)
{
	const struct policy *p = NULL;
	char *kept = NULL, *mine;
	const char *levels;
	enum itui_code rc;

	if (context_policy(ctx, &p, err) != ITUI_OK)
		return err->code;
	/* One row, "NAME: LEVELS", written in one transaction. */
	mine = xasprintf("%s: %s", p->name, policy_level_list(p));
	rc = store_meta_get(ctx->store, "policy", &kept, err);
	if (rc == ITUI_OK && kept == NULL &&
	    !(flags & (STORE_READONLY | STORE_NOCREATE)))
		rc = store_meta_set(ctx->store, "policy", mine, err);
	levels =
	    kept != NULL && strstr(kept, ": ") ? strstr(kept, ": ") + 2 : kept;
	if (rc == ITUI_OK && levels != NULL &&
	    strcmp(levels, strstr(mine, ": ") + 2) != 0)
		rc = err_set(err, ITUI_CONFIG,
		             "%s uses the policy %.*s (%s), not %s (%s): run "
		             "with --policy %.*s or a policy with those levels",
		             ctx->db_path, (int)(levels - 2 - kept), kept,
		             levels, p->name, policy_level_list(p),
		             (int)(levels - 2 - kept), kept);
	free(kept);
	free(mine);
	return rc;
}

enum itui_code
context_store(struct context *ctx, unsigned flags, struct store **out,
              struct itui_err *err)
{
	if (ctx->store == NULL) {
		if (ctx->db_is_default && !(flags & STORE_READONLY) &&
		    make_parent_dirs(ctx->db_path, err) != ITUI_OK)
			return err->code;
		if (store_open(ctx->db_path, flags, &ctx->store, err) !=
		    ITUI_OK)
			return err->code;
		if (check_policy(ctx, flags, err) != ITUI_OK) {
			store_close(ctx->store);
			ctx->store = NULL;
			return err->code;
		}
		store_set_actor(ctx->store, ctx->user, ctx->origin);
		store_set_playbooks(ctx->store, context_playbook, ctx);
		if (getenv("INCIDENT_TUI_NOW") != NULL) {
			fixed_now = ctx->now;
			store_set_clock(ctx->store, clock_fixed);
		}
		/* Changes write outbox rows when destinations are set up. */
		if (ctx->cfg.ndestinations > 0) {
			const struct policy *p = NULL;

			if (context_policy(ctx, &p, err) != ITUI_OK)
				return err->code;
			store_set_routes(ctx->store, p, &ctx->cfg);
		}
	}
	*out = ctx->store;
	return ITUI_OK;
}

void
context_free(struct context *ctx)
{
	store_close(ctx->store);
	for (int i = 0; i < POLICY_MAX_LEVELS; i++)
		playbook_free(ctx->playbooks[i]);
	policy_free(ctx->policy);
	config_free(&ctx->cfg);
	free(ctx->db_path);
	free(ctx->user);
	free(ctx->origin);
	free(ctx->share_dir);
	free(ctx->policy_path);
	memset(ctx, 0, sizeof *ctx);
}
