/* config.c - reads and validates the configuration file. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "itui/config.h"
#include "itui/ini.h"
#include "itui/timeutil.h"
#include "itui/xalloc.h"

char *
config_default_path(void)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

	if (xdg != NULL && *xdg == '/')
		return xasprintf("%s/incident-tui/config", xdg);
	return xasprintf("%s/.config/incident-tui/config",
	                 home != NULL ? home : ".");
}

static void
set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = xstrdup(v);
}

static int __attribute__((format(printf, 3, 4)))
bad(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
	return -1;
}

/* "new-p0,breach": what the dashboard rings the terminal's bell for. */
static int
parse_bell(struct config *c, const char *v, char *why, size_t len)
{
	const char *p = v;

	c->bell = 0;
	while (*p != '\0') {
		size_t n = strcspn(p, ", ");

		if (n == 6 && strncmp(p, "new-p0", 6) == 0)
			c->bell |= CONFIG_BELL_NEW_TOP;
		else if (n == 6 && strncmp(p, "breach", 6) == 0)
			c->bell |= CONFIG_BELL_BREACH;
		else if (!(n == 4 && strncmp(p, "none", 4) == 0))
			return bad(why, len,
			           "bell: '%.*s' is not new-p0, breach or none",
			           (int)n, p);
		p += n;
		p += strspn(p, ", ");
	}
	return 0;
}

static int
set_url(char **dst, const char *key, const char *v, char *why, size_t len)
{
	size_t n;

	if (strncmp(v, "http://", 7) != 0 && strncmp(v, "https://", 8) != 0)
		return bad(why, len,
		           "%s: '%s' is not an http:// or https:// URL", key,
		           strchr(v, '@') ? "(a URL with credentials)" : v);
	set_str(dst, v);
	/* A trailing slash would make every path "//api/...". */
	n = strlen(*dst);
	while (n > 8 && (*dst)[n - 1] == '/')
		(*dst)[--n] = '\0';
	return 0;
}

static int set_duration(int64_t *dst, const char *key, const char *v, char *why,
                        size_t len);

static void
add_str(char ***v, size_t *n, const char *s)
{
	*v = xreallocarray(*v, *n + 2, sizeof **v);
	(*v)[(*n)++] = xstrdup(s);
	(*v)[*n] = NULL;
}

/* A comma-separated list into a NULL-terminated vector. */
static void
set_list(char ***v, const char *s)
{
	size_t n = 0;
	char *copy = xstrdup(s), *tok, *save = NULL;

	if (*v != NULL) {
		for (char **p = *v; *p != NULL; p++)
			free(*p);
		free(*v);
	}
	*v = xcalloc(1, sizeof **v);
	for (tok = strtok_r(copy, ", \t", &save); tok != NULL;
	     tok = strtok_r(NULL, ", \t", &save))
		add_str(v, &n, tok);
	free(copy);
}

static int
set_bool(int *dst, const char *key, const char *v, char *why, size_t len)
{
	if (strcmp(v, "true") == 0 || strcmp(v, "yes") == 0 ||
	    strcmp(v, "1") == 0)
		*dst = 1;
	else if (strcmp(v, "false") == 0 || strcmp(v, "no") == 0 ||
	         strcmp(v, "0") == 0)
		*dst = 0;
	else
		return bad(why, len, "%s: '%s' is not true or false", key, v);
	return 0;
}

