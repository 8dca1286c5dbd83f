/*
 * cli.h - the scriptable command line.
 *
 * Contract: cli_main() is called once from main() on the main thread and
 * returns the process exit status (0, 1 or 2).  The verbs and their help
 * come from cmd_table[] (cmd.h); a test holds incident-tui.1 to it.  Every
 * failure prints exactly one line on stderr: "incident-tui: VERB: what was
 * wrong".
 */
#ifndef ITUI_CLI_H
#define ITUI_CLI_H

int cli_main(int argc, char **argv);

#endif
