/*
 * The record's memory: hash chains that show tampering (edits with sqlite3,
 * deleted rows, swapped rows), the one-time fill of an older database, SSH
 * signatures of chain heads (real ssh-keygen, throwaway keys), exports,
 * imports, replays and presence.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>
#include <jansson.h>
#include <sqlite3.h>

#include "harness.h"
#include "itui/db.h"
#include "itui/sha256.h"
#include "itui/store-chain.h"
#include "itui/store.h"

static char *home, *db;

static void
setup(void)
{
	home = tmpdir_make();
	db = malloc(strlen(home) + 16);
	sprintf(db, "%s/inc.db", home);
}

static void
teardown(void)
{
	tmpdir_remove(home);
	free(db);
}

TestSuite(chain, .init = setup, .fini = teardown, .timeout = 60);

static struct run
cli(const char *path, const char *const *args)
{
	const char *argv[40] = {"--db", path};
	int n = 2;

	while (*args)
		argv[n++] = *args++;
	argv[n] = NULL;
	return run_bin(home, NULL, NULL, argv);
}

static char *
ok(const char *path, const char *const *args)
{
	struct run r = cli(path, args);

	cr_assert_eq(r.status, 0, "%s: exit %d, stderr: %s", args[0], r.status,
	             r.err);
	free(r.err);
	return r.out;
}

static void
ok_(const char *path, const char *const *args)
{
	free(ok(path, args));
}

/* verify on a copy after one sqlite3 change: exit 1 naming `row`. */
static void
tampered(const char *sql, const char *row)
{
	char copy[600], cmd[1400];
	struct run r;

	snprintf(copy, sizeof copy, "%s/copy.db", home);
	snprintf(cmd, sizeof cmd,
	         "rm -f '%s'*; sqlite3 '%s' \"VACUUM INTO '%s'\"", copy, db,
	         copy);
	cr_assert_eq(system(cmd), 0);
	free(sql1(copy, sql));
	r = cli(copy, ARGS("verify"));
	cr_assert_eq(r.status, 1, "verify after '%s': exit %d\n%s%s", sql,
	             r.status, r.out, r.err);
	cr_assert(strstr(r.out, row) != NULL,
	          "verify after '%s' should name %s:\n%s", sql, row, r.out);
	run_free(&r);
}

Test(chain, sha256_matches_fips_180_4_vectors)
{
	char h[CHAIN_HASH_LEN + 1];
	const char *two =
	    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

	chain_sha256_hex("abc", 3, h);
	cr_assert_str_eq(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9c"
	                    "b410ff61f20015ad");
	chain_sha256_hex(two, strlen(two), h);
	cr_assert_str_eq(h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167"
	                    "f6ecedd419db06c1");
	{
		/* A million 'a's, fed in uneven pieces through the buffer. */
		char *m = malloc(1000000);
		struct sha256 c;
		uint8_t d[SHA256_BYTES];
		size_t off = 0, step = 1, i;
		char hex[65];

		memset(m, 'a', 1000000);
		sha256_begin(&c);
		while (off < 1000000) {
			size_t n = 1000000 - off < step ? 1000000 - off : step;

			sha256_add(&c, m + off, n);
			off += n;
			step = step * 3 % 197 + 1;
		}
		sha256_end(&c, d);
		for (i = 0; i < SHA256_BYTES; i++)
			sprintf(hex + 2 * i, "%02x", d[i]);
		cr_assert_str_eq(hex,
		                 "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a4"
		                 "97200e046d39ccc7112cd0");
		free(m);
	}
	chain_sha256_hex("", 0, h);
	cr_assert_str_eq(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934c"
	                    "a495991b7852b855");
}

