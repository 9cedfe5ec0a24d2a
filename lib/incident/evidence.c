/*
 * evidence.c — the files an incident's findings came from, preserved:
 * each copied into evidence/ of the record, hashed with SHA-256 as it is
 * read, written to a new file (never over one, never through a link),
 * synced, made read-only (0400), and read back to check that the copy
 * hashes the same. The original is opened read-only and never touched;
 * a file that is gone, is not a regular file, or does not fit on the
 * disk is named as missing and the rest go on.
 */
#include "common.h"

#include <fcntl.h>
#include <unistd.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include "incident_int.h"

#define MR_COPY_BUF (64 * 1024)

/* SHA-256 of everything read from fd into hex; copies to out when
 * out >= 0. Returns bytes, or -1 on a read or write error. */
static int64_t hash_fd(int fd, int out, char hex[65])
{
    static const char digits[] = "0123456789abcdef";
    unsigned char buf[MR_COPY_BUF], d[EVP_MAX_MD_SIZE];
    unsigned int dlen = 0;
    int64_t total = 0;
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    if (!md || !EVP_DigestInit_ex(md, EVP_sha256(), NULL)) {
        EVP_MD_CTX_free(md);
        return -1;
    }
    for (;;) {
        ssize_t n = read(fd, buf, sizeof(buf));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (n < 0)
                total = -1;
            break;
        }
        EVP_DigestUpdate(md, buf, (size_t)n);
        for (ssize_t done = 0; out >= 0 && done < n;) {
            ssize_t w = write(out, buf + done, (size_t)(n - done));
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0) {
                EVP_MD_CTX_free(md);
                return -1;
            }
            done += w;
        }
        total += n;
    }
    if (total >= 0 && EVP_DigestFinal_ex(md, d, &dlen) && dlen == 32)
        for (unsigned i = 0; i < 32; i++) {
            hex[2 * i] = digits[d[i] >> 4];
            hex[2 * i + 1] = digits[d[i] & 15];
        }
    hex[64] = '\0';
    EVP_MD_CTX_free(md);
    return total;
}

/* "NN-basename", the name made safe: only [A-Za-z0-9._-], at most 40. */
static void copy_name(size_t i, const char *source, char *out, size_t cap)
{
    const char *base = strrchr(source, '/');
    base = base ? base + 1 : source;
    char clean[41];
    size_t n = 0;
    for (const char *p = base; *p && n < sizeof(clean) - 1; p++) {
        unsigned char c = (unsigned char)*p;
        clean[n++] = (char)((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                    (c >= '0' && c <= '9') || c == '.' || c == '-' ||
                                    c == '_'
                                ? c : '_');
    }
    clean[n] = '\0';
    if (n == 0 || clean[0] == '.')
        snprintf(clean, sizeof(clean), "file");
    snprintf(out, cap, "%02zu-%s", i + 1, clean);
}

static void copy_one(mr_evidence *ev, size_t i, int evfd, const mamori_ctx *ctx)
{
    struct stat st;
    struct statvfs vfs;
    char name[48];
    int src = open(ev->source, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (src < 0 || fstat(src, &st) != 0 || !S_ISREG(st.st_mode)) {
        ev->why_missing = src < 0 ? "cannot be opened" : "not a regular file";
        mamori_diagf(ctx, MAMORI_DIAG_WARN, ev->source, 0, "evidence not copied: %s",
                     src < 0 ? strerror(errno) : "not a regular file");
        if (src >= 0)
            close(src);
        return;
    }
    if (fstatvfs(evfd, &vfs) == 0 &&
        (uint64_t)st.st_size > (uint64_t)vfs.f_bavail * vfs.f_frsize) {
        ev->why_missing = "no room on the disk of the record";
        mamori_diagf(ctx, MAMORI_DIAG_WARN, ev->source, 0,
                     "evidence not copied: %lld bytes do not fit beside the record",
                     (long long)st.st_size);
        close(src);
        return;
    }
    copy_name(i, ev->source, name, sizeof(name));
    int dst = openat(evfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    char again[65];
    int64_t n = dst < 0 ? -1 : hash_fd(src, dst, ev->sha256);
    close(src);
    int ok = n >= 0 && fsync(dst) == 0 && fchmod(dst, 0400) == 0;
    if (dst >= 0)
        close(dst);
    /* Read the copy back: it must hash as the original read. */
    int chk = ok ? openat(evfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC) : -1;
    ok = ok && chk >= 0 && hash_fd(chk, -1, again) == n && strcmp(again, ev->sha256) == 0;
    if (chk >= 0)
        close(chk);
    if (!ok) {
        ev->why_missing = "the copy failed or does not match";
        ev->sha256[0] = '\0';
        mamori_diagf(ctx, MAMORI_DIAG_WARN, ev->source, 0,
                     "evidence copy failed or does not match: %s", strerror(errno));
        return;
    }
    snprintf(ev->copy, sizeof(ev->copy), "evidence/%s", name);
    ev->bytes = (uint64_t)n;
}

void mr_incident_copy_evidence(mamori_incident *inc, int dirfd, const mamori_ctx *ctx)
{
    if (inc->nfiles == 0)
        return;
    int evfd = -1;
    if (mkdirat(dirfd, "evidence", 0700) == 0)
        evfd = openat(dirfd, "evidence", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    for (size_t i = 0; i < inc->nfiles; i++) {
        if (evfd < 0) {
            inc->files[i].why_missing = "the evidence directory could not be made";
            continue;
        }
        copy_one(&inc->files[i], i, evfd, ctx);
    }
    if (evfd >= 0) {
        fsync(evfd);
        close(evfd);
    }
}
