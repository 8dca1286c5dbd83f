/*
 * Playbooks and checklists: the parser and its file:line errors, the
 * shipped playbooks, steps ticked by their events in the event's own
 * transaction (checked by killing the process between the writes and the
 * commit), the check/checklist/runbook verbs, and the pure phase clock,
 * rows and phase line the dashboard draws.
 */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <criterion/criterion.h>
#include <jansson.h>

#include "harness.h"
#include "itui/checklist.h"
#include "itui/cmd-playbook.h"
#include "itui/store.h"
#include "itui/clocks.h"
#include "itui/playbook.h"
#include "itui/policy.h"

#define T0 1795521600LL /* 2026-11-24T12:00:00Z */

static char *home, db[600];

static void
setup(void)
{
	home = tmpdir_make();
	snprintf(db, sizeof db, "%s/pb.db", home);
}

static void
teardown(void)
{
	tmpdir_remove(home);
}

/* Runs the binary on the test database at a pinned time (NULL: real). */
static struct run
run_at(const char *now, const char *kill, const char *const *args)
{
	const char *argv[32] = {"--db", db};
	char envnow[64], envkill[64];
	const char *env[4] = {"INCIDENT_TUI_USER=alice", NULL, NULL, NULL};
	int n = 2, e = 1;

	while (*args)
		argv[n++] = *args++;
	argv[n] = NULL;
	if (now != NULL) {
		snprintf(envnow, sizeof envnow, "INCIDENT_TUI_NOW=%s", now);
		env[e++] = envnow;
	}
	if (kill != NULL) {
		snprintf(envkill, sizeof envkill, "INCIDENT_TUI_TEST_KILL=%s",
		         kill);
		env[e++] = envkill;
	}
	return run_bin(home, NULL, env, argv);
}

static char *
ok_at(const char *now, const char *const *args)
{
	struct run r = run_at(now, NULL, args);

	cr_assert_eq(r.status, 0, "%s: exit %d, stderr: %s", args[0], r.status,
	             r.err);
	free(r.err);
	return r.out;
}

static json_t *
checklist_of(const char *now, const char *id)
{
	char *out = ok_at(now, ARGS("checklist", id, "--json"));
	json_error_t e;
	json_t *j = json_loads(out, 0, &e);

	cr_assert_not_null(j, "checklist --json: %s\n%s", e.text, out);
	free(out);
	return j;
}

/* The step numbered num, wherever its phase. */
static json_t *
step(json_t *cl, int num)
{
	json_t *ph, *s;
	size_t i, j;

	json_array_foreach(json_object_get(cl, "phases"), i, ph)
	    json_array_foreach(
	        json_object_get(ph, "steps"), j,
	        s) if (json_integer_value(json_object_get(s, "num")) ==
	               num) return s;
	cr_assert_fail("no step %d", num);
	return NULL;
}

