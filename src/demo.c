/*
 * demo.c - builds the demonstration database.
 *
 * The store stamps each write with its clock, so the demo sets that clock to
 * the moment each event is supposed to have happened: the entries are not
 * "late", and the SLA clocks come out as a real incident's would: one P0
 * whose status update is overdue, a P1 in monitoring, an older P2 and a
 * resolved P1 with its postmortem due.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "itui/clocks.h"
#include "itui/demo.h"
#include "itui/store.h"
#include "itui/xalloc.h"

static int64_t demo_clock;

static int64_t
demo_now(void)
{
	return demo_clock;
}

enum step_type {
	S_DECLARE,
	S_ACK,
	S_STATUS,
	S_SEVERITY,
	S_ROLE,
	S_LOG,
	S_ACTION
};

struct step {
	int incident; /* index into the demo's incidents, 0-based */
	int64_t ago;  /* seconds before now */
	enum step_type type;
	const char *who;
	int arg; /* level index, status, role, kind, or due offset (h) */
	const char *text;  /* title, person, entry text, action text */
	const char *extra; /* service, or action owner */
};

#define M 60
#define H 3600

static const struct step steps[] = {
    /* INC 1: checkout errors; upgraded, update overdue */
    {0, 58 * M, S_DECLARE, "alice", 1,
     "Checkout API returning 500s for ~30% of requests", "checkout"},
    {0, 57 * M, S_LOG, "alice", KIND_NOTE,
     "Error-rate alert fired at 09:12; confirmed from the status dashboard",
     NULL},
    {0, 56 * M, S_ROLE, "alice", ROLE_COMMANDER, "alice", NULL},
    {0, 55 * M, S_ACK, "alice", 0, NULL, NULL},
    {0, 54 * M, S_ROLE, "alice", ROLE_TECH_LEAD, "bob", NULL},
    {0, 53 * M, S_ROLE, "alice", ROLE_SCRIBE, "carol", NULL},
    {0, 50 * M, S_LOG, "carol", KIND_NOTE,
     "5xx concentrated on POST /orders; reads look healthy", NULL},
    {0, 48 * M, S_SEVERITY, "alice", 0, NULL, NULL},
    {0, 47 * M, S_LOG, "alice", KIND_DECISION,
     "Upgraded: revenue impact confirmed by payments team", NULL},
    {0, 45 * M, S_LOG, "alice", KIND_COMMS,
     "Status page: investigating elevated checkout errors", NULL},
    {0, 41 * M, S_LOG, "bob", KIND_NOTE,
     "inventory-svc p99 latency 4.8 s since deploy 2026.11.3", NULL},
    {0, 38 * M, S_STATUS, "alice", STATUS_IDENTIFIED, NULL, NULL},
    {0, 37 * M, S_LOG, "carol", KIND_NOTE,
     "Deploy 2026.11.3 added a synchronous stock check per cart line", NULL},
    {0, 33 * M, S_LOG, "alice", KIND_DECISION,
     "Roll back inventory-svc to 2026.11.2 rather than hotfix", NULL},
    {0, 30 * M, S_LOG, "bob", KIND_ACTION, "Rollback started (canary 10%)",
     NULL},
    {0, 24 * M, S_STATUS, "alice", STATUS_MITIGATING, NULL, NULL},
    {0, 22 * M, S_LOG, "bob", KIND_ACTION, "Rollback at 100%", NULL},
    {0, 18 * M, S_LOG, "carol", KIND_NOTE,
     "Error rate down from 31% to 4%; still above baseline", NULL},
    {0, 12 * M, S_LOG, "bob", KIND_NOTE,
     "Remaining errors from a stuck connection pool on checkout-7", NULL},
    {0, 10 * M, S_ACTION, "alice", 72,
     "Add a circuit breaker to checkout -> inventory calls", "bob"},
    {0, 6 * M, S_LOG, "bob", KIND_ACTION, "Restarted checkout-7", NULL},

    /* INC 2: search staleness, monitoring */
    {1, 3 * H + 10 * M, S_DECLARE, "dave", 1,
     "Search results stale in the EU region", "search"},
    {1, 3 * H + 8 * M, S_ROLE, "dave", ROLE_COMMANDER, "dave", NULL},
    {1, 3 * H + 2 * M, S_ACK, "dave", 0, NULL, NULL},
    {1, 3 * H, S_ROLE, "dave", ROLE_TECH_LEAD, "erin", NULL},
    {1, 2 * H + 55 * M, S_LOG, "erin", KIND_NOTE,
     "Indexer lag 47 min in eu-west; us-east fine", NULL},
    {1, 2 * H + 40 * M, S_LOG, "dave", KIND_COMMS,
     "Internal update: EU search may show stale listings", NULL},
    {1, 2 * H + 20 * M, S_STATUS, "dave", STATUS_IDENTIFIED, NULL, NULL},
    {1, 2 * H + 18 * M, S_LOG, "erin", KIND_NOTE,
     "Kafka consumer group rebalancing in a loop after broker restart", NULL},
    {1, 1 * H + 50 * M, S_LOG, "erin", KIND_ACTION,
     "Pinned consumer assignment; lag falling", NULL},
    {1, 1 * H + 45 * M, S_STATUS, "dave", STATUS_MONITORING, NULL, NULL},
    {1, 1 * H + 20 * M, S_LOG, "dave", KIND_COMMS,
     "Update: EU search recovering, lag under 5 min", NULL},
    {1, 40 * M, S_LOG, "erin", KIND_NOTE, "Lag 20 s, back to normal", NULL},

    /* INC 3: an older, slower one */
    {2, 26 * H, S_DECLARE, "frank", 2,
     "Intermittent login delays for SSO users", "auth"},
    {2, 25 * H, S_ACK, "frank", 0, NULL, NULL},
    {2, 25 * H, S_ROLE, "frank", ROLE_COMMANDER, "frank", NULL},
    {2, 24 * H, S_LOG, "frank", KIND_NOTE,
     "IdP metadata refresh takes 8-12 s for some tenants", NULL},
    {2, 20 * H, S_LOG, "frank", KIND_COMMS,
     "Support told: workaround is a second login attempt", NULL},
    {2, 3 * H, S_LOG, "frank", KIND_NOTE,
     "Vendor ticket opened; waiting on their cache fix", NULL},

    /* INC 4: resolved yesterday, postmortem pending */
    {3, 30 * H, S_DECLARE, "dave", 1, "Payment webhook backlog", "payments"},
    {3, 30 * H - 5 * M, S_ACK, "dave", 0, NULL, NULL},
    {3, 30 * H - 5 * M, S_ROLE, "dave", ROLE_COMMANDER, "dave", NULL},
    {3, 29 * H, S_LOG, "erin", KIND_NOTE,
     "Webhook queue at 180k; workers OOM-killed on large payloads", NULL},
    {3, 28 * H, S_STATUS, "dave", STATUS_MITIGATING, NULL, NULL},
    {3, 27 * H, S_STATUS, "dave", STATUS_MONITORING, NULL, NULL},
    {3, 26 * H, S_STATUS, "dave", STATUS_RESOLVED, NULL, NULL},
    {3, 25 * H, S_ACTION, "dave", -24, "Alert on webhook queue depth", "erin"},
    {3, 25 * H, S_ACTION, "dave", 22, "Write the postmortem", "dave"},
};

