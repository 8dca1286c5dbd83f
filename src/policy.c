/*
 * policy.c - loads and validates a severity policy file.
 *
 * Grammar of a level section, [level NAME]:
 *   definition = one line
 *   respond    = 15m | 1bd           (acknowledge within)
 *   update     = 30m | none          (status update interval)
 *   resolve    = 4h | 1w | 2bd       (resolution target)
 *   escalate   = tier N after DURATION to WHOM      (repeatable)
 *   escalate   = tier N on CONDITION to WHOM
 *   postmortem = required within 48h | optional | no
 *   playbook   = NAME                (share/incident-tui/playbooks/NAME.ini)
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "itui/ini.h"
#include "itui/policy.h"
#include "itui/timeutil.h"
#include "itui/xalloc.h"

struct load_ctx {
	struct policy *p;
	struct policy_level *cur;
	int seen; /* bitmask of keys seen in the current level */
	int triage_line;
	int triage_lines[POLICY_MAX_TRIAGE];
	int otherwise_line;
};

enum {
	SEEN_DEF = 1,
	SEEN_RESPOND = 2,
	SEEN_UPDATE = 4,
	SEEN_RESOLVE = 8,
	SEEN_PM = 16
};

char *
policy_path(const char *name_or_path, const char *share_dir)
{
	if (name_or_path == NULL || *name_or_path == '\0')
		name_or_path = "default";
	if (strchr(name_or_path, '/') != NULL ||
	    strstr(name_or_path, ".ini") != NULL)
		return xstrdup(name_or_path);
	return xasprintf("%s/policies/%s.ini", share_dir, name_or_path);
}

static int
parse_span(const char *v, struct policy_span *out)
{
	size_t n = strlen(v);

	out->secs = 0;
	out->bdays = 0;
	if (n > 2 && strcmp(v + n - 2, "bd") == 0) {
		char *end;
		long d = strtol(v, &end, 10);

		if (end != v + n - 2 || d <= 0 || d > 365)
			return -1;
		out->bdays = (int)d;
		return 0;
	}
	if (time_parse_duration(v, &out->secs) != 0 || out->secs <= 0)
		return -1;
	return 0;
}

static int
parse_tier(const char *v, struct policy_tier *t, char *why, size_t whylen)
{
	char *copy = xstrdup(v), *p = copy, *to;
	int n = 0, off = 0;

	memset(t, 0, sizeof *t);
	if (sscanf(p, "tier %d %n", &n, &off) != 1 || off == 0 || n < 1 ||
	    n > 9) {
		snprintf(
		    why, whylen,
		    "escalate: expected 'tier N after DURATION to WHOM' or "
		    "'tier N on CONDITION to WHOM'");
		free(copy);
		return -1;
	}
	p += off;
	to = strstr(p, " to ");
	if (to == NULL || *(to + 4) == '\0') {
		snprintf(why, whylen, "escalate: missing 'to WHOM'");
		free(copy);
		return -1;
	}
	*to = '\0';
	t->tier = n;
	t->to = xstrdup(to + 4);
	if (strncmp(p, "after ", 6) == 0) {
		t->timed = 1;
		if (time_parse_duration(p + 6, &t->after) != 0) {
			snprintf(why, whylen, "escalate: bad duration '%s'",
			         p + 6);
			goto fail;
		}
	} else if (strncmp(p, "on ", 3) == 0 && p[3] != '\0') {
		t->condition = xstrdup(p + 3);
	} else {
		snprintf(
		    why, whylen,
		    "escalate: expected 'after DURATION' or 'on CONDITION' "
		    "after the tier");
		goto fail;
	}
	free(copy);
	return 0;
fail:
	free(t->to);
	t->to = NULL;
	free(copy);
	return -1;
}

/* Checks that the level just finished has every required key. */
static int
finish_level(struct load_ctx *c, char *why, size_t whylen)
{
	static const struct {
		int bit;
		const char *key;
	} req[] = {{SEEN_DEF, "definition"},
	           {SEEN_RESPOND, "respond"},
	           {SEEN_UPDATE, "update"},
	           {SEEN_RESOLVE, "resolve"},
	           {SEEN_PM, "postmortem"}};
	size_t i;

	if (c->cur == NULL)
		return 0;
	for (i = 0; i < sizeof req / sizeof req[0]; i++) {
		if (!(c->seen & req[i].bit)) {
			snprintf(why, whylen, "level %s has no '%s'",
			         c->cur->name, req[i].key);
			return -1;
		}
	}
	return 0;
}

