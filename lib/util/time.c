/*
 * time.c — see time.h: the monotonic clock, and timestamps as logs write
 * them to unix seconds (UTC): the CLF "%t" form ("10/Oct/2000:13:55:36
 * -0700"), ISO 8601 (nginx $time_iso8601, rsyslog, RFC 5424), the W3C
 * date + time pair and epoch numbers ($msec, %{sec}t).
 *
 * The calendar math is done here (days-from-civil) instead of with
 * timegm/strptime/sscanf: those depend on the locale and the TZ
 * environment, accept sloppy input, and are slow on the per-line path.
 * Every field is checked (31/Feb is invalid); anything off gives INT64_MIN.
 */
#include "common.h"

#include <time.h>

#include "util/time.h"

#define MR_TZ_OFFSET_MAX_MIN (24 * 60)   /* |zone offset| below a day */
#define MR_EPOCH_DIGITS_MAX 18           /* fits int64 with room to spare */

int64_t mr_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Howard Hinnant's algorithm; valid for any year an int64 holds without
 * overflow here. */
int64_t mr_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t mp = m > 2 ? (int64_t)m - 3 : (int64_t)m + 9;
    int64_t doy = (153 * mp + 2) / 5 + (int64_t)d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int days_in_month(int64_t y, unsigned m)
{
    static const unsigned char dim[12] = {31, 28, 31, 30, 31, 30,
                                          31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return dim[m - 1];
}

/* Two ASCII digits, or -1. */
static int d2(const char *p)
{
    unsigned a = (unsigned char)p[0] - '0', b = (unsigned char)p[1] - '0';
    return a > 9 || b > 9 ? -1 : (int)(a * 10 + b);
}

static int d4(const char *p)
{
    int hi = d2(p), lo = d2(p + 2);
    return hi < 0 || lo < 0 ? -1 : hi * 100 + lo;
}

static int64_t compose(int y, int mon, int day, int h, int mi, int s,
                       int offset_min)
{
    if (y < 0 || mon < 1 || mon > 12 || day < 1 || h < 0 || h > 23 ||
        mi < 0 || mi > 59 || s < 0 || s > 60)
        return INT64_MIN;
    if (day > days_in_month(y, (unsigned)mon))
        return INT64_MIN;
    int64_t days = mr_days_from_civil(y, (unsigned)mon, (unsigned)day);
    return days * 86400 + h * 3600 + mi * 60 + s - (int64_t)offset_min * 60;
}

/* "+0900", "-07:00", "+09", "Z" at s (n bytes exactly); minutes or
 * INT_MIN. */
static int parse_zone(const char *s, size_t n)
{
    if (n == 1 && (s[0] == 'Z' || s[0] == 'z'))
        return 0;
    if (n < 3 || (s[0] != '+' && s[0] != '-'))
        return INT_MIN;
    int hh = d2(s + 1), mm = 0;
    if (n == 5)
        mm = d2(s + 3);
    else if (n == 6 && s[3] == ':')
        mm = d2(s + 4);
    else if (n != 3)
        return INT_MIN;
    if (hh < 0 || mm < 0 || mm > 59)
        return INT_MIN;
    int off = hh * 60 + mm;
    if (off >= MR_TZ_OFFSET_MAX_MIN)
        return INT_MIN;
    return s[0] == '-' ? -off : off;
}

/* Checks the fixed layout "dd/Mon/yyyy:HH:MM:SS +zzzz" (brackets taken
 * off); returns the 26 bytes or NULL. */
static const char *clf_layout(mr_span s)
{
    const char *p = s.p;
    size_t n = s.n;
    if (n == 28 && p[0] == '[' && p[27] == ']') {
        p++;
        n -= 2;
    }
    if (n != 26 || p[2] != '/' || p[6] != '/' || p[11] != ':' ||
        p[14] != ':' || p[17] != ':' || p[20] != ' ')
        return NULL;
    return p;
}

/* Seconds at 00:00:00 of the day of p, in p's zone; INT64_MIN if bad. */
static int64_t clf_day(const char *p)
{
    int day = d2(p), mon = mr_month_from_abbrev(p + 3), y = d4(p + 7);
    int zone = parse_zone(p + 21, 5);
    if (mon == 0 || zone == INT_MIN)
        return INT64_MIN;
    return compose(y, mon, day, 0, 0, 0, zone);
}

static int64_t clf_add_time_of_day(const char *p, int64_t base)
{
    int h = d2(p + 12), mi = d2(p + 15), sec = d2(p + 18);
    if (base == INT64_MIN || h < 0 || h > 23 || mi < 0 || mi > 59 ||
        sec < 0 || sec > 60)
        return INT64_MIN;
    return base + h * 3600 + mi * 60 + sec;
}

int64_t mr_parse_clf_time(mr_span s)
{
    const char *p = clf_layout(s);
    return p == NULL ? INT64_MIN : clf_add_time_of_day(p, clf_day(p));
}

int64_t mr_parse_clf_time_cached(mr_span s, mr_clf_time_cache *c)
{
    const char *p = clf_layout(s);
    if (p == NULL)
        return INT64_MIN;
    /* key: "10/Oct/2000" and "-0700" */
    if (memcmp(c->key, p, 11) != 0 || memcmp(c->key + 11, p + 21, 5) != 0) {
        memcpy(c->key, p, 11);
        memcpy(c->key + 11, p + 21, 5);
        c->base = clf_day(p);
    }
    return clf_add_time_of_day(p, c->base);
}

/* "YYYY-MM-DD" exactly; 0 on success. */
static int parse_ymd(const char *p, size_t n, int *y, int *mon, int *day)
{
    if (n != 10 || p[4] != '-' || p[7] != '-')
        return -1;
    *y = d4(p);
    *mon = d2(p + 5);
    *day = d2(p + 8);
    return *y < 0 || *mon < 0 || *day < 0 ? -1 : 0;
}

/* "HH:MM:SS" then an optional ".digits"; returns bytes used or 0. */
static size_t parse_hms(const char *p, size_t n, int *h, int *mi, int *sec)
{
    if (n < 8 || p[2] != ':' || p[5] != ':')
        return 0;
    *h = d2(p);
    *mi = d2(p + 3);
    *sec = d2(p + 6);
    if (*h < 0 || *mi < 0 || *sec < 0)
        return 0;
    size_t i = 8;
    if (i < n && (p[i] == '.' || p[i] == ',')) {
        size_t start = ++i;
        while (i < n && p[i] >= '0' && p[i] <= '9')
            i++;
        if (i == start)
            return 0;
    }
    return i;
}

int64_t mr_parse_iso_time(mr_span s)
{
    int y, mon, day, h, mi, sec;
    if (s.n < 19 || parse_ymd(s.p, 10, &y, &mon, &day) != 0)
        return INT64_MIN;
    if (s.p[10] != 'T' && s.p[10] != 't' && s.p[10] != ' ')
        return INT64_MIN;
    size_t used = parse_hms(s.p + 11, s.n - 11, &h, &mi, &sec);
    if (used == 0)
        return INT64_MIN;
    size_t zpos = 11 + used;
    int zone = 0;   /* no zone: taken as UTC, as W3C and most tools do */
    if (zpos < s.n) {
        zone = parse_zone(s.p + zpos, s.n - zpos);
        if (zone == INT_MIN)
            return INT64_MIN;
    }
    return compose(y, mon, day, h, mi, sec, zone);
}

int64_t mr_parse_w3c_time(mr_span date, mr_span tod, mr_clf_time_cache *c)
{
    int y, mon, day, h, mi, sec;
    if (date.n != 10 || parse_hms(tod.p, tod.n, &h, &mi, &sec) != tod.n)
        return INT64_MIN;
    if (h > 23 || mi > 59 || sec > 60)
        return INT64_MIN;
    int64_t base;
    /* the key cannot match a CLF one: those have '/' at index 2 */
    if (c != NULL && memcmp(c->key, date.p, 10) == 0 && c->key[10] == 'W') {
        base = c->base;
    } else {
        if (parse_ymd(date.p, date.n, &y, &mon, &day) != 0)
            base = INT64_MIN;
        else
            base = compose(y, mon, day, 0, 0, 0, 0);
        if (c != NULL) {
            memcpy(c->key, date.p, 10);
            memset(c->key + 10, 'W', sizeof(c->key) - 10);
            c->base = base;
        }
    }
    return base == INT64_MIN ? INT64_MIN : base + h * 3600 + mi * 60 + sec;
}

int64_t mr_parse_epoch(mr_span s, uint64_t unit)
{
    size_t i = 0;
    uint64_t v = 0;
    while (i < s.n && s.p[i] >= '0' && s.p[i] <= '9') {
        if (i >= MR_EPOCH_DIGITS_MAX)
            return INT64_MIN;
        v = v * 10 + (uint64_t)(s.p[i] - '0');
        i++;
    }
    if (i == 0)
        return INT64_MIN;
    if (i < s.n) {
        /* only a fraction may follow: "1700000000.123" */
        if (s.p[i] != '.' || i + 1 == s.n)
            return INT64_MIN;
        for (size_t j = i + 1; j < s.n; j++)
            if (s.p[j] < '0' || s.p[j] > '9')
                return INT64_MIN;
    }
    return (int64_t)(v / (unit ? unit : 1));
}
