/*
 * review_journald.c — how long journald keeps the logs. Its settings
 * come from /etc/systemd/journald.conf and then the drop-ins of
 * journald.conf.d (/etc, /run, /usr/local/lib, /usr/lib), read in
 * systemd's order: by file name whichever directory holds them, /etc's
 * shadowing a file of the same name elsewhere, the last value read
 * winning (systemd.unit(5), "drop-in"). Storage and MaxRetentionSec are
 * judged as keyvalue's; the size limit is turned into days.
 *
 * A size is not a time: SystemMaxUse=50M keeps 50 MiB, which is a year
 * on a quiet machine and a day on a busy one. The journal's archived
 * files say the rate: each is named after its first entry's time
 * ("system@ID-SEQNUM-REALTIME.journal", REALTIME in hex microseconds),
 * so bytes on disk over the age of the oldest give bytes a day, and the
 * limit over that gives the days kept. SystemMaxUse unset is journald's
 * default, 10% of the file system and at most 4 GiB: judged as 4 GiB,
 * the most it can be, so that a finding is never a guess against the
 * machine. Sizes are read as systemd 252's parse_size reads them
 * (decimals and several parts: "1.5G", " 4 M 11.5K"); a size it refuses
 * (a percentage such as "10%", "5MiB": "Failed to parse size value,
 * ignoring") is skipped as journald skips it: the value read before it,
 * or the default, stands. On this machine SystemKeepFree also caps it: the room it
 * leaves (the journal's bytes and the file system's free bytes, less
 * what must stay free). A journal younger than a day, or without
 * archived files, says no rate: not judged.
 */
#include "common.h"

#include <sys/statvfs.h>
#include <time.h>

#include "host/sysroot.h"
#include "hostcheck/hostcheck.h"

#define HC_JOURNALD_FILES_MAX 64      /* drop-ins read */
#define HC_JOURNAL_DIRS_MAX 16        /* machine-id directories listed */
#define HC_JOURNALD_DEFAULT_MAX (4LL << 30)  /* SystemMaxUse's most */
#define HC_JOURNAL_DIR "/var/log/journal"
#define HC_JOURNALD_LINE_MAX 512      /* bytes of a size line looked at */
#define HC_DAY 86400LL

/* As systemd's parse_size(t, 1024) (src/basic/parse-util.c, 252): one
 * or more parts, each blanks, digits, an optional ".digits" fraction,
 * blanks and a unit, the units falling from part to part ("4 M 11.5K"):
 * E P T G M K (1024-based), "B" or none (bytes, and the last part);
 * nothing may follow a unit's letter but the next part, so "5MiB" and
 * "5MB" are refused, as is a sign. */
long long mr_hc_size(const char *s)
{
    static const char units[] = "EPTGMKB";   /* then "": bytes */
    static const int shift[] = {60, 50, 40, 30, 20, 10, 0};
    const char *p = s;
    long long total = 0;
    size_t start = 0;   /* the first unit this part may have */
    do {
        p += strspn(p, " \t\n\r");
        if (*p < '0' || *p > '9')
            return -1;
        long long whole = 0;
        for (; *p >= '0' && *p <= '9'; p++) {
            if (whole > (1LL << 62) / 10)
                return -1;
            whole = whole * 10 + (*p - '0');
        }
        double frac = 0, scale = 1;
        if (*p == '.') {
            p++;
            for (; *p >= '0' && *p <= '9'; p++) {
                if (scale < 1e18) {
                    scale *= 10;
                    frac += (*p - '0') / scale;
                }
            }
        }
        p += strspn(p, " \t\n\r");
        size_t i = start;
        while (i < sizeof(units) - 1 && *p != units[i])
            i++;
        int sh = i < sizeof(units) - 1 ? shift[i] : 0;
        if (i < sizeof(units) - 1)
            p++;                /* the unit; "" (bytes) takes nothing */
        if (whole > ((1LL << 62) >> sh) - 1)
            return -1;
        long long part = (whole << sh) + (long long)(frac * (double)(1LL << sh));
        if (part > (1LL << 62) - total)
            return -1;
        total += part;
        start = i + 1;
        p += strspn(p, " \t\n\r");   /* systemd's parser gets the value trimmed */
    } while (*p);
    return total;
}

long long mr_hc_journal_head(const char *name)
{
    static const char suffix[] = ".journal";
    size_t n = strlen(name), k = sizeof(suffix) - 1;
    if (!strchr(name, '@') || n < k + 17 || strcmp(name + n - k, suffix))
        return -1;
    const char *hex = name + n - k - 16;
    if (hex[-1] != '-')
        return -1;
    unsigned long long us = 0;
    for (size_t i = 0; i < 16; i++) {
        int c = hex[i], d = c >= '0' && c <= '9'   ? c - '0'
                          : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                                 : -1;
        if (d < 0)
            return -1;
        us = us << 4 | (unsigned)d;
    }
    return (long long)(us / 1000000ULL);
}

/* One line of journald.conf: as sysctl's "key = value", except that a
 * size limit journald cannot parse is ignored (with a warning), as
 * journald ignores it, so that the value before it stands. */
