/*
 * servers.h - real and stand-in monitoring servers for the tests, on
 * 127.0.0.1 only: Debian's prometheus and prometheus-alertmanager, a
 * loopback stand-in for Grafana's HTTP API (Grafana has no Debian package),
 * and a black hole that accepts connections and never answers.  Every
 * process started is killed by servers_stop().
 */
#ifndef ITUI_TEST_SERVERS_H
#define ITUI_TEST_SERVERS_H

#include <sys/types.h>

struct servers {
	char dir[512];
	int prom_port, am_port, grafana_port, hole_port;
	pid_t prom_pid, am_pid, grafana_pid;
	int hole_fd;
	/*
	 * Set before servers_prometheus(): `production` adds external labels
	 * (cluster, replica) to Prometheus and an inhibition rule with the
	 * alerts it applies to; `webhook_port` routes Alertmanager's
	 * notifications to http://127.0.0.1:PORT/ with a bearer token read
	 * from DIR/hook.token (group_wait 1s, group_interval 2s).
	 */
	int production;
	int webhook_port;
	int canned_port;
	pid_t canned_pid;
};

/* A free TCP port on 127.0.0.1. */
int free_port(void);
/* Starts Prometheus (and Alertmanager when with_am) and waits until ready. */
void servers_prometheus(struct servers *s, const char *dir, int with_am);
void servers_prometheus_kill(struct servers *s);
/* POSTs a JSON body to Alertmanager; returns the body of the reply. */
char *servers_am_post(struct servers *s, const char *path, const char *json);
/* DELETE on Alertmanager; the HTTP status. */
int servers_am_delete(struct servers *s, const char *path);
void servers_prometheus_restart(struct servers *s);
/*
 * The Grafana stand-in (servers.c names the Grafana source file of each
 * answer); its log is DIR/grafana.log, its mode DIR/grafana.mode.  Its
 * datasource prom1 forwards to the Prometheus started before it, if any.
 */
void servers_grafana(struct servers *s, const char *dir, const char *token);
void servers_grafana_mode(struct servers *s, const char *mode);
void servers_black_hole(struct servers *s);
/*
 * A canned HTTP server: after delay_ms it answers every request with
 * `status` and `body` ("%AUTH%" in body is replaced by the request's
 * Authorization header, as a misconfigured proxy echoes it; "%REQ%" by
 * the whole request, head and body, escaped as a JSON string).  Each request
 * appends a line to DIR/canned.log.
 */
void servers_canned(struct servers *s, const char *dir, int delay_ms,
                    int status, const char *body);
void servers_stop(struct servers *s);

/* GET http://127.0.0.1:port/path; returns the HTTP status or -1. */
int http_get_status(int port, const char *path);

#endif
