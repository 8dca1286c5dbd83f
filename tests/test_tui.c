/*
 * The dashboard in a real terminal: tmux on a private socket runs the real
 * binary; keys go in with send-keys and the screen comes back as text with
 * capture-pane.  Waits poll the screen with a deadline, never a fixed sleep.
 */
#include <dirent.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "harness.h"
#include "itui/strbuf.h"
#include "itui/xalloc.h"
#include "servers.h"

static char *home, db[600], sock[600];
static char mounted[700]; /* a test's own tmpfs, unmounted by teardown */

/* Display columns of a captured line (box-drawing characters count one). */
static int
text_width_of(const char *s)
{
	int w = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			w++;
	return w;
}

/*
 * "-t b" names a pane as a window first: with three sessions it found the
 * window "bash" of the newest one.  "-t b:" is the session's, always.
 */
static void
pane_target(char *args, size_t size)
{
	char *t = strstr(args, " -t ");
	size_t len;

	if (t == NULL || (strncmp(args, "send-keys", 9) != 0 &&
	                  strncmp(args, "paste-buffer", 12) != 0))
		return;
	t += 4;
	len = strcspn(t, " ");
	if (memchr(t, ':', len) != NULL || strlen(args) + 2 > size)
		return;
	memmove(t + len + 1, t + len, strlen(t + len) + 1);
	t[len] = ':';
}

static void tmux(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Runs "tmux -S sock ..." (the arguments already shell-quoted). */
static void
tmux(const char *fmt, ...)
{
	char args[4096], cmd[5000];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(args, sizeof args, fmt, ap);
	va_end(ap);
	pane_target(args, sizeof args);
	snprintf(cmd, sizeof cmd, "tmux -S '%s' %s >/dev/null 2>&1", sock,
	         args);
	rc = system(cmd);
	cr_assert_eq(rc, 0, "tmux %s failed", args);
}

/* The pane's text; `opts` adds capture-pane options ("-J": wrapped
 * lines joined). */
static char *
capture(const char *session, const char *opts)
{
	char cmd[1000];
	FILE *p;
	char *buf = calloc(1, 65536);

	snprintf(cmd, sizeof cmd,
	         "tmux -S '%s' capture-pane -p %s -t %s: 2>/dev/null", sock,
	         opts, session);
	p = popen(cmd, "r");
	if (p != NULL) {
		(void)!fread(buf, 1, 65535, p);
		pclose(p);
	}
	return buf;
}

static char *
screen(const char *session)
{
	return capture(session, "");
}

/* Waits until the screen shows `needle`; returns the screen. */
static char *
wait_for(const char *session, const char *needle, long ms)
{
	long end = ms_now() + ms;
	char *s;

	for (;;) {
		s = screen(session);
		if (strstr(s, needle) != NULL)
			return s;
		if (ms_now() > end)
			break;
		free(s);
		usleep(30000);
	}
	cr_assert_fail("screen of %s never showed '%s':\n%s", session, needle,
	               s);
	return s;
}

/*
 * Waits for `needle`, then until two captures in a row agree: a frame the
 * terminal was still receiving is not judged half drawn.
 */
static char *
wait_settled(const char *session, const char *needle, long ms)
{
	char *s = wait_for(session, needle, ms), *t;

	for (long end = ms_now() + ms; ms_now() < end; s = t) {
		usleep(30000);
		t = screen(session);
		if (strcmp(s, t) == 0) {
			free(t);
			return s;
		}
		free(s);
	}
	return s;
}

static void
wait_gone(const char *session, const char *needle, long ms)
{
	long end = ms_now() + ms;

	for (;;) {
		char *s = screen(session);
		int found = strstr(s, needle) != NULL;

		free(s);
		if (!found)
			return;
		if (ms_now() > end)
			cr_assert_fail("'%s' stayed on the screen", needle);
		usleep(30000);
	}
}

/* Starts the dashboard; after it exits the pane reports how. */
static void
start(const char *session, int w, int h, const char *extra_env)
{
	char after[700];
	FILE *f;

	/* What the pane runs once the dashboard exits: its status, and
	 * whether the terminal is back in canonical mode with echo. */
	snprintf(after, sizeof after, "%s/after.sh", home);
	f = fopen(after, "w");
	fputs("echo EXIT=$1\n"
	      "stty -a | tr ' ;' '\\n\\n' | grep -xE -- '-?(icanon|echo)' |"
	      " tr '\\n' ' '\n"
	      "echo ':TTY'\n"
	      "sleep 60\n",
	      f);
	fclose(f);
	tmux("new-session -d -s %s -x %d -y %d \"env HOME='%s' "
	     "XDG_CONFIG_HOME='%s/cfg' XDG_STATE_HOME='%s/state' "
	     "INCIDENT_TUI_USER=tess %s '%s' --db '%s' "
	     "$(test -f '%s/config' && echo --config '%s/config'); "
	     "sh '%s' \\$?\"",
	     session, w, h, home, home, home, extra_env ? extra_env : "",
	     bin_path(), db, home, home, after);
	free(wait_for(session, "incident-tui", 5000));
}

/* Runs the command line on db as tess; returns what it printed. */
static char *
cli_out(const char *const *args)
{
	struct run r = run_db(home, db, args);
	char *out;

	cr_assert_eq(r.status, 0, "%s", r.err);
	out = r.out;
	r.out = NULL;
	run_free(&r);
	return out;
}

static void
cli(const char *const *args)
{
	free(cli_out(args));
}

static struct servers srv;

/* A home, tmux's socket, and one incident in db (NULL: a file in home). */
static void
setup_on(const char *location)
{
	memset(&srv, 0, sizeof srv);
	home = tmpdir_make();
	if (location != NULL)
		snprintf(db, sizeof db, "%s", location);
	else
		snprintf(db, sizeof db, "%s/war.db", home);
	snprintf(sock, sizeof sock, "%s/tmux.sock", home);
	cli(ARGS("declare", "--severity", "P1", "--title", "Checkout errors",
	         "--service", "checkout"));
}

static void
setup(void)
{
	setup_on(NULL);
}

static void
teardown(void)
{
	char cmd[800];

	snprintf(cmd, sizeof cmd, "tmux -S '%s' kill-server >/dev/null 2>&1",
	         sock);
	(void)!system(cmd);
	servers_stop(&srv);
	if (mounted[0] != '\0') {
		snprintf(cmd, sizeof cmd, "umount -l '%s'", mounted);
		(void)!system(cmd);
		mounted[0] = '\0';
	}
	tmpdir_remove(home);
}

static char *pg;

/* The same dashboards on PostgreSQL: woken by LISTEN/NOTIFY. */
static void
setup_pg(void)
{
	pg = pg_db_new();
	setup_on(pg);
}

static void
teardown_pg(void)
{
	teardown();
	pg_db_drop(pg);
}

TestSuite(tui, .init = setup, .fini = teardown, .timeout = 60);
TestSuite(tui_pg, .init = setup_pg, .fini = teardown_pg, .timeout = 60);

BOTH(tui, shows_the_incident_its_clocks_and_roster)
{
	char *s;

	start("a", 120, 32, NULL);
	s = wait_for("a", "INC-1", 3000);
	cr_assert_not_null(strstr(s, "Checkout errors"));
	cr_assert(strstr(s, "acknowledge 59:") || strstr(s, "acknowledge 1:00"),
	          "%s", s);
	cr_assert_not_null(strstr(s, "IC (unfilled)"));
	cr_assert_not_null(strstr(s, "Declared P1 incident"));
	free(s);
}

BOTH(tui, declare_from_the_dashboard)
{
	char *out;

	start("a", 120, 32, NULL);
	tmux("send-keys -t a D");
	free(wait_for("a", "Title:", 2000));
	tmux("send-keys -t a -l 'Search is down'");
	tmux("send-keys -t a Enter");
	free(wait_for("a", "Severity:", 2000));
	tmux("send-keys -t a -l P0");
	tmux("send-keys -t a Enter");
	free(wait_for("a", "Service (optional):", 2000));
	tmux("send-keys -t a -l search");
	tmux("send-keys -t a Enter");
	free(wait_for("a", "declared INC-2", 2000));
	out = sql1(db, "SELECT severity || ' ' || service || ' ' || declared_by"
	               " FROM incidents WHERE title = 'Search is down'");
	cr_assert_str_eq(out, "P0 search tess");
	free(out);
}

BOTH(tui, type_backdate_and_edit_entries)
{
	char hhmm[8], keys[64], *out;
	time_t t = time(NULL) - 7 * 60;
	struct tm tm;

	start("a", 120, 32, NULL);
	tmux("send-keys -t a i");
	free(wait_for("a", "[note] INC-1>", 2000));
	tmux("send-keys -t a -l 'first look: 5xx on /orders'");
	tmux("send-keys -t a Enter");
	free(wait_for("a", "(Esc closes the line)", 2000));
	tmux("send-keys -t a Escape");
	wait_gone("a", "[note] INC-1>", 2000);
	gmtime_r(&t, &tm);
	strftime(hhmm, sizeof hhmm, "%H:%M", &tm);
	snprintf(keys, sizeof keys, "'%s rollback started'", hhmm);
	tmux("send-keys -t a i");
	free(wait_for("a", "[note] INC-1>", 2000));
	tmux("send-keys -t a -l %s", keys);
	tmux("send-keys -t a Enter");
	/* Seven minutes ago is before the declaration: asked once. */
	free(wait_for("a", "was declared", 2000));
	tmux("send-keys -t a y");
	free(wait_for("a", "(Esc closes the line)", 2000));
	tmux("send-keys -t a Escape");
	wait_gone("a", "[note] INC-1>", 2000);
	out = sql1(db, is_pg(db) ? "SELECT to_char(to_timestamp(at) AT TIME"
	                           " ZONE 'UTC', 'HH24:MI') || ' ' ||"
	                           " (recorded_at - at >= 360)::int FROM"
	                           " entries WHERE text = 'rollback started'"
	                         : "SELECT strftime('%H:%M', at, 'unixepoch')"
	                           " || ' ' || (recorded_at - at >= 360) FROM"
	                           " entries WHERE text = 'rollback started'");
	snprintf(keys, sizeof keys, "%s 1", hhmm);
	cr_assert_str_eq(out, keys, "backdated to %s", hhmm);
	free(out);

	/* Select the newest entry (the first note) and edit it. */
	tmux("send-keys -t a Tab G e");
	free(wait_for("a", "edit [note] INC-1>", 2000));
	tmux("send-keys -t a C-u");
	tmux("send-keys -t a -l 'first look: 5xx on POST /orders'");
	tmux("send-keys -t a Enter");
	wait_gone("a", "edit [note] INC-1>", 2000);
	cr_assert_eq(sql_int(db, "SELECT revision FROM entries WHERE text ="
	                         " 'first look: 5xx on POST /orders'"),
	             2);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM entry_revisions WHERE"
	                         " text = 'first look: 5xx on /orders'"),
	             1);
	/* The timeline marks the edited entry. */
	{
		char *sc =
		         wait_for("a", "first look: 5xx on POST /orders", 2000),
		     *row = strstr(sc, "first look: 5xx on POST /orders");

		while (row > sc && row[-1] != '\n')
			row--;
		cr_assert(strstr(row, "\xe2\x9c\x8e") != NULL &&
		              strstr(row, "\xe2\x9c\x8e") <
		                  strstr(row, "first look"),
		          "no edited mark:\n%s", sc);
		free(sc);
	}
	/* Tab cycles the kind; a TODO: prefix makes an action item. */
	tmux("send-keys -t a i Tab");
	free(wait_for("a", "[decision] INC-1>", 2000));
	tmux("send-keys -t a -l 'TODO: add a breaker'");
	tmux("send-keys -t a Enter");
	free(wait_for("a", "ACT-1 add a breaker", 2000));
}

Test(tui, assign_a_role_with_completion)
{
	char *out;

	cli(ARGS("assign", "1", "tl", "alexandra"));
	start("a", 120, 32, NULL);
	tmux("send-keys -t a r");
	free(wait_for("a", "Role on INC-1:", 2000));
	tmux("send-keys -t a -l ic");
	tmux("send-keys -t a Enter");
	free(wait_for("a", "commander of INC-1 (Tab completes):", 2000));
	tmux("send-keys -t a -l al");
	tmux("send-keys -t a Tab Enter");
	free(wait_for("a", "IC alexandra", 2000));
	out = sql1(db, "SELECT person FROM role_assignments WHERE role ="
	               " 'commander' AND ended_at IS NULL");
	cr_assert_str_eq(out, "alexandra");
	free(out);
}

Test(tui, resizes_to_80x24_and_back)
{
	char *s, *line;
	int lines = 0;

	start("a", 120, 40, NULL);
	free(wait_for("a", "Checkout errors", 2000));
	tmux("resize-window -t a -x 80 -y 24");
	/* Stacked once redrawn: no divider before the detail's title. */
	wait_gone("a", "\xe2\x94\x82INC-1 P1", 3000);
	s = wait_for("a", "?:help", 3000);
	cr_assert_not_null(strstr(s, "INC-1"));
	cr_assert_not_null(strstr(s, "Timeline"));
	for (line = strtok(s, "\n"); line != NULL; line = strtok(NULL, "\n")) {
		cr_assert_leq(text_width_of(line), 80, "line too wide: %s",
		              line);
		lines++;
	}
	cr_assert_leq(lines, 24);
	free(s);
	tmux("resize-window -t a -x 160 -y 48");
	/* Side by side again: the divider stands before the detail's title. */
	free(wait_for("a", "\xe2\x94\x82INC-1 P1", 3000));
}

