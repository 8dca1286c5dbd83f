/*
 * timeutil.c - the one place that turns people's and servers' time strings
 * into Unix seconds, and seconds back into text.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "itui/timeutil.h"

static char zone_name[64] = "UTC";

/* Whether path is a compiled zone: TZif files start with that magic. */
static int
is_tzfile(const char *path)
{
	char magic[4];
	FILE *f = fopen(path, "rb");
	int ok;

	if (f == NULL)
		return 0;
	ok = fread(magic, 1, 4, f) == 4 && memcmp(magic, "TZif", 4) == 0;
	fclose(f);
	return ok;
}

enum itui_code
time_set_zone(const char *zone, struct itui_err *err)
{
	char path[300];

	if (zone == NULL || *zone == '\0' || strcmp(zone, "UTC") == 0) {
		setenv("TZ", "UTC", 1);
		zone = "UTC";
	} else if (strcmp(zone, "local") == 0) {
		unsetenv("TZ");
	} else {
		if (strstr(zone, "..") != NULL || zone[0] == '/' ||
		    strlen(zone) > 200)
			return err_set(err, ITUI_CONFIG,
			               "unknown timezone '%s'", zone);
		snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", zone);
		if (access(path, R_OK) != 0)
			return err_set(err, ITUI_CONFIG,
			               "unknown timezone '%s' (no %s)", zone,
			               path);
		/* zone.tab, a directory: there, but not a zone. */
		if (!is_tzfile(path))
			return err_set(err, ITUI_CONFIG,
			               "unknown timezone '%s' (%s is not a "
			               "timezone file)",
			               zone, path);
		snprintf(path, sizeof path, ":%s", zone);
		setenv("TZ", path, 1);
	}
	tzset();
	snprintf(zone_name, sizeof zone_name, "%s", zone);
	return ITUI_OK;
}

const char *
time_zone_name(void)
{
	return zone_name;
}

int
time_parse_duration(const char *s, int64_t *secs)
{
	int64_t total = 0;
	int any = 0;

	if (s == NULL || *s == '\0')
		return -1;
	while (*s != '\0') {
		int64_t n = 0, unit;
		int digits = 0;

		while (isdigit((unsigned char)*s)) {
			if (n > INT64_MAX / 10 - 10)
				return -1;
			n = n * 10 + (*s++ - '0');
			digits++;
		}
		if (digits == 0)
			return -1;
		switch (*s++) {
		case 's':
			unit = 1;
			break;
		case 'm':
			unit = 60;
			break;
		case 'h':
			unit = 3600;
			break;
		case 'd':
			unit = 86400;
			break;
		case 'w':
			unit = 7 * 86400;
			break;
		default:
			return -1;
		}
		if (n > (INT64_MAX / 4 - total) / unit)
			return -1;
		total += n * unit;
		any = 1;
	}
	if (!any)
		return -1;
	*secs = total;
	return 0;
}

static int
parse_digits(const char **p, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

static int64_t
days_from_civil(int y, int m, int d)
{
	/* Howard Hinnant's algorithm: proleptic Gregorian, no timezone. */
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int
days_in_month(int y, int m)
{
	static const int dim[] = {31, 28, 31, 30, 31, 30,
	                          31, 31, 30, 31, 30, 31};

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dim[m - 1];
}

int
time_parse_rfc3339(const char *s, int64_t *secs, long *nsec)
{
	int y, mo, d, h, mi, sec = 0, zh, zm;
	long frac = 0;
	int64_t t, off = 0;
	const char *p = s;

	if (s == NULL || parse_digits(&p, 4, &y) || *p++ != '-' ||
	    parse_digits(&p, 2, &mo) || *p++ != '-' || parse_digits(&p, 2, &d))
		return -1;
	if (*p != 'T' && *p != 't' && *p != ' ')
		return -1;
	p++;
	if (parse_digits(&p, 2, &h) || *p++ != ':' || parse_digits(&p, 2, &mi))
		return -1;
	if (*p == ':') {
		p++;
		if (parse_digits(&p, 2, &sec))
			return -1;
		if (*p == '.' || *p == ',') {
			long scale = 100000000;
			int digits = 0;

			p++;
			while (isdigit((unsigned char)*p)) {
				if (scale > 0) {
					frac += (*p - '0') * scale;
					scale /= 10;
				}
				p++;
				digits++;
			}
			if (digits == 0)
				return -1;
		}
	}
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int sign = *p++ == '-' ? -1 : 1;

		if (parse_digits(&p, 2, &zh))
			return -1;
		if (*p == ':')
			p++;
		if (parse_digits(&p, 2, &zm) || zh > 23 || zm > 59)
			return -1;
		off = sign * (zh * 3600 + zm * 60);
	} else {
		return -1;
	}
	if (*p != '\0')
		return -1;
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 ||
	    mi > 59 || sec > 60)
		return -1;
	t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
	*secs = t - off;
	if (nsec != NULL)
		*nsec = frac;
	return 0;
}

