/*
 * cmd-memory.c - verify, sign, export, import, replay and who: the command
 * line of the record's memory (store-chain.c, store-export.c, replay.c,
 * store-presence.c do the work).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "itui/cmd-memory.h"
#include "itui/cmd.h"
#include "itui/outfile.h"
#include "itui/presence.h"
#include "itui/store-presence.h"
#include "itui/replay.h"
#include "itui/sanitize.h"
#include "itui/strbuf.h"
#include "itui/sshsig.h"
#include "itui/store-chain.h"
#include "itui/store-export.h"
#include "itui/timeutil.h"
#include "itui/xalloc.h"

/* ---- verify ----------------------------------------------------------------
 */

/* A configured path with a leading "~/" made absolute. Free it. */
static char *
expand_home(const char *path)
{
	const char *home = getenv("HOME");

	if (strncmp(path, "~/", 2) == 0 && home != NULL)
		return xasprintf("%s/%s", home, path + 2);
	return xstrdup(path);
}

struct sig_check {
	const struct signature *sig;
	const char *status; /* good, bad, unchecked */
	char detail[600];
};

static void
check_signature(struct context *ctx, struct store *st,
                const struct chain_check *c, const struct signature *g,
                struct sig_check *out)
{
	char at[CHAIN_HASH_LEN + 1], *msg, *allowed;
	struct itui_err e;
	int good = 0;

	out->sig = g;
	out->status = "bad";
	out->detail[0] = '\0';
	if (!c->ok && c->bad_seq <= g->seq) {
		snprintf(out->detail, sizeof out->detail,
		         "the chain is broken before the signed row");
		return;
	}
	if (store_chain_hash_at(st, g->incident_id, g->seq, at, &e) !=
	        ITUI_OK ||
	    strcmp(at, g->head) != 0) {
		snprintf(out->detail, sizeof out->detail,
		         "the signed head (seq %lld) is not the chain's hash "
		         "there any more",
		         (long long)g->seq);
		return;
	}
	if (ctx->cfg.allowed_signers == NULL) {
		out->status = "unchecked";
		snprintf(out->detail, sizeof out->detail,
		         "no allowed_signers file is configured");
		return;
	}
	msg = chain_sign_message(g->incident_id, g->seq, g->head);
	allowed = expand_home(ctx->cfg.allowed_signers);
	if (sshsig_verify(allowed, g->signer, msg, g->signature, &good,
	                  out->detail, sizeof out->detail, &e) != ITUI_OK)
		snprintf(out->detail, sizeof out->detail, "%s", e.msg);
	free(allowed);
	free(msg);
	out->status = good ? "good" : "bad";
}

static void
chain_name(int64_t id, char *buf, size_t size)
{
	if (id == 0)
		snprintf(buf, size, "(no incident)");
	else
		snprintf(buf, size, "INC-%lld", (long long)id);
}

