/*
 * timeutil.h - parsing and formatting of times and durations.
 *
 * Contract: all times are Unix seconds (int64_t, UTC).  Parsers are pure but
 * for the display timezone, which time_set_zone() installs process-wide once
 * at start-up, before any thread starts.  Formatters write into a
 * caller-provided buffer of at least TIME_BUF bytes.  Any thread may call the
 * parsers and formatters after start-up.
 */
#ifndef ITUI_TIMEUTIL_H
#define ITUI_TIMEUTIL_H

#include <stddef.h>
#include <stdint.h>

#include "itui/err.h"

#define TIME_BUF 40

/* Installs the display timezone: "UTC", "local", or a tz database name. */
enum itui_code time_set_zone(const char *zone, struct itui_err *err);
const char *time_zone_name(void);

/*
 * A duration such as "90s", "15m", "2h", "1h30m", "3d", "1w".  Returns 0 and
 * sets *secs, or -1 when s is not a duration.
 */
int time_parse_duration(const char *s, int64_t *secs);

/*
 * The window every time a person gives must fall in: 1970-01-01T00:00:00Z
 * up to (not including) 2200-01-01T00:00:00Z.  The parsers below refuse
 * times outside it, naming the window.
 */
#define TIME_WINDOW_MIN INT64_C(0)
#define TIME_WINDOW_MAX INT64_C(7258118400)
int time_in_window(int64_t t);

/*
 * A fixed clock (INCIDENT_TUI_NOW): RFC 3339 with a zone, or Unix seconds,
 * within the window.
 */
enum itui_code time_parse_now(const char *s, int64_t *out,
                              struct itui_err *err);

/*
 * When something happened, for --at: "now", "HH:MM" or "HH:MM:SS" (the most
 * recent such time in the display timezone, today or else yesterday), a
 * relative time
 * "-15m" / "-1h30m", or ISO 8601 / RFC 3339 with a zone ("Z" or +hh:mm).
 * Times more than five minutes after `now` are refused.
 */
enum itui_code time_parse_at(const char *s, int64_t now, int64_t *out,
                             struct itui_err *err);

/*
 * "H:MM", "HH:MM" or "HH:MM:SS" (as --at reads them): 0 and the parts, or
 * -1 when s is not such a clock time.
 */
int time_parse_clock(const char *s, int *h, int *m, int *sec);
/*
 * Whether s[0..len) is a time the timeline input line takes as its leading
 * word: a clock time as above or a relative "-5m" / "-1h30m".  The word is
 * then given to time_parse_at(), so both grammars are one.
 */
int time_is_at_word(const char *s, size_t len);
/* Whether two times fall on the same calendar day in the display zone. */
int time_same_local_day(int64_t a, int64_t b);
/* "2026-12-01" in the display timezone. */
char *time_format_date(int64_t t, char *buf);

/*
 * A due date: "YYYY-MM-DD" (the end of that day in the display timezone),
 * "+3d"-style offsets from now, or anything time_parse_at() takes (without its
 * future limit).
 */
enum itui_code time_parse_due(const char *s, int64_t now, int64_t *out,
                              struct itui_err *err);

/*
 * RFC 3339 / ISO 8601 with a zone, tolerant of any number of fraction digits
 * (Prometheus sends nanoseconds, Alertmanager milliseconds or trimmed ones).
 * Sets *secs and, if nsec is not NULL, the fraction in nanoseconds.
 */
int time_parse_rfc3339(const char *s, int64_t *secs, long *nsec);

/* Adds n business days (Monday to Friday, display timezone) to t. */
int64_t time_add_business_days(int64_t t, int n);
/* CLOCK_MONOTONIC in nanoseconds and in milliseconds (timers, traces). */
int64_t time_mono_ns(void);
int64_t time_mono_ms(void);

/* "2026-11-24T04:40:00Z" */
char *time_format_iso(int64_t t, char *buf);
/* "2026-11-24 05:40" in the display timezone. */
char *time_format_local(int64_t t, char *buf);
/* "05:40" in the display timezone. */
char *time_format_hhmm(int64_t t, char *buf);
/*
 * The one clock format (every clock anyone sees goes through it): "mm:ss"
 * under an hour ("59:12", "-12:05" when breached), "h:mm" under a day
 * ("1:36"), "2d03h" from a day on.  Seconds round towards zero.
 */
char *time_format_clock(int64_t secs, char *buf);
/* A compact age or duration: "45s", "12m", "3h05m", "2d04h". */
char *time_format_span(int64_t secs, char *buf);
/* At most five columns: "45s", "12m", "3h", "2d", "14w". */
char *time_format_age(int64_t secs, char *buf);
/* A duration as the policy files spell it: "15m", "4h", "3d", "1w". */
char *time_format_duration(int64_t secs, char *buf);

#endif
