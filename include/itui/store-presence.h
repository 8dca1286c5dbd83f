/*
 * store-presence.h - the presence table: one row per open dashboard.
 *
 * Contract: store.h's rules (one struct store per thread).  Each call is
 * one statement in its own (autocommit) transaction that touches only the
 * presence table: no audit row, no timeline entry, no incident's updated_at
 * and no store revision move, so other dashboards re-read presence alone
 * (presence.h says when).  Lists are freed with presence_list_free().
 */
#ifndef ITUI_STORE_PRESENCE_H
#define ITUI_STORE_PRESENCE_H

#include "itui/err.h"
#include "itui/presence.h"
#include "itui/store.h"

/* Writes this session's row (seen now); drops rows gone for an hour. */
enum itui_code store_presence_set(struct store *st, const struct presence *p,
                                  struct itui_err *err);
/* The sessions seen in the last stale_after seconds that still run. */
enum itui_code store_presence_list(struct store *st, int64_t stale_after,
                                   struct presence_list *out,
                                   struct itui_err *err);
enum itui_code store_presence_clear(struct store *st, const char *session,
                                    struct itui_err *err);

#endif
