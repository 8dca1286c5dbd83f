/*
 * notify.h - one outbox message to one destination: the payload each kind
 * of destination expects, the secrets it needs, and the answer it gave.
 *
 * Contract: pure formatting (notify_payload, notify_hmac_sha256_hex,
 * notify_email_message) may run on any thread; notify_send() uses the
 * caller's struct http_client, so it runs on that client's thread.
 * Secrets are read when a message is sent, from a file that only its owner
 * may read (mode 0600 or stricter: anything looser is refused) or from an
 * environment variable; they are wiped and freed after the send and never
 * appear in a result, an error or a payload other than the one they are for.
 * Strings returned are the caller's to free.
 *
 * Destinations and the documents their answers follow:
 *  - slack: Slack incoming webhooks (api.slack.com/messaging/webhooks):
 *    `blocks` plus a `text` fallback; 200 "ok"; 400 invalid_payload,
 *    403/404/410 channel_not_found and friends are permanent; 429 carries
 *    Retry-After.  Mattermost accepts the same payload.
 *  - webhook: generic JSON, signed: X-Incident-Tui-Timestamp and
 *    X-Incident-Tui-Signature: v1=HEX(HMAC-SHA256(secret, TS "." BODY)),
 *    plus Idempotency-Key.
 *  - teams: a Microsoft Teams incoming webhook with an Adaptive Card.
 *  - pagerduty: Events API v2 (developer.pagerduty.com, "Send an Event"):
 *    POST /v2/enqueue, trigger/acknowledge/resolve with dedup_key INC-N;
 *    202 success, 400 invalid event (permanent), 429 and 5xx retried.
 *  - email: SMTP through libcurl (STARTTLS required with tls = starttls,
 *    the default; used when offered with tls = try), AUTH when `user` is
 *    set, plain-text body.  `ca_file` verifies a private CA's server.
 */
#ifndef ITUI_NOTIFY_H
#define ITUI_NOTIFY_H

#include <stdint.h>

#include "itui/config.h"
#include "itui/err.h"
#include "itui/http.h"
#include "itui/store-outbox.h"

#define PAGERDUTY_EVENTS_URL "https://events.pagerduty.com/v2/enqueue"

struct notify_result {
	int ok;
	int permanent;    /* retrying will not help */
	long retry_after; /* seconds the destination asked for, or -1 */
	char why[520];    /* for the outbox and the timeline; no secrets */
};

/*
 * A secret from `file` (must be mode 0600 or stricter, owned by us) or from
 * the environment variable `env`; the trailing newline is dropped.
 */
enum itui_code notify_secret(const char *what, const char *file,
                             const char *env, char **out, struct itui_err *err);
/* Wipes and frees a secret. */
void notify_secret_free(char *s);

/* The JSON body for an HTTP destination (routing_key: PagerDuty's). */
char *notify_payload(const struct config_destination *d,
                     const struct outbox_row *m, const char *routing_key,
                     int64_t now);
/* hex(HMAC-SHA256(key, msg)) into out (65 bytes). */
void notify_hmac_sha256_hex(const char *key, const char *msg, char out[65]);
/* The RFC 5322 message for an email destination, CRLF line ends. */
char *notify_email_message(const struct config_destination *d,
                           const struct outbox_row *m, int64_t now);

/* Sends one message; ITUI_OK with res filled whatever the destination said. */
enum itui_code notify_send(struct http_client *c,
                           const struct config_destination *d,
                           const struct outbox_row *m, int64_t now,
                           struct notify_result *res, struct itui_err *err);

#endif