Test(tui, quit_restores_the_terminal)
{
	char *s;

	start("a", 100, 30, NULL);
	tmux("send-keys -t a q");
	s = wait_for("a", ":TTY", 3000);
	cr_assert_not_null(strstr(s, "EXIT=0"), "%s", s);
	cr_assert_not_null(strstr(s, "icanon echo"),
	                   "terminal not restored:\n%s", s);
	cr_assert_null(strstr(s, "-icanon"));
	free(s);
}

Test(tui, sighup_keeps_the_half_typed_entry)
{
	char *s, *d;

	start("a", 100, 30, NULL);
	tmux("send-keys -t a i");
	free(wait_for("a", "[note] INC-1>", 2000));
	tmux("send-keys -t a -l 'half typed when the link dropped'");
	free(wait_for("a", "link dropped", 2000));
	/* A dropped SSH session: the pane's process gets SIGHUP. */
	tmux("kill-session -t a");
	{
		long end = ms_now() + 5000;

		while (sql_int(db, "SELECT count(*) FROM drafts") == 0 &&
		       ms_now() < end)
			usleep(30000);
	}
	d = sql1(db, "SELECT user || ': ' || text FROM drafts");
	cr_assert_str_eq(d, "tess: half typed when the link dropped");
	free(d);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM entries WHERE text LIKE"
	                         " 'half typed%'"),
	             0, "nothing was logged");
	start("b", 100, 30, NULL);
	s = wait_for("b", "restored your unsent draft", 3000);
	cr_assert_not_null(strstr(s, "half typed when the link dropped"));
	free(s);
	tmux("send-keys -t b Enter");
	free(wait_for("b", "logged", 2000));
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM drafts"), 0);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM entries WHERE text ="
	                         " 'half typed when the link dropped'"),
	             1);
}

BOTH(tui, two_dashboards_see_each_other_without_a_key)
{
	start("a", 120, 32, NULL);
	start("b", 120, 32, NULL);
	tmux("send-keys -t a i");
	free(wait_for("a", "INC-1>", 2000));
	tmux("send-keys -t a -l 'typed in dashboard A'");
	tmux("send-keys -t a Enter");
	free(wait_for("b", "typed in dashboard A", 3000));
	cli(ARGS("log", "1", "logged from the command line"));
	free(wait_for("a", "logged from the command line", 3000));
	free(wait_for("b", "logged from the command line", 3000));
	cli(ARGS("status", "1", "mitigating"));
	free(wait_for("b", "mitigating", 3000));
}

/* Issue 15: who else has the database open, in the top bar, without a
 * key: typing while text is in the input line, gone after a SIGKILL. */
Test(tui, presence_shows_the_others_typing_and_gone)
{
	char cmdline[900];

	start("a", 160, 32, NULL);
	start("b", 160, 32, "INCIDENT_TUI_USER=bob");
	free(wait_for("a", "with bob INC-1", 3000));
	free(wait_for("b", "with tess INC-1", 3000));
	tmux("send-keys -t b i");
	free(wait_for("b", "INC-1>", 2000));
	tmux("send-keys -t b -l 'half a thought'");
	free(wait_for("a", "bob INC-1 typing", 3000));
	/* The roster names who is on the incident, with the role held. */
	cli(ARGS("assign", "1", "commander", "bob"));
	free(wait_for("a", "here: bob (IC)", 3000));
	/* The pane's shell runs the dashboard as its child. */
	snprintf(cmdline, sizeof cmdline,
	         "pkill -KILL -P $(tmux -S '%s' display -p -t b "
	         "'#{pane_pid}') incident-tui",
	         sock);
	cr_assert_eq(system(cmdline), 0, "%s", cmdline);
	/* Wrapped lines joined: the shell's "Killed" line, long with the
	 * paths, can leave "EXIT=137" split over two rows. */
	{
		long end = ms_now() + 3000;
		char *t;

		while ((t = capture("b", "-J")) != NULL &&
		       strstr(t, "EXIT=137") == NULL && ms_now() < end) {
			free(t);
			usleep(30000);
		}
		cr_assert_not_null(strstr(t, "EXIT=137"), "%s", t);
		free(t);
	}
	/* Same host: the next re-read (every PRESENCE_REFRESH s) sees the
	 * process is gone, long before its row goes stale. */
	wait_gone("a", "with bob", 20000);
}

Test(tui, untrusted_text_stays_inert)
{
	char *s;

	cli(ARGS("log", "1",
	         "evil\x1b[2J\x1b]0;pwned\x07\rFORGED\xe2\x80\xae"));
	start("a", 120, 32, NULL);
	s = wait_for("a", "evil^[[2J", 3000);
	cr_assert_not_null(strstr(s, "^MFORGED<U+202E>"), "%s", s);
	cr_assert_not_null(strstr(s, "Checkout errors"),
	                   "screen was not cleared");
	free(s);
}

Test(tui, help_lists_the_keys)
{
	char *s;

	start("a", 120, 40, NULL);
	tmux("send-keys -t a ?");
	free(wait_for("a", "Help: main (rebind in", 2000));
	/* The title may show before the rows (slow under ASan). */
	s = wait_for("a", "type timeline entries", 2000);
	cr_assert_not_null(strstr(s, "declare a new incident"));
	free(s);
	tmux("send-keys -t a q");
	wait_gone("a", "Help: main (rebind in", 2000);
	tmux("send-keys -t a :");
	tmux("send-keys -t a -l 'status identified'");
	tmux("send-keys -t a Enter");
	free(wait_for("a", "P1 identified", 2000));
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM incidents WHERE status ="
	                         " 'identified'"),
	             1);
}

Test(tui, no_color_means_no_colour)
{
	char cmd[800];
	FILE *p;
	char buf[65536] = "";

	cli(ARGS("severity", "1", "P0"));
	start("a", 120, 32, "NO_COLOR=1");
	free(wait_for("a", "INC-1", 2000));
	snprintf(cmd, sizeof cmd, "tmux -S '%s' capture-pane -e -p -t a", sock);
	p = popen(cmd, "r");
	(void)!fread(buf, 1, sizeof buf - 1, p);
	pclose(p);
	cr_assert_null(strstr(buf, "\x1b[31m"), "red with NO_COLOR");
	cr_assert_null(strstr(buf, "\x1b[44m"), "blue bar with NO_COLOR");
	start("b", 120, 32, NULL);
	free(wait_for("b", "INC-1", 2000));
	snprintf(cmd, sizeof cmd, "tmux -S '%s' capture-pane -e -p -t b", sock);
	p = popen(cmd, "r");
	buf[(int)fread(buf, 1, sizeof buf - 1, p)] = '\0';
	pclose(p);
	cr_assert_not_null(
	    strstr(buf, "\x1b[1m\x1b[31m") != NULL ? buf : strstr(buf, "31m"),
	    "no red severity with colours on");
}

/* ---- the metrics poller inside the dashboard ---- */

/* Writes text to a file in the test's home; the path is static. */
static const char *
write_home_file(const char *name, const char *text)
{
	static char path[700];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", home, name);
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
	return path;
}

static void
write_config(const char *text)
{
	(void)write_home_file("config", text);
}

Test(tui, snapshot_key_and_alerts_pane_with_a_real_prometheus, .timeout = 90)
{
	char text[512], *v;

	servers_prometheus(&srv, home, 0);
	snprintf(
	    text, sizeof text,
	    "[prometheus]\nurl = http://127.0.0.1:%d\ninterval = 1s\n"
	    "[query answer]\nexpr = vector(42)\nunit = things\nrange = 5m\n"
	    "[severity-map]\ncritical = P1\n",
	    srv.prom_port);
	write_config(text);
	start("a", 130, 36, NULL);
	free(wait_for("a", "metrics: prometheus ok", 10000));
	/* The declaration's snapshot, then one on demand. */
	free(wait_for("a", "answer 42 things", 10000));
	tmux("send-keys -t a m");
	free(wait_for("a", "snapshot of INC-1 requested", 3000));
	{
		long end = ms_now() + 10000;

		while (sql_int(db, "SELECT count(*) FROM entries WHERE kind ="
		                   " 'metric'") < 2 &&
		       ms_now() < end)
			usleep(50000);
	}
	cr_assert_geq(sql_int(db, "SELECT count(*) FROM entries WHERE kind ="
	                          " 'metric'"),
	              2);
	tmux("send-keys -t a A");
	free(wait_for("a", "AlwaysFiring", 15000));
	tmux("send-keys -t a Enter");
	free(wait_for("a", "Service (optional):", 3000));
	tmux("send-keys -t a Enter");
	free(wait_for("a", "declared INC-2", 3000));
	v = sql1(db, "SELECT title || '|' || severity FROM incidents WHERE"
	             " id = 2");
	cr_assert_str_eq(v, "Checkout error budget burning|P1");
	free(v);
	cr_assert_eq(sql_int(db, "SELECT incident_id FROM alerts WHERE name ="
	                         " 'AlwaysFiring'"),
	             2);
}

Test(tui, a_black_holed_source_does_not_delay_the_keys)
{
	char text[512];
	long t0;

	servers_black_hole(&srv);
	snprintf(text, sizeof text,
	         "[prometheus]\nurl = http://127.0.0.1:%d\ntimeout = 8s\n"
	         "interval = 1s\n[query up]\nexpr = up\n",
	         srv.hole_port);
	write_config(text);
	start("a", 120, 32, NULL);
	/* The poller is now stuck waiting on the black hole. */
	t0 = ms_now();
	tmux("send-keys -t a i");
	free(wait_for("a", "[note] INC-1>", 3000));
	tmux("send-keys -t a -l 'typed while the source hangs'");
	tmux("send-keys -t a Enter");
	free(wait_for("a", "typed while the source hangs", 3000));
	/* The source's 8 s timeout has not run out: nothing waited for it. */
	cr_assert_lt(ms_now() - t0, 3000, "keys waited for the poller");
	free(wait_for("a", "prometheus DOWN", 20000));
	tmux("send-keys -t a Escape");
	wait_gone("a", "[note] INC-1>", 2000);
	tmux("send-keys -t a q");
	free(wait_for("a", ":TTY", 3000));
}

Test(tui, status_update_handoff_and_reports_views)
{
	start("a", 120, 40, NULL);
	tmux("send-keys -t a u");
	free(wait_for("a", "Template for INC-1:", 3000));
	tmux("send-keys -t a Enter");
	free(wait_for("a", "Status update (initial) for INC-1", 3000));
	free(wait_for(
	    "a", "We are investigating an incident affecting checkout", 3000));
	tmux("send-keys -t a s");
	free(wait_for("a", "marked as sent", 3000));
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM entries WHERE kind ="
	                         " 'comms' AND json_extract(data, '$.template')"
	                         " = 'initial'"),
	             1);
	tmux("send-keys -t a H");
	free(wait_for("a", "ACTIVE INCIDENTS (1)", 3000));
	tmux("send-keys -t a Escape");
	wait_gone("a", "ACTIVE INCIDENTS (1)", 3000);
	tmux("send-keys -t a S");
	free(wait_for("a", "MTTA", 3000));
	/* Issue 12: only l in the view records the look (tested below). */
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM last_looks WHERE user ="
	                         " 'tess'"),
	             0, "opening the handoff view counted as a look");
}

Test(tui, action_items_pane)
{
	char *v;

	cli(ARGS("action", "1", "add", "Add a breaker"));
	start("a", 120, 36, NULL);
	tmux("send-keys -t a T");
	free(wait_for("a", "Action items of INC-1", 3000));
	free(wait_for("a", "(no owner)", 3000));
	tmux("send-keys -t a o");
	free(wait_for("a", "Owner of ACT-1 (Tab completes):", 3000));
	tmux("send-keys -t a -l dana");
	tmux("send-keys -t a Enter");
	free(wait_for("a", "dana", 3000));
	tmux("send-keys -t a w");
	free(wait_for("a", "Due (YYYY-MM-DD", 3000));
	tmux("send-keys -t a -l 2026-01-01");
	tmux("send-keys -t a Enter");
	free(wait_for("a", "OVERDUE", 3000));
	tmux("send-keys -t a x");
	free(wait_for("a", "ACT-1 done", 3000));
	v = sql1(
	    db, "SELECT owner || '|' || state || '|' ||"
	        " strftime('%Y-%m-%d', due_at, 'unixepoch') FROM action_items");
	cr_assert_str_eq(v, "dana|done|2026-01-01");
	free(v);
}

/* The row (0-based) on which the screen shows `needle`, or -1. */
static int
row_of(const char *session, const char *needle)
{
	char *s = screen(session), *hit = strstr(s, needle), *p;
	int row = 0;

	/* Count newlines by hand: strtok would skip the blank rows. */
	if (hit == NULL) {
		free(s);
		return -1;
	}
	for (p = s; p < hit; p++)
		row += *p == '\n';
	free(s);
	return row;
}

/* An xterm mouse press at (x, y), written into the pane like a terminal would.
 */