/* The per-source keys; 1 when `k` is not one of them. */
static int
on_auth(struct config_auth *a, const char *k, const char *v, char *why,
        size_t len, int *rc)
{
	*rc = 0;
	if (strcmp(k, "timeout") == 0)
		*rc = set_duration(&a->timeout, k, v, why, len);
	else if (strcmp(k, "bearer_token_file") == 0)
		set_str(&a->bearer_token_file, v);
	else if (strcmp(k, "username") == 0)
		set_str(&a->username, v);
	else if (strcmp(k, "password_file") == 0)
		set_str(&a->password_file, v);
	else if (strcmp(k, "ca_file") == 0)
		set_str(&a->ca_file, v);
	else if (strcmp(k, "insecure_skip_verify") == 0)
		*rc = set_bool(&a->insecure_skip_verify, k, v, why, len);
	else if (strcmp(k, "header") == 0) {
		if (strchr(v, ':') == NULL || strpbrk(v, "\r\n") != NULL)
			*rc = bad(why, len, "header: expected 'Name: value'");
		else
			add_str(&a->headers, &a->nheaders, v);
	} else if (strcmp(k, "password") == 0 || strcmp(k, "bearer_token") == 0)
		*rc = bad(
		    why, len,
		    "%s: secrets are not kept in the config file; use %s_file",
		    k, k);
	else
		return 1;
	return 0;
}

static void
free_auth(struct config_auth *a)
{
	size_t i;

	free(a->bearer_token_file);
	free(a->username);
	free(a->password_file);
	free(a->ca_file);
	for (i = 0; i < a->nheaders; i++)
		free(a->headers[i]);
	free(a->headers);
}

static int
set_duration(int64_t *dst, const char *key, const char *v, char *why,
             size_t len)
{
	if (time_parse_duration(v, dst) != 0 || *dst <= 0)
		return bad(why, len, "%s: bad duration '%s' (e.g. 30s, 5m, 1h)",
		           key, v);
	return 0;
}

static void
add_pair(struct config_pair **v, size_t *n, const struct ini_item *it)
{
	struct config_pair *p;

	*v = xreallocarray(*v, *n + 1, sizeof **v);
	p = &(*v)[(*n)++];
	p->key = xstrdup(it->key);
	p->value = xstrdup(it->value);
	p->line = it->line;
}

static int
on_section(struct config *c, const struct ini_item *it, char *why, size_t len)
{
	static const char *const plain[] = {
	    "prometheus", "alertmanager", "grafana", "severity-map", "keys",
	    "statuspage", "outbox",       "alerts",  "receiver"};
	size_t i;

	if (strcmp(it->section, "query") == 0) {
		struct config_query *q;

		if (*it->arg == '\0')
			return bad(why, len,
			           "a query needs a name: [query NAME]");
		for (i = 0; i < c->nqueries; i++)
			if (strcmp(c->queries[i].name, it->arg) == 0)
				return bad(why, len, "query '%s' defined twice",
				           it->arg);
		c->queries = xreallocarray(c->queries, c->nqueries + 1,
		                           sizeof *c->queries);
		q = &c->queries[c->nqueries++];
		memset(q, 0, sizeof *q);
		q->name = xstrdup(it->arg);
		q->line = it->line;
		return 0;
	}
	if (strcmp(it->section, "destination") == 0) {
		struct config_destination *d;

		if (*it->arg == '\0')
			return bad(why, len,
			           "a destination needs a name: [destination "
			           "NAME]");
		if (config_destination(c, it->arg) != NULL)
			return bad(why, len, "destination '%s' defined twice",
			           it->arg);
		c->destinations =
		    xreallocarray(c->destinations, c->ndestinations + 1,
		                  sizeof *c->destinations);
		d = &c->destinations[c->ndestinations++];
		memset(d, 0, sizeof *d);
		d->name = xstrdup(it->arg);
		d->line = it->line;
		return 0;
	}
	for (i = 0; i < sizeof plain / sizeof plain[0]; i++)
		if (strcmp(it->section, plain[i]) == 0 && *it->arg == '\0')
			return 0;
	/* [keys.VIEW]: the view's name is checked by the key map. */
	if (strncmp(it->section, "keys.", 5) == 0 && it->section[5] != '\0' &&
	    *it->arg == '\0')
		return 0;
	return bad(why, len, "unknown section [%s%s]", it->section,
	           *it->arg ? " ..." : "");
}