Test(chain, demo_verifies_and_stays_whole_after_every_kind_of_change)
{
	struct store *st;
	struct itui_err err;
	int64_t eid;
	char *out;

	ok_(db, ARGS("demo"));
	ok_(db, ARGS("verify"));
	ok_(db, ARGS("log", "1", "a note"));
	ok_(db, ARGS("log", "1", "--kind", "decision", "roll back"));
	ok_(db, ARGS("ack", "2"));
	ok_(db, ARGS("status", "1", "mitigating"));
	ok_(db, ARGS("severity", "1", "P0"));
	ok_(db, ARGS("assign", "1", "scribe", "zed"));
	ok_(db, ARGS("unassign", "1", "scribe"));
	ok_(db, ARGS("action", "1", "add", "write the runbook"));
	ok_(db, ARGS("handoff", "--record", "--to", "bob"));
	ok_(db, ARGS("declare", "--severity", "P2", "--title", "new one"));
	ok_(db, ARGS("set", "1", "summary", "the summary"));
	{
		char id[32];

		snprintf(id, sizeof id, "%lld",
		         sql_int(db, "SELECT max(id) FROM entries WHERE kind ="
		                     " 'decision'"));
		ok_(db, ARGS("entry", "edit", id, "roll back now"));
		ok_(db, ARGS("entry", "pin", id));
		ok_(db, ARGS("entry", "pin", id, "--off"));
		ok_(db, ARGS("entry", "delete", id));
		ok_(db, ARGS("entry", "restore", id));
	}
	ok_(db, ARGS("verify"));
	/* Edits, pins and deletes through the store. */
	cr_assert_eq(store_open(db, 0, &st, &err), ITUI_OK, "%s", err.msg);
	store_set_actor(st, "tess", "local");
	cr_assert_eq(store_entry_add(st, 1, KIND_NOTE, TIME_NONE, "tpyo", NULL,
	                             &eid, &err),
	             ITUI_OK, "%s", err.msg);
	cr_assert_eq(
	    store_entry_edit(st, eid, KIND_NOTE, TIME_NONE, "typo", &err),
	    ITUI_OK, "%s", err.msg);
	cr_assert_eq(store_entry_edit(st, eid, KIND_DECISION, TIME_NONE,
	                              "typo fixed", &err),
	             ITUI_OK, "%s", err.msg);
	cr_assert_eq(store_entry_set_pinned(st, eid, 1, &err), ITUI_OK, "%s",
	             err.msg);
	cr_assert_eq(store_entry_delete(st, eid, &err), ITUI_OK, "%s", err.msg);
	store_close(st);
	out = ok(db, ARGS("verify", "--json"));
	cr_assert(strstr(out, "\"ok\": true") != NULL, "%s", out);
	free(out);
	/* The edited entry's current text is covered by its last revision. */
	tampered("UPDATE entries SET text = 'forged' WHERE text = 'typo fixed'",
	         "a revision of entry");
}

Test(chain, verify_names_the_edited_deleted_and_swapped_rows)
{
	char want[128];
	long long id, a, b;

	ok_(db, ARGS("demo"));
	id = sql_int(db, "SELECT id FROM entries WHERE incident_id = 1 "
	                 "ORDER BY id LIMIT 1 OFFSET 3");
	snprintf(want, sizeof want, "entry %lld", id);
	{
		char sql[200];

		snprintf(
		    sql, sizeof sql,
		    "UPDATE entries SET text = text || '!' WHERE id = %lld",
		    id);
		tampered(sql, want);
	}
	/* Deleting a row: the one after the gap is named. */
	{
		long long seq = sql_int(
		    db,
		    "SELECT chain_seq FROM audit WHERE id = (SELECT min(id) "
		    "+ 5 FROM audit WHERE incident_id = 1)");

		snprintf(want, sizeof want,
		         "(seq %lld): the row before it (seq %lld) is missing",
		         seq + 1, seq);
		tampered(
		    "DELETE FROM audit WHERE id = (SELECT min(id) + 5 FROM "
		    "audit WHERE incident_id = 1)",
		    want);
	}
	/* Swapping two entries' places in the chain. */
	a = sql_int(db, "SELECT id FROM entries WHERE incident_id = 2 ORDER "
	                "BY chain_seq LIMIT 1 OFFSET 2");
	b = sql_int(db, "SELECT id FROM entries WHERE incident_id = 2 ORDER "
	                "BY chain_seq LIMIT 1 OFFSET 3");
	{
		char sql[400];

		char q[100];
		long long sa, sb;

		snprintf(q, sizeof q,
		         "SELECT chain_seq FROM entries WHERE id = %lld", a);
		sa = sql_int(db, q);
		snprintf(q, sizeof q,
		         "SELECT chain_seq FROM entries WHERE id = %lld", b);
		sb = sql_int(db, q);
		snprintf(
		    sql, sizeof sql,
		    "UPDATE entries SET chain_seq = CASE id WHEN %lld THEN "
		    "%lld ELSE %lld END WHERE id IN (%lld, %lld)",
		    a, sb, sa, a, b);
		snprintf(want, sizeof want, "entry %lld", b);
		tampered(sql, want);
		/* Swapping their contents instead. */
		snprintf(sql, sizeof sql,
		         "UPDATE entries SET text = CASE id WHEN %lld THEN "
		         "(SELECT text FROM entries WHERE id = %lld) ELSE "
		         "(SELECT text FROM entries WHERE id = %lld) END "
		         "WHERE id IN (%lld, %lld)",
		         a, b, a, a, b);
		snprintf(want, sizeof want, "entry %lld", a);
		tampered(sql, want);
	}
	/* State beside the hashed content: un-deleting, pinning. */
	{
		char sql[200];
		long long d;

		free(sql1(db, "SELECT 1"));
		d = sql_int(db, "SELECT id FROM entries WHERE incident_id = 3"
		                " ORDER BY id LIMIT 1 OFFSET 1");
		snprintf(sql, sizeof sql,
		         "UPDATE entries SET pinned = 1 WHERE id = %lld", d);
		snprintf(want, sizeof want, "entry %lld", d);
		tampered(sql, want);
		snprintf(sql, sizeof sql,
		         "UPDATE entries SET deleted_at = 1, deleted_by = 'x'"
		         " WHERE id = %lld",
		         d);
		tampered(sql, "deleted or not otherwise");
	}
	/* The newest row gone: the head says so. */
	tampered("DELETE FROM audit WHERE id = (SELECT max(id) FROM audit)",
	         "the end of the chain");
	/* A row added with sqlite3 carries no hash. */
	tampered("INSERT INTO entries(incident_id, at, recorded_at, author, "
	         "kind, text) VALUES (3, 1, 1, 'mallory', 'note', 'x')",
	         "entry");
}

