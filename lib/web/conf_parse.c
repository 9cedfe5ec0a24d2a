/*
 * conf_parse.c — the tokenizers of nginx's and Apache's configuration
 * languages (conf.h), with a cursor over the text and a bounded word
 * buffer per directive. nginx: words (quoted with ' or ", backslash
 * escapes), ';' ends a directive, '{' opens a block, '}' closes one, '#'
 * at a word's start comments to the end of the line. Apache: one
 * directive a line ('\' at the end continues it), "#" lines are
 * comments, "<Name args>" opens a section and "</Name>" closes it.
 */
#include "common.h"

#include <strings.h>

#include "web/conf.h"

typedef struct words {
    mr_conf_directive d;
    char buf[MR_CONF_WORDS_BYTES];
    size_t used;
} words;

static int add_word(words *w, const char *s, size_t n)
{
    if (w->d.nargs >= MR_CONF_ARGS_MAX || n + 1 > sizeof(w->buf) - w->used)
        return -1;
    char *dst = w->buf + w->used;
    memcpy(dst, s, n);
    dst[n] = '\0';
    w->d.args[w->d.nargs++] = dst;
    w->used += n + 1;
    return 0;
}

/* A quoted word: copies without the quotes, backslash escapes kept as
 * the escaped character. */
static int add_quoted(words *w, const char **pp, const char *end,
                      uint64_t *line)
{
    const char *p = *pp;
    char q = *p++;
    size_t start = w->used, n = 0;
    if (w->d.nargs >= MR_CONF_ARGS_MAX)
        return -1;
    while (p < end && *p != q) {
        char c = *p++;
        if (c == '\\' && p < end)
            c = *p++;
        if (c == '\n')
            (*line)++;
        if (start + n + 1 >= sizeof(w->buf))
            return -1;
        w->buf[start + n++] = c;
    }
    if (p >= end)
        return -1;                        /* unterminated */
    w->buf[start + n] = '\0';
    w->d.args[w->d.nargs++] = w->buf + start;
    w->used = start + n + 1;
    *pp = p + 1;
    return 0;
}

static void reset(words *w)
{
    memset(&w->d, 0, sizeof(w->d));
    w->used = 0;
}

int mr_conf_parse_nginx(const char *text, size_t len, mr_conf_fn fn,
                        void *user, uint64_t *bad_line)
{
    words *w = malloc(sizeof(*w));
    const char *p = text, *end = text + len;
    uint64_t line = 1;
    int rc = 0;
    if (w == NULL) {
        *bad_line = 0;
        return -1;
    }
    reset(w);
    while (p < end) {
        char c = *p;
        if (c == '\n') {
            line++;
            p++;
        } else if (c == ' ' || c == '\t' || c == '\r') {
            p++;
        } else if (c == '#') {
            while (p < end && *p != '\n')
                p++;
        } else if (c == ';' || c == '{' || c == '}') {
            p++;
            if ((c == '}') != (w->d.nargs == 0)) {
                rc = -1;                  /* "a }" or a bare ";"/"{" */
                break;
            }
            if (c == '}')
                w->d.line = line;
            w->d.opens_block = c == '{';
            w->d.closes_block = c == '}';
            if (fn(user, &w->d) != 0) {
                rc = -2;
                break;
            }
            reset(w);
        } else {
            if (w->d.nargs == 0)
                w->d.line = line;
            if (c == '"' || c == '\'') {
                if (add_quoted(w, &p, end, &line) != 0) {
                    rc = -1;
                    break;
                }
                continue;
            }
            const char *b = p;
            while (p < end && *p != ' ' && *p != '\t' && *p != '\r' &&
                   *p != '\n' && *p != ';' && *p != '{' && *p != '}')
                p++;
            if (add_word(w, b, (size_t)(p - b)) != 0) {
                rc = -1;
                break;
            }
        }
    }
    if (rc == 0 && w->d.nargs > 0)
        rc = -1;                          /* a directive left open */
    *bad_line = line;
    free(w);
    return rc;
}

