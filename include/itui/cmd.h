/*
 * cmd.h - the verbs: one table that the command line, the dashboard's `:`
 * line, its prompts and its key bindings all run.
 *
 * Contract: each cmd-*.c file defines `const struct cmd_entry` rows (the
 * tmux shape: name, synopsis, options, target, flags, exec) and cmd.c
 * gathers them in cmd_table[].  A caller fills a struct cmd_q (the context,
 * where output goes, and on the dashboard what the person sees), parses
 * words with cmd_parse() and runs them with cmd_exec(); the validation and
 * the error text are the same wherever the words came from.  A verb writes
 * its output to q->out (stdout for the command line, a memory stream for
 * the dashboard's status bar or pager), its one-line result for a person to
 * q->note, and never touches the terminal.  Main thread only.
 *
 * The target: a verb with .target names, as its first positional, the
 * incident (INC-N or N), the timeline entry (N) or the action item (ACT-N)
 * it changes.  On the dashboard that word may be left out: cmd_exec() puts
 * in what the person has highlighted and shown (q->seen), so `:status
 * monitoring` changes the incident on the screen, never another one.
 */
#ifndef ITUI_CMD_H
#define ITUI_CMD_H

#include <stdint.h>
#include <stdio.h>

#include "itui/context.h"
#include "itui/err.h"

#define CMD_MAX_OPTS 12

struct cmd_option {
	const char *name; /* "--severity" */
	const char *arg;  /* "LEVEL", or NULL for a flag */
	const char *help;
};

enum cmd_target {
	CMD_T_NONE,
	CMD_T_INCIDENT, /* INC-N */
	CMD_T_ENTRY,    /* a timeline entry's id */
	CMD_T_ACTION,   /* ACT-N */
};

enum {
	CMD_NO_CONTEXT = 1 << 0, /* runs without configuration (help) */
	CMD_WRITES = 1 << 1,     /* changes the store */
	CMD_CLI_ONLY = 1 << 2,   /* not from the dashboard (poll, demo) */
};

struct cmd_q;

struct cmd_entry {
	const char *name; /* "status", or a group's "action add" */
	/* Short names taken before any prefix match: "st" is status, though
	 * "stats" starts the same way. */
	const char *aliases[3];
	const char *synopsis;
	const char *summary;
	enum itui_code (*exec)(struct cmd_q *q, struct itui_err *err);
	int min_pos;
	int max_pos; /* -1: any number */
	unsigned flags;
	enum cmd_target target; /* what pos[0] names */
	struct cmd_option options[CMD_MAX_OPTS];
};

/* NULL-terminated; in the order help lists them. */
extern const struct cmd_entry *const cmd_table[];

struct cmd_args {
	const struct cmd_entry *entry;
	const char *val[CMD_MAX_OPTS]; /* per option; flags get "" */
	char **pos;
	int npos;
};

/* What the person on the dashboard has highlighted and shown (0: none). */
struct cmd_seen {
	int64_t incident;
	int64_t entry;
	int64_t action;
};

struct cmd_q {
	struct context *ctx;
	struct cmd_args args;
	FILE *out;
	int interactive; /* from the dashboard */
	struct cmd_seen seen;
	const char *stdin_text; /* what "-" reads on the dashboard */
	/* Results for the caller. */
	int64_t made;   /* the incident, entry or item the verb created */
	char note[512]; /* one line for a person ("acknowledged INC-3") */
	int warned;     /* note is a warning (printed on the command line) */
	/* The shared-directory advice, for the caller to print once. */
	char advice[1024];
	int64_t target;  /* the id pos[0] named, once parsed */
	char *words[64]; /* storage for an inserted target word */
};

/*
 * The verb a word (or two, for a group such as "action add") names: the
 * exact name, or an unambiguous prefix of it.  *used says how many words
 * named it.  NULL with err filled when none or several match.
 */
const struct cmd_entry *cmd_find(int argc, char **argv, int *used,
                                 struct itui_err *err);
/*
 * Parses the words after the verb's name into q->args: options from the
 * entry's row (a repeated option is an error), positionals counted against
 * min_pos/max_pos.  Interactive callers get the target put in first when
 * the words leave it out.
 */
enum itui_code cmd_parse(struct cmd_q *q, const struct cmd_entry *e, int argc,
                         char **argv, struct itui_err *err);
/* Runs the parsed verb. */
enum itui_code cmd_exec(struct cmd_q *q, struct itui_err *err);
/*
 * Splits a `:` line into words: blanks separate, '...' and "..." quote
 * when they open a word or follow "=" (inside a word, as in "it's", a
 * quote is text), backslash escapes.  *argv is one allocation the caller
 * frees.
 */
enum itui_code cmd_split(const char *line, char ***argv, int *argc,
                         struct itui_err *err);
/* Frees what cmd_parse() inserted. */
void cmd_q_free(struct cmd_q *q);

/*
 * An option's value ("" for a flag), NULL when not given.  Asking for an
 * option that is not in the verb's row is a programming error: it aborts,
 * and the test that runs every verb finds it.
 */
const char *cmd_opt(const struct cmd_q *q, const char *name);
/* For a person: a success line (dashboard) or a warning (both). */
void cmd_note(struct cmd_q *q, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void cmd_warn(struct cmd_q *q, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ---- helpers for the verbs ------------------------------------------ */

/* "INC-3", "3" -> 3 (prefix "INC", "ACT", "AL"). */
enum itui_code cmd_parse_id(const char *s, const char *prefix, int64_t *out,
                            struct itui_err *err);
/* --if-revision N: a count from 0. */
enum itui_code cmd_parse_revision(const char *s, int64_t *out,
                                  struct itui_err *err);
/* --at, when the verb has it (TIME_NONE when not given). */
enum itui_code cmd_parse_at(struct cmd_q *q, int64_t *at, struct itui_err *err);
/* The policy's spelling of a level, or a usage error listing them. */
enum itui_code cmd_parse_level(struct cmd_q *q, const char *s,
                               const char **level, struct itui_err *err);
/* The store, writable when `writes` (the shared-directory advice on
 * stderr once). */
enum itui_code cmd_store(struct cmd_q *q, int writes, struct store **st,
                         struct itui_err *err);
/* Prints and releases a JSON document. */
enum itui_code cmd_print_json(struct cmd_q *q, void *json_root,
                              struct itui_err *err);
/* Joins words with spaces; a lone "-" reads standard input. */
enum itui_code cmd_gather_text(struct cmd_q *q, char **words, int n, char **out,
                               struct itui_err *err);
/* The output's width for tables (0: unknown). */
int cmd_width(const struct cmd_q *q);

#endif
