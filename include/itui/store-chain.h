/*
 * store-chain.h - the tamper-evident record: a hash chain per incident over
 * its timeline entries, entry revisions and audit rows, and the SSH
 * signatures of chain heads.
 *
 * Contract: every chained row carries chain_seq (1, 2, ... per incident, in
 * commit order) and chain_hash = SHA-256(hash of the previous row, or 64
 * zeros, then "\n", then the row's content as a JSON array); chain_heads
 * holds each incident's last seq and hash.  The row content names no
 * database row ids: an entry is referred to by its seq, an action item by its
 * ordinal in the incident, the incident itself as "self", so an incident
 * imported into another database in the same order has the same chain.
 * Audit rows with no incident chain under incident 0.
 *
 * chain_link() and chain_fill() run inside the caller's write transaction
 * on the caller's connection (store.c's helpers and the migration in db.c
 * call them); the store_* functions follow store.h's rules (one struct
 * store per thread; lists are the caller's to free with the _free call).
 */
#ifndef ITUI_STORE_CHAIN_H
#define ITUI_STORE_CHAIN_H

#include <stddef.h>
#include <stdint.h>

#include "itui/err.h"
#include "itui/store.h"

#define CHAIN_HASH_LEN 64 /* hex digits of a SHA-256 */

enum chain_class { CHAIN_ENTRY, CHAIN_REVISION, CHAIN_AUDIT };

struct sd_db;

/*
 * For the store's own files: how an audit row (alias a) names its object
 * in the chain and in exports ("entry:SEQ", "action:N", "self",
 * "OBJECT:ID").
 */
#define CHAIN_AUDIT_REF_SQL                                                 \
	"CASE WHEN a.object_id IS NULL THEN NULL"                           \
	" WHEN a.object = 'entry' THEN 'entry:' || coalesce(CAST((SELECT"   \
	" x.chain_seq FROM entries x WHERE x.id = a.object_id) AS TEXT),"   \
	" '?')"                                                             \
	" WHEN a.object = 'action' THEN 'action:' || (SELECT count(*) FROM" \
	" action_items x WHERE x.incident_id = a.incident_id"               \
	" AND x.id <= a.object_id)"                                         \
	" WHEN a.object_id = a.incident_id THEN 'self'"                     \
	" ELSE a.object || ':' || a.object_id END"

/* Gives the row (by rowid) its seq and hash and moves its chain's head. */
enum itui_code chain_link(struct sd_db *db, enum chain_class cls, int64_t rowid,
                          struct itui_err *err);
/*
 * The same for a row a writer has just added, on a store's connection with
 * its statements kept prepared: an entry without revisions yet, a revision,
 * or an audit row about `object` (NULL for other classes).
 */
enum itui_code st_chain_link(struct store *st, enum chain_class cls,
                             int64_t rowid, const char *object,
                             struct itui_err *err);
struct chain_cache;
/* Finalizes a store's kept statements (store_close() calls it). */
void chain_cache_free(struct chain_cache *cache);
/*
 * Chains every row that has no hash yet, oldest first (by the time it was
 * recorded, then entry before revision before audit, then id): the one-time
 * fill of a database written before the chains existed.
 */
enum itui_code chain_fill(struct sd_db *db, struct itui_err *err);

/*
 * The canonical text of a JSON value (compact, keys sorted) that entries'
 * data is stored as, so an export (which sorts keys) imports back to the
 * same bytes and the same hash.  NULL in, NULL out; text that is not JSON
 * is returned as it is.  The caller frees it.
 */
char *chain_canonical_json(const char *text);

/* SHA-256 of data as 64 lower-case hex digits and a NUL. */
void chain_sha256_hex(const void *data, size_t len,
                      char out[CHAIN_HASH_LEN + 1]);

struct chain_head {
	int64_t incident_id;
	int64_t seq;
	char hash[CHAIN_HASH_LEN + 1]; /* 64 zeros when the chain is empty */
};

struct chain_check {
	int64_t incident_id;
	int64_t rows;           /* rows checked */
	struct chain_head head; /* as recomputed (seq 0: empty) */
	int ok;
	/* The first row that does not match, when !ok. */
	char where[96];   /* "entry 12", "revision 2 of entry 12", "audit 40" */
	int64_t bad_seq;  /* the seq it holds or should hold */
	char reason[160]; /* what does not match */
};

struct chain_checks {
	struct chain_check *v;
	size_t n;
};

/*
 * Recomputes the chain of one incident (incident_id > 0), or of every
 * incident and the incident-less chain 0 (incident_id == 0).
 */
enum itui_code store_chain_verify(struct store *st, int64_t incident_id,
                                  struct chain_checks *out,
                                  struct itui_err *err);
void chain_checks_free(struct chain_checks *c);
/* The stored head of an incident's chain (seq 0 and zeros when empty). */
enum itui_code store_chain_head(struct store *st, int64_t incident_id,
                                struct chain_head *out, struct itui_err *err);
/* The recomputed hash at `seq` of an incident's chain ("" if none). */
enum itui_code store_chain_hash_at(struct store *st, int64_t incident_id,
                                   int64_t seq, char out[CHAIN_HASH_LEN + 1],
                                   struct itui_err *err);

struct signature {
	int64_t id;
	int64_t incident_id;
	int64_t seq;
	char *head;
	char *signer;    /* the principal, as in the allowed-signers file */
	char *signature; /* the armored SSH signature */
	int64_t signed_at;
};

struct signature_list {
	struct signature *v;
	size_t n;
};

/* Stores a signature of an incident's head (not part of the chain). */
enum itui_code store_signature_add(struct store *st, int64_t incident_id,
                                   int64_t seq, const char *head,
                                   const char *signer, const char *signature,
                                   struct itui_err *err);
enum itui_code store_signatures(struct store *st, int64_t incident_id,
                                struct signature_list *out,
                                struct itui_err *err);
void signature_list_free(struct signature_list *l);

/* The message a head's signature covers (the caller frees it). */
char *chain_sign_message(int64_t incident_id, int64_t seq, const char *head);

#endif
