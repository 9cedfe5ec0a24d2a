/*
 * fuzz_password_review.c — arbitrary bytes as the system files of a disk
 * image under review (`mamori password policy --root`): the input is
 * written as login.defs, a PAM stack, pwquality.conf and sshd_config of a
 * root built once per process, then reviewed through the sysroot. Every
 * finding's strings are read to the end so the sanitizers see an overrun;
 * the review must return without a crash on any file. (The root, a few
 * small files, stays in /tmp after the run.)
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mamori/password.h"

static char root[64];

static int touch(void *user, const mamori_finding *f)
{
    size_t *sum = user;
    for (size_t i = 0; i < f->evidence_len; i++)
        *sum += (unsigned char)f->evidence[i];
    *sum += f->file ? strlen(f->file) : 0;
    return 0;
}

static int put(const char *rel, const uint8_t *data, size_t size)
{
    char p[128];
    snprintf(p, sizeof(p), "%s/%s", root, rel);
    FILE *f = fopen(p, "w");
    if (!f)
        return -1;
    fwrite(data, 1, size, f);
    return fclose(f);
}

static int make_root(void)
{
    static const char *const dirs[] = {"etc", "etc/pam.d", "etc/security",
                                       "etc/ssh", "etc/ssh/sshd_config.d"};
    char p[128];
    snprintf(root, sizeof(root), "/tmp/mamori-fuzz-review.XXXXXX");
    if (!mkdtemp(root))
        return -1;
    for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
        snprintf(p, sizeof(p), "%s/%s", root, dirs[i]);
        if (mkdir(p, 0755) != 0)
            return -1;
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        if (make_root() != 0)
            abort();
        ready = 1;
    }
    if (put("etc/login.defs", data, size) ||
        put("etc/pam.d/common-password", data, size) ||
        put("etc/security/pwquality.conf", data, size) ||
        put("etc/ssh/sshd_config", data, size) ||
        put("etc/ssh/sshd_config.d/50-x.conf", data, size))
        abort();
    size_t sum = 0;
    mamori_ctx ctx;
    mamori_ctx_init(&ctx);
    mamori_sink sink = {touch, NULL, &sum};
    mamori_password_policy_review(&ctx, root, &sink);
    return 0;
}