static enum itui_code
is_demo_or_empty(const char *path, struct itui_err *err)
{
	struct store *st;
	struct incident_list l;
	char *flag = NULL;
	enum itui_code rc;

	if (store_open(path, STORE_NOCREATE, &st, err) != ITUI_OK)
		return err->code;
	rc = store_meta_get(st, "demo", &flag, err);
	if (rc == ITUI_OK && flag == NULL) {
		rc = store_incident_list(st, 1, 0, &l, err);
		if (rc == ITUI_OK && l.n > 0)
			rc = err_set(
			    err, ITUI_INPUT,
			    "%s holds incidents that are not a demo; demo "
			    "writes only to a new file or an earlier demo "
			    "database",
			    path);
		incident_list_free(&l);
	}
	free(flag);
	store_close(st);
	return rc;
}

static void
remove_db(const char *path)
{
	static const char *const sfx[] = {"", "-wal", "-shm"};
	size_t i;

	for (i = 0; i < 3; i++) {
		char *f = xasprintf("%s%s", path, sfx[i]);

		unlink(f);
		free(f);
	}
}

static enum itui_code
run_step(struct store *st, const struct policy *p, const struct step *s,
         int64_t *ids, int64_t now, struct itui_err *err)
{
	int64_t at = now - s->ago, aid;
	int lvl = s->arg < p->nlevels ? s->arg : p->nlevels - 1;

	demo_clock = at;
	store_set_actor(st, s->who, "local");
	switch (s->type) {
	case S_DECLARE: {
		struct incident_new in = {0};

		in.title = s->text;
		in.severity = p->levels[lvl].name;
		in.service = s->extra;
		in.at = at;
		return store_incident_declare(st, &in, &ids[s->incident], err);
	}
	case S_ACK: {
		int already;

		return store_incident_ack(st, ids[s->incident], at, &already,
		                          err);
	}
	case S_STATUS:
		return store_incident_set_status(
		    st, ids[s->incident], (enum inc_status)s->arg, at, err);
	case S_SEVERITY:
		return store_incident_set_severity(
		    st, ids[s->incident], p->levels[lvl].name, at, err);
	case S_ROLE:
		return store_role_assign(st, ids[s->incident],
		                         (enum role)s->arg, s->text, at, err);
	case S_LOG:
		return store_entry_add(st, ids[s->incident],
		                       (enum entry_kind)s->arg, at, s->text,
		                       NULL, NULL, err);
	case S_ACTION:
		return store_action_add(st, ids[s->incident], s->text, s->extra,
		                        now + (int64_t)s->arg * H,
		                        HORIZON_SHORT_TERM, &aid, err);
	}
	return ITUI_OK;
}

enum itui_code
demo_create(const char *path, const struct policy *p, int64_t now,
            struct itui_err *err)
{
	int64_t ids[4] = {0};
	struct store *st;
	struct stat sb;
	enum itui_code rc = ITUI_OK;
	size_t i;

	if (stat(path, &sb) == 0) {
		if (is_demo_or_empty(path, err) != ITUI_OK)
			return err->code;
		remove_db(path);
	}
	if (store_open(path, 0, &st, err) != ITUI_OK)
		return err->code;
	store_set_clock(st, demo_now);
	demo_clock = now;
	rc = store_batch_begin(st, err);
	for (i = 0; rc == ITUI_OK && i < sizeof steps / sizeof steps[0]; i++)
		rc = run_step(st, p, &steps[i], ids, now, err);
	if (rc == ITUI_OK) {
		demo_clock = now;
		rc = store_meta_set(st, "demo", "1", err);
	}
	if (rc == ITUI_OK)
		rc = store_batch_end(st, 1, err);
	else
		store_batch_end(st, 0, NULL);
	store_close(st);
	return rc;
}
