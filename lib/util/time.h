/*
 * time.h — time for every capability: the monotonic clock deadlines are
 * measured with, and the timestamps logs write, parsed to unix seconds
 * (UTC) without libc (no timegm/strptime: they depend on the locale and
 * TZ, accept sloppy input and are slow per line).
 *
 * The access-log parsers (weblog/) read CLF, ISO 8601, W3C and epoch
 * times; the login-log parsers (auth/) read ISO 8601 and the year-less
 * syslog and vsftpd forms with mr_days_from_civil and
 * mr_month_from_abbrev. Every parser takes a span and its length as the
 * bound and answers INT64_MIN for anything that is not a valid time
 * (31/Feb included). Nothing here allocates or keeps state beyond the
 * caller's cache.
 */
#ifndef MR_UTIL_TIME_H
#define MR_UTIL_TIME_H

#include <stdint.h>

#include "util/span.h"

/* Monotonic milliseconds, for deadlines. */
int64_t mr_now_ms(void);

/* Days since 1970-01-01 of a proleptic Gregorian date (not checked:
 * callers check month and day first). */
int64_t mr_days_from_civil(int64_t y, unsigned m, unsigned d);

/* "Jan".."Dec" at p (3 bytes the caller has; exact case, as every server
 * writes it) -> 1..12, or 0. A switch on the letters, not twelve
 * compares: it runs once per log line. */
static inline int mr_month_from_abbrev(const char *p)
{
    switch (p[0]) {
    case 'J':
        if (p[1] == 'a' && p[2] == 'n') return 1;
        if (p[1] == 'u' && p[2] == 'n') return 6;
        if (p[1] == 'u' && p[2] == 'l') return 7;
        return 0;
    case 'F': return p[1] == 'e' && p[2] == 'b' ? 2 : 0;
    case 'M':
        if (p[1] == 'a' && p[2] == 'r') return 3;
        if (p[1] == 'a' && p[2] == 'y') return 5;
        return 0;
    case 'A':
        if (p[1] == 'p' && p[2] == 'r') return 4;
        if (p[1] == 'u' && p[2] == 'g') return 8;
        return 0;
    case 'S': return p[1] == 'e' && p[2] == 'p' ? 9 : 0;
    case 'O': return p[1] == 'c' && p[2] == 't' ? 10 : 0;
    case 'N': return p[1] == 'o' && p[2] == 'v' ? 11 : 0;
    case 'D': return p[1] == 'e' && p[2] == 'c' ? 12 : 0;
    default: return 0;
    }
}

/* The day part of the last CLF (or W3C) time seen ("10/Oct/2000" + zone),
 * so that a line costs one compare and the time of day, not the calendar
 * math. Zeroed = empty; one per parser (not shared between threads). */
typedef struct mr_clf_time_cache {
    char key[16];
    int64_t base;     /* unix seconds at 00:00:00 of that day in that zone */
} mr_clf_time_cache;

/* An Apache/nginx "%t" time ("10/Oct/2000:13:55:36 -0700", brackets
 * allowed); the _cached form remembers the last day in *c. */
int64_t mr_parse_clf_time(mr_span s);
int64_t mr_parse_clf_time_cached(mr_span s, mr_clf_time_cache *c);
/* ISO 8601 / RFC 3339 "2024-11-01T10:00:00[.frac][Z|+09:00|+0900]";
 * no zone is taken as UTC. */
int64_t mr_parse_iso_time(mr_span s);
/* W3C "2024-01-15" + "12:34:56[.fff]" in UTC; c (may be NULL) remembers
 * the last day. */
int64_t mr_parse_w3c_time(mr_span date, mr_span tod, mr_clf_time_cache *c);
/* Decimal seconds since the epoch, optional fraction ("1700000000.123"),
 * divided by `unit` when the integer counts ms (1000) or us (1000000). */
int64_t mr_parse_epoch(mr_span s, uint64_t unit);

#endif
