/*
 * spf_macro.c — SPF macro-strings (RFC 7208 7): validation at parse time
 * and expansion at evaluation time.
 *
 * A macro such as %{l2r-} takes a value (the sender's local part), splits
 * it on delimiters, optionally reverses the parts, keeps the rightmost N
 * and rejoins them with dots; an uppercase letter URL-escapes the result.
 * Values come from the SMTP session and from DNS, so each is cut at
 * MR_SPF_VALUE_MAX bytes and the whole expansion at MR_SPF_EXPAND_MAX.
 * For domain names the expansion keeps its right end (labels are cut from
 * the left, RFC 7208 7.3), so that buffer drops bytes from its left.
 */
#include "common.h"

#include <inttypes.h>

#include "dns/spf.h"

#define MR_SPF_VALUE_MAX 1024      /* one macro's value, before transforms */

static const char spf_delimiters[] = ".-+,/_=";

static bool is_digit(int c) { return c >= '0' && c <= '9'; }
static int to_lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

int mr_spf_macro_check(mr_span s, mr_spf_macro_mode mode, size_t *err_off,
                       const char **why, size_t *tail_off)
{
    size_t i = 0, tail = 0;
    while (i < s.n) {
        unsigned char c = (unsigned char)s.p[i];
        if (c != '%') {
            bool ok = (c >= 0x21 && c <= 0x7e) ||
                      (c == ' ' && mode == MR_SPF_MACRO_EXP);
            if (!ok) {
                *err_off = i;
                *why = "character not allowed in a macro-string";
                return -1;
            }
            i++;
            continue;
        }
        if (i + 1 >= s.n) {
            *err_off = i;
            *why = "'%' at the end of a macro-string";
            return -1;
        }
        char next = s.p[i + 1];
        if (next == '%' || next == '_' || next == '-') {
            i += 2;
            tail = i;
            continue;
        }
        if (next != '{') {
            *err_off = i;
            *why = "'%' must be followed by '{', '%', '_' or '-'";
            return -1;
        }
        size_t j = i + 2;
        int letter = j < s.n ? to_lower((unsigned char)s.p[j]) : 0;
        if (letter == 0 || strchr("slodiphvcrt", letter) == NULL) {
            *err_off = j;
            *why = "unknown macro letter";
            return -1;
        }
        if (strchr("crt", letter) != NULL && mode == MR_SPF_MACRO_DOMAIN) {
            *err_off = j;
            *why = "macro letters c, r and t are allowed only in explanations";
            return -1;
        }
        j++;
        size_t digits_at = j;
        unsigned value = 0;
        while (j < s.n && is_digit(s.p[j])) {
            value = MR_MIN(value * 10 + (unsigned)(s.p[j] - '0'), 100000u);
            j++;
        }
        if (j > digits_at && value == 0) {
            *err_off = digits_at;
            *why = "a macro's digit transformer must not be zero";
            return -1;
        }
        if (j < s.n && (s.p[j] == 'r' || s.p[j] == 'R'))
            j++;
        while (j < s.n && s.p[j] != '\0' && strchr(spf_delimiters, s.p[j]))
            j++;
        if (j >= s.n || s.p[j] != '}') {
            *err_off = j;
            *why = "macro not closed by '}'";
            return -1;
        }
        i = j + 1;
        tail = i;
    }
    if (tail_off != NULL)
        *tail_off = tail;
    return 0;
}

/* The output of an expansion. In keep_tail mode an overflow drops bytes
 * from the left (and says so); otherwise it drops them from the right. */
typedef struct expand_buf {
    char *p;
    size_t cap;       /* bytes usable, the NUL excluded */
    size_t len;
    bool keep_tail;
    bool dropped;
} expand_buf;