static const char *
sget(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* ---- the parser ---------------------------------------------------------- */

static char *
write_file(const char *name, const char *text)
{
	char *p = malloc(strlen(home) + strlen(name) + 2);
	FILE *f;

	sprintf(p, "%s/%s", home, name);
	f = fopen(p, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
	return p;
}

static void
expect_error(const char *text, int line, const char *what)
{
	char *path = write_file("bad.ini", text), want[700];
	struct playbook *pb = (struct playbook *)1;
	struct itui_err err;

	cr_assert_neq(playbook_load(path, &pb, &err), ITUI_OK);
	cr_assert_null(pb);
	snprintf(want, sizeof want, "%s:%d: %s", path, line, what);
	cr_assert_eq(strncmp(err.msg, want, strlen(want)), 0,
	             "got '%s', want '%s...'", err.msg, want);
	free(path);
}

Test(playbook, bad_files_fail_with_file_and_line, .init = setup,
     .fini = teardown)
{
	expect_error("[playbook]\nname = x\n\n[phase One]\ntimebox = 5m\n"
	             "step = Acknowledge\nevent = acked\n",
	             7, "unknown event 'acked'");
	expect_error("[phase One]\ntimebox = 5m\nstep = Ack\nstep =\n", 4,
	             "step without text");
	expect_error("[phase One]\nstep = Ack\n\n[phase Two]\ntimebox = 5m\n",
	             1, "phase 'One' has no time box");
	expect_error("[phase One]\ntimebox = 5m\nstep = A\n[phase Two]\n"
	             "step = B\n",
	             4, "phase 'Two' has no time box");
	expect_error("[phase One]\ntimebox = soon\n", 2, "timebox:");
	expect_error("[phase One]\ntimebox = 5m\nrole = commander\n", 3,
	             "'role' before any step");
	expect_error("[phase One]\ntimebox = 5m\nstep = A\nrole = boss\n", 4,
	             "unknown role 'boss'");
	expect_error("[phase One]\ntimebox = 5m\nstep = A\nno_progress = 30m\n"
	             "progress = vibes\n",
	             5, "progress: unknown 'vibes'");
	expect_error("[phase One]\ntimebox = 5m\nstep = A\nevent = role:boss\n",
	             4, "unknown event 'role:boss'");
}

Test(playbook, grammar, .init = setup, .fini = teardown)
{
	char *path = write_file(
	    "ok.ini", "[playbook]\nname = mine\n\n[phase A]\ntimebox = 5m\n"
	              "step = Ack ; comment\nevent = ack\nrole = ic\n"
	              "[phase B]\ntimebox = 10m after previous\nstep = Guard\n"
	              "event = escalated\nno_progress = 30m\n"
	              "[phase C]\ntimebox = none\nstep = Fix\n");
	struct playbook *pb;
	struct itui_err err;

	cr_assert_eq(playbook_load(path, &pb, &err), ITUI_OK, "%s", err.msg);
	cr_assert_str_eq(pb->name, "mine");
	cr_assert_eq(pb->nphases, 3);
	cr_assert_str_eq(pb->phases[0].steps[0].text, "Ack");
	cr_assert_str_eq(pb->phases[0].steps[0].role, "commander");
	cr_assert_eq(pb->phases[0].timebox, 300);
	cr_assert_eq(pb->phases[1].relative, 1);
	cr_assert_eq(pb->phases[1].timebox, 600);
	cr_assert_eq(pb->phases[1].steps[0].no_progress, 1800);
	cr_assert_str_eq(pb->phases[1].steps[0].progress, "status decision");
	cr_assert(pb->phases[2].untimed);
	playbook_free(pb);
	free(path);
}

static int
count_steps(const struct playbook *pb)
{
	size_t i;
	int n = 0;

	for (i = 0; i < pb->nphases; i++)
		n += (int)pb->phases[i].nsteps;
	return n;
}

static struct playbook *
shipped(const char *kind, const char *name)
{
	char path[1024];
	struct playbook *pb;
	struct itui_err err;

	snprintf(path, sizeof path, "%s/share/incident-tui/%s/%s.ini",
	         src_dir(), kind, name);
	cr_assert_eq(playbook_load(path, &pb, &err), ITUI_OK, "%s", err.msg);
	return pb;
}

/* Every level of both presets names a shipped playbook; lighter levels
 * have shorter lists. */
Test(playbook, presets_name_playbooks_lighter_levels_shorter)
{
	static const char *const presets[] = {"default", "sev"};
	size_t k;

	for (k = 0; k < 2; k++) {
		char path[1024];
		struct policy *p;
		struct itui_err err;
		int i, prev = 1000;

		snprintf(path, sizeof path,
		         "%s/share/incident-tui/policies/%s.ini", src_dir(),
		         presets[k]);
		cr_assert_eq(policy_load(path, &p, &err), ITUI_OK, "%s",
		             err.msg);
		for (i = 0; i < p->nlevels; i++) {
			struct playbook *pb;
			int n;

			cr_assert_neq(p->levels[i].playbook[0], '\0',
			              "%s names no playbook",
			              p->levels[i].name);
			pb = shipped("playbooks", p->levels[i].playbook);
			n = count_steps(pb);
			cr_assert_lt(n, prev,
			             "%s has %d steps, not fewer than %d",
			             p->levels[i].name, n, prev);
			prev = n;
			playbook_free(pb);
		}
		policy_free(p);
	}
}

Test(playbook, shipped_runbooks_parse)
{
	static const char *const names[] = {"database", "api-failure",
	                                    "performance"};
	struct playbook *pb;
	size_t i;

	for (i = 0; i < 3; i++) {
		pb = shipped("runbooks", names[i]);
		cr_assert_geq(count_steps(pb), 4, "%s", names[i]);
		playbook_free(pb);
	}
	pb = shipped("runbooks", "blank");
	cr_assert_eq(count_steps(pb), 0);
	playbook_free(pb);
}

Test(playbook, entry_events)
{
	char b[64];

	cr_assert_str_eq(
	    playbook_entry_event("system", "ack", NULL, NULL, b, sizeof b),
	    "ack");
	cr_assert_str_eq(
	    playbook_entry_event("role", NULL, "commander", "bob", b, sizeof b),
	    "role:commander");
	cr_assert_null(
	    playbook_entry_event("role", NULL, "commander", NULL, b, sizeof b),
	    "standing down fills no role");
	cr_assert_str_eq(playbook_entry_event("status", NULL, "status",
	                                      "mitigating", b, sizeof b),
	                 "status:mitigating");
	cr_assert_str_eq(
	    playbook_entry_event("comms", NULL, NULL, NULL, b, sizeof b),
	    "comms-sent");
	cr_assert_null(
	    playbook_entry_event("note", NULL, NULL, NULL, b, sizeof b));
	cr_assert(playbook_event_known("postmortem-scheduled"));
	cr_assert(playbook_event_known("role:tech-lead"));
	cr_assert_not(playbook_event_known("status:done"));
}

/* ---- acceptance 1: phase 1 with its steps; ack and commander tick ------- */

Test(playbook, p0_shows_phase_one_and_events_tick_their_steps, .init = setup,
     .fini = teardown, .timeout = 30)
{
	json_t *cl, *ph, *s;
	size_t i;

	free(ok_at("2026-11-24T12:00:00Z",
	           ARGS("declare", "--severity", "P0", "--title", "db down")));
	cl = checklist_of("2026-11-24T12:01:00Z", "1");
	cr_assert_str_eq(sget(cl, "current_phase"), "Initial response");
	cr_assert_str_eq(sget(json_object_get(cl, "clock"), "state"), "ok");
	ph = json_array_get(json_object_get(cl, "phases"), 0);
	cr_assert_str_eq(sget(ph, "state"), "current");
	cr_assert_geq(json_array_size(json_object_get(ph, "steps")), 4);
	s = step(cl, 1);
	cr_assert_str_eq(sget(s, "text"), "Acknowledge the alert or incident");
	cr_assert_str_eq(sget(s, "state"), "open");
	/* The declaration itself began the log. */
	cr_assert_str_eq(sget(step(cl, 2), "state"), "done");
	json_decref(cl);

	free(ok_at("2026-11-24T12:03:00Z", ARGS("ack", "1")));
	free(ok_at("2026-11-24T12:04:00Z", ARGS("assign", "1", "ic", "bob")));
	cl = checklist_of("2026-11-24T12:05:00Z", "1");
	s = step(cl, 1);
	cr_assert_str_eq(sget(s, "state"), "done");
	cr_assert_str_eq(sget(s, "by"), "alice");
	cr_assert_str_eq(sget(s, "at"), "2026-11-24T12:03:00Z");
	cr_assert(json_is_true(json_object_get(s, "by_event")));
	s = step(cl, 3);
	cr_assert_str_eq(sget(s, "event"), "role:commander");
	cr_assert_str_eq(sget(s, "state"), "done");
	cr_assert_str_eq(sget(s, "at"), "2026-11-24T12:04:00Z");
	/* Only the earliest step naming an event is ticked. */
	json_array_foreach(json_object_get(cl, "phases"), i, ph)
	{
		size_t j;

		json_array_foreach(
		    json_object_get(ph, "steps"), j,
		    s) if (json_integer_value(json_object_get(s, "num")) > 3 &&
		           strcmp(sget(s, "state"), "done") == 0)
		    cr_assert_fail("step %lld ticked",
		                   (long long)json_integer_value(
		                       json_object_get(s, "num")));
	}
	json_decref(cl);
	/* The tick is audited with the event. */
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM audit WHERE object ="
	                         " 'step' AND field = 'state'"),
	             3);
}

