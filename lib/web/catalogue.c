/*
 * catalogue.c — parses the two data files of `mamori web` (catalogue.h):
 * lines split at '#' comments, words split at blanks, everything bounded.
 */
#include "common.h"

#include <strings.h>

#include "web/catalogue.h"

#define CAT_LINE_MAX 2048   /* one line of a data file */

typedef struct cursor {
    const char *p, *end;
    size_t line;
} cursor;

/* The next line without its comment, into buf; 0 at the end, -1 too long. */
static int next_line(cursor *c, char *buf, size_t cap, size_t *len)
{
    if (c->p >= c->end)
        return 0;
    const char *nl = memchr(c->p, '\n', (size_t)(c->end - c->p));
    const char *e = nl ? nl : c->end;
    size_t n = (size_t)(e - c->p);
    c->line++;
    if (n >= cap)
        return -1;
    memcpy(buf, c->p, n);
    buf[n] = '\0';
    c->p = nl ? nl + 1 : c->end;
    if (memchr(buf, '\0', n))
        return -1;
    char *hash = strchr(buf, '#');
    if (hash)
        *hash = '\0';
    *len = strlen(buf);
    return 1;
}

static int is_blank(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r';
}

/* The next word of *s into out (cap bytes); -1 when none or too long. */
static int word(const char **s, char *out, size_t cap)
{
    const char *p = *s;
    while (*p && is_blank(*p))
        p++;
    const char *b = p;
    while (*p && !is_blank(*p))
        p++;
    size_t n = (size_t)(p - b);
    if (n == 0 || n >= cap)
        return -1;
    memcpy(out, b, n);
    out[n] = '\0';
    *s = p;
    return 0;
}

static const char *skip_blanks(const char *p)
{
    while (*p && is_blank(*p))
        p++;
    return p;
}

int mr_web_catalogue_parse(const char *text, size_t len,
                           mr_web_catalogue *out, size_t *bad_line)
{
    cursor c = {text, text + len, 0};
    char buf[CAT_LINE_MAX];
    size_t n;
    int rc;
    memset(out, 0, sizeof(*out));
    while ((rc = next_line(&c, buf, sizeof(buf), &n)) > 0) {
        const char *s = skip_blanks(buf);
        if (*s == '\0')
            continue;
        if (out->n >= MR_WEB_PROBES_MAX)
            goto bad;
        mr_web_probe *p = &out->probes[out->n];
        if (word(&s, p->path, sizeof(p->path)) || p->path[0] != '/' ||
            word(&s, p->check, sizeof(p->check)))
            goto bad;
        s = skip_blanks(s);
        size_t sl = strlen(s);
        while (sl > 0 && is_blank(s[sl - 1]))
            sl--;
        if (sl == 0 || sl >= sizeof(p->sig))
            goto bad;
        if (!(sl == 1 && s[0] == '-'))
            memcpy(p->sig, s, sl);
        out->n++;
    }
    if (rc == 0)
        return 0;
bad:
    *bad_line = c.line;
    return -1;
}

static int names(const char *s, mr_web_names *l)
{
    l->n = 0;
    for (;;) {
        s = skip_blanks(s);
        if (*s == '\0')
            return l->n ? 0 : -1;
        if (l->n >= MR_WEB_MOZ_NAMES_MAX ||
            word(&s, l->v[l->n], MR_WEB_MOZ_NAME_MAX))
            return -1;
        l->n++;
    }
}

static int number(const char *s, unsigned *v)
{
    char *end;
    s = skip_blanks(s);
    if (*s < '0' || *s > '9')
        return -1;
    unsigned long x = strtoul(s, &end, 10);
    if (x > 1u << 20 || *skip_blanks(end) != '\0')
        return -1;
    *v = (unsigned)x;
    return 0;
}

int mr_web_mozilla_parse(const char *text, size_t len, mr_web_mozilla *out,
                         size_t *bad_line)
{
    cursor c = {text, text + len, 0};
    char buf[CAT_LINE_MAX], key[32];
    size_t n;
    int rc;
    memset(out, 0, sizeof(*out));
    while ((rc = next_line(&c, buf, sizeof(buf), &n)) > 0) {
        const char *s = skip_blanks(buf);
        if (*s == '\0')
            continue;
        const char *colon = strchr(s, ':');
        size_t kl = colon ? (size_t)(colon - s) : 0;
        if (kl == 0 || kl >= sizeof(key))
            goto bad;
        memcpy(key, s, kl);
        key[kl] = '\0';
        const char *v = colon + 1;
        int bad = 0;
        if (strcmp(key, "version") == 0)
            bad = word(&v, out->version, sizeof(out->version));
        else if (strcmp(key, "protocols") == 0)
            bad = names(v, &out->protocols);
        else if (strcmp(key, "ciphers") == 0)
            bad = names(v, &out->ciphers);
        else if (strcmp(key, "ciphersuites") == 0)
            bad = names(v, &out->ciphersuites);
        else if (strcmp(key, "groups") == 0)
            bad = names(v, &out->groups);
        else if (strcmp(key, "rsa_key_min") == 0)
            bad = number(v, &out->rsa_key_min);
        else if (strcmp(key, "dh_min") == 0)
            bad = number(v, &out->dh_min);
        else if (strcmp(key, "ocsp_stapling") == 0) {
            char w[8];
            bad = word(&v, w, sizeof(w));
            out->ocsp_stapling = !bad && strcmp(w, "on") == 0;
        } else
            bad = 1;                      /* an unknown key is a typo */
        if (bad)
            goto bad;
    }
    if (rc == 0 && out->protocols.n > 0)
        return 0;
bad:
    *bad_line = c.line;
    return -1;
}

int mr_web_names_has(const mr_web_names *l, const char *name)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcasecmp(l->v[i], name) == 0)
            return 1;
    return 0;
}
