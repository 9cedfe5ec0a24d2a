/*
 * review_services.c — the rules of `mamori host` about what should be
 * there: logs kept and shipped, their rotation keeping enough history,
 * files a tool needs (an AIDE database, fresh ClamAV signatures), lines a
 * configuration needs (pam_faillock in the PAM stack, a remote log
 * destination) or must not have (an MTA listening on the network or
 * relaying for anyone), settings of key = value files (faillock.conf,
 * journald.conf, coredump.conf, exim's update-exim4.conf.conf) and a
 * firewall that loads default-deny input rules at boot. Only files are read: whether a daemon runs is
 * the business of the live probes, and which ports are reachable that
 * of `mamori exposure`.
 *
 * These rules judge an installed Debian-like system: a root without
 * dpkg's status (an empty tree, a bare container) skips them with a
 * note rather than reporting everything missing.
 */
#include "common.h"

#include <fnmatch.h>
#include <strings.h>
#include <time.h>

#include "host/sysroot.h"
#include "hostcheck/hostcheck.h"

#define HC_GLOBS_MAX 8          /* space-separated globs in a rule's file */
#define HC_LOGROTATE_FILES 128  /* files of logrotate.d read */
#define HC_DAY 86400L

/* Calls fn for every path that the space-separated globs of list
 * match, in order; stops when fn returns non-zero (returned). */
static int each_path(mr_hc_run *u, const char *list,
                     int (*fn)(mr_hc_run *, const char *, void *),
                     void *user)
{
    const char *p = list;
    for (size_t g = 0; *p && g < HC_GLOBS_MAX; g++) {
        char pat[MR_HC_FILE_MAX];
        size_t k = strcspn(p, " ");
        snprintf(pat, sizeof(pat), "%.*s", (int)MR_MIN(k, sizeof(pat) - 1),
                 p);
        p += k;
        while (*p == ' ')
            p++;
        int r = 0;
        if (!strpbrk(pat, "*?[")) {
            if (mr_sysroot_exists(u->sr, pat))
                r = fn(u, pat, user);
        } else {
            mr_sysroot_names names;
            memset(&names, 0, sizeof(names));
            mr_sysroot_glob(u->sr, pat, &names);
            for (size_t i = 0; i < names.n && !r; i++)
                r = fn(u, names.names[i], user);
            mr_sysroot_names_free(&names);
        }
        if (r)
            return r;
    }
    return 0;
}

/* ---- exists --------------------------------------------------------- */

typedef struct newest {
    time_t mtime;
    char path[MR_HC_FILE_MAX];
} newest;

static int newest_path(mr_hc_run *u, const char *path, void *user)
{
    newest *nw = user;
    struct stat st;
    if (mr_sysroot_stat(u->sr, path, &st) == MAMORI_OK &&
        (!nw->path[0] || st.st_mtime > nw->mtime)) {
        nw->mtime = st.st_mtime;
        snprintf(nw->path, sizeof(nw->path), "%s", path);
    }
    return 0;
}

static void review_exists(mr_hc_run *u, const mr_hc_rule *r)
{
    char file[MR_HC_FILE_MAX], ev[MR_HC_NOTE_MAX + MR_HC_FILE_MAX];
    char value[MR_HC_SHORT_MAX];
    newest nw;
    memset(&nw, 0, sizeof(nw));
    each_path(u, r->file, newest_path, &nw);
    if (!nw.path[0] && r->limit > 0)
        return;     /* an age rule: whether there is any is another's */
    mr_hc_judged(u, r);
    if (!nw.path[0]) {
        char first[MR_HC_FILE_MAX];
        size_t k = strcspn(r->file, " ");
        snprintf(first, sizeof(first), "%.*s", (int)k, r->file);
        mr_hc_display(u, first, file);
        snprintf(ev, sizeof(ev), "no %.100s: nothing at %.400s", r->setting,
                 r->file);
        mr_hc_emit(u, r, file, 0, "(none)", ev, NULL);
        return;
    }
    long age = (long)((time(NULL) - nw.mtime) / HC_DAY);
    if (r->limit <= 0 || age <= r->limit) {
        mr_hc_passed(u, r);
        return;
    }
    mr_hc_display(u, nw.path, file);
    snprintf(value, sizeof(value), "%ld days", age);
    snprintf(ev, sizeof(ev), "%.100s last changed %ld days ago (more than "
             "%ld)", r->setting, age, r->limit);
    mr_hc_emit(u, r, file, 0, value, ev, NULL);
}

