/*
 * cmd-memory.h - the verbs of the record's memory: verify, sign, export,
 * import, replay and who.
 *
 * Contract: table rows for cmd.c (cmd.h's rules); main thread.  verify
 * answers ITUI_CORRUPT (exit 1) when a chain or a signature does not hold.
 * sign, import and replay run from the command line only (sign may ask for
 * a passphrase on the terminal, replay blocks for the drill's length).
 */
#ifndef ITUI_CMD_MEMORY_H
#define ITUI_CMD_MEMORY_H

#include "itui/cmd.h"

extern const struct cmd_entry cmd_verify_entry;
extern const struct cmd_entry cmd_sign_entry;
extern const struct cmd_entry cmd_export_entry;
extern const struct cmd_entry cmd_import_entry;
extern const struct cmd_entry cmd_replay_entry;
extern const struct cmd_entry cmd_who_entry;

#endif
