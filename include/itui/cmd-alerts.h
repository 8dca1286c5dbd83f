/*
 * cmd-alerts.h - the verbs for alerts received and acted on: receive,
 * ingest, silence and attach.
 *
 * Contract: rows of cmd_table[] (src/cmd.c); main thread only, like every
 * verb.  receive and ingest are command-line only (they block, or read
 * standard input); silence and attach also run from the dashboard.
 */
#ifndef ITUI_CMD_ALERTS_H
#define ITUI_CMD_ALERTS_H

#include "itui/cmd.h"

extern const struct cmd_entry cmd_receive_entry;
extern const struct cmd_entry cmd_ingest_entry;
extern const struct cmd_entry cmd_silence_entry;
extern const struct cmd_entry cmd_attach_entry;

#endif
