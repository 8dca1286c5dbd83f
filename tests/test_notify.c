/*
 * The outbox end to end: a P0 declaration reaching a Slack webhook, the
 * PagerDuty Events API, a signed generic webhook (loopback stand-ins that
 * answer as those services' documentation says, see standins_notify.c) and a
 * real SMTP server (Debian's python3-aiosmtpd); outages with nothing lost
 * and nothing sent twice; escalation pages on a pinned clock; secrets kept
 * out of the database and every output; and the status page loaded by
 * Debian's headless Chromium.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "harness.h"
#include "itui/cmd-outbox.h"
#include "itui/notify.h"
#include "itui/policy.h"
#include <jansson.h>
#include "servers.h"
#include "standins_notify.h"

#define HOOK_TOKEN    "T0KEN-PLANTED-9f8e7d6c"
#define SMTP_PASSWORD "pw-PLANTED-51b0c2"
#define HMAC_SECRET   "whsec-PLANTED-77aa"
#define ROUTING_KEY   "R0UTINGKEY-PLANTED-3c3c"

static char *home, db[600], cfg[600];
static struct notify_standins sv;

static void
setup(void)
{
	home = tmpdir_make();
	snprintf(db, sizeof db, "%s/n.db", home);
	snprintf(cfg, sizeof cfg, "%s/config", home);
	memset(&sv, 0, sizeof sv);
}

static void
teardown(void)
{
	notify_standins_stop(&sv);
	tmpdir_remove(home);
}

TestSuite(notify, .init = setup, .fini = teardown, .timeout = 120);

static void
put(const char *name, const char *text, mode_t mode)
{
	char path[700];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", home, name);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
}

/* Slack, email, PagerDuty and a webhook, named as the P0 level's notify. */
static void
write_config(const char *extra)
{
	char buf[4096];

	snprintf(buf, sizeof buf, "http://127.0.0.1:%d/slack/" HOOK_TOKEN "\n",
	         sv.http_port);
	put("slack.url", buf, 0600);
	snprintf(buf, sizeof buf, "http://127.0.0.1:%d/webhook\n",
	         sv.http_port);
	put("hook.url", buf, 0600);
	put("hook.secret", HMAC_SECRET "\n", 0600);
	put("smtp.pw", SMTP_PASSWORD "\n", 0600);
	snprintf(
	    buf, sizeof buf,
	    "[destination incidents]\ntype = slack\nurl_file = %s/slack.url\n"
	    "[destination stakeholders]\ntype = email\n"
	    "url = smtp://127.0.0.1:%d\nfrom = itui@example.org\n"
	    "to = stakeholders@example.org, cto@example.org\n"
	    "user = itui\npassword_file = %s/smtp.pw\ntls = try\n"
	    "[destination oncall]\ntype = pagerduty\n"
	    "url = http://127.0.0.1:%d/pagerduty/v2/enqueue\n"
	    "key_env = ITUI_TEST_PD_KEY\n"
	    "[destination cto]\ntype = webhook\nurl_file = %s/hook.url\n"
	    "secret_file = %s/hook.secret\n%s",
	    home, sv.smtp_port, home, sv.http_port, home, home,
	    extra ? extra : "");
	put("config", buf, 0644);
}

static struct run
itui_at(const char *now, const char *const *args)
{
	const char *argv[40] = {"--config", cfg, "--db", db};
	char nowenv[64];
	const char *env[] = {"ITUI_TEST_PD_KEY=" ROUTING_KEY, nowenv, NULL};
	int n = 4;

	snprintf(nowenv, sizeof nowenv, "INCIDENT_TUI_NOW=%s", now ? now : "");
	while (*args != NULL)
		argv[n++] = *args++;
	argv[n] = NULL;
	return run_bin(home, NULL, env, argv);
}

static struct run
itui(const char *const *args)
{
	return itui_at(NULL, args);
}

static void
ok(const char *now, const char *const *args)
{
	struct run r = itui_at(now, args);

	cr_assert_eq(r.status, 0, "%s %s: %s", args[0], args[1] ? args[1] : "",
	             r.err);
	run_free(&r);
}

static void
start_all(void)
{
	char dir[700];

	snprintf(dir, sizeof dir, "%s/standins", home);
	mkdir(dir, 0700);
	notify_http_start(&sv, dir, HMAC_SECRET, ROUTING_KEY);
	notify_smtp_start(&sv, "itui", SMTP_PASSWORD);
}

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (f == NULL)
		return strdup("");
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = calloc(1, (size_t)n + 1);
	if (n > 0 && fread(buf, 1, (size_t)n, f) != (size_t)n)
		n = 0;
	fclose(f);
	return buf;
}

/* Whether `needle` occurs in the first n bytes (binary-safe). */
static int
contains(const char *hay, size_t n, const char *needle)
{
	size_t k = strlen(needle), i;

	for (i = 0; i + k <= n; i++)
		if (memcmp(hay + i, needle, k) == 0)
			return 1;
	return 0;
}

