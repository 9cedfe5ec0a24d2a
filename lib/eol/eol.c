/*
 * eol.c — a product's version joined with its upstream's end of support
 * (eol.h). The table is data/eol/products.def compiled in; the names a
 * server gives are mapped onto its products by a short list of aliases;
 * a version belongs to the longest branch that prefixes it ("1.0.2" of
 * "1.0.2k-fips", never "1.1" of "1.10.3"). Dates compare as text
 * (YYYY-MM-DD sorts as it reads) against today's date in UTC.
 */
#include "common.h"

#include <strings.h>
#include <time.h>

#include "eol/eol.h"

#define EOL_DATE_LEN 10          /* "YYYY-MM-DD" */

#define BRANCH(prod, br, end, latest, dend, src) \
    {prod, br, end, latest, dend, src},
static const mr_eol_row rows[] = {
#include "eol/products.def"
};
#undef BRANCH

/* A server's name for a product -> the table's. */
static const struct {
    const char *name, *product;
} aliases[] = {
    {"openssh", "openssh"},       {"nginx", "nginx"},
    {"apache", "apache-httpd"},   {"apache-httpd", "apache-httpd"},
    {"httpd", "apache-httpd"},    {"php", "php"},
    {"vsftpd", "vsftpd"},         {"microsoft-iis", "microsoft-iis"},
    {"openssl", "openssl"},
};

/* Words (lower case) by which a banner names a distribution's build, at
 * word boundaries (word_at()); "debNNu" is checked apart. */
static const char *const markers[] = {
    "debian", "ubuntu", "raspbian", "red hat", "red-hat", "redhat",
    "centos", "rocky", "almalinux", "fedora", "suse", "opensuse",
};

const mr_eol_row *mr_eol_rows(size_t *n)
{
    *n = MR_ARRAY_LEN(rows);
    return rows;
}

