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
};

/* A free TCP port on 127.0.0.1. */
int free_port(void);
/* Starts Prometheus (and Alertmanager when with_am) and waits until ready. */
void servers_prometheus(struct servers *s, const char *dir, int with_am);
void servers_prometheus_kill(struct servers *s);
void servers_prometheus_restart(struct servers *s);
/* The Grafana stand-in; its log is DIR/grafana.log, its mode DIR/grafana.mode.
 */
void servers_grafana(struct servers *s, const char *dir, const char *token);
void servers_grafana_mode(struct servers *s, const char *mode);
void servers_black_hole(struct servers *s);
void servers_stop(struct servers *s);

/* GET http://127.0.0.1:port/path; returns the HTTP status or -1. */
int http_get_status(int port, const char *path);

#endif
