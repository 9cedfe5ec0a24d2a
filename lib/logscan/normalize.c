/*
 * normalize.c — decoding of a request part as an attacker's encodings
 * demand (see normalize.h): percent, %u, '+', HTML entities, overlong
 * UTF-8, repeated until nothing changes; then case and backslashes.
 *
 * C/JavaScript escapes (\xXX, \uXXXX) decode like %XX and %uXXXX: a
 * payload meant for a script's string literal ("\u0024{jndi:", "\x27 or")
 * reaches the detectors as the characters it spells. Look-alike
 * punctuation (fullwidth forms, division slash, IIS's best-fit private
 * code points) folds to the ASCII it stands for, encoded or raw.
 *
 * Every decoding step emits at most as many bytes as it consumes, so the
 * passes after the first run in place over the output buffer.
 */
#include "common.h"

#include "logscan/detect.h"
#include "logscan/normalize.h"

static int hex_val(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (unsigned char)(c | 0x20);
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* Code points that IIS's best-fit mapping, or a path parser that folds
 * compatibility forms, reads as an ASCII separator or dot: fullwidth
 * ASCII, the division and set-minus slashes, the fraction slash, and the
 * private-use pair dotdotpwn sends for IIS (U+EFC8 '/', U+F025 '\'). */
static uint32_t fold_lookalike(uint32_t cp)
{
    if (cp >= 0xFF01 && cp <= 0xFF5E)
        return cp - 0xFEE0;
    switch (cp) {
    case 0x2215: case 0x2044: case 0xEFC8: return '/';
    case 0x2216: case 0xF025: case 0xFE68: return '\\';
    case 0x2024: case 0xFE52: return '.';
    default: return cp;
    }
}

/* Writes code point cp as UTF-8 (fullwidth ASCII folded to ASCII) into
 * dst; returns the bytes written (1..4), 0 for an invalid code point. */
static size_t put_code_point(uint32_t cp, unsigned char *dst)
{
    cp = fold_lookalike(cp);
    if (cp < 0x80) {
        dst[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        dst[0] = (unsigned char)(0xC0 | (cp >> 6));
        dst[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        dst[0] = (unsigned char)(0xE0 | (cp >> 12));
        dst[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        dst[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    if (cp <= 0x10FFFF) {
        dst[0] = (unsigned char)(0xF0 | (cp >> 18));
        dst[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
        dst[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        dst[3] = (unsigned char)(0x80 | (cp & 0x3F));
        return 4;
    }
    return 0;
}

typedef struct named_entity {
    const char *name;   /* without '&' and ';' */
    size_t len;
    unsigned char value;
    unsigned char semicolon_optional;
} named_entity;

#define ENT(name, value, optional) {name, sizeof(name) - 1, value, optional}

/* The entities that spell the characters payloads are made of. */
static const named_entity named_entities[] = {
    ENT("lt", '<', 1),      ENT("gt", '>', 1),      ENT("amp", '&', 1),
    ENT("quot", '"', 1),    ENT("apos", '\'', 0),   ENT("sol", '/', 0),
    ENT("bsol", '\\', 0),   ENT("colon", ':', 0),   ENT("lpar", '(', 0),
    ENT("rpar", ')', 0),    ENT("semi", ';', 0),    ENT("equals", '=', 0),
    ENT("num", '#', 0),     ENT("excl", '!', 0),    ENT("grave", '`', 0),
    ENT("tab", '\t', 0),    ENT("newline", '\n', 0), ENT("nbsp", ' ', 0),
    ENT("period", '.', 0),  ENT("comma", ',', 0),   ENT("plus", '+', 0),
    ENT("percnt", '%', 0),  ENT("lsqb", '[', 0),    ENT("rsqb", ']', 0),
    ENT("lcub", '{', 0),    ENT("rcub", '}', 0),    ENT("ast", '*', 0),
    ENT("dollar", '$', 0),  ENT("quest", '?', 0),   ENT("vert", '|', 0),
    ENT("hyphen", '-', 0),  ENT("lowbar", '_', 0),  ENT("commat", '@', 0),
};

#define MR_ENTITY_DIGITS_MAX 8   /* &#00000060; is still '<' */

/* Decodes an HTML entity at s[0] == '&'; returns bytes consumed (0 if
 * none) and the decoded bytes in dst / *dst_len. */
static size_t decode_entity(const unsigned char *s, size_t n,
                            unsigned char *dst, size_t *dst_len)
{
    if (n < 3)
        return 0;
    if (s[1] == '#') {
        size_t i = 2;
        uint32_t cp = 0;
        size_t digits = 0;
        int hex = (s[i] | 0x20) == 'x';
        if (hex)
            i++;
        while (i < n && digits < MR_ENTITY_DIGITS_MAX) {
            int v = hex ? hex_val(s[i]) : (s[i] >= '0' && s[i] <= '9' ? s[i] - '0' : -1);
            if (v < 0)
                break;
            cp = cp * (hex ? 16u : 10u) + (uint32_t)v;
            digits++;
            i++;
        }
        if (digits == 0)
            return 0;
        if (i < n && s[i] == ';')
            i++;
        size_t w = put_code_point(cp, dst);
        if (w == 0 || w > i)
            return 0;
        *dst_len = w;
        return i;
    }
    for (size_t e = 0; e < MR_ARRAY_LEN(named_entities); e++) {
        const named_entity *ne = &named_entities[e];
        size_t len = ne->len;
        if (n < 1 + len || (s[1] | 0x20) != (unsigned char)ne->name[0])
            continue;
        size_t k = 0;
        while (k < len && (s[1 + k] | 0x20) == (unsigned char)ne->name[k])
            k++;
        if (k < len)
            continue;
        size_t used = 1 + len;
        if (used < n && s[used] == ';')
            used++;
        else if (!ne->semicolon_optional)
            continue;
        dst[0] = ne->value;
        *dst_len = 1;
        return used;
    }
    return 0;
}

bool mr_entity_may_start(unsigned char c)
{
    if (c == '#')
        return true;
    for (size_t e = 0; e < MR_ARRAY_LEN(named_entities); e++)
        if ((unsigned char)(c | 0x20) == (unsigned char)named_entities[e].name[0])
            return true;
    return false;
}

size_t mr_entity_len(const char *s, size_t n)
{
    unsigned char tmp[4];
    size_t tlen = 0;
    if (n == 0 || s[0] != '&')
        return 0;
    return decode_entity((const unsigned char *)s, n, tmp, &tlen);
}

/* One pass of %XX, %uXXXX, entities (and '+' when plus): src may equal
 * dst. Sets *changed when anything decoded. On the first pass (log),
 * the log's own escapes are undone too: Apache writes a request's '\\'
 * as "\\\\" and '"' as "\\\"" (nginx writes "\\x5C" and "\\x22",
 * decoded below with the other "\\x" escapes, so "\\\\" never comes
 * from it). A JSON log's parser has undone them already; undoing them
 * again only reads a payload's own "\\\"" as '"', which no detector
 * tells apart. */
static size_t decode_pass(const unsigned char *src, size_t n, unsigned char *dst,
                          size_t cap, int plus, int log, int *changed)
{
    size_t r = 0, w = 0;
    *changed = 0;
    while (r < n && w < cap) {
        unsigned char c = src[r];
        unsigned char tmp[4];
        size_t tlen = 0, used = 0;
        if (c == '%') {
            int h1, h2;
            if (r + 2 < n && (h1 = hex_val(src[r + 1])) >= 0 &&
                (h2 = hex_val(src[r + 2])) >= 0) {
                tmp[0] = (unsigned char)(h1 << 4 | h2);
                tlen = 1;
                used = 3;
            } else if (r + 5 < n && (src[r + 1] | 0x20) == 'u') {
                uint32_t cp = 0;
                int ok = 1;
                for (size_t k = 2; k < 6; k++) {
                    int v = hex_val(src[r + k]);
                    if (v < 0) {
                        ok = 0;
                        break;
                    }
                    cp = cp << 4 | (uint32_t)v;
                }
                if (ok && (tlen = put_code_point(cp, tmp)) > 0)
                    used = 6;
            }
        } else if (c == '\\' && r + 3 < n && (src[r + 1] | 0x20) == 'x' &&
                   hex_val(src[r + 2]) >= 0 && hex_val(src[r + 3]) >= 0) {
            /* C and JavaScript escapes: "\x27", "\u0024{jndi:" */
            tmp[0] = (unsigned char)(hex_val(src[r + 2]) << 4 | hex_val(src[r + 3]));
            tlen = 1;
            used = 4;
        } else if (c == '\\' && r + 5 < n && src[r + 1] == 'u') {
            uint32_t cp = 0;
            int ok = 1;
            for (size_t k = 2; k < 6 && ok; k++) {
                int v = hex_val(src[r + k]);
                ok = v >= 0;
                cp = cp << 4 | (uint32_t)(ok ? v : 0);
            }
            if (ok && (tlen = put_code_point(cp, tmp)) > 0)
                used = 6;
        } else if (c == '\\' && log && r + 1 < n && (src[r + 1] == '\\' || src[r + 1] == '"')) {
            tmp[0] = src[r + 1];
            tlen = 1;
            used = 2;
        } else if (c == '&') {
            used = decode_entity(src + r, n - r, tmp, &tlen);
        } else if (c == '+' && plus) {
            tmp[0] = ' ';
            tlen = 1;
            used = 1;
        }
        if (used == 0) {
            dst[w++] = c;
            r++;
            continue;
        }
        if (w + tlen > cap)
            break;
        memcpy(dst + w, tmp, tlen);
        w += tlen;
        r += used;
        *changed = 1;
    }
    return w;
}

/* Folds overlong UTF-8 encodings of ASCII (C0/C1 xx, E0 80-9F xx,
 * F0 80-8F xx xx) to the ASCII byte, in place. C0/C1 take any second
 * byte below 0xC0, as IIS's decoder did (%c1%1c is '\'). */
static size_t overlong_pass(unsigned char *p, size_t n, int *changed)
{
    size_t r = 0, w = 0;
    while (r < n) {
        unsigned char c = p[r];
        if ((c == 0xC0 || c == 0xC1) && r + 1 < n && p[r + 1] < 0xC0) {
            unsigned char b = p[r + 1];
            unsigned char v = (unsigned char)(((c & 1u) << 6) | (b & 0x3Fu));
            /* an ASCII second byte is no continuation: a decoder that
             * skips the lead byte reads b itself ("%c0%5c" is '\\'),
             * IIS's read the bits (%c1%1c); keep the separator */
            if (b < 0x80 && v != '/' && v != '\\' && v != '.')
                v = b;
            p[w++] = v;
            r += 2;
            *changed = 1;
        } else if (c == 0xE0 && r + 2 < n && p[r + 1] >= 0x80 && p[r + 1] <= 0x81 &&
                   p[r + 2] >= 0x80 && p[r + 2] < 0xC0) {
            p[w++] = (unsigned char)(((p[r + 1] & 1u) << 6) | (p[r + 2] & 0x3Fu));
            r += 3;
            *changed = 1;
        } else if ((c == 0xE2 || c == 0xEF || c == 0xEE) && r + 2 < n &&
                   (p[r + 1] & 0xC0) == 0x80 && (p[r + 2] & 0xC0) == 0x80 &&
                   fold_lookalike(((uint32_t)(c & 0x0F) << 12) |
                                  ((uint32_t)(p[r + 1] & 0x3F) << 6) |
                                  (p[r + 2] & 0x3Fu)) < 0x80) {
            /* fullwidth and look-alike punctuation sent as raw UTF-8 */
            p[w++] = (unsigned char)fold_lookalike(((uint32_t)(c & 0x0F) << 12) |
                                                   ((uint32_t)(p[r + 1] & 0x3F) << 6) |
                                                   (p[r + 2] & 0x3Fu));
            r += 3;
            *changed = 1;
        } else if (c == 0xF0 && r + 3 < n && p[r + 1] == 0x80 && p[r + 2] == 0x80 &&
                   p[r + 3] >= 0x80 && p[r + 3] < 0xC0) {
            p[w++] = (unsigned char)(p[r + 3] & 0x7Fu);
            r += 4;
            *changed = 1;
        } else {
            p[w++] = c;
            r++;
        }
    }
    return w;
}

/* ASP drops a '%' that starts no escape: "%S%E%L%E%C%T" is SELECT to
 * it (sqlmap's percentage tamper). Text with many such stray signs
 * (MR_STRAY_PERCENT_MIN) gets them dropped here; "100% cotton" keeps its
 * one. */

/* A '%' at s[i] that starts no escape: not %XX, not %uXXXX, and not the
 * "%%32%65" nibble encoding (a '%' before an escape). */
static bool stray_at(const unsigned char *s, size_t i, size_t n)
{
    /* a template's "{%" and "%}" (Jinja, Twig, Liquid) are no stray sign */
    return s[i] == '%' && i + 1 < n && s[i + 1] != '%' && s[i + 1] != '}' &&
           !(i > 0 && s[i - 1] == '{') &&
           !(i + 2 < n && hex_val(s[i + 1]) >= 0 && hex_val(s[i + 2]) >= 0) &&
           (s[i + 1] | 0x20) != 'u';
}

static size_t stray_percents(const unsigned char *s, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        if (stray_at(s, i, n))
            count++;
    return count;
}

size_t mr_normalize_part(const char *in, size_t n, char *out, size_t cap,
                         unsigned flags)
{
    unsigned char *o = (unsigned char *)out;
    int changed = 0;
    if (cap == 0 || n == 0)
        return 0;
    size_t len = decode_pass((const unsigned char *)in, n, o, cap,
                             (flags & MR_NORM_PLUS) != 0, 1, &changed);
    if (memchr(o, '%', len) && stray_percents(o, len) >= MR_STRAY_PERCENT_MIN) {
        /* the stray signs dropped, in place (after the first pass, so
         * that "%%32%65" has become the escape "%2e" it spells) */
        size_t w = 0;
        for (size_t i = 0; i < len; i++)
            if (!stray_at(o, i, len))
                o[w++] = o[i];
        len = w;
        changed = 1;
    }
    len = overlong_pass(o, len, &changed);
    for (int pass = 1; pass < MR_NORM_PASSES && changed; pass++) {
        len = decode_pass(o, len, o, len, 0, 0, &changed);
        len = overlong_pass(o, len, &changed);
    }
    for (size_t i = 0; i < len; i++) {
        unsigned char c = o[i];
        if (c >= 'A' && c <= 'Z' && !(flags & MR_NORM_KEEP_CASE))
            o[i] = (unsigned char)(c + 32);
        else if (c == '\\' && (flags & MR_NORM_PATH))
            o[i] = '/';
    }
    return len;
}

size_t mr_normalize(const char *in, size_t n, char *out, size_t cap)
{
    const char *q = memchr(in, '?', n);
    size_t path_n = q ? (size_t)(q - in) : n;
    size_t len = mr_normalize_part(in, path_n, out, cap, MR_NORM_PATH);
    if (q && len < cap)
        len += mr_normalize_part(q, n - path_n, out + len, cap - len, MR_NORM_PLUS);
    return len;
}

size_t mr_path_canonical(char *p, size_t n)
{
    size_t r = 0, w = 0;
    while (r < n) {
        if (p[r] != '/') {
            p[w++] = p[r++];
            continue;
        }
        /* at a slash: look at the segment that follows */
        size_t s = r + 1;
        while (s < n && p[s] == '/')
            s++;
        size_t e = s;
        while (e < n && p[e] != '/')
            e++;
        size_t seg = e - s;
        if (seg == 1 && p[s] == '.') {
            r = e;
            continue;
        }
        if (seg == 2 && p[s] == '.' && p[s + 1] == '.') {
            while (w > 0 && p[w - 1] != '/')
                w--;
            if (w > 0)
                w--;
            r = e;
            continue;
        }
        p[w++] = '/';
        r = s;
    }
    return w;
}