static int
destination_key(struct config_destination *d, const char *k, const char *v,
                char *why, size_t len)
{
	static const char *const types[] = {"slack", "webhook", "teams",
	                                    "email", "pagerduty"};
	struct {
		const char *key;
		char **dst;
	} strs[] = {
	    {"url_file", &d->url_file},
	    {"url_env", &d->url_env},
	    {"secret_file", &d->secret_file},
	    {"secret_env", &d->secret_env},
	    {"key_file", &d->secret_file},
	    {"key_env", &d->secret_env},
	    {"password_file", &d->secret_file},
	    {"password_env", &d->secret_env},
	    {"from", &d->from},
	    {"to", &d->to},
	    {"user", &d->user},
	    {"ca_file", &d->ca_file},
	};
	size_t i;

	if (strcmp(k, "type") == 0) {
		for (i = 0; i < sizeof types / sizeof types[0]; i++)
			if (strcmp(v, types[i]) == 0) {
				set_str(&d->type, v);
				return 0;
			}
		return bad(why, len,
		           "type: expected slack, webhook, teams, email or "
		           "pagerduty, not '%s'",
		           v);
	}
	if (strcmp(k, "url") == 0) {
		/* A hook's URL carries its token: it stays out of this file. */
		if (d->type != NULL && (strcmp(d->type, "slack") == 0 ||
		                        strcmp(d->type, "webhook") == 0 ||
		                        strcmp(d->type, "teams") == 0))
			return bad(
			    why, len,
			    "url: a %s URL holds its token; use url_file "
			    "(mode 0600) or url_env",
			    d->type);
		if (strncmp(v, "http://", 7) != 0 &&
		    strncmp(v, "https://", 8) != 0 &&
		    strncmp(v, "smtp://", 7) != 0 &&
		    strncmp(v, "smtps://", 8) != 0)
			return bad(
			    why, len,
			    "url: '%s' is not an http(s):// or smtp(s):// "
			    "URL",
			    v);
		if (strchr(v, '@') != NULL)
			return bad(why, len,
			           "url: no user or password in the URL; use "
			           "user and password_file or password_env");
		set_str(&d->url, v);
		return 0;
	}
	if (strcmp(k, "tls") == 0) {
		if (strcmp(v, "starttls") != 0 && strcmp(v, "try") != 0 &&
		    strcmp(v, "none") != 0)
			return bad(why, len,
			           "tls: expected starttls, try or none");
		set_str(&d->tls, v);
		return 0;
	}
	if (strcmp(k, "password") == 0 || strcmp(k, "secret") == 0 ||
	    strcmp(k, "key") == 0)
		return bad(why, len,
		           "%s: secrets are not kept in the config file; use "
		           "%s_file (mode 0600) or %s_env",
		           k, k, k);
	for (i = 0; i < sizeof strs / sizeof strs[0]; i++)
		if (strcmp(k, strs[i].key) == 0) {
			set_str(strs[i].dst, v);
			return 0;
		}
	return bad(why, len, "unknown key '%s' in [destination %s]", k,
	           d->name);
}

