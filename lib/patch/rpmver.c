/*
 * rpmver.c — RPM version order (patch.h), as librpm's rpmvercmp() and
 * rpmverCmp() define it, for `mamori patch --compare-versions --rpm`
 * and the RPM systems to come (RHEL, AlmaLinux, Rocky):
 *   [EPOCH:]VERSION[-RELEASE], the release after the last '-'; an empty
 *   or absent epoch is 0; epochs, versions and releases compare by
 *   rpmvercmp; a release present (even empty) is newer than none.
 *   rpmvercmp: separators (anything but ASCII letters and digits, '~'
 *   and '^') only split segments; '~' sorts before everything, the end
 *   included; '^' after the end but before anything else; a numeric
 *   segment is newer than an alphabetic one; digits compare as numbers of
 *   any length, letters bytewise; what is left over wins.
 * Spans throughout: nothing is copied or NUL-terminated.
 */
#include "common.h"

#include "mamori/patch.h"

static int digit(int c) { return c >= '0' && c <= '9'; }
static int alpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* rpmvercmp over a[0..an) and b[0..bn). */
static int segcmp(const char *a, size_t an, const char *b, size_t bn)
{
    size_t i = 0, j = 0;
    if (an == bn && (an == 0 || memcmp(a, b, an) == 0))
        return 0;
#define C(s, n, k) ((k) < (n) ? (unsigned char)(s)[k] : 0)
    while (i < an || j < bn) {
        while (i < an && !alpha(C(a, an, i)) && !digit(C(a, an, i)) &&
               C(a, an, i) != '~' && C(a, an, i) != '^')
            i++;
        while (j < bn && !alpha(C(b, bn, j)) && !digit(C(b, bn, j)) &&
               C(b, bn, j) != '~' && C(b, bn, j) != '^')
            j++;
        int ca = C(a, an, i), cb = C(b, bn, j);
        if (ca == '~' || cb == '~') {
            if (ca != '~')
                return 1;
            if (cb != '~')
                return -1;
            i++;
            j++;
            continue;
        }
        if (ca == '^' || cb == '^') {
            if (i == an)
                return -1;
            if (j == bn)
                return 1;
            if (ca != '^')
                return 1;
            if (cb != '^')
                return -1;
            i++;
            j++;
            continue;
        }
        if (i == an || j == bn)
            break;
        size_t si = i, sj = j;
        int num = digit(ca);
        if (num) {
            while (i < an && digit(C(a, an, i)))
                i++;
            while (j < bn && digit(C(b, bn, j)))
                j++;
        } else {
            while (i < an && alpha(C(a, an, i)))
                i++;
            while (j < bn && alpha(C(b, bn, j)))
                j++;
        }
        if (sj == j) /* b's segment is of the other kind */
            return num ? 1 : -1;
        if (num) {
            while (si < i && a[si] == '0')
                si++;
            while (sj < j && b[sj] == '0')
                sj++;
            if (i - si != j - sj)
                return i - si > j - sj ? 1 : -1;
        }
        size_t la = i - si, lb = j - sj;
        int r = memcmp(a + si, b + sj, MR_MIN(la, lb));
        if (r)
            return r < 0 ? -1 : 1;
        if (la != lb)
            return la < lb ? -1 : 1;
    }
#undef C
    if (i >= an && j >= bn)
        return 0;
    return i >= an ? -1 : 1;
}

typedef struct evr {
    const char *e, *v, *r;
    size_t en, vn, rn;
    int has_r;
} evr;

static void parse(const char *s, size_t n, evr *o)
{
    size_t d = 0;
    memset(o, 0, sizeof(*o));
    while (d < n && digit((unsigned char)s[d]))
        d++;
    size_t vstart = 0;
    if (d < n && s[d] == ':') {
        o->e = s;
        o->en = d;
        vstart = d + 1;
    }
    if (o->en == 0) {
        o->e = "0";
        o->en = 1;
    }
    size_t vend = n;
    for (size_t k = n; k > d; k--)
        if (s[k - 1] == '-') {
            vend = k - 1;
            o->r = s + k;
            o->rn = n - k;
            o->has_r = 1;
            break;
        }
    if (vend < vstart) /* "1:" then '-' cannot come before the colon */
        vend = vstart;
    o->v = s + vstart;
    o->vn = vend - vstart;
}

mamori_err mamori_rpmversion_compare(const char *a, size_t alen,
                                     const char *b, size_t blen, int *result)
{
    evr x, y;
    parse(a, alen, &x);
    parse(b, blen, &y);
    int r = segcmp(x.e, x.en, y.e, y.en);
    if (!r)
        r = segcmp(x.v, x.vn, y.v, y.vn);
    if (!r && x.has_r && y.has_r)
        r = segcmp(x.r, x.rn, y.r, y.rn);
    else if (!r && x.has_r != y.has_r)
        r = x.has_r ? 1 : -1;
    *result = r;
    return MAMORI_OK;
}