static enum itui_code
cmd_verify(struct cmd_q *q, struct itui_err *err)
{
	struct context *ctx = q->ctx;
	const struct cmd_args *a = &q->args;
	int json = cmd_opt(q, "--json") != NULL;
	json_t *root = json_object(), *arr = json_array();
	struct chain_checks cc;
	struct store *st;
	int64_t id = 0;
	size_t i, j, broken = 0, badsig = 0;
	int64_t first_bad = -1;

	if (a->npos == 1 && cmd_parse_id(a->pos[0], "INC", &id, err))
		goto fail;
	if (cmd_store(q, 0, &st, err) || store_chain_verify(st, id, &cc, err))
		goto fail;
	for (i = 0; i < cc.n; i++) {
		const struct chain_check *c = &cc.v[i];
		struct signature_list sl = {0};
		json_t *o = json_object(), *sigs = json_array();
		char name[32];

		chain_name(c->incident_id, name, sizeof name);
		if (!c->ok) {
			broken++;
			if (first_bad < 0)
				first_bad = c->incident_id;
		}
		json_object_set_new(o, "incident",
		                    json_integer(c->incident_id));
		json_object_set_new(o, "ok", json_boolean(c->ok));
		json_object_set_new(o, "rows", json_integer(c->rows));
		json_object_set_new(o, "head",
		                    json_pack("{s:I,s:s}", "seq",
		                              (json_int_t)c->head.seq, "hash",
		                              c->head.hash));
		if (!c->ok)
			json_object_set_new(o, "break",
			                    json_pack("{s:s,s:I,s:s}", "row",
			                              c->where, "seq",
			                              (json_int_t)c->bad_seq,
			                              "reason", c->reason));
		else
			json_object_set_new(o, "break", json_null());
		if (!json) {
			if (c->ok)
				fprintf(q->out,
				        "%s: whole, %lld rows, head %lld %s\n",
				        name, (long long)c->rows,
				        (long long)c->head.seq, c->head.hash);
			else
				fprintf(q->out,
				        "%s: BROKEN at %s (seq %lld): %s\n",
				        name, c->where, (long long)c->bad_seq,
				        c->reason);
		}
		if (c->incident_id > 0 &&
		    store_signatures(st, c->incident_id, &sl, err) != ITUI_OK) {
			json_decref(o);
			json_decref(sigs);
			chain_checks_free(&cc);
			goto fail;
		}
		for (j = 0; j < sl.n; j++) {
			struct sig_check sc;
			char when[TIME_BUF];
			char *signer = sanitize_line(sl.v[j].signer, 0);

			check_signature(ctx, st, c, &sl.v[j], &sc);
			if (strcmp(sc.status, "bad") == 0)
				badsig++;
			json_array_append_new(
			    sigs,
			    json_pack(
			        "{s:s,s:I,s:s,s:s,s:s,s:s}", "signer",
			        sl.v[j].signer, "seq", (json_int_t)sl.v[j].seq,
			        "head", sl.v[j].head, "signed_at",
			        time_format_iso(sl.v[j].signed_at, when),
			        "status", sc.status, "detail", sc.detail));
			if (!json) {
				char *d = sanitize_line(sc.detail, 0);

				fprintf(
				    q->out,
				    "  signed by %s at seq %lld (%s): %s%s%s\n",
				    signer, (long long)sl.v[j].seq, when,
				    sc.status, d[0] ? ": " : "", d);
				free(d);
			}
			free(signer);
		}
		signature_list_free(&sl);
		json_object_set_new(o, "signatures", sigs);
		json_array_append_new(arr, o);
	}
	chain_checks_free(&cc);
	json_object_set_new(root, "ok",
	                    json_boolean(broken == 0 && badsig == 0));
	json_object_set_new(root, "chains", arr);
	arr = NULL;
	if (json && cmd_print_json(q, root, err) != ITUI_OK)
		return err->code;
	if (!json)
		json_decref(root);
	if (broken > 0) {
		char name[32];

		chain_name(first_bad, name, sizeof name);
		return err_set(err, ITUI_CORRUPT,
		               "%zu chain%s broken (the first: %s); the record "
		               "was changed outside incident-tui",
		               broken, broken > 1 ? "s are" : " is", name);
	}
	if (badsig > 0)
		return err_set(err, ITUI_CORRUPT, "%zu signature%s not hold",
		               badsig, badsig > 1 ? "s do" : " does");
	return ITUI_OK;
fail:
	json_decref(arr);
	json_decref(root);
	return err->code;
}

/* ---- sign ---------------------------------------------------------------- */

static char *
default_key(void)
{
	static const char *const names[] = {"id_ed25519", "id_ecdsa", "id_rsa"};
	const char *home = getenv("HOME");
	size_t i;

	for (i = 0; home != NULL && i < 3; i++) {
		char *p = xasprintf("%s/.ssh/%s", home, names[i]);

		if (access(p, R_OK) == 0)
			return p;
		free(p);
	}
	return NULL;
}

