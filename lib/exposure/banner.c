/*
 * banner.c — the product and version a service names in what it sends
 * first: SSH's identification string (RFC 4253 4.2:
 * "SSH-2.0-OpenSSH_9.2p1 Debian-2"), an FTP or SMTP greeting (RFC 959,
 * RFC 5321 4.2: "220 (vsFTPd 3.0.3)", "220 mx ESMTP Exim 4.96 ..."), an
 * HTTP response's Server header (RFC 9110 10.2.4: "nginx/1.22.1"). The
 * pair is reported per listener so that end-of-life data can be joined
 * with it (patch's data today is per OS release, not per product).
 *
 * The version is joined with its upstream's end of support (eol/eol.h):
 * the summary's "eol" and "supported" columns and, past the end, the
 * finding exposure.eol-product (mr_xp_eol_report).
 *
 * The text is the service's (or, for --scan, any host's): a cursor with a
 * bound walks it, product and version are copied into fixed buffers
 * (MR_XP_PRODUCT_MAX, MR_XP_VERSION_MAX) and only of the characters a
 * name or a version holds; anything else ends them. A banner that names
 * nothing recognisable leaves both empty, never a guess.
 */
#include "common.h"

#include <strings.h>

#include "check_ids.h"
#include "eol/eol.h"
#include "exposure/exposure.h"

#define XP_EOL_EVIDENCE_MAX 512

static int name_ch(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
}

static int ver_ch(char c)
{
    return name_ch(c) || c == '+' || c == '~';
}

static int digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Copies s[0..n) into out (cap bytes) when it is all `ok` characters and
 * not empty; 0 when copied. */
static int take(const char *s, size_t n, char *out, size_t cap,
                int (*ok)(char))
{
    if (n == 0 || n >= cap)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (!ok(s[i]))
            return -1;
    memcpy(out, s, n);
    out[n] = '\0';
    return 0;
}

/* The word at s (up to n bytes) of `ok` characters: its length. */
static size_t word(const char *s, size_t n, int (*ok)(char))
{
    size_t i = 0;
    while (i < n && ok(s[i]))
        i++;
    return i;
}

static int has_lower(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] >= 'a' && s[i] <= 'z')
            return 1;
    return 0;
}

/* The bytes up to a blank or the end of the line. */
static size_t token(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && s[i] != ' ' && s[i] != '\t' && s[i] != '\r' &&
           s[i] != '\n')
        i++;
    return i;
}

/* "OpenSSH_9.2p1", "dropbear_2022.83", "libssh-0.9.6", "nginx/1.22.1":
 * the product before the first '_', '/' or '-' that a digit follows, the
 * version after it; the whole word the product when none. */
static void split_pair(const char *s, size_t n, mr_xp_version *v)
{
    for (size_t i = 1; i + 1 < n; i++) {
        if ((s[i] == '_' || s[i] == '/' || s[i] == '-') && digit(s[i + 1])) {
            if (take(s, i, v->product, sizeof(v->product), name_ch) == 0 &&
                take(s + i + 1, word(s + i + 1, n - i - 1, ver_ch),
                     v->version, sizeof(v->version), ver_ch) != 0)
                v->product[0] = '\0';
            return;
        }
    }
    (void)take(s, n, v->product, sizeof(v->product), name_ch);
}

/* In a greeting's text: the first word that is a product followed by a
 * version with a dot ("vsFTPd 3.0.3", "Exim 4.96", "ProFTPD 1.3.8");
 * else, for SMTP, the word after "ESMTP" or "SMTP" ("Postfix",
 * "OpenSMTPD"), without a version. */
