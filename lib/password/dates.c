/*
 * dates.c — dates in a password: birthdays and anniversaries in every
 * common form (1202, 0315, 850315, 19850315, 15031985, 3/15, 1985-03-15),
 * years (1985, 2024) and Japanese era years (S60, H12, R5, optionally
 * followed by a month and day). A date's guesses are the distance of its
 * year from the reference year (at least 20 years) times 365, times 4
 * with a separator; a day without a year is one of 366.
 */
#include "common.h"

#include <math.h>

#include "password/pw_internal.h"

#define DATE_REF_YEAR 2025
#define DATE_MIN_YEAR_SPACE 20
#define DATE_DIGITS_MAX 8

static double year_space(int y)
{
    int d = abs(y - DATE_REF_YEAR);
    return log10(d < DATE_MIN_YEAR_SPACE ? DATE_MIN_YEAR_SPACE : d);
}

static int num(const char *s, size_t n)
{
    int v = 0;
    for (size_t k = 0; k < n; k++)
        v = v * 10 + (s[k] - '0');
    return v;
}

static int full_year(const char *s, size_t n, int *year)
{
    int y = num(s, n);
    if (n == 4 && y >= 1900 && y <= 2059)
        *year = y;
    else if (n == 2)
        *year = y > 50 ? 1900 + y : 2000 + y;
    else
        return 0;
    return 1;
}