/* Killed after the event's writes and its tick, before the commit: the
 * database holds both or neither. */
static void
kill_between(const char *const *args, const char *event_sql,
             const char *step_sql)
{
	struct run r = run_at("2026-11-24T12:03:00Z", "checklist-tick", args);

	cr_assert_eq(r.status, 128 + SIGKILL, "exit %d: %s", r.status, r.err);
	run_free(&r);
	cr_assert_eq(sql_int(db, event_sql), 0, "the event survived the kill");
	cr_assert_eq(sql_int(db, step_sql), 0, "the tick survived the kill");
	free(ok_at("2026-11-24T12:04:00Z", args));
	cr_assert_eq(sql_int(db, event_sql), 1);
	cr_assert_eq(sql_int(db, step_sql), 1);
}

Test(playbook, event_and_tick_commit_together, .init = setup, .fini = teardown,
     .timeout = 30)
{
	free(ok_at("2026-11-24T12:00:00Z",
	           ARGS("declare", "--severity", "P0", "--title", "db down")));
	kill_between(
	    ARGS("ack", "1"),
	    "SELECT count(*) FROM incidents WHERE acknowledged_at IS NOT NULL",
	    "SELECT count(*) FROM checklist_steps WHERE event = 'ack'"
	    " AND state = 'done'");
	kill_between(
	    ARGS("assign", "1", "commander", "bob"),
	    "SELECT count(*) FROM role_assignments WHERE role = 'commander'",
	    "SELECT count(*) FROM checklist_steps WHERE"
	    " event = 'role:commander' AND state = 'done'");
}

/* A commander named at declaration ticks the step in that transaction. */
Test(playbook, commander_at_declaration_ticks, .init = setup, .fini = teardown,
     .timeout = 30)
{
	free(ok_at("2026-11-24T12:00:00Z",
	           ARGS("declare", "--severity", "SEV1", "--title", "x",
	                "--commander", "carol", "--policy", "sev")));
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM checklist_steps WHERE"
	                         " event = 'role:commander' AND state ="
	                         " 'done'"),
	             1);
}

/* ---- the verbs ----------------------------------------------------------- */