/* Local midnight-relative time of day on the day containing t, or -1. */
static int64_t
local_time_on_day(int64_t t, int hour, int min, int sec)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (localtime_r(&tt, &tm) == NULL)
		return -1;
	tm.tm_hour = hour;
	tm.tm_min = min;
	tm.tm_sec = sec;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm);
}

int
time_parse_clock(const char *s, int *h, int *m, int *sec)
{
	const char *p = s;
	int v[3] = {0, 0, 0}, n = 0;

	/* H:MM or HH:MM, then optionally :SS; nothing after. */
	while (n < 3) {
		int digits = 0;

		while (isdigit((unsigned char)*p) && digits < 2) {
			v[n] = v[n] * 10 + (*p++ - '0');
			digits++;
		}
		if (digits == 0 || (n > 0 && digits != 2))
			return -1;
		n++;
		if (*p != ':')
			break;
		p++;
	}
	if (*p != '\0' || n < 2 || v[0] > 23 || v[1] > 59 || v[2] > 59)
		return -1;
	*h = v[0];
	*m = v[1];
	*sec = v[2];
	return 0;
}

int
time_is_at_word(const char *s, size_t len)
{
	char w[24];
	int h, m, sec;
	int64_t d;

	if (len == 0 || len >= sizeof w)
		return 0;
	memcpy(w, s, len);
	w[len] = '\0';
	if (w[0] == '-')
		return time_parse_duration(w + 1, &d) == 0;
	return time_parse_clock(w, &h, &m, &sec) == 0;
}

enum local_form { FORM_DATE, FORM_LOCAL, FORM_HHMM };

/* t in the display timezone, in one of the forms below. */
static char *
format_local(int64_t t, enum local_form form, char *buf)
{
	time_t tt = (time_t)t;
	struct tm tm;

	localtime_r(&tt, &tm);
	if (form == FORM_DATE)
		strftime(buf, TIME_BUF, "%Y-%m-%d", &tm);
	else if (form == FORM_LOCAL)
		strftime(buf, TIME_BUF, "%Y-%m-%d %H:%M", &tm);
	else
		strftime(buf, TIME_BUF, "%H:%M", &tm);
	return buf;
}

int
time_same_local_day(int64_t a, int64_t b)
{
	time_t ta = (time_t)a, tb = (time_t)b;
	struct tm x, y;

	localtime_r(&ta, &x);
	localtime_r(&tb, &y);
	return x.tm_year == y.tm_year && x.tm_yday == y.tm_yday;
}

char *
time_format_date(int64_t t, char *buf)
{
	return format_local(t, FORM_DATE, buf);
}

int
time_in_window(int64_t t)
{
	return t >= TIME_WINDOW_MIN && t < TIME_WINDOW_MAX;
}

/* A parsed time outside the window is refused, naming it. */
static enum itui_code
in_window(const char *s, int64_t t, int64_t *out, struct itui_err *err)
{
	if (!time_in_window(t))
		return err_set(err, ITUI_INPUT,
		               "time '%s' is outside 1970-01-01 to 2199-12-31",
		               s);
	*out = t;
	return ITUI_OK;
}

static enum itui_code parse_at(const char *s, int64_t now, int64_t *out,
                               struct itui_err *err);

