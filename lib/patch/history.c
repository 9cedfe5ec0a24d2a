/*
 * history.c — when updates were last installed and what changed, from
 * apt's own record, /var/log/apt/history.log and its rotations
 * (history.log.1, history.log.2.gz ...: read oldest first, compressed or
 * not, through the sysroot). Each run is a block:
 *
 *   Start-Date: 2026-12-06  18:55:02
 *   Commandline: apt-get dist-upgrade
 *   Upgrade: libfoo:amd64 (1.0, 1.1), libbar:amd64 (2, 3)
 *   Install: ... / Remove: ... / Purge: ...
 *   End-Date: 2026-12-06  18:55:40
 *
 * The summary gets the date of the last run that upgraded anything, the
 * days since, and a table of the last HISTORY_RUNS_MAX runs (date,
 * command, how many packages upgraded, installed, removed). Lines are
 * counted as they stream, so an Upgrade: line of thousands of packages
 * costs nothing to keep. mr_patch_read_rotated() (any log and its
 * rotations, oldest first) serves dpkg.log too (dpkglog.c).
 */
#include "common.h"

#include "io/lines.h"
#include "io/source.h"
#include "patch/patch_int.h"
#include "util/time.h"

#define APT_LOG_DIR "/var/log/apt"

static int64_t parse_when(const char *s, size_t n)
{
    uint64_t y, mo, d, h = 0, mi = 0, sec = 0;
    while (n && *s == ' ') {
        s++;
        n--;
    }
    if (n < 10 || s[4] != '-' || s[7] != '-' ||
        mr_span_u64(mr_span_make(s, 4), 9999, &y) ||
        mr_span_u64(mr_span_make(s + 5, 2), 12, &mo) || mo == 0 ||
        mr_span_u64(mr_span_make(s + 8, 2), 31, &d) || d == 0)
        return INT64_MIN;
    size_t i = 10;
    while (i < n && s[i] == ' ')
        i++;
    if (i + 8 <= n && s[i + 2] == ':' && s[i + 5] == ':') {
        mr_span_u64(mr_span_make(s + i, 2), 23, &h);
        mr_span_u64(mr_span_make(s + i + 3, 2), 59, &mi);
        mr_span_u64(mr_span_make(s + i + 6, 2), 60, &sec);
    }
    return mr_days_from_civil((int64_t)y, (unsigned)mo, (unsigned)d) * 86400 +
           (int64_t)(h * 3600 + mi * 60 + sec);
}

/* Entries of "Upgrade: a:amd64 (1, 2), b:amd64 (3, 4)": one '(' each. */
static uint64_t entries(const char *s, size_t n)
{
    uint64_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += s[i] == '(';
    return k;
}

static int starts(const char *line, size_t len, const char *key)
{
    size_t k = strlen(key);
    return len >= k && memcmp(line, key, k) == 0;
}

static void end_run(mr_patch_run *r, mr_apt_run *cur)
{
    if (cur->start == INT64_MIN)
        return;
    if (cur->upgraded && cur->start > r->last_upgrade)
        r->last_upgrade = cur->start;
    /* Keep the last HISTORY_RUNS_MAX in a ring. */
    r->runs[r->nruns % MR_PATCH_RUNS_MAX] = *cur;
    r->nruns++;
    cur->start = INT64_MIN;
}

static void history_line(mr_patch_run *r, mr_apt_run *cur, const char *line,
                         size_t len)
{
    if (starts(line, len, "Start-Date:")) {
        end_run(r, cur);
        memset(cur, 0, sizeof(*cur));
        cur->start = parse_when(line + 11, len - 11);
    } else if (cur->start == INT64_MIN) {
        return;
    } else if (starts(line, len, "Commandline:")) {
        size_t b = 12;
        while (b < len && line[b] == ' ')
            b++;
        size_t n = MR_MIN(len - b, sizeof(cur->command) - 1);
        memcpy(cur->command, line + b, n);
        cur->command[n] = '\0';
    } else if (starts(line, len, "Upgrade:")) {
        cur->upgraded += entries(line, len);
    } else if (starts(line, len, "Install:") ||
               starts(line, len, "Reinstall:")) {
        cur->installed += entries(line, len);
    } else if (starts(line, len, "Remove:") || starts(line, len, "Purge:")) {
        cur->removed += entries(line, len);
    } else if (starts(line, len, "End-Date:")) {
        end_run(r, cur);
    }
}