Test(chain, an_older_database_is_chained_once_by_the_migration)
{
	char *out;

	ok_(db, ARGS("demo"));
	free(sql1(db,
	          "DROP TABLE chain_heads; DROP TABLE signatures;"
	          " DROP TABLE presence; DROP TABLE changes;"
	          " DROP TRIGGER entries_seq_new;"
	          " DROP TRIGGER entries_seq_change;"
	          " DROP INDEX entries_by_change; DROP INDEX audit_by_field;"
	          " ALTER TABLE entries DROP COLUMN mod_seq;"
	          " ALTER TABLE entries DROP COLUMN chain_seq;"
	          " ALTER TABLE entries DROP COLUMN chain_hash;"
	          " ALTER TABLE entry_revisions DROP COLUMN chain_seq;"
	          " ALTER TABLE entry_revisions DROP COLUMN chain_hash;"
	          " ALTER TABLE audit DROP COLUMN chain_seq;"
	          " ALTER TABLE audit DROP COLUMN chain_hash;"
	          " ALTER TABLE audit DROP COLUMN db_role;"
	          " PRAGMA user_version = 7;"));
	cr_assert_eq(sql_int(db, "PRAGMA user_version"), 7,
	             "before the chains (8)");
	ok_(db, ARGS("log", "1", "after the upgrade"));
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM entries WHERE "
	                         "chain_hash IS NULL"),
	             0);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM audit WHERE "
	                         "chain_hash IS NULL"),
	             0);
	out = ok(db, ARGS("verify"));
	cr_assert(strstr(out, "INC-1: whole") != NULL, "%s", out);
	free(out);
}

/* ---- signing --------------------------------------------------------------
 */

static void
keygen(const char *name)
{
	char cmd[1200];

	snprintf(cmd, sizeof cmd,
	         "ssh-keygen -q -t ed25519 -N '' -C %s -f '%s/%s' </dev/null",
	         name, home, name);
	cr_assert_eq(system(cmd), 0, "ssh-keygen failed");
}

/* A config naming an allowed-signers file that maps principal to key. */
static void
allow(const char *principal, const char *key)
{
	char path[600], line[1000];
	FILE *f, *k;

	snprintf(path, sizeof path, "%s/config", home);
	mkdir(path, 0755);
	strcat(path, "/incident-tui");
	mkdir(path, 0755);
	strcat(path, "/config");
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fprintf(f, "allowed_signers = %s/allowed\n", home);
	fclose(f);
	snprintf(path, sizeof path, "%s/%s.pub", home, key);
	k = fopen(path, "r");
	cr_assert_not_null(k);
	cr_assert_not_null(fgets(line, sizeof line, k));
	fclose(k);
	snprintf(path, sizeof path, "%s/allowed", home);
	f = fopen(path, "w");
	fprintf(f, "%s namespaces=\"incident-tui\" %s", principal, line);
	fclose(f);
}