static int
file_contains(const char *path, const char *needle)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;
	int hit;

	if (f == NULL)
		return 0;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	n = (long)fread(buf, 1, (size_t)n, f);
	fclose(f);
	hit = contains(buf, (size_t)n, needle);
	free(buf);
	return hit;
}

Test(notify, p0_declaration_reaches_every_destination_once)
{
	struct run r;
	char *s;

	start_all();
	write_config(NULL);
	ok(NULL, ARGS("declare", "--severity", "P0", "--title",
	              "Checkout is down", "--service", "checkout"));
	/* Queued in the declaration's own transaction, before any delivery. */
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM outbox WHERE state ="
	                         " 'pending' AND event = 'declared'"),
	             4);
	r = itui(ARGS("poll", "--once"));
	cr_assert_eq(r.status, 0, "%s", r.err);
	run_free(&r);
	cr_assert_eq(notify_count(&sv, "slack"), 1);
	cr_assert_eq(notify_count(&sv, "pagerduty"), 1);
	cr_assert_eq(notify_count(&sv, "webhook"), 1);
	cr_assert_eq(notify_mail_count(&sv), 1);
	/* Another round sends nothing again. */
	ok(NULL, ARGS("poll", "--once"));
	cr_assert_eq(notify_count(&sv, "slack"), 1);
	cr_assert_eq(notify_count(&sv, "pagerduty"), 1);
	cr_assert_eq(notify_count(&sv, "webhook"), 1);
	cr_assert_eq(notify_mail_count(&sv), 1);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM outbox WHERE state ="
	                         " 'sent'"),
	             4);
	/* Each delivery is a timeline entry. */
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM entries WHERE text LIKE"
	                         " 'Sent MSG-%'"),
	             4);
	/* PagerDuty got a trigger keyed INC-1; the mail went to both. */
	s = sql1(db, "SELECT 1");
	free(s);
	{
		char path[700];

		snprintf(path, sizeof path, "%s/http.log", sv.dir);
		cr_assert(file_contains(path, "\"dedup_key\":\"INC-1\""));
		cr_assert(file_contains(path, "\"event_action\":\"trigger\""));
		snprintf(path, sizeof path, "%s/mail/msg-1.eml", sv.dir);
		cr_assert(file_contains(path, "stakeholders@example.org"));
		cr_assert(file_contains(path, "cto@example.org"));
		cr_assert(file_contains(path, "Checkout is down"));
		cr_assert(file_contains(path, "#incident-"));
	}
	/* Acknowledge and resolve reach the page that was triggered. */
	ok(NULL, ARGS("ack", "1"));
	ok(NULL, ARGS("status", "1", "resolved"));
	ok(NULL, ARGS("poll", "--once"));
	{
		char path[700];

		snprintf(path, sizeof path, "%s/http.log", sv.dir);
		cr_assert(
		    file_contains(path, "\"event_action\":\"acknowledge\""));
		cr_assert(file_contains(path, "\"event_action\":\"resolve\""));
	}
	cr_assert_eq(notify_count(&sv, "pagerduty"), 3);
}

Test(notify, secrets_appear_nowhere)
{
	const char *secrets[] = {HOOK_TOKEN, SMTP_PASSWORD, HMAC_SECRET,
	                         ROUTING_KEY};
	char path[700], *text;
	struct run r[4];
	size_t i, k;

	start_all();
	write_config(NULL);
	ok(NULL, ARGS("declare", "--severity", "P0", "--title", "Secrets"));
	ok(NULL, ARGS("poll", "--once"));
	/* A destination that refuses: its error must not carry the URL. */
	notify_http_mode(&sv, "down");
	ok(NULL, ARGS("status", "1", "identified"));
	r[0] = itui(ARGS("poll", "--once"));
	r[1] = itui(ARGS("outbox", "--json"));
	r[2] = itui(ARGS("show", "1", "--json"));
	r[3] = itui(ARGS("outbox"));
	cr_assert_eq(r[1].status, 0, "%s", r[1].err);
	cr_assert(strstr(r[1].out, "HTTP 503") != NULL, "%s", r[1].out);
	for (k = 0; k < 4; k++) {
		for (i = 0; i < sizeof secrets / sizeof secrets[0]; i++) {
			cr_assert(strstr(r[k].out, secrets[i]) == NULL,
			          "output %zu has %s", k, secrets[i]);
			cr_assert(strstr(r[k].err, secrets[i]) == NULL,
			          "stderr %zu has %s", k, secrets[i]);
		}
		run_free(&r[k]);
	}
	/* The database, its WAL, the messages received. */
	for (i = 0; i < sizeof secrets / sizeof secrets[0]; i++) {
		snprintf(path, sizeof path, "%s-wal", db);
		cr_assert(!file_contains(db, secrets[i]), "db has %s",
		          secrets[i]);
		cr_assert(!file_contains(path, secrets[i]), "wal has %s",
		          secrets[i]);
		snprintf(path, sizeof path, "%s/mail/msg-1.eml", sv.dir);
		cr_assert(!file_contains(path, secrets[i]));
	}
	/* The HTTP log holds bodies: only PagerDuty's carries its own key. */
	snprintf(path, sizeof path, "%s/http.log", sv.dir);
	text = slurp(path);
	cr_assert(strstr(text, HOOK_TOKEN) == NULL);
	cr_assert(strstr(text, SMTP_PASSWORD) == NULL);
	cr_assert(strstr(text, HMAC_SECRET) == NULL);
	free(text);
}