static void
click(const char *session, int x, int y)
{
	char seq[8], cmd[128];

	snprintf(seq, sizeof seq, "\033[M%c%c%c", 32, 33 + x, 33 + y);
	snprintf(cmd, sizeof cmd, "send-keys -t %s -l '%s'", session, seq);
	tmux("%s", cmd);
}

static void
click_selects_the_entry(int w, int h)
{
	int y;

	cli(ARGS("log", "1", "first clickable entry"));
	cli(ARGS("log", "1", "second clickable entry"));
	start("a", w, h, NULL);
	free(wait_for("a", "second clickable entry", 3000));
	y = row_of("a", "first clickable entry");
	cr_assert_geq(y, 0);
	click("a", w - 20, y);
	tmux("send-keys -t a e");
	free(wait_for("a", "edit [note] INC-1> first clickable entry", 3000));
}

Test(tui, a_click_selects_the_entry_stacked)
{
	click_selects_the_entry(100, 30);
}

Test(tui, a_click_selects_the_entry_side_by_side)
{
	click_selects_the_entry(140, 30);
}

/*
 * Issue 13: the scribe ticks a step in one dashboard and the IC's shows it
 * ticked without a key; skipping asks for a reason and refuses none.
 */
BOTH(tui, checklist_ticks_reach_the_other_dashboard)
{
	char *v;

	start("a", 120, 36, NULL);
	start("b", 120, 36, NULL);
	tmux("send-keys -t b K");
	free(wait_for("b", "Checklist of INC-1", 3000));
	free(wait_for("b", "[ ]  1 Acknowledge", 3000));
	tmux("send-keys -t a K");
	free(wait_for("a", "Checklist of INC-1", 3000));
	tmux("send-keys -t a x");
	free(wait_for("a", "INC-1 [1] done", 3000));
	/* No key pressed in b. */
	free(wait_for("b", "[x]  1 Acknowledge the alert or incident - tess",
	              3000));
	tmux("send-keys -t a j j s");
	free(wait_for("a", "Why skip step 3 of INC-1?", 3000));
	tmux("send-keys -t a Enter");
	free(wait_for("a", "a skipped step needs a reason", 3000));
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM checklist_steps WHERE"
	                         " state = 'skipped'"),
	             0);
	tmux("send-keys -t a s");
	free(wait_for("a", "Why skip step 3 of INC-1?", 3000));
	tmux("send-keys -t a -l 'IC is on the bridge already'");
	tmux("send-keys -t a Enter");
	free(wait_for("b", "skipped: IC is on the bridge already", 3000));
	v = sql1(db, "SELECT num || '|' || reason FROM checklist_steps WHERE"
	             " state = 'skipped'");
	cr_assert_str_eq(v, "3|IC is on the bridge already");
	free(v);
}

/*
 * Issue 9: A shows INC-3; B resolves it from the command line; A presses a:
 * INC-3 stays in the list, marked, and nothing else is acknowledged.
 */
Test(tui, an_action_hits_the_incident_shown_after_another_resolves_it)
{
	const char *dave[] = {"--user", "dave",     "status",
	                      "3",      "resolved", NULL};
	char *s;

	cli(ARGS("declare", "--severity", "P1", "--title", "Second"));
	cli(ARGS("declare", "--severity", "P1", "--title", "Third"));
	start("a", 120, 32, NULL);
	tmux("send-keys -t a :");
	tmux("send-keys -t a -l 'select 3'");
	tmux("send-keys -t a Enter");
	free(wait_for("a", "INC-3 P1 investigating Third", 3000));
	cli(dave);
	/* No key: the list keeps it, marked. */
	s = wait_for("a", "No longer active: resolved by dave", 3000);
	cr_assert_not_null(strstr(s, "INC-3 P1 resolved Third"), "%s", s);
	cr_assert_not_null(strstr(s, "[resolved by"), "marked in the list");
	free(s);
	tmux("send-keys -t a a");
	free(wait_for("a", "Acknowledge INC-3? (y/n)", 3000));
	tmux("send-keys -t a y");
	free(wait_for("a", "acknowledged INC-3", 3000));
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM incidents WHERE"
	                         " acknowledged_at IS NOT NULL AND id != 3"),
	             0, "no other incident was acknowledged");
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM incidents WHERE"
	                         " acknowledged_at IS NOT NULL AND id = 3"),
	             1);
	s = screen("a");
	cr_assert_not_null(strstr(s, "INC-3 P1 resolved Third"), "%s", s);
	free(s);
}

/*
 * Issue 9: keys of the alerts and action-item views rebound per view, the
 * footer showing them, and a declaration from an alert whose label set is
 * some 3 KB (60 labels) carrying the alert's id.
 */
Test(tui, per_view_keys_and_a_declaration_from_a_large_alert)
{
	struct strbuf labels = STRBUF_INIT;
	char *s, *sql;
	int i;

	cli(ARGS("action", "add", "1", "Add a breaker"));
	strbuf_addstr(&labels, "{\"alertname\":\"HighErrors\"");
	for (i = 0; i < 60; i++)
		strbuf_addf(&labels,
		            ",\"label_%02d\":\"kubernetes-value-%02d-"
		            "abcdefghijklmnopqrstuvwxyz-0123456789\"",
		            i, i);
	strbuf_addch(&labels, '}');
	cr_assert_gt(labels.len, 3000);
	sql =
	    xasprintf("INSERT INTO alerts(key, source, name, labels,"
	              " last_seen, state, summary) VALUES ('%s', 'prometheus',"
	              " 'HighErrors', '%s', strftime('%%s'), 'firing',"
	              " 'Error rate above 5%% on checkout')",
	              labels.buf, labels.buf);
	free(sql1(db, sql));
	free(sql);
	strbuf_free(&labels);
	write_config("[keys.actions]\ndone = X\n[keys.alerts]\nopen = o\n");
	start("a", 120, 36, NULL);
	tmux("send-keys -t a T");
	/* A capture may catch a frame half painted: wait for the footer. */
	s = wait_for("a", "X:done", 3000);
	cr_assert_not_null(strstr(s, "Action items of INC-1"), "%s", s);
	free(s);
	tmux("send-keys -t a x");
	free(wait_for("a", "x is not bound here", 3000));
	tmux("send-keys -t a X");
	free(wait_for("a", "ACT-1 done", 3000));
	tmux("send-keys -t a Escape");
	tmux("send-keys -t a A");
	s = wait_for("a", "Firing alerts", 3000);
	cr_assert_not_null(strstr(s, "o:open"), "the footer shows the key");
	free(s);
	tmux("send-keys -t a o");
	free(wait_for("a", "Severity:", 3000));
	tmux("send-keys -t a -l P2");
	tmux("send-keys -t a Enter");
	free(wait_for("a", "Service (optional):", 3000));
	tmux("send-keys -t a Enter");
	free(wait_for("a", "declared INC-2", 3000));
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM alerts WHERE"
	                         " incident_id = 2"),
	             1, "the alert is linked");
	s = sql1(db, "SELECT title FROM incidents WHERE id = 2");
	cr_assert_str_eq(s, "Error rate above 5% on checkout");
	free(s);
}

/*
 * Issue 11: a storm of 1,700 alerts under one Alertmanager group key is one
 * line with its count, below the group of the one critical alert; Enter
 * lists the storm's alerts under it, Enter again folds them.
 */
Test(tui, a_storm_is_one_group_line_that_expands)
{
	char *s, *storm, *disk;

	free(sql1(db, "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1"
	              " FROM c WHERE i < 1700) INSERT INTO alerts(key, source,"
	              " name, labels, last_seen, since, state, summary,"
	              " severity, group_key) SELECT 'storm-' || i, 'webhook',"
	              " 'TargetDown', '{\"alertname\":\"TargetDown\"}',"
	              " strftime('%s'), strftime('%s') - i, 'firing', 'target"
	              " down', 'warning', '{}:{alertname=\"TargetDown\"}' FROM"
	              " c"));
	free(sql1(db, "INSERT INTO alerts(key, source, name, labels, last_seen,"
	              " since, state, summary, severity) VALUES ('disk',"
	              " 'webhook', 'DiskFull', '{\"alertname\":\"DiskFull\"}',"
	              " strftime('%s'), strftime('%s') - 5000, 'firing', 'disk"
	              " full on db-1', 'critical')"));
	start("a", 120, 36, NULL);
	tmux("send-keys -t a A");
	s = wait_settled("a", "1700 alerts", 3000);
	disk = strstr(s, "DiskFull");
	storm = strstr(s, "TargetDown  1700 alerts");
	cr_assert_not_null(disk, "%s", s);
	cr_assert_not_null(storm, "%s", s);
	cr_assert(disk < storm, "the critical group first:\n%s", s);
	cr_assert_not_null(strstr(s, "[+] warning"), "%s", s);
	cr_assert_null(strstr(s, "AL-2 "), "folded: no storm member\n%s", s);
	free(s);
	tmux("send-keys -t a Down Enter");
	s = wait_settled("a", "[-] warning", 3000);
	cr_assert_not_null(strstr(s, "    AL-1 "),
	                   "the newest member, indented"
	                   "\n%s",
	                   s);
	free(s);
	tmux("send-keys -t a Enter");
	s = wait_settled("a", "[+] warning", 3000);
	cr_assert_null(strstr(s, "    AL-1 "), "folded again\n%s", s);
	free(s);
}

/*
 * Issue 9: two dashboards edit the same entry; the second save is refused
 * with both texts shown; after "keep mine" the audit has both, in order.
 */
BOTH(tui, a_stale_edit_is_refused_with_both_texts)
{
	char *s;

	cli(ARGS("log", "1", "Rollback started"));
	start("a", 120, 32, NULL);
	start("b", 120, 32, NULL);
	tmux("send-keys -t b Tab e");
	free(wait_for("b", "[note] INC-1>", 3000));
	tmux("send-keys -t a Tab e");
	free(wait_for("a", "[note] INC-1>", 3000));
	tmux("send-keys -t a C-u");
	tmux("send-keys -t a -l 'Rollback started by alice'");
	tmux("send-keys -t a Enter");
	free(wait_for("a", "entry edited", 3000));
	tmux("send-keys -t b C-u");
	tmux("send-keys -t b -l 'Rollback started at ten percent'");
	tmux("send-keys -t b Enter");
	s = wait_settled("b", "Changed by someone else", 3000);
	cr_assert_not_null(strstr(s, "Rollback started by alice"), "%s", s);
	cr_assert_not_null(strstr(s, "Rollback started at ten percent"), "%s",
	                   s);
	free(s);
	tmux("send-keys -t b m");
	free(wait_for("b", "kept yours", 3000));
	s = sql1(db, is_pg(db) ? "SELECT string_agg(new_value, ' | ' ORDER BY"
	                         " id) FROM audit WHERE object = 'entry' AND"
	                         " field = 'text'"
	                       : "SELECT group_concat(new_value, ' | ') FROM"
	                         " (SELECT new_value FROM audit WHERE object"
	                         " = 'entry' AND field = 'text' ORDER BY id)");
	cr_assert_str_eq(
	    s, "Rollback started by alice | Rollback started at ten percent");
	free(s);
	cr_assert_eq(sql_int(db, "SELECT revision FROM entries WHERE text ="
	                         " 'Rollback started at ten percent'"),
	             3);
}

/* ---- the scribe's typing (issue 12) ---- */

static void
type_line(const char *session, const char *text)
{
	char *q = xstrdup(text);

	tmux("send-keys -t %s -l -- '%s'", session, q);
	free(q);
	tmux("send-keys -t %s Enter", session);
}

/* Opens the input line on an incident. */
static void
open_line(const char *session, const char *prompt)
{
	tmux("send-keys -t %s i", session);
	free(wait_for(session, prompt, 2000));
}

/* Waits until a query's integer answer is `want`. */
static long long
wait_sql(const char *sql, long long want, long ms)
{
	long end = ms_now() + ms;
	long long v;

	while ((v = sql_int(db, sql)) != want && ms_now() < end)
		usleep(30000);
	return v;
}

Test(tui, continuous_logging_and_esc_keeps_the_draft)
{
	char *s, *d;

	start("a", 80, 24, NULL);
	open_line("a", "[note] INC-1>");
	type_line("a", "first entry");
	free(wait_for("a", "(Esc closes the line)", 2000));
	/* The line stays open: the next entry needs no key. */
	type_line("a", "second entry");
	cr_assert_eq(wait_sql("SELECT count(*) FROM entries WHERE text IN"
	                      " ('first entry', 'second entry')",
	                      2, 3000),
	             2);
	s = wait_for("a", "[note] INC-1>", 2000);
	free(s);
	tmux("send-keys -t a -l 'not yet sent'");
	tmux("send-keys -t a Escape");
	free(wait_for("a", "kept as your draft", 2000));
	wait_gone("a", "[note] INC-1>", 2000);
	d = sql1(db, "SELECT text FROM drafts WHERE user = 'tess'");
	cr_assert_str_eq(d, "not yet sent");
	free(d);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM entries WHERE text ="
	                         " 'not yet sent'"),
	             0);
	tmux("send-keys -t a i");
	s = wait_for("a", "[note] INC-1> not yet sent", 2000);
	free(s);
	tmux("send-keys -t a Enter");
	cr_assert_eq(wait_sql("SELECT count(*) FROM entries WHERE text ="
	                      " 'not yet sent'",
	                      1, 3000),
	             1);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM drafts"), 0);
	/* Esc on an empty line closes it and leaves no draft. */
	tmux("send-keys -t a Escape");
	free(wait_for("a", "closed", 2000));
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM drafts"), 0);
}