static enum itui_code
cmd_sign(struct cmd_q *q, struct itui_err *err)
{
	struct context *ctx = q->ctx;
	const char *k = cmd_opt(q, "--key");
	struct chain_checks cc;
	struct chain_head head;
	struct store *st;
	char *key, *msg, *sig = NULL;
	int64_t id;
	enum itui_code rc;

	id = q->target;
	key = k != NULL                      ? xstrdup(k)
	      : ctx->cfg.signing_key != NULL ? expand_home(ctx->cfg.signing_key)
	                                     : default_key();
	if (key == NULL)
		return err_set(
		    err, ITUI_USAGE,
		    "no SSH key to sign with: give --key FILE or set "
		    "signing_key in the configuration");
	if (cmd_store(q, 1, &st, err) || store_chain_verify(st, id, &cc, err)) {
		free(key);
		return err->code;
	}
	if (cc.n != 1 || !cc.v[0].ok) {
		rc = err_set(err, ITUI_CORRUPT,
		             "INC-%lld's chain is broken at %s; it cannot be "
		             "signed",
		             (long long)id, cc.n ? cc.v[0].where : "?");
		chain_checks_free(&cc);
		free(key);
		return rc;
	}
	chain_checks_free(&cc);
	if (store_chain_head(st, id, &head, err)) {
		free(key);
		return err->code;
	}
	msg = chain_sign_message(id, head.seq, head.hash);
	rc = sshsig_sign(key, msg, &sig, err);
	free(msg);
	free(key);
	if (rc == ITUI_OK)
		rc = store_signature_add(st, id, head.seq, head.hash, ctx->user,
		                         sig, err);
	free(sig);
	if (rc == ITUI_OK) {
		char *who = sanitize_line(ctx->user, 0);

		fprintf(q->out,
		        "INC-%lld: signed the head (seq %lld, %s) as %s\n",
		        (long long)id, (long long)head.seq, head.hash, who);
		free(who);
	}
	return rc;
}

/* ---- export and import ------------------------------------------------ */