Test(notify, a_refusal_echoing_the_request_carries_no_secret)
{
	const char *secrets[] = {HOOK_TOKEN, HMAC_SECRET, ROUTING_KEY, NULL};
	const char *skip[] = {"config",      "slack.url",  "hook.url",
	                      "hook.secret", "canned.log", NULL};
	struct servers srv = {0};
	char buf[2048];
	struct run r[4];
	size_t k;

	/* A proxy that quotes the whole request back in its 401. */
	servers_canned(&srv, home, 0, 401, "{\"message\":\"refused: %REQ%\"}");
	snprintf(buf, sizeof buf, "http://127.0.0.1:%d/slack/" HOOK_TOKEN "\n",
	         srv.canned_port);
	put("slack.url", buf, 0600);
	snprintf(buf, sizeof buf, "http://127.0.0.1:%d/hook/" HOOK_TOKEN "\n",
	         srv.canned_port);
	put("hook.url", buf, 0600);
	put("hook.secret", HMAC_SECRET "\n", 0600);
	snprintf(buf, sizeof buf,
	         "[destination incidents]\ntype = slack\n"
	         "url_file = %s/slack.url\n"
	         "[destination oncall]\ntype = pagerduty\n"
	         "url = http://127.0.0.1:%d/v2/enqueue\n"
	         "key_env = ITUI_TEST_PD_KEY\n"
	         "[destination cto]\ntype = webhook\nurl_file = %s/hook.url\n"
	         "secret_file = %s/hook.secret\n",
	         home, srv.canned_port, home, home);
	put("config", buf, 0644);
	ok(NULL, ARGS("declare", "--severity", "P0", "--title", "Echo"));
	r[0] = itui(ARGS("poll", "--once"));
	r[1] = itui(ARGS("outbox", "--json"));
	r[2] = itui(ARGS("outbox"));
	r[3] = itui(ARGS("show", "1", "--json"));
	servers_stop(&srv);
	/* The refusals were real and are on record, quoted... */
	cr_assert(strstr(r[1].out, "HTTP 401") != NULL, "%s", r[1].out);
	cr_assert(strstr(r[1].out, "[redacted]") != NULL, "%s", r[1].out);
	/* ...with no credential in them. */
	for (k = 0; k < 4; k++) {
		for (const char *const *sp = secrets; *sp != NULL; sp++) {
			cr_assert(strstr(r[k].out, *sp) == NULL,
			          "output %zu has %s: %s", k, *sp, r[k].out);
			cr_assert(strstr(r[k].err, *sp) == NULL,
			          "stderr %zu has %s: %s", k, *sp, r[k].err);
		}
		run_free(&r[k]);
	}
	for (const char *const *sp = secrets; *sp != NULL; sp++) {
		const char *f = tree_find(home, *sp, skip);

		cr_assert_null(f, "%s in %s", *sp, f);
	}
}

Test(notify, a_secret_file_others_can_read_is_refused)
{
	struct run r;

	start_all();
	write_config(NULL);
	put("slack.url", "http://127.0.0.1:1/slack/" HOOK_TOKEN "\n", 0644);
	ok(NULL, ARGS("declare", "--severity", "P0", "--title", "Loose mode"));
	r = itui(ARGS("poll", "--once"));
	cr_assert_eq(r.status, 1);
	cr_assert(strstr(r.err, "chmod 600") != NULL, "%s", r.err);
	cr_assert(strstr(r.err, HOOK_TOKEN) == NULL);
	run_free(&r);
	cr_assert_eq(notify_count(&sv, "slack"), 0);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM outbox WHERE"
	                         " destination = 'incidents' AND state ="
	                         " 'pending'"),
	             1);
}

Test(notify, slack_url_in_the_config_is_refused)
{
	struct run r;

	put("config", "[destination x]\ntype = slack\nurl = https://h/T/B/X\n",
	    0644);
	r = itui(ARGS("list"));
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "url_file") != NULL, "%s", r.err);
	run_free(&r);
}

/* Runs two `poll --once` at the same moment; both must exit 0. */
static void
poll_twice_at(const char *now)
{
	pid_t a, b;
	int sa, sb;

	a = fork();
	if (a == 0) {
		struct run r = itui_at(now, ARGS("poll", "--once"));

		_exit(r.status == 1 ? 0 : r.status);
	}
	b = fork();
	if (b == 0) {
		struct run r = itui_at(now, ARGS("poll", "--once"));

		_exit(r.status == 1 ? 0 : r.status);
	}
	waitpid(a, &sa, 0);
	waitpid(b, &sb, 0);
	cr_assert(WIFEXITED(sa) && WEXITSTATUS(sa) == 0);
	cr_assert(WIFEXITED(sb) && WEXITSTATUS(sb) == 0);
}

