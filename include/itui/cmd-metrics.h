/*
 * cmd-metrics.h - verbs that talk to the metrics sources: alerts, snapshot,
 * poll.
 *
 * Contract: table rows for cmd.c; main thread, through cmd_exec().  They
 * load libcurl on first use (http.c); poll runs the poller thread until a
 * signal.
 */
#ifndef ITUI_CMD_METRICS_H
#define ITUI_CMD_METRICS_H

#include "itui/cmd.h"

extern const struct cmd_entry cmd_alerts_entry;
extern const struct cmd_entry cmd_snapshot_entry;
extern const struct cmd_entry cmd_poll_entry;

#endif