Test(playbook, check_undo_skip_are_entries_and_audited, .init = setup,
     .fini = teardown, .timeout = 30)
{
	struct run r;
	json_t *cl;

	free(ok_at("2026-11-24T12:00:00Z",
	           ARGS("declare", "--severity", "P0", "--title", "db down")));
	free(ok_at("2026-11-24T12:02:00Z", ARGS("check", "1", "4")));
	free(ok_at("2026-11-24T12:03:00Z",
	           ARGS("check", "1", "notify all", "--skip",
	                "no executives on call tonight")));
	r = run_at("2026-11-24T12:03:00Z", NULL, ARGS("check", "1", "4"));
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "already done"), "%s", r.err);
	run_free(&r);
	r = run_at("2026-11-24T12:03:00Z", NULL,
	           ARGS("check", "1", "5", "--skip", " "));
	cr_assert_eq(r.status, 2, "a skip needs a reason");
	run_free(&r);
	r = run_at("2026-11-24T12:03:00Z", NULL, ARGS("check", "1", "the"));
	cr_assert_eq(r.status, 2, "ambiguous text");
	cr_assert(strstr(r.err, "give the number"), "%s", r.err);
	run_free(&r);
	r = run_at("2026-11-24T12:03:00Z", NULL, ARGS("check", "1", "99"));
	cr_assert_eq(r.status, 2);
	run_free(&r);

	cl = checklist_of("2026-11-24T12:04:00Z", "1");
	cr_assert_str_eq(sget(step(cl, 4), "by"), "alice");
	cr_assert(json_is_false(json_object_get(step(cl, 4), "by_event")));
	cr_assert_str_eq(sget(step(cl, 6), "state"), "skipped");
	cr_assert_str_eq(sget(step(cl, 6), "reason"),
	                 "no executives on call tonight");
	json_decref(cl);
	free(ok_at("2026-11-24T12:05:00Z", ARGS("check", "1", "6", "--undo")));
	cl = checklist_of("2026-11-24T12:06:00Z", "1");
	cr_assert_str_eq(sget(step(cl, 6), "state"), "open");
	cr_assert(json_is_null(json_object_get(step(cl, 6), "reason")));
	json_decref(cl);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM entries WHERE kind ="
	                         " 'checklist'"),
	             3);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM entries WHERE kind ="
	                         " 'checklist' AND json_extract(data,"
	                         " '$.field') = 'step:6' AND json_extract(data,"
	                         " '$.to') = 'skipped'"),
	             1);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM audit WHERE object ="
	                         " 'step' AND object_id = 6 AND field ="
	                         " 'reason'"),
	             1);
}

Test(playbook, runbook_steps_join_the_current_phase, .init = setup,
     .fini = teardown, .timeout = 30)
{
	struct run r;
	json_t *cl, *ph;

	free(ok_at("2026-11-24T12:00:00Z",
	           ARGS("declare", "--severity", "P1", "--title", "db slow")));
	free(ok_at("2026-11-24T12:01:00Z", ARGS("runbook", "1", "database")));
	cl = checklist_of("2026-11-24T12:02:00Z", "1");
	ph = json_array_get(json_object_get(cl, "phases"), 0);
	cr_assert_str_eq(sget(ph, "name"), "Initial response");
	cr_assert_eq(json_array_size(json_object_get(ph, "steps")), 8);
	cr_assert_str_eq(
	    sget(json_array_get(json_object_get(ph, "steps"), 4), "source"),
	    "database");
	json_decref(cl);
	r = run_at(NULL, NULL, ARGS("runbook", "1", "database"));
	cr_assert_eq(r.status, 2, "attached twice");
	run_free(&r);
	r = run_at(NULL, NULL, ARGS("runbook", "1", "nosuch"));
	cr_assert_eq(r.status, 2);
	run_free(&r);
	r = run_at(NULL, NULL, ARGS("runbook", "1", "blank"));
	cr_assert_eq(r.status, 2, "an empty runbook adds nothing");
	run_free(&r);
}

/* An upgrade adds the new level's steps; events already seen tick them. */
Test(playbook, severity_upgrade_adds_steps, .init = setup, .fini = teardown,
     .timeout = 30)
{
	int before, after;

	free(ok_at("2026-11-24T12:00:00Z",
	           ARGS("declare", "--severity", "P2", "--title", "x")));
	free(ok_at("2026-11-24T12:01:00Z", ARGS("ack", "1")));
	before = (int)sql_int(db, "SELECT count(*) FROM checklist_steps");
	free(ok_at("2026-11-24T12:02:00Z", ARGS("severity", "1", "P0")));
	after = (int)sql_int(db, "SELECT count(*) FROM checklist_steps");
	cr_assert_gt(after, before);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM checklist_steps WHERE"
	                         " event = 'ack' AND state = 'done'"),
	             2, "the P0 ack step is ticked by the earlier ack");
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM checklist_steps WHERE"
	                         " event = 'ack' AND state = 'open'"),
	             0);
}