/* The idempotency keys a destination received, in arrival order. */
static char *
received_keys(const char *kind)
{
	char path[700], line[1 << 16], *out = calloc(1, 1 << 16);
	size_t kl = strlen(kind);
	FILE *f;

	snprintf(path, sizeof path, "%s/http.log", sv.dir);
	f = fopen(path, "r");
	while (f != NULL && fgets(line, sizeof line, f) != NULL)
		if (strncmp(line, kind, kl) == 0 && line[kl] == '\t') {
			char *k = line + kl + 1;

			k[strcspn(k, "\t")] = '\0';
			strcat(out, k);
			strcat(out, "\n");
		}
	if (f != NULL)
		fclose(f);
	return out;
}

Test(notify, everything_down_then_back_nothing_lost_nothing_twice,
     .timeout = 300)
{
	char when[64], sql[200], *want, *got;
	const char *kinds[] = {"slack", "pagerduty", "webhook"};
	const char *dests[] = {"incidents", "oncall", "cto"};
	long long total;
	int i, t;

	start_all();
	notify_smtp_stop(&sv); /* SMTP down: connection refused */
	notify_http_mode(&sv, "down");
	write_config(NULL);
	/* 20 incidents changing during a five-minute outage. */
	for (i = 1; i <= 20; i++) {
		char id[16];

		snprintf(when, sizeof when, "%d", 1800000000 + i * 10);
		snprintf(id, sizeof id, "%d", i);
		ok(when, ARGS("declare", "--severity", "P0", "--title",
		              "Outage", "--service", "api"));
		ok(when, ARGS("ack", id));
		ok(when, ARGS("status", id, "identified"));
		if (i % 5 == 0) {
			ok(when, ARGS("update", id, "--mark-sent"));
			ok(when, ARGS("status", id, "resolved"));
		}
	}
	for (t = 0; t <= 300; t += 60) {
		snprintf(when, sizeof when, "%d", 1800000200 + t);
		poll_twice_at(when);
	}
	cr_assert_eq(notify_count(&sv, "slack"), 0);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM outbox WHERE state"
	                         " = 'sent'"),
	             0);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM outbox WHERE state"
	                         " = 'failed'"),
	             0);
	/* Back: deliverers race round after round until the queue drains. */
	notify_http_mode(&sv, "up");
	notify_smtp_start(&sv, "itui", SMTP_PASSWORD);
	total = sql_int(db, "SELECT count(*) FROM outbox");
	cr_assert_gt(total, 100);
	for (t = 0; t < 20 && sql_int(db, "SELECT count(*) FROM outbox WHERE"
	                                  " state != 'sent'") > 0;
	     t++) {
		snprintf(when, sizeof when, "%d", 1800001200 + t * 400);
		poll_twice_at(when);
	}
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM outbox WHERE state !="
	                         " 'sent'"),
	             0);
	/* Exactly once each, in the order the changes were committed. */
	for (i = 0; i < 3; i++) {
		snprintf(sql, sizeof sql,
		         "SELECT idem_key FROM outbox WHERE destination = '%s'"
		         " ORDER BY id",
		         dests[i]);
		want = sql1(db, sql);
		got = received_keys(kinds[i]);
		cr_assert_gt(strlen(want), 0);
		cr_assert(strncmp(got, want, strlen(want)) == 0 &&
		              strlen(got) == strlen(want) + 1,
		          "%s received:\n%s\nexpected:\n%s", kinds[i], got,
		          want);
		free(want);
		free(got);
	}
	cr_assert_eq(notify_mail_count(&sv),
	             sql_int(db, "SELECT count(*) FROM outbox WHERE"
	                         " destination = 'stakeholders'"));
}

Test(notify, escalation_tier_pages_at_the_due_minute)
{
	const char *extra =
	    "[destination engineering-manager]\ntype = pagerduty\n"
	    "url = http://127.0.0.1:%d/pagerduty/v2/enqueue\n"
	    "key_env = ITUI_TEST_PD_KEY\n";
	char buf[512], path[700];
	const long t0 = 1800000000; /* P1: tier 2 after 6h */
	char when[32];

	start_all();
	snprintf(buf, sizeof buf, extra, sv.http_port);
	write_config(buf);
	snprintf(when, sizeof when, "%ld", t0);
	ok(when, ARGS("declare", "--severity", "P1", "--title", "Slow"));
	snprintf(when, sizeof when, "%ld", t0 + 6 * 3600 - 60);
	ok(when, ARGS("poll", "--once"));
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM outbox WHERE event ="
	                         " 'escalation'"),
	             0, "paged a minute early");
	snprintf(when, sizeof when, "%ld", t0 + 6 * 3600);
	ok(when, ARGS("poll", "--once"));
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM outbox WHERE event ="
	                         " 'escalation' AND state = 'sent' AND"
	                         " destination = 'engineering-manager'"),
	             1);
	snprintf(path, sizeof path, "%s/http.log", sv.dir);
	cr_assert(file_contains(path, "Escalation tier 2"));
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM entries WHERE kind ="
	                         " 'escalation'"),
	             1);
	/* Later rounds, and a second deliverer, do not page again. */
	snprintf(when, sizeof when, "%ld", t0 + 6 * 3600 + 60);
	poll_twice_at(when);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM outbox WHERE event ="
	                         " 'escalation'"),
	             1);
}