static int
level_key(struct load_ctx *c, const struct ini_item *it, char *why,
          size_t whylen)
{
	struct policy_level *l = c->cur;
	const char *k = it->key, *v = it->value;

	if (strcmp(k, "definition") == 0) {
		if (*v == '\0') {
			snprintf(why, whylen, "definition is empty");
			return -1;
		}
		free(l->definition);
		l->definition = xstrdup(v);
		c->seen |= SEEN_DEF;
	} else if (strcmp(k, "respond") == 0 || strcmp(k, "resolve") == 0) {
		struct policy_span *s =
		    strcmp(k, "respond") == 0 ? &l->respond : &l->resolve;

		if (parse_span(v, s) != 0) {
			snprintf(
			    why, whylen,
			    "%s: bad duration '%s' (e.g. 15m, 4h, 3d, 1w, 1bd)",
			    k, v);
			return -1;
		}
		c->seen |= s == &l->respond ? SEEN_RESPOND : SEEN_RESOLVE;
	} else if (strcmp(k, "update") == 0) {
		if (strcmp(v, "none") == 0)
			l->update = 0;
		else if (time_parse_duration(v, &l->update) != 0 ||
		         l->update <= 0) {
			snprintf(why, whylen,
			         "update: bad duration '%s' (or 'none')", v);
			return -1;
		}
		c->seen |= SEEN_UPDATE;
	} else if (strcmp(k, "escalate") == 0) {
		if (l->ntiers == POLICY_MAX_TIERS) {
			snprintf(why, whylen, "too many escalation tiers");
			return -1;
		}
		if (parse_tier(v, &l->tiers[l->ntiers], why, whylen) != 0)
			return -1;
		l->ntiers++;
	} else if (strcmp(k, "postmortem") == 0) {
		if (strcmp(v, "optional") == 0) {
			l->postmortem = PM_OPTIONAL;
		} else if (strcmp(v, "no") == 0) {
			l->postmortem = PM_NOT_REQUIRED;
		} else if (strncmp(v, "required within ", 16) == 0 &&
		           time_parse_duration(v + 16, &l->postmortem_within) ==
		               0) {
			l->postmortem = PM_REQUIRED;
		} else {
			snprintf(
			    why, whylen,
			    "postmortem: expected 'required within DURATION', "
			    "'optional' or 'no'");
			return -1;
		}
		c->seen |= SEEN_PM;
	} else if (strcmp(k, "notify") == 0 || strcmp(k, "updates") == 0) {
		char **dst =
		    strcmp(k, "notify") == 0 ? &l->notify : &l->updates;

		free(*dst);
		*dst = xstrdup(v);
	} else if (strncmp(k, "tier.", 5) == 0) {
		char *end;
		long n = strtol(k + 5, &end, 10);

		if (*end != '\0' || n < 1 || n > POLICY_MAX_TIERS) {
			snprintf(why, whylen, "%s: expected tier.1 to tier.%d",
			         k, POLICY_MAX_TIERS);
			return -1;
		}
		free(l->tier_notify[n]);
		l->tier_notify[n] = xstrdup(v);
	} else if (strcmp(k, "playbook") == 0) {
		size_t i, n = strlen(v);

		for (i = 0; i < n; i++)
			if (!isalnum((unsigned char)v[i]) && v[i] != '-' &&
			    v[i] != '_')
				break;
		if (n == 0 || i < n || n >= sizeof l->playbook) {
			snprintf(why, whylen,
			         "playbook: expected a name like p0, not '%s'",
			         v);
			return -1;
		}
		snprintf(l->playbook, sizeof l->playbook, "%s", v);
	} else {
		snprintf(why, whylen, "unknown key '%s' in a level", k);
		return -1;
	}
	return 0;
}

static int
valid_level_name(const char *s)
{
	size_t n = strlen(s), i;

	if (n == 0 || n >= sizeof(((struct policy_level *)0)->name))
		return 0;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_')
			return 0;
	return 1;
}