/* A user's playbook overrides the shipped one; a bad one fails loudly. */
Test(playbook, user_override_and_bad_file, .init = setup, .fini = teardown,
     .timeout = 30)
{
	char dir[700], path[800];
	struct run r;
	FILE *f;

	snprintf(dir, sizeof dir, "%s/config", home);
	mkdir(dir, 0700);
	snprintf(dir, sizeof dir, "%s/config/incident-tui", home);
	mkdir(dir, 0700);
	snprintf(dir, sizeof dir, "%s/config/incident-tui/playbooks", home);
	mkdir(dir, 0700);
	snprintf(path, sizeof path, "%s/p3.ini", dir);
	f = fopen(path, "w");
	fputs("[phase Only]\ntimebox = 1h\nstep = Look at it\nevent = ack\n",
	      f);
	fclose(f);
	free(ok_at(NULL, ARGS("declare", "--severity", "P3", "--title", "x")));
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM checklist_steps"), 1);
	f = fopen(path, "w");
	fputs("[phase Only]\ntimebox = 1h\nstep = Look at it\nevent = "
	      "looked\n",
	      f);
	fclose(f);
	r = run_at(NULL, NULL,
	           ARGS("declare", "--severity", "P3", "--title", "y"));
	cr_assert_eq(r.status, 2);
	cr_assert(strstr(r.err, "p3.ini:4: unknown event 'looked'"), "%s",
	          r.err);
	run_free(&r);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM incidents"), 1,
	             "nothing half-declared");
}

/* ---- acceptance 3: a breached phase in the list's clock column --------- */

Test(playbook, breached_phase_is_the_list_clock, .init = setup,
     .fini = teardown, .timeout = 30)
{
	char *out;
	json_t *j, *inc;
	json_error_t e;

	free(ok_at("2026-11-24T12:00:00Z",
	           ARGS("declare", "--severity", "P0", "--title", "db down")));
	free(ok_at("2026-11-24T12:02:00Z", ARGS("ack", "1")));
	/* Phase 1 is due at 12:15; the update clock at 12:30. */
	out = ok_at("2026-11-24T12:10:00Z", ARGS("list"));
	cr_assert(strstr(out, "phase 05:00 (soon)"), "%s", out);
	free(out);
	out = ok_at("2026-11-24T12:16:00Z", ARGS("list"));
	cr_assert(strstr(out, "phase -01:00 (breached)"), "%s", out);
	free(out);
	out = ok_at("2026-11-24T12:16:00Z", ARGS("list", "--json"));
	j = json_loads(out, 0, &e);
	inc = json_array_get(json_object_get(j, "incidents"), 0);
	cr_assert_str_eq(sget(inc, "most_urgent_clock"), "phase");
	/* The JSON's text is the list's, in the one clock format. */
	cr_assert_str_eq(
	    sget(json_array_get(
	             json_object_get(inc, "clocks"),
	             json_array_size(json_object_get(inc, "clocks")) - 1),
	         "text"),
	    "phase -01:00 (breached)");
	json_decref(j);
	free(out);
	/* Closing phase 1's steps moves on: Investigation is due at 12:30,
	 * before the update clock (12:46, from the comms entry). */
	free(ok_at("2026-11-24T12:16:00Z", ARGS("assign", "1", "ic", "bob")));
	free(ok_at("2026-11-24T12:16:00Z", ARGS("check", "1", "4")));
	free(ok_at("2026-11-24T12:16:00Z",
	           ARGS("log", "1", "--kind", "comms", "status page up")));
	free(ok_at("2026-11-24T12:16:00Z", ARGS("check", "1", "6")));
	out = ok_at("2026-11-24T12:17:00Z", ARGS("list"));
	cr_assert(strstr(out, "phase 13:00 "), "%s", out);
	free(out);
}

/* ---- pure: phases, clocks, rows, the phase line ------------------------- */

static void
add_phase(struct checklist *cl, const char *name, int64_t box, int rel)
{
	struct cl_phase *ph;

	cl->phases = realloc(cl->phases, (cl->nphases + 1) * sizeof *ph);
	ph = &cl->phases[cl->nphases++];
	memset(ph, 0, sizeof *ph);
	ph->name = strdup(name);
	ph->timebox = box;
	ph->relative = rel;
}

static struct cl_step *
add_step(struct checklist *cl, int phase, const char *text)
{
	struct cl_step *s;

	cl->steps = realloc(cl->steps, (cl->nsteps + 1) * sizeof *s);
	s = &cl->steps[cl->nsteps++];
	memset(s, 0, sizeof *s);
	s->num = (int)cl->nsteps;
	s->phase = phase;
	s->text = strdup(text);
	s->at = TIME_NONE;
	s->progress_at = TIME_NONE;
	s->added_at = cl->declared_at;
	return s;
}

static void
close_step(struct cl_step *s, enum step_state st, int64_t at)
{
	s->state = st;
	s->at = at;
	s->by = strdup("bob");
	if (st == STEP_SKIPPED)
		s->reason = strdup("no need");
}

