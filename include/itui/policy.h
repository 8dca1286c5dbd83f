/*
 * policy.h - the severity policy: levels, their SLAs, escalation tiers,
 * postmortem rules and the triage decision tree.
 *
 * Contract: policy_load() reads an INI policy file (see
 * share/incident-tui/policies/) into a struct policy the caller owns and
 * releases with policy_free().  A loaded policy is immutable and may be read
 * from any thread.  Levels are in file order, most urgent first.
 */
#ifndef ITUI_POLICY_H
#define ITUI_POLICY_H

#include <stdint.h>

#include "itui/err.h"

#define POLICY_MAX_LEVELS 8
#define POLICY_MAX_TIERS  8
#define POLICY_MAX_TRIAGE 12

/* A span of time, either plain seconds or whole business days. */
struct policy_span {
	int64_t secs;
	int bdays;
};

struct policy_tier {
	int tier;
	int timed; /* 1: falls due `after`; 0: on a condition */
	int64_t after;
	char *condition; /* "data loss or security breach" when !timed */
	char *to;        /* whom to escalate to */
};

enum postmortem_rule { PM_NOT_REQUIRED, PM_OPTIONAL, PM_REQUIRED };

struct policy_level {
	char name[16];
	char *definition;
	struct policy_span respond;
	int64_t update; /* 0: as needed, no clock */
	struct policy_span resolve;
	struct policy_tier tiers[POLICY_MAX_TIERS];
	int ntiers;
	enum postmortem_rule postmortem;
	int64_t postmortem_within;
	/*
	 * Who hears what (destination names from the config, comma
	 * separated; NULL when the level does not say): on declaration and
	 * every change (`notify`), status updates marked sent (`updates`,
	 * default: notify), and each escalation tier (`tier.N`).
	 */
	char *notify;
	char *updates;
	char *tier_notify[POLICY_MAX_TIERS + 1];
	char playbook[64]; /* the response playbook's name, or "" */
	int line;          /* where the level's section starts, for messages */
};

struct policy_triage {
	char *question;
	char level[16];
};

struct policy {
	char *path;
	char *name;
	char *description;
	struct policy_level levels[POLICY_MAX_LEVELS];
	int nlevels;
	struct policy_triage triage[POLICY_MAX_TRIAGE];
	int ntriage;
	char triage_otherwise[16];
};

/*
 * Resolves a policy name ("default", "sev") to a file in share_dir/policies,
 * or takes a path as it is.  Returns a new string.
 */
char *policy_path(const char *name_or_path, const char *share_dir);
enum itui_code policy_load(const char *path, struct policy **out,
                           struct itui_err *err);
void policy_free(struct policy *p);

/* The level with this name (case-insensitive), or NULL. */
const struct policy_level *policy_level(const struct policy *p,
                                        const char *name);
/* 0 for the most urgent level; -1 when unknown. */
int policy_rank(const struct policy *p, const char *name);
/* "P0, P1, P2, P3" for messages. Static buffer; main thread only. */
const char *policy_level_list(const struct policy *p);
/* Adds a span to t (business days in the display timezone). */
int64_t policy_span_add(int64_t t, struct policy_span span);

#endif