static void journald_line(mr_hc_config *c, const char *file, uint64_t lineno,
                          const char *line, size_t len)
{
    static const char *const sizes[] = {"SystemMaxUse", "SystemKeepFree"};
    size_t skip = 0;
    while (skip < len && (line[skip] == ' ' || line[skip] == '\t'))
        skip++;
    for (size_t i = 0; i < MR_ARRAY_LEN(sizes); i++) {
        size_t k = strlen(sizes[i]);
        if (len - skip <= k || memcmp(line + skip, sizes[i], k) != 0)
            continue;
        const char *v = line + skip + k;
        const char *end = line + len;
        while (v < end && (*v == ' ' || *v == '\t'))
            v++;
        if (v == end || *v != '=')
            continue;
        char value[HC_JOURNALD_LINE_MAX];
        size_t vn = (size_t)(end - v - 1);
        snprintf(value, sizeof(value), "%.*s",
                 (int)MR_MIN(vn, sizeof(value) - 1), v + 1);
        vn = strlen(value);
        while (vn > 0 && (value[vn - 1] == '\r' || value[vn - 1] == ' ' ||
                          value[vn - 1] == '\t'))
            value[--vn] = '\0';
        const char *s = value + strspn(value, " \t");
        /* empty: journald's "unset", back to the default; taken as read */
        if (*s && mr_hc_size(s) < 0) {
            mamori_diagf(c->ctx, MAMORI_DIAG_WARN, file, lineno,
                         "%s=%.64s: not a size (journald takes bytes or K, "
                         "M, G, T, P, E, decimals, several parts; no "
                         "percentage, no 'iB'): journald ignores the line",
                         sizes[i], s);
            return;
        }
    }
    mr_hc_sysctl_line(c, file, lineno, line, len);
}

mr_hc_config *mr_hc_journald_config(mr_hc_run *u, const mr_hc_rule *rules,
                                    size_t n)
{
    static const char *const dirs[] = {
        "/etc/systemd/journald.conf.d/*.conf",
        "/run/systemd/journald.conf.d/*.conf",
        "/usr/local/lib/systemd/journald.conf.d/*.conf",
        "/usr/lib/systemd/journald.conf.d/*.conf"};
    mr_hc_config *c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    c->ctx = u->ctx;
    for (size_t i = 0; i < n; i++)
        if (rules[i].source == MR_HC_JOURNALD)
            mr_hc_want(c, rules[i].setting);
    mr_hc_want(c, "SystemMaxUse");
    mr_hc_want(c, "SystemKeepFree");
    mr_sysroot_names names[MR_ARRAY_LEN(dirs)];
    const char *pick[HC_JOURNALD_FILES_MAX + 1];
    pick[0] = "/etc/systemd/journald.conf";    /* the main file first */
    size_t npick = 1 + mr_hc_dropins(u, dirs, MR_ARRAY_LEN(dirs), names,
                                     pick + 1, HC_JOURNALD_FILES_MAX);
    for (size_t i = 0; i < npick; i++) {
        char file[MR_HC_FILE_MAX];
        char *data = NULL;
        size_t len = 0;
        mr_hc_display(u, pick[i], file);
        if (mr_sysroot_read(u->sr, pick[i], MR_HC_CONFIG_MAX, &data, &len) ==
            MAMORI_OK) {
            mr_hc_buffer(c, file, data, len, journald_line);
            c->files++;          /* none read: journald is not there */
        }
        else if (i > 0 || errno != ENOENT)
            mamori_diagf(u->ctx, MAMORI_DIAG_WARN, file, 0,
                         "cannot read: %s", strerror(errno));
        free(data);
    }
    for (size_t d = 0; d < MR_ARRAY_LEN(dirs); d++)
        mr_sysroot_names_free(&names[d]);
    return c;
}

/* The journal on disk: its bytes and its oldest archived entry. */
typedef struct journal_use {
    long long bytes;
    long long oldest;      /* unix seconds; -1: no archived file */
    unsigned files;
} journal_use;

static void journal_dir(mr_hc_run *u, const char *dir, journal_use *j)
{
    mr_sysroot_names files;
    memset(&files, 0, sizeof(files));
    mr_sysroot_list(u->sr, dir, "*.journal*", &files);
    for (size_t i = 0; i < files.n; i++) {
        char path[MR_HC_FILE_MAX];
        struct stat st;
        if (snprintf(path, sizeof(path), "%s/%s", dir, files.names[i]) >=
                (int)sizeof(path) ||
            mr_sysroot_stat(u->sr, path, &st) != MAMORI_OK ||
            !S_ISREG(st.st_mode))
            continue;
        j->bytes += (long long)st.st_size;
        j->files++;
        long long head = mr_hc_journal_head(files.names[i]);
        if (head > 0 && (j->oldest < 0 || head < j->oldest))
            j->oldest = head;
    }
    mr_sysroot_names_free(&files);
}