/* A CSV field: untrusted text made inert (newlines kept), then quoted. */
static void
csv_field(FILE *f, const char *raw)
{
	struct strbuf sb = STRBUF_INIT;
	const char *s;

	if (raw == NULL)
		return;
	sanitize_append(&sb, raw, strlen(raw), SAN_MULTILINE, 0, 0);
	s = strbuf_str(&sb);
	if (strpbrk(s, ",\"\n\r") == NULL) {
		fputs(s, f);
		strbuf_free(&sb);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
	strbuf_free(&sb);
}

/* A JSON scalar as CSV/Markdown text ("" for null; JSON for the rest). */
static char *
scalar(json_t *v)
{
	if (v == NULL || json_is_null(v))
		return xstrdup("");
	if (json_is_string(v))
		return xstrdup(json_string_value(v));
	if (json_is_integer(v))
		return xasprintf("%lld", (long long)json_integer_value(v));
	return json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
}

/*
 * CSV: one header (section,seq,key,value) and one row per field of every
 * record, in the JSON export's order, so the two forms say the same.
 */
static void
write_csv(FILE *f, json_t *root)
{
	static const char *const sections[] = {
	    "incident", "timeline", "roles",      "action_items",
	    "alerts",   "audit",    "signatures", "chain"};
	size_t s, i;

	fputs("section,item,key,value\n", f);
	for (s = 0; s < sizeof sections / sizeof sections[0]; s++) {
		json_t *v = json_object_get(root, sections[s]), *items, *o;

		if (json_is_object(v)) {
			items = json_array();
			json_array_append(items, v);
		} else {
			items = json_incref(v);
		}
		json_array_foreach(items, i, o)
		{
			const char **keys =
			    xcalloc(json_object_size(o) + 1, sizeof *keys);
			const char *k;
			json_t *x;
			size_t n = 0, a, b;

			json_object_foreach(o, k, x) keys[n++] = k;
			for (a = 1; a < n; a++) /* sorted, as in the JSON */
				for (b = a;
				     b > 0 && strcmp(keys[b - 1], keys[b]) > 0;
				     b--) {
					const char *t = keys[b];

					keys[b] = keys[b - 1];
					keys[b - 1] = t;
				}
			for (a = 0; a < n; a++) {
				char *val = scalar(json_object_get(o, keys[a]));

				fprintf(f, "%s,%zu,", sections[s], i + 1);
				csv_field(f, keys[a]);
				fputc(',', f);
				csv_field(f, val);
				fputc('\n', f);
				free(val);
			}
			free(keys);
		}
		json_decref(items);
	}
}

static void
md_text(FILE *f, json_t *v)
{
	char *s = scalar(v), *t = sanitize_line(s, 0);

	fputs(t, f);
	free(t);
	free(s);
}

static void
write_md(FILE *f, json_t *root)
{
	json_t *inc = json_object_get(root, "incident"), *o, *x;
	json_t *chain = json_object_get(root, "chain");
	const char *k;
	size_t i;
	char when[TIME_BUF];

	fprintf(f, "# INC-%lld: ",
	        (long long)json_integer_value(json_object_get(root, "id")));
	md_text(f, json_object_get(inc, "title"));
	fputs("\n\n## Fields\n\n", f);
	json_object_foreach(inc, k, x)
	{
		fprintf(f, "- %s: ", k);
		if (json_is_integer(x) && strstr(k, "_at") != NULL)
			fputs(time_format_iso(json_integer_value(x), when), f);
		else
			md_text(f, x);
		fputc('\n', f);
	}
	fputs("\n## Timeline\n\n", f);
	json_array_foreach(json_object_get(root, "timeline"), i, o)
	{
		fprintf(
		    f, "%lld. %s ",
		    (long long)json_integer_value(json_object_get(o, "seq")),
		    time_format_iso(
		        json_integer_value(json_object_get(o, "at")), when));
		md_text(f, json_object_get(o, "author"));
		fputs(" [", f);
		md_text(f, json_object_get(o, "kind"));
		fputs("] ", f);
		md_text(f, json_object_get(o, "text"));
		if (!json_is_null(json_object_get(o, "deleted_at")))
			fputs(" (deleted)", f);
		if (json_array_size(json_object_get(o, "revisions")) > 0)
			fprintf(
			    f, " (%zu earlier versions)",
			    json_array_size(json_object_get(o, "revisions")));
		fputc('\n', f);
	}
	fputs("\n## Roles\n\n", f);
	json_array_foreach(json_object_get(root, "roles"), i, o)
	{
		fputs("- ", f);
		md_text(f, json_object_get(o, "role"));
		fputs(": ", f);
		md_text(f, json_object_get(o, "person"));
		fprintf(f, " from %s",
		        time_format_iso(json_integer_value(
		                            json_object_get(o, "assigned_at")),
		                        when));
		if (!json_is_null(json_object_get(o, "ended_at")))
			fprintf(
			    f, " to %s",
			    time_format_iso(json_integer_value(
			                        json_object_get(o, "ended_at")),
			                    when));
		fputc('\n', f);
	}
	fputs("\n## Action items\n\n", f);
	json_array_foreach(json_object_get(root, "action_items"), i, o)
	{
		fprintf(f, "%zu. [", i + 1);
		md_text(f, json_object_get(o, "state"));
		fputs("] ", f);
		md_text(f, json_object_get(o, "text"));
		fputs(" (", f);
		md_text(f, json_object_get(o, "owner"));
		fputs(")\n", f);
	}
	fputs("\n## Alerts\n\n", f);
	json_array_foreach(json_object_get(root, "alerts"), i, o)
	{
		fputs("- ", f);
		md_text(f, json_object_get(o, "name"));
		fputs(": ", f);
		md_text(f, json_object_get(o, "summary"));
		fputc('\n', f);
	}
	fprintf(f,
	        "\n## Record\n\n- %zu audit rows\n- chain head: seq %lld, "
	        "%s\n",
	        json_array_size(json_object_get(root, "audit")),
	        (long long)json_integer_value(json_object_get(chain, "seq")),
	        json_string_value(json_object_get(chain, "hash")));
}

static enum itui_code
cmd_export(struct cmd_q *q, struct itui_err *err)
{
	const char *fmt = cmd_opt(q, "--format"), *path = cmd_opt(q, "-o");
	struct store *st;
	json_t *root;
	FILE *f = q->out;
	char *text = NULL;
	size_t len = 0;
	int64_t id;
	int bad;

	if (fmt == NULL)
		fmt = "json";
	if (strcmp(fmt, "json") != 0 && strcmp(fmt, "csv") != 0 &&
	    strcmp(fmt, "md") != 0)
		return err_set(err, ITUI_USAGE,
		               "--format: '%s' is not json, csv or md", fmt);
	id = q->target;
	if (cmd_store(q, 0, &st, err) || store_export(st, id, &root, err))
		return err->code;
	/* A file is written whole, in place, once it is all made. */
	if (path != NULL && (f = open_memstream(&text, &len)) == NULL) {
		json_decref(root);
		return err_set(err, ITUI_IO, "export: %s", strerror(errno));
	}
	if (strcmp(fmt, "json") == 0) {
		bad = json_dumpf(root, f,
		                 JSON_INDENT(2) | JSON_SORT_KEYS |
		                     JSON_ENSURE_ASCII) != 0 ||
		      fputc('\n', f) == EOF;
	} else if (strcmp(fmt, "csv") == 0) {
		write_csv(f, root);
		bad = ferror(f);
	} else {
		write_md(f, root);
		bad = ferror(f);
	}
	json_decref(root);
	if (f != q->out) {
		enum itui_code rc = ITUI_OK;

		bad |= fclose(f) != 0;
		if (bad)
			rc = err_set(err, ITUI_IO, "export: %s",
			             strerror(errno));
		else
			rc = outfile_write(path, text, len, err);
		free(text);
		return rc;
	}
	if (fflush(f) != 0 || bad)
		return err_set(err, ITUI_IO, "writing the export: %s",
		               strerror(errno));
	return ITUI_OK;
}

static enum itui_code
cmd_import(struct cmd_q *q, struct itui_err *err)
{
	const struct cmd_args *a = &q->args;
	json_error_t je;
	struct store *st;
	json_t *root;
	int64_t id;
	enum itui_code rc;

	root = strcmp(a->pos[0], "-") == 0 ? json_loadf(stdin, 0, &je)
	                                   : json_load_file(a->pos[0], 0, &je);
	if (root == NULL)
		return err_set(err, ITUI_INPUT, "%s:%d: %s", a->pos[0], je.line,
		               je.text);
	if (cmd_store(q, 1, &st, err) != ITUI_OK) {
		json_decref(root);
		return err->code;
	}
	rc = store_import(st, root, cmd_opt(q, "--drill") != NULL, &id, err);
	json_decref(root);
	if (rc == ITUI_OK)
		fprintf(q->out, "%lld\n", (long long)id);
	return rc;
}

/* ---- replay ---------------------------------------------------------------
 */

static enum itui_code
cmd_replay(struct cmd_q *q, struct itui_err *err)
{
	struct context *ctx = q->ctx;
	const char *into = cmd_opt(q, "--into"), *speed = cmd_opt(q, "--speed");
	const char *from = cmd_opt(q, "--from");
	struct replay_opts o = {1, TIME_NONE, 0, ctx->user, stdin, q->out};
	struct store *src, *dst;
	int64_t id, drill;
	enum itui_code rc;
	char *end;

	if (into == NULL)
		return err_set(err, ITUI_USAGE, "--into DB is required");
	if (speed != NULL) {
		errno = 0;
		o.speed = strtod(speed, &end);
		if (*speed == '\0' || *end != '\0' || errno != 0 ||
		    !(o.speed > 0) || o.speed > 1e6)
			return err_set(err, ITUI_USAGE,
			               "--speed: '%s' is not a number above 0",
			               speed);
	}
	if (from != NULL && time_parse_at(from, ctx->now, &o.from, err))
		return err_prefix(err, ITUI_USAGE, "--from");
	o.pause_at_decisions = cmd_opt(q, "--pause-at-decisions") != NULL;
	id = q->target;
	if (cmd_store(q, 0, &src, err))
		return err->code;
	if (strcmp(into, ctx->db_path) == 0) {
		dst = src;
		if (store_is_readonly(dst))
			return err_set(err, ITUI_READONLY,
			               "%s is read-only for you", into);
	} else if (store_open(into, 0, &dst, err) != ITUI_OK) {
		return err->code;
	}
	rc = replay_run(src, id, dst, &o, &drill, err);
	if (dst != src)
		store_close(dst);
	return rc;
}

/* ---- who ------------------------------------------------------------------
 */

static enum itui_code
cmd_who(struct cmd_q *q, struct itui_err *err)
{
	struct presence_list l;
	struct store *st;
	size_t i;

	if (cmd_store(q, 0, &st, err) ||
	    store_presence_list(st, PRESENCE_STALE, &l, err))
		return err->code;
	if (cmd_opt(q, "--json") != NULL) {
		json_t *arr = json_array(), *root = json_object();
		char when[TIME_BUF];

		for (i = 0; i < l.n; i++) {
			const struct presence_row *r = &l.v[i];

			json_array_append_new(
			    arr,
			    json_pack(
			        "{s:s,s:s,s:s?,s:I,s:o,s:b,s:i,s:i,s:b,s:s}",
			        "session", r->session, "user", r->user, "host",
			        r->host, "pid", (json_int_t)r->pid, "incident",
			        r->incident_id > 0
			            ? json_integer(r->incident_id)
			            : json_null(),
			        "typing", r->typing, "cols", r->cols, "rows",
			        r->rows, "via_ssh", r->via_ssh, "seen_at",
			        time_format_iso(r->seen_at, when)));
		}
		json_object_set_new(root, "sessions", arr);
		presence_list_free(&l);
		return cmd_print_json(q, root, err);
	}
	if (l.n == 0)
		fprintf(q->out, "nobody has the dashboard open\n");
	else
		fprintf(q->out, "%-16s %-8s %-9s %-5s %-7s %s\n", "USER",
		        "INCIDENT", "TERMINAL", "VIA", "TYPING", "SESSION");
	for (i = 0; i < l.n; i++) {
		const struct presence_row *r = &l.v[i];
		char *user = sanitize_line(r->user, 16);
		char *sess = sanitize_line(r->session, 40);
		char inc[24] = "-", term[24] = "-";

		if (r->incident_id > 0)
			snprintf(inc, sizeof inc, "INC-%lld",
			         (long long)r->incident_id);
		if (r->cols > 0 && r->rows > 0)
			snprintf(term, sizeof term, "%dx%d", r->cols, r->rows);
		fprintf(q->out, "%-16s %-8s %-9s %-5s %-7s %s\n", user, inc,
		        term, r->via_ssh ? "ssh" : "local",
		        r->typing ? "yes" : "", sess);
		free(user);
		free(sess);
	}
	presence_list_free(&l);
	return ITUI_OK;
}

/* ---- the verbs' rows -------------------------------------------------------
 */

const struct cmd_entry cmd_verify_entry = {
    .name = "verify",
    .synopsis = "[ID] [--json]",
    .summary = "recompute the record's hash chains and check signatures; "
               "exit 1 names the first row that does not match",
    .exec = cmd_verify,
    .max_pos = 1,
    .options = {{"--json", NULL, "print JSON (docs/export.md)"}},
};

const struct cmd_entry cmd_sign_entry = {
    .name = "sign",
    .synopsis = "ID [--key FILE]",
    .summary = "sign the incident's chain head with your SSH key",
    .exec = cmd_sign,
    .min_pos = 1,
    .max_pos = 1,
    .flags = CMD_CLI_ONLY | CMD_WRITES,
    .target = CMD_T_INCIDENT,
    .options = {{"--key", "FILE",
                 "the key (default: signing_key, ~/.ssh/id_ed25519)"}},
};

const struct cmd_entry cmd_export_entry = {
    .name = "export",
    .synopsis = "ID [--format json|csv|md] [-o FILE]",
    .summary = "the incident's whole record in a stable, sorted shape",
    .exec = cmd_export,
    .min_pos = 1,
    .max_pos = 1,
    .target = CMD_T_INCIDENT,
    .options = {{"--format", "F", "json (default), csv or md"},
                {"-o", "FILE", "write to FILE instead of standard output"}},
};

const struct cmd_entry cmd_import_entry = {
    .name = "import",
    .synopsis = "FILE [--drill]",
    .summary = "recreate an incident from an export (JSON); prints its new "
               "id",
    .exec = cmd_import,
    .min_pos = 1,
    .max_pos = 1,
    .flags = CMD_CLI_ONLY | CMD_WRITES,
    .options = {{"--drill", NULL, "import it as a drill"}},
};

const struct cmd_entry cmd_replay_entry = {
    .name = "replay",
    .synopsis = "ID --into DB [--speed N] [--from TIME] "
                "[--pause-at-decisions]",
    .summary = "replay a past incident into a database as a drill, at its "
               "original pace",
    .exec = cmd_replay,
    .min_pos = 1,
    .max_pos = 1,
    .flags = CMD_CLI_ONLY,
    .target = CMD_T_INCIDENT,
    .options = {{"--into", "DB", "the drill database (required)"},
                {"--speed", "N", "N times faster (default 1)"},
                {"--from", "TIME", "start at this point of the incident"},
                {"--pause-at-decisions", NULL,
                 "ask the trainee's IC before each decision"}},
};

const struct cmd_entry cmd_who_entry = {
    .name = "who",
    .synopsis = "[--json]",
    .summary = "who has the database open, on which incident",
    .exec = cmd_who,
    .options = {{"--json", NULL, "print JSON (docs/export.md)"}},
};