enum itui_code
time_parse_at(const char *s, int64_t now, int64_t *out, struct itui_err *err)
{
	enum itui_code rc;
	int64_t t;

	if ((rc = parse_at(s, now, &t, err)) != ITUI_OK)
		return rc;
	return in_window(s, t, out, err);
}

enum itui_code
time_parse_now(const char *s, int64_t *out, struct itui_err *err)
{
	int64_t t;
	char *end;

	if (time_parse_rfc3339(s, &t, NULL) != 0) {
		errno = 0;
		t = strtoll(s, &end, 10);
		if (*s == '\0' || *end != '\0' || errno != 0)
			return err_set(err, ITUI_INPUT,
			               "'%s' is not a time (RFC 3339 with a "
			               "zone, or Unix seconds)",
			               s);
	}
	return in_window(s, t, out, err);
}

static enum itui_code
parse_at(const char *s, int64_t now, int64_t *out, struct itui_err *err)
{
	int64_t t, d;

	if (s == NULL || *s == '\0')
		return err_set(err, ITUI_INPUT, "empty time");
	if (strcmp(s, "now") == 0) {
		*out = now;
		return ITUI_OK;
	}
	if (s[0] == '-' && time_parse_duration(s + 1, &d) == 0) {
		*out = now - d;
		return ITUI_OK;
	}
	if (isdigit((unsigned char)s[0]) && strlen(s) <= 8 &&
	    strchr(s, ':') != NULL) {
		int h, m, sec = 0;

		if (time_parse_clock(s, &h, &m, &sec) != 0)
			return err_set(
			    err, ITUI_INPUT,
			    "bad time '%s' (expected HH:MM, HH:MM:SS, -15m or "
			    "ISO 8601 with a zone)",
			    s);
		t = local_time_on_day(now, h, m, sec);
		/* A scribe catching up after midnight means yesterday. */
		if (t > now + 60)
			t = local_time_on_day(now - 86400, h, m, sec);
		*out = t;
		return ITUI_OK;
	}
	if (time_parse_rfc3339(s, &t, NULL) != 0) {
		if (strlen(s) >= 16 && s[4] == '-' &&
		    strpbrk(s + 10, "Zz+-") == NULL)
			return err_set(
			    err, ITUI_INPUT,
			    "time '%s' has no zone (add Z or +hh:mm)", s);
		return err_set(
		    err, ITUI_INPUT,
		    "bad time '%s' (expected HH:MM, -15m or ISO 8601 with a "
		    "zone)",
		    s);
	}
	if (t > now + 300)
		return err_set(err, ITUI_INPUT, "time '%s' is in the future",
		               s);
	*out = t;
	return ITUI_OK;
}

static enum itui_code parse_due(const char *s, int64_t now, int64_t *out,
                                struct itui_err *err);

enum itui_code
time_parse_due(const char *s, int64_t now, int64_t *out, struct itui_err *err)
{
	enum itui_code rc;
	int64_t t;

	if ((rc = parse_due(s, now, &t, err)) != ITUI_OK)
		return rc;
	return in_window(s, t, out, err);
}

static enum itui_code
parse_due(const char *s, int64_t now, int64_t *out, struct itui_err *err)
{
	int y, m, d;
	int64_t t;
	const char *p = s;

	if (s != NULL && s[0] == '+' && time_parse_duration(s + 1, &t) == 0) {
		*out = now + t;
		return ITUI_OK;
	}
	if (s != NULL && strlen(s) == 10 && parse_digits(&p, 4, &y) == 0 &&
	    *p++ == '-' && parse_digits(&p, 2, &m) == 0 && *p++ == '-' &&
	    parse_digits(&p, 2, &d) == 0) {
		struct tm tm = {0};

		if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
			return err_set(err, ITUI_INPUT, "bad date '%s'", s);
		tm.tm_year = y - 1900;
		tm.tm_mon = m - 1;
		tm.tm_mday = d;
		tm.tm_hour = 23;
		tm.tm_min = 59;
		tm.tm_sec = 59;
		tm.tm_isdst = -1;
		*out = (int64_t)mktime(&tm);
		return ITUI_OK;
	}
	if (s != NULL && time_parse_rfc3339(s, &t, NULL) == 0) {
		*out = t;
		return ITUI_OK;
	}
	if (parse_at(s, now, out, NULL) == ITUI_OK)
		return ITUI_OK;
	return err_set(
	    err, ITUI_INPUT,
	    "bad due date '%s' (expected YYYY-MM-DD, +3d or ISO 8601)",
	    s ? s : "");
}

