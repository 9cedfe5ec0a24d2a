/*
 * audit.c — `mamori password audit`: what a password manager's export
 * says about a person's passwords. The guidance's first concern is reuse:
 * the same password on two services lets one leak open both. Each entry
 * is also checked (weak, with its reasons) and looked up in the breach
 * filter. Findings name sites and users, never passwords: the evidence is
 * the site, the password is shown as "****".
 *
 * Reuse is found by a keyed hash of each password (SipHash under a random
 * key per run, so the table in memory is no dictionary-attackable list);
 * the findings come in the order of each group's first line, whatever
 * the key. Sites live
 * in an arena capped at AUDIT_ARENA_MAX; past it sites are counted only.
 */
#include "common.h"

#include <sys/stat.h>

#include "mamori/password.h"
#include "util/arena.h"
#include "check_ids.h"
#include "util/hash.h"
#include "util/grow.h"

#define AUDIT_ARENA_MAX (64u * 1024 * 1024)
#define AUDIT_SITES_LISTED 10   /* sites named per reuse finding */
#define AUDIT_SITE_SHOWN 200    /* bytes of a site name shown */

typedef struct audit_entry {
    uint64_t key;       /* keyed hash of the password */
    uint64_t group;     /* first line of the entries sharing the key */
    const char *site;
    const char *user;
    uint64_t line;
} audit_entry;

typedef struct audit_run {
    const mamori_ctx *ctx;
    const mamori_password_checker *checker;
    const mamori_sink *sink;
    const char *path;
    mr_hash_key hkey;
    mr_arena arena;
    audit_entry *entries;
    size_t n, cap;
    uint64_t weak, breached, reused_groups, reused_entries;
    int stopped;
} audit_run;

static int emit(audit_run *a, mamori_finding *f)
{
    if (a->sink->finding && a->sink->finding(a->sink->user, f)) {
        a->stopped = 1;
        return 1;
    }
    return 0;
}

static void finding_init(audit_run *a, mamori_finding *f, const char *id,
                         const char *category, uint64_t line)
{
    memset(f, 0, sizeof(*f));
    f->check = mamori_check_find(id);
    f->severity = f->check ? f->check->severity : MAMORI_SEV_MEDIUM;
    f->category = category;
    f->file = a->path;
    f->line = line;
    f->time = INT64_MIN;
}

static int on_entry(void *user, const mamori_pwcsv_entry *e)
{
    audit_run *a = user;
    mamori_password_result r;
    mamori_password_context pc = {0};
    pc.user = e->user;
    pc.service = e->site;
    mamori_password_check(a->checker, e->password, e->password_len, &pc, &r);

    size_t pl = MR_MIN(e->password_len, (size_t)MAMORI_PASSWORD_MAX);
    uint64_t key = mr_hash(&a->hkey, e->password, pl);

    size_t sl = MR_MIN(e->site_len, (size_t)AUDIT_SITE_SHOWN);
    const char *site = mr_arena_strndup(&a->arena, e->site, sl);
    const char *uname = mr_arena_strndup(&a->arena, e->user,
                                         MR_MIN(e->user_len, (size_t)200));
    if (site && uname && !MR_GROW(&a->entries, &a->cap, a->n + 1, 256))
        a->entries[a->n++] = (audit_entry){key, 0, site, uname, e->line};

    int breached = 0, other = 0;
    const char *reasons[MAMORI_PASSWORD_REASONS_MAX];
    size_t nr = 0;
    for (size_t i = 0; i < r.nreasons; i++) {
        if (r.reasons[i] == MAMORI_PWR_BREACHED)
            breached = 1;
        else
            other = 1;
        reasons[nr++] = mamori_password_reason_name(r.reasons[i]);
    }
    mamori_finding f;
    if (breached) {
        a->breached++;
        finding_init(a, &f, MR_CHECK_PASSWORD_BREACHED, "breached", e->line);
        f.evidence = e->site;
        f.evidence_len = sl;
        mamori_finding_str(&f, "site", e->site, sl);
        mamori_finding_str(&f, "user", e->user, MR_MIN(e->user_len, 200u));
        mamori_finding_str(&f, "password", "****", 4);
        if (emit(a, &f))
            return 1;
    }
    if (other) {
        a->weak++;
        finding_init(a, &f, MR_CHECK_PASSWORD_WEAK, "weak", e->line);
        f.evidence = e->site;
        f.evidence_len = sl;
        mamori_finding_str(&f, "site", e->site, sl);
        mamori_finding_str(&f, "user", e->user, MR_MIN(e->user_len, 200u));
        mamori_finding_str(&f, "password", "****", 4);
        mamori_finding_list(&f, "reasons", reasons, nr, 0);
        mamori_finding_int(&f, "score", r.score);
        if (emit(a, &f))
            return 1;
    }
    return 0;
}

static int by_key(const void *x, const void *y)
{
    const audit_entry *a = x, *b = y;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return a->line < b->line ? -1 : a->line > b->line;
}

static int by_group(const void *x, const void *y)
{
    const audit_entry *a = x, *b = y;
    if (a->group != b->group)
        return a->group < b->group ? -1 : 1;
    return a->line < b->line ? -1 : a->line > b->line;
}

/* One finding per password used on two or more different sites, in the
 * order of their first lines: the key is random, so its order is not. */