static void journal_use_of(mr_hc_run *u, journal_use *j)
{
    mr_sysroot_names dirs;
    memset(&dirs, 0, sizeof(dirs));
    j->bytes = 0;
    j->oldest = -1;
    j->files = 0;
    mr_sysroot_list(u->sr, HC_JOURNAL_DIR, NULL, &dirs);
    for (size_t i = 0; i < dirs.n && i < HC_JOURNAL_DIRS_MAX; i++) {
        char dir[MR_HC_FILE_MAX];
        struct stat st;
        snprintf(dir, sizeof(dir), "%s/%.64s", HC_JOURNAL_DIR, dirs.names[i]);
        if (mr_sysroot_stat(u->sr, dir, &st) == MAMORI_OK &&
            S_ISDIR(st.st_mode))
            journal_dir(u, dir, j);
    }
    mr_sysroot_names_free(&dirs);
}

/* SystemKeepFree's cap on this machine: what the journal may grow to
 * before the file system's free space falls to it; -1 when not known. */
static long long keep_free_cap(mr_hc_run *u, const journal_use *j,
                               long long keep)
{
    struct statvfs vfs;
    if (!mamori_sysroot_is_live(u->sr) || statvfs(HC_JOURNAL_DIR, &vfs))
        return -1;
    long long free_bytes = (long long)vfs.f_bavail * (long long)vfs.f_frsize;
    long long room = j->bytes + free_bytes - keep;
    return room > 0 ? room : 0;
}

static void judge_size(mr_hc_run *u, const mr_hc_rule *r, mr_hc_config *c)
{
    char file[MR_HC_FILE_MAX], ev[MR_HC_EVIDENCE_MAX], value[MR_HC_SHORT_MAX];
    char fix[MR_HC_NOTE_MAX];
    mr_hc_setting *max = mr_hc_get(c, "SystemMaxUse");
    mr_hc_setting *keep = mr_hc_get(c, "SystemKeepFree");
    long long cap = HC_JOURNALD_DEFAULT_MAX;
    const char *why = "not set: 4G at most";
    if (max && max->found && max->value[0]) {   /* empty: the default */
        cap = mr_hc_size(max->value);
        why = "SystemMaxUse";
        if (cap < 0) {
            mamori_diagf(u->ctx, MAMORI_DIAG_WARN, max->file, max->line,
                         "SystemMaxUse=%.64s: not a size; not judged",
                         max->value);
            return;
        }
    }
    journal_use j;
    journal_use_of(u, &j);
    long long now = (long long)time(NULL);
    if (j.oldest < 0 || j.bytes <= 0 || now - j.oldest < HC_DAY)
        return;           /* no rate to project with */
    if (keep && keep->found) {
        long long k = mr_hc_size(keep->value);
        long long room = k >= 0 ? keep_free_cap(u, &j, k) : -1;
        if (room >= 0 && room < cap) {
            cap = room;
            why = "SystemKeepFree";
        }
    }
    mr_hc_judged(u, r);
    long long span = now - j.oldest;
    /* days = cap / (bytes / span), in integers without overflow */
    long double days = (long double)cap * (long double)span /
                       (long double)j.bytes / (long double)HC_DAY;
    if (days >= (long double)r->limit) {
        mr_hc_passed(u, r);
        return;
    }
    const mr_hc_setting *st = !strcmp(why, "SystemKeepFree") ? keep
                              : max && max->found          ? max
                                                           : NULL;
    snprintf(value, sizeof(value), "%lld days", (long long)days);
    snprintf(ev, sizeof(ev), "%s%s%.64s keeps about %lld days of logs at "
             "this machine's rate (%lld MiB written in %lld days; fewer "
             "than %ld)", st ? st->key : "SystemMaxUse", st ? "=" : " ",
             st ? st->value : why, (long long)days, j.bytes >> 20,
             span / HC_DAY, r->limit);
    /* the size that would keep limit days at this rate, in MiB */
    long double need = (long double)j.bytes * (long double)r->limit *
                       (long double)HC_DAY / (long double)span;
    long long want = need < (long double)(1LL << 62) ? (long long)need >> 20
                                                     : (1LL << 42);
    snprintf(fix, sizeof(fix),
             mr_hc_ja(u) ? "SystemMaxUse=%lldM（%ld日分。SystemKeepFree "
                           "の余地も確保する）を %s に書き、systemctl restart "
                           "systemd-journald"
                         : "SystemMaxUse=%lldM (%ld days at this rate; leave "
                           "SystemKeepFree room for it) in %s, then systemctl "
                           "restart systemd-journald",
             want + 1, r->limit, r->file);
    mr_hc_display(u, r->file, file);
    mr_hc_emit(u, r, st ? st->file : file, st ? st->line : 0, value, ev, fix);
}

void mr_hc_journald_judge(mr_hc_run *u, const mr_hc_rule *r, mr_hc_config *c)
{
    char file[MR_HC_FILE_MAX];
    if (c->files == 0)
        return;                 /* no journald.conf at all: not judged */
    if (r->source == MR_HC_JOURNALD_SIZE) {
        judge_size(u, r, c);
        return;
    }
    mr_hc_display(u, r->file, file);
    mr_hc_keyvalue_judge(u, r, mr_hc_get(c, r->setting), file);
}
