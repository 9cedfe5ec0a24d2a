/*
 * pam_history.c — reads and rewrites pam_mamori's password history (see
 * pam_history.h). Hashes come from crypt_gensalt_rn/crypt_rn with
 * libcrypt's preferred method (yescrypt on Debian); checking a password
 * against a stored hash re-hashes it with that hash's own salt.
 */
#include "common.h"

#include <crypt.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pam_history.h"

#define HISTORY_USER_MAX 256

static char *read_all(const char *path, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    char *buf = NULL;
    *len = 0;
    if (fd < 0)
        return errno == ENOENT ? calloc(1, 1) : NULL;
    flock(fd, LOCK_SH);
    if (fstat(fd, &st) == 0 && st.st_size >= 0 &&
        (uint64_t)st.st_size <= MR_HISTORY_FILE_MAX) {
        buf = malloc((size_t)st.st_size + 1);
        ssize_t n = buf ? read(fd, buf, (size_t)st.st_size) : -1;
        if (n < 0) {
            free(buf);
            buf = NULL;
        } else {
            *len = (size_t)n;
            buf[n] = '\0';
        }
    }
    close(fd);
    return buf;
}

/* The hashes of user's line: start and length of the part after "user:" */
static int find_user(const char *buf, size_t len, const char *user,
                     size_t *line_start, size_t *line_end, size_t *hashes)
{
    size_t ul = strlen(user), i = 0;
    while (i < len) {
        size_t e = i;
        while (e < len && buf[e] != '\n')
            e++;
        if (e - i > ul && memcmp(buf + i, user, ul) == 0 && buf[i + ul] == ':') {
            *line_start = i;
            *line_end = e;
            *hashes = i + ul + 1;
            return 1;
        }
        i = e + 1;
    }
    return 0;
}

static int matches(const char *pw, const char *hash, size_t n)
{
    char setting[CRYPT_OUTPUT_SIZE];
    struct crypt_data *cd;
    int hit = 0;
    if (n == 0 || n >= sizeof(setting))
        return 0;
    memcpy(setting, hash, n);
    setting[n] = '\0';
    cd = calloc(1, sizeof(*cd));
    if (!cd)
        return 0;
    const char *out = crypt_rn(pw, setting, cd, (int)sizeof(*cd));
    hit = out && out[0] != '*' && strlen(out) == n && memcmp(out, hash, n) == 0;
    explicit_bzero(cd, sizeof(*cd));
    free(cd);
    return hit;
}

int mr_history_contains(const char *path, const char *user, const char *pw)
{
    size_t len, ls, le, h;
    char *buf = read_all(path, &len);
    int found = 0;
    if (!buf)
        return -1;
    if (strlen(user) < HISTORY_USER_MAX && find_user(buf, len, user, &ls, &le, &h)) {
        size_t i = h;
        while (i < le && !found) {
            while (i < le && buf[i] == ' ')
                i++;
            size_t s = i;
            while (i < le && buf[i] != ' ')
                i++;
            found = matches(pw, buf + s, i - s);
        }
    }
    free(buf);
    return found;
}

int mr_history_add(const char *path, const char *user, const char *pw,
                   unsigned remember)
{
    char salt[CRYPT_GENSALT_OUTPUT_SIZE], tmp[4096];
    struct crypt_data *cd = NULL;
    char *buf = NULL, *out = NULL;
    size_t len, ls = 0, le = 0, h = 0;
    int rc = -1, fd = -1, lockfd = -1;

    if (strlen(user) >= HISTORY_USER_MAX || strchr(user, ':') ||
        strchr(user, '\n') || remember == 0)
        return -1;
    if (remember > MR_HISTORY_REMEMBER_MAX)
        remember = MR_HISTORY_REMEMBER_MAX;
    if (snprintf(tmp, sizeof(tmp), "%s.lock", path) >= (int)sizeof(tmp))
        return -1;
    lockfd = open(tmp, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (lockfd < 0 || flock(lockfd, LOCK_EX) != 0)
        goto out;
    cd = calloc(1, sizeof(*cd));
    if (!cd || !crypt_gensalt_rn(NULL, 0, NULL, 0, salt, sizeof(salt)))
        goto out;
    const char *hash = crypt_rn(pw, salt, cd, (int)sizeof(*cd));
    if (!hash || hash[0] == '*')
        goto out;
    if (!(buf = read_all(path, &len)))
        goto out;
    int have = find_user(buf, len, user, &ls, &le, &h);
    out = malloc(len + strlen(user) + strlen(hash) + 4);
    if (!out)
        goto out;
    size_t o = 0, ul = strlen(user);
    /* everything but the user's line, then the user's new line */
    if (have) {
        memcpy(out, buf, ls);
        o = ls;
        size_t rest = le < len ? le + 1 : len;
        memcpy(out + o, buf + rest, len - rest);
        o += len - rest;
    } else {
        memcpy(out, buf, len);
        o = len;
    }
    if (o > 0 && out[o - 1] != '\n')
        out[o++] = '\n';
    memcpy(out + o, user, ul);
    o += ul;
    out[o++] = ':';
    memcpy(out + o, hash, strlen(hash));
    o += strlen(hash);
    unsigned kept = 1;
    for (size_t i = h; have && i < le && kept < remember;) {
        while (i < le && buf[i] == ' ')
            i++;
        size_t s = i;
        while (i < le && buf[i] != ' ')
            i++;
        if (i > s) {
            out[o++] = ' ';
            memcpy(out + o, buf + s, i - s);
            o += i - s;
            kept++;
        }
    }
    out[o++] = '\n';
    if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp))
        goto out;
    fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0)
        goto out;
    if (fchmod(fd, 0600) != 0 || write(fd, out, o) != (ssize_t)o ||
        fsync(fd) != 0) {
        close(fd);
        unlink(tmp);
        goto out;
    }
    close(fd);
    if (rename(tmp, path) != 0) {
        unlink(tmp);
        goto out;
    }
    rc = 0;
out:
    if (cd) {
        explicit_bzero(cd, sizeof(*cd));
        free(cd);
    }
    free(buf);
    free(out);
    if (lockfd >= 0)
        close(lockfd);
    return rc;
}