static int
on_item(void *ctx, const struct ini_item *it, char *why, size_t len)
{
	struct config *c = ctx;
	const char *s = it->section, *k = it->key, *v = it->value;

	if (k == NULL)
		return on_section(c, it, why, len);
	if (*v == '\0' && strncmp(s, "keys", 4) != 0)
		return bad(why, len, "%s: empty value", k);
	if (*s == '\0') {
		if (strcmp(k, "db") == 0)
			set_str(&c->db, v);
		else if (strcmp(k, "user") == 0)
			set_str(&c->user, v);
		else if (strcmp(k, "policy") == 0)
			set_str(&c->policy, v);
		else if (strcmp(k, "timezone") == 0)
			set_str(&c->timezone, v);
		else if (strcmp(k, "bell") == 0)
			return parse_bell(c, v, why, len);
		else if (strcmp(k, "signing_key") == 0)
			set_str(&c->signing_key, v);
		else if (strcmp(k, "allowed_signers") == 0)
			set_str(&c->allowed_signers, v);
		else
			return bad(why, len, "unknown key '%s'", k);
		return 0;
	}
	if (strcmp(s, "prometheus") == 0 || strcmp(s, "alertmanager") == 0 ||
	    strcmp(s, "grafana") == 0) {
		struct config_auth *au =
		    strcmp(s, "prometheus") == 0     ? &c->prometheus.auth
		    : strcmp(s, "alertmanager") == 0 ? &c->alertmanager.auth
		                                     : &c->grafana.auth;
		int rc;

		/* [prometheus] timeout stays the default of every source. */
		if (!(strcmp(s, "prometheus") == 0 &&
		      strcmp(k, "timeout") == 0) &&
		    on_auth(au, k, v, why, len, &rc) == 0)
			return rc;
	}
	if (strcmp(s, "alerts") == 0) {
		if (strcmp(k, "ignore_labels") == 0) {
			set_list(&c->alerts.ignore_labels, v);
			return 0;
		}
		if (strcmp(k, "service_label") == 0) {
			set_str(&c->alerts.service_label, v);
			return 0;
		}
		if (strcmp(k, "refire") == 0) {
			if (strcmp(v, "new") != 0 && strcmp(v, "reopen") != 0)
				return bad(why, len,
				           "refire: expected new or reopen");
			c->alerts.refire_reopens = strcmp(v, "reopen") == 0;
			return 0;
		}
	} else if (strcmp(s, "receiver") == 0) {
		if (strcmp(k, "listen") == 0) {
			if (strrchr(v, ':') == NULL)
				return bad(why, len,
				           "listen: expected ADDR:PORT");
			set_str(&c->receiver.listen, v);
			return 0;
		}
		if (strcmp(k, "token_file") == 0) {
			set_str(&c->receiver.token_file, v);
			return 0;
		}
		if (strcmp(k, "username") == 0) {
			set_str(&c->receiver.username, v);
			return 0;
		}
		if (strcmp(k, "password_file") == 0) {
			set_str(&c->receiver.password_file, v);
			return 0;
		}
		if (strcmp(k, "max_body") == 0) {
			char *end;
			long long n = strtoll(v, &end, 10);

			if (*end == 'k' || *end == 'K')
				n <<= 10, end++;
			else if (*end == 'm' || *end == 'M')
				n <<= 20, end++;
			if (*end != '\0' || n <= 0 || n > (64LL << 20))
				return bad(why, len,
				           "max_body: bad size '%s' (e.g. 1m)",
				           v);
			c->receiver.max_body = n;
			return 0;
		}
	}
	if (strcmp(s, "prometheus") == 0) {
		if (strcmp(k, "url") == 0)
			return set_url(&c->prometheus.url, k, v, why, len);
		if (strcmp(k, "interval") == 0)
			return set_duration(&c->prometheus.interval, k, v, why,
			                    len);
		if (strcmp(k, "timeout") == 0)
			return set_duration(&c->prometheus.timeout, k, v, why,
			                    len);
		if (strcmp(k, "snapshot_every") == 0)
			return set_duration(&c->prometheus.snapshot_every, k, v,
			                    why, len);
	} else if (strcmp(s, "alertmanager") == 0) {
		if (strcmp(k, "url") == 0) {
			char **list = NULL;
			size_t i;

			/* Several URLs: the peers of an HA cluster. */
			set_list(&list, v);
			for (i = 0; list[i] != NULL; i++) {
				char *u = NULL;

				if (set_url(&u, k, list[i], why, len) != 0) {
					for (i = 0; list[i] != NULL; i++)
						free(list[i]);
					free(list);
					return -1;
				}
				add_str(&c->alertmanager.urls,
				        &c->alertmanager.nurls, u);
				free(u);
			}
			for (i = 0; list[i] != NULL; i++)
				free(list[i]);
			free(list);
			if (c->alertmanager.nurls == 0)
				return bad(why, len, "url: empty list");
			set_str(&c->alertmanager.url, c->alertmanager.urls[0]);
			return 0;
		}
	} else if (strcmp(s, "grafana") == 0) {
		if (strcmp(k, "url") == 0)
			return set_url(&c->grafana.url, k, v, why, len);
		if (strcmp(k, "token_env") == 0) {
			set_str(&c->grafana.token_env, v);
			return 0;
		}
		if (strcmp(k, "token_file") == 0) {
			set_str(&c->grafana.token_file, v);
			return 0;
		}
		if (strcmp(k, "dashboard") == 0) {
			set_str(&c->grafana.dashboard, v);
			return 0;
		}
		if (strcmp(k, "datasource") == 0) {
			set_str(&c->grafana.datasource, v);
			return 0;
		}
		if (strcmp(k, "snapshot_expiry") == 0)
			return set_duration(&c->grafana.snapshot_expiry, k, v,
			                    why, len);
		if (strcmp(k, "token") == 0)
			return bad(
			    why, len,
			    "token: tokens are not kept in the config file; use "
			    "token_env or token_file");
	} else if (strcmp(s, "query") == 0) {
		struct config_query *q = &c->queries[c->nqueries - 1];

		if (strcmp(k, "expr") == 0) {
			set_str(&q->expr, v);
			return 0;
		}
		if (strcmp(k, "service") == 0) {
			set_str(&q->service, v);
			return 0;
		}
		if (strcmp(k, "unit") == 0) {
			set_str(&q->unit, v);
			return 0;
		}
		if (strcmp(k, "range") == 0)
			return set_duration(&q->range, k, v, why, len);
		if (strcmp(k, "step") == 0)
			return set_duration(&q->step, k, v, why, len);
	} else if (strcmp(s, "destination") == 0) {
		return destination_key(&c->destinations[c->ndestinations - 1],
		                       k, v, why, len);
	} else if (strcmp(s, "statuspage") == 0) {
		if (strcmp(k, "dir") == 0) {
			set_str(&c->statuspage.dir, v);
			return 0;
		}
		if (strcmp(k, "title") == 0) {
			set_str(&c->statuspage.title, v);
			return 0;
		}
	} else if (strcmp(s, "outbox") == 0) {
		if (strcmp(k, "max_attempts") == 0) {
			char *end;
			long n = strtol(v, &end, 10);

			if (*end != '\0' || n < 1 || n > 1000)
				return bad(why, len,
				           "max_attempts: expected 1 to 1000, "
				           "not '%s'",
				           v);
			c->outbox.max_attempts = n;
			return 0;
		}
		if (strcmp(k, "channel") == 0) {
			set_str(&c->outbox.channel, v);
			return 0;
		}
	} else if (strcmp(s, "severity-map") == 0) {
		add_pair(&c->severity_map, &c->nseverity_map, it);
		return 0;
	} else if (strcmp(s, "keys") == 0 || strncmp(s, "keys.", 5) == 0) {
		/*
		 * Checked against the key-binding table by the interface;
		 * [keys.alerts] down = J is kept as "alerts.down".
		 */
		struct ini_item named = *it;
		char *key = s[4] == '.' ? xasprintf("%s.%s", s + 5, k) : NULL;

		if (key != NULL)
			named.key = key;
		add_pair(&c->keys, &c->nkeys, &named);
		free(key);
		return 0;
	}
	return bad(why, len, "unknown key '%s' in [%s]", k, s);
}