/*
 * Another process takes the write lock and holds it for `secs` (a writer
 * stopped mid-change): sqlite3 in BEGIN IMMEDIATE, or psql holding the
 * advisory lock every write takes shared (store-pg.c, LOCK_CLASS_ALL).
 * Returns once the lock is held (the holder touches `marker`).
 */
static void
hold_write_lock(int secs, const char *marker)
{
	char cmd[2000];
	long end = ms_now() + 5000;

	if (is_pg(db))
		snprintf(
		    cmd, sizeof cmd,
		    "(echo 'BEGIN; SELECT pg_advisory_xact_lock(1230263625,"
		    " 0);'; echo '\\! touch %s'; sleep %d; echo 'COMMIT;')"
		    " | '%s/psql' -XAtq -d '%s' >/dev/null 2>&1 &",
		    marker, secs, getenv("ITUI_PG_BIN"), db);
	else
		snprintf(cmd, sizeof cmd,
		         "(echo 'BEGIN IMMEDIATE;'; echo '.shell touch %s';"
		         " sleep %d; echo 'COMMIT;') | sqlite3 '%s' >/dev/null"
		         " 2>&1 &",
		         marker, secs, db);
	cr_assert_eq(system(cmd), 0);
	while (access(marker, F_OK) != 0) {
		cr_assert_lt(ms_now(), end, "the lock holder never started");
		usleep(10000);
	}
}

/* ms from send-keys until the screen does (present) or does not show want. */
static long
key_answer_ms(const char *session, const char *keys, const char *want,
              int present)
{
	long t0 = ms_now(), end = t0 + 5000;

	tmux("send-keys -t %s %s", session, keys);
	for (;;) {
		char *s = screen(session);
		int has = strstr(s, want) != NULL;

		free(s);
		if (has == present)
			return ms_now() - t0;
		cr_assert_lt(ms_now(), end, "keys '%s' never answered", keys);
	}
}

/* The top bar's wall clock (HH:MM:SS before " UTC"). */
static void
top_clock(const char *s, char out[9])
{
	const char *z = strstr(s, " UTC");

	cr_assert(z != NULL && z - s >= 8, "no clock in:\n%s", s);
	memcpy(out, z - 8, 8);
	out[8] = '\0';
}

static int
cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

/*
 * The dashboard's own figure from INCIDENT_TUI_TRACE: its slowest "turn"
 * of the loop, or "write" (ms), that ended between two monotonic times
 * (ms).
 */
static long
trace_slowest_ms(const char *path, const char *what, long from, long to)
{
	FILE *f = fopen(path, "r");
	char line[200], name[16];
	long long end, len, worst = 0;
	int seen_end = 0;

	cr_assert_not_null(f, "no trace at %s", path);
	while (fgets(line, sizeof line, f) != NULL) {
		if (sscanf(line, "%15s %lld %lld", name, &end, &len) == 3 &&
		    strcmp(name, what) == 0 && end / 1000000 >= from &&
		    end / 1000000 <= to && len > worst)
			worst = len;
		seen_end |= strncmp(line, "slowest-turn ", 13) == 0;
	}
	fclose(f);
	cr_assert(seen_end, "the trace has no slowest-turn line");
	return (long)(worst / 1000000);
}

/*
 * Issue 16: a writer that holds the lock froze every dashboard being typed
 * into for 10-20 s.  Now the dashboard's writes do not wait more than a
 * frame: Enter keeps the text, says what it waits for, and logs once the
 * lock is free.
 */
BOTH(tui, a_held_write_lock_never_freezes_the_dashboard, .timeout = 90)
{
	const char *count = "SELECT count(*) FROM entries WHERE text ="
	                    " 'held back entry'";
	char marker[700], env[800], last[9] = "", now[9], *s, *w;
	long lat[400], base[40], held_from, held_until, turn, write;
	int n = 0, b, ticks = 0, waited;

	snprintf(env, sizeof env, "INCIDENT_TUI_TRACE='%s/trace'", home);
	start("a", 110, 30, env);
	open_line("a", "[note] INC-1>");
	/* The same probes with the lock free: what tmux itself costs. */
	for (b = 0; b < 40;) {
		base[b++] = key_answer_ms("a", "-l y", "INC-1> y", 1);
		base[b++] = key_answer_ms("a", "BSpace", "INC-1> y", 0);
	}
	qsort(base, (size_t)b, sizeof base[0], cmp_long);
	snprintf(marker, sizeof marker, "%s/held", home);
	held_from = ms_now();
	hold_write_lock(15, marker);
	held_until = held_from + 15000;
	tmux("send-keys -t a -l 'held back entry'");
	tmux("send-keys -t a Enter");
	free(wait_for("a", "waiting for the database: held by another", 2000));
	/* Throughout the hold: keys answered, the clock moving. */
	while (ms_now() < held_until - 1500 && n < 398) {
		lat[n++] = key_answer_ms("a", "-l x", "held back entryx", 1);
		lat[n++] = key_answer_ms("a", "BSpace", "held back entryx", 0);
		s = screen("a");
		top_clock(s, now);
		ticks += strcmp(now, last) != 0;
		memcpy(last, now, sizeof last);
		free(s);
		usleep(100000);
	}
	s = screen("a");
	w = strstr(s, "held by another process for ");
	cr_assert_not_null(w, "no waiting status:\n%s", s);
	waited = atoi(w + strlen("held by another process for "));
	cr_assert_geq(waited, 10, "the status counts the wait:\n%s", s);
	free(s);
	cr_assert_eq(sql_int(db, count), 0, "logged while the lock was held");
	qsort(lat, (size_t)n, sizeof lat[0], cmp_long);
	cr_assert_geq(ticks, 10, "the clock stopped (%d ticks)", ticks);
	/* The lock is free: the entry goes in, once. */
	cr_assert_eq(wait_sql(count, 1, 10000), 1);
	free(wait_for("a", "logged on INC-1", 3000));
	usleep(500000);
	cr_assert_eq(sql_int(db, count), 1);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM drafts"), 0);
	tmux("send-keys -t a Escape");
	wait_gone("a", "[note] INC-1>", 2000);
	tmux("send-keys -t a q");
	free(wait_for("a", ":TTY", 3000));
	turn = trace_slowest_ms(path_in(home, "trace"), "turn", held_from,
	                        held_until);
	write = trace_slowest_ms(path_in(home, "trace"), "write", held_from,
	                         held_until);
	cr_log_info("%s: %d key probes during the 15 s hold, send-keys to "
	            "pane change median %ld ms, p90 %ld ms, max %ld ms (lock "
	            "free: median %ld ms, max %ld ms); slowest loop turn in "
	            "the hold %ld ms, slowest write tried %ld ms; %d clock "
	            "ticks",
	            is_pg(db) ? "PostgreSQL" : "SQLite", n, lat[n / 2],
	            lat[n * 9 / 10], lat[n - 1], base[b / 2], base[b - 1], turn,
	            write, ticks);
	/* No write the dashboard tried waited for the lock past a frame
	 * (its wait is 16 ms, then 0 while the lock is known to be held);
	 * on PostgreSQL the write is also round trips to a server that
	 * shares the 2 cores with the test run (52 ms seen once there). */
	cr_assert_leq(write, is_pg(db) ? 100 : 50,
	              "a write held the loop for %ld ms", write);
	/* Nor did any turn come near a freeze (a loaded machine, and on
	 * PostgreSQL a reload's round trips, make a turn slower than the
	 * writes alone). */
	cr_assert_leq(turn, 250, "a loop turn took %ld ms", turn);
	/* Through tmux (forks and a capture per probe, on a shared
	 * machine): as fast as with the lock free, and never a freeze. */
	cr_assert_leq(lat[n / 2], base[b / 2] + 25,
	              "keys answered in %ld ms (median; %ld ms lock free)",
	              lat[n / 2], base[b / 2]);
	cr_assert_lt(lat[n - 1], 1000, "a key waited %ld ms", lat[n - 1]);
}

/* Writes zeros into dir/fill until the file system is full. */
static void
fill_disk(const char *dir)
{
	static char block[65536];
	FILE *f = fopen(path_in(dir, "fill"), "w");

	cr_assert_not_null(f);
	setvbuf(f, NULL, _IONBF, 0);
	while (fwrite(block, 1, sizeof block, f) == sizeof block)
		;
	/* The last pages too: the -shm grows a page at a time. */
	while (fwrite(block, 1, 512, f) == 512)
		;
	fclose(f);
}

/* stderr is one line naming the full disk holding dir. */
static void
assert_full_line(const struct run *r, const char *dir)
{
	char want[900];

	snprintf(want, sizeof want, "the disk holding %s is full", dir);
	cr_assert_eq(r->status, 1, "exit %d: %s", r->status, r->err);
	cr_assert_not_null(strstr(r->err, want), "%s", r->err);
	cr_assert_eq(strchr(r->err, '\n'), r->err + strlen(r->err) - 1,
	             "not one line: %s", r->err);
}

/*
 * Issue 16: on a full disk `list`, `show` and the dashboard all failed with
 * "cannot commit - no transaction is active" once the -shm could not grow.
 * The test mounts its own small tmpfs (it runs as root) and fills it.
 */
Test(tui, a_full_disk_still_reads_and_names_itself, .timeout = 60)
{
	char dir[500], cmd[1600], *s;
	struct run r;
	int i;

	snprintf(dir, sizeof dir, "%s/full", home);
	snprintf(cmd, sizeof cmd,
	         "mkdir -p '%s' && mount -t tmpfs -o size=4m,mode=0755 tmpfs"
	         " '%s' 2>/dev/null",
	         dir, dir);
	if (system(cmd) != 0)
		cr_skip_test("cannot mount a tmpfs here (not root?)");
	snprintf(mounted, sizeof mounted, "%s", dir);
	snprintf(db, sizeof db, "%s/war.db", dir);
	cli(ARGS("declare", "--severity", "P1", "--title", "Disk fills",
	         "--service", "storage"));
	for (i = 0; i < 20; i++)
		cli(ARGS("log", "1", "committed before the disk filled"));
	/* A dashboard that was open before the disk filled. */
	start("a", 110, 30, NULL);
	open_line("a", "[note] INC-1>");
	fill_disk(dir);
	tmux("send-keys -t a -l 'typed on a full disk'");
	tmux("send-keys -t a Enter");
	s = wait_for("a", "is full; nothing was changed", 5000);
	cr_assert_not_null(strstr(s, "[note] INC-1> typed on a full disk"),
	                   "the text was not kept:\n%s", s);
	free(s);
	/* Readers read, writers get one line naming the disk. */
	r = run_db(home, db, ARGS("list"));
	cr_assert_eq(r.status, 0, "list: %s", r.err);
	cr_assert_not_null(strstr(r.out, "Disk fills"));
	run_free(&r);
	r = run_db(home, db, ARGS("log", "1", "refused"));
	assert_full_line(&r, dir);
	run_free(&r);
	/* The last connection goes; a new one must still open and read. */
	tmux("send-keys -t a Escape");
	wait_gone("a", "[note] INC-1>", 2000);
	tmux("send-keys -t a q");
	free(wait_for("a", ":TTY", 3000));
	tmux("kill-session -t a");
	/* Room for a moment: the last close checkpoints and removes the
	 * -wal and -shm, which a new open on the full disk cannot grow. */
	cr_assert_eq(unlink(path_in(dir, "fill")), 0);
	free(sql1(db, "PRAGMA wal_checkpoint(TRUNCATE)"));
	cr_assert_neq(access(path_in(dir, "war.db-shm"), F_OK), 0);
	fill_disk(dir);
	r = run_db(home, db, ARGS("list"));
	cr_assert_eq(r.status, 0, "list: %s", r.err);
	cr_assert_not_null(strstr(r.out, "Disk fills"));
	run_free(&r);
	r = run_db(home, db, ARGS("show", "1"));
	cr_assert_eq(r.status, 0, "show: %s", r.err);
	cr_assert_not_null(strstr(r.out, "committed before the disk filled"));
	run_free(&r);
	r = run_db(home, db, ARGS("log", "1", "refused"));
	assert_full_line(&r, dir);
	run_free(&r);
	r = run_db(home, db,
	           ARGS("declare", "--severity", "P2", "--title", "x"));
	assert_full_line(&r, dir);
	run_free(&r);
	start("b", 110, 30, NULL);
	s = wait_for("b", "committed before the disk filled", 5000);
	cr_assert_not_null(strstr(s, "disk full"), "top bar:\n%s", s);
	free(s);
	tmux("send-keys -t b i");
	free(wait_for("b", "is full; nothing was changed", 3000));
	tmux("send-keys -t b q");
	free(wait_for("b", ":TTY", 3000));
	/* Room again: everything committed is there, and writes work. */
	cr_assert_eq(unlink(path_in(dir, "fill")), 0);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM entries WHERE text ="
	                         " 'committed before the disk filled'"),
	             20);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM entries WHERE text IN"
	                         " ('refused', 'typed on a full disk')"),
	             0);
	s = sql1(db, "PRAGMA integrity_check");
	cr_assert_str_eq(s, "ok");
	free(s);
	cli(ARGS("log", "1", "after the disk had room again"));
}