const char *mr_eol_product(const char *name, size_t n)
{
    if (!name || n == 0 || n >= MR_EOL_NAME_MAX)
        return NULL;
    for (size_t i = 0; i < MR_ARRAY_LEN(aliases); i++)
        if (strlen(aliases[i].name) == n &&
            strncasecmp(aliases[i].name, name, n) == 0)
            return aliases[i].product;
    return NULL;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

const mr_eol_row *mr_eol_find(const char *product, const char *version,
                              size_t n)
{
    const mr_eol_row *best = NULL;
    size_t bestn = 0;
    if (!product || !version || n == 0 || !is_digit(version[0]))
        return NULL;
    for (size_t i = 0; i < MR_ARRAY_LEN(rows); i++) {
        size_t bn = strlen(rows[i].branch);
        if (strcmp(rows[i].product, product) != 0 || bn > n ||
            memcmp(version, rows[i].branch, bn) != 0)
            continue;
        if (bn < n && is_digit(version[bn]))
            continue;              /* "1.1" is not a branch of "1.10.3" */
        if (bn > bestn) {
            best = &rows[i];
            bestn = bn;
        }
    }
    return best;
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* s[0..n) begins with the lower-case word w, ignoring case. */
static int starts(const char *s, size_t n, const char *w)
{
    size_t k = strlen(w);
    if (k > n)
        return 0;
    for (size_t i = 0; i < k; i++)
        if (lower(s[i]) != w[i])
            return 0;
    return 1;
}

/* A character of a host name or a word: a marker next to one is part
 * of a name ("mail.rocky-mountain.example", "ubuntu-mx"). */
static int name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           is_digit(c) || c == '-' || c == '.' || c == '_';
}

/* Marker m (k bytes) at text[i] stands as a word: not inside a name, but
 * "Debian-2+deb12u3" and "Ubuntu-3ubuntu0.1" (a package revision: '-'
 * and a digit after it) and "1ubuntu2" (digits on both sides) are. */
static int word_at(const char *text, size_t n, size_t i, size_t k)
{
    char before = i ? text[i - 1] : ' ';
    char after = i + k < n ? text[i + k] : ' ';
    char next = i + k + 1 < n ? text[i + k + 1] : ' ';
    if (is_digit(before) && is_digit(after))
        return 1;
    if (name_char(before))
        return 0;
    return !name_char(after) || (after == '-' && is_digit(next));
}

int mr_eol_distro_marker(const char *text, size_t n)
{
    if (!text)
        return 0;
    if (n > MR_EOL_TEXT_MAX)
        n = MR_EOL_TEXT_MAX;
    for (size_t i = 0; i < n; i++) {
        for (size_t m = 0; m < MR_ARRAY_LEN(markers); m++)
            if (starts(text + i, n - i, markers[m]) &&
                word_at(text, n, i, strlen(markers[m])))
                return 1;
        /* "deb12u1", "+deb11u4": Debian's stable-update suffix */
        if (starts(text + i, n - i, "deb")) {
            size_t k = i + 3;
            while (k < n && is_digit(text[k]))
                k++;
            if (k > i + 3 && k < n && lower(text[k]) == 'u')
                return 1;
        }
    }
    return 0;
}

static int ends_token(char c)
{
    /* "nginx/1.18.0(Ubuntu)": a version ends at '(' too */
    return c == ' ' || c == '\t' || c == ',' || c == ';' || c == ')' ||
           c == '(';
}

size_t mr_eol_tokens(const char *value, size_t n, mr_eol_token_fn fn,
                     void *user)
{
    size_t p = 0, calls = 0;
    if (n > MR_EOL_TEXT_MAX)
        n = MR_EOL_TEXT_MAX;
    while (p < n) {
        while (p < n && ends_token(value[p]))
            p++;
        size_t b = p;
        while (p < n && !ends_token(value[p]) && value[p] != '/')
            p++;
        if (p < n && value[p] == '/' && p > b && p + 1 < n &&
            is_digit(value[p + 1])) {
            size_t slash = p, vb = ++p;
            while (p < n && !ends_token(value[p]))
                p++;
            calls++;
            if (fn(user, value + b, slash - b, value + vb, p - vb))
                break;
        } else if (p < n) {
            p++;                   /* "a/b", "(x)": on to the next */
        }
    }
    return calls;
}

/* Today (UTC) as "YYYY-MM-DD". */
static void today(int64_t now, char out[EOL_DATE_LEN + 1])
{
    time_t t = (time_t)now;
    struct tm tm;
    if (!gmtime_r(&t, &tm)) {
        snprintf(out, EOL_DATE_LEN + 1, "0000-00-00");
        return;
    }
    unsigned y = (unsigned)(tm.tm_year + 1900) % 10000u;
    unsigned m = (unsigned)(tm.tm_mon + 1) % 100u;
    unsigned d = (unsigned)tm.tm_mday % 100u;
    snprintf(out, EOL_DATE_LEN + 1, "%04u-%02u-%02u", y, m, d);
}

/* date is over (the day after its last day has come). */
static int passed(const char *date, const char *day)
{
    return date[0] && strcmp(date, day) < 0;
}

void mr_eol_judge(const char *name, size_t name_len, const char *version,
                  int distro, int64_t now, mr_eol_result *out)
{
    memset(out, 0, sizeof(*out));
    out->distro = distro != 0;
    out->severity = MAMORI_SEV_INFO;
    const char *product = mr_eol_product(name, name_len);
    if (!product || !version)
        return;
    out->row = mr_eol_find(product, version, strlen(version));
    if (!out->row)
        return;
    char day[EOL_DATE_LEN + 1];
    today(now, day);
    if (!passed(out->row->end, day)) {
        out->verdict = MR_EOL_SUPPORTED;
    } else if (out->row->distro_end[0] &&
               !passed(out->row->distro_end, day)) {
        out->verdict = MR_EOL_DISTRO; /* most likely that package */
    } else {
        out->verdict = MR_EOL_ENDED;
        out->report = 1;
        out->severity = out->distro ? MAMORI_SEV_MEDIUM : MAMORI_SEV_HIGH;
    }
}

const char *mr_eol_date(const mr_eol_result *r)
{
    return r->row && r->row->end[0] ? r->row->end : NULL;
}

int64_t mr_eol_supported_cell(const mr_eol_result *r)
{
    switch (r->verdict) {
    case MR_EOL_SUPPORTED: return MAMORI_CELL_TRUE;
    case MR_EOL_ENDED: return MAMORI_CELL_FALSE;
    default: return MAMORI_CELL_NULL;
    }
}

const char *mr_eol_verdict_name(mr_eol_verdict v)
{
    switch (v) {
    case MR_EOL_SUPPORTED: return "supported";
    case MR_EOL_DISTRO: return "distribution";
    case MR_EOL_ENDED: return "ended";
    default: return "unknown";
    }
}

void mr_eol_evidence(const mr_eol_result *r, const char *name,
                     size_t name_len, const char *version, char *out,
                     size_t cap)
{
    if (!cap)
        return;
    out[0] = '\0';
    if (!r->row)
        return;
    int nl = (int)MR_MIN(name_len, (size_t)MR_EOL_NAME_MAX);
    int w = snprintf(out, cap, "%.*s %s: upstream support of the %s "
                     "branch %s %s", nl, name, version, r->row->branch,
                     r->verdict == MR_EOL_SUPPORTED ? "lasts" : "ended",
                     r->row->end[0] ? r->row->end : "with no end announced");
    if (w < 0 || (size_t)w >= cap)
        return;
    size_t used = (size_t)w;
    if (r->row->latest[0]) {
        w = snprintf(out + used, cap - used, " (its last release %s)",
                     r->row->latest);
        if (w < 0 || (size_t)w >= cap - used)
            return;
        used += (size_t)w;
    }
    if (r->verdict == MR_EOL_DISTRO)
        snprintf(out + used, cap - used, "; a supported Debian or Ubuntu "
                 "release ships this branch with fixes backported until %s",
                 r->row->distro_end);
    else if (r->verdict == MR_EOL_ENDED && r->distro)
        snprintf(out + used, cap - used, "; the version string names a "
                 "distribution, whose vendor may still backport fixes "
                 "(paid extended support)");
}

void mr_eol_finding_fields(mamori_finding *f, const mr_eol_result *r)
{
    const char *support = mr_eol_verdict_name(r->verdict);
    mamori_finding_str(f, "eol_product", r->row->product, strlen(r->row->product));
    mamori_finding_str(f, "branch", r->row->branch, strlen(r->row->branch));
    mamori_finding_str(f, "eol", r->row->end, strlen(r->row->end));
    if (r->row->latest[0])
        mamori_finding_str(f, "latest", r->row->latest, strlen(r->row->latest));
    mamori_finding_str(f, "support", support, strlen(support));
    mamori_finding_str(f, "distribution", r->distro ? "named" : "not named",
                       r->distro ? 5 : 9);
    mamori_finding_str(f, "reference", r->row->source, strlen(r->row->source));
}