/* Splits one logical Apache line (NUL-terminated, writable) into words. */
static int apache_words(words *w, char *s)
{
    while (*s) {
        while (*s == ' ' || *s == '\t' || *s == '\r')
            s++;
        if (*s == '\0')
            break;
        if (*s == '"') {
            char *b = ++s;
            while (*s && *s != '"') {
                if (*s == '\\' && s[1])
                    s++;
                s++;
            }
            if (add_word(w, b, (size_t)(s - b)) != 0)
                return -1;
            if (*s == '"')
                s++;
            continue;
        }
        char *b = s;
        while (*s && *s != ' ' && *s != '\t' && *s != '\r')
            s++;
        if (add_word(w, b, (size_t)(s - b)) != 0)
            return -1;
    }
    return 0;
}

int mr_conf_parse_apache(const char *text, size_t len, mr_conf_fn fn,
                         void *user, uint64_t *bad_line)
{
    words *w = malloc(sizeof(*w));
    char *logical = malloc(MR_CONF_WORDS_BYTES);
    const char *p = text, *end = text + len;
    uint64_t line = 1;
    int rc = 0;
    if (w == NULL || logical == NULL) {
        free(w);
        free(logical);
        *bad_line = 0;
        return -1;
    }
    while (p < end && rc == 0) {
        size_t n = 0;
        uint64_t first = line;
        int more = 1;
        while (more && p < end) {       /* one logical line */
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            const char *e = nl ? nl : end;
            size_t k = (size_t)(e - p);
            more = k > 0 && p[k - 1] == '\\';
            if (more)
                k--;
            if (n + k + 1 >= MR_CONF_WORDS_BYTES) {
                rc = -1;
                break;
            }
            memcpy(logical + n, p, k);
            n += k;
            p = nl ? nl + 1 : end;
            line++;
        }
        if (rc)
            break;
        logical[n] = '\0';
        if (memchr(logical, '\0', n)) {
            rc = -1;
            break;
        }
        char *s = logical;
        while (*s == ' ' || *s == '\t')
            s++;
        if (*s == '\0' || *s == '#' || *s == '\r')
            continue;
        reset(w);
        w->d.line = first;
        if (*s == '<') {
            char *gt = strrchr(s, '>');
            if (gt == NULL) {
                line = first;
                rc = -1;
                break;
            }
            *gt = '\0';
            w->d.closes_block = s[1] == '/';
            w->d.opens_block = !w->d.closes_block;
            s += w->d.closes_block ? 2 : 1;
        }
        if (apache_words(w, s) != 0) {
            line = first;
            rc = -1;
            break;
        }
        if (w->d.nargs == 0 && !w->d.closes_block)
            continue;
        if (fn(user, &w->d) != 0)
            rc = -2;
    }
    *bad_line = line;
    free(w);
    free(logical);
    return rc;
}

int mr_conf_ciphers_weak(const char *list, char *why, size_t cap)
{
    static const char *const weak[] = {"NULL", "ADH", "AECDH", "EXP", "DES",
                                       "RC4", "MD5", "LOW", "@SECLEVEL=0"};
    const char *p = list;
    while (*p) {
        const char *e = p;
        while (*e && *e != ':' && *e != ',' && *e != ' ')
            e++;
        size_t n = (size_t)(e - p);
        if (n > 0 && *p != '!' && *p != '-') {
            char el[128];
            size_t k = MR_MIN(n, sizeof(el) - 1);
            memcpy(el, p, k);
            el[k] = '\0';
            for (size_t i = 0; i < MR_ARRAY_LEN(weak); i++)
                if (strstr(el, weak[i])) {
                    snprintf(why, cap, "%s", el);
                    return 1;
                }
        }
        p = *e ? e + 1 : e;
    }
    return 0;
}