/* ---- contains ------------------------------------------------------- */

typedef struct grep {
    const mr_hc_rule *r;
    int found, files;
    char first[MR_HC_FILE_MAX];  /* the first file read: the finding's */
    const char *path;            /* the file being read */
    char hit_path[MR_HC_FILE_MAX];  /* where the matching line is */
    uint64_t hit_line;
    char hit[MR_HC_NOTE_MAX];    /* its first bytes, shown */
} grep;

/* Does line match one of the patterns of words (which == '!': the
 * exclusions, written "!PATTERN"; otherwise the others)? */
static int match_any(const char *words, const char *line, int which)
{
    for (const char *p = words; p && *p;) {
        char pat[MR_HC_NOTE_MAX];
        size_t k = strcspn(p, " ");
        int excl = *p == '!';
        if (k > (size_t)excl && excl == (which == '!')) {
            snprintf(pat, sizeof(pat), "%.*s",
                     (int)MR_MIN(k - (size_t)excl, sizeof(pat) - 1),
                     p + excl);
            if (fnmatch(pat, line, 0) == 0)
                return 1;
        }
        p += k;
        while (*p == ' ')
            p++;
    }
    return 0;
}

/* The setting a configuration line holds, its indent cut; NULL for a
 * blank line, a comment or a line with a NUL byte. */
static char *setting_of(char *line, size_t len)
{
    if (memchr(line, '\0', len))
        return NULL;
    while (*line == ' ' || *line == '\t')
        line++;
    return *line == '#' || *line == '\0' ? NULL : line;
}

/* A limits.conf line as pam_limits reads it (parse_config_file): the
 * text from '#' cut, then exactly four fields, or the line is ignored;
 * the fields joined by ':' into out ("* hard core 0 # CIS" ->
 * "*:hard:core:0"); 0 when there are not four. */
static int limits_fields(const char *line, char *out, size_t cap)
{
    size_t o = 0, fields = 0;
    const char *p = line;
    while (*p && *p != '#') {
        p += strspn(p, " \t\r");
        size_t k = strcspn(p, " \t\r#");
        if (k == 0)
            break;
        if (++fields > 4 || o + k + 2 > cap)
            return 0;
        if (o)
            out[o++] = ':';
        memcpy(out + o, p, k);
        o += k;
        p += k;
    }
    out[o] = '\0';
    return fields == 4;
}

static int grep_line(void *user, char *line, size_t len, uint64_t lineno)
{
    grep *g = user;
    char fields[MR_HC_NOTE_MAX];
    if (!(line = setting_of(line, len)))
        return 0;
    const char *text = line;
    if (g->r->source == MR_HC_LIMITS) {
        if (!limits_fields(line, fields, sizeof(fields)))
            return 0;
        text = fields;
    }
    if (match_any(g->r->words, text, '!') ||
        !match_any(g->r->words, text, 0))
        return 0;
    g->found = 1;
    g->hit_line = lineno;
    if (g->path)
        snprintf(g->hit_path, sizeof(g->hit_path), "%s", g->path);
    /* cut to the field on purpose: shown, never parsed again */
    snprintf(g->hit, sizeof(g->hit), "%.*s", (int)sizeof(g->hit) - 1, line);
    size_t n = strlen(g->hit);
    while (n > 0 && (g->hit[n - 1] == '\r' || g->hit[n - 1] == ' '))
        g->hit[--n] = '\0';
    return 1;
}

static int grep_path(mr_hc_run *u, const char *path, void *user)
{
    grep *g = user;
    if (!g->files++)
        snprintf(g->first, sizeof(g->first), "%s", path);
    g->path = path;
    mr_sysroot_lines(u->sr, path, MR_HC_CONFIG_MAX, grep_line, g);
    g->path = NULL;
    return g->found;
}