static int
on_item(void *ctx, const struct ini_item *it, char *why, size_t whylen)
{
	struct load_ctx *c = ctx;
	struct policy *p = c->p;

	if (it->key == NULL) {
		if (finish_level(c, why, whylen) != 0)
			return -1;
		c->cur = NULL;
		if (strcmp(it->section, "level") == 0) {
			int i;

			if (!valid_level_name(it->arg)) {
				snprintf(
				    why, whylen,
				    "level needs a short name: [level P0]");
				return -1;
			}
			for (i = 0; i < p->nlevels; i++)
				if (strcasecmp(p->levels[i].name, it->arg) ==
				    0) {
					snprintf(why, whylen,
					         "level %s defined twice",
					         it->arg);
					return -1;
				}
			if (p->nlevels == POLICY_MAX_LEVELS) {
				snprintf(why, whylen, "more than %d levels",
				         POLICY_MAX_LEVELS);
				return -1;
			}
			c->cur = &p->levels[p->nlevels++];
			snprintf(c->cur->name, sizeof c->cur->name, "%s",
			         it->arg);
			c->cur->line = it->line;
			c->seen = 0;
			return 0;
		}
		if ((strcmp(it->section, "policy") == 0 ||
		     strcmp(it->section, "triage") == 0) &&
		    *it->arg == '\0')
			return 0;
		snprintf(why, whylen, "unknown section [%s%s%s]", it->section,
		         *it->arg ? " " : "", it->arg);
		return -1;
	}
	if (c->cur != NULL)
		return level_key(c, it, why, whylen);
	if (strcmp(it->section, "policy") == 0) {
		if (strcmp(it->key, "name") == 0) {
			free(p->name);
			p->name = xstrdup(it->value);
			return 0;
		}
		if (strcmp(it->key, "description") == 0) {
			free(p->description);
			p->description = xstrdup(it->value);
			return 0;
		}
	} else if (strcmp(it->section, "triage") == 0) {
		if (strcmp(it->key, "ask") == 0) {
			const char *arrow = strstr(it->value, "=>");
			struct policy_triage *t;
			char *q;

			if (arrow == NULL || p->ntriage == POLICY_MAX_TRIAGE) {
				snprintf(
				    why, whylen,
				    arrow == NULL
				        ? "ask: expected 'QUESTION => LEVEL'"
				        : "too many triage questions");
				return -1;
			}
			t = &p->triage[p->ntriage];
			q = xstrndup(it->value, (size_t)(arrow - it->value));
			while (*q && q[strlen(q) - 1] == ' ')
				q[strlen(q) - 1] = '\0';
			t->question = q;
			arrow += 2;
			while (*arrow == ' ')
				arrow++;
			snprintf(t->level, sizeof t->level, "%s", arrow);
			c->triage_lines[p->ntriage++] = it->line;
			return 0;
		}
		if (strcmp(it->key, "otherwise") == 0) {
			snprintf(p->triage_otherwise,
			         sizeof p->triage_otherwise, "%s", it->value);
			c->otherwise_line = it->line;
			return 0;
		}
	} else if (*it->section == '\0') {
		snprintf(why, whylen, "'%s' outside any section", it->key);
		return -1;
	}
	snprintf(why, whylen, "unknown key '%s' in [%s]", it->key, it->section);
	return -1;
}

enum itui_code
policy_load(const char *path, struct policy **out, struct itui_err *err)
{
	struct policy *p = xcalloc(1, sizeof *p);
	struct load_ctx c = {p, NULL, 0, 0, {0}, 0};
	char why[256];
	int i;

	p->path = xstrdup(path);
	if (ini_parse_file(path, on_item, &c, err) != ITUI_OK)
		goto fail;
	if (finish_level(&c, why, sizeof why) != 0) {
		err_set(err, ITUI_CONFIG, "%s:%d: %s", path, c.cur->line, why);
		goto fail;
	}
	if (p->nlevels == 0) {
		err_set(err, ITUI_CONFIG, "%s: no [level NAME] sections", path);
		goto fail;
	}
	for (i = 0; i < p->ntriage; i++) {
		if (policy_level(p, p->triage[i].level) == NULL) {
			err_set(err, ITUI_CONFIG, "%s:%d: unknown level '%s'",
			        path, c.triage_lines[i], p->triage[i].level);
			goto fail;
		}
	}
	if (p->triage_otherwise[0] &&
	    policy_level(p, p->triage_otherwise) == NULL) {
		err_set(err, ITUI_CONFIG, "%s:%d: unknown level '%s'", path,
		        c.otherwise_line, p->triage_otherwise);
		goto fail;
	}
	if (p->name == NULL)
		p->name = xstrdup("custom");
	*out = p;
	return ITUI_OK;
fail:
	policy_free(p);
	*out = NULL;
	return err != NULL ? err->code : ITUI_CONFIG;
}

void
policy_free(struct policy *p)
{
	int i, j;

	if (p == NULL)
		return;
	for (i = 0; i < p->nlevels; i++) {
		free(p->levels[i].definition);
		free(p->levels[i].notify);
		free(p->levels[i].updates);
		for (j = 0; j <= POLICY_MAX_TIERS; j++)
			free(p->levels[i].tier_notify[j]);
		for (j = 0; j < p->levels[i].ntiers; j++) {
			free(p->levels[i].tiers[j].condition);
			free(p->levels[i].tiers[j].to);
		}
	}
	for (i = 0; i < p->ntriage; i++)
		free(p->triage[i].question);
	free(p->path);
	free(p->name);
	free(p->description);
	free(p);
}

const struct policy_level *
policy_level(const struct policy *p, const char *name)
{
	int i = policy_rank(p, name);

	return i < 0 ? NULL : &p->levels[i];
}

int
policy_rank(const struct policy *p, const char *name)
{
	int i;

	if (name == NULL)
		return -1;
	for (i = 0; i < p->nlevels; i++)
		if (strcasecmp(p->levels[i].name, name) == 0)
			return i;
	return -1;
}

const char *
policy_level_list(const struct policy *p)
{
	static char buf[POLICY_MAX_LEVELS * 18];
	size_t off = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < p->nlevels; i++)
		off += (size_t)snprintf(buf + off, sizeof buf - off, "%s%s",
		                        i ? ", " : "", p->levels[i].name);
	return buf;
}

int64_t
policy_span_add(int64_t t, struct policy_span span)
{
	if (span.bdays > 0)
		return time_add_business_days(t, span.bdays);
	return t + span.secs;
}
