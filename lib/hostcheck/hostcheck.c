/*
 * hostcheck.c — `mamori host`: the run that applies the rules
 * (data/hostchecks/NAME.conf) to a machine read through a
 * mamori_sysroot. Each review (review_*.c) reads its source of settings
 * once and judges its rules in table order; a failing rule is a finding
 * made here (mr_hc_emit) with the file and line (or the setting) that
 * decided it, the value seen, the exact fix and the CIS/Lynis reference,
 * all from the rule. This file keeps what every review shares: the
 * judgement of a value, the tallies of the hardening index, the
 * lifecycle and the summary.
 *
 * Owners are judged on this machine and under a root owned by root (an
 * image unpacked as root keeps them); a tree unpacked by a user owns
 * every file itself, and judging that would only be noise.
 */
#include "common.h"

#include <arpa/inet.h>
#include <strings.h>
#include <time.h>

#include "host/sysroot.h"
#include "hostcheck/accept.h"
#include "hostcheck/hostcheck.h"
#include "mamori/hostcheck.h"
#include "check_ids.h"

/* The areas of the report and of the hardening index, in this order. */
static const char *const areas[] = {"ssh",     "accounts", "files",
                                    "kernel",  "services", "logging",
                                    "security"};
#define HC_AREAS MR_ARRAY_LEN(areas)

struct mamori_hostcheck {
    const mamori_ctx *ctx;
    int configured_only;
    unsigned log_days;          /* 0: the rules' own bar */
    mamori_err first_error;
    uint64_t judged, passed, findings;
    /* per area: rules judged and passed, points earned and possible */
    uint64_t area_judged[HC_AREAS], area_passed[HC_AREAS];
    uint64_t earned[HC_AREAS], possible[HC_AREAS];
    mr_hc_accept acc;           /* exceptions and baseline */
    int have_exceptions;
    uint64_t accepted, fresh;   /* findings accepted; new since baseline */
};

static size_t area_of(const mr_hc_rule *r)
{
    if (r->area)
        for (size_t i = 0; i < HC_AREAS; i++)
            if (!strcmp(areas[i], r->area))
                return i;
    switch (r->source) {
    case MR_HC_SSHD: case MR_HC_HOSTKEY: return 0;
    case MR_HC_MODE: case MR_HC_MODE_TREE: case MR_HC_ROOT_PATH:
    case MR_HC_HOME_MODES: return 2;
    case MR_HC_SYSCTL: return 3;
    case MR_HC_PACKAGE: case MR_HC_PACKAGE_MISSING: return 4;
    case MR_HC_LOGROTATE: return 5;
    case MR_HC_FIREWALL: return 6;
    default: return 1;
    }
}

/* A rule's points in the hardening index, as Lynis weighs its tests: a
 * more severe rule is worth more. */
static unsigned points(const mr_hc_rule *r)
{
    switch (r->severity) {
    case MAMORI_SEV_CRITICAL: return 5;
    case MAMORI_SEV_HIGH: return 3;
    case MAMORI_SEV_MEDIUM: return 2;
    default: return 1;
    }
}

void mr_hc_judged(mr_hc_run *u, const mr_hc_rule *r)
{
    mamori_hostcheck *hc = u->hc;
    hc->judged++;
    hc->area_judged[area_of(r)]++;
    hc->possible[area_of(r)] += points(r);
}

void mr_hc_passed(mr_hc_run *u, const mr_hc_rule *r)
{
    mamori_hostcheck *hc = u->hc;
    hc->passed++;
    hc->area_passed[area_of(r)]++;
    hc->earned[area_of(r)] += points(r);
}

void mr_hc_emit(mr_hc_run *u, const mr_hc_rule *r, const char *file,
                uint64_t line, const char *value, const char *evidence,
                const char *fix)
{
    mr_hc_emit_setting(u, r, NULL, file, line, value, evidence, fix);
}

const char *mr_hc_evidence(const mr_hc_rule *r, const char *value, char *out,
                           size_t cap)
{
    if (!r->evidence)
        return NULL;
    mr_hc_subst(r->evidence, "VALUE", value, out, cap);
    return out;
}

/* A finding of the password view: the shape `mamori password policy`
 * has always given (its consumers read it), no host fields. */