Test(notify, hmac_sha256_rfc4231_vector)
{
	/* RFC 4231 test case 2: the published digest, not another library. */
	char hex[65];

	notify_hmac_sha256_hex("Jefe", "what do ya want for nothing?", hex);
	cr_assert_str_eq(hex, "5bdcc146bf60754e6a042426089575c7"
	                      "5a003f089d2739839dec58b964ec3843");
}

/* ---- the status page, loaded by Debian's headless Chromium ---- */

static int
chromium(const char *out_file, const char *const *extra, const char *url)
{
	char profile[700];
	const char *argv[16] = {"chromium", "--headless", "--no-sandbox",
	                        "--disable-gpu", "--hide-scrollbars"};
	int n = 5, st;
	pid_t pid;

	snprintf(profile, sizeof profile, "--user-data-dir=%s/chromium", home);
	argv[n++] = profile;
	while (*extra != NULL)
		argv[n++] = *extra++;
	argv[n++] = url;
	argv[n] = NULL;
	pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		int fd = open(out_file, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int nul = open("/dev/null", O_WRONLY);

		dup2(fd, 1);
		dup2(nul, 2);
		setenv("HOME", home, 1);
		execvp("chromium", (char *const *)argv);
		_exit(127);
	}
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static long
file_size(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 ? (long)sb.st_size : -1;
}

Test(notify, status_page_in_headless_chromium, .timeout = 180)
{
	char site[700], url[800], dom[700], shot[700], path[800], *text;
	const char *files[] = {"index.html", "status.json", "feed.atom"};
	size_t i;

	put("config", "", 0644);
	ok(NULL, ARGS("declare", "--severity", "P0", "--title",
	              "<script>document.title='owned'</script><img src=x "
	              "onerror=alert(1)>\x1b[2J\xe2\x80\xae"
	              "Checkout down",
	              "--service", "checkout"));
	ok(NULL, ARGS("log", "1", "INTERNAL-NOTE-do-not-publish"));
	ok(NULL, ARGS("log", "1", "--kind", "comms",
	              "INTERNAL-COMMS-to-the-exec-team"));
	ok(NULL,
	   ARGS("update", "1", "--template", "statuspage", "--mark-sent"));
	ok(NULL, ARGS("status", "1", "identified"));
	ok(NULL,
	   ARGS("update", "1", "--template", "statuspage", "--mark-sent"));
	ok(NULL,
	   ARGS("log", "1", "--public", "PUBLIC-NOTE: a fix is rolling out"));
	snprintf(site, sizeof site, "%s/site", home);
	ok(NULL, ARGS("statuspage", "-o", site));
	for (i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s/%s", site, files[i]);
		cr_assert_gt(file_size(path), 100, "%s", files[i]);
		cr_assert(!file_contains(path, "INTERNAL-NOTE"), "%s",
		          files[i]);
		cr_assert(!file_contains(path, "INTERNAL-COMMS"), "%s",
		          files[i]);
		cr_assert(!file_contains(path, "\x1b"), "%s", files[i]);
		cr_assert(!file_contains(path, "\xe2\x80\xae"), "%s", files[i]);
	}
	snprintf(url, sizeof url, "file://%s/index.html", site);
	snprintf(dom, sizeof dom, "%s/dom.html", home);
	cr_assert_eq(chromium(dom, ARGS("--dump-dom"), url), 0);
	text = slurp(dom);
	/* The hostile title is text: no element came from it. */
	cr_assert(strstr(text, "&lt;script&gt;document.title") != NULL, "%s",
	          text);
	cr_assert(strstr(text, "<script") == NULL);
	cr_assert(strstr(text, "<img") == NULL);
	cr_assert(strstr(text, "<title>Service status</title>") != NULL);
	/* The active incident and its last public update, newest first. */
	cr_assert(strstr(text, "Active incidents") != NULL);
	cr_assert(strstr(text, "INC-1") != NULL);
	cr_assert(strstr(text, "Identified") != NULL, "%s", text);
	cr_assert(strstr(text, "Identified") < strstr(text, "Investigating -"));
	cr_assert(strstr(text, "INTERNAL-") == NULL);
	/* An entry marked public is the newest public word. */
	cr_assert(strstr(text, "PUBLIC-NOTE") != NULL);
	cr_assert(strstr(text, "PUBLIC-NOTE") < strstr(text, "Identified"));
	free(text);
	snprintf(shot, sizeof shot, "--screenshot=%s/wide.png", home);
	cr_assert_eq(chromium(dom, ARGS(shot, "--window-size=1280,800"), url),
	             0);
	snprintf(path, sizeof path, "%s/wide.png", home);
	cr_assert_gt(file_size(path), 10000);
	snprintf(shot, sizeof shot, "--screenshot=%s/narrow.png", home);
	cr_assert_eq(chromium(dom, ARGS(shot, "--window-size=375,667"), url),
	             0);
	snprintf(path, sizeof path, "%s/narrow.png", home);
	cr_assert_gt(file_size(path), 10000);
}

Test(notify, deliverer_writes_the_status_page)
{
	char site[700], buf[900], path[800];
	struct run r;

	snprintf(site, sizeof site, "%s/public", home);
	snprintf(buf, sizeof buf, "[statuspage]\ndir = %s\ntitle = Acme\n",
	         site);
	put("config", buf, 0644);
	ok(NULL, ARGS("declare", "--severity", "P1", "--title", "Slow search"));
	r = itui(ARGS("poll", "--once"));
	cr_assert_eq(r.status, 0, "%s", r.err);
	run_free(&r);
	snprintf(path, sizeof path, "%s/index.html", site);
	cr_assert(file_contains(path, "Slow search"));
	cr_assert(file_contains(path, "<title>Acme</title>"));
}

Test(notify, slack_answers_are_handled_as_documented)
{
	char buf[600];
	struct run r;

	start_all();
	write_config(NULL);
	/* 429 with Retry-After: the message waits as long as asked. */
	notify_http_mode(&sv, "ratelimit");
	ok("1800000000", ARGS("declare", "--severity", "P0", "--title", "RL"));
	r = itui_at("1800000000", ARGS("poll", "--once"));
	cr_assert_eq(r.status, 1);
	run_free(&r);
	cr_assert_eq(sql_int(db, "SELECT next_at - 1800000000 FROM outbox"
	                         " WHERE destination = 'incidents'"),
	             120);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM outbox WHERE"
	                         " destination = 'incidents' AND state ="
	                         " 'pending'"),
	             1);
	/* Before it is due nothing is tried; after, it goes. */
	notify_http_mode(&sv, "up");
	ok("1800000060", ARGS("poll", "--once"));
	cr_assert_eq(notify_count(&sv, "slack"), 0);
	ok("1800000121", ARGS("poll", "--once"));
	cr_assert_eq(notify_count(&sv, "slack"), 1);
	/* channel_not_found (an unknown hook) is final, with the reason. */
	snprintf(buf, sizeof buf, "http://127.0.0.1:%d/slack/GONE\n",
	         sv.http_port);
	put("slack.url", buf, 0600);
	ok("1800000200", ARGS("status", "1", "identified"));
	r = itui_at("1800000200", ARGS("poll", "--once"));
	cr_assert_eq(r.status, 1);
	run_free(&r);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM outbox WHERE"
	                         " destination = 'incidents' AND state ="
	                         " 'failed' AND last_error LIKE"
	                         " '%channel_not_found%'"),
	             1);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM entries WHERE text LIKE"
	                         " 'Gave up on MSG-%channel_not_found%'"),
	             1);
	/* Retried by hand once the hook is fixed. */
	snprintf(buf, sizeof buf, "http://127.0.0.1:%d/slack/" HOOK_TOKEN "\n",
	         sv.http_port);
	put("slack.url", buf, 0600);
	{
		char *id = sql1(db, "SELECT id FROM outbox WHERE state ="
		                    " 'failed'");

		ok("1800000300", ARGS("outbox", "retry", id));
		free(id);
	}
	ok("1800000300", ARGS("poll", "--once"));
	cr_assert_eq(notify_count(&sv, "slack"), 2);
}

