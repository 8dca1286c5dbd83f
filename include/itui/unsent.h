/*
 * unsent.h - text a person was typing when the dashboard was cut off
 * (SIGHUP, SIGTERM, a lost terminal) beyond the input line's draft row: an
 * entry being edited, a new incident's title, any prompt's answer and the
 * earlier answers of its flow, and the input line again (two terminals of
 * one person share one draft row per incident).
 *
 * Contract: one file per dashboard process under
 * $XDG_STATE_HOME/incident-tui (else ~/.local/state/incident-tui), mode
 * 0600 in a 0700 directory, named by a hash of the database path and the
 * pid, so two terminals keep both.  unsent_take() reads the files of
 * processes no longer running for that database and removes them.  Main
 * thread (never from a signal handler: the loop calls it after one).
 * Returned strings are the caller's to free.
 */
#ifndef ITUI_UNSENT_H
#define ITUI_UNSENT_H

#include "itui/strbuf.h"

/* Appends one item: what it was ("Title:"), then its text. */
void unsent_add(struct strbuf *sb, const char *what, const char *text);
/* Writes the items for this process; 0, or -1 with errno. */
int unsent_save(const char *db_path, const struct strbuf *sb);
/* Everything cut-off dashboards on db_path left, or NULL when nothing. */
char *unsent_take(const char *db_path);

#endif