static void
sample(struct checklist *cl)
{
	memset(cl, 0, sizeof *cl);
	cl->declared_at = T0;
	cl->resolved_at = TIME_NONE;
	add_phase(cl, "Detection", 300, 0);
	add_phase(cl, "Triage", 600, 1);
	add_phase(cl, "Response", 0, 0);
	add_step(cl, 0, "Ack");
	add_step(cl, 0, "Channel");
	add_step(cl, 1, "Severity");
	add_step(cl, 2, "Mitigate");
	add_step(cl, 2, "Escalate if stuck")->no_progress = 1800;
}

Test(checklist, phases_start_due_end_and_late)
{
	struct checklist cl;

	sample(&cl);
	checklist_compute(&cl, T0 + 60);
	cr_assert_eq(cl.current, 0);
	cr_assert_eq(cl.clock.kind, CLOCK_PHASE);
	cr_assert_eq(cl.clock.state, CLOCK_DUE_SOON, "5m box: under 10 min");
	cr_assert_eq(cl.clock.due, T0 + 300);
	cr_assert_eq(cl.phases[1].start, TIME_NONE);
	cr_assert_eq(cl.phases[1].due, TIME_NONE, "relative: not started");

	close_step(&cl.steps[0], STEP_DONE, T0 + 120);
	close_step(&cl.steps[1], STEP_DONE, T0 + 420); /* late: due +300 */
	checklist_compute(&cl, T0 + 480);
	cr_assert_eq(cl.phases[0].end, T0 + 420);
	cr_assert_eq(cl.steps[1].late, 1);
	cr_assert_eq(cl.steps[0].late, 0);
	cr_assert_eq(cl.current, 1);
	cr_assert_eq(cl.phases[1].start, T0 + 420);
	cr_assert_eq(cl.phases[1].due, T0 + 1020, "10m after the previous");
	cr_assert_eq(cl.clock.state, CLOCK_DUE_SOON);

	checklist_compute(&cl, T0 + 1100);
	cr_assert_eq(cl.clock.state, CLOCK_BREACHED);
	cr_assert_eq(cl.clock.remaining, -80);

	/* Seen as of an earlier moment, the late tick had not happened. */
	checklist_compute(&cl, T0 + 400);
	cr_assert_eq(cl.current, 0);
	cr_assert_eq(cl.steps[1].seen, STEP_OPEN);

	/* A skip closes a step; the guard does not hold Response open. */
	close_step(&cl.steps[2], STEP_SKIPPED, T0 + 1200);
	close_step(&cl.steps[3], STEP_DONE, T0 + 1300);
	checklist_compute(&cl, T0 + 1400);
	cr_assert_eq(cl.current, -1);
	cr_assert_eq(cl.phases[2].end, T0 + 1300);
	cr_assert_eq(cl.clock.state, CLOCK_NONE);
	checklist_free(&cl);
}

Test(checklist, guard_clock_resets_on_progress)
{
	struct checklist cl;
	struct cl_step *g;

	sample(&cl);
	g = &cl.steps[4];
	checklist_compute(&cl, T0 + 1000);
	cr_assert_eq(g->guard.state, CLOCK_OK);
	cr_assert_eq(g->guard.due, T0 + 1800);
	checklist_compute(&cl, T0 + 1900);
	cr_assert_eq(g->guard.state, CLOCK_BREACHED);
	g->progress_at = T0 + 1500;
	checklist_compute(&cl, T0 + 1900);
	cr_assert_eq(g->guard.state, CLOCK_OK);
	cr_assert_eq(g->guard.due, T0 + 3300);
	/* Resolution stops it: no longer needed. */
	cl.resolved_at = T0 + 2000;
	checklist_compute(&cl, T0 + 4000);
	cr_assert_eq(g->guard.state, CLOCK_NONE);
	checklist_free(&cl);
}

Test(checklist, rows_and_phase_line)
{
	struct checklist cl;
	struct cl_row *rows;
	struct strbuf sb = STRBUF_INIT;
	size_t n;

	sample(&cl);
	close_step(&cl.steps[0], STEP_DONE, T0 + 60);
	cl.steps[0].by_event = 1;
	close_step(&cl.steps[1], STEP_SKIPPED, T0 + 90);
	free(cl.steps[1].reason);
	cl.steps[1].reason = strdup("Slack is down\x1b[2J");
	checklist_compute(&cl, T0 + 700);
	n = checklist_rows(&cl, &rows);
	cr_assert_eq(n, 5);
	cr_assert_str_eq(rows[0].phase, "Detection");
	cr_assert_str_eq(rows[0].phase_state, "done");
	cr_assert_str_eq(rows[0].state, "done");
	cr_assert_str_eq(rows[0].who, "bob");
	cr_assert_eq(rows[0].when, T0 + 60);
	cr_assert(rows[0].by_event);
	cr_assert_str_eq(rows[1].state, "skipped");
	cr_assert_not_null(rows[1].reason);
	cr_assert_null(rows[1].phase);
	cr_assert_str_eq(rows[2].phase, "Triage");
	cr_assert_str_eq(rows[2].phase_state, "current");
	cr_assert_str_eq(rows[2].state, "overdue", "Triage was due at +690");
	cr_assert_null(rows[2].who);
	cr_assert_str_eq(rows[3].phase_state, "pending");
	free(rows);

	checklist_phase_line(&cl, &sb);
	cr_assert_str_eq(strbuf_str(&sb),
	                 "Phase 2/3 Triage: 00:10 over (breached) | open: [3] "
	                 "Severity",
	                 "%s", strbuf_str(&sb));
	strbuf_reset(&sb);
	checklist_compute(&cl, T0 + 200);
	checklist_phase_line(&cl, &sb);
	cr_assert_str_eq(strbuf_str(&sb),
	                 "Phase 2/3 Triage: 08:10 left (soon) | open: [3] "
	                 "Severity");
	strbuf_free(&sb);
	checklist_free(&cl);
}

