/*
 * nftconf.c — what /etc/nftables.conf (or an image's) would load, as the
 * JSON of `list ruleset`, without touching this machine's ruleset.
 *
 * libnftables has no offline reader: its check mode (`nft -c`, dry run)
 * still sends the batch to the kernel, which refuses it without
 * CAP_NET_ADMIN and never lists it (verified with nftables 1.0.6). So a
 * child process unshares a network namespace of its own (a user
 * namespace too when it is not root), loads the configuration there,
 * lists it as JSON into a pipe and exits; the namespace goes with it.
 * The child runs nothing but libnftables and never prints (output and
 * errors are buffered). A text with `include` is refused: libnftables
 * would read the included files from this machine, not from the root
 * under review, so fwconf.c hands over the text nftinc.c expanded inside
 * the root.
 */
#include "common.h"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>


#include "exposure/exposure.h"
#include "exposure/fw.h"
#include "exposure/nft_syms.h"

#define NFC_JSON_MAX (64u * 1024 * 1024) /* the listing's JSON */
#define NFC_DEADLINE_MS 10000            /* the child's whole run */
#define NFC_MSG_MAX 240                  /* the child's error line */

/* 1 when a line of conf starts with the word `include`. */
static int has_include(const char *s, size_t len)
{
    size_t pos = 0;
    while (pos < len) {
        while (pos < len && (s[pos] == ' ' || s[pos] == '\t'))
            pos++;
        if (len - pos >= 8 && !memcmp(s + pos, "include", 7) &&
            (s[pos + 7] == ' ' || s[pos + 7] == '\t' || s[pos + 7] == '"'))
            return 1;
        const char *nl = memchr(s + pos, '\n', len - pos);
        if (!nl)
            break;
        pos = (size_t)(nl - s) + 1;
    }
    return 0;
}

static void put(int fd, const char *s, size_t n)
{
    while (n) {
        ssize_t w = write(fd, s, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        s += w;
        n -= (size_t)w;
    }
}

static void child_fail(int fd, const char *what, const char *detail)
{
    char msg[NFC_MSG_MAX];
    int n = snprintf(msg, sizeof(msg), "E%s%s%.*s", what,
                     detail ? ": " : "", detail ? 160 : 0,
                     detail ? detail : "");
    if (n > 0)
        put(fd, msg, strnlen(msg, sizeof(msg)));
    _exit(1);
}

/* The child: a namespace of its own, the file loaded, the listing out. */
static void child(int fd, const char *conf, size_t len)
{
    if (unshare(CLONE_NEWNET) != 0 &&
        unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0)
        child_fail(fd, "cannot make a network namespace to load it in",
                   strerror(errno));
    char *text = strndup(conf, len);
    struct nft_ctx *nft = mr_sym_nft_ctx_new(NFT_CTX_DEFAULT);
    if (!text || !nft || mr_sym_nft_ctx_buffer_output(nft) ||
        mr_sym_nft_ctx_buffer_error(nft))
        child_fail(fd, "out of memory", NULL);
    if (mr_sym_nft_run_cmd_from_buffer(nft, text) != 0) {
        const char *err = mr_sym_nft_ctx_get_error_buffer(nft);
        char line[NFC_MSG_MAX];
        snprintf(line, sizeof(line), "%s", err && *err ? err : "refused");
        line[strcspn(line, "\n")] = '\0';
        child_fail(fd, "nft refused it", line);
    }
    (void)mr_sym_nft_ctx_get_output_buffer(nft);       /* what loading echoed */
    mr_sym_nft_ctx_output_set_flags(nft, NFT_CTX_OUTPUT_JSON);
    if (mr_sym_nft_run_cmd_from_buffer(nft, "list ruleset") != 0)
        child_fail(fd, "nft could not list what it loaded", NULL);
    const char *out = mr_sym_nft_ctx_get_output_buffer(nft);
    put(fd, "J", 1);
    put(fd, out ? out : "", out ? strlen(out) : 0);
    _exit(0);
}

static int64_t now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

mamori_err mr_xp_nft_conf(const char *conf, size_t len, char **json,
                          size_t *jlen, char *why, size_t cap)
{
    *json = NULL;
    *jlen = 0;
    why[0] = '\0';
    if (has_include(conf, len)) {
        snprintf(why, cap, "it includes other files (read from this "
                           "machine, not the root): not loaded");
        return MAMORI_E_IO;
    }
    if (mr_dlib_load(&mr_dlib_nft) != 0) {
        snprintf(why, cap, "%s", mr_dlib_error(&mr_dlib_nft));
        return MAMORI_E_IO;
    }
    int p[2];
    if (pipe2(p, O_CLOEXEC) != 0)
        return MAMORI_E_IO;
    pid_t pid = fork();
    if (pid < 0) {
        close(p[0]);
        close(p[1]);
        return MAMORI_E_IO;
    }
    if (pid == 0) {
        close(p[0]);
        child(p[1], conf, len);
    }
    close(p[1]);
    size_t n = 0, bufcap = 64 * 1024;
    char *buf = malloc(bufcap + 1);
    mamori_err e = buf ? MAMORI_OK : MAMORI_E_NOMEM;
    int64_t end = now_ms() + NFC_DEADLINE_MS;
    while (!e) {
        int64_t left = end - now_ms();
        struct pollfd pf = {p[0], POLLIN, 0};
        if (left <= 0 || poll(&pf, 1, (int)left) == 0) {
            snprintf(why, cap, "loading it took over %d ms",
                     NFC_DEADLINE_MS);
            e = MAMORI_E_IO;
            break;
        }
        if (n == bufcap) {
            if (bufcap > NFC_JSON_MAX) {
                e = MAMORI_E_TOO_LARGE;
                break;
            }
            char *nb = realloc(buf, bufcap * 2 + 1);
            if (!nb) {
                e = MAMORI_E_NOMEM;
                break;
            }
            buf = nb;
            bufcap *= 2;
        }
        ssize_t r = read(p[0], buf + n, bufcap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        n += (size_t)r;
    }
    close(p[0]);
    if (e)
        kill(pid, SIGKILL);
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    if (!e && (n == 0 || buf[0] != 'J')) {
        if (n > 1 && buf[0] == 'E')
            snprintf(why, cap, "%.*s", (int)MR_MIN(n - 1, cap - 1), buf + 1);
        else
            snprintf(why, cap, "the loader stopped without an answer");
        e = MAMORI_E_IO;
    }
    if (e) {
        free(buf);
        return e;
    }
    memmove(buf, buf + 1, n - 1);
    buf[n - 1] = '\0';
    *json = buf;
    *jlen = n - 1;
    return MAMORI_OK;
}