static void review_contains(mr_hc_run *u, const mr_hc_rule *r)
{
    char file[MR_HC_FILE_MAX], ev[MR_HC_NOTE_MAX + MR_HC_FILE_MAX];
    grep g;
    memset(&g, 0, sizeof(g));
    g.r = r;
    each_path(u, r->file, grep_path, &g);
    /* none of the files: the program is not there, unless the rule says
     * that no file means no line (unset: none) */
    if (!g.files && !(r->unset && !strcmp(r->unset, "none")))
        return;
    mr_hc_judged(u, r);
    if (r->judge == MR_HC_NOT_IN) {
        /* a line that must not be there: the first one is the finding */
        if (!g.found) {
            mr_hc_passed(u, r);
            return;
        }
        mr_hc_display(u, g.hit_path, file);
        mr_hc_emit(u, r, file, g.hit_line, g.hit, g.hit, NULL);
        return;
    }
    if (g.found) {
        mr_hc_passed(u, r);
        return;
    }
    char first[MR_HC_FILE_MAX];
    size_t k = strcspn(r->file, " ");
    snprintf(first, sizeof(first), "%.*s", (int)k, r->file);
    mr_hc_display(u, g.files ? g.first : first, file);
    snprintf(ev, sizeof(ev), "no %.100s in %.400s", r->setting, r->file);
    mr_hc_emit(u, r, file, 0, "(none)", ev, NULL);
}

/* ---- key = value ---------------------------------------------------- */

static void review_keyvalue(mr_hc_run *u, const mr_hc_rule *r)
{
    char file[MR_HC_FILE_MAX];
    char *data = NULL;
    size_t len = 0;
    mr_hc_config *c = calloc(1, sizeof(*c));
    if (!c)
        return;
    mr_hc_display(u, r->file, file);
    mr_hc_setting *st = mr_hc_want(c, r->setting);
    /* no file: the program is not installed, nothing to judge */
    if (mr_sysroot_read(u->sr, r->file, MR_HC_CONFIG_MAX, &data, &len) ==
        MAMORI_OK) {
        mr_hc_buffer(c, file, data, len, mr_hc_sysctl_line);
        free(data);
        mr_hc_keyvalue_judge(u, r, st, file);
    }
    free(c);
}

/* Is file read by the shell (exim's update-exim4.conf.conf, which
 * update-exim4.conf sources)? Its values are shell words. */
static int shell_file(const char *file)
{
    return strcmp(file, "/etc/exim4/update-exim4.conf.conf") == 0;
}

/* The value in as the shell assigns it: quoted strings ('...' as is,
 * "..." with \ before " \ $ ` dropped) and bare characters (\ quoting
 * the next), up to an unquoted blank, ';', '&', '|' or the end: in
 * "'0.0.0.0/0' # was 10.0.0.0/8" and "\"0.0.0.0/0\";" the value is
 * 0.0.0.0/0. Returns 1 when it stopped at such a terminator (what
 * follows is not the value), 0 when it ran to the end of in. */
static int shell_word(const char *in, char *out, size_t cap)
{
    size_t o = 0;
    char q = 0;
    for (const char *p = in; *p; p++) {
        char c = *p;
        if (q == '\'') {
            if (c == '\'') {
                q = 0;
                continue;
            }
        } else if (q == '"') {
            if (c == '"') {
                q = 0;
                continue;
            }
            if (c == '\\' && p[1] && strchr("\"\\$`", p[1]))
                c = *++p;
        } else if (c == '\'' || c == '"') {
            q = c;
            continue;
        } else if (c == ' ' || c == '\t' || c == ';' || c == '&' || c == '|') {
            out[o] = '\0';
            return 1;
        } else if (c == '\\' && p[1]) {
            c = *++p;
        }
        if (o + 1 < cap)
            out[o++] = c;
    }
    out[o] = '\0';
    return 0;
}