Test(checklist, find_by_number_or_text)
{
	struct checklist cl;
	struct itui_err err;

	sample(&cl);
	cr_assert_eq(checklist_find(&cl, "3", &err)->num, 3);
	cr_assert_eq(checklist_find(&cl, "mitig", &err)->num, 4);
	cr_assert_null(checklist_find(&cl, "e", &err));
	cr_assert(strstr(err.msg, "give the number"));
	cr_assert_null(checklist_find(&cl, "42", &err));
	checklist_free(&cl);
}

Test(clocks, most_urgent_with_a_phase_clock)
{
	struct sla_clock c[CLOCK_KIND_COUNT], ph;
	int i;

	for (i = 0; i < CLOCK_KIND_COUNT; i++) {
		memset(&c[i], 0, sizeof c[i]);
		c[i].kind = (enum clock_kind)i;
		c[i].state = CLOCK_NONE;
	}
	clocks_judge(&c[CLOCK_UPDATE], T0, T0 + 1800, TIME_NONE, T0 + 960);
	memset(&ph, 0, sizeof ph);
	ph.kind = CLOCK_PHASE;
	clocks_judge(&ph, T0, T0 + 900, TIME_NONE, T0 + 960);
	cr_assert_eq(ph.state, CLOCK_BREACHED);
	cr_assert_eq(clocks_most_urgent_with(c, &ph, 1), &ph);
	cr_assert_eq(clocks_most_urgent(c), &c[CLOCK_UPDATE]);
	/* A tie goes to the SLA clock. */
	clocks_judge(&ph, T0, T0 + 1800, TIME_NONE, T0 + 960);
	cr_assert_eq(clocks_most_urgent_with(c, &ph, 1), &c[CLOCK_UPDATE]);
	/* A stopped phase clock never wins. */
	clocks_judge(&ph, T0, T0 + 60, T0 + 30, T0 + 960);
	cr_assert_eq(ph.state, CLOCK_MET);
	cr_assert_eq(clocks_most_urgent_with(c, &ph, 1), &c[CLOCK_UPDATE]);
	cr_assert_str_eq(clock_kind_name(CLOCK_PHASE), "phase");
}

/* ---- stats, against hand-computed figures ------------------------------- */

static json_t *
step_stat(json_t *st, const char *text)
{
	json_t *s;
	size_t i;

	json_array_foreach(json_object_get(st, "steps"), i,
	                   s) if (strcmp(sget(s, "text"), text) == 0) return s;
	cr_assert_fail("no step stat '%s'", text);
	return NULL;
}

/*
 * Three P2 incidents (p2.ini: Response, 4h box: ack, owner, tell the team;
 * Resolution: fix, resolve) and a drill.  By hand:
 *   INC-1 Response 10:00-10:30 = 30m.
 *   INC-2 Response 11:00-11:20 = 20m (the team told in person: skipped);
 *         Resolution 11:20-12:00 = 40m.
 *   INC-3 Response 12:00-17:30 = 5h30m, its three steps after 16:00: late.
 * Response median of {20m, 30m, 5h30m} = 30m (3 of 3); Resolution 40m
 * (1 of 3).  Ack: late 1 of 3; tell the team: late 1, skipped 1 of 3.  The
 * drill (skipping everything) is left out.
 */