static void greeting(const char *s, size_t n, mr_xp_version *v, int smtp)
{
    size_t i = 0, prev = 0, prevn = 0;
    int after_smtp = 0;
    const char *cand = NULL;
    size_t candn = 0;
    while (i < n) {
        while (i < n && !ver_ch(s[i]))
            i++;
        size_t w = word(s + i, n - i, ver_ch);
        if (!w)
            break;
        if (prevn && digit(s[i]) && memchr(s + i, '.', w) &&
            take(s + prev, prevn, v->product, sizeof(v->product),
                 name_ch) == 0) {
            if (take(s + i, w, v->version, sizeof(v->version), ver_ch) == 0)
                return;
            v->product[0] = '\0';
        }
        if (smtp && after_smtp && !cand && !digit(s[i]) &&
            has_lower(s + i, w)) {
            cand = s + i;          /* not "ESMTP MAIL Service" */
            candn = word(s + i, n - i, name_ch);
        }
        after_smtp = (w == 4 && !memcmp(s + i, "SMTP", 4)) ||
                     (w == 5 && !memcmp(s + i, "ESMTP", 5));
        prev = i;
        prevn = digit(s[i]) ? 0 : word(s + i, n - i, name_ch);
        if (prevn != w)
            prevn = 0;             /* "a+b" is no product name */
        i += w;
    }
    if (cand)
        (void)take(cand, candn, v->product, sizeof(v->product), name_ch);
}

int mr_xp_banner_parse(mr_xp_banner_kind kind, const char *b, size_t n,
                       mr_xp_version *v)
{
    memset(v, 0, sizeof(*v));
    /* one line: the first */
    const char *nl = memchr(b, '\n', n);
    if (kind != MR_XP_BANNER_HTTP && nl)
        n = (size_t)(nl - b);
    if (n > MR_XP_BANNER_LINE_MAX)
        n = MR_XP_BANNER_LINE_MAX;
    switch (kind) {
    case MR_XP_BANNER_SSH: {
        size_t skip = n >= 8 && !memcmp(b, "SSH-2.0-", 8)    ? 8
                      : n >= 9 && !memcmp(b, "SSH-1.99-", 9) ? 9
                                                             : 0;
        if (!skip)
            return -1;
        split_pair(b + skip, token(b + skip, n - skip), v);
        v->distro = mr_eol_distro_marker(b, n); /* "OpenSSH_9.2p1 Debian-2" */
        break;
    }
    case MR_XP_BANNER_FTP:
    case MR_XP_BANNER_SMTP:
        if (n < 4 || memcmp(b, "220", 3) || (b[3] != ' ' && b[3] != '-'))
            return -1;
        greeting(b + 4, n - 4, v, kind == MR_XP_BANNER_SMTP);
        v->distro = mr_eol_distro_marker(b, n);
        break;
    case MR_XP_BANNER_HTTP: {
        /* the Server header among the response's header lines */
        size_t pos = 0;
        while (pos < n) {
            const char *e = memchr(b + pos, '\n', n - pos);
            size_t end = e ? (size_t)(e - b) : n, ll = end - pos;
            const char *l = b + pos;
            if (ll == 0 || (ll == 1 && l[0] == '\r'))
                break;                     /* the end of the headers */
            if (ll > 7 && !strncasecmp(l, "server:", 7)) {
                size_t k = 7;
                while (k < ll && (l[k] == ' ' || l[k] == '\t'))
                    k++;
                split_pair(l + k, token(l + k, ll - k), v);
                v->distro = mr_eol_distro_marker(l + k, ll - k);
                break;
            }
            pos = end + 1;
        }
        break;
    }
    default: return -1;
    }
    return v->product[0] ? 0 : -1;
}

mr_xp_banner_kind mr_xp_banner_kind_of(const char *service, uint16_t port,
                                       const char *exe, const char *comm)
{
    static const char *const http_exes[] = {"nginx", "apache2", "httpd",
                                            "lighttpd", "caddy", NULL};
    if (service && !strcmp(service, "ssh"))
        return MR_XP_BANNER_SSH;
    if (service && !strcmp(service, "ftp"))
        return MR_XP_BANNER_FTP;
    if (service && !strcmp(service, "smtp"))
        return MR_XP_BANNER_SMTP;
    const char *base = exe ? strrchr(exe, '/') : NULL;
    base = base ? base + 1 : exe;
    for (size_t i = 0; http_exes[i]; i++)
        if ((base && !strcmp(base, http_exes[i])) ||
            (comm && !strcmp(comm, http_exes[i])))
            return MR_XP_BANNER_HTTP;
    if (port == 80 || port == 8080 || port == 8000)
        return MR_XP_BANNER_HTTP;
    return MR_XP_BANNER_NONE;
}