/* 1 when the file could be opened (its lines then went to fn). */
static int read_log(mr_patch_run *r, const char *dir, const char *name,
                    mr_patch_line_fn fn, void *user, char *buf, char *carry)
{
    char path[MR_PATCH_PATH_MAX], where[MR_PATCH_PATH_MAX];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    mr_patch_display(r, path, where);
    int fd = -1;
    mr_source *src = NULL;
    if (mr_sysroot_open(r->sr, path, 0, &fd) ||
        mr_source_open_fd(fd, &src)) {
        mamori_diagf(r->ctx, MAMORI_DIAG_WARN, where, 0, "cannot read: %s",
                     strerror(errno));
        return 0;
    }
    mr_line_reader lr;
    memset(&lr, 0, sizeof(lr));
    lr.src = src;
    lr.carry = carry;
    size_t len;
    int overlong;
    while (mr_line_reader_fill(&lr, buf, MR_PATCH_LINE_BUF, &len, &overlong)) {
        size_t off = 0;
        while (!overlong && off < len) {
            const char *nl = memchr(buf + off, '\n', len - off);
            size_t n = nl ? (size_t)(nl - (buf + off)) : len - off;
            fn(r, user, buf + off, n);
            off += n + (nl ? 1 : 0);
        }
    }
    if (lr.err)
        mamori_diagf(r->ctx, MAMORI_DIAG_WARN, where, 0,
                     "cut short or corrupt: the runs before are used");
    mr_source_close(src);
    return 1;
}

/* BASE.N[.gz|.xz|.zst] sorts oldest (largest N) first; BASE last (0). */
static int rotation(const char *name, const char *base)
{
    const char *p = name + strlen(base);
    if (*p == '\0')
        return 0;
    if (*p != '.')
        return -1;
    uint64_t n = 0;
    size_t i = 1;
    while (p[i] >= '0' && p[i] <= '9' && n < 100000)
        n = n * 10 + (uint64_t)(p[i++] - '0');
    if (i == 1 || (p[i] && strcmp(p + i, ".gz") && strcmp(p + i, ".xz") &&
                   strcmp(p + i, ".zst")))
        return -1;
    return (int)n;
}

uint64_t mr_patch_read_rotated(mr_patch_run *r, const char *dir,
                               const char *base, mr_patch_line_fn fn,
                               void *user)
{
    mr_sysroot_names names;
    char pattern[64];
    snprintf(pattern, sizeof(pattern), "%s*", base);
    if (mr_sysroot_list(r->sr, dir, pattern, &names))
        return 0;
    int order[MR_PATCH_HISTORY_FILES_MAX];
    size_t idx[MR_PATCH_HISTORY_FILES_MAX], n = 0;
    for (size_t i = 0; i < names.n && n < MR_PATCH_HISTORY_FILES_MAX; i++) {
        int k = rotation(names.names[i], base);
        if (k < 0)
            continue;
        /* insertion sort, largest rotation number first */
        size_t j = n++;
        while (j > 0 && order[j - 1] < k) {
            order[j] = order[j - 1];
            idx[j] = idx[j - 1];
            j--;
        }
        order[j] = k;
        idx[j] = i;
    }
    char *buf = malloc(MR_PATCH_LINE_BUF), *carry = malloc(MR_PATCH_LINE_BUF);
    uint64_t files = 0;
    for (size_t i = 0; buf && carry && i < n; i++)
        files += (uint64_t)read_log(r, dir, names.names[idx[i]], fn, user,
                                    buf, carry);
    if (n && (!buf || !carry))
        mamori_diagf(r->ctx, MAMORI_DIAG_ERROR, dir, 0,
                     "out of memory: %s not read", base);
    free(buf);
    free(carry);
    mr_sysroot_names_free(&names);
    return files;
}

static void on_history_line(mr_patch_run *r, void *user, const char *line,
                            size_t len)
{
    history_line(r, user, line, len);
}

void mr_patch_history(mr_patch_run *r)
{
    r->last_upgrade = INT64_MIN;
    mr_apt_run cur;
    memset(&cur, 0, sizeof(cur));
    cur.start = INT64_MIN;
    r->history_files = mr_patch_read_rotated(r, APT_LOG_DIR, "history.log",
                                             on_history_line, &cur);
    end_run(r, &cur); /* a run still going, or cut before End-Date */
}
