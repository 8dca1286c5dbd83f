/*
 * standins_notify.h - loopback stand-ins for the outbox's destinations, on
 * 127.0.0.1 only: one HTTP server answering as a Slack incoming webhook, the
 * PagerDuty Events API v2 and a generic signed-webhook receiver, and Debian's
 * python3-aiosmtpd as a real SMTP server with AUTH.  Every process started
 * is killed by notify_standins_stop().
 */
#ifndef ITUI_TEST_STANDINS_NOTIFY_H
#define ITUI_TEST_STANDINS_NOTIFY_H

#include <sys/types.h>

struct notify_standins {
	char dir[512]; /* logs: DIR/http.log, mails: DIR/mail/msg-N.eml */
	int http_port; /* /slack/TOKEN, /pagerduty/v2/enqueue, /webhook */
	int smtp_port;
	pid_t http_pid, smtp_pid;
	char secret[128]; /* the webhook signing secret the receiver checks */
	char routing_key[64];
	char tls_cert[600], tls_key[600]; /* "" for plain SMTP */
};

/*
 * Starts the HTTP stand-in.  Its mode file DIR/mode says how it answers:
 * "up" (as the documentation says a healthy service does), "down" (503
 * from every route), "ratelimit" (429 with Retry-After: 120).
 */
void notify_http_start(struct notify_standins *s, const char *dir,
                       const char *secret, const char *routing_key);
void notify_http_mode(struct notify_standins *s, const char *mode);
/*
 * Starts aiosmtpd on smtp_port (chosen now if 0) with this login; with
 * tls_cert/tls_key set first, it requires STARTTLS.
 */
void notify_smtp_start(struct notify_standins *s, const char *user,
                       const char *password);
void notify_smtp_stop(struct notify_standins *s);
void notify_standins_stop(struct notify_standins *s);
/* Lines of DIR/http.log starting with `kind` ("slack", "pagerduty",
 * "webhook"); and the number of mails received. */
int notify_count(const struct notify_standins *s, const char *kind);
int notify_mail_count(const struct notify_standins *s);

#endif