Test(notify, outbox_cancel_keeps_a_message_from_going)
{
	struct run r;

	start_all();
	write_config(NULL);
	ok(NULL, ARGS("declare", "--severity", "P0", "--title", "Cancel"));
	ok(NULL, ARGS("outbox", "cancel", "MSG-1"));
	r = itui(ARGS("outbox", "cancel", "MSG-1"));
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "cancelled") != NULL, "%s", r.err);
	run_free(&r);
	ok(NULL, ARGS("poll", "--once"));
	cr_assert_eq(notify_count(&sv, "slack"), 0);
	cr_assert_eq(notify_count(&sv, "pagerduty"), 1);
	r = itui(ARGS("outbox"));
	cr_assert(strstr(r.out, "MSG-1") != NULL && strstr(r.out, "cancelled"),
	          "%s", r.out);
	run_free(&r);
}

Test(notify, p1_reaches_teams_and_pagerduty_and_a_drill_says_so)
{
	char buf[600], path[700];

	start_all();
	snprintf(buf, sizeof buf, "http://127.0.0.1:%d/teams\n", sv.http_port);
	put("teams.url", buf, 0600);
	snprintf(
	    buf, sizeof buf,
	    "[destination team-lead]\ntype = teams\nurl_file = %s/teams.url\n",
	    home);
	write_config(buf);
	ok(NULL, ARGS("declare", "--severity", "P1", "--drill", "--title",
	              "Login <!channel> slow"));
	ok(NULL, ARGS("poll", "--once"));
	cr_assert_eq(notify_count(&sv, "teams"), 1);
	cr_assert_eq(notify_count(&sv, "pagerduty"), 1);
	cr_assert_eq(notify_count(&sv, "slack"), 0, "P1 does not notify Slack");
	snprintf(path, sizeof path, "%s/http.log", sv.dir);
	cr_assert(file_contains(path, "[P1] [DRILL] INC-1"));
	/* P1 status updates go to its `updates` list: Slack only. */
	ok(NULL, ARGS("update", "1", "--mark-sent"));
	ok(NULL, ARGS("poll", "--once"));
	cr_assert_eq(notify_count(&sv, "slack"), 1);
	cr_assert(file_contains(path, "&lt;!channel&gt;"),
	          "Slack markup in a title is escaped");
	cr_assert_eq(notify_count(&sv, "teams"), 1);
}