Test(chain, a_signed_head_verifies_with_the_signers_key_only)
{
	char key[600];
	struct run r;
	char *out;

	keygen("alice");
	keygen("bob");
	snprintf(key, sizeof key, "%s/alice", home);
	ok_(db, ARGS("declare", "--severity", "P1", "--title", "signed"));
	ok_(db, ARGS("log", "1", "one"));
	ok_(db, ARGS("--user", "alice", "sign", "1", "--key", key));
	allow("alice", "alice");
	out = ok(db, ARGS("verify", "1"));
	cr_assert(strstr(out, "signed by alice") != NULL, "%s", out);
	cr_assert(strstr(out, ": good") != NULL, "%s", out);
	free(out);
	/* Another key under alice's name does not verify. */
	allow("alice", "bob");
	r = cli(db, ARGS("verify", "1"));
	cr_assert_eq(r.status, 1, "%s%s", r.out, r.err);
	cr_assert(strstr(r.out, ": bad") != NULL, "%s", r.out);
	run_free(&r);
	/* A signed row changed afterwards: the chain and signature fail. */
	allow("alice", "alice");
	free(sql1(db, "UPDATE entries SET text = 'two' WHERE text = 'one'"));
	r = cli(db, ARGS("verify", "1", "--json"));
	cr_assert_eq(r.status, 1, "%s%s", r.out, r.err);
	cr_assert(strstr(r.out, "\"status\": \"bad\"") != NULL, "%s", r.out);
	run_free(&r);
	/*
	 * Even with every hash recomputed from the forged row on (what a
	 * forger with the source would do): the chain is whole again, but the
	 * signed head is not its hash any more.
	 */
	free(sql1(db, "UPDATE entries SET chain_seq = NULL, chain_hash = NULL;"
	              " UPDATE audit SET chain_seq = NULL, chain_hash = NULL;"
	              " DELETE FROM chain_heads;"));
	{
		sqlite3 *h;
		struct itui_err err;

		cr_assert_eq(sqlite3_open(db, &h), SQLITE_OK);
		sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL);
		cr_assert_eq(db_chain_fill(h, &err), ITUI_OK, "%s", err.msg);
		sqlite3_exec(h, "COMMIT", NULL, NULL, NULL);
		sqlite3_close(h);
	}
	r = cli(db, ARGS("verify", "1"));
	cr_assert_eq(r.status, 1, "%s%s", r.out, r.err);
	cr_assert(strstr(r.out, "INC-1: whole") != NULL, "%s", r.out);
	cr_assert(strstr(r.out, "not the chain's hash") != NULL, "%s", r.out);
	run_free(&r);
}

/* ---- export and import ----------------------------------------------------
 */