void mr_hc_keyvalue_judge(mr_hc_run *u, const mr_hc_rule *r,
                          mr_hc_setting *st, const char *file)
{
    char ev[MR_HC_EVIDENCE_MAX], bad[MR_HC_SHORT_MAX];
    char fix[MR_HC_VALUE_MAX + MR_HC_FILE_MAX];
    if (!st || (!st->found && !r->unset))
        return;
    int cut = st->found && st->cut;
    if (st->found && shell_file(r->file)) {
        char v[MR_HC_VALUE_MAX];
        int ended = shell_word(st->value, v, sizeof(v));
        cut = cut && !ended;
        snprintf(st->value, sizeof(st->value), "%s", v);
    } else {
        /* a value in quotes: judged without them */
        size_t vn = st->found ? strlen(st->value) : 0;
        if (vn >= 2 && (st->value[0] == '\'' || st->value[0] == '"') &&
            st->value[vn - 1] == st->value[0]) {
            memmove(st->value, st->value + 1, vn - 2);
            st->value[vn - 2] = '\0';
        }
    }
    const char *value = st->found ? st->value : r->unset;
    mr_hc_judged(u, r);
    /* a relay list cut to the field: the items past the cut, and the
     * last one read, may be anything ("/24" cut to "/2") */
    int wide_cut = cut && r->judge == MR_HC_NARROW;
    if (!wide_cut && mr_hc_judge_value(r, value, bad, sizeof(bad))) {
        mr_hc_passed(u, r);
        return;
    }
    if (wide_cut) {
        snprintf(ev, sizeof(ev), "%.64s = %.200s... (longer than %d bytes: the rest not judged)",
                 r->setting, value, MR_HC_VALUE_MAX - 1);
        snprintf(fix, sizeof(fix), mr_hc_ja(u) ? "%s（その行を置き換える）"
                                               : "%s (in place of that line)",
                 mr_hc_fix(u, r));
    } else if (st->found && !value[0]) {
        snprintf(ev, sizeof(ev), "%s is empty", r->setting);
        snprintf(fix, sizeof(fix), mr_hc_ja(u) ? "%s（その行を置き換える）"
                                               : "%s (in place of that line)",
                 mr_hc_fix(u, r));
    } else if (st->found && r->judge == MR_HC_NARROW) {
        snprintf(ev, sizeof(ev), "%.64s = %.200s (for anyone: %.64s)",
                 r->setting, value, bad);
        snprintf(fix, sizeof(fix), mr_hc_ja(u) ? "%s（その行を置き換える）"
                                               : "%s (in place of that line)",
                 mr_hc_fix(u, r));
    } else if (st->found) {
        snprintf(ev, sizeof(ev), "%s = %s", r->setting, value);
        snprintf(fix, sizeof(fix), mr_hc_ja(u) ? "%s（その行を置き換える）"
                                               : "%s (in place of that line)",
                 mr_hc_fix(u, r));
    } else {
        snprintf(ev, sizeof(ev), "%s not set (the default: %s)", r->setting,
                 value[0] ? value : "empty");
        snprintf(fix, sizeof(fix), mr_hc_ja(u) ? "%s（%s に追加）"
                                               : "%s (add to %s)",
                 mr_hc_fix(u, r), r->file);
    }
    mr_hc_emit(u, r, st->found ? st->file : file, st->line,
               value[0] ? value : "(empty)", ev, fix);
}

/* ---- logrotate ------------------------------------------------------ */

/* Rotation as logrotate reads it: the global directives, then blocks
 * ("PATHS {" ... "}") that override them for their logs. */
typedef struct rot {
    long period, count;          /* days a rotation covers; kept */
    long g_period, g_count;      /* the global defaults */
    uint64_t g_line;             /* the global rotate's line */
    int in_block, judged_block;
    uint64_t block_line;
    char block[2 * MR_HC_NOTE_MAX + 2]; /* the block's paths */
    char paths[MR_HC_NOTE_MAX];  /* paths on lines before a '{' */
    mr_hc_run *u;
    const mr_hc_rule *r;
    const char *file;            /* display name */
    int failed;
} rot;

static void rot_judge(rot *t, const char *what, uint64_t line)
{
    char ev[MR_HC_EVIDENCE_MAX], value[MR_HC_SHORT_MAX];
    long days = t->period * t->count;
    if (days >= t->r->limit)
        return;
    t->failed = 1;
    snprintf(value, sizeof(value), "%ld days", days);
    snprintf(ev, sizeof(ev), "%.300s: rotate %ld x %ld days keeps %ld days "
             "of logs (fewer than %ld)", what, t->count, t->period, days,
             t->r->limit);
    mr_hc_emit(t->u, t->r, t->file, line, value, ev, NULL);
}