/* `incident-tui poll` in the background; returns its pid. */
static pid_t
poll_forever(void)
{
	pid_t pid = fork();

	cr_assert(pid >= 0);
	if (pid == 0) {
		int nul = open("/dev/null", O_RDWR);

		dup2(nul, 0);
		dup2(nul, 1);
		dup2(nul, 2);
		setenv("ITUI_TEST_PD_KEY", ROUTING_KEY, 1);
		setenv("HOME", home, 1);
		execl(bin_path(), "incident-tui", "--config", cfg, "--db", db,
		      "poll", (char *)NULL);
		_exit(127);
	}
	return pid;
}

Test(notify, one_deliverer_per_database)
{
	long deadline;
	struct run r;
	pid_t pid;
	int st;

	start_all();
	write_config(NULL);
	ok(NULL, ARGS("declare", "--severity", "P0", "--title", "Lock"));
	pid = poll_forever();
	deadline = ms_now() + 30000;
	while (notify_count(&sv, "slack") < 1 && ms_now() < deadline) {
		struct timespec t = {0, 20 * 1000 * 1000};

		nanosleep(&t, NULL);
	}
	cr_assert_eq(notify_count(&sv, "slack"), 1);
	/* Another deliverer stays out while the first one runs. */
	ok(NULL, ARGS("status", "1", "identified"));
	r = itui(ARGS("poll", "--once"));
	cr_assert(strstr(r.err, "another process is delivering") != NULL, "%s",
	          r.err);
	run_free(&r);
	/* The running one is kicked only by its interval; it still sends. */
	deadline = ms_now() + 30000;
	while (notify_count(&sv, "slack") < 2 && ms_now() < deadline) {
		struct timespec t = {0, 50 * 1000 * 1000};

		nanosleep(&t, NULL);
	}
	cr_assert_eq(notify_count(&sv, "slack"), 2);
	kill(pid, SIGTERM);
	waitpid(pid, &st, 0);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	/* Once it is gone, the lock is free again. */
	r = itui(ARGS("poll", "--once"));
	cr_assert(strstr(r.err, "another process") == NULL, "%s", r.err);
	run_free(&r);
}

Test(notify, email_goes_over_starttls_with_auth)
{
	char cmd[2000], buf[1500], dir[700];
	struct run r;

	snprintf(cmd, sizeof cmd,
	         "openssl req -x509 -newkey rsa:2048 -nodes -keyout %s/key.pem "
	         "-out %s/cert.pem -days 2 -subj /CN=127.0.0.1 -addext "
	         "subjectAltName=IP:127.0.0.1 >/dev/null 2>&1",
	         home, home);
	cr_assert_eq(system(cmd), 0, "openssl could not make a certificate");
	snprintf(dir, sizeof dir, "%s/standins", home);
	mkdir(dir, 0700);
	notify_http_start(&sv, dir, HMAC_SECRET, ROUTING_KEY);
	snprintf(sv.tls_cert, sizeof sv.tls_cert, "%s/cert.pem", home);
	snprintf(sv.tls_key, sizeof sv.tls_key, "%s/key.pem", home);
	notify_smtp_start(&sv, "itui", SMTP_PASSWORD);
	put("smtp.pw", SMTP_PASSWORD "\n", 0600);
	snprintf(buf, sizeof buf,
	         "[destination stakeholders]\ntype = email\n"
	         "url = smtp://127.0.0.1:%d\nfrom = itui@example.org\n"
	         "to = stakeholders@example.org\nuser = itui\n"
	         "password_file = %s/smtp.pw\ntls = starttls\n"
	         "ca_file = %s/cert.pem\n",
	         sv.smtp_port, home, home);
	put("config", buf, 0644);
	ok(NULL, ARGS("declare", "--severity", "P0", "--title", "Over TLS"));
	r = itui(ARGS("poll", "--once"));
	cr_assert_eq(r.status, 0, "%s", r.err);
	run_free(&r);
	cr_assert_eq(notify_mail_count(&sv), 1);
	/* Without STARTTLS this server takes no login and no mail. */
	*strstr(buf, "tls = starttls") = '\0';
	strcat(buf, "tls = none\n");
	put("config", buf, 0644);
	ok(NULL, ARGS("declare", "--severity", "P0", "--title", "In clear"));
	r = itui(ARGS("poll", "--once"));
	cr_assert_eq(r.status, 1);
	cr_assert(strstr(r.err, SMTP_PASSWORD) == NULL);
	run_free(&r);
	cr_assert_eq(notify_mail_count(&sv), 1);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM outbox WHERE state ="
	                         " 'sent'"),
	             1);
}