static void emit_password(mr_hc_run *u, const mr_hc_rule *r,
                          const char *setting, const char *file,
                          uint64_t line, const char *evidence)
{
    mamori_finding f;
    memset(&f, 0, sizeof(f));
    f.check = mamori_check_find(r->check);
    f.severity = f.check ? f.check->severity : r->severity;
    f.category = "password-policy";
    f.file = file;
    f.line = line;
    f.time = INT64_MIN;
    f.evidence = evidence;
    f.evidence_len = strlen(evidence);
    mamori_finding_str(&f, "setting", setting, strlen(setting));
    u->hc->findings++;
    u->emitted++;
    if (u->sink->finding && u->sink->finding(u->sink->user, &f))
        u->stopped = 1;
}

void mr_hc_emit_setting(mr_hc_run *u, const mr_hc_rule *r,
                        const char *setting, const char *file, uint64_t line,
                        const char *value, const char *evidence,
                        const char *fix)
{
    mamori_finding f;
    if (u->stopped)
        return;
    setting = setting ? setting : r->setting;
    if (u->view & MR_HC_VIEW_PASSWORD) {
        emit_password(u, r, setting, file, line, evidence);
        return;
    }
    memset(&f, 0, sizeof(f));
    f.check = mamori_check_find(r->check);
    f.severity = r->severity;
    f.category = areas[area_of(r)];
    f.file = file;
    f.line = line;
    f.time = INT64_MIN;
    f.evidence = evidence;
    f.evidence_len = strlen(evidence);
    mamori_finding_str(&f, "rule", r->id, strlen(r->id));
    mamori_finding_str(&f, "setting", setting, strlen(setting));
    if (value)
        mamori_finding_str(&f, "value", value, strlen(value));
    fix = fix ? fix : mr_hc_fix(u, r);
    mamori_finding_str(&f, "fix", fix, strlen(fix));
    if (r->ref)
        mamori_finding_str(&f, "reference", r->ref, strlen(r->ref));
    /* what the administrator decided: by the system path, not the
     * root's, so one file serves an image and the machine alike */
    const char *root = mamori_sysroot_root(u->sr);
    const char *sys = file ? file : "";
    size_t rn = root ? strlen(root) : 0;
    if (rn && !strncmp(sys, root, rn) && sys[rn] == '/')
        sys += rn;
    mamori_hostcheck *hc = u->hc;
    const mr_hc_exception *x =
        mr_hc_accept_find(&hc->acc, r->id, r->check, sys);
    if (x) {
        f.severity = MAMORI_SEV_INFO;
        mamori_finding_str(&f, "accepted", x->reason, strlen(x->reason));
        if (x->until[0])
            mamori_finding_str(&f, "accepted_until", x->until,
                               strlen(x->until));
        hc->accepted++;
    }
    char key[MR_HC_KEY_BYTES];
    mr_hc_accept_key(r->id, sys, value, key, sizeof(key));
    if (mr_hc_accept_note(&hc->acc, key) == 0) {
        mamori_finding_str(&f, "baseline", "new", 3);
        mr_hc_accept_fresh(&hc->acc, sys);
        hc->fresh++;
    }
    u->hc->findings++;
    u->emitted++;
    if (u->sink->finding && u->sink->finding(u->sink->user, &f))
        u->stopped = 1;
}

int mr_hc_ja(const mr_hc_run *u)
{
    return u->ctx && u->ctx->lang == MAMORI_LANG_JA;
}

const char *mr_hc_fix(const mr_hc_run *u, const mr_hc_rule *r)
{
    return mr_hc_ja(u) && r->fix_ja ? r->fix_ja : r->fix;
}

void mr_hc_display(const mr_hc_run *u, const char *path, char *out)
{
    if (mamori_sysroot_display(u->sr, path, out, MR_HC_FILE_MAX))
        snprintf(out, MR_HC_FILE_MAX, "%s", path);
}

int mr_hc_in_words(const char *words, const char *w, size_t n)
{
    const char *p = words;
    while (p && *p) {
        while (*p == ' ')
            p++;
        size_t k = strcspn(p, " ");
        if (k == 0)
            break;
        if (p[k - 1] == '*') {
            if (n >= k - 1 && !strncasecmp(p, w, k - 1))
                return 1;
        } else if (k == n && !strncasecmp(p, w, n)) {
            return 1;
        }
        p += k;
    }
    return 0;
}