/*
 * Issue 16: a -shm cut short or made immutable under an open dashboard
 * was a SIGBUS (the terminal left raw, the typed text gone); a -wal and
 * -shm removed and made again by another writer split the two.  Each ends
 * the dashboard with one clear line, the terminal restored and the text
 * kept for the next start.  The last case sends SIGBUS itself, for the
 * handler behind the per-turn check.
 */
Test(tui, lost_wal_or_shm_ends_cleanly_and_keeps_the_text, .timeout = 90)
{
	static const char *const how[] = {
	    ": > '%1$s-shm'",
	    "chattr +i '%1$s-shm'",
	    "rm -f '%1$s-shm' '%1$s-wal' && INCIDENT_TUI_SHARE='%2$s' '%3$s' "
	    "--db '%1$s' log 1 another >/dev/null 2>&1",
	    "pkill -BUS -P $(tmux -S '%4$s' display -p -t b: '#{pane_pid}') "
	    "incident-tui",
	};
	char cmd[2000], typed[64], *s;
	size_t i;

	for (i = 0; i < sizeof how / sizeof how[0]; i++) {
		snprintf(cmd, sizeof cmd, "chattr -i '%s-shm' 2>/dev/null", db);
		(void)!system(cmd);
		start("b", 150, 30, NULL);
		open_line("b", "[note] INC-1>");
		snprintf(typed, sizeof typed, "typed before case %zu", i);
		tmux("send-keys -t b -l '%s'", typed);
		free(wait_for("b", typed, 2000));
		snprintf(cmd, sizeof cmd, how[i], db,
		         getenv("INCIDENT_TUI_SHARE"), bin_path(), sock);
		if (system(cmd) != 0) {
			/* chattr on a file system without attributes */
			cr_assert_eq(i, 1, "%s failed", cmd);
			cr_log_info("no chattr +i here: case skipped");
			tmux("kill-server");
			continue;
		}
		s = wait_for("b", ":TTY", 5000);
		cr_assert_not_null(
		    strstr(s, "stopped without reading or writing"),
		    "case %zu:\n%s", i, s);
		cr_assert_not_null(strstr(s, "EXIT=1"), "case %zu:\n%s", i, s);
		cr_assert_not_null(strstr(s, "icanon echo"),
		                   "case %zu: terminal not restored:\n%s", i,
		                   s);
		free(s);
		tmux("kill-server");
		snprintf(cmd, sizeof cmd, "chattr -i '%s-shm' 2>/dev/null", db);
		(void)!system(cmd);
		/* The text is kept (the unsent file, or the draft saved a
		 * second after typing): the next start shows it. */
		start("b", 150, 30, NULL);
		free(wait_for("b", typed, 5000));
		tmux("kill-server");
	}
	s = sql1(db, "PRAGMA integrity_check");
	cr_assert_str_eq(s, "ok");
	free(s);
}

static void
paste(const char *session, const char *text)
{
	tmux("load-buffer -b p '%s'", write_home_file("paste.txt", text));
	tmux("paste-buffer -p -d -b p -t %s", session);
}

Test(tui, a_bracketed_paste_is_text)
{
	char *s, *d;

	start("a", 80, 24, NULL);
	open_line("a", "[note] INC-1>");
	/* A tab would change the kind and a newline submit, if typed. */
	paste("a", "pasted\tcolumns\nand a second line\n");
	s = wait_for("a", "pasted columns and a second line", 2000);
	cr_assert_not_null(strstr(s, "[note] INC-1>"), "%s", s);
	free(s);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM entries WHERE text LIKE"
	                         " 'pasted%'"),
	             0, "a newline in a paste submitted");
	tmux("send-keys -t a Enter");
	cr_assert_eq(wait_sql("SELECT count(*) FROM entries WHERE kind = 'note'"
	                      " AND text = 'pasted columns and a second line'",
	                      1, 3000),
	             1);
	/* More than an entry may hold is refused at once, whole. */
	{
		size_t n = 1024 * 1024, i;
		char *big = xcalloc(1, n + 1);

		for (i = 0; i < n; i++)
			big[i] = (char)('a' + i % 26);
		paste("a", big);
		free(big);
	}
	s = wait_for("a", "paste refused", 10000);
	cr_assert_not_null(strstr(s, "65536"), "%s", s);
	free(s);
	tmux("send-keys -t a -l 'short'");
	tmux("send-keys -t a Escape");
	free(wait_for("a", "kept as your draft", 3000));
	d = sql1(db, "SELECT length(text) FROM drafts");
	cr_assert_str_eq(d, "5");
	free(d);
	/* The next start is as usual: the draft is short. */
	tmux("send-keys -t a i");
	free(wait_for("a", "INC-1> short", 2000));
}

Test(tui, leading_times_and_the_yesterday_question)
{
	char hms[16], line[64], *s;
	time_t t = time(NULL) - 30;
	struct tm tm;

	cli(ARGS("declare", "--severity", "P2", "--title", "Older one", "--at",
	         "-2h"));
	start("a", 80, 24, NULL);
	tmux("send-keys -t a :");
	type_line("a", "select 2");
	free(wait_for("a", "Older one", 2000));
	open_line("a", "[note] INC-2>");
	/* Before the declaration: asked, and y logs it there. */
	type_line("a", "-3h before it was declared");
	free(wait_for("a", "is before INC-2 was declared", 2000));
	tmux("send-keys -t a y");
	cr_assert_eq(wait_sql("SELECT count(*) FROM entries WHERE text ="
	                      " 'before it was declared' AND incident_id = 2",
	                      1, 3000),
	             1);
	type_line("a", "-5m five minutes ago");
	cr_assert_eq(wait_sql("SELECT count(*) FROM entries WHERE text ="
	                      " 'five minutes ago'",
	                      1, 3000),
	             1);
	cr_assert_eq(sql_int(db, "SELECT abs(recorded_at - 300 - at) < 20 FROM"
	                         " entries WHERE text = 'five minutes ago'"),
	             1);
	gmtime_r(&t, &tm);
	strftime(hms, sizeof hms, "%H:%M:%S", &tm);
	snprintf(line, sizeof line, "%s to the second", hms);
	type_line("a", line);
	cr_assert_eq(wait_sql("SELECT count(*) FROM entries WHERE text ="
	                      " 'to the second'",
	                      1, 3000),
	             1);
	cr_assert_eq(sql_int(db, "SELECT at FROM entries WHERE text ="
	                         " 'to the second'"),
	             (long long)t);
	/* A day back: asked once, and n keeps the text in the line. */
	type_line("a", "-24h before the incident");
	s = wait_for("a", "is yesterday, ", 2000);
	cr_assert_not_null(strstr(s, "log it there? (y/n)"), "%s", s);
	free(s);
	tmux("send-keys -t a n");
	free(wait_for("a", "INC-2> -24h before the incident", 2000));
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM entries WHERE text ="
	                         " 'before the incident'"),
	             0);
	tmux("send-keys -t a Enter");
	free(wait_for("a", "is yesterday, ", 2000));
	tmux("send-keys -t a y");
	cr_assert_eq(wait_sql("SELECT count(*) FROM entries WHERE text ="
	                      " 'before the incident'",
	                      1, 3000),
	             1);
	cr_assert_eq(sql_int(db, "SELECT abs(recorded_at - 86400 - at) < 20"
	                         " FROM entries WHERE text ="
	                         " 'before the incident'"),
	             1);
	/* The timeline now spans two days: every row carries its date. */
	{
		char day[16];
		time_t y = time(NULL) - 86400;

		gmtime_r(&y, &tm);
		strftime(day, sizeof day, "%m-%d ", &tm);
		s = wait_for("a", day, 2000);
		free(s);
	}
}

/*
 * The server drops every connection of the dashboard (a restart, a
 * failover): it connects again by itself, listens again, and shows the
 * next change without a key.
 */
Test(tui_pg, reconnects_after_its_connections_are_dropped)
{
	start("a", 120, 32, NULL);
	cli(ARGS("log", "1", "before the drop"));
	free(wait_for("a", "before the drop", 3000));
	free(sql1(db, "SELECT count(pg_terminate_backend(pid)) FROM"
	              " pg_stat_activity WHERE datname = current_database()"
	              " AND pid <> pg_backend_pid()"));
	cli(ARGS("log", "1", "after the drop"));
	free(wait_for("a", "after the drop", 5000));
	cli(ARGS("status", "1", "mitigating"));
	free(wait_for("a", "mitigating", 3000));
}

/*
 * This host's clock 30 s ahead of the database server's (INCIDENT_TUI_NOW
 * stands for the wrong clock): the top bar says by how much, so times
 * shown here are read knowing the record's come from the server.
 */
Test(tui_pg, the_top_bar_shows_the_skew_from_the_servers_clock)
{
	char env[80], *s, *at;
	long secs = 0;

	snprintf(env, sizeof env, "INCIDENT_TUI_NOW=%lld",
	         (long long)time(NULL) + 30);
	start("a", 200, 32, env);
	s = wait_for("a", "ahead of the server", 3000);
	at = strstr(s, "clock ");
	cr_assert_not_null(at, "%s", s);
	cr_assert_eq(sscanf(at, "clock %lds ahead", &secs), 1, "%s", s);
	cr_assert(secs >= 27 && secs <= 31, "%ld s:\n%s", secs, s);
	free(s);
}

/* Within 2 s the bar says nothing of the clock. */
Test(tui_pg, a_clock_within_two_seconds_of_the_server_is_not_mentioned)
{
	char *s;

	start("a", 200, 32, NULL);
	cli(ARGS("log", "1", "a line"));
	s = wait_for("a", "a line", 3000);
	cr_assert_null(strstr(s, "the server"), "%s", s);
	free(s);
}

/* The top bar names a PostgreSQL location without its password. */
Test(tui_pg, the_top_bar_shows_no_password)
{
	char *s;

	strncat(db, "&password=topsecret42", sizeof db - strlen(db) - 1);
	start("a", 200, 32, NULL);
	s = wait_for("a", "Checkout errors", 3000);
	cr_assert_null(strstr(s, "topsecret42"), "%s", s);
	cr_assert_not_null(strstr(s, "postgresql://"), "%s", s);
	free(s);
}

/* ---- a primary and its standby (scripts/pg-pair.sh) --------------------
 */

static char pair[300];

/* pg-pair.sh WHAT on this test's pair. */
static void
pair_do(const char *what)
{
	char cmd[1400];

	snprintf(cmd, sizeof cmd, "'%s/scripts/pg-pair.sh' %s '%s'", src_dir(),
	         what, pair);
	cr_assert_eq(system(cmd), 0, "pg-pair.sh %s failed", what);
}

/* A pair of servers of its own (killing the shared one would end the
 * run); the dashboards follow the host list to whichever takes writes. */
static void
setup_pair(void)
{
	char *dir = tmpdir_make(), loc[1400];

	snprintf(pair, sizeof pair, "%s/pair", dir);
	pair_do("start");
	snprintf(loc, sizeof loc,
	         "postgresql:///warroom?host=%s/p,%s/s&user=itui"
	         "&target_session_attrs=read-write&connect_timeout=2",
	         pair, pair);
	setup_on(loc);
	tmpdir_remove(home);
	home = dir;
	snprintf(sock, sizeof sock, "%s/tmux.sock", home);
}

static void
teardown_pair(void)
{
	pair_do("stop");
	teardown();
}

TestSuite(failover_pg, .init = setup_pair, .fini = teardown_pair,
          .timeout = 60);
TestSuite(failover_sync_pg, .timeout = 90);

/*
 * The primary is killed (SIGKILL) and its standby promoted: the
 * dashboard, named both hosts with target_session_attrs=read-write, is
 * live on the promoted server within 2 s.
 */
Test(failover_pg, the_dashboard_is_live_again_within_2_s_of_a_promotion)
{
	long promoted;

	start("a", 160, 32, NULL);
	cli(ARGS("log", "1", "before the failover"));
	free(wait_for("a", "before the failover", 3000));
	pair_do("caught-up");
	pair_do("kill");
	pair_do("promote");
	promoted = ms_now();
	cli(ARGS("log", "1", "after the promotion"));
	free(
	    wait_for("a", "after the promotion", 2000 - (ms_now() - promoted)));
	free(wait_for("a", " live ", 1000));
}

/*
 * Only the standby reachable: the dashboard reads, says it is a standby
 * and how old its data is, and a write key is refused plainly, as is the
 * command line's write.
 */
Test(failover_pg, a_standby_alone_gives_a_read_only_view_with_its_age)
{
	const char *argv[] = {"--db", NULL, "log", "1", "on the standby", NULL};
	char *s, loc[400];
	struct run r;

	cli(ARGS("log", "1", "replayed"));
	pair_do("caught-up");
	snprintf(loc, sizeof loc, "postgresql:///warroom?host=%s/s&user=itui",
	         pair);
	snprintf(db, sizeof db, "%s", loc);
	start("a", 160, 32, NULL);
	s = wait_for("a", "read-only standby, data as of", 3000);
	cr_assert_not_null(strstr(s, "replayed"), "%s", s);
	free(s);
	tmux("send-keys -t a i");
	free(wait_for("a", "is a standby server, which only reads", 2000));
	argv[1] = loc;
	r = run_bin(home, NULL, NULL, argv);
	cr_assert_eq(r.status, 1, "%s", r.err);
	cr_assert_not_null(strstr(r.err, "is a standby server"), "%s", r.err);
	run_free(&r);
}

