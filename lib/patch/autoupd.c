/*
 * autoupd.c — are updates installed without anyone remembering to?
 * Debian's answer is unattended-upgrades; it works when all of these
 * hold, and each one that does not is a reason in one
 * no-automatic-updates finding:
 *   installed     the unattended-upgrades package (dpkg status)
 *   enabled       APT::Periodic::Update-Package-Lists and
 *                 APT::Periodic::Unattended-Upgrade non-zero in
 *                 /etc/apt/apt.conf and /etc/apt/apt.conf.d/ * (read in
 *                 apt's order, the last setting wins)
 *   security      an allowed origin names the security suite
 *   running       /var/log/unattended-upgrades/unattended-upgrades.log
 *                 shows a run within MAMORI_PATCH_AUTO_HOURS
 * Only the "KEY "VALUE";" form of apt.conf is read, not the nested
 * "APT { Periodic { ... } }" one (rare in these files; named as left in
 * docs/patch.md). Log times are taken as UTC.
 */
#include "common.h"

#include <strings.h>

#include "check_ids.h"
#include "patch/patch_int.h"
#include "util/time.h"

#define UU_LOG "/var/log/unattended-upgrades/unattended-upgrades.log"
#define REASONS_MAX 5

typedef struct conf_state {
    int update_lists;     /* -1 unset, 0 off, 1 on */
    int unattended;
    int security;         /* an origin line names the security suite */
} conf_state;

/* apt passes over these names in apt.conf.d (Dir::Ignore-Files-Silently). */
static int ignored(const char *name)
{
    static const char *const suffixes[] = {
        "~", ".disabled", ".bak", ".save", ".orig", ".distUpgrade",
        ".dpkg-old", ".dpkg-dist", ".dpkg-new", ".dpkg-tmp", ".ucf-old",
        ".ucf-dist", ".ucf-new"};
    size_t n = strlen(name);
    for (size_t i = 0; i < MR_ARRAY_LEN(suffixes); i++) {
        size_t m = strlen(suffixes[i]);
        if (n >= m && strcmp(name + n - m, suffixes[i]) == 0)
            return 1;
    }
    return 0;
}

/* The value of `KEY "VALUE";` at s when s starts with key. */
static int setting(const char *s, const char *key, int *out)
{
    size_t k = strlen(key);
    if (strncasecmp(s, key, k) != 0)
        return 0;
    s += k;
    while (*s == ' ' || *s == '\t')
        s++;
    if (*s != '"')
        return 0;
    s++;
    if (strncasecmp(s, "always", 6) == 0) {
        *out = 1;
        return 1;
    }
    int on = 0, digits = 0;
    while (*s >= '0' && *s <= '9') {
        on |= *s != '0';
        digits++;
        s++;
    }
    if (!digits)
        return 0;
    *out = on;
    return 1;
}

static int conf_line(void *user, char *line, size_t len, uint64_t lineno)
{
    conf_state *c = user;
    (void)lineno;
    (void)len;
    while (*line == ' ' || *line == '\t')
        line++;
    if (line[0] == '#' || (line[0] == '/' && line[1] == '/'))
        return 0;
    int v;
    if (setting(line, "APT::Periodic::Update-Package-Lists", &v))
        c->update_lists = v;
    else if (setting(line, "APT::Periodic::Unattended-Upgrade", &v))
        c->unattended = v;
    else if (strcasestr(line, "security") && line[0] == '"')
        c->security = 1;
    return 0;
}

/* The newest "YYYY-MM-DD HH:MM:SS" starting a line of the log. */
static int log_line(void *user, char *line, size_t len, uint64_t lineno)
{
    int64_t *newest = user;
    uint64_t y, mo, d, h, mi, s;
    (void)lineno;
    if (len < 19 || line[4] != '-' || line[7] != '-' || line[10] != ' ' ||
        line[13] != ':' || line[16] != ':')
        return 0;
    if (mr_span_u64(mr_span_make(line, 4), 9999, &y) ||
        mr_span_u64(mr_span_make(line + 5, 2), 12, &mo) || mo == 0 ||
        mr_span_u64(mr_span_make(line + 8, 2), 31, &d) || d == 0 ||
        mr_span_u64(mr_span_make(line + 11, 2), 23, &h) ||
        mr_span_u64(mr_span_make(line + 14, 2), 59, &mi) ||
        mr_span_u64(mr_span_make(line + 17, 2), 60, &s))
        return 0;
    int64_t t = mr_days_from_civil((int64_t)y, (unsigned)mo, (unsigned)d) *
                    86400 + (int64_t)(h * 3600 + mi * 60 + s);
    if (t > *newest)
        *newest = t;
    return 0;
}

void mr_patch_auto(mr_patch_run *r)
{
    const char *reasons[REASONS_MAX];
    size_t n = 0;
    char where[MR_PATCH_PATH_MAX], when[16] = "";
    conf_state c = {-1, -1, 0};
    int64_t last = INT64_MIN;
    if (!mr_patch_pkg_any(r, "unattended-upgrades")) {
        reasons[n++] = "unattended-upgrades is not installed";
    } else {
        mr_sysroot_lines(r->sr, "/etc/apt/apt.conf", MR_PATCH_CONF_MAX,
                         conf_line, &c);
        mr_sysroot_names names;
        if (mr_sysroot_glob(r->sr, "/etc/apt/apt.conf.d/*", &names) ==
            MAMORI_OK) {
            for (size_t i = 0; i < names.n; i++) {
                const char *base = strrchr(names.names[i], '/');
                if (ignored(base ? base + 1 : names.names[i]))
                    continue;
                mr_sysroot_lines(r->sr, names.names[i], MR_PATCH_CONF_MAX,
                                 conf_line, &c);
            }
            mr_sysroot_names_free(&names);
        }
        if (c.update_lists != 1)
            reasons[n++] = "APT::Periodic::Update-Package-Lists is not set";
        if (c.unattended != 1)
            reasons[n++] = "APT::Periodic::Unattended-Upgrade is not set";
        if (!c.security)
            reasons[n++] = "no allowed origin names the security suite";
        mr_sysroot_lines(r->sr, UU_LOG, MR_PATCH_LOG_MAX, log_line, &last);
        if (last == INT64_MIN || last > r->now ||
            r->now - last > (int64_t)MAMORI_PATCH_AUTO_HOURS * 3600)
            reasons[n++] = "no run in the last 48 hours in its log";
        mr_patch_date(last, when);
    }
    if (n == 0)
        return;
    mamori_finding f;
    mr_patch_display(r, n == 1 && last != INT64_MIN ? UU_LOG
                                                    : "/etc/apt/apt.conf.d",
                     where);
    mr_patch_finding(r, &f, MR_CHECK_PATCH_NO_AUTOMATIC_UPDATES, where);
    f.evidence = reasons[0];
    f.evidence_len = strlen(reasons[0]);
    mamori_finding_list(&f, "reasons", reasons, n, 0);
    if (when[0])
        mr_patch_field(&f, "last_run", when);
    mr_patch_send(r, &f);
}
