/* Parsing of --at, durations, due dates and server timestamps. */
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include "itui/timeutil.h"

/* 2026-11-24T10:30:00Z */
#define NOW 1795516200LL

static void
utc(void)
{
	cr_assert_eq(time_set_zone("UTC", NULL), ITUI_OK);
}

/* Inline arrays: Criterion re-executes the binary, so no pointers. */
struct at_case {
	char in[48];
	long long want; /* -1: must fail */
};

ParameterizedTestParameters(time, at)
{
	static struct at_case cases[] = {
	    {"now", NOW},
	    {"10:00", NOW - 30 * 60},
	    {"00:00", NOW - (10 * 3600 + 30 * 60)},
	    /* Later than now today: the scribe means yesterday. */
	    {"23:50", NOW - (10 * 3600 + 40 * 60)},
	    {"10:00:15", NOW - 30 * 60 + 15},
	    {"9:05:00", NOW - (85 * 60)},
	    {"10:29:60", -1},
	    {"10:29:5", -1},
	    {"10:29:05x", -1},
	    {"-15m", NOW - 900},
	    {"-1h30m", NOW - 5400},
	    {"-2d", NOW - 2 * 86400},
	    {"2026-11-24T09:00:00Z", NOW - 5400},
	    {"2026-11-24T10:00:00+01:00", NOW - 5400},
	    {"2026-11-24T09:00:00.123456789Z", NOW - 5400},
	    {"2026-11-24 09:00Z", NOW - 5400},
	    {"2026-11-24T09:00:00", -1},  /* no zone */
	    {"2026-11-24T12:00:00Z", -1}, /* in the future */
	    {"24:00", -1},
	    {"9:5", -1},
	    {"10:60", -1},
	    {"yesterday", -1},
	    {"-", -1},
	    {"-15x", -1},
	    {"", -1},
	    {"2026-02-30T00:00:00Z", -1},
	};

	return cr_make_param_array(struct at_case, cases,
	                           sizeof cases / sizeof cases[0]);
}

ParameterizedTest(struct at_case *c, time, at, .init = utc)
{
	struct itui_err err;
	int64_t t = 0;
	enum itui_code rc = time_parse_at(c->in, NOW, &t, &err);

	if (c->want < 0) {
		cr_assert_neq(rc, ITUI_OK, "'%s' should fail", c->in);
		cr_assert(strlen(err.msg) > 0);
	} else {
		cr_assert_eq(rc, ITUI_OK, "'%s': %s", c->in, err.msg);
		cr_assert_eq(t, c->want, "'%s': got %lld want %lld", c->in,
		             (long long)t, c->want);
	}
}

Test(time, hhmm_follows_display_timezone)
{
	int64_t t;

	cr_assert_eq(time_set_zone("Asia/Tokyo", NULL), ITUI_OK);
	/* 10:30Z is 19:30 in Tokyo; 19:00 local is 10:00Z. */
	cr_assert_eq(time_parse_at("19:00", NOW, &t, NULL), ITUI_OK);
	cr_assert_eq(t, NOW - 1800);
	cr_assert_neq(time_set_zone("Not/AZone", NULL), ITUI_OK);
}

Test(time, durations)
{
	int64_t s;

	cr_assert_eq(time_parse_duration("90s", &s), 0);
	cr_assert_eq(s, 90);
	cr_assert_eq(time_parse_duration("1w2d", &s), 0);
	cr_assert_eq(s, 9 * 86400);
	cr_assert_eq(time_parse_duration("h", &s), -1);
	cr_assert_eq(time_parse_duration("5", &s), -1);
	cr_assert_eq(time_parse_duration("99999999999999999999s", &s), -1);
}

Test(time, rfc3339_fractions, .init = utc)
{
	int64_t t;
	long ns;

	cr_assert_eq(time_parse_rfc3339("2026-11-23T09:30:19.32Z", &t, &ns), 0);
	cr_assert_eq(ns, 320000000L);
	cr_assert_eq(time_parse_rfc3339("2026-11-23T09:30:19.123Z", &t, &ns),
	             0);
	cr_assert_eq(ns, 123000000L);
	cr_assert_eq(time_parse_rfc3339("0001-01-01T00:00:00Z", &t, &ns), 0);
	cr_assert_eq(time_parse_rfc3339("2026-11-23T09:30:19.Z", &t, &ns), -1);
}

Test(time, due_dates, .init = utc)
{
	int64_t t;

	cr_assert_eq(time_parse_due("2026-11-25", NOW, &t, NULL), ITUI_OK);
	/* The end of that day: 2026-11-25T23:59:59Z. */
	cr_assert_eq(t, NOW + 86400 + 13 * 3600 + 29 * 60 + 59);
	cr_assert_eq(time_parse_due("+3d", NOW, &t, NULL), ITUI_OK);
	cr_assert_eq(t, NOW + 3 * 86400);
	cr_assert_neq(time_parse_due("soon", NOW, &t, NULL), ITUI_OK);
}

Test(time, business_days_skip_weekends, .init = utc)
{
	/* NOW is a Tuesday; Friday 10:30 + 1 business day is Monday. */
	int64_t fri = NOW + 3 * 86400;

	cr_assert_eq(time_add_business_days(NOW, 1), NOW + 86400);
	cr_assert_eq(time_add_business_days(fri, 1), fri + 3 * 86400);
}

Test(time, clock_format)
{
	char b[TIME_BUF];

	/* mm:ss under an hour, h:mm under a day, days and hours beyond. */
	cr_assert_str_eq(time_format_clock(-(12 * 60 + 5), b), "-12:05");
	cr_assert_str_eq(time_format_clock(59 * 60 + 12, b), "59:12");
	cr_assert_str_eq(time_format_clock(30, b), "00:30");
	cr_assert_str_eq(time_format_clock(3600 + 36 * 60 + 59, b), "1:36");
	cr_assert_str_eq(time_format_clock(-(3 * 3600 + 35 * 60), b), "-3:35");
	cr_assert_str_eq(time_format_clock(86400 - 1, b), "23:59");
	cr_assert_str_eq(time_format_clock(86400 + 5 * 3600, b), "1d05h");
	cr_assert_str_eq(time_format_clock(-(2 * 86400 + 3 * 3600), b),
	                 "-2d03h");
	cr_assert_str_eq(time_format_iso(NOW, b), "2026-11-24T10:30:00Z");
	cr_assert_str_eq(time_format_age(59, b), "59s");
	cr_assert_str_eq(time_format_age(3599, b), "59m");
	cr_assert_str_eq(time_format_age(47 * 3600, b), "47h");
	cr_assert_str_eq(time_format_age(13 * 86400, b), "13d");
	cr_assert_str_eq(time_format_age(100 * 86400, b), "14w");
}