Test(chain, export_is_stable_and_import_then_export_gives_the_same_bytes)
{
	char other[600], file[600], *a, *b, *c, *id, *csv, *md;
	struct store *st;
	struct itui_err err;
	int64_t eid;

	ok_(db, ARGS("demo"));
	/* Revisions, a deletion, a pin, role history and an action item. */
	cr_assert_eq(store_open(db, 0, &st, &err), ITUI_OK, "%s", err.msg);
	store_set_actor(st, "tess", "local");
	cr_assert_eq(store_entry_add(st, 1, KIND_NOTE, TIME_NONE, "frist",
	                             "{\"b\": 1, \"a\": [2]}", &eid, &err),
	             ITUI_OK, "%s", err.msg);
	cr_assert_eq(
	    store_entry_edit(st, eid, KIND_NOTE, TIME_NONE, "first", &err),
	    ITUI_OK);
	cr_assert_eq(store_entry_set_pinned(st, eid, 1, &err), ITUI_OK);
	cr_assert_eq(store_entry_add(st, 1, KIND_NOTE, TIME_NONE, "oops", NULL,
	                             &eid, &err),
	             ITUI_OK);
	cr_assert_eq(store_entry_delete(st, eid, &err), ITUI_OK);
	store_close(st);
	ok_(db, ARGS("assign", "1", "scribe", "dave"));
	ok_(db, ARGS("action", "1", "add", "second item", "--owner", "eve"));
	a = ok(db, ARGS("export", "1"));
	b = ok(db, ARGS("export", "1", "--format", "json"));
	cr_assert_str_eq(a, b, "two exports differ");
	cr_assert(strstr(a, "\"frist\"") != NULL, "revision missing");
	cr_assert(strstr(a, "\"deleted_by\": \"tess\"") != NULL);
	snprintf(file, sizeof file, "%s/inc1.json", home);
	ok_(db, ARGS("export", "1", "-o", file));
	snprintf(other, sizeof other, "%s/other.db", home);
	ok_(other, ARGS("declare", "--severity", "P3", "--title", "first"));
	id = ok(other, ARGS("import", file));
	cr_assert_str_eq(id, "2\n");
	c = ok(other, ARGS("export", "2"));
	/* Only the id differs (docs/export.md). */
	{
		char *p = strstr(c, "\"id\": 2,");

		cr_assert_not_null(p, "%s", c);
		p[6] = '1';
		cr_assert_str_eq(a, c, "import then export changed the record");
	}
	free(c);
	ok_(other, ARGS("verify"));
	/* As a drill: the flag is the other difference, and stats skip it. */
	free(id);
	id = ok(other, ARGS("import", file, "--drill"));
	cr_assert_str_eq(id, "3\n");
	cr_assert_eq(sql_int(other, "SELECT drill FROM incidents WHERE id = 3"),
	             1);
	ok_(db, ARGS("log", "1", "evil \033]0;pwned\007 title"));
	csv = ok(db, ARGS("export", "1", "--format", "csv"));
	cr_assert(strchr(csv, '\033') == NULL, "an escape reached the CSV");
	cr_assert(strncmp(csv, "section,item,key,value\n", 23) == 0, "%s", csv);
	cr_assert(strstr(csv, "timeline,") != NULL);
	md = ok(db, ARGS("export", "1", "--format", "md"));
	cr_assert(strstr(md, "## Timeline") != NULL, "%s", md);
	cr_assert(strstr(md, "chain head: seq") != NULL, "%s", md);
	free(a);
	free(b);
	free(id);
	free(csv);
	free(md);
}

Test(chain, import_refuses_what_is_not_an_export)
{
	char file[600];
	struct run r;
	FILE *f;

	snprintf(file, sizeof file, "%s/bad.json", home);
	f = fopen(file, "w");
	fputs("{\"format\": \"something else\"}", f);
	fclose(f);
	r = cli(db, ARGS("import", file));
	cr_assert_eq(r.status, 2, "%s", r.err);
	cr_assert(strstr(r.err, "not an incident-tui export") != NULL, "%s",
	          r.err);
	run_free(&r);
}

/* ---- replay ---------------------------------------------------------------
 */

/* The stats JSON without the clock and the drill count. */
static char *
stats_core(const char *path)
{
	char *out = ok(path, ARGS("stats", "--json"));
	json_t *j = json_loads(out, 0, NULL);
	char *s;

	cr_assert_not_null(j, "%s", out);
	json_object_del(j, "since");
	json_object_del(j, "now");
	json_object_del(j, "drills_left_out");
	s = json_dumps(j, JSON_SORT_KEYS);
	json_decref(j);
	free(out);
	return s;
}

static long
parse_list(char *s, long *v, long max)
{
	long n = 0;
	char *tok;

	for (tok = strtok(s, ","); tok != NULL && n < max;
	     tok = strtok(NULL, ","))
		v[n++] = strtol(tok, NULL, 10);
	return n;
}

Test(chain, replay_at_60x_keeps_order_and_pace_as_a_drill, .timeout = 240)
{
	char drills[600], *src_texts, *dst_texts, *src_t, *dst_t, *before,
	    *after, *out;
	long a[200], b[200], na, nb, i;

	ok_(db, ARGS("demo"));
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM incidents WHERE id = 1"
	                         " AND severity = 'P0'"),
	             1);
	snprintf(drills, sizeof drills, "%s/drills.db", home);
	ok_(drills, ARGS("declare", "--severity", "P2", "--title", "real one"));
	before = stats_core(drills);
	out = ok(db, ARGS("replay", "1", "--into", drills, "--speed", "60"));
	cr_assert(strstr(out, "INC-2: replaying INC-1 as a drill") != NULL,
	          "%s", out);
	free(out);
	cr_assert_eq(
	    sql_int(drills, "SELECT drill FROM incidents WHERE id = 2"), 1);