static void report_reuse(audit_run *a)
{
    qsort(a->entries, a->n, sizeof(*a->entries), by_key);
    for (size_t i = 0, j; i < a->n; i = j) {
        for (j = i + 1; j < a->n && a->entries[j].key == a->entries[i].key; j++)
            ;
        for (size_t k = i; k < j; k++)
            a->entries[k].group = a->entries[i].line;
    }
    qsort(a->entries, a->n, sizeof(*a->entries), by_group);
    for (size_t i = 0; i < a->n && !a->stopped;) {
        size_t j = i + 1;
        while (j < a->n && a->entries[j].group == a->entries[i].group)
            j++;
        const char *sites[AUDIT_SITES_LISTED];
        size_t ns = 0, distinct = 0;
        for (size_t k = i; k < j; k++) {
            int seen = 0;
            for (size_t q = i; q < k && !seen; q++)
                seen = !strcmp(a->entries[q].site, a->entries[k].site);
            if (seen)
                continue;
            distinct++;
            if (ns < AUDIT_SITES_LISTED)
                sites[ns++] = a->entries[k].site;
        }
        if (distinct >= 2) {
            mamori_finding f;
            a->reused_groups++;
            a->reused_entries += j - i;
            finding_init(a, &f, MR_CHECK_PASSWORD_REUSED, "reused",
                         a->entries[i].line);
            f.evidence = sites[0];
            f.evidence_len = strlen(sites[0]);
            mamori_finding_list(&f, "sites", sites, ns, distinct - ns);
            mamori_finding_int(&f, "count", (int64_t)distinct);
            mamori_finding_str(&f, "password", "****", 4);
            emit(a, &f);
        }
        i = j;
    }
}

static mamori_err read_file(const mamori_ctx *ctx, const char *path,
                            char **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    struct stat st;
    *out = NULL;
    if (!f || fstat(fileno(f), &st) != 0) {
        mamori_diagf(ctx, MAMORI_DIAG_ERROR, path, 0, "cannot read: %s",
                     strerror(errno));
        if (f)
            fclose(f);
        return MAMORI_E_IO;
    }
    if (st.st_size < 0 || (uint64_t)st.st_size > MAMORI_PWCSV_FILE_MAX) {
        mamori_diagf(ctx, MAMORI_DIAG_ERROR, path, 0,
                     "larger than %u bytes", MAMORI_PWCSV_FILE_MAX);
        fclose(f);
        return MAMORI_E_TOO_LARGE;
    }
    char *buf = malloc((size_t)st.st_size + 1);
    if (!buf) {
        fclose(f);
        return MAMORI_E_NOMEM;
    }
    *len = fread(buf, 1, (size_t)st.st_size, f);
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        explicit_bzero(buf, (size_t)st.st_size);
        free(buf);
        mamori_diagf(ctx, MAMORI_DIAG_ERROR, path, 0, "read error");
        return MAMORI_E_IO;
    }
    *out = buf;
    return MAMORI_OK;
}

mamori_err mamori_password_audit_file(const mamori_ctx *ctx,
                                      const mamori_password_checker *c,
                                      const char *path,
                                      const mamori_sink *sink)
{
    audit_run a;
    char *data;
    size_t len = 0;
    mamori_pwcsv_format fmt;

    memset(&a, 0, sizeof(a));
    mamori_err err = read_file(ctx, path, &data, &len);
    if (err)
        return err;
    a.ctx = ctx;
    a.checker = c;
    a.sink = sink;
    a.path = path;
    if (mr_hash_key_random(&a.hkey) != MAMORI_OK) {
        mamori_diagf(ctx, MAMORI_DIAG_ERROR, NULL, 0, "no random key for "
                     "the reuse check: %s", strerror(errno));
        explicit_bzero(data, len);
        free(data);
        return MAMORI_E_IO;
    }
    mr_arena_init(&a.arena, AUDIT_ARENA_MAX);
    err = mamori_pwcsv_parse(data, len, &fmt, on_entry, &a);
    explicit_bzero(data, len);
    free(data);
    if (err == MAMORI_E_FORMAT)
        mamori_diagf(ctx, MAMORI_DIAG_ERROR, path, 1,
                     "not a password manager export this reads (Chrome, "
                     "Edge, Firefox, Bitwarden, KeePassXC, 1Password CSV)");
    else if (err == MAMORI_E_TOO_LARGE)
        mamori_diagf(ctx, MAMORI_DIAG_ERROR, path, 0,
                     "more than %u entries or %u bytes: the rest is skipped",
                     MAMORI_PWCSV_ROWS_MAX, MAMORI_PWCSV_FILE_MAX);
    if (err != MAMORI_E_ABORTED && err != MAMORI_E_FORMAT && !a.stopped)
        report_reuse(&a);
    if (a.stopped)
        err = MAMORI_E_ABORTED;
    if (err != MAMORI_E_ABORTED && err != MAMORI_E_FORMAT && sink->summary) {
        mamori_summary *s = mamori_summary_new("password");
        if (s) {
            mamori_summary_counter(s, "entries", "Entries in the export",
                                   "エクスポート内の項目数", (int64_t)a.n);
            mamori_summary_counter(s, "reused", "Passwords used on several "
                                   "sites", "複数サイトで使い回されたパスワード",
                                   (int64_t)a.reused_groups);
            mamori_summary_counter(s, "weak", "Weak passwords",
                                   "弱いパスワード", (int64_t)a.weak);
            mamori_summary_counter(s, "breached", "Breached passwords",
                                   "漏えい済みのパスワード",
                                   (int64_t)a.breached);
            if (sink->summary(sink->user, s))
                err = MAMORI_E_ABORTED;
        }
    }
    free(a.entries);
    mr_arena_free(&a.arena);
    explicit_bzero(&a.hkey, sizeof(a.hkey));
    (void)fmt;
    return err;
}
