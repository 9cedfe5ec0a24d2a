/*
 * drift.c — what changed in the configuration since a saved review: the
 * SHA-256 of every configuration file the rules read (and of the
 * drop-in directories they include), recorded with the findings by
 * --save-baseline and compared by --baseline. A file whose hash differs,
 * or that came or went, is a row of the summary's "changed_files", with
 * its owner now and the new findings it holds, so that a setting that
 * changed is tied to the finding it caused.
 *
 * Secrets and state are left out: shadow and gshadow (every password
 * change would be drift, and their hashes have no business in a file
 * left lying around), and everything under /var (package databases,
 * signatures, logs).
 */
#include "common.h"

#include <openssl/evp.h>

#include "host/sysroot.h"
#include "hostcheck/accept.h"
#include "hostcheck/hostcheck.h"

#define HC_DRIFT_GLOBS_MAX 8     /* globs in a rule's file */

/* The drop-ins the rules read besides their named files. */
static const char *const dropins[] = {
    "/etc/ssh/sshd_config.d/*.conf", "/etc/sudoers.d/*",
    "/etc/sysctl.d/*.conf",          "/usr/lib/sysctl.d/*.conf",
    "/etc/pam.d/*",                  "/etc/security/limits.d/*.conf",
    "/etc/logrotate.d/*",            "/etc/rsyslog.d/*.conf",
    "/etc/audit/rules.d/*.rules"};

static int left_out(const char *path)
{
    return !strncmp(path, "/var/", 5) || !strcmp(path, "/etc/shadow") ||
           !strcmp(path, "/etc/gshadow");
}

static void hash_one(mr_hc_run *u, mr_hc_accept *a, const char *path)
{
    struct stat st;
    char *data = NULL;
    size_t len = 0;
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned mdlen = 0;
    char hex[MR_HC_SHA256_HEX];
    if (left_out(path) || mr_hc_accept_file_get(a->files, a->nfiles, path) ||
        mr_sysroot_stat(u->sr, path, &st) != MAMORI_OK ||
        !S_ISREG(st.st_mode) ||
        mr_sysroot_read(u->sr, path, MR_HC_CONFIG_MAX, &data, &len) !=
            MAMORI_OK)
        return;
    if (EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) == 1 &&
        mdlen == 32) {
        for (unsigned i = 0; i < mdlen; i++)
            snprintf(hex + 2 * i, 3, "%02x", md[i]);
        mr_hc_accept_file(a, path, hex);
    }
    free(data);
}

static void hash_glob(mr_hc_run *u, mr_hc_accept *a, const char *pat)
{
    if (!strpbrk(pat, "*?[")) {
        hash_one(u, a, pat);
        return;
    }
    mr_sysroot_names names;
    memset(&names, 0, sizeof(names));
    mr_sysroot_glob(u->sr, pat, &names);
    for (size_t i = 0; i < names.n; i++)
        hash_one(u, a, names.names[i]);
    mr_sysroot_names_free(&names);
}

void mr_hc_hash_files(mr_hc_run *u, const mr_hc_rule *rules, size_t n,
                      mr_hc_accept *a)
{
    for (size_t i = 0; i < n; i++) {
        const char *p = rules[i].file;
        for (size_t g = 0; *p && g < HC_DRIFT_GLOBS_MAX; g++) {
            char pat[MR_HC_FILE_MAX];
            size_t k = strcspn(p, " ");
            snprintf(pat, sizeof(pat), "%.*s",
                     (int)MR_MIN(k, sizeof(pat) - 1), p);
            hash_glob(u, a, pat);
            p += k;
            while (*p == ' ')
                p++;
        }
    }
    for (size_t i = 0; i < MR_ARRAY_LEN(dropins); i++)
        hash_glob(u, a, dropins[i]);
    /* the owner now of each file that changed, for the table */
    for (size_t i = 0; i < a->nfiles && a->have_base; i++) {
        mr_hc_hashed *h = &a->files[i];
        const mr_hc_hashed *b =
            mr_hc_accept_file_get(a->base_files, a->nbase_files, h->path);
        struct stat st;
        if (b && !strcmp(b->hex, h->hex))
            continue;
        if (mr_sysroot_stat(u->sr, h->path, &st) == MAMORI_OK)
            snprintf(h->owner, sizeof(h->owner), "%lu:%lu",
                     (unsigned long)st.st_uid, (unsigned long)st.st_gid);
    }
}

/* How many new findings name path. */
static int64_t fresh_in(const mr_hc_accept *a, const char *path)
{
    int64_t n = 0;
    for (size_t i = 0; i < a->nfresh; i++)
        n += !strcmp(a->fresh_paths[i], path);
    return n;
}

int mr_hc_drift_summary(const mr_hc_accept *a, mamori_summary *s)
{
    static const char *const cols[] = {"file", "change", "owner",
                                       "new_findings"};
    int bad = mamori_summary_table(s, "changed_files",
                                   "Configuration files changed since the "
                                   "baseline",
                                   "ベースライン以降に変更された設定ファイル",
                                   MR_ARRAY_LEN(cols), cols) != MAMORI_OK;
    int64_t changed = 0;
    for (size_t i = 0; i < a->nfiles && !bad; i++) {
        const mr_hc_hashed *h = &a->files[i];
        const mr_hc_hashed *b =
            mr_hc_accept_file_get(a->base_files, a->nbase_files, h->path);
        if (b && !strcmp(b->hex, h->hex))
            continue;
        mamori_cell row[MR_ARRAY_LEN(cols)] = {
            {h->path, 0}, {b ? "changed" : "added", 0}, {h->owner, 0},
            {NULL, fresh_in(a, h->path)}};
        bad = mamori_summary_row(s, row) != MAMORI_OK;
        changed++;
    }
    for (size_t i = 0; i < a->nbase_files && !bad; i++) {
        const mr_hc_hashed *b = &a->base_files[i];
        if (mr_hc_accept_file_get(a->files, a->nfiles, b->path))
            continue;
        mamori_cell row[MR_ARRAY_LEN(cols)] = {
            {b->path, 0}, {"removed", 0}, {"", 0}, {NULL, 0}};
        bad = mamori_summary_row(s, row) != MAMORI_OK;
        changed++;
    }
    if (!bad)
        bad = mamori_summary_counter(s, "changed_files",
                                     "Configuration files changed",
                                     "変更された設定ファイル",
                                     changed) != MAMORI_OK;
    return bad;
}
