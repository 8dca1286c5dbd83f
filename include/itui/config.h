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

struct config {
	char *path; /* the file read, or NULL when there was none */
	char *db;
	char *user;
	char *policy;
	char *timezone;
	struct {
		char *url;
		int64_t interval;
		int64_t timeout;
		int64_t snapshot_every; /* 0: the default */
	} prometheus;
	struct {
		char *url;
	} alertmanager;
	struct {
		char *url;
		char *token_env;
		char *token_file;
		char *dashboard;
		char *datasource;
	} grafana;
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

#endif