Test(notify, payloads_stay_within_what_the_services_accept)
{
	struct config_destination slack = {.name = "s", .type = "slack"};
	struct config_destination pd = {.name = "p", .type = "pagerduty"};
	struct config_destination mail = {
	    .name = "m", .type = "email", .from = "a@x", .to = "b@x"};
	struct outbox_row m = {.id = 7,
	                       .incident_id = 3,
	                       .event = "declared",
	                       .action = "trigger",
	                       .idem_key = "k1"};
	char big[9000], *out, *p;
	json_t *j;
	size_t i;

	/* 3000 two-byte characters, a control character and a bidi override. */
	for (i = 0; i + 2 < 6000; i += 2)
		memcpy(big + i, "\xc3\xa9", 2);
	big[i] = '\0';
	m.subject = "[P0] INC-3 declared: caf\xc3\xa9 \x1b[2J <!channel>";
	m.body = big;
	out = notify_payload(&slack, &m, NULL, 1800000000);
	j = json_loads(out, 0, NULL);
	cr_assert(json_is_object(j), "not JSON: %.200s", out);
	p = (char *)json_string_value(json_object_get(
	    json_object_get(json_array_get(json_object_get(j, "blocks"), 0),
	                    "text"),
	    "text"));
	cr_assert_not_null(p);
	cr_assert_leq(strlen(p), 3000);
	cr_assert(strstr(out, "\x1b") == NULL);
	cr_assert(strstr(p, "&lt;!channel&gt;") != NULL);
	json_decref(j);
	free(out);
	out = notify_payload(&pd, &m, "RK", 1800000000);
	j = json_loads(out, 0, NULL);
	cr_assert(json_is_object(j));
	cr_assert_str_eq(json_string_value(json_object_get(j, "dedup_key")),
	                 "INC-3");
	cr_assert_str_eq(json_string_value(json_object_get(
	                     json_object_get(j, "payload"), "severity")),
	                 "critical");
	json_decref(j);
	free(out);
	/* Header injection is impossible and non-ASCII is RFC 2047. */
	m.subject = "caf\xc3\xa9\r\nBcc: evil@x";
	m.body = "line one\nline two";
	out = notify_email_message(&mail, &m, 1800000000);
	cr_assert(strstr(out, "\r\nBcc:") == NULL, "%s", out);
	cr_assert(strstr(out, "Subject: =?UTF-8?B?") != NULL, "%s", out);
	cr_assert(strstr(out, "line one\r\nline two") != NULL);
	free(out);
}

Test(notify, routing_follows_the_policy_and_previews_updates)
{
	struct config_destination d[] = {
	    {.name = "incidents", .type = "slack"},
	    {.name = "stakeholders", .type = "email"},
	    {.name = "oncall", .type = "pagerduty"},
	    {.name = "engineering-manager", .type = "pagerduty"},
	};
	struct config cfg = {.destinations = d, .ndestinations = 4};
	struct strbuf b = STRBUF_INIT;
	struct policy *p;
	struct itui_err err;
	char path[700], **names, *ch;
	size_t n;

	snprintf(path, sizeof path,
	         "%s/share/incident-tui/policies/default.ini", src_dir());
	cr_assert_eq(policy_load(path, &p, &err), ITUI_OK, "%s", err.msg);
	/* P0: everyone at once (the unconfigured cto is skipped). */
	outbox_route(p, &cfg, "P0", "declared", 0, &names, &n);
	cr_assert_eq(n, 3);
	cr_assert_str_eq(names[0], "incidents");
	cr_assert_str_eq(names[2], "oncall");
	outbox_names_free(names, n);
	outbox_route(p, &cfg, "P1", "escalation", 2, &names, &n);
	cr_assert_eq(n, 1);
	cr_assert_str_eq(names[0], "engineering-manager");
	outbox_names_free(names, n);
	outbox_update_preview(p, &cfg, "P0", &b);
	cr_assert_str_eq(strbuf_str(&b), "Also sends to: incidents (slack), "
	                                 "stakeholders (email)");
	strbuf_free(&b);
	outbox_update_preview(p, &cfg, "P3", &b);
	cr_assert_str_eq(strbuf_str(&b), "Sends to no destination");
	strbuf_free(&b);
	ch = outbox_channel_name(&cfg, 1800000000);
	cr_assert_str_eq(ch, "#incident-20270115-0800");
	free(ch);
	policy_free(p);
}