static int rot_line(void *user, char *line, size_t len, uint64_t lineno)
{
    rot *t = user;
    if (!(line = setting_of(line, len)))
        return 0;
    char *brace = strchr(line, '{');
    if (!brace && !t->in_block && (*line == '/' || *line == '"')) {
        /* a log's path on a line of its own: the block follows */
        size_t used = strlen(t->paths);
        if (!used)
            t->block_line = lineno;
        snprintf(t->paths + used, sizeof(t->paths) - used, "%s%s",
                 used ? " " : "", line);
        return 0;
    }
    if (brace && !t->in_block) {
        *brace = '\0';
        t->in_block = 1;
        if (!t->paths[0])
            t->block_line = lineno;
        t->period = t->g_period;
        t->count = t->g_count;
        snprintf(t->block, sizeof(t->block), "%s%s%.255s", t->paths,
                 t->paths[0] && *line ? " " : "", line);
        t->paths[0] = '\0';
        size_t bn = strlen(t->block);
        while (bn > 0 && (t->block[bn - 1] == ' ' || t->block[bn - 1] == '\t'))
            t->block[--bn] = '\0';
        /* only the blocks of logs a rule names (words) are judged */
        t->judged_block = 0;
        for (const char *p = t->r->words; p && *p;) {
            size_t k = strcspn(p, " ");
            char w[MR_HC_SHORT_MAX];
            snprintf(w, sizeof(w), "%.*s", (int)MR_MIN(k, sizeof(w) - 1), p);
            if (k && strstr(t->block, w))
                t->judged_block = 1;
            p += k;
            while (*p == ' ')
                p++;
        }
        return 0;
    }
    if (*line == '}' && t->in_block) {
        t->in_block = 0;
        if (t->judged_block)
            rot_judge(t, t->block, t->block_line);
        return 0;
    }
    long *period = t->in_block ? &t->period : &t->g_period;
    long *count = t->in_block ? &t->count : &t->g_count;
    size_t k = strcspn(line, " \t");
    if (k == 5 && !strncmp(line, "daily", 5)) *period = 1;
    else if (k == 6 && !strncmp(line, "weekly", 6)) *period = 7;
    else if (k == 7 && !strncmp(line, "monthly", 7)) *period = 30;
    else if (k == 6 && !strncmp(line, "yearly", 6)) *period = 365;
    else if (k == 6 && !strncmp(line, "rotate", 6)) {
        char *end = NULL;
        long v = strtol(line + k, &end, 10);
        if (end != line + k && v >= 0 && v < 100000)
            *count = v;
        if (!t->in_block)
            t->g_line = lineno;
    }
    return 0;
}

static void review_logrotate(mr_hc_run *u, const mr_hc_rule *r)
{
    char file[MR_HC_FILE_MAX];
    /* with no directives logrotate keeps nothing (rotate 0) and rotates
     * on every run (daily, from cron) */
    rot t;
    memset(&t, 0, sizeof(t));
    t.g_period = 1;
    t.u = u;
    t.r = r;
    mr_hc_display(u, r->file, file);
    t.file = file;
    if (mr_sysroot_lines(u->sr, r->file, MR_HC_CONFIG_MAX, rot_line, &t))
        return;                /* no logrotate: nothing to judge */
    mr_hc_judged(u, r);
    t.in_block = 0;
    /* the defaults themselves, for logs without a block of their own */
    t.period = t.g_period;
    t.count = t.g_count;
    rot_judge(&t, "the defaults", t.g_line);
    /* the blocks of logrotate.d inherit the global settings */
    mr_sysroot_names names;
    memset(&names, 0, sizeof(names));
    mr_sysroot_list(u->sr, "/etc/logrotate.d", NULL, &names);
    long gp = t.g_period, gc = t.g_count;
    for (size_t i = 0; i < names.n && i < HC_LOGROTATE_FILES &&
                       !u->stopped; i++) {
        char path[MR_HC_FILE_MAX], shown[MR_HC_FILE_MAX];
        snprintf(path, sizeof(path), "/etc/logrotate.d/%s", names.names[i]);
        mr_hc_display(u, path, shown);
        t.file = shown;
        t.g_period = gp;
        t.g_count = gc;
        t.in_block = 0;
        t.paths[0] = '\0';
        mr_sysroot_lines(u->sr, path, MR_HC_CONFIG_MAX, rot_line, &t);
    }
    mr_sysroot_names_free(&names);
    if (!t.failed)
        mr_hc_passed(u, r);
}