static void put(expand_buf *b, const char *s, size_t n)
{
    if (!b->keep_tail) {
        size_t room = b->cap - b->len;
        if (n > room) {
            n = room;
            b->dropped = true;
        }
        memcpy(b->p + b->len, s, n);
        b->len += n;
        return;
    }
    if (n >= b->cap) {
        memcpy(b->p, s + (n - b->cap), b->cap);
        b->len = b->cap;
        b->dropped = true;
        return;
    }
    if (b->len + n > b->cap) {
        size_t shift = b->len + n - b->cap;
        memmove(b->p, b->p + shift, b->len - shift);
        b->len -= shift;
        b->dropped = true;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

/* Writes the raw value of a macro letter into val; returns its length. */
static size_t macro_value(const mr_spf_macro_env *env, int letter, char *val,
                          size_t cap)
{
    const char *v = NULL;
    char tmp[MR_IP_TEXT_MAX + 8];
    switch (letter) {
    case 's':
        snprintf(val, cap, "%s@%s", env->local_part ? env->local_part : "",
                 env->sender_domain ? env->sender_domain : "");
        return strlen(val);
    case 'l': v = env->local_part; break;
    case 'o': v = env->sender_domain; break;
    case 'd': v = env->domain; break;
    case 'h': v = env->helo; break;
    case 'r': v = env->receiver ? env->receiver : "unknown"; break;
    case 'v': v = env->ip.family == 4 ? "in-addr" : "ip6"; break;
    case 'c':
        mr_ip_format(&env->ip, tmp, sizeof tmp);
        v = tmp;
        break;
    case 't':
        snprintf(val, cap, "%" PRId64, env->now);
        return strlen(val);
    case 'p':
        v = env->validated_name ? env->validated_name(env->user, env->domain)
                                : NULL;
        if (v == NULL)
            v = "unknown";
        break;
    case 'i':
        if (env->ip.family == 4) {
            mr_ip_format(&env->ip, val, cap);
            return strlen(val);
        } else {
            /* RFC 7208 7.4: dot-separated nibbles, as in its examples. */
            static const char hex[] = "0123456789ABCDEF";
            size_t k = 0;
            for (int i = 0; i < 16 && k + 5 < cap; i++) {
                if (i > 0)
                    val[k++] = '.';
                val[k++] = hex[env->ip.b[i] >> 4];
                val[k++] = '.';
                val[k++] = hex[env->ip.b[i] & 0xf];
            }
            val[k] = '\0';
            return k;
        }
    default: break;
    }
    if (v == NULL)
        v = "";
    snprintf(val, cap, "%s", v);
    return strlen(val);
}

static bool is_unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

/* Splits val on delims, reverses if asked, keeps the rightmost `keep`
 * parts (0: all), joins them with '.', URL-escaping if `escape`. */
static void put_transformed(expand_buf *b, const char *val, size_t n,
                            const char *delims, size_t n_delims,
                            unsigned keep, bool reverse, bool escape)
{
    uint16_t start[MR_SPF_VALUE_MAX + 1], end[MR_SPF_VALUE_MAX + 1];
    size_t parts = 0, from = 0;
    for (size_t i = 0; i <= n; i++) {
        bool cut = i == n || memchr(delims, val[i], n_delims) != NULL;
        if (cut) {
            start[parts] = (uint16_t)from;
            end[parts] = (uint16_t)i;
            parts++;
            from = i + 1;
        }
    }
    size_t first = keep == 0 || keep >= parts ? 0 : parts - keep;
    for (size_t k = first; k < parts; k++) {
        /* k counts in the (possibly reversed) list; idx is the part. */
        size_t idx = reverse ? parts - 1 - k : k;
        if (k > first)
            put(b, ".", 1);
        for (size_t i = start[idx]; i < end[idx]; i++) {
            unsigned char c = (unsigned char)val[i];
            if (!escape || is_unreserved(c)) {
                put(b, (const char *)&c, 1);
            } else {
                char esc[4];
                snprintf(esc, sizeof esc, "%%%02X", c);
                put(b, esc, 3);
            }
        }
    }
}

/* Expands the macro at s.p[i] == '%' (validated); returns the next index. */
static size_t expand_one(const mr_spf_macro_env *env, mr_span s, size_t i,
                         expand_buf *b)
{
    char next = s.p[i + 1];
    if (next == '%') {
        put(b, "%", 1);
        return i + 2;
    }
    if (next == '_') {
        put(b, " ", 1);
        return i + 2;
    }
    if (next == '-') {
        put(b, "%20", 3);
        return i + 2;
    }
    size_t j = i + 2;
    int raw = (unsigned char)s.p[j++];
    int letter = to_lower(raw);
    unsigned keep = 0;
    while (is_digit(s.p[j])) {
        /* More parts than any value has means "all": saturate there. */
        keep = MR_MIN(keep * 10 + (unsigned)(s.p[j] - '0'),
                      (unsigned)MR_SPF_VALUE_MAX + 2);
        j++;
    }
    bool reverse = false;
    if (s.p[j] == 'r' || s.p[j] == 'R') {
        reverse = true;
        j++;
    }
    size_t delim_at = j;
    while (s.p[j] != '}')
        j++;
    const char *delims = j > delim_at ? s.p + delim_at : ".";
    size_t n_delims = j > delim_at ? j - delim_at : 1;

    char val[MR_SPF_VALUE_MAX + 1];
    size_t n = macro_value(env, letter, val, sizeof val);
    put_transformed(b, val, n, delims, n_delims, keep, reverse, raw != letter);
    return j + 1;
}

/* RFC 7208 7.3: drop a final dot, then whole labels from the left until
 * the name fits. A buffer that already lost bytes lost part of a label. */
static size_t fit_domain(char *p, size_t len, bool dropped, size_t max)
{
    if (len > 0 && p[len - 1] == '.')
        len--;
    size_t from = 0;
    while (len - from > max || dropped) {
        const char *dot = memchr(p + from, '.', len - from);
        if (dot == NULL)
            break;
        from = (size_t)(dot - p) + 1;
        dropped = false;
    }
    memmove(p, p + from, len - from);
    return len - from;
}

int mr_spf_macro_expand(const mr_spf_macro_env *env, mr_span s,
                        mr_spf_macro_mode mode, char *out, size_t cap)
{
    size_t err_off;
    const char *why;
    if (cap == 0 || mr_spf_macro_check(s, mode, &err_off, &why, NULL) != 0)
        return -1;
    bool domain = mode == MR_SPF_MACRO_DOMAIN;
    if (domain && cap < MR_DNS_NAME_MAX + 1)
        return -1;
    char scratch[MR_SPF_EXPAND_MAX];
    expand_buf b = {domain ? scratch : out,
                    domain ? sizeof scratch : cap - 1, 0, domain, false};
    size_t i = 0;
    while (i < s.n) {
        if (s.p[i] == '%') {
            i = expand_one(env, s, i, &b);
            continue;
        }
        size_t run = i;
        while (run < s.n && s.p[run] != '%')
            run++;
        put(&b, s.p + i, run - i);
        i = run;
    }
    if (!domain) {
        out[b.len] = '\0';
        return (int)b.len;
    }
    size_t len = fit_domain(scratch, b.len, b.dropped, MR_DNS_NAME_MAX);
    if (len > MR_DNS_NAME_MAX)
        len = MR_DNS_NAME_MAX;   /* one giant label: invalid anyway */
    memcpy(out, scratch, len);
    out[len] = '\0';
    return (int)len;
}