int64_t
time_add_business_days(int64_t t, int n)
{
	while (n > 0) {
		time_t tt;
		struct tm tm;

		t += 86400;
		tt = (time_t)t;
		localtime_r(&tt, &tm);
		if (tm.tm_wday != 0 && tm.tm_wday != 6)
			n--;
	}
	return t;
}

char *
time_format_iso(int64_t t, char *buf)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(buf, TIME_BUF, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return buf;
}

char *
time_format_local(int64_t t, char *buf)
{
	return format_local(t, FORM_LOCAL, buf);
}

char *
time_format_hhmm(int64_t t, char *buf)
{
	return format_local(t, FORM_HHMM, buf);
}

char *
time_format_clock(int64_t secs, char *buf)
{
	const char *sign = secs < 0 ? "-" : "";
	int64_t a = secs < 0 ? -secs : secs;

	if (a >= 86400)
		snprintf(buf, TIME_BUF, "%s%" PRId64 "d%02" PRId64 "h", sign,
		         a / 86400, a % 86400 / 3600);
	else if (a >= 3600)
		snprintf(buf, TIME_BUF, "%s%" PRId64 ":%02" PRId64, sign,
		         a / 3600, a % 3600 / 60);
	else
		snprintf(buf, TIME_BUF, "%s%02" PRId64 ":%02" PRId64, sign,
		         a / 60, a % 60);
	return buf;
}

char *
time_format_span(int64_t secs, char *buf)
{
	const char *sign = secs < 0 ? "-" : "";
	int64_t a = secs < 0 ? -secs : secs;

	if (a < 60)
		snprintf(buf, TIME_BUF, "%s%" PRId64 "s", sign, a);
	else if (a < 3600)
		snprintf(buf, TIME_BUF, "%s%" PRId64 "m", sign, a / 60);
	else if (a < 86400)
		snprintf(buf, TIME_BUF, "%s%" PRId64 "h%02" PRId64 "m", sign,
		         a / 3600, a % 3600 / 60);
	else
		snprintf(buf, TIME_BUF, "%s%" PRId64 "d%02" PRId64 "h", sign,
		         a / 86400, a % 86400 / 3600);
	return buf;
}

char *
time_format_duration(int64_t secs, char *buf)
{
	if (secs > 0 && secs % (7 * 86400) == 0)
		snprintf(buf, TIME_BUF, "%" PRId64 "w", secs / (7 * 86400));
	else if (secs > 0 && secs % 86400 == 0)
		snprintf(buf, TIME_BUF, "%" PRId64 "d", secs / 86400);
	else if (secs > 0 && secs % 3600 == 0)
		snprintf(buf, TIME_BUF, "%" PRId64 "h", secs / 3600);
	else if (secs % 60 == 0)
		snprintf(buf, TIME_BUF, "%" PRId64 "m", secs / 60);
	else
		snprintf(buf, TIME_BUF, "%" PRId64 "s", secs);
	return buf;
}

char *
time_format_age(int64_t secs, char *buf)
{
	if (secs < 0)
		secs = 0;
	if (secs < 60)
		snprintf(buf, TIME_BUF, "%" PRId64 "s", secs);
	else if (secs < 3600)
		snprintf(buf, TIME_BUF, "%" PRId64 "m", secs / 60);
	else if (secs < 2 * 86400)
		snprintf(buf, TIME_BUF, "%" PRId64 "h", secs / 3600);
	else if (secs < 14 * 86400)
		snprintf(buf, TIME_BUF, "%" PRId64 "d", secs / 86400);
	else
		snprintf(buf, TIME_BUF, "%" PRId64 "w", secs / (7 * 86400));
	return buf;
}

int64_t
time_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int64_t
time_mono_ms(void)
{
	return time_mono_ns() / 1000000;
}
