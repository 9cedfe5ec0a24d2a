/*
 * dpkglog.c — the last upgrade and what it changed, from dpkg's own log,
 * /var/log/dpkg.log and its rotations (dpkg.log.1, dpkg.log.2.gz ...:
 * oldest first, through history.c's mr_patch_read_rotated). dpkg writes
 * every package it touches, whoever called it (apt, unattended-upgrades,
 * dpkg -i, a PackageKit front end), which apt's history.log does not:
 *
 *   2026-12-06 18:55:02 upgrade libssl3:amd64 3.0.15-1~deb12u1 3.0.17-1~deb12u2
 *   2026-12-06 18:55:03 install newpkg:amd64 <none> 1.0-1
 *   2026-12-06 18:55:04 remove oldpkg:amd64 2.0-1 <none>
 *
 * An upgrade session starts at an "upgrade" line more than
 * MR_PATCH_UPGRADE_GAP seconds after the previous session's last line,
 * and takes in every upgrade, install, remove and purge line until such a
 * gap; the last session is the "last upgrade": its start, how many
 * packages it changed and the first MR_PATCH_CHANGES_MAX of them (action,
 * package, from, to) go into the summary. Other lines (status,
 * configure, trigproc, conffile, startup) and malformed ones are passed
 * over. Times are local as dpkg writes them, taken as UTC. Every
 * upgrade of the last MAMORI_PATCH_CADENCE_DAYS is kept too (at most
 * MR_PATCH_UPGRADES_MAX, the newest): when each was installed, for the
 * patching cadence (cadence.c).
 */
#include "common.h"

#include "patch/patch_int.h"
#include "util/time.h"

#define DPKG_LOG_DIR "/var/log"

/* "YYYY-MM-DD HH:MM:SS " at s[0..20); INT64_MIN when not that. */
static int64_t when(const char *s, size_t n)
{
    uint64_t y, mo, d, h, mi, sec;
    if (n < 20 || s[4] != '-' || s[7] != '-' || s[10] != ' ' ||
        s[13] != ':' || s[16] != ':' || s[19] != ' ' ||
        mr_span_u64(mr_span_make(s, 4), 9999, &y) ||
        mr_span_u64(mr_span_make(s + 5, 2), 12, &mo) || mo == 0 ||
        mr_span_u64(mr_span_make(s + 8, 2), 31, &d) || d == 0 ||
        mr_span_u64(mr_span_make(s + 11, 2), 23, &h) ||
        mr_span_u64(mr_span_make(s + 14, 2), 59, &mi) ||
        mr_span_u64(mr_span_make(s + 17, 2), 60, &sec))
        return INT64_MIN;
    return mr_days_from_civil((int64_t)y, (unsigned)mo, (unsigned)d) * 86400 +
           (int64_t)(h * 3600 + mi * 60 + sec);
}

/* The next space-separated word of line[*i..n), into out[cap] (cut to
 * fit); 0 when there is none. */
static int word(const char *line, size_t n, size_t *i, char *out, size_t cap)
{
    while (*i < n && line[*i] == ' ')
        (*i)++;
    size_t b = *i;
    while (*i < n && line[*i] != ' ')
        (*i)++;
    if (*i == b)
        return 0;
    size_t k = MR_MIN(*i - b, cap - 1);
    memcpy(out, line + b, k);
    out[k] = '\0';
    return 1;
}

static void on_line(mr_patch_run *r, void *user, const char *line,
                    size_t len)
{
    (void)user;
    int64_t t = when(line, len);
    if (t == INT64_MIN)
        return;
    mr_dpkg_change c;
    memset(&c, 0, sizeof(c));
    size_t i = 20;
    if (!word(line, len, &i, c.action, sizeof(c.action)))
        return;
    int upgrade = strcmp(c.action, "upgrade") == 0;
    if (!upgrade && strcmp(c.action, "install") != 0 &&
        strcmp(c.action, "remove") != 0 && strcmp(c.action, "purge") != 0)
        return;
    if (!word(line, len, &i, c.package, sizeof(c.package)) ||
        !word(line, len, &i, c.from, sizeof(c.from)) ||
        !word(line, len, &i, c.to, sizeof(c.to)))
        return;
    if (strcmp(c.from, "<none>") == 0)
        c.from[0] = '\0';
    if (strcmp(c.to, "<none>") == 0)
        c.to[0] = '\0';
    c.when = t;
    /* Every upgrade in the cadence window, for how long each fix waited
     * (cadence.c); the newest are the ones that count when too many. */
    if (upgrade && t >= r->now - (int64_t)MAMORI_PATCH_CADENCE_DAYS * 86400) {
        /* A ring: the order of the upgrades does not matter. */
        mr_patch_upgrade *u =
            &r->upgrades[(r->nupgrades + r->upgrades_dropped) %
                         MR_PATCH_UPGRADES_MAX];
        if (r->nupgrades == MR_PATCH_UPGRADES_MAX)
            r->upgrades_dropped++;
        else
            r->nupgrades++;
        u->c = c;
        u->avail = INT64_MIN;
        u->source = NULL;
        u->source_known = 0;
        u->advisory[0] = '\0';
    }
    int in_session = r->dpkg_upgrade != INT64_MIN && t >= r->dpkg_last &&
                     t - r->dpkg_last <= MR_PATCH_UPGRADE_GAP;
    if (!in_session) {
        if (!upgrade)
            return;
        r->dpkg_upgrade = t;
        r->nchanges = 0;
    }
    r->dpkg_last = t;
    if (r->nchanges < MR_PATCH_CHANGES_MAX)
        r->changes[r->nchanges] = c;
    r->nchanges++;
}

void mr_patch_dpkglog(mr_patch_run *r)
{
    r->dpkg_upgrade = INT64_MIN;
    r->dpkg_last = INT64_MIN;
    r->nchanges = 0;
    r->nupgrades = 0;
    r->upgrades_dropped = 0;
    r->dpkglog_files =
        mr_patch_read_rotated(r, DPKG_LOG_DIR, "dpkg.log", on_line, NULL);
}