/*
 * Acceptance 7 of issue 10: 20 command-line writers on 5 incidents, the
 * primary killed -9 mid-run with a synchronous standby promoted; no write
 * whose command said it succeeded is missing afterwards.  The scenario is
 * bench/pg-failover.sh's, smaller (it judges loss, not speed).
 */
Test(failover_sync_pg, no_acknowledged_write_is_lost_when_the_primary_is_killed,
     .timeout = 90)
{
	char cmd[1400], *dir = tmpdir_make();
	int status;

	snprintf(cmd, sizeof cmd,
	         "BENCH_PER=12 BENCH_KILL_AFTER=1 '%s/bench/pg-failover.sh'"
	         " '%s' >'%s/failover.out' 2>&1",
	         src_dir(), bin_path(), dir);
	status = system(cmd);
	snprintf(cmd, sizeof cmd, "cat '%s/failover.out' >&2", dir);
	if (status != 0)
		(void)!system(cmd);
	tmpdir_remove(dir);
	cr_assert_eq(status, 0, "bench/pg-failover.sh found a lost write");
}

Test(tui, search_next_and_previous_match)
{
	char *s, *d;

	cli(ARGS("log", "1", "alpha one"));
	cli(ARGS("log", "1", "beta"));
	cli(ARGS("log", "1", "alpha two"));
	cli(ARGS("log", "1", "alpha three"));
	start("a", 80, 24, NULL);
	free(wait_for("a", "alpha three", 2000));
	tmux("send-keys -t a Tab /");
	type_line("a", "alpha");
	free(wait_for("a", "match 1 of 3", 2000));
	tmux("send-keys -t a n");
	free(wait_for("a", "match 2 of 3", 2000));
	tmux("send-keys -t a N");
	s = wait_for("a", "match 1 of 3", 2000);
	cr_assert_null(strstr(s, "Title:"), "n declared an incident:\n%s", s);
	free(s);
	tmux("send-keys -t a p");
	cr_assert_eq(
	    wait_sql("SELECT count(*) FROM entries WHERE pinned", 1, 3000), 1);
	d = sql1(db, "SELECT text FROM entries WHERE pinned");
	cr_assert_str_eq(d, "alpha one");
	free(d);
	/* Declaring keeps a key of its own. */
	tmux("send-keys -t a D");
	free(wait_for("a", "Title:", 2000));
}

Test(tui, half_pages_in_the_timeline_and_an_overlay)
{
	char text[32];
	int i;

	for (i = 1; i <= 30; i++) {
		snprintf(text, sizeof text, "entry %02d", i);
		cli(ARGS("log", "1", text));
		snprintf(text, sizeof text, "item %02d", i);
		cli(ARGS("action", "add", "1", text));
	}
	start("a", 80, 24, NULL);
	free(wait_for("a", "entry 30", 2000));
	/* The timeline: half a page up, pinned there, and back down. */
	tmux("send-keys -t a Tab C-u p");
	cr_assert_eq(
	    wait_sql("SELECT count(*) FROM entries WHERE pinned", 1, 3000), 1);
	/* Adding the items logged entries too: count rows below the pin. */
	cr_assert_geq(sql_int(db, "SELECT count(*) FROM entries e, entries p"
	                          " WHERE p.pinned AND e.id > p.id"),
	              2, "C-u moved one line or none");
	tmux("send-keys -t a C-d p");
	cr_assert_eq(
	    wait_sql("SELECT count(*) FROM entries WHERE pinned", 2, 3000), 2);
	cr_assert_eq(sql_int(db, "SELECT pinned FROM entries ORDER BY id DESC"
	                         " LIMIT 1"),
	             1, "C-d did not come back to the newest entry");
	free(wait_for("a", "+27 more action items (T lists them)", 2000));
	/* The action items overlay: 18 rows, so half a page is 9. */
	tmux("send-keys -t a T");
	free(wait_for("a", "item 01", 2000));
	tmux("send-keys -t a C-d x");
	cr_assert_eq(wait_sql("SELECT count(*) FROM action_items WHERE"
	                      " state = 'done'",
	                      1, 3000),
	             1);
	{
		char *d = sql1(db, "SELECT text FROM action_items WHERE"
		                   " state = 'done'");

		cr_assert_str_eq(d, "item 10");
		free(d);
	}
	tmux("send-keys -t a C-u x");
	cr_assert_eq(wait_sql("SELECT count(*) FROM action_items WHERE"
	                      " state = 'done' AND text = 'item 01'",
	                      1, 3000),
	             1);
	/* The overlay stayed open through it all. */
	free(wait_for("a", "item 01", 2000));
}

Test(tui, command_line_history_completion_and_quit)
{
	char *s, *d;

	start("a", 80, 24, NULL);
	free(wait_for("a", "INC-1", 2000));
	tmux("send-keys -t a :");
	type_line("a", "status identified");
	free(wait_for("a", "identified", 2000));
	tmux("send-keys -t a :");
	type_line("a", "status monitoring");
	cr_assert_eq(wait_sql("SELECT count(*) FROM incidents WHERE status ="
	                      " 'monitoring'",
	                      1, 3000),
	             1);
	/* Up twice: the line before the last one. */
	tmux("send-keys -t a : Up Up");
	free(wait_for("a", ": status identified", 2000));
	tmux("send-keys -t a Enter");
	cr_assert_eq(wait_sql("SELECT count(*) FROM incidents WHERE status ="
	                      " 'identified'",
	                      1, 3000),
	             1);
	/* Tab completes the verb, then cycles through the levels. */
	tmux("send-keys -t a :");
	tmux("send-keys -t a -l sever");
	tmux("send-keys -t a Tab");
	free(wait_for("a", ": severity", 2000));
	tmux("send-keys -t a -l ' P'");
	tmux("send-keys -t a Tab");
	free(wait_for("a", ": severity P0", 2000));
	tmux("send-keys -t a Tab Tab");
	free(wait_for("a", ": severity P2", 2000));
	tmux("send-keys -t a Enter");
	cr_assert_eq(wait_sql("SELECT count(*) FROM incidents WHERE severity ="
	                      " 'P2'",
	                      1, 3000),
	             1);
	d = sql1(db, "SELECT status FROM incidents");
	cr_assert_str_eq(d, "identified");
	free(d);
	tmux("send-keys -t a :");
	type_line("a", "q");
	s = wait_for("a", ":TTY", 3000);
	cr_assert_not_null(strstr(s, "EXIT=0"), "%s", s);
	free(s);
}

Test(tui, status_role_and_severity_from_menus)
{
	char *s, *d;

	start("a", 80, 24, NULL);
	free(wait_for("a", "INC-1", 2000));
	/* The next status is highlighted; Right moves one on. */
	tmux("send-keys -t a s");
	s = wait_for("a", "Status of INC-1:", 2000);
	cr_assert_not_null(strstr(s, "investigating identified mitigating"
	                             " monitoring resolved closed"),
	                   "%s", s);
	free(s);
	tmux("send-keys -t a Right Enter");
	cr_assert_eq(wait_sql("SELECT count(*) FROM incidents WHERE status ="
	                      " 'mitigating'",
	                      1, 3000),
	             1);
	/* A first letter (or more) picks; the free form still works. */
	tmux("send-keys -t a s");
	free(wait_for("a", "Status of INC-1:", 2000));
	tmux("send-keys -t a -l mo");
	tmux("send-keys -t a Enter");
	cr_assert_eq(wait_sql("SELECT count(*) FROM incidents WHERE status ="
	                      " 'monitoring'",
	                      1, 3000),
	             1);
	/* Every role fits the 80-column prompt. */
	tmux("send-keys -t a r");
	s = wait_for("a", "Role on INC-1:", 2000);
	cr_assert_not_null(strstr(s, "commander tech-lead comms-lead scribe"),
	                   "%s", s);
	free(s);
	tmux("send-keys -t a Down Enter");
	free(wait_for("a", "tech-lead of INC-1", 2000));
	type_line("a", "bob");
	cr_assert_eq(wait_sql("SELECT count(*) FROM role_assignments WHERE"
	                      " role = 'tech-lead' AND person = 'bob' AND"
	                      " ended_at IS NULL",
	                      1, 3000),
	             1);
	/* Severity: the current level is highlighted; Left is one up. */
	tmux("send-keys -t a v");
	free(wait_for("a", "Severity of INC-1:", 2000));
	tmux("send-keys -t a Left Enter");
	cr_assert_eq(wait_sql("SELECT count(*) FROM incidents WHERE severity ="
	                      " 'P0'",
	                      1, 3000),
	             1);
	d = sql1(db, "SELECT status FROM incidents");
	cr_assert_str_eq(d, "monitoring");
	free(d);
}

/*
 * Waits until `n` cut-off dashboards have left their unsent files and
 * exited (a file of a live process is not taken).
 */
static void
wait_cut_off(int n)
{
	long end = ms_now() + 5000;
	char dir[700];

	snprintf(dir, sizeof dir, "%s/state/incident-tui", home);
	for (;;) {
		DIR *d = opendir(dir);
		struct dirent *de;
		int done = 0;

		while (d != NULL && (de = readdir(d)) != NULL) {
			const char *p = strrchr(de->d_name, '-');

			if (strncmp(de->d_name, "unsent-", 7) == 0 &&
			    p != NULL && kill((pid_t)atol(p + 1), 0) != 0)
				done++;
		}
		if (d != NULL)
			closedir(d);
		if (done >= n)
			return;
		cr_assert_lt(ms_now(), end, "%d of %d dashboards left text",
		             done, n);
		usleep(30000);
	}
}

Test(tui, a_hang_up_keeps_edits_prompts_and_both_terminals_drafts)
{
	char *s;

	cli(ARGS("log", "1", "the original text"));
	start("a", 80, 24, NULL);
	start("b", 80, 24, NULL);
	start("c", 80, 24, NULL);
	/* a and b: the same person's input line on the same incident. */
	open_line("a", "[note] INC-1>");
	tmux("send-keys -t a -l 'draft typed in A'");
	open_line("b", "[note] INC-1>");
	tmux("send-keys -t b -l 'draft typed in B'");
	free(wait_for("b", "draft typed in B", 2000));
	/* c: a new incident's title is answered, its severity asked. */
	tmux("send-keys -t c D");
	free(wait_for("c", "Title:", 2000));
	type_line("c", "Search is down");
	free(wait_for("c", "Severity:", 2000));
	tmux("kill-session -t a");
	tmux("kill-session -t b");
	tmux("kill-session -t c");
	cr_assert_eq(wait_sql("SELECT count(*) FROM drafts", 1, 5000), 1);
	wait_cut_off(3);
	start("d", 80, 24, NULL);
	s = wait_for("d", "cut off", 3000);
	/* The draft row holds one; the other and the title are shown. */
	cr_assert(strstr(s, "draft typed in A") != NULL ||
	              strstr(s, "draft typed in B") != NULL,
	          "%s", s);
	cr_assert_not_null(strstr(s, "Search is down"), "%s", s);
	free(s);
	{
		char *row = sql1(db, "SELECT text FROM drafts");
		const char *other = strcmp(row, "draft typed in A") == 0
		                        ? "draft typed in B"
		                        : "draft typed in A";

		s = screen("d");
		cr_assert_not_null(strstr(s, other),
		                   "the other terminal's text is lost:\n%s", s);
		free(s);
		free(row);
	}
	/* Shown once: the next start has nothing more to show. */
	tmux("send-keys -t d q");
	tmux("send-keys -t d q");
	free(wait_for("d", ":TTY", 3000));
	start("e", 80, 24, NULL);
	free(wait_for("e", "restored your unsent draft", 3000));
}

Test(tui, a_hang_up_keeps_an_entry_being_edited)
{
	char *s;

	cli(ARGS("log", "1", "the original text"));
	start("a", 80, 24, NULL);
	free(wait_for("a", "the original text", 2000));
	tmux("send-keys -t a Tab G e");
	free(wait_for("a", "edit [note] INC-1>", 2000));
	tmux("send-keys -t a -l ' and what I added'");
	free(wait_for("a", "and what I added", 2000));
	tmux("kill-session -t a");
	wait_cut_off(1);
	start("b", 80, 24, NULL);
	s = wait_for("b", "Your edit of E-", 5000);
	cr_assert_not_null(strstr(s, "the original text and what I added"),
	                   "%s", s);
	free(s);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM entries WHERE text LIKE"
	                         " '%what I added'"),
	             0, "nothing was changed");
}

/*
 * Issue 12's scripted scribe: 50 entries at 80x24 take the text and Enter
 * each, one key per change of kind, and `i` once for the whole session.
 */