/* A '*' domain pattern whose remainder is a public suffix: "*" + "com"
 * or ".com" (no dot in it, or one label after a leading dot) is every
 * domain under a top-level one; "*.example.jp" is one domain's. */
static int wide_domain(const char *item, size_t k)
{
    if (item[0] == '^')
        return 1;       /* a regular expression: matches what it likes */
    if (item[0] != '*')
        return 0;
    const char *rest = item + 1, *end = item + k;
    if (rest < end && *rest == '.')
        rest++;
    return memchr(rest, '.', (size_t)(end - rest)) == NULL;
}

/* Is item (k bytes, trimmed) of a NARROW list everyone? 1: "*", a
 * public suffix's wildcard, a regular expression, or a network
 * (ADDRESS/BITS) wider than limit bits for IPv4, 4 x limit for IPv6
 * unless inside the private fc00::/7 or link-local fe80::/10 (not
 * reachable from the internet); 0: narrow; -1: not an item this reads
 * (a blank or a quote inside, an address or a prefix that does not
 * parse), which the rule cannot judge. */
static int wide_item(const char *item, size_t k, long limit)
{
    if (k == 1 && item[0] == '*')
        return 1;
    for (size_t i = 0; i < k; i++)
        if (item[i] == ' ' || item[i] == '\t' || item[i] == '\'' || item[i] == '"' ||
            item[i] == ',')
            return -1;  /* one item to exim, and not one it can read */
    const char *slash = memchr(item, '/', k);
    if (!slash)
        return wide_domain(item, k);
    if (slash + 1 == item + k || (size_t)(slash - item) >= 64)
        return -1;
    long bits = 0;
    for (const char *d = slash + 1; d < item + k; d++) {
        if (*d < '0' || *d > '9' || bits > 128)
            return -1;   /* not a prefix length: exim refuses it */
        bits = bits * 10 + (*d - '0');
    }
    char addr[64];
    unsigned char a[16];
    snprintf(addr, sizeof addr, "%.*s", (int)(slash - item), item);
    int v6 = strchr(addr, ':') != NULL;
    if (inet_pton(v6 ? AF_INET6 : AF_INET, addr, a) != 1 || bits > (v6 ? 128 : 32))
        return -1;
    if (v6 && ((bits >= 7 && (a[0] & 0xfe) == 0xfc) ||
               (bits >= 10 && a[0] == 0xfe && (a[1] & 0xc0) == 0x80)))
        return 0;       /* private or link-local: nobody on the internet */
    return bits < (v6 ? 4 * limit : limit);
}

/* Appends the k bytes at p to the comma list in bad (cap bytes, used so
 * far); a full list stays full, and still fails the rule. */
static void bad_item(char *bad, size_t cap, size_t *used, const char *p, size_t k)
{
    int w = snprintf(bad + *used, cap - *used, "%s%.*s", *used ? "," : "", (int)k, p);
    if (w > 0 && (size_t)w < cap - *used)
        *used += (size_t)w;
    else
        *used = cap - 1;
}

