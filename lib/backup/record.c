/*
 * record.c — when mamori last checked a repository, and whether it
 * passed (backup_int.h). restic and borg keep no record of their own
 * checks in the repository, so the date of the last `restic check` or
 * `borg check` is only known where someone wrote it down: mamori writes
 * down its own (`mamori backup --verify`), one small file per
 * repository in the private state directory beside the history
 * (opts->state_dir), and a later run without --verify reads it back as
 * the evidence for or against "never checked".
 *
 * The file is one line, "mamori-check 1 TIME passed|failed", named by
 * the SHA-256 of the tool and the repository as the tool is given it;
 * written whole to a temporary file and renamed. It holds no secret.
 */
#include "common.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backup/backup_int.h"
#include "util/span.h"

#define RECORD_MAGIC "mamori-check 1 "
#define RECORD_MAX 128                 /* bytes of a record read */

/* The record's path for copy c (st->repo set); -1 without a state dir. */
static int record_path(const mr_backup_run *r, const mr_backup_copy *c,
                       const mr_copy_state *st, char *out, size_t cap)
{
    if (!r->opts->state_dir || !st->repo[0])
        return -1;
    const char *tool = mr_backup_kind_name(c->kind);
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned dn = 0;
    int ok = md && EVP_DigestInit_ex(md, EVP_sha256(), NULL) &&
             EVP_DigestUpdate(md, tool, strlen(tool) + 1) &&
             EVP_DigestUpdate(md, st->repo, strlen(st->repo)) &&
             EVP_DigestFinal_ex(md, d, &dn) && dn >= 16;
    EVP_MD_CTX_free(md);
    if (!ok)
        return -1;
    static const char digits[] = "0123456789abcdef";
    char h[33];
    for (size_t i = 0; i < 16; i++) {
        h[2 * i] = digits[d[i] >> 4];
        h[2 * i + 1] = digits[d[i] & 15];
    }
    h[32] = '\0';
    int n = snprintf(out, cap, "%s/check-%s", r->opts->state_dir, h);
    return n > 0 && (size_t)n < cap ? 0 : -1;
}

void mr_backup_record_check(mr_backup_run *r, const mr_backup_copy *c,
                            const mr_copy_state *st, int passed)
{
    char path[MAMORI_SYSROOT_PATH_MAX + 64], tmp[sizeof(path) + 8];
    if (record_path(r, c, st, path, sizeof(path)))
        return;
    mr_backup_state_dir(r);
    snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path);
    int fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0)
        return;
    char line[RECORD_MAX];
    int n = snprintf(line, sizeof(line), "%s%lld %s\n", RECORD_MAGIC,
                     (long long)r->now, passed ? "passed" : "failed");
    int bad = write(fd, line, (size_t)n) != n;
    if (close(fd) || bad || rename(tmp, path))
        unlink(tmp);
}

int mr_backup_last_check(const mr_backup_run *r, const mr_backup_copy *c,
                         const mr_copy_state *st, int64_t *when, int *passed)
{
    char path[MAMORI_SYSROOT_PATH_MAX + 64];
    if (record_path(r, c, st, path, sizeof(path)))
        return -1;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY |
                            O_NONBLOCK);
    if (fd < 0)
        return -1;
    char buf[RECORD_MAX];
    ssize_t n = read(fd, buf, sizeof(buf));
    close(fd);
    size_t head = sizeof(RECORD_MAGIC) - 1;
    if (n <= (ssize_t)head || memcmp(buf, RECORD_MAGIC, head))
        return -1;
    mr_span s = mr_span_make(buf + head, (size_t)n - head);
    size_t sp = 0;
    while (sp < s.n && s.p[sp] != ' ')
        sp++;
    uint64_t t = 0;
    if (sp == s.n || mr_span_u64(mr_span_make(s.p, sp), INT64_MAX, &t))
        return -1;
    mr_span verdict = mr_span_make(s.p + sp + 1, s.n - sp - 1);
    if (verdict.n >= 6 && !memcmp(verdict.p, "passed", 6))
        *passed = 1;
    else if (verdict.n >= 6 && !memcmp(verdict.p, "failed", 6))
        *passed = 0;
    else
        return -1;
    *when = (int64_t)t;
    return 0;
}