static void judge(const mr_xp_version *v, int64_t now, mr_eol_result *r)
{
    mr_eol_judge(v->product, strlen(v->product),
                 v->version[0] ? v->version : NULL, v->distro, now, r);
}

/* The products and versions the listeners of list named (banner.c), when
 * any did, joined with end-of-life data. */
int mr_xp_versions_summary(const mr_xp_list *list, mamori_summary *s,
                           const char *id, int64_t now)
{
    static const char *const cols[] = {"proto", "address", "port",
                                       "process", "product", "version",
                                       "eol", "supported"};
    size_t n = 0;
    for (size_t i = 0; i < list->n; i++)
        n += list->v[i].ver.product[0] != 0;
    if (!n)
        return 0;
    int bad = mamori_summary_table(s, id, "Products and versions",
                                   "製品とバージョン", MR_ARRAY_LEN(cols),
                                   cols) != MAMORI_OK;
    for (size_t i = 0; i < list->n && !bad; i++) {
        const mr_xp_listener *l = &list->v[i];
        if (!l->ver.product[0])
            continue;
        mr_eol_result r;
        judge(&l->ver, now, &r);
        const char *eol = mr_eol_date(&r);
        mamori_cell row[MR_ARRAY_LEN(cols)] = {
            {l->proto == MR_XP_TCP ? "tcp" : "udp", 0},
            {l->address, 0},
            {NULL, l->port},
            {l->process[0] ? l->process : "-", 0},
            {l->ver.product, 0},
            {l->ver.version[0] ? l->ver.version : "-", 0},
            {eol, MAMORI_CELL_NULL},
            {NULL, mr_eol_supported_cell(&r)}};
        bad = mamori_summary_row(s, row) != MAMORI_OK;
    }
    return bad;
}

int mr_xp_eol_report(const mr_xp_listener *l, int64_t now,
                     const mamori_sink *sink, uint64_t *count)
{
    mr_eol_result r;
    if (!l->ver.product[0] || !l->ver.version[0])
        return 0;
    judge(&l->ver, now, &r);
    if (!r.report)
        return 0;
    char ev[XP_EOL_EVIDENCE_MAX];
    mr_eol_evidence(&r, l->ver.product, strlen(l->ver.product),
                    l->ver.version, ev, sizeof(ev));
    mamori_finding f;
    memset(&f, 0, sizeof(f));
    f.check = mamori_check_find(MR_CHECK_EXPOSURE_EOL_PRODUCT);
    f.severity = r.severity;
    f.category = "eol";
    f.time = INT64_MIN;
    f.evidence = ev;
    f.evidence_len = strlen(ev);
    const char *proto = l->proto == MR_XP_TCP ? "tcp" : "udp";
    mamori_finding_str(&f, "proto", proto, strlen(proto));
    mamori_finding_str(&f, "address", l->address, strlen(l->address));
    mamori_finding_int(&f, "port", l->port);
    if (l->process[0])
        mamori_finding_str(&f, "process", l->process, strlen(l->process));
    if (l->scanned) {
        mamori_finding_str(&f, "found", "scan", 4);
        if (l->banner[0])
            mamori_finding_str(&f, "banner", l->banner, strlen(l->banner));
    }
    mamori_finding_str(&f, "product", l->ver.product,
                       strlen(l->ver.product));
    mamori_finding_str(&f, "version", l->ver.version,
                       strlen(l->ver.version));
    mr_eol_finding_fields(&f, &r);
    (*count)++;
    return sink && sink->finding && sink->finding(sink->user, &f);
}
