/*
 * playbook.c - loads and validates playbook and runbook files, and names
 * the events that complete steps by themselves.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "itui/config.h"
#include "itui/ini.h"
#include "itui/model.h"
#include "itui/playbook.h"
#include "itui/timeutil.h"
#include "itui/xalloc.h"

const char playbook_events_help[] =
    "declared, ack, role:ROLE, severity-set, comms-sent, status:STATUS, "
    "decision, escalated, handoff, snapshot, postmortem-scheduled";

static const char *const plain_events[] = {
    "declared",  "ack",     "severity-set", "comms-sent",          "decision",
    "escalated", "handoff", "snapshot",     "postmortem-scheduled"};

int
playbook_event_known(const char *ev)
{
	size_t i;

	if (ev == NULL)
		return 0;
	if (strncmp(ev, "role:", 5) == 0)
		return role_parse(ev + 5) >= 0 &&
		       strcmp(role_name((enum role)role_parse(ev + 5)),
		              ev + 5) == 0;
	if (strncmp(ev, "status:", 7) == 0)
		return status_parse(ev + 7) >= 0;
	for (i = 0; i < sizeof plain_events / sizeof plain_events[0]; i++)
		if (strcmp(ev, plain_events[i]) == 0)
			return 1;
	return 0;
}

const char *
playbook_entry_event(const char *kind, const char *event, const char *field,
                     const char *to, char *buf, size_t size)
{
	static const struct {
		const char *kind, *event;
	} by_kind[] = {{"comms", "comms-sent"},  {"metric", "snapshot"},
	               {"decision", "decision"}, {"escalation", "escalated"},
	               {"handoff", "handoff"},   {"severity", "severity-set"}};
	size_t i;

	if (kind == NULL)
		return NULL;
	for (i = 0; i < sizeof by_kind / sizeof by_kind[0]; i++)
		if (strcmp(kind, by_kind[i].kind) == 0) {
			snprintf(buf, size, "%s", by_kind[i].event);
			return buf;
		}
	if (strcmp(kind, "status") == 0 && to != NULL) {
		snprintf(buf, size, "status:%s", to);
		return buf;
	}
	/* A role filled (not one stood down). */
	if (strcmp(kind, "role") == 0 && field != NULL && to != NULL) {
		snprintf(buf, size, "role:%s", field);
		return buf;
	}
	if (strcmp(kind, "system") == 0 && event != NULL &&
	    (strcmp(event, "ack") == 0 || strcmp(event, "declared") == 0)) {
		snprintf(buf, size, "%s", event);
		return buf;
	}
	return NULL;
}

/* What may count as progress for a guard step. */
static int
progress_word(const char *w, size_t n)
{
	static const char *const ok[] = {"status", "decision", "comms",
	                                 "note",   "action",   "escalation"};
	size_t i;

	for (i = 0; i < sizeof ok / sizeof ok[0]; i++)
		if (strlen(ok[i]) == n && strncmp(ok[i], w, n) == 0)
			return 1;
	return 0;
}

struct load_ctx {
	struct playbook *pb;
	struct pb_phase *cur;
	int in_header;
};

static int
parse_timebox(struct pb_phase *ph, const char *v)
{
	char *copy, *sp;
	int rc = 0;

	ph->relative = 0;
	ph->untimed = 0;
	ph->timebox = 0;
	if (strcmp(v, "none") == 0) {
		ph->untimed = 1;
		return 0;
	}
	copy = xstrdup(v);
	sp = strchr(copy, ' ');
	if (sp != NULL) {
		*sp = '\0';
		if (strcmp(sp + 1, "after previous") != 0)
			rc = -1;
		ph->relative = 1;
	}
	if (rc == 0 &&
	    (time_parse_duration(copy, &ph->timebox) != 0 || ph->timebox <= 0))
		rc = -1;
	free(copy);
	return rc;
}

