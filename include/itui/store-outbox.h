/*
 * store-outbox.h - the outbox: every outbound message (a Slack post, a
 * page, an email, a webhook call) is a row, written in the same transaction
 * as the change that causes it, and delivered later by the deliverer
 * (deliver.h), at least once, in order per destination.
 *
 * Contract: same threading rule as store.h (one struct store per thread).
 * store_set_routes() attaches the policy and configuration that say which
 * destinations hear of which change; both must outlive the store, and
 * without them changes write no rows.  Rows returned are the caller's, freed
 * with outbox_rows_free() / outbox_row_free().  Secrets never reach a row:
 * a row names its destination; the deliverer reads the URL or key when it
 * sends.
 *
 * Routing (outbox_route): the incident's level names destinations with
 * `notify` (declaration, severity and status changes, ack, breached clocks),
 * `updates` (status updates marked sent; default: notify) and `tier.N` (an
 * escalation tier falling due).  Only configured destinations are routed to.
 * PagerDuty destinations get only trigger (declaration, escalation, a
 * severity change), acknowledge (ack) and resolve (resolution); ack and
 * resolve go to the PagerDuty destinations that were triggered.
 */
#ifndef ITUI_STORE_OUTBOX_H
#define ITUI_STORE_OUTBOX_H

#include <stddef.h>
#include <stdint.h>

#include "itui/config.h"
#include "itui/err.h"
#include "itui/policy.h"
#include "itui/store.h"

#define OUTBOX_MAX_ATTEMPTS 12

struct outbox_row {
	int64_t id;
	int64_t incident_id; /* 0 for a message about no one incident */
	char *destination;
	char *dest_type;
	char *event;  /* declared, severity, status, ack, update, escalation,
	                 breach, handoff */
	char *action; /* PagerDuty: trigger, acknowledge, resolve; else NULL */
	char *subject;
	char *body;
	char *state; /* pending, sending, sent, failed, cancelled */
	char *last_error;
	char *idem_key;
	int attempts;
	int64_t created_at, next_at, sent_at;
};

struct outbox_rows {
	struct outbox_row *v;
	size_t n;
};

void store_set_routes(struct store *st, const struct policy *p,
                      const struct config *cfg);

/*
 * The configured destinations a level names for an event ("declared",
 * "update", "escalation" with tier, ...), in the order the policy lists
 * them, without duplicates.  Free with outbox_names_free().  This is also
 * the preview of where a status update goes when it is marked sent.
 */
void outbox_route(const struct policy *p, const struct config *cfg,
                  const char *level, const char *event, int tier, char ***names,
                  size_t *n);
void outbox_names_free(char **names, size_t n);
/* The incident channel's name: [outbox] channel (strftime, UTC), by default
 * "#incident-%Y%m%d-%H%M", at the declaration time.  Free it. */
char *outbox_channel_name(const struct config *cfg, int64_t declared_at);

/* Newest first; incident_id 0: every incident; limit 0: all. */
enum itui_code store_outbox_list(struct store *st, int64_t incident_id,
                                 int limit, struct outbox_rows *out,
                                 struct itui_err *err);
enum itui_code store_outbox_get(struct store *st, int64_t id,
                                struct outbox_row *out, struct itui_err *err);
void outbox_row_free(struct outbox_row *r);
void outbox_rows_free(struct outbox_rows *l);
/* A failed or cancelled message goes back to the queue, tries reset. */
enum itui_code store_outbox_retry(struct store *st, int64_t id,
                                  struct itui_err *err);
/* A pending or failed message is not sent. */
enum itui_code store_outbox_cancel(struct store *st, int64_t id,
                                   struct itui_err *err);

/* ---- for the deliverer, which holds the delivery lock ---- */

/* Destinations with messages waiting. Free with outbox_names_free(). */
enum itui_code store_outbox_queues(struct store *st, char ***names, size_t *n,
                                   struct itui_err *err);
/* The oldest waiting message of a destination; *found 0 when none. */
enum itui_code store_outbox_head(struct store *st, const char *destination,
                                 struct outbox_row *out, int *found,
                                 struct itui_err *err);
/*
 * pending -> sending, counting the attempt; *claimed 0 when another
 * deliverer took it or it was cancelled.
 */
enum itui_code store_outbox_claim(struct store *st, int64_t id, int *claimed,
                                  struct itui_err *err);
/* sending -> sent, with a timeline entry on the incident. */
enum itui_code store_outbox_sent(struct store *st, int64_t id,
                                 struct itui_err *err);
/*
 * sending -> pending again at retry_at, or -> failed (a timeline entry)
 * when `permanent` or after max_attempts tries; *gave_up says which.
 */
enum itui_code store_outbox_failed(struct store *st, int64_t id,
                                   const char *why, int permanent,
                                   int64_t retry_at, int max_attempts,
                                   int *gave_up, struct itui_err *err);
/* sending -> pending: a deliverer that died left them half-done. */
enum itui_code store_outbox_release(struct store *st, struct itui_err *err);
/*
 * Something that falls due (an escalation tier, a breached clock), once per
 * (incident, cause): rows for its destinations and a timeline entry, in one
 * transaction.  event "escalation" (with tier) or "breach".  *fired is 1
 * the first time only.
 */
enum itui_code store_outbox_due(struct store *st, int64_t incident_id,
                                const char *cause, const char *event, int tier,
                                const char *detail, int *fired,
                                struct itui_err *err);

/* Public status updates (statuspage template, or data "public": true). */
enum itui_code store_public_updates(struct store *st, int64_t incident_id,
                                    struct entry_list *out,
                                    struct itui_err *err);

#endif
