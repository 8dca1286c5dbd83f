/*
 * store-export.h - an incident's whole record as one JSON value, and the
 * same value written back into a database (docs/export.md gives the shape).
 *
 * Contract: store.h's rules (one struct store per thread).  The export names
 * no database row ids but the incident's own: entries by their chain seq,
 * action items by their ordinal, so an import into another database
 * recreates the same chain (same seqs, same hashes) and exporting it again
 * gives the same bytes, apart from "id" (and "drill" when imported with
 * --drill).  The json_t returned is the caller's (json_decref()).
 */
#ifndef ITUI_STORE_EXPORT_H
#define ITUI_STORE_EXPORT_H

#include <stdint.h>

#include "itui/err.h"
#include "itui/store.h"

#define EXPORT_FORMAT "incident-tui export 1"

struct json_t;

enum itui_code store_export(struct store *st, int64_t incident_id,
                            struct json_t **out, struct itui_err *err);
/* drill: 1 marks it a drill, 0 keeps the export's own flag. */
enum itui_code store_import(struct store *st, struct json_t *in, int drill,
                            int64_t *new_id, struct itui_err *err);

#endif