enum itui_code
config_load(const char *explicit_path, struct config *out, struct itui_err *err)
{
	char *path = explicit_path != NULL ? xstrdup(explicit_path)
	                                   : config_default_path();
	struct stat st;
	size_t i;

	memset(out, 0, sizeof *out);
	if (stat(path, &st) != 0) {
		if (explicit_path == NULL && errno == ENOENT) {
			free(path);
			return ITUI_OK;
		}
		err_set(err, ITUI_CONFIG, "%s: %s", path, strerror(errno));
		free(path);
		return ITUI_CONFIG;
	}
	out->path = path;
	if (ini_parse_file(path, on_item, out, err) != ITUI_OK) {
		config_free(out);
		return err->code;
	}
	for (i = 0; i < out->nqueries; i++) {
		if (out->queries[i].expr == NULL) {
			err_set(err, ITUI_CONFIG,
			        "%s:%d: query '%s' has no expr", path,
			        out->queries[i].line, out->queries[i].name);
			config_free(out);
			return ITUI_CONFIG;
		}
	}
	for (i = 0; i < out->ndestinations; i++) {
		const struct config_destination *d = &out->destinations[i];
		const char *why = NULL;

		if (d->type == NULL)
			why = "has no type";
		else if ((strcmp(d->type, "slack") == 0 ||
		          strcmp(d->type, "webhook") == 0 ||
		          strcmp(d->type, "teams") == 0) &&
		         d->url_file == NULL && d->url_env == NULL)
			why = "needs url_file or url_env";
		else if (strcmp(d->type, "pagerduty") == 0 &&
		         d->secret_file == NULL && d->secret_env == NULL)
			why = "needs key_file or key_env (the routing key)";
		else if (strcmp(d->type, "email") == 0 &&
		         (d->url == NULL || d->to == NULL || d->from == NULL))
			why = "needs url (smtp://HOST:PORT), from and to";
		if (why != NULL) {
			err_set(err, ITUI_CONFIG, "%s:%d: destination '%s' %s",
			        path, d->line, d->name, why);
			config_free(out);
			return ITUI_CONFIG;
		}
	}
	return ITUI_OK;
}