static int
step_key(struct load_ctx *c, const struct ini_item *it, char *why,
         size_t whylen)
{
	struct pb_phase *ph = c->cur;
	struct pb_step *s;
	const char *k = it->key, *v = it->value;

	if (strcmp(k, "step") == 0) {
		if (*v == '\0') {
			snprintf(why, whylen, "step without text");
			return -1;
		}
		if (strlen(v) > 200) {
			snprintf(why, whylen,
			         "step text longer than 200 bytes");
			return -1;
		}
		ph->steps =
		    xreallocarray(ph->steps, ph->nsteps + 1, sizeof *ph->steps);
		s = &ph->steps[ph->nsteps++];
		memset(s, 0, sizeof *s);
		s->text = xstrdup(v);
		s->line = it->line;
		return 0;
	}
	if (ph->nsteps == 0) {
		snprintf(why, whylen, "'%s' before any step in phase '%s'", k,
		         ph->name);
		return -1;
	}
	s = &ph->steps[ph->nsteps - 1];
	if (strcmp(k, "role") == 0) {
		int r = role_parse(v);

		if (r < 0) {
			snprintf(why, whylen,
			         "unknown role '%s' (commander, tech-lead, "
			         "comms-lead, scribe)",
			         v);
			return -1;
		}
		free(s->role);
		s->role = xstrdup(role_name((enum role)r));
	} else if (strcmp(k, "event") == 0) {
		if (!playbook_event_known(v)) {
			snprintf(why, whylen, "unknown event '%s' (%s)", v,
			         playbook_events_help);
			return -1;
		}
		free(s->event);
		s->event = xstrdup(v);
	} else if (strcmp(k, "no_progress") == 0) {
		if (time_parse_duration(v, &s->no_progress) != 0 ||
		    s->no_progress <= 0) {
			snprintf(why, whylen, "no_progress: bad duration '%s'",
			         v);
			return -1;
		}
		if (s->progress == NULL)
			s->progress = xstrdup("status decision");
	} else if (strcmp(k, "progress") == 0) {
		const char *p = v;

		while (*p != '\0') {
			size_t n = strcspn(p, " ,");

			if (n > 0 && !progress_word(p, n)) {
				snprintf(why, whylen,
				         "progress: unknown '%.*s' (status, "
				         "decision, comms, note, action, "
				         "escalation)",
				         (int)n, p);
				return -1;
			}
			p += n;
			p += strspn(p, " ,");
		}
		if (*v == '\0') {
			snprintf(why, whylen, "progress is empty");
			return -1;
		}
		free(s->progress);
		s->progress = xstrdup(v);
		for (char *q = s->progress; *q; q++)
			if (*q == ',')
				*q = ' ';
	} else {
		snprintf(why, whylen, "unknown key '%s' in a phase", k);
		return -1;
	}
	return 0;
}

static int
on_item(void *ctx, const struct ini_item *it, char *why, size_t whylen)
{
	struct load_ctx *c = ctx;
	struct playbook *pb = c->pb;

	if (it->key == NULL) {
		c->cur = NULL;
		c->in_header = 0;
		if ((strcmp(it->section, "playbook") == 0 ||
		     strcmp(it->section, "runbook") == 0) &&
		    *it->arg == '\0') {
			c->in_header = 1;
			return 0;
		}
		if (strcmp(it->section, "phase") == 0) {
			size_t i;

			if (*it->arg == '\0') {
				snprintf(
				    why, whylen,
				    "a phase needs a name: [phase Triage]");
				return -1;
			}
			for (i = 0; i < pb->nphases; i++)
				if (strcmp(pb->phases[i].name, it->arg) == 0) {
					snprintf(why, whylen,
					         "phase '%s' defined twice",
					         it->arg);
					return -1;
				}
			pb->phases = xreallocarray(pb->phases, pb->nphases + 1,
			                           sizeof *pb->phases);
			c->cur = &pb->phases[pb->nphases++];
			memset(c->cur, 0, sizeof *c->cur);
			c->cur->name = xstrdup(it->arg);
			c->cur->line = it->line;
			return 0;
		}
		snprintf(why, whylen, "unknown section [%s%s%s]", it->section,
		         *it->arg ? " " : "", it->arg);
		return -1;
	}
	if (c->cur != NULL) {
		if (strcmp(it->key, "timebox") == 0) {
			if (parse_timebox(c->cur, it->value) != 0) {
				snprintf(why, whylen,
				         "timebox: expected a duration (15m), "
				         "'DURATION after previous' or 'none', "
				         "not '%s'",
				         it->value);
				return -1;
			}
			return 0;
		}
		return step_key(c, it, why, whylen);
	}
	if (c->in_header) {
		char **slot = strcmp(it->key, "name") == 0 ? &pb->name
		              : strcmp(it->key, "description") == 0
		                  ? &pb->description
		                  : NULL;

		if (slot != NULL) {
			free(*slot);
			*slot = xstrdup(it->value);
			return 0;
		}
		snprintf(why, whylen, "unknown key '%s' in [%s]", it->key,
		         it->section);
		return -1;
	}
	snprintf(why, whylen, "'%s' outside any section", it->key);
	return -1;
}

