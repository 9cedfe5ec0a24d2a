/*
 * fwdxml.c — the XML scanner of firewalld's files (fwdxml.h): zones,
 * services and policies are someone else's XML, read here with named
 * maxima (names, values, attributes per element) and no allocation but
 * one element's buffer.
 *
 * It reads elements and their attributes (Name S? '=' S? value, quoted
 * either way) and skips comments, <?...?>, a DOCTYPE without an internal
 * subset and text between elements; the five predefined entities are
 * decoded. It stops at anything it does not expect, and at what
 * firewalld's parser (expat) would read differently: any other '&' (a
 * character reference such as "&#65;", an entity a DOCTYPE declares), a
 * DOCTYPE's internal subset (its entities may expand to elements), CDATA.
 * The caller makes a file it stops on unknown, never a guess.
 */
#include "common.h"

#include "exposure/fwdxml.h"

static int name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '-' || c == '_' || c == ':' ||
           c == '.';
}

static int space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Skips from p (after "<!--" or "<?" or "<!") past the terminator; the
 * offset after it, or 0 when it never comes. */
static size_t skip_to(const char *s, size_t len, size_t p, const char *end)
{
    size_t n = strlen(end);
    for (; p + n <= len; p++)
        if (!memcmp(s + p, end, n))
            return p + n;
    return 0;
}

/* The length of the predefined entity at s ("&amp;" and its four
 * siblings; n bytes there) and its character in *c; 0 for any other
 * '&': a character reference or an entity a DOCTYPE declares, which
 * expat expands and this scanner does not. */
static size_t entity(const char *s, size_t n, char *c)
{
    static const struct {
        const char *ref;
        char c;
    } ents[] = {{"&lt;", '<'}, {"&gt;", '>'}, {"&amp;", '&'},
                {"&quot;", '"'}, {"&apos;", '\''}};
    for (size_t i = 0; i < MR_ARRAY_LEN(ents); i++) {
        size_t k = strlen(ents[i].ref);
        if (k <= n && !memcmp(s, ents[i].ref, k)) {
            *c = ents[i].c;
            return k;
        }
    }
    return 0;
}

/* 0 when every '&' of s[0 .. n) (text between elements) is a
 * predefined entity. */
static int text_ok(const char *s, size_t n)
{
    char c;
    for (const char *a = memchr(s, '&', n); a;
         a = memchr(a + 1, '&', n - (size_t)(a + 1 - s)))
        if (!entity(a, n - (size_t)(a - s), &c))
            return -1;
    return 0;
}

/* An attribute's value s[0 .. n) into out (MR_XP_XML_VALUE_MAX bytes) with
 * the predefined entities decoded; -1 for another '&' or too long. */
static int value(const char *s, size_t n, char *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n; k++) {
        char c = s[i];
        size_t e = 1;
        if (c == '&' && !(e = entity(s + i, n - i, &c)))
            return -1;
        if (k + 1 >= MR_XP_XML_VALUE_MAX)
            return -1;
        out[k] = c;
        i += e;
    }
    out[k] = '\0';
    return 0;
}

/* Past "<!DOCTYPE ...>" from p (after "<!DOCTYPE"); 0 when it never
 * ends or has an internal subset ('['): its entities could expand to
 * elements this scanner never sees. */
static size_t doctype(const char *s, size_t len, size_t p)
{
    for (; p < len; p++) {
        if (s[p] == '[')
            return 0;
        if (s[p] == '>')
            return p + 1;
    }
    return 0;
}

static size_t read_name(const char *s, size_t len, size_t p, char *out)
{
    size_t k = 0;
    while (p < len && name_char(s[p])) {
        if (k + 1 >= MR_XP_XML_NAME_MAX)
            return 0;
        out[k++] = s[p++];
    }
    out[k] = '\0';
    return k ? p : 0;
}

int mr_xp_xml_scan(const char *s, size_t len, mr_xp_xml_fn fn, void *user)
{
    size_t p = 0;
    mr_xp_xml_el *el = malloc(sizeof(*el));
    int r = 0;
    if (!el)
        return -2;
    while (p < len && !r) {
        const char *lt = memchr(s + p, '<', len - p);
        if (text_ok(s + p, lt ? (size_t)(lt - s) - p : len - p)) {
            r = -1;
            break;
        }
        if (!lt)
            break;
        p = (size_t)(lt - s) + 1;
        if (len - p >= 3 && !memcmp(s + p, "!--", 3)) {
            p = skip_to(s, len, p + 3, "-->");
        } else if (p < len && s[p] == '?') {
            p = skip_to(s, len, p + 1, "?>");
        } else if (len - p >= 8 && !memcmp(s + p, "!DOCTYPE", 8)) {
            p = doctype(s, len, p + 8);
        } else if (p < len && s[p] == '!') {
            p = 0;                 /* CDATA, a declaration: not read */
        } else {
            memset(el, 0, sizeof(*el));
            if (p < len && s[p] == '/') {
                el->closing = 1;
                p++;
            }
            p = read_name(s, len, p, el->name);
            while (p) {
                while (p < len && space(s[p]))
                    p++;
                if (p >= len) {
                    p = 0;
                } else if (s[p] == '>') {
                    p++;
                    break;
                } else if (s[p] == '/' && p + 1 < len && s[p + 1] == '>' &&
                           !el->closing) {
                    el->empty = 1;
                    p += 2;
                    break;
                } else if (el->closing || el->nattrs >= MR_XP_XML_ATTRS_MAX) {
                    p = 0;
                } else {
                    /* Attribute ::= Name S? '=' S? AttValue */
                    size_t a = el->nattrs;
                    p = read_name(s, len, p, el->key[a]);
                    while (p && p < len && space(s[p]))
                        p++;
                    if (!p || p >= len || s[p] != '=') {
                        p = 0;
                        break;
                    }
                    p++;
                    while (p < len && space(s[p]))
                        p++;
                    if (p >= len || (s[p] != '"' && s[p] != '\'')) {
                        p = 0;
                        break;
                    }
                    char q = s[p];
                    const char *e = memchr(s + p + 1, q, len - p - 1);
                    size_t n = e ? (size_t)(e - (s + p + 1)) : 0;
                    if (!e || value(s + p + 1, n, el->val[a])) {
                        p = 0;
                        break;
                    }
                    el->nattrs++;
                    p += n + 2;
                }
            }
            if (p)
                r = fn(user, el);
        }
        if (!p)
            r = -1;
    }
    free(el);
    return r;
}