const struct config_destination *
config_destination(const struct config *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->ndestinations; i++)
		if (strcmp(c->destinations[i].name, name) == 0)
			return &c->destinations[i];
	return NULL;
}

static void
free_pairs(struct config_pair *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].key);
		free(v[i].value);
	}
	free(v);
}

void
config_free(struct config *c)
{
	size_t i;

	free(c->path);
	free(c->db);
	free(c->user);
	free(c->policy);
	free(c->timezone);
	free(c->signing_key);
	free(c->allowed_signers);
	free(c->prometheus.url);
	free(c->alertmanager.url);
	for (i = 0; i < c->alertmanager.nurls; i++)
		free(c->alertmanager.urls[i]);
	free(c->alertmanager.urls);
	free_auth(&c->prometheus.auth);
	free_auth(&c->alertmanager.auth);
	free_auth(&c->grafana.auth);
	for (i = 0; c->alerts.ignore_labels != NULL &&
	            c->alerts.ignore_labels[i] != NULL;
	     i++)
		free(c->alerts.ignore_labels[i]);
	free(c->alerts.ignore_labels);
	free(c->alerts.service_label);
	free(c->receiver.listen);
	free(c->receiver.token_file);
	free(c->receiver.username);
	free(c->receiver.password_file);
	free(c->grafana.url);
	free(c->grafana.token_env);
	free(c->grafana.token_file);
	free(c->grafana.dashboard);
	free(c->grafana.datasource);
	for (i = 0; i < c->nqueries; i++) {
		free(c->queries[i].name);
		free(c->queries[i].expr);
		free(c->queries[i].service);
		free(c->queries[i].unit);
	}
	free(c->queries);
	for (i = 0; i < c->ndestinations; i++) {
		struct config_destination *d = &c->destinations[i];

		free(d->name);
		free(d->type);
		free(d->url);
		free(d->url_file);
		free(d->url_env);
		free(d->secret_file);
		free(d->secret_env);
		free(d->from);
		free(d->to);
		free(d->user);
		free(d->tls);
		free(d->ca_file);
	}
	free(c->destinations);
	free(c->statuspage.dir);
	free(c->statuspage.title);
	free(c->outbox.channel);
	free_pairs(c->severity_map, c->nseverity_map);
	free_pairs(c->keys, c->nkeys);
	memset(c, 0, sizeof *c);
}