static int month_day_ok(int m, int d)
{
    return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

/* Tries the digits s[0, n) as year+month+day in the usual orders. */
static int parse_ymd(const char *s, size_t n, int *year)
{
    static const unsigned char splits[][3] = {
        {4, 2, 2}, {4, 1, 2}, {4, 2, 1}, {4, 1, 1},
        {2, 2, 2}, {2, 1, 2}, {2, 2, 1}, {2, 1, 1}};
    for (size_t k = 0; k < MR_ARRAY_LEN(splits); k++) {
        size_t y = splits[k][0], a = splits[k][1], b = splits[k][2];
        if (y + a + b != n)
            continue;
        /* y m d */
        if (full_year(s, y, year) && month_day_ok(num(s + y, a),
                                                  num(s + y + a, b)))
            return 1;
        /* d m y and m d y */
        if (full_year(s + a + b, y, year) &&
            (month_day_ok(num(s + a, b), num(s, a)) ||
             month_day_ok(num(s, a), num(s + a, b))))
            return 1;
    }
    return 0;
}

/* run[k]: how many digits from k on, up to DATE_DIGITS_MAX; computed
 * once, without a branch per byte, for the finders below. */
static void digit_runs(const mr_pw_work *w, uint8_t *run)
{
    unsigned next = 0;
    for (size_t k = w->n; k-- > 0;) {
        unsigned digit =
            (mr_pw_byte_class((unsigned char)w->raw[k]) & MR_PWC_DIGIT) != 0;
        next = digit * MR_MIN(next + 1, (unsigned)DATE_DIGITS_MAX);
        run[k] = (uint8_t)next;
    }
}

static void find_plain(mr_pw_work *w, const uint8_t *run)
{
    const char *s = w->raw;
    for (size_t i = 0; i < w->n; i++) {
        for (size_t len = 3; len <= run[i]; len++) {
            int year;
            if (len == 4 && full_year(s + i, 4, &year))
                mr_pw_add(w, i, i + 4, MR_PWK_DATE, 0, year_space(year));
            if (len <= 4) {
                size_t a = len - 2;
                if (month_day_ok(num(s + i, a), num(s + i + a, 2)) ||
                    month_day_ok(num(s + i + a, 2), num(s + i, a)) ||
                    (len == 4 && month_day_ok(num(s + i, 2),
                                              num(s + i + 2, 2))))
                    mr_pw_add(w, i, i + len, MR_PWK_DATE, 0, log10(366));
            }
            if (len >= 4 && parse_ymd(s + i, len, &year))
                mr_pw_add(w, i, i + len, MR_PWK_DATE, 0,
                          year_space(year) + log10(365));
        }
    }
}

static int is_sep(char c)
{
    return c == '/' || c == '-' || c == '.' || c == '_' || c == ' ';
}

/* d{1,4} sep d{1,2} [sep d{1,4}] */
static void find_separated(mr_pw_work *w, const uint8_t *run)
{
    const char *s = w->raw;
    size_t n = w->n;
    for (size_t i = 0; i < n; i++) {
        /* a date starts with a digit that follows none */
        if (run[i] == 0 || (i > 0 && run[i - 1] != 0))
            continue;
        size_t p[3], l[3], k = i, parts = 0;
        char sep = 0;
        while (parts < 3 && k < n) {
            size_t st = k;
            while (k < n && k - st < 4 && s[k] >= '0' && s[k] <= '9')
                k++;
            if (k == st)
                break;
            p[parts] = st;
            l[parts++] = k - st;
            if (k < n && is_sep(s[k]) && (sep == 0 || s[k] == sep) &&
                parts < 3) {
                sep = s[k];
                k++;
            } else {
                break;
            }
        }
        if (sep == 0 || parts < 2)
            continue;
        char digits[DATE_DIGITS_MAX + 1];
        size_t dn = 0, end = p[parts - 1] + l[parts - 1];
        for (size_t q = 0; q < parts && dn + l[q] <= DATE_DIGITS_MAX; q++) {
            memcpy(digits + dn, s + p[q], l[q]);
            dn += l[q];
        }
        int year;
        if (parts == 2 && l[0] <= 2 && l[1] <= 2 &&
            (month_day_ok(num(s + p[0], l[0]), num(s + p[1], l[1])) ||
             month_day_ok(num(s + p[1], l[1]), num(s + p[0], l[0]))))
            mr_pw_add(w, i, end, MR_PWK_DATE, 0, log10(366 * 4.0));
        else if (parts == 3 && parse_ymd(digits, dn, &year))
            mr_pw_add(w, i, end, MR_PWK_DATE, 0,
                      year_space(year) + log10(365 * 4.0));
    }
}

/* Meiji 45, Taisho 15, Showa 64, Heisei 31, Reiwa: years so far, by
 * the era's letter (a table: no branch per byte). */
#define ERA(c, years) [c] = (years), [(c) - 'a' + 'A'] = (years)
static const uint8_t era_years[256] = {
    ERA('m', 45), ERA('t', 15), ERA('s', 64), ERA('h', 31),
    ERA('r', DATE_REF_YEAR - 2018)};

static void find_eras(mr_pw_work *w, const uint8_t *run)
{
    const char *s = w->raw;
    for (size_t i = 0; i + 2 <= w->n; i++) {
        /* an era's letter, a digit after it, no letter before it */
        int max = era_years[(unsigned char)s[i]];
        if (!max || run[i + 1] == 0 ||
            (i > 0 && ((s[i - 1] | 0x20) >= 'a' && (s[i - 1] | 0x20) <= 'z')))
            continue;
        size_t k = i + 1 + MR_MIN((size_t)run[i + 1], (size_t)2);
        int y = num(s + i + 1, k - i - 1);
        if (y < 1 || y > max)
            continue;
        double g = log10(5.0 * 64);
        mr_pw_add(w, i, k, MR_PWK_DATE, 0, g);
        if (k + 4 <= w->n && run[k] >= 4 &&
            month_day_ok(num(s + k, 2), num(s + k + 2, 2)))
            mr_pw_add(w, i, k + 4, MR_PWK_DATE, 0, g + log10(366));
    }
}

void mr_pw_find_dates(mr_pw_work *w)
{
    if (!(w->classes_seen & MR_PWC_DIGIT))
        return;  /* every form has a digit */
    uint8_t run[MAMORI_PASSWORD_MAX];
    digit_runs(w, run);
    find_plain(w, run);
    find_separated(w, run);
    find_eras(w, run);
}
