/*
 * pam_history.c — reads and rewrites pam_mamori's password history (see
 * pam_history.h). Hashes come from crypt_gensalt_rn/crypt_rn with
 * libcrypt's preferred method (yescrypt on Debian); checking a password
 * against a stored hash re-hashes it with that hash's own salt. The file
 * is streamed a line at a time through mamori_read_line(): memory stays
 * at one line whatever the file's size.
 */
#include "common.h"

#include <crypt.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mamori/mamori.h"
#include "pam_history.h"

#define HISTORY_USER_MAX 256

/* The history opened for reading under a shared lock; NULL with errno
 * ENOENT when there is none yet. */
static FILE *open_history(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    flock(fd, LOCK_SH);
    FILE *f = fdopen(fd, "r");
    if (!f)
        close(fd);
    return f;
}

/* If line[0, n) is user's, the offset of its hashes (after "user:"). */
static int user_line(const char *line, size_t n, const char *user,
                     size_t ul, size_t *hashes)
{
    if (n > ul && memcmp(line, user, ul) == 0 && line[ul] == ':') {
        *hashes = ul + 1;
        return 1;
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
    size_t ul = strlen(user), h;
    uint64_t full;
    int found = 0, rc;
    if (ul >= HISTORY_USER_MAX)
        return 0;
    FILE *f = open_history(path);
    if (!f)
        return errno == ENOENT ? 0 : -1;
    char *line = malloc(MR_HISTORY_LINE_MAX);
    if (!line) {
        fclose(f);
        return -1;
    }
    while (!found &&
           (rc = mamori_read_line(f, line, MR_HISTORY_LINE_MAX, &full)) > 0) {
        if (full >= MR_HISTORY_LINE_MAX)
            continue;
        size_t le = (size_t)full, i;
        if (!user_line(line, le, user, ul, &h))
            continue;
        for (i = h; i < le && !found;) {
            while (i < le && line[i] == ' ')
                i++;
            size_t s = i;
            while (i < le && line[i] != ' ')
                i++;
            found = matches(pw, line + s, i - s);
        }
    }
    if (!found && ferror(f))
        found = -1;
    free(line);
    fclose(f);
    return found;
}

int mr_history_add(const char *path, const char *user, const char *pw,
                   unsigned remember)
{
    char salt[CRYPT_GENSALT_OUTPUT_SIZE], tmp[4096];
    struct crypt_data *cd = NULL;
    char *line = NULL, *mine = NULL;
    size_t ul = strlen(user), nmine = 0, h = 0;
    FILE *in = NULL, *out = NULL;
    int rc = -1, fd = -1, lockfd = -1;
    uint64_t full;

    if (ul >= HISTORY_USER_MAX || strchr(user, ':') || strchr(user, '\n') ||
        remember == 0)
        return -1;
    if (remember > MR_HISTORY_REMEMBER_MAX)
        remember = MR_HISTORY_REMEMBER_MAX;
    if (snprintf(tmp, sizeof(tmp), "%s.lock", path) >= (int)sizeof(tmp))
        return -1;
    lockfd = open(tmp, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (lockfd < 0 || flock(lockfd, LOCK_EX) != 0)
        goto out;
    cd = calloc(1, sizeof(*cd));
    line = malloc(MR_HISTORY_LINE_MAX);
    mine = malloc(MR_HISTORY_LINE_MAX);
    if (!cd || !line || !mine ||
        !crypt_gensalt_rn(NULL, 0, NULL, 0, salt, sizeof(salt)))
        goto out;
    const char *hash = crypt_rn(pw, salt, cd, (int)sizeof(*cd));
    if (!hash || hash[0] == '*')
        goto out;
    if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp))
        goto out;
    fd = mkostemp(tmp, O_CLOEXEC);
    if (fd < 0)
        goto out;
    if (fchmod(fd, 0600) != 0 || !(out = fdopen(fd, "w"))) {
        close(fd);
        unlink(tmp);
        goto out;
    }
    /* Every line but the user's, as it was; the user's hashes kept. */
    in = open_history(path);
    if (!in && errno != ENOENT)
        goto fail;
    int r = 0;
    while (in && (r = mamori_read_line(in, line, MR_HISTORY_LINE_MAX, &full)) > 0) {
        if (full >= MR_HISTORY_LINE_MAX || full == 0)
            continue;
        if (user_line(line, (size_t)full, user, ul, &h)) {
            nmine = (size_t)full;
            memcpy(mine, line, nmine);
            continue;
        }
        if (fwrite(line, 1, (size_t)full, out) != full || putc('\n', out) == EOF)
            goto fail;
    }
    if (r < 0)
        goto fail;
    /* Then the user's line: the new hash first, then the newest old ones. */
    if (fprintf(out, "%s:%s", user, hash) < 0)
        goto fail;
    unsigned kept = 1;
    for (size_t i = h; nmine && i < nmine && kept < remember;) {
        while (i < nmine && mine[i] == ' ')
            i++;
        size_t s = i;
        while (i < nmine && mine[i] != ' ')
            i++;
        if (i > s) {
            if (putc(' ', out) == EOF || fwrite(mine + s, 1, i - s, out) != i - s)
                goto fail;
            kept++;
        }
    }
    if (putc('\n', out) == EOF || fflush(out) != 0 || fsync(fileno(out)) != 0)
        goto fail;
    if (fclose(out) != 0) {
        out = NULL;
        goto fail;
    }
    out = NULL;
    if (rename(tmp, path) != 0)
        goto fail;
    rc = 0;
    goto out;
fail:
    if (out)
        fclose(out);
    out = NULL;
    unlink(tmp);
out:
    if (cd) {
        explicit_bzero(cd, sizeof(*cd));
        free(cd);
    }
    if (in)
        fclose(in);
    free(line);
    free(mine);
    if (lockfd >= 0)
        close(lockfd);
    return rc;
}
