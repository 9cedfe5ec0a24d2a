/*
 * fuzz_patch_host.c — arbitrary bytes as the files `mamori patch --root`
 * reads from a disk image: dpkg's status, a Packages list and its
 * InRelease, apt.conf.d, os-release, the unattended-upgrades log, dpkg.log,
 * /run/reboot-required.pkgs and debian-security-support's lists, all
 * written into a root built once per
 * process and reviewed through the sysroot. Every finding is read to the
 * end so the sanitizers see an overrun. (The root stays in /tmp.)
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz_root.h"
#include "mamori/patch.h"

static char root[FUZZ_ROOT_MAX];

static int put(const char *rel, const uint8_t *data, size_t size)
{
    return fuzz_root_put(root, rel, data, size);
}

static int make_root(void)
{
    static const char *const dirs[] = {
        "etc", "etc/apt", "etc/apt/apt.conf.d", "run", "var", "var/lib",
        "var/lib/dpkg", "var/lib/apt", "var/lib/apt/lists", "var/log",
        "var/log/unattended-upgrades", "usr", "usr/share",
        "usr/share/debian-security-support"};
    return fuzz_root_make(root, "patch", dirs, sizeof(dirs) / sizeof(dirs[0]));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        if (make_root() != 0)
            abort();
        ready = 1;
    }
    if (put("var/lib/dpkg/status", data, size) ||
        put("var/lib/apt/lists/x_dists_s_main_binary-amd64_Packages", data,
            size) ||
        put("var/lib/apt/lists/x_dists_s_InRelease", data, size) ||
        put("etc/apt/apt.conf.d/20auto-upgrades", data, size) ||
        put("etc/os-release", data, size) ||
        put("run/reboot-required", data, 0) ||
        put("run/reboot-required.pkgs", data, size) ||
        put("var/log/unattended-upgrades/unattended-upgrades.log", data,
            size) ||
        put("var/log/dpkg.log", data, size) ||
        put("usr/share/debian-security-support/security-support-ended.deb10",
            data, size) ||
        put("usr/share/debian-security-support/security-support-limited",
            data, size))
        abort();
    size_t sum = 0;
    mamori_ctx ctx;
    mamori_ctx_init(&ctx);
    mamori_sysroot *sr = NULL;
    if (mamori_sysroot_new(root, &sr) != MAMORI_OK)
        abort();
    mamori_patch_opts opts = {.now = 1780000000};
    mamori_patch *p = NULL;
    mamori_sink sink = {fuzz_touch, fuzz_drop_summary, &sum};
    if (mamori_patch_new(&ctx, &opts, &p) == MAMORI_OK) {
        mamori_patch_host(p, sr, &sink);
        mamori_patch_finish(p, &sink);
    }
    mamori_patch_free(p);
    mamori_sysroot_free(sr);
    return 0;
}
