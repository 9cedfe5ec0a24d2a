/*
 * debver.c — Debian version parsing and comparison (patch.h), exactly as
 * dpkg's parseversion() and verrevcmp() define them (deb-version(7)):
 * the epoch numerically, then the upstream version and the revision, each
 * cut into alternating runs of non-digits (compared character by
 * character: '~' sorts before everything, even the end of the string;
 * letters before every other character) and digits (compared as numbers,
 * leading zeros ignored, of any length). Works on bounded spans: the
 * strings are never NUL-terminated or copied.
 */
#include "common.h"

#include "mamori/patch.h"

static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_alpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static int is_blank(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
           c == '\v';
}

/* dpkg's order(): the weight of one character of a non-digit run; 0 is
 * the end of the string (and a digit, which ends the run). */
static int order(int c)
{
    if (is_digit(c))
        return 0;
    if (is_alpha(c))
        return c;
    if (c == '~')
        return -1;
    if (c)
        return c + 256;
    return 0;
}

/* dpkg's verrevcmp() over spans: a[i] past the end reads as 0. */
static int verrevcmp(const char *a, size_t an, const char *b, size_t bn)
{
    size_t i = 0, j = 0;
#define AT(s, n, k) ((k) < (n) ? (unsigned char)(s)[k] : 0)
    while (i < an || j < bn) {
        int first_diff = 0;
        while ((i < an && !is_digit(AT(a, an, i))) ||
               (j < bn && !is_digit(AT(b, bn, j)))) {
            int ac = order(AT(a, an, i));
            int bc = order(AT(b, bn, j));
            if (ac != bc)
                return ac - bc;
            i++;
            j++;
        }
        while (AT(a, an, i) == '0')
            i++;
        while (AT(b, bn, j) == '0')
            j++;
        while (is_digit(AT(a, an, i)) && is_digit(AT(b, bn, j))) {
            if (!first_diff)
                first_diff = AT(a, an, i) - AT(b, bn, j);
            i++;
            j++;
        }
        if (is_digit(AT(a, an, i)))
            return 1;
        if (is_digit(AT(b, bn, j)))
            return -1;
        if (first_diff)
            return first_diff;
    }
#undef AT
    return 0;
}

static mamori_err fail(const char **why, const char *msg)
{
    if (why)
        *why = msg;
    return MAMORI_E_INVAL;
}

mamori_err mamori_debversion_parse(const char *s, size_t len,
                                   mamori_debversion *out, const char **why)
{
    memset(out, 0, sizeof(*out));
    out->upstream = out->revision = "";
    if (why)
        *why = NULL;
    while (len && is_blank((unsigned char)*s)) {
        s++;
        len--;
    }
    while (len && is_blank((unsigned char)s[len - 1]))
        len--;
    if (len == 0)
        return fail(why, "version string is empty");
    for (size_t i = 0; i < len; i++)
        if (is_blank((unsigned char)s[i]))
            return fail(why, "version string has embedded spaces");
    const char *colon = memchr(s, ':', len);
    if (colon) {
        size_t n = (size_t)(colon - s);
        uint64_t epoch = 0;
        if (n == 0)
            return fail(why, "epoch in version is empty");
        for (size_t i = 0; i < n; i++) {
            if (!is_digit((unsigned char)s[i]))
                return fail(why, "epoch in version is not number");
            epoch = epoch * 10 + (uint64_t)(s[i] - '0');
            if (epoch > INT32_MAX)
                return fail(why, "epoch in version is too big");
        }
        out->epoch = (uint32_t)epoch;
        len -= n + 1;
        s = colon + 1;
        if (len == 0)
            return fail(why, "nothing after colon in version number");
    }
    /* The revision follows the last hyphen. */
    size_t vlen = len;
    for (size_t i = len; i > 0; i--) {
        if (s[i - 1] == '-') {
            vlen = i - 1;
            out->revision = s + i;
            out->revision_len = len - i;
            if (out->revision_len == 0)
                return fail(why, "revision number is empty");
            break;
        }
    }
    if (vlen == 0)
        return fail(why, "version number is empty");
    out->upstream = s;
    out->upstream_len = vlen;
    /* What dpkg only warns about: compared all the same. */
    if (!is_digit((unsigned char)s[0]))
        out->warning = 1;
    for (size_t i = 0; i < vlen; i++) {
        int c = (unsigned char)s[i];
        if (!is_digit(c) && !is_alpha(c) && (!c || !strchr(".-+~:", c)))
            out->warning = 1;
    }
    for (size_t i = 0; i < out->revision_len; i++) {
        int c = (unsigned char)out->revision[i];
        if (!is_digit(c) && !is_alpha(c) && (!c || !strchr(".+~", c)))
            out->warning = 1;
    }
    return MAMORI_OK;
}

static int sign(int v) { return v < 0 ? -1 : v > 0; }

int mamori_debversion_cmp(const mamori_debversion *a,
                          const mamori_debversion *b)
{
    if (a->epoch != b->epoch)
        return a->epoch > b->epoch ? 1 : -1;
    int r = verrevcmp(a->upstream, a->upstream_len, b->upstream,
                      b->upstream_len);
    if (r)
        return sign(r);
    return sign(verrevcmp(a->revision, a->revision_len, b->revision,
                          b->revision_len));
}

mamori_err mamori_debversion_compare(const char *a, size_t alen,
                                     const char *b, size_t blen, int *result,
                                     const char **why)
{
    mamori_debversion va, vb;
    *result = 0;
    mamori_err e = mamori_debversion_parse(a, alen, &va, why);
    if (!e)
        e = mamori_debversion_parse(b, blen, &vb, why);
    if (e)
        return e;
    *result = mamori_debversion_cmp(&va, &vb);
    return MAMORI_OK;
}