#define SRC_ROWS                                                         \
	" FROM entries WHERE incident_id = 1 AND deleted_at IS NULL AND" \
	" coalesce(json_extract(data, '$.event'), '') != 'declared'"
#define DST_ROWS                                  \
	" FROM entries WHERE incident_id = 2 AND" \
	" coalesce(json_extract(data, '$.event'), '') != 'declared'"
	src_texts = sql1(db, "SELECT group_concat(kind || ':' || text, '|')"
	                     " FROM (SELECT kind, text" SRC_ROWS
	                     " ORDER BY at, chain_seq)");
	dst_texts = sql1(drills, "SELECT group_concat(kind || ':' || text, '|')"
	                         " FROM (SELECT kind, text" DST_ROWS
	                         " ORDER BY recorded_at, id)");
	cr_assert_str_eq(dst_texts, src_texts, "the order differs");
	/* The original authors are the actors. */
	cr_assert_eq(sql_int(drills, "SELECT count(DISTINCT author)" DST_ROWS),
	             sql_int(db, "SELECT count(DISTINCT author)" SRC_ROWS));
	src_t =
	    sql1(db, "SELECT group_concat(at - (SELECT declared_at FROM"
	             " incidents WHERE id = 1), ',') FROM (SELECT at" SRC_ROWS
	             " ORDER BY at, chain_seq)");
	dst_t = sql1(drills, "SELECT group_concat(recorded_at - (SELECT"
	                     " declared_at FROM incidents WHERE id = 2), ',')"
	                     " FROM (SELECT recorded_at" DST_ROWS
	                     " ORDER BY recorded_at, id)");
	na = parse_list(src_t, a, 200);
	nb = parse_list(dst_t, b, 200);
	cr_assert_eq(na, nb);
	cr_assert_gt(a[na - 1], 30 * 60, "the demo P0 should last a while");
	for (i = 0; i < na; i++) {
		double want = (double)a[i] / 60.0, got = (double)b[i];

		cr_assert(got - want <= 1.0 && want - got <= 1.0,
		          "event %ld at +%.1f s, expected +%.1f s", i, got,
		          want);
	}
	after = stats_core(drills);
	cr_assert_str_eq(after, before, "the drill counted in stats");
	ok_(drills, ARGS("verify"));
	free(src_texts);
	free(dst_texts);
	free(src_t);
	free(dst_t);
	free(before);
	free(after);
}

Test(chain, a_paused_replay_compares_decisions_in_the_postmortem, .timeout = 60)
{
	char drills[600];
	const char *argv[] = {"--db",
	                      NULL,
	                      "--user",
	                      "tina",
	                      "replay",
	                      "1",
	                      "--into",
	                      NULL,
	                      "--speed",
	                      "100000",
	                      "--pause-at-decisions",
	                      NULL};
	struct run r;
	char *pm;

	ok_(db, ARGS("demo"));
	snprintf(drills, sizeof drills, "%s/drills.db", home);
	argv[1] = db;
	argv[7] = drills;
	r = run_bin(home, "page the payments team\nhotfix\n", NULL, argv);
	cr_assert_eq(r.status, 0, "%s", r.err);
	cr_assert(strstr(r.out, "Decision point") != NULL, "%s", r.out);
	run_free(&r);
	cr_assert_eq(sql_int(drills, "SELECT count(*) FROM entries WHERE author"
	                             " = 'tina' AND kind = 'decision'"),
	             2);
	pm = ok(drills, ARGS("postmortem", "1"));
	cr_assert(strstr(pm, "your decisions against the original") != NULL,
	          "%s", pm);
	cr_assert(strstr(pm, "| page the payments team |") != NULL, "%s", pm);
	free(pm);
}

/* ---- presence -------------------------------------------------------------
 */

#include <signal.h>
#include <sys/wait.h>

#include "itui/presence.h"
#include "itui/store-presence.h"

static struct presence_row
row(const char *session, const char *user, int64_t inc, int typing, int cols,
    int rows, int ssh)
{
	struct presence_row r = {0};

	r.session = strdup(session);
	r.user = strdup(user);
	r.host = strdup("elsewhere");
	r.incident_id = inc;
	r.typing = typing;
	r.cols = cols;
	r.rows = rows;
	r.via_ssh = ssh;
	return r;
}

