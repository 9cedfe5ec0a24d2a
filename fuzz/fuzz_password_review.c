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

#include "fuzz_root.h"
#include "mamori/password.h"

static char root[FUZZ_ROOT_MAX];

static int put(const char *rel, const uint8_t *data, size_t size)
{
    return fuzz_root_put(root, rel, data, size);
}

static int make_root(void)
{
    static const char *const dirs[] = {"etc", "etc/pam.d", "etc/security",
                                       "etc/ssh", "etc/ssh/sshd_config.d"};
    return fuzz_root_make(root, "review", dirs, sizeof(dirs) / sizeof(dirs[0]));
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
    mamori_sink sink = {fuzz_touch, NULL, &sum};
    mamori_password_policy_review(&ctx, root, &sink);
    return 0;
}
