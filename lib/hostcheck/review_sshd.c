/*
 * review_sshd.c — the SSH rules of `mamori host`: sshd's effective
 * global configuration and the sizes of its host keys.
 *
 * The configuration is sshd_config parsed as sshd reads it (parse.c:
 * Include, Match, the first value wins). On this machine, when sshd is
 * installed, its own word comes first: `sshd -T` prints the effective
 * configuration after every default and Include, and a value from it
 * decides; the parsed file still names the line to change. sshd -T is
 * a live probe (a child process), never run under --root.
 *
 * Host keys are judged from their public halves (ssh_host_*_key.pub):
 * the key type, and for RSA the modulus's bits, read from the key blob
 * (RFC 4253 6.6: string "ssh-rsa", mpint e, mpint n).
 */
#include "common.h"

#include <fcntl.h>
#include <spawn.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include "host/sysroot.h"
#include "hostcheck/hostcheck.h"
#include "util/base64.h"

#define HC_SSHD_PATH "/usr/sbin/sshd"
#define HC_SSHD_T_MAX (256 * 1024)   /* bytes of `sshd -T` read */
#define HC_KEYFILE_MAX (64 * 1024)   /* a public key file */
#define HC_KEYBLOB_MAX (16 * 1024)   /* a decoded key: RSA 16384 fits */

extern char **environ;

/* Runs `sshd -T` and reads its output into *out (NUL-terminated; the
 * caller frees). 0 when sshd said its configuration, -1 otherwise. */