int mr_hc_judge_value(const mr_hc_rule *r, const char *value, char *bad,
                size_t cap)
{
    bad[0] = '\0';
    switch (r->judge) {
    case MR_HC_IN:
        return mr_hc_in_words(r->words, value, strlen(value));
    case MR_HC_NOT_IN:
        return !mr_hc_in_words(r->words, value, strlen(value));
    case MR_HC_LE: {
        long v = mr_hc_sshd_time(value);
        return v >= 0 && v <= r->limit;
    }
    case MR_HC_GE: {
        char *end = NULL;
        long v = strtol(value, &end, 10);
        return end != value && *end == '\0' && v >= r->limit;
    }
    case MR_HC_NONE_OF: {
        const char *p = value;
        size_t used = 0;
        if (*p == '-')       /* "-list": removes from the defaults */
            return 1;
        if (*p == '+' || *p == '^')
            p++;
        while (*p) {
            size_t k = strcspn(p, ",");
            if (k && mr_hc_in_words(r->words, p, k)) {
                int w = snprintf(bad + used, cap - used, "%s%.*s",
                                 used ? "," : "", (int)k, p);
                if (w > 0 && (size_t)w < cap - used)
                    used += (size_t)w;
            }
            p += k;
            if (*p == ',')
                p++;
        }
        return used == 0;
    }
    case MR_HC_PRESENT:
        return value[0] != '\0';
    case MR_HC_GE_SPAN: {
        long long v = mr_hc_span(value);
        return v == 0 || v >= r->limit;
    }
    case MR_HC_ALL_IN: {
        /* exim's lists: "127.0.0.1 ; ::1", or "<; ..." naming the
         * separator; the items outside `words` go to bad */
        const char *p = value;
        size_t used = 0, items = 0;
        while (*p) {
            p += strspn(p, "; ,\t");
            size_t k = strcspn(p, "; ,\t");
            if (k == 0)
                break;
            if (!(k == 1 && *p == '<')) {
                items++;
                if (!mr_hc_in_words(r->words, p, k))
                    bad_item(bad, cap, &used, p, k);
            }
            p += k;
        }
        return items > 0 && used == 0;
    }
    case MR_HC_NARROW: {
        /* exim's relay lists as update-exim4.conf reads them: items
         * between ';' (its ':' to exim; "<X" at the start names another
         * separator), blanks around them trimmed; "!" and the blanks
         * after it an exclusion, not judged. The items that let everyone
         * in, and those it cannot read, go to bad. */
        const char *p = value;
        size_t used = 0;
        char sep = ';';
        p += strspn(p, " \t");
        if (p[0] == '<' && p[1] && p[1] != ' ' && p[1] != '\t') {
            sep = p[1];
            p += 2;
        }
        while (*p) {
            const char *e = strchr(p, sep);
            size_t k = e ? (size_t)(e - p) : strlen(p);
            const char *it = p;
            p += k + (e ? 1 : 0);
            while (k && (*it == ' ' || *it == '\t'))
                it++, k--;
            while (k && (it[k - 1] == ' ' || it[k - 1] == '\t'))
                k--;
            if (k == 0 || *it == '!')
                continue;
            if (wide_item(it, k, r->limit) != 0)
                bad_item(bad, cap, &used, it, k);
        }
        return used == 0;
    }
    }
    return 1;
}

void mr_hc_subst(const char *fix, const char *word, const char *value,
                 char *out, size_t cap)
{
    const char *p = fix;
    size_t used = 0, wn = strlen(word);
    out[0] = '\0';
    while (*p && used < cap - 1) {
        const char *at = strstr(p, word);
        size_t k = at ? (size_t)(at - p) : strlen(p);
        int w = snprintf(out + used, cap - used, "%.*s%.200s", (int)k, p,
                         at ? value : "");
        if (w < 0)
            break;
        used += MR_MIN((size_t)w, cap - 1 - used);
        p += k + (at ? wn : 0);
    }
}

typedef struct group_find {
    const char *name;
    long gid;
} group_find;

static int group_line(void *user, char *line, size_t len, uint64_t lineno)
{
    (void)len;
    (void)lineno;
    group_find *g = user;
    size_t n = strlen(g->name);
    if (!strncmp(line, g->name, n) && line[n] == ':') {
        const char *p = strchr(line + n + 1, ':');
        if (p && p[1] >= '0' && p[1] <= '9') {
            g->gid = strtol(p + 1, NULL, 10);
            return 1;
        }
    }
    return 0;
}

long mr_hc_group_gid(mr_hc_run *u, const char *name)
{
    group_find g = {name, -1};
    if (name)
        mr_sysroot_lines(u->sr, "/etc/group", MR_HC_CONFIG_MAX, group_line,
                         &g);
    return g.gid;
}

size_t mr_hc_dropins(mr_hc_run *u, const char *const *globs, size_t nglobs,
                     mr_sysroot_names *names, const char **pick, size_t max)
{
    size_t npick = 0;
    memset(names, 0, nglobs * sizeof(*names));
    for (size_t d = 0; d < nglobs; d++) {
        mr_sysroot_glob(u->sr, globs[d], &names[d]);
        for (size_t i = 0; i < names[d].n && npick < max; i++) {
            const char *base = strrchr(names[d].names[i], '/') + 1;
            int shadowed = 0;
            for (size_t k = 0; k < npick; k++)
                if (!strcmp(strrchr(pick[k], '/') + 1, base))
                    shadowed = 1;
            if (!shadowed)
                pick[npick++] = names[d].names[i];
        }
    }
    /* by file name, whichever directory it is in */
    for (size_t i = 1; i < npick; i++)
        for (size_t k = i; k > 0 && strcmp(strrchr(pick[k - 1], '/'),
                                           strrchr(pick[k], '/')) > 0; k--) {
            const char *t = pick[k];
            pick[k] = pick[k - 1];
            pick[k - 1] = t;
        }
    return npick;
}

