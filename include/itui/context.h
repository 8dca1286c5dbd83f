/*
 * context.h - what every command needs to know before it runs: the
 * configuration, who is acting and from where, the database path, the share
 * directory and, on demand, the policy and an open store.
 *
 * Contract: main thread only.  context_init() resolves everything cheap;
 * context_policy() and context_store() load on first use and keep the
 * result.  context_free() releases all of it.
 */
#ifndef ITUI_CONTEXT_H
#define ITUI_CONTEXT_H

#include <stdint.h>

#include "itui/config.h"
#include "itui/err.h"
#include "itui/playbook.h"
#include "itui/policy.h"
#include "itui/store.h"

struct globals {
	const char *db;
	const char *config;
	const char *user;
	const char *policy;
};

struct context {
	struct config cfg;
	char *db_path;
	int db_is_default;
	char *user;
	char *origin;
	char *share_dir;
	char *policy_path;
	struct policy *policy;
	struct store *store;
	int64_t now;
	struct playbook *playbooks[POLICY_MAX_LEVELS]; /* by level, on demand */
};

enum itui_code context_init(struct context *ctx, const struct globals *g,
                            struct itui_err *err);
enum itui_code context_policy(struct context *ctx, const struct policy **out,
                              struct itui_err *err);
/* flags: STORE_READONLY for commands that only read. */
enum itui_code context_store(struct context *ctx, unsigned flags,
                             struct store **out, struct itui_err *err);
void context_free(struct context *ctx);
/*
 * The playbook a level of the policy names (NULL when none), loaded on
 * first use and kept; the store's playbook lookup (store-playbook.h).
 */
enum itui_code context_playbook(void *ctx, const char *level,
                                const struct playbook **out,
                                struct itui_err *err);

/* The current time: INCIDENT_TUI_NOW (tests) or time(). */
int64_t context_now(void);
/* The share directory: INCIDENT_TUI_SHARE, beside the binary, or built in. */
char *context_share_dir(void);
/* The person acting: --user, INCIDENT_TUI_USER, config, login name. */
char *context_user(const char *opt, const char *config_user);
/* "ssh 10.1.2.3" from SSH_CONNECTION, else "local". */
char *context_origin(void);

#endif