Test(playbook, stats_phase_figures, .init = setup, .fini = teardown,
     .timeout = 60)
{
	static const char *const script[][8] = {
	    {"declare", "--severity", "P2", "--title", "a", "--at", "10:00"},
	    {"ack", "1", "--at", "10:10"},
	    {"assign", "1", "ic", "bob", "--at", "10:20"},
	    {"log", "1", "--kind", "comms", "--at", "10:30", "told"},
	    {"declare", "--severity", "P2", "--title", "b", "--at", "11:00"},
	    {"ack", "2", "--at", "11:05"},
	    {"assign", "2", "ic", "bob", "--at", "11:10"},
	    {"check", "2", "3", "--skip", "told in person", "--at", "11:20"},
	    {"status", "2", "monitoring", "--at", "11:40"},
	    {"status", "2", "resolved", "--at", "12:00"},
	    {"declare", "--severity", "P2", "--title", "c", "--at", "12:00"},
	    {"ack", "3", "--at", "17:00"},
	    {"assign", "3", "ic", "bob", "--at", "17:10"},
	    {"log", "3", "--kind", "comms", "--at", "17:30", "told"},
	    {"declare", "--severity", "P2", "--title", "d", "--drill", "--at",
	     "10:00"},
	    {"check", "4", "1", "--skip", "drill", "--at", "10:01"},
	};
	json_t *j, *ph, *s;
	json_error_t e;
	char *out;
	size_t i;

	for (i = 0; i < sizeof script / sizeof script[0]; i++) {
		const char *args[10] = {NULL};

		memcpy(args, script[i], sizeof script[i]);
		free(ok_at("2026-11-24T18:00:00Z", args));
	}
	out = ok_at("2026-11-24T18:00:00Z", ARGS("stats", "--json"));
	j = json_loads(out, 0, &e);
	cr_assert_not_null(j, "%s", out);
	free(out);
	ph = json_array_get(json_object_get(j, "phases"), 0);
	cr_assert_str_eq(sget(ph, "name"), "Response");
	cr_assert_eq(json_integer_value(json_object_get(ph, "incidents")), 3);
	cr_assert_eq(json_integer_value(json_object_get(ph, "completed")), 3);
	cr_assert_eq(json_integer_value(json_object_get(ph, "median_seconds")),
	             1800);
	ph = json_array_get(json_object_get(j, "phases"), 1);
	cr_assert_str_eq(sget(ph, "name"), "Resolution");
	cr_assert_eq(json_integer_value(json_object_get(ph, "completed")), 1);
	cr_assert_eq(json_integer_value(json_object_get(ph, "median_seconds")),
	             2400);
	s = step_stat(j, "Acknowledge the incident");
	cr_assert_eq(json_integer_value(json_object_get(s, "incidents")), 3);
	cr_assert_eq(json_integer_value(json_object_get(s, "late")), 1);
	cr_assert_eq(json_integer_value(json_object_get(s, "skipped")), 0,
	             "the drill's skip is left out");
	s = step_stat(j, "Tell the engineering team");
	cr_assert_eq(json_integer_value(json_object_get(s, "late")), 1);
	cr_assert_eq(json_integer_value(json_object_get(s, "skipped")), 1);
	json_decref(j);
	out = ok_at("2026-11-24T18:00:00Z", ARGS("stats"));
	cr_assert(strstr(out, "Response                30m        (3 of 3 "
	                      "completed)"),
	          "%s", out);
	cr_assert(strstr(out, "late 1, skipped 1 of 3: Tell the engineering "
	                      "team"),
	          "%s", out);
	free(out);
}

/* The verb the dashboard's keys run, with its status-bar line. */
Test(playbook, checklist_verb_for_the_keys, .init = setup, .fini = teardown,
     .timeout = 30)
{
	struct strbuf msg = STRBUF_INIT;
	struct itui_err err;
	struct store *st;

	free(ok_at(NULL, ARGS("declare", "--severity", "P0", "--title", "x")));
	cr_assert_eq(store_open(db, 0, &st, &err), ITUI_OK);
	store_set_actor(st, "scribe-sam", "local");
	cr_assert_eq(
	    checklist_verb(st, 1, "4", CHECK_TICK, NULL, TIME_NONE, &msg, &err),
	    ITUI_OK, "%s", err.msg);
	cr_assert_str_eq(strbuf_str(&msg),
	                 "INC-1 [4] done: Create the incident channel "
	                 "(#incident-YYYYMMDD-HHmm)");
	strbuf_reset(&msg);
	cr_assert_eq(
	    checklist_verb(st, 1, "5", CHECK_SKIP, "", TIME_NONE, &msg, &err),
	    ITUI_USAGE, "skipping asks for a reason");
	cr_assert_eq(checklist_verb(st, 1, "5", CHECK_SKIP, "Slack is down",
	                            TIME_NONE, &msg, &err),
	             ITUI_OK);
	strbuf_reset(&msg);
	cr_assert_eq(checklist_verb(st, 1, "4", CHECK_UNTICK, NULL, TIME_NONE,
	                            &msg, &err),
	             ITUI_OK);
	cr_assert_str_eq(strbuf_str(&msg),
	                 "INC-1 [4] reopened: Create the incident channel "
	                 "(#incident-YYYYMMDD-HHmm)");
	store_close(st);
	strbuf_free(&msg);
	cr_assert_eq(sql_int(db, "SELECT count(*) FROM checklist_steps WHERE"
	                         " num = 5 AND state = 'skipped' AND by_user ="
	                         " 'scribe-sam' AND reason = 'Slack is down'"),
	             1);
}