int mr_hc_owners_judged(mr_hc_run *u)
{
    struct stat root_st;
    return mamori_sysroot_is_live(u->sr) ||
           (mr_sysroot_stat(u->sr, "/", &root_st) == MAMORI_OK &&
            root_st.st_uid == 0);
}

/* An expired exception is a finding of its own: the deviation it
 * accepted is back in the report, and somebody must decide again. */
static void expired(mr_hc_run *u)
{
    mamori_hostcheck *hc = u->hc;
    char ev[MR_HC_EVIDENCE_MAX];
    for (size_t i = 0; i < hc->acc.nexc && !u->stopped; i++) {
        const mr_hc_exception *x = &hc->acc.exc[i];
        if (!x->expired)
            continue;
        mamori_finding f;
        memset(&f, 0, sizeof(f));
        f.check = mamori_check_find(MR_CHECK_HOST_EXCEPTION_EXPIRED);
        f.severity = f.check ? f.check->severity : MAMORI_SEV_LOW;
        f.category = "exceptions";
        f.file = hc->acc.exc_file;
        f.line = x->line;
        f.time = INT64_MIN;
        snprintf(ev, sizeof(ev), "the exception for %.100s%s%.200s ended on "
                 "%s (%.200s)", x->id, x->path ? " " : "",
                 x->path ? x->path : "", x->until, x->reason);
        f.evidence = ev;
        f.evidence_len = strlen(ev);
        mamori_finding_str(&f, "rule", x->id, strlen(x->id));
        mamori_finding_str(&f, "value", x->until, strlen(x->until));
        const char *fix =
            mr_hc_ja(u) ? "改めて判断する: 検出を修正するか、新しい until= "
                          "と理由で例外を更新する"
                        : "decide again: fix the finding, or renew the "
                          "exception with a new until= and reason";
        mamori_finding_str(&f, "fix", fix, strlen(fix));
        hc->findings++;
        if (u->sink->finding && u->sink->finding(u->sink->user, &f))
            u->stopped = 1;
    }
}

/* ---- the public lifecycle ------------------------------------------ */

mamori_err mamori_hostcheck_new(const mamori_ctx *ctx,
                                const mamori_hostcheck_opts *opts,
                                mamori_hostcheck **out)
{
    *out = NULL;
    mamori_hostcheck *hc = calloc(1, sizeof(*hc));
    if (!hc)
        return MAMORI_E_NOMEM;
    hc->ctx = ctx;
    hc->configured_only = opts ? opts->configured_only : 0;
    hc->log_days = opts && opts->log_days <= MAMORI_HOSTCHECK_LOG_DAYS_MAX
                       ? opts->log_days : 0;
    mamori_err e = MAMORI_OK;
    if (opts && opts->exceptions) {
        char today[16];
        struct tm tm;
        time_t now = opts->now ? (time_t)opts->now : time(NULL);
        if (!gmtime_r(&now, &tm) ||
            !strftime(today, sizeof(today), "%Y-%m-%d", &tm))
            snprintf(today, sizeof(today), "9999-12-31");
        e = mr_hc_accept_exceptions(&hc->acc, ctx, opts->exceptions, today);
        hc->have_exceptions = 1;
        if (e)
            mamori_diagf(ctx, MAMORI_DIAG_ERROR, opts->exceptions, 0,
                         "cannot read the exceptions: %s",
                         e == MAMORI_E_IO ? strerror(errno)
                                          : mamori_strerror(e));
    }
    if (!e && opts && opts->baseline) {
        e = mr_hc_accept_baseline(&hc->acc, opts->baseline);
        if (e)
            mamori_diagf(ctx, MAMORI_DIAG_ERROR, opts->baseline, 0,
                         "cannot read the baseline: %s",
                         e == MAMORI_E_IO     ? strerror(errno)
                         : e == MAMORI_E_FORMAT ? "not a mamori host baseline"
                                                : mamori_strerror(e));
    }
    if (e) {
        mamori_hostcheck_free(hc);
        return e;
    }
    *out = hc;
    return MAMORI_OK;
}

typedef void (*review_fn)(mr_hc_run *, const mr_hc_rule *, size_t);

