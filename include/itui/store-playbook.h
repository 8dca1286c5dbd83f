/*
 * store-playbook.h - the store's half of the playbooks: each incident's
 * checklist (phases, steps, who closed them and when), runbooks attached to
 * it, and ticking, unticking and skipping steps.
 *
 * Contract: same rules as store.h (one struct store per thread; every write
 * one IMMEDIATE transaction with its typed `checklist` entry and audit
 * rows).  The store does not read files: whoever opens it says where a
 * level's playbook comes from with store_set_playbooks(); declaring an
 * incident, and changing its severity, then give it that playbook's steps
 * in the same transaction (a severity change adds the new level's steps it
 * does not have yet, and removes none).  Events tick their steps inside the
 * transaction of the event itself: the earliest open step naming the event.
 * Output structs are the caller's, released with checklist_free().
 */
#ifndef ITUI_STORE_PLAYBOOK_H
#define ITUI_STORE_PLAYBOOK_H

#include <stdint.h>

#include "itui/checklist.h"
#include "itui/err.h"
#include "itui/playbook.h"
#include "itui/store.h"

/*
 * A level's playbook: *pb is NULL when the level names none; the playbook
 * stays the callee's and must outlive the store.  An error (a bad file)
 * fails the declaration or severity change that asked.
 */
typedef enum itui_code (*store_playbook_fn)(void *ctx, const char *level,
                                            const struct playbook **pb,
                                            struct itui_err *err);
void store_set_playbooks(struct store *st, store_playbook_fn fn, void *ctx);

/* The incident's checklist, not yet computed (checklist_compute()). */
enum itui_code store_checklist(struct store *st, int64_t id,
                               struct checklist *out, struct itui_err *err);

/*
 * Ticks (STEP_DONE), skips (STEP_SKIPPED, with a reason) or reopens
 * (STEP_OPEN) the step `ref` names (checklist_find()).  *num and *text tell
 * which step it was (text: caller frees); setting the state it already has
 * is a usage error.
 */
enum itui_code store_checklist_set(struct store *st, int64_t id,
                                   const char *ref, enum step_state state,
                                   const char *reason, int64_t at, int *num,
                                   char **text, struct itui_err *err);

/*
 * Adds a runbook's steps: each of its phases joins the incident's phase of
 * the same name, or else the current phase (a new phase at the end when
 * every phase is done).  *added counts the steps; attaching the same
 * runbook twice is a usage error.
 */
enum itui_code store_checklist_attach(struct store *st, int64_t id,
                                      const struct playbook *rb, int *added,
                                      struct itui_err *err);

#endif