Test(tui, a_scribe_logs_50_entries_with_one_key_per_kind_change)
{
	static const struct {
		int n;
		const char *change; /* the key before this run, or NULL */
		const char *kind;
	} plan[] = {{15, NULL, "note"},
	            {5, "Tab", "decision"},
	            {5, "Tab", "action"},
	            {5, "BTab", "decision"},
	            {20, "BTab", "note"}};
	struct strbuf want = STRBUF_INIT;
	int extra = 0, entries = 0;
	size_t p;
	char *got;

	start("a", 80, 24, NULL);
	free(wait_for("a", "INC-1", 2000));
	tmux("send-keys -t a i");
	extra++;
	for (p = 0; p < sizeof plan / sizeof plan[0]; p++) {
		int i;

		if (plan[p].change != NULL) {
			tmux("send-keys -t a %s", plan[p].change);
			extra++;
		}
		for (i = 0; i < plan[p].n; i++) {
			char text[48];

			snprintf(text, sizeof text, "scribe entry %02d",
			         ++entries);
			type_line("a", text);
			strbuf_addf(&want, "%s%s", want.len ? "," : "",
			            plan[p].kind);
		}
	}
	cr_assert_eq(wait_sql("SELECT count(*) FROM entries WHERE text LIKE"
	                      " 'scribe entry %'",
	                      50, 10000),
	             50);
	got =
	    sql1(db, "SELECT group_concat(kind) FROM (SELECT kind FROM"
	             " entries WHERE text LIKE 'scribe entry %' ORDER BY id)");
	cr_assert_str_eq(got, strbuf_str(&want));
	free(got);
	/* `i` once, then one key per change of kind (4). */
	cr_assert_eq(extra, 1 + 4);
	/* The line is still open for the 51st. */
	free(wait_for("a", "[note] INC-1>", 2000));
	strbuf_free(&want);
}

Test(tui, a_terminal_too_small_says_so_in_full)
{
	char *s;

	start("a", 80, 24, NULL);
	free(wait_for("a", "INC-1", 2000));
	tmux("resize-window -t a -x 30 -y 8");
	s = wait_for("a", "too small", 3000);
	/* Wrapped at 30 columns, every word of it is there. */
	cr_assert_not_null(strstr(s, "40"), "%s", s);
	cr_assert_not_null(strstr(s, "10 rows at"), "%s", s);
	cr_assert_not_null(strstr(s, "least"), "%s", s);
	free(s);
	tmux("resize-window -t a -x 80 -y 24");
	free(wait_for("a", "Checkout errors", 3000));
}

Test(tui, the_top_bar_counts_breached_clocks)
{
	char *s, *nl;

	start("a", 80, 24, NULL);
	s = wait_for("a", "INC-1", 2000);
	cr_assert_null(strstr(s, "BREACHED"), "%s", s);
	free(s);
	cli(ARGS("declare", "--severity", "P1", "--title", "Long ignored",
	         "--at", "-3h"));
	s = wait_for("a", "Long ignored", 3000);
	nl = strchr(s, '\n');
	*nl = '\0';
	cr_assert_not_null(strstr(s, " BREACHED"), "top bar: %s", s);
	free(s);
}

Test(tui, completion_knows_who_has_the_database_open)
{
	char *d;

	start("a", 100, 30, NULL);
	start("b", 100, 30, "INCIDENT_TUI_USER=zora");
	/* zora never held a role or an item: she only has it open. */
	free(wait_for("a", "with zora", 5000));
	tmux("send-keys -t a r Enter");
	free(wait_for("a", "commander of INC-1", 2000));
	tmux("send-keys -t a -l zo");
	tmux("send-keys -t a Tab");
	free(wait_for("a", "(Tab completes): zora", 2000));
	tmux("send-keys -t a Enter");
	cr_assert_eq(wait_sql("SELECT count(*) FROM role_assignments WHERE"
	                      " role = 'commander' AND person = 'zora'",
	                      1, 3000),
	             1);
	d = sql1(db, "SELECT person FROM role_assignments WHERE ended_at IS"
	             " NULL");
	cr_assert_str_eq(d, "zora");
	free(d);
}

/* SGR (1006) reports: a click past column 223, where X10's cannot reach. */
Test(tui, a_click_past_column_223_selects_the_entry)
{
	char seq[48];
	int y;

	cli(ARGS("log", "1", "far right target"));
	cli(ARGS("log", "1", "the newest entry"));
	start("a", 240, 30, NULL);
	free(wait_for("a", "the newest entry", 3000));
	y = row_of("a", "far right target");
	cr_assert_geq(y, 0);
	snprintf(seq, sizeof seq, "\033[<0;231;%dM\033[<0;231;%dm", y + 1,
	         y + 1);
	tmux("send-keys -t a -l '%s'", seq);
	tmux("send-keys -t a p");
	cr_assert_eq(wait_sql("SELECT count(*) FROM entries WHERE pinned AND"
	                      " text = 'far right target'",
	                      1, 3000),
	             1);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM entries WHERE pinned"),
	             1);
}

Test(tui, the_prompt_names_the_zone_a_time_is_read_in)
{
	char hm[8], line[64], *s;
	time_t now = time(NULL);
	struct tm tm;

	write_config("timezone = Europe/Berlin\n");
	start("a", 80, 24, NULL);
	open_line("a", "[note] INC-1 (Europe/Berlin)>");
	setenv("TZ", ":Europe/Berlin", 1);
	tzset();
	localtime_r(&now, &tm);
	strftime(hm, sizeof hm, "%H:%M", &tm);
	snprintf(line, sizeof line, "%s read in Berlin", hm);
	type_line("a", line);
	/* The minute may start before the declaration: then it asks. */
	for (long end = ms_now() + 3000;; usleep(30000)) {
		s = screen("a");
		if (strstr(s, "log it there?") != NULL)
			tmux("send-keys -t a y");
		if (strstr(s, "log it there?") != NULL ||
		    strstr(s, "(Esc closes the line)") != NULL ||
		    ms_now() > end) {
			free(s);
			break;
		}
		free(s);
	}
	cr_assert_eq(wait_sql("SELECT count(*) FROM entries WHERE text ="
	                      " 'read in Berlin'",
	                      1, 3000),
	             1);
	cr_assert_eq(sql_int(db, "SELECT abs(at - recorded_at) < 120 FROM"
	                         " entries WHERE text = 'read in Berlin'"),
	             1, "HH:MM was not read in Europe/Berlin");
}

/*
 * Issue 16: a terminal that goes away without a hang-up signal (the
 * dashboard in a session of its own, so no SIGHUP reaches it) still ends
 * the dashboard, with what was typed kept.
 */
Test(tui, a_lost_terminal_ends_the_dashboard_and_keeps_the_text)
{
	char *d;

	start("a", 80, 24, "setsid -w");
	open_line("a", "[note] INC-1>");
	tmux("send-keys -t a -l 'typed before the terminal vanished'");
	free(wait_for("a", "terminal vanished", 2000));
	tmux("kill-server");
	/* Its file appears and its process is gone: it exited by itself. */
	wait_cut_off(1);
	d = sql1(db, "SELECT text FROM drafts");
	cr_assert_str_eq(d, "typed before the terminal vanished");
	free(d);
}

/* Issue 12: opening the handoff is no look; l in the view records one. */
Test(tui, the_handoff_look_is_recorded_only_when_confirmed)
{
	start("a", 100, 30, NULL);
	free(wait_for("a", "INC-1", 2000));
	tmux("send-keys -t a H");
	free(wait_for("a", "Handoff (t: since, l: count it as read)", 3000));
	usleep(300000);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM last_looks"), 0,
	             "opening the view counted as a look");
	tmux("send-keys -t a l");
	free(wait_for("a", "look recorded at", 3000));
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM last_looks WHERE"
	                         " user = 'tess'"),
	             1);
	/* The view stays open. */
	free(wait_for("a", "Handoff (t: since, l: count it as read)", 2000));
}

static int
bell_rang(const char *session)
{
	char cmd[800], out[16] = "";
	FILE *p;

	snprintf(cmd, sizeof cmd,
	         "tmux -S '%s' display -p -t %s:0 '#{window_bell_flag}'", sock,
	         session);
	p = popen(cmd, "r");
	if (p != NULL) {
		(void)!fgets(out, sizeof out, p);
		pclose(p);
	}
	return out[0] == '1';
}

Test(tui, the_bell_rings_for_a_new_top_severity_incident)
{
	const char *path;
	struct run r;
	long end;

	path = write_home_file("bad.ini", "bell = loud\n");
	r = run_bin(home, NULL, NULL,
	            ARGS("--config", path, "--db", db, "list"));
	cr_assert_eq(r.status, 2);
	cr_assert_not_null(strstr(r.err, "bell: 'loud' is not new-p0"), "%s",
	                   r.err);
	run_free(&r);
	write_config("bell = new-p0\n");
	start("a", 80, 24, NULL);
	free(wait_for("a", "INC-1", 2000));
	usleep(1500000);
	cr_assert(!bell_rang("a"), "rang for what was already there");
	/* The home's config is a file now: name one for the command line. */
	path = write_home_file("empty.ini", "");
	cli(ARGS("--config", path, "declare", "--severity", "P2", "--title",
	         "Minor thing"));
	free(wait_for("a", "Minor thing", 3000));
	usleep(1500000);
	cr_assert(!bell_rang("a"), "rang for a P2");
	cli(ARGS("--config", path, "declare", "--severity", "P0", "--title",
	         "Everything down"));
	free(wait_for("a", "Everything down", 3000));
	for (end = ms_now() + 3000; !bell_rang("a") && ms_now() < end;)
		usleep(50000);
	cr_assert(bell_rang("a"), "no bell for a new P0");
}

/*
 * Issue 12: one clock format (mm:ss under an hour, h:mm under a day,
 * negative once breached), the escalation clock naming its tier and whom it
 * reaches, alike in the dashboard, its handoff view, show and --json.
 */
#define ARROW "\xe2\x86\x92"
Test(tui, one_clock_format_in_the_dashboard_show_handoff_and_json)
{
	char *s, *out;

	start("a", 200, 40, NULL);
	/* INC-1, a P1 just declared: respond 1h, tier 2 after 6h. */
	s = wait_for("a", "tier 2 " ARROW " engineering manager in 5:59", 3000);
	cr_assert(strstr(s, "acknowledge 59:") || strstr(s, "acknowledge 1:00"),
	          "%s", s);
	free(s);
	cli(ARGS("declare", "--severity", "P1", "--title", "Backdated one",
	         "--at", "-4h24m"));
	free(wait_for("a", "Backdated one", 3000));
	tmux("send-keys -t a H");
	/* The handoff lists INC-2 with its most urgent clock, breached
	 * (the whole frame: under ASan the row came before its title). */
	s = wait_settled("a", "acknowledge -3:24 (breached)", 3000);
	cr_assert_not_null(strstr(s, "Backdated one"), "%s", s);
	free(s);
	out = cli_out(ARGS("show", "2"));
	cr_assert_not_null(strstr(out, "acknowledge -3:24 (breached)"), "%s",
	                   out);
	cr_assert_not_null(strstr(out, "update -2:24 (breached)"), "%s", out);
	/* --at -4h24m is read to the minute: 1:35 or 1:36 left. */
	cr_assert(strstr(out, "resolve 19:35") || strstr(out, "resolve 19:36"),
	          "%s", out);
	cr_assert(
	    strstr(out, "tier 2 " ARROW " engineering manager in 1:35") ||
	        strstr(out, "tier 2 " ARROW " engineering manager in 1:36"),
	    "%s", out);
	free(out);
	out = cli_out(ARGS("show", "2", "--json"));
	/* The JSON is ASCII: the arrow is escaped. */
	cr_assert(strstr(out, "\"text\": \"tier 2 \\u2192"
	                      " engineering manager in 1:35\"") ||
	              strstr(out, "\"text\": \"tier 2 \\u2192"
	                          " engineering manager in 1:36\""),
	          "%s", out);
	cr_assert_not_null(
	    strstr(out, "\"text\": \"acknowledge -3:24 (breached)\""), "%s",
	    out);
	free(out);
}

/*
 * Issue 12: an incident declared from an alert was detected when the alert
 * started firing (startsAt), and the postmortem and stats say so; stats
 * count the peak severity beside the current one.
 */
/* An Alertmanager webhook with one firing alert, started at t0. */
static void
ingest_alert(const char *name, time_t t0)
{
	char payload[1024], starts[32];
	const char *argv[] = {"--db", db, "ingest", "alertmanager", NULL};
	struct tm tm;
	struct run r;

	gmtime_r(&t0, &tm);
	strftime(starts, sizeof starts, "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(payload, sizeof payload,
	         "{\"receiver\":\"hook\",\"status\":\"firing\",\"alerts\":"
	         "[{\"status\":\"firing\",\"labels\":{\"alertname\":"
	         "\"%s\",\"severity\":\"page\"},\"annotations\":"
	         "{\"summary\":\"%s fired\"},\"startsAt\":\"%s\","
	         "\"endsAt\":\"0001-01-01T00:00:00Z\",\"fingerprint\":"
	         "\"%s\"}],\"groupKey\":\"{}:{alertname=\\\"%s\\\"}\","
	         "\"version\":\"4\"}",
	         name, name, starts, name, name);
	r = run_bin(home, payload, NULL, argv);
	cr_assert_eq(r.status, 0, "%s", r.err);
	run_free(&r);
}

