/*
 * psl.c — the Public Suffix List (see psl.h): rules in one sorted array,
 * looked up by binary search for each suffix of a name, longest first,
 * with exception ("!") and wildcard ("*.") rules as the list's own
 * algorithm says (publicsuffix.org, "Algorithm").
 */
#include "common.h"

#include "dns/dns.h"
#include "dns/psl.h"

struct mr_psl {
    char *text;          /* the file, rules NUL-terminated in place */
    size_t n;
    char **rules;        /* the ICANN section's rules, sorted, then the
                            private section's, sorted */
    size_t nicann;       /* rules of the ICANN section */
};

static int cmp_rule(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

mr_psl *mr_psl_load(const char *path)
{
    FILE *f = fopen(path ? path : MR_PSL_PATH, "rb");
    if (f == NULL)
        return NULL;
    mr_psl *psl = calloc(1, sizeof *psl);
    if (psl)
        psl->text = malloc(MR_PSL_FILE_MAX + 1);
    if (psl)
        psl->rules = malloc(MR_PSL_RULES_MAX * sizeof *psl->rules);
    if (psl == NULL || psl->text == NULL || psl->rules == NULL) {
        fclose(f);
        mr_psl_free(psl);
        return NULL;
    }
    size_t len = fread(psl->text, 1, MR_PSL_FILE_MAX, f);
    fclose(f);
    psl->text[len] = '\0';
    char *p = psl->text, *end = psl->text + len;
    while (p < end && psl->n < MR_PSL_RULES_MAX) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        char *e = nl ? nl : end;
        *e = '\0';
        /* the private section (github.io...) starts at its marker */
        if (p[0] == '/' && p[1] == '/' && psl->nicann == 0 &&
            strstr(p, "===BEGIN PRIVATE DOMAINS===") != NULL)
            psl->nicann = psl->n;
        /* A rule is the line up to the first whitespace; "//" comments. */
        char *sp = p;
        while (*sp && *sp != ' ' && *sp != '\t' && *sp != '\r')
            sp++;
        *sp = '\0';
        if (p[0] && !(p[0] == '/' && p[1] == '/')) {
            for (char *c = p; *c; c++)
                if (*c >= 'A' && *c <= 'Z')
                    *c = (char)(*c | 0x20);
            psl->rules[psl->n++] = p;
        }
        p = e + 1;
    }
    if (psl->nicann == 0)
        psl->nicann = psl->n;                 /* no private section */
    qsort(psl->rules, psl->nicann, sizeof *psl->rules, cmp_rule);
    qsort(psl->rules + psl->nicann, psl->n - psl->nicann, sizeof *psl->rules,
          cmp_rule);
    return psl;
}

void mr_psl_free(mr_psl *psl)
{
    if (psl == NULL)
        return;
    free(psl->text);
    free(psl->rules);
    free(psl);
}

size_t mr_psl_count(const mr_psl *psl)
{
    return psl ? psl->n : 0;
}

static bool has_rule(const mr_psl *psl, bool private_too, const char *prefix,
                     const char *s)
{
    char key[MR_DNS_NAME_MAX + 4];
    snprintf(key, sizeof key, "%s%s", prefix, s);
    const char *k = key;
    return bsearch(&k, psl->rules, psl->nicann, sizeof *psl->rules, cmp_rule)
               != NULL ||
           (private_too &&
            bsearch(&k, psl->rules + psl->nicann, psl->n - psl->nicann,
                    sizeof *psl->rules, cmp_rule) != NULL);
}

int mr_psl_org_domain(const mr_psl *psl, const char *domain, char *out,
                      size_t cap)
{
    return mr_psl_registrable(psl, true, domain, out, cap);
}

int mr_psl_registrable(const mr_psl *psl, bool private_too,
                       const char *domain, char *out, size_t cap)
{
    char d[MR_DNS_NAME_MAX + 1];
    /* a label starts at most once a byte: hostile names may hold runs
     * of dots, which are refused below, but never index past this */
    const char *label[MR_DNS_NAME_MAX + 1];
    size_t len = strlen(domain), nl = 0;

    if (len > 0 && domain[len - 1] == '.')
        len--;
    if (len == 0 || len > MR_DNS_NAME_MAX)
        return -1;
    for (size_t i = 0; i < len; i++)
        d[i] = (domain[i] >= 'A' && domain[i] <= 'Z') ? (char)(domain[i] | 0x20)
                                                       : domain[i];
    d[len] = '\0';
    label[nl++] = d;
    for (size_t i = 0; i < len; i++) {
        if (d[i] != '.')
            continue;
        if (i == 0 || d[i - 1] == '.' || i + 1 == len)
            return -1;                        /* an empty label */
        label[nl++] = d + i + 1;
    }
    size_t ps = nl - 1;                       /* default rule "*" */
    for (size_t i = 0; psl && i < nl; i++) {
        if (has_rule(psl, private_too, "!", label[i])) {
            ps = i + 1 < nl ? i + 1 : i;
            break;
        }
        if (has_rule(psl, private_too, "", label[i]) ||
            (i + 1 < nl && has_rule(psl, private_too, "*.", label[i + 1]))) {
            ps = i;
            break;
        }
    }
    if (ps == 0)
        return -1;                            /* a public suffix itself */
    const char *org = label[ps - 1];
    if (strlen(org) >= cap)
        return -1;
    memcpy(out, org, strlen(org) + 1);
    return 0;
}