/* ---- firewall ------------------------------------------------------- */

static int file_matches(mr_hc_run *u, const char *path, const char *words)
{
    mr_hc_rule r;
    memset(&r, 0, sizeof(r));
    r.words = words;
    grep g;
    memset(&g, 0, sizeof(g));
    g.r = &r;
    mr_sysroot_lines(u->sr, path, MR_HC_CONFIG_MAX, grep_line, &g);
    return g.found;
}

static int any_exists(mr_hc_run *u, const char *const *paths, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (mr_sysroot_exists(u->sr, paths[i]))
            return 1;
    return 0;
}

static void review_firewall(mr_hc_run *u, const mr_hc_rule *r)
{
    static const char *const nft_on[] = {
        "/etc/systemd/system/sysinit.target.wants/nftables.service",
        "/etc/systemd/system/multi-user.target.wants/nftables.service"};
    static const char *const firewalld_on[] = {
        "/etc/systemd/system/multi-user.target.wants/firewalld.service"};
    char file[MR_HC_FILE_MAX];
    mr_hc_judged(u, r);
    int nft = any_exists(u, nft_on, MR_ARRAY_LEN(nft_on)) &&
              file_matches(u, "/etc/nftables.conf", "*hook*input*") &&
              file_matches(u, "/etc/nftables.conf",
                           "*policy*drop* *policy*reject*");
    int ufw = file_matches(u, "/etc/ufw/ufw.conf",
                           "ENABLED=yes ENABLED=\"yes\"");
    int ipt = file_matches(u, "/etc/iptables/rules.v4",
                           ":INPUT*DROP* :INPUT*REJECT*");
    int fwd = any_exists(u, firewalld_on, MR_ARRAY_LEN(firewalld_on));
    if (nft || ufw || ipt || fwd) {
        mr_hc_passed(u, r);
        return;
    }
    mr_hc_display(u, r->file, file);
    mr_hc_emit(u, r, file, 0, "(none)",
               "no firewall loads default-deny input rules at boot "
               "(nftables enabled with a drop policy on input, ufw "
               "ENABLED=yes, iptables-persistent's rules.v4, firewalld)",
               NULL);
}

void mr_hc_review_presence(mr_hc_run *u, const mr_hc_rule *rules, size_t n)
{
    int any = 0;
    mr_hc_config *journald = NULL;
    for (size_t i = 0; i < n; i++)
        any |= rules[i].source == MR_HC_JOURNALD ||
               rules[i].source == MR_HC_JOURNALD_SIZE ||
               rules[i].source == MR_HC_EXISTS ||
               rules[i].source == MR_HC_CONTAINS ||
               rules[i].source == MR_HC_LIMITS ||
               rules[i].source == MR_HC_KEYVALUE ||
               rules[i].source == MR_HC_LOGROTATE ||
               rules[i].source == MR_HC_FIREWALL;
    if (!any)
        return;
    if (!mr_sysroot_exists(u->sr, "/var/lib/dpkg/status")) {
        char file[MR_HC_FILE_MAX];
        mr_hc_display(u, "/var/lib/dpkg/status", file);
        mamori_diagf(u->ctx, MAMORI_DIAG_NOTE, file, 0,
                     "not present (not an installed Debian system): the "
                     "logging, security software and firewall rules skipped");
        return;
    }
    for (size_t i = 0; i < n && !u->stopped; i++) {
        const mr_hc_rule *r = &rules[i];
        switch (r->source) {
        case MR_HC_EXISTS: review_exists(u, r); break;
        case MR_HC_CONTAINS: case MR_HC_LIMITS: review_contains(u, r); break;
        case MR_HC_KEYVALUE: review_keyvalue(u, r); break;
        case MR_HC_LOGROTATE: review_logrotate(u, r); break;
        case MR_HC_FIREWALL: review_firewall(u, r); break;
        case MR_HC_JOURNALD: case MR_HC_JOURNALD_SIZE:
            if (!journald)      /* read once, for all of its rules */
                journald = mr_hc_journald_config(u, rules, n);
            if (journald)
                mr_hc_journald_judge(u, r, journald);
            break;
        default: break;
        }
    }
    free(journald);
}