Test(chain, presence_line_names_roles_typing_and_ssh_terminals)
{
	struct presence_row v[5];
	struct presence_list l = {v, 5};
	struct incident inc;
	char *s;

	memset(&inc, 0, sizeof inc);
	inc.roles[ROLE_COMMANDER] = "alice";
	v[0] = row("h:1", "alice", 3, 0, 200, 50, 0);
	v[1] = row("h:2", "carol", 3, 1, 100, 30, 0);
	v[2] = row("h:3", "dave", 3, 0, 80, 24, 1);
	v[3] = row("h:4", "me", 3, 1, 80, 24, 0);
	v[4] = row("h:5", "erin", 4, 1, 80, 24, 0);
	s = presence_line(&l, "h:4", 3, &inc, 0);
	cr_assert_str_eq(s, "alice (IC) · carol typing… · dave 80x24 via ssh");
	free(s);
	/* The top bar: everyone else, with their incident. */
	s = presence_line(&l, "h:4", 0, NULL, 0);
	cr_assert_str_eq(s, "alice INC-3 · carol INC-3 typing… · dave INC-3 "
	                    "80x24 via ssh · erin INC-4 typing…");
	free(s);
	/* Narrow: as many as fit, then a count. */
	s = presence_line(&l, "h:4", 3, &inc, 30);
	cr_assert_str_eq(s, "alice (IC) · +2 more");
	free(s);
	/* A second dashboard of the same person is one name. */
	free(v[3].user);
	v[3].user = strdup("carol");
	s = presence_line(&l, "h:9", 3, &inc, 0);
	cr_assert_str_eq(s, "alice (IC) · carol typing… · dave 80x24 via ssh");
	free(s);
	for (size_t i = 0; i < 5; i++) {
		free(v[i].session);
		free(v[i].user);
		free(v[i].host);
	}
}

Test(chain, presence_writes_on_change_and_every_30_s_only)
{
	struct presence_tracker t;
	struct presence p = {"h:1", "alice", 1, 0, 80, 24, 0};

	presence_tracker_init(&t);
	cr_assert(presence_tracker_due(&t, &p, 1000), "the first write");
	presence_tracker_wrote(&t, &p, 1000);
	cr_assert(!presence_tracker_due(&t, &p, 1001));
	cr_assert(!presence_tracker_due(&t, &p, 1029));
	cr_assert(presence_tracker_due(&t, &p, 1030), "the heartbeat");
	p.typing = 1;
	cr_assert(presence_tracker_due(&t, &p, 1001), "typing started");
	presence_tracker_wrote(&t, &p, 1001);
	p.incident_id = 2;
	cr_assert(presence_tracker_due(&t, &p, 1002), "another incident");
	presence_tracker_wrote(&t, &p, 1002);
	cr_assert_eq(presence_tracker_next(&t), 1002 + PRESENCE_HEARTBEAT);
	cr_assert(PRESENCE_STALE < 60 && PRESENCE_STALE > PRESENCE_HEARTBEAT);
}

static int64_t fake_now;
static int64_t
fake_clock(void)
{
	return fake_now;
}

Test(chain, presence_stays_out_of_the_record_and_goes_stale)
{
	struct store *st;
	struct itui_err err;
	struct presence p = {"elsewhere:7", "carol", 1, 1, 100, 30, 1};
	struct presence_list l;
	char *before, *after, *out;

	ok_(db, ARGS("demo"));
	before = sql1(db, "SELECT (SELECT group_concat(updated_at) FROM"
	                  " incidents) || '/' || (SELECT count(*) FROM audit)"
	                  " || '/' || (SELECT count(*) FROM entries)");
	cr_assert_eq(store_open(db, 0, &st, &err), ITUI_OK);
	store_set_actor(st, "carol", "local");
	fake_now = time(NULL);
	store_set_clock(st, fake_clock);
	cr_assert_eq(store_presence_set(st, &p, &err), ITUI_OK, "%s", err.msg);
	after = sql1(db, "SELECT (SELECT group_concat(updated_at) FROM"
	                 " incidents) || '/' || (SELECT count(*) FROM audit)"
	                 " || '/' || (SELECT count(*) FROM entries)");
	cr_assert_str_eq(after, before, "presence touched the record");
	out = ok(db, ARGS("who"));
	cr_assert(strstr(out, "carol") != NULL && strstr(out, "100x30"), "%s",
	          out);
	free(out);
	out = ok(db, ARGS("verify"));
	free(out);
	/* Stale after PRESENCE_STALE seconds without a heartbeat. */
	fake_now += PRESENCE_STALE - 1;
	cr_assert_eq(store_presence_list(st, PRESENCE_STALE, &l, &err),
	             ITUI_OK);
	cr_assert_eq(l.n, 1);
	presence_list_free(&l);
	fake_now += 2;
	cr_assert_eq(store_presence_list(st, PRESENCE_STALE, &l, &err),
	             ITUI_OK);
	cr_assert_eq(l.n, 0);
	store_close(st);
	free(before);
	free(after);
}