mamori_err mr_hc_review_view(mamori_hostcheck *hc, const mamori_sysroot *sr,
                             const mamori_sink *sink, unsigned view,
                             long min_length)
{
    size_t all, n = 0;
    const mr_hc_rule *table = mr_hc_rules(&all);
    static const review_fn host[] = {
        mr_hc_review_sshd,     mr_hc_review_hostkeys, mr_hc_review_accounts,
        mr_hc_review_logindefs, mr_hc_review_pam,     mr_hc_review_sudoers,
        mr_hc_review_modes,    mr_hc_review_paths,    mr_hc_review_sysctl,
        mr_hc_review_packages, mr_hc_review_presence};
    /* the order `mamori password policy` has always reported in */
    static const review_fn password[] = {
        mr_hc_review_logindefs, mr_hc_review_pam, mr_hc_review_sshd};
    int pw = (view & MR_HC_VIEW_PASSWORD) != 0;
    const review_fn *reviews = pw ? password : host;
    size_t nreviews = pw ? MR_ARRAY_LEN(password) : MR_ARRAY_LEN(host);
    /* the view's rules, in table order: each review indexes its own */
    mr_hc_rule *rules = malloc(all * sizeof(*rules));
    if (!rules)
        return MAMORI_E_NOMEM;
    for (size_t i = 0; i < all; i++)
        if ((table[i].view & view & ~MR_HC_VIEW_NO_SSHD) &&
            !((view & MR_HC_VIEW_NO_SSHD) && table[i].source == MR_HC_SSHD))
            rules[n++] = table[i];
    /* the retention bar the user asked for: days, or seconds for the
     * rules that read a time span (journald's MaxRetentionSec) */
    for (size_t i = 0; i < n && hc->log_days; i++)
        if (!strcmp(rules[i].check, "host.log.retention"))
            rules[i].limit = rules[i].judge == MR_HC_GE_SPAN
                                 ? (long)hc->log_days * 86400L : (long)hc->log_days;
    mr_hc_run u = {hc, hc->ctx, sink, sr, pw || hc->configured_only, 0, 0,
                   view, min_length};
    for (size_t i = 0; i < nreviews && !u.stopped; i++)
        reviews[i](&u, rules, n);
    if (!pw) {
        expired(&u);
        if (!u.stopped)
            mr_hc_hash_files(&u, rules, n, &hc->acc);
    }
    free(rules);
    mamori_err e = u.stopped ? MAMORI_E_ABORTED : MAMORI_OK;
    if (e && !hc->first_error)
        hc->first_error = e;
    return e;
}

mamori_err mamori_hostcheck_host(mamori_hostcheck *hc,
                                 const mamori_sysroot *sr,
                                 const mamori_sink *sink)
{
    return mr_hc_review_view(hc, sr, sink, MR_HC_VIEW_HOST, 0);
}

/* The summary's part of what was decided: accepted findings, and what
 * changed since the baseline (its findings not found again: fixed). */
static int decided(mamori_hostcheck *hc, mamori_summary *s)
{
    int bad = 0;
    if (hc->have_exceptions)
        bad = mamori_summary_counter(s, "accepted", "Findings accepted",
                                     "受け入れ済みの検出",
                                     (int64_t)hc->accepted) != MAMORI_OK;
    if (!hc->acc.have_base || bad)
        return bad;
    uint64_t fixed = 0;
    for (size_t i = 0; i < hc->acc.nbase; i++)
        fixed += !hc->acc.base_seen[i];
    static const char *const cols[] = {"rule", "file", "value"};
    bad = mamori_summary_counter(s, "new", "New since the baseline",
                                 "ベースライン以降の新規",
                                 (int64_t)hc->fresh) ||
          mamori_summary_counter(s, "fixed", "Fixed since the baseline",
                                 "ベースライン以降に解消",
                                 (int64_t)fixed) ||
          mamori_summary_table(s, "fixed", "Fixed since the baseline",
                               "ベースライン以降に解消されたもの",
                               MR_ARRAY_LEN(cols), cols);
    for (size_t i = 0; i < hc->acc.nbase && !bad; i++) {
        if (hc->acc.base_seen[i])
            continue;
        /* rule TAB path TAB value, split in a copy */
        char line[MR_HC_KEY_BYTES];
        snprintf(line, sizeof(line), "%s", hc->acc.base[i]);
        char *path = strchr(line, '\t');
        char *value = path ? strchr(path + 1, '\t') : NULL;
        if (path)
            *path++ = '\0';
        if (value)
            *value++ = '\0';
        mamori_cell row[MR_ARRAY_LEN(cols)] = {
            {line, 0}, {path ? path : "", 0}, {value ? value : "", 0}};
        bad = mamori_summary_row(s, row) != MAMORI_OK;
    }
    if (!bad)
        bad = mr_hc_drift_summary(&hc->acc, s);
    return bad;
}

