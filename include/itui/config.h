/*
 * config.h - the user's configuration file (INI).
 *
 * Contract: config_load() reads $XDG_CONFIG_HOME/incident-tui/config (or the
 * --config path, which must then exist) into a struct config that the caller
 * owns and releases with config_free().  Unknown sections or keys and bad
 * values fail as "FILE:LINE: what is wrong".  Read-only after loading; any
 * thread may read it.  Tokens are never read from this file, only the name of
 * the variable or file that holds one.
 */
#ifndef ITUI_CONFIG_H
#define ITUI_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "itui/err.h"

struct config_query {
	char *name;
	char *expr;
	char *service;
	char *unit;
	int64_t range;
	int64_t step;
	int line;
};

struct config_pair {
	char *key;
	char *value;
	int line;
};

/*
 * A [destination NAME] section: where outbound messages go.  Secrets (a
 * webhook URL with its token, an HMAC secret, a routing key, an SMTP
 * password) are never in this file: only the name of the environment
 * variable or of the mode-0600 file that holds them.
 */
struct config_destination {
	char *name;
	char *type;     /* slack, webhook, teams, email, pagerduty */
	char *url;      /* a URL without a secret: PagerDuty's, smtp:// */
	char *url_file; /* the secret URL of a slack/webhook/teams hook */
	char *url_env;
	char *secret_file; /* HMAC secret, routing key or SMTP password */
	char *secret_env;
	char *from, *to, *user; /* email */
	char *tls;              /* email: starttls (default), try, none */
	char *ca_file;          /* CA certificates to verify it with */
	int line;
};

/*
 * How to reach one source: its own timeout, credentials (file names only;
 * the secrets are read when a request is made ready), TLS and extra headers.
 */
struct config_auth {
	int64_t timeout; /* 0: the [prometheus] timeout, or 10 s */
	char *bearer_token_file;
	char *username;
	char *password_file;
	char *ca_file;
	int insecure_skip_verify;
	char **headers; /* "Name: value" */
	size_t nheaders;
};

/* bell = new-p0,breach */
enum {
	CONFIG_BELL_NEW_TOP = 1 << 0, /* a new incident of the top severity */
	CONFIG_BELL_BREACH = 1 << 1,  /* a clock of a listed incident breaks */
};

struct config {
	char *path; /* the file read, or NULL when there was none */
	char *db;
	char *user;
	char *policy;
	char *timezone;
	unsigned bell; /* CONFIG_BELL_* the dashboard rings the terminal for */
	char *signing_key;     /* the SSH key `sign` uses (a path) */
	char *allowed_signers; /* ssh-keygen's allowed-signers file (a path) */
	struct {
		char *url;
		int64_t interval;
		int64_t timeout;
		int64_t snapshot_every; /* 0: the default */
		struct config_auth auth;
	} prometheus;
	struct {
		char *url; /* the first of urls */
		char *
		    *urls; /* an HA cluster: each is asked, duplicates merged */
		size_t nurls;
		struct config_auth auth;
	} alertmanager;
	struct {
		/* Labels left out of an alert's identity (NULL-terminated). */
		char **ignore_labels;
		char *service_label; /* default "service" */
		/* A re-fire after its incident was resolved: 0 detaches
		 * it (a new incident to declare), 1 reopens the incident. */
		int refire_reopens;
	} alerts;
	struct {
		char *listen; /* ADDR:PORT, or NULL */
		char *token_file;
		char *username;
		char *password_file;
		int64_t max_body; /* bytes; 0: 1 MiB */
	} receiver;
	struct {
		char *url;
		char *token_env;
		char *token_file;
		char *dashboard;
		char *datasource;
		int64_t snapshot_expiry; /* seconds; 0: the default, 30 days */
		struct config_auth auth;
	} grafana;
	struct config_destination *destinations;
	size_t ndestinations;
	struct {
		char *dir;   /* the deliverer writes the status page here */
		char *title; /* the page's heading */
	} statuspage;
	struct {
		int64_t max_attempts; /* 0: the default */
		char *channel;        /* strftime pattern of the channel name */
	} outbox;
	struct config_query *queries;
	size_t nqueries;
	struct config_pair *severity_map;
	size_t nseverity_map;
	struct config_pair *keys;
	size_t nkeys;
};

/* The default path, from XDG_CONFIG_HOME or HOME. Free it. */
char *config_default_path(void);
/* explicit_path: --config (must exist); NULL: the default (may be absent). */
enum itui_code config_load(const char *explicit_path, struct config *out,
                           struct itui_err *err);
void config_free(struct config *c);
/* The destination with this name, or NULL. */
const struct config_destination *config_destination(const struct config *c,
                                                    const char *name);

#endif