enum itui_code
playbook_load(const char *path, struct playbook **out, struct itui_err *err)
{
	struct playbook *pb = xcalloc(1, sizeof *pb);
	struct load_ctx c = {pb, NULL, 0};
	size_t i;

	pb->path = xstrdup(path);
	*out = NULL;
	if (ini_parse_file(path, on_item, &c, err) != ITUI_OK)
		goto fail;
	/* Checked at the end, so the message points at the phase's line. */
	for (i = 0; i < pb->nphases; i++)
		if (!pb->phases[i].untimed && pb->phases[i].timebox <= 0) {
			err_set(err, ITUI_CONFIG,
			        "%s:%d: phase '%s' has no time box (timebox = "
			        "15m, '10m after previous' or 'none')",
			        path, pb->phases[i].line, pb->phases[i].name);
			goto fail;
		}
	if (pb->name == NULL) {
		const char *slash = strrchr(path, '/');
		size_t n;

		slash = slash ? slash + 1 : path;
		n = strcspn(slash, ".");
		pb->name = xstrndup(slash, n);
	}
	*out = pb;
	return ITUI_OK;
fail:
	playbook_free(pb);
	return err != NULL ? err->code : ITUI_CONFIG;
}

void
playbook_free(struct playbook *pb)
{
	size_t i, j;

	if (pb == NULL)
		return;
	for (i = 0; i < pb->nphases; i++) {
		for (j = 0; j < pb->phases[i].nsteps; j++) {
			struct pb_step *s = &pb->phases[i].steps[j];

			free(s->text);
			free(s->role);
			free(s->event);
			free(s->progress);
		}
		free(pb->phases[i].steps);
		free(pb->phases[i].name);
	}
	free(pb->phases);
	free(pb->path);
	free(pb->name);
	free(pb->description);
	free(pb);
}

char *
playbook_path(const char *kind, const char *name, const char *share_dir)
{
	char *cfg, *slash, *p;
	size_t i;

	if (name == NULL || *name == '\0')
		return NULL;
	if (strchr(name, '/') != NULL)
		return xstrdup(name);
	for (i = 0; name[i] != '\0'; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') ||
		      (name[i] >= 'A' && name[i] <= 'Z') ||
		      (name[i] >= '0' && name[i] <= '9') || name[i] == '-' ||
		      name[i] == '_'))
			return NULL;
	/* The user's copy, beside the configuration file, first. */
	cfg = config_default_path();
	slash = strrchr(cfg, '/');
	if (slash != NULL) {
		*slash = '\0';
		p = xasprintf("%s/%s/%s.ini", cfg, kind, name);
		if (access(p, R_OK) == 0) {
			free(cfg);
			return p;
		}
		free(p);
	}
	free(cfg);
	return xasprintf("%s/%s/%s.ini", share_dir, kind, name);
}