mamori_err mamori_hostcheck_finish(mamori_hostcheck *hc,
                                   const mamori_sink *sink)
{
    if (hc->first_error)
        return hc->first_error;
    mamori_summary *s = mamori_summary_new("host");
    if (!s)
        return MAMORI_E_NOMEM;
    /* The hardening index, as Lynis computes its own: points earned
     * over points possible, 0-100, per area and overall (a machine where
     * nothing could be judged has none: -1). */
    uint64_t earned = 0, possible = 0;
    for (size_t i = 0; i < HC_AREAS; i++) {
        earned += hc->earned[i];
        possible += hc->possible[i];
    }
    static const char *const cols[] = {"area", "rules", "passed", "points",
                                       "possible", "index"};
    int bad =
        mamori_summary_counter(s, "rules", "Rules judged", "判定した項目",
                               (int64_t)hc->judged) ||
        mamori_summary_counter(s, "passed", "Rules passed", "問題のない項目",
                               (int64_t)hc->passed) ||
        mamori_summary_counter(s, "findings", "Findings", "検出件数",
                               (int64_t)hc->findings) ||
        mamori_summary_counter(s, "hardening_index",
                               "Hardening index (0-100)",
                               "堅牢化指数（0〜100）",
                               possible ? (int64_t)(earned * 100 / possible)
                                        : -1) ||
        mamori_summary_table(s, "by_area", "Rules by area",
                             "分野ごとの判定", MR_ARRAY_LEN(cols), cols);
    for (size_t i = 0; i < HC_AREAS && !bad; i++) {
        if (!hc->area_judged[i])
            continue;
        mamori_cell row[MR_ARRAY_LEN(cols)] = {
            {areas[i], 0}, {NULL, (int64_t)hc->area_judged[i]},
            {NULL, (int64_t)hc->area_passed[i]},
            {NULL, (int64_t)hc->earned[i]}, {NULL, (int64_t)hc->possible[i]},
            {NULL, (int64_t)(hc->earned[i] * 100 / hc->possible[i])}};
        bad = mamori_summary_row(s, row) != MAMORI_OK;
    }
    if (!bad)
        bad = decided(hc, s);
    if (bad) {
        mamori_summary_free(s);
        return MAMORI_E_NOMEM;
    }
    if (sink && sink->summary)
        return sink->summary(sink->user, s) ? MAMORI_E_ABORTED : MAMORI_OK;
    mamori_summary_free(s);
    return MAMORI_OK;
}

mamori_err mamori_hostcheck_save_baseline(const mamori_hostcheck *hc,
                                          FILE *out)
{
    return mr_hc_accept_save(&hc->acc, out);
}

void mamori_hostcheck_free(mamori_hostcheck *hc)
{
    if (!hc)
        return;
    mr_hc_accept_free(&hc->acc);
    free(hc);
}

mamori_err mamori_hostcheck_review(const mamori_ctx *ctx, const char *root,
                                   const mamori_sink *sink)
{
    mamori_sysroot *sr = NULL;
    mamori_hostcheck *hc = NULL;
    mamori_err e = mamori_sysroot_new(root, &sr);
    if (e) {
        mamori_diagf(ctx, MAMORI_DIAG_ERROR, root, 0,
                     "cannot open the root: %s",
                     e == MAMORI_E_IO ? strerror(errno) : mamori_strerror(e));
        return e;
    }
    if ((e = mamori_hostcheck_new(ctx, NULL, &hc)) == MAMORI_OK) {
        e = mamori_hostcheck_host(hc, sr, sink);
        mamori_err f = mamori_hostcheck_finish(hc, sink);
        if (!e)
            e = f;
    }
    mamori_hostcheck_free(hc);
    mamori_sysroot_free(sr);
    return e;
}