static int sshd_t(char **out, size_t *len)
{
    int fds[2];
    pid_t pid;
    char *buf = NULL;
    size_t n = 0;
    int ok = -1, status = 0;
    *out = NULL;
    if (pipe2(fds, O_CLOEXEC) != 0)
        return -1;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    char *argv[] = {(char *)HC_SSHD_PATH, (char *)"-T", NULL};
    int e = posix_spawn(&pid, HC_SSHD_PATH, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    if (e != 0) {
        close(fds[0]);
        return -1;
    }
    buf = malloc(HC_SSHD_T_MAX + 1);
    for (;;) {
        if (!buf || n >= HC_SSHD_T_MAX) {
            /* drain so that sshd never blocks on a full pipe */
            char sink[4096];
            if (read(fds[0], sink, sizeof(sink)) <= 0)
                break;
            continue;
        }
        ssize_t r = read(fds[0], buf + n, HC_SSHD_T_MAX - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        n += (size_t)r;
    }
    close(fds[0]);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (buf && n < HC_SSHD_T_MAX && WIFEXITED(status) &&
        WEXITSTATUS(status) == 0 && n > 0) {
        buf[n] = '\0';
        *out = buf;
        *len = n;
        ok = 0;
    } else {
        free(buf);
    }
    return ok;
}

/* The value of keyword (case-insensitive) in sshd -T's output, into
 * out; 1 when there. sshd -T prints "keyword value" one a line. */
static int sshd_t_value(const char *t, size_t len, const char *keyword,
                        char *out, size_t cap)
{
    size_t kn = strlen(keyword);
    const char *p = t, *end = t + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (n > kn && p[kn] == ' ' && !strncasecmp(p, keyword, kn)) {
            snprintf(out, cap, "%.*s", (int)MR_MIN(n - kn - 1, cap - 1),
                     p + kn + 1);
            return 1;
        }
        p += n + 1;
    }
    return 0;
}

/* The setting of rule r as found: for PRESENT the first of its keywords
 * that is set ("AllowGroups ssh"), otherwise the setting itself. */
static mr_hc_setting *setting_of(mr_hc_config *c, const mr_hc_rule *r,
                                 char *value, size_t cap)
{
    value[0] = '\0';
    if (r->judge != MR_HC_PRESENT)
        return mr_hc_get(c, r->setting);
    mr_hc_setting *first = NULL;
    const char *p = r->setting;
    while (*p) {
        size_t k = strcspn(p, " ");
        char key[MR_HC_KEY_MAX];
        snprintf(key, sizeof(key), "%.*s", (int)MR_MIN(k, sizeof(key) - 1),
                 p);
        mr_hc_setting *st = mr_hc_get(c, key);
        if (st && !first)
            first = st;
        if (st && st->found) {
            snprintf(value, cap, "%s %.200s", st->key, st->value);
            return st;
        }
        p += k;
        while (*p == ' ')
            p++;
    }
    return first;
}

static void want(mr_hc_config *c, const mr_hc_rule *r)
{
    if (r->judge != MR_HC_PRESENT) {
        mr_hc_want(c, r->setting);
        return;
    }
    for (const char *p = r->setting; *p;) {
        size_t k = strcspn(p, " ");
        char key[MR_HC_KEY_MAX];
        snprintf(key, sizeof(key), "%.*s", (int)MR_MIN(k, sizeof(key) - 1),
                 p);
        mr_hc_want(c, key);
        p += k;
        while (*p == ' ')
            p++;
    }
}

/* The value of r from sshd -T (t, len), into out; 1 when it decides. */
static int live_value(const mr_hc_rule *r, const char *t, size_t len,
                      char *out, size_t cap)
{
    if (!t)
        return 0;
    if (r->judge != MR_HC_PRESENT)
        return sshd_t_value(t, len, r->setting, out, cap);
    out[0] = '\0';
    for (const char *p = r->setting; *p;) {
        size_t k = strcspn(p, " ");
        char key[MR_HC_KEY_MAX], v[MR_HC_VALUE_MAX];
        snprintf(key, sizeof(key), "%.*s", (int)MR_MIN(k, sizeof(key) - 1),
                 p);
        if (sshd_t_value(t, len, key, v, sizeof(v))) {
            snprintf(out, cap, "%s %.200s", key, v);
            return 1;
        }
        p += k;
        while (*p == ' ')
            p++;
    }
    return 1;      /* sshd -T prints none: none is set */
}

void mr_hc_review_sshd(mr_hc_run *u, const mr_hc_rule *rules, size_t n)
{
    char main_file[MR_HC_FILE_MAX];
    char bad[MR_HC_EVIDENCE_MAX], ev[MR_HC_EVIDENCE_MAX + 256];
    char present[MR_HC_VALUE_MAX], live[MR_HC_VALUE_MAX];
    char *t = NULL;
    size_t tlen = 0;
    mr_hc_config *c = calloc(1, sizeof(*c));
    if (!c)
        return;
    c->ctx = u->ctx;
    c->sr = u->sr;
    mr_hc_display(u, "/etc/ssh/sshd_config", main_file);
    if (!mr_sysroot_exists(u->sr, "/etc/ssh/sshd_config")) {
        if (errno == ENOENT || errno == ENOTDIR)
            mamori_diagf(u->ctx, MAMORI_DIAG_NOTE, main_file, 0,
                         "not present (no OpenSSH server): SSH rules skipped");
        else        /* there, but a loop or no permission: worth a warning */
            mamori_diagf(u->ctx, MAMORI_DIAG_WARN, main_file, 0,
                         "cannot read: %s: SSH rules skipped",
                         strerror(errno));
        free(c);
        return;
    }
    for (size_t i = 0; i < n; i++)
        if (rules[i].source == MR_HC_SSHD)
            want(c, &rules[i]);
    mr_hc_sshd_file(c, "/etc/ssh/sshd_config");
    if (mamori_sysroot_is_live(u->sr) && !u->configured_only &&
        access(HC_SSHD_PATH, X_OK) == 0 && sshd_t(&t, &tlen) != 0)
        mamori_diagf(u->ctx, MAMORI_DIAG_NOTE, HC_SSHD_PATH, 0,
                     "sshd -T failed (not root, or no host keys): judging "
                     "sshd_config as parsed");
    for (size_t i = 0; i < n && !u->stopped; i++) {
        const mr_hc_rule *r = &rules[i];
        if (r->source != MR_HC_SSHD)
            continue;
        mr_hc_setting *st = setting_of(c, r, present, sizeof(present));
        if (!st)
            continue;
        int from_t = live_value(r, t, tlen, live, sizeof(live));
        int found = r->judge == MR_HC_PRESENT ? present[0] != '\0'
                                              : st->found;
        if (!from_t && !found && !r->unset && r->judge != MR_HC_PRESENT)
            continue;
        const char *value = from_t ? live
                            : r->judge == MR_HC_PRESENT ? present
                            : found ? st->value : r->unset;
        mr_hc_judged(u, r);
        if (mr_hc_judge_value(r, value, bad, sizeof(bad))) {
            mr_hc_passed(u, r);
            continue;
        }
        if (bad[0])
            snprintf(ev, sizeof(ev), "%s offers %s", r->setting, bad);
        else if (r->judge == MR_HC_PRESENT)
            snprintf(ev, sizeof(ev), "none of %s is set", r->setting);
        else if (from_t)
            snprintf(ev, sizeof(ev), "%s %s (sshd -T)", r->setting, value);
        else if (found && r->evidence)
            mr_hc_evidence(r, value, ev, sizeof(ev));
        else if (found)
            snprintf(ev, sizeof(ev), "%s %s", r->setting, value);
        else
            snprintf(ev, sizeof(ev), "%s not set (sshd's default: %s)",
                     r->setting, value);
        /* the exact change: that line rewritten, or a line added */
        char fix[MR_HC_VALUE_MAX + 256];
        if (found && r->judge != MR_HC_PRESENT)
            snprintf(fix, sizeof(fix),
                     mr_hc_ja(u) ? "%s（その行の「%.64s %.128s」を置き換える）。"
                                   "その後 systemctl reload ssh"
                                 : "%s (in place of \"%.64s %.128s\" on that "
                                   "line), then systemctl reload ssh",
                     mr_hc_fix(u, r), r->setting, st->value);
        else
            snprintf(fix, sizeof(fix),
                     mr_hc_ja(u) ? "%s（/etc/ssh/sshd_config に追加）。その後 "
                                   "systemctl reload ssh"
                                 : "%s (add to /etc/ssh/sshd_config), then "
                                   "systemctl reload ssh",
                     mr_hc_fix(u, r));
        found = found && r->judge != MR_HC_PRESENT;
        mr_hc_emit(u, r, found ? st->file : main_file, found ? st->line : 0,
                   value[0] ? value : "(none)", ev, fix);
    }
    free(t);
    free(c);
}

/* ---- host keys ------------------------------------------------------ */

/* Reads an SSH wire string (uint32 length, bytes) at *p. */
static int wire_string(const unsigned char **p, const unsigned char *end,
                       const unsigned char **s, size_t *n)
{
    if (end - *p < 4)
        return -1;
    uint32_t k = ((uint32_t)(*p)[0] << 24) | ((uint32_t)(*p)[1] << 16) |
                 ((uint32_t)(*p)[2] << 8) | (*p)[3];
    *p += 4;
    if ((size_t)(end - *p) < k)
        return -1;
    *s = *p;
    *n = k;
    *p += k;
    return 0;
}

/* An RSA key blob's modulus bits, or -1 when it is not one. */
static long rsa_bits(const unsigned char *blob, size_t len)
{
    const unsigned char *p = blob, *end = blob + len, *s;
    size_t n;
    if (wire_string(&p, end, &s, &n) || n != 7 || memcmp(s, "ssh-rsa", 7) ||
        wire_string(&p, end, &s, &n) ||         /* e */
        wire_string(&p, end, &s, &n))           /* n */
        return -1;
    while (n > 0 && *s == 0) {
        s++;
        n--;
    }
    if (n == 0)
        return 0;
    long bits = (long)(n - 1) * 8;
    for (unsigned b = s[0]; b; b >>= 1)
        bits++;
    return bits;
}

/* Judges one public key file for rule r; 1 when it passes, 0 when it
 * fails (a finding sent), -1 when it is no key (a warning). */
static int judge_key(mr_hc_run *u, const mr_hc_rule *r, const char *path)
{
    char file[MR_HC_FILE_MAX], ev[MR_HC_NOTE_MAX], value[MR_HC_SHORT_MAX];
    char fix[MR_HC_FILE_MAX + MR_HC_NOTE_MAX], priv[MR_HC_FILE_MAX];
    char *data = NULL;
    size_t len = 0;
    int ret = -1;
    unsigned char *blob = malloc(HC_KEYBLOB_MAX);
    mr_hc_display(u, path, file);
    if (!blob || mr_sysroot_read(u->sr, path, HC_KEYFILE_MAX, &data, &len))
        goto out;
    /* "TYPE BASE64 [comment]" on the first line */
    size_t tn = strcspn(data, " \t\r\n");
    const char *b = data + tn + strspn(data + tn, " \t");
    size_t bn = strcspn(b, " \t\r\n");
    size_t blen = 0;
    if (tn == 0 || bn == 0 ||
        mr_base64_decode(b, bn, blob, HC_KEYBLOB_MAX, &blen) != 0)
        goto out;
    /* the private key's path: the .pub dropped (shown in the fix) */
    snprintf(priv, sizeof(priv), "%.*s", (int)(strlen(path) - 4), path);
    if (r->words && mr_hc_in_words(r->words, data, tn)) {
        snprintf(value, sizeof(value), "%.*s", (int)MR_MIN(tn, 60), data);
        snprintf(ev, sizeof(ev), "a %s host key: a type refused", value);
    } else if (r->limit > 0 && tn == 7 && !memcmp(data, "ssh-rsa", 7)) {
        long bits = rsa_bits(blob, blen);
        if (bits < 0)
            goto out;
        if (bits >= r->limit) {
            ret = 1;
            goto out;
        }
        snprintf(value, sizeof(value), "%ld", bits);
        snprintf(ev, sizeof(ev), "an RSA host key of %ld bits (fewer than "
                 "%ld)", bits, r->limit);
    } else {
        ret = 1;
        goto out;
    }
    mr_hc_subst(mr_hc_fix(u, r), "KEY", priv, fix, sizeof(fix));
    mr_hc_emit(u, r, file, 0, value, ev, fix);
    ret = 0;
out:
    if (ret < 0)
        mamori_diagf(u->ctx, MAMORI_DIAG_WARN, file, 0,
                     "not an SSH public key (or unreadable): not judged");
    free(data);
    free(blob);
    return ret;
}

void mr_hc_review_hostkeys(mr_hc_run *u, const mr_hc_rule *rules, size_t n)
{
    for (size_t i = 0; i < n && !u->stopped; i++) {
        const mr_hc_rule *r = &rules[i];
        if (r->source != MR_HC_HOSTKEY)
            continue;
        mr_sysroot_names keys;
        memset(&keys, 0, sizeof(keys));
        mr_sysroot_glob(u->sr, r->file, &keys);
        int failed = 0, judged = 0;
        for (size_t k = 0; k < keys.n && !u->stopped; k++) {
            int j = judge_key(u, r, keys.names[k]);
            judged += j >= 0;
            failed += j == 0;
        }
        mr_sysroot_names_free(&keys);
        if (!judged)
            continue;         /* no keys: nothing to judge */
        mr_hc_judged(u, r);
        if (!failed)
            mr_hc_passed(u, r);
    }
}