/* One host (SQLite): a live process's row needs no heartbeat. */
Test(chain, a_live_dashboard_on_this_host_never_goes_stale)
{
	struct store *st;
	struct itui_err err;
	char sess[300];
	struct presence p = {sess, "erin", 0, 0, 80, 24, 0};
	struct presence_list l;

	ok_(db, ARGS("declare", "--severity", "P1", "--title", "x"));
	presence_session_id(sess, sizeof sess);
	cr_assert_eq(store_open(db, 0, &st, &err), ITUI_OK);
	fake_now = time(NULL);
	store_set_clock(st, fake_clock);
	cr_assert_eq(store_presence_set(st, &p, &err), ITUI_OK, "%s", err.msg);
	fake_now += 2 * 3600; /* past stale, past the hour rows are kept */
	{
		struct presence q = {"elsewhere:9", "fred", 0, 0, 80, 24, 0};

		cr_assert_eq(store_presence_set(st, &q, &err), ITUI_OK);
	}
	cr_assert_eq(store_presence_list(st, PRESENCE_STALE, &l, &err),
	             ITUI_OK);
	cr_assert_eq(l.n, 2, "erin's live row went: %zu", l.n);
	presence_list_free(&l);
	store_close(st);
}

Test(chain, a_killed_dashboard_on_this_host_drops_out_at_once)
{
	struct presence_list l;
	struct itui_err err;
	struct store *st;
	int fds[2], w;
	pid_t pid;
	char c;

	ok_(db, ARGS("declare", "--severity", "P1", "--title", "x"));
	cr_assert_eq(pipe(fds), 0);
	pid = fork();
	if (pid == 0) {
		struct store *cs;
		char sess[300];
		struct presence p = {sess, "dave", 1, 0, 80, 24, 1};

		presence_session_id(sess, sizeof sess);
		if (store_open(db, 0, &cs, &err) != ITUI_OK ||
		    store_presence_set(cs, &p, &err) != ITUI_OK)
			_exit(1);
		(void)!write(fds[1], "x", 1);
		for (;;)
			pause();
	}
	cr_assert_eq(read(fds[0], &c, 1), 1);
	cr_assert_eq(store_open(db, 0, &st, &err), ITUI_OK);
	cr_assert_eq(store_presence_list(st, PRESENCE_STALE, &l, &err),
	             ITUI_OK);
	cr_assert_eq(l.n, 1);
	cr_assert_str_eq(l.v[0].user, "dave");
	presence_list_free(&l);
	kill(pid, SIGKILL);
	waitpid(pid, &w, 0);
	cr_assert_eq(store_presence_list(st, PRESENCE_STALE, &l, &err),
	             ITUI_OK);
	cr_assert_eq(l.n, 0, "a dead process is still listed");
	store_close(st);
	close(fds[0]);
	close(fds[1]);
}

Test(chain, concurrent_writers_keep_one_whole_chain, .timeout = 120)
{
	char cmd[2000], *out;

	ok_(db, ARGS("declare", "--severity", "P1", "--title", "busy"));
	/* Four processes logging at once: seqs follow the commit order. */
	snprintf(cmd, sizeof cmd,
	         "for w in 1 2 3 4; do (for i in $(seq 15); do"
	         " HOME='%s' '%s' --db '%s' --user w$w log 1 \"w$w $i\""
	         " >/dev/null || exit 1; done) & done; wait",
	         home, bin_path(), db);
	cr_assert_eq(system(cmd), 0);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM entries"), 61);
	cr_assert_eq(sql_int(db, "SELECT seq FROM chain_heads WHERE"
	                         " incident_id = 1"),
	             sql_int(db, "SELECT (SELECT count(*) FROM entries) +"
	                         " (SELECT count(*) FROM audit WHERE"
	                         " incident_id = 1)"));
	out = ok(db, ARGS("verify", "1"));
	cr_assert(strstr(out, "INC-1: whole") != NULL, "%s", out);
	free(out);
}