Test(tui, an_incident_from_an_alert_is_detected_at_the_alerts_start)
{
	time_t t0 = time(NULL) - 17 * 60;
	char *s;

	ingest_alert("CartDown", t0);
	start("a", 160, 40, NULL);
	tmux("send-keys -t a A");
	free(wait_for("a", "CartDown", 3000));
	tmux("send-keys -t a Enter");
	free(wait_for("a", "Severity", 3000));
	tmux("send-keys -t a -l P1");
	tmux("send-keys -t a Enter");
	free(wait_for("a", "Service (optional):", 3000));
	tmux("send-keys -t a Enter");
	free(wait_for("a", "declared INC-2", 3000));
	free(wait_for("a", "(detected 17m before)", 3000));
	cr_assert_eq(sql_int(db, "SELECT detected_at FROM incidents WHERE"
	                         " id = 2"),
	             (long long)t0);
	s = cli_out(ARGS("postmortem", "2"));
	cr_assert_not_null(
	    strstr(s, "(the alert's start, 17m before the declaration)"), "%s",
	    s);
	cr_assert_not_null(strstr(s, "- Peak severity: P1\n"), "%s", s);
	free(s);
	/* Upgraded and downgraded again: stats count it at its peak. */
	cli(ARGS("severity", "2", "P0"));
	cli(ARGS("severity", "2", "P2"));
	tmux("send-keys -t a S");
	s = wait_settled("a", "now peak", 3000);
	cr_assert_not_null(strstr(s, "P0        0    1"), "%s", s);
	free(s);
	s = cli_out(ARGS("postmortem", "2"));
	cr_assert_not_null(strstr(s, "- Peak severity: P0 (now P2)\n"), "%s",
	                   s);
	free(s);
}

/* Occurrences of needle in s. */
static int
count_of(const char *s, const char *needle)
{
	int n = 0;

	for (; (s = strstr(s, needle)) != NULL; s += strlen(needle))
		n++;
	return n;
}

/*
 * Issue 12: the update's "for 24m" is the time in the current status; the
 * status page lists each change once (identified and mitigating are both
 * Identified there); once resolved, no message speaks of an update clock.
 */
Test(tui, update_wording_counts_the_status_and_forgets_the_clock_resolved)
{
	char *s;

	cli(ARGS("declare", "--severity", "P0", "--title", "Pay outage", "--at",
	         "-2h"));
	cli(ARGS("status", "2", "identified", "--at", "-90m"));
	cli(ARGS("status", "2", "mitigating", "--at", "-60m"));
	cli(ARGS("status", "2", "monitoring", "--at", "-24m"));
	start("a", 120, 40, NULL);
	free(wait_for("a", "INC-2 P0 monitoring Pay outage", 3000));
	tmux("send-keys -t a u");
	free(wait_for("a", "Template for INC-2:", 3000));
	tmux("send-keys -t a -l up");
	tmux("send-keys -t a Enter");
	s = wait_settled("a", "Status: monitoring (for 24m)", 3000);
	cr_assert_not_null(strstr(s, "Next update by "), "%s", s);
	free(s);
	tmux("send-keys -t a Escape");
	wait_gone("a", "Status: monitoring (for", 3000);
	tmux("send-keys -t a u");
	free(wait_for("a", "Template for INC-2:", 3000));
	tmux("send-keys -t a -l st");
	tmux("send-keys -t a Enter");
	s = wait_settled("a", "Timeline:", 3000);
	cr_assert_eq(count_of(s, "Identified"), 1, "%s", s);
	cr_assert_eq(count_of(s, "Monitoring"), 2,
	             "the page's line and its"
	             " change: %s",
	             s);
	free(s);
	tmux("send-keys -t a Escape");
	wait_gone("a", "Timeline:", 3000);
	cli(ARGS("status", "2", "resolved"));
	free(wait_for("a", "INC-2 P0 resolved", 3000));
	tmux("send-keys -t a u");
	free(wait_for("a", "Template for INC-2:", 3000));
	tmux("send-keys -t a -l up");
	tmux("send-keys -t a Enter");
	s = wait_settled("a", "This incident is resolved.", 3000);
	cr_assert_null(strstr(s, "Next update"), "%s", s);
	free(s);
	tmux("send-keys -t a s");
	s = wait_for("a", "marked as sent (INC-2 is resolved)", 3000);
	cr_assert_null(strstr(s, "update clock"), "%s", s);
	free(s);
	s = sql1(db, "SELECT text FROM entries WHERE incident_id = 2 AND kind"
	             " = 'comms' AND json_extract(data, '$.template') ="
	             " 'update'");
	cr_assert_not_null(strstr(s, "This incident is resolved."), "%s", s);
	cr_assert_null(strstr(s, "Next update"), "%s", s);
	free(s);
	s = cli_out(ARGS("update", "2", "--template", "executive"));
	cr_assert_null(strstr(s, "update met"), "%s", s);
	cr_assert_null(strstr(s, "update -"), "%s", s);
	free(s);
}

/* Issue 12: the top bar counts firing alerts that no incident has taken. */
Test(tui, the_top_bar_counts_alerts_on_no_incident)
{
	char *s, *nl;

	start("a", 120, 30, NULL);
	s = wait_for("a", "INC-1", 2000);
	cr_assert_null(strstr(s, "ALERT"), "%s", s);
	free(s);
	ingest_alert("DiskFull", time(NULL) - 60);
	ingest_alert("QueueLag", time(NULL) - 60);
	s = wait_for("a", " 2 ALERTS ", 3000);
	nl = strchr(s, '\n');
	*nl = '\0';
	cr_assert_not_null(strstr(s, "incident-tui"), "top bar: %s", s);
	free(s);
	cli(ARGS("declare", "--alert", "AL-1", "--severity", "P2"));
	free(wait_for("a", " 1 ALERT ", 3000));
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM alerts WHERE"
	                         " incident_id IS NULL AND state = 'firing'"),
	             1);
	cli(ARGS("attach", "AL-2", "INC-1"));
	wait_gone("a", " 1 ALERT ", 3000);
}

/*
 * Issue 12: a handoff recorded from the dashboard (:handoff NAME NOTE...)
 * offers to pass on the roles held; the incoming person's handoff view has
 * it, with the whole note, at the top, and a "since" menu (t).
 */
Test(tui, a_handoff_from_the_dashboard_moves_roles_and_heads_the_view)
{
	static const char note[] =
	    "db failover done at 14:02, replica lag is the open question, "
	    "watch the p99 of checkout before you sleep";
	char line[300], *s, *d, *handed, *active;

	cli(ARGS("assign", "1", "commander", "tess"));
	start("a", 160, 40, NULL);
	free(wait_for("a", "IC tess", 3000));
	tmux("send-keys -t a :");
	free(wait_for("a", ":", 2000));
	snprintf(line, sizeof line, "handoff erin %s", note);
	type_line("a", line);
	free(wait_for("a", "Pass IC INC-1 to erin too?", 3000));
	tmux("send-keys -t a Enter");
	free(wait_for("a",
	              "handoff to erin recorded on 1 active incident; 1 role"
	              " moved to erin",
	              3000));
	d = sql1(db, "SELECT from_user || '|' || to_user || '|' || note FROM"
	             " handoffs");
	snprintf(line, sizeof line, "tess|erin|%s", note);
	cr_assert_str_eq(d, line);
	free(d);
	d = sql1(db, "SELECT person FROM role_assignments WHERE role ="
	             " 'commander' AND ended_at IS NULL");
	cr_assert_str_eq(d, "erin");
	free(d);
	free(wait_for("a", "IC erin", 3000));
	/* Erin's view opens with what was handed to her, note whole: at 80
	 * columns it is wrapped, not cut. */
	start("b", 80, 24, "INCIDENT_TUI_USER=erin");
	tmux("send-keys -t b H");
	s = wait_settled("b", "HANDED TO YOU", 3000);
	handed = strstr(s, "HANDED TO YOU");
	active = strstr(s, "ACTIVE INCIDENTS");
	cr_assert(active != NULL && handed < active, "%s", s);
	cr_assert_not_null(strstr(handed, "From tess at "), "%s", s);
	cr_assert_not_null(strstr(handed, "  db failover done at 14:02, replica"
	                                  " lag is the open question, watch the"
	                                  " "),
	                   "%s", s);
	cr_assert_not_null(strstr(handed, "  p99 of checkout before you sleep"),
	                   "%s", s);
	free(s);
	/* Since: a menu; the summary is read again from then, no look. */
	tmux("send-keys -t b t");
	free(wait_for("b", "Changes since:", 2000));
	tmux("send-keys -t b -l 7d");
	tmux("send-keys -t b Enter");
	s = wait_settled("b", "Handoff since 7d", 3000);
	cr_assert_not_null(strstr(s, "(--since)"), "%s", s);
	free(s);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM last_looks"), 0,
	             "choosing since counted as a look");
	/* Keep: the handoff without the roles. */
	tmux("send-keys -t b Escape");
	cli(ARGS("assign", "1", "scribe", "erin"));
	free(wait_for("b", "Scribe erin", 3000));
	tmux("send-keys -t b :");
	type_line("b", "handoff tess back to you");
	/* At 80 columns the question and both choices fit. */
	free(wait_for("b", "Pass IC INC-1, Scribe INC-1 to tess too? move keep",
	              3000));
	tmux("send-keys -t b Right Enter");
	free(wait_for("b", "handoff to tess recorded on 1 active incident",
	              3000));
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM role_assignments WHERE"
	                         " person = 'erin' AND ended_at IS NULL"),
	             2);
}

/*
 * Issue 11, acceptance 3 in the A pane: 2,000 warnings of a storm, then
 * one critical alert, pushed as Alertmanager sends them; the critical one
 * is the pane's first row, and the pane holds the storm too (no cap).
 */
Test(tui, the_critical_alert_heads_the_a_pane_in_a_storm)
{
	const char *argv[] = {"--db", db, "ingest", "alertmanager", NULL};
	size_t cap = 1 << 20, n = 0;
	char *p = malloc(cap), *s, *first;
	struct run r;
	int i;

	n += (size_t)snprintf(p + n, cap - n,
	                      "{\"receiver\":\"hook\",\"status\":\"firing\","
	                      "\"version\":\"4\",\"alerts\":[");
	for (i = 0; i < 2000; i++)
		n += (size_t)snprintf(
		    p + n, cap - n,
		    "{\"status\":\"firing\",\"labels\":{\"alertname\":\"Storm\","
		    "\"severity\":\"warning\",\"instance\":\"node-%d\"},"
		    "\"startsAt\":\"2026-12-03T10:00:00Z\",\"fingerprint\":"
		    "\"%016x\"},",
		    i, i + 1);
	n += (size_t)snprintf(
	    p + n, cap - n,
	    "{\"status\":\"firing\",\"labels\":{\"alertname\":"
	    "\"PaymentsDown\",\"severity\":\"critical\"},\"annotations\":"
	    "{\"summary\":\"payments down\"},\"startsAt\":"
	    "\"2026-12-03T09:00:00Z\",\"fingerprint\":\"ffff000000000001\"}]}");
	r = run_bin(home, p, NULL, argv);
	cr_assert_eq(r.status, 0, "%s", r.err);
	run_free(&r);
	free(p);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM alerts"), 2001);
	start("a", 140, 30, NULL);
	tmux("send-keys -t a A");
	s = wait_for("a", "PaymentsDown", 3000);
	free(s);
	s = wait_for("a", "Storm", 3000);
	/* The first alert row under the pane's title is the critical one. */
	first = strstr(s, "AL-");
	cr_assert_not_null(first, "%s", s);
	cr_assert(strstr(first, "PaymentsDown") != NULL &&
	              strstr(first, "PaymentsDown") < strchr(first, '\n'),
	          "first row: %s", s);
	free(s);
}

/* The screen with every digit as '#': what a tick may change. */
static char *
masked_screen(const char *session)
{
	char *s = screen(session), *p;

	for (p = s; *p != '\0'; p++)
		if (*p >= '0' && *p <= '9')
			*p = '#';
	return s;
}

/*
 * A tick redraws the bars, the list and the incident's head but leaves
 * the timeline's rows (issue 17): after a few ticks the screen is what
 * a full frame draws, digits aside -- nothing stale left behind,
 * nothing of the timeline lost.  The full frame is forced by a resize
 * and back.
 */
Test(tui, a_ticks_frame_is_what_a_full_frame_draws)
{
	char *ticked, *full;

	cli(ARGS("log", "1",
	         "a long line to leave something behind if a tick "
	         "only half cleared its rows"));
	cli(ARGS("action", "add", "1", "roll back the deploy"));
	start("a", 100, 30, NULL);
	free(wait_settled("a", "roll back the deploy", 3000));
	cli(ARGS("log", "1", "the newest entry"));
	free(wait_settled("a", "the newest entry", 3000));
	usleep(2600000); /* two or three ticks, each a partial frame */
	ticked = masked_screen("a");
	/* Into the timeline and back: two full frames, nothing changed.
	 */
	tmux("send-keys -t a Tab");
	free(wait_settled("a", "Tab:next-pane", 3000));
	wait_gone("a", "Tab: select entries", 3000);
	tmux("send-keys -t a Tab");
	free(wait_settled("a", "Tab: select entries", 3000));
	full = masked_screen("a");
	cr_assert_str_eq(ticked, full,
	                 "after ticks:\n%s\nafter a full frame:\n%s", ticked,
	                 full);
	free(ticked);
	free(full);
}
