/*
 * fuzz_patch_host.c — arbitrary bytes as the files `mamori patch --root`
 * reads from a disk image: dpkg's status, a Packages list and its
 * InRelease, apt.conf.d, os-release, the unattended-upgrades log,
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

#include "mamori/patch.h"

static char root[64];

static int touch(void *user, const mamori_finding *f)
{
    size_t *sum = user;
    for (size_t i = 0; i < f->evidence_len; i++)
        *sum += (unsigned char)f->evidence[i];
    for (size_t i = 0; i < f->nfields; i++) {
        const mamori_field *fl = &f->fields[i];
        for (size_t k = 0; fl->kind == MAMORI_FIELD_STR && k < fl->len; k++)
            *sum += (unsigned char)fl->str[k];
        for (size_t k = 0; fl->kind == MAMORI_FIELD_LIST && k < fl->nstrs; k++)
            *sum += strlen(fl->strs[k]);
    }
    return 0;
}

static int ignore_summary(void *user, mamori_summary *s)
{
    (void)user;
    mamori_summary_free(s);
    return 0;
}

static int put(const char *rel, const uint8_t *data, size_t size)
{
    char p[160];
    snprintf(p, sizeof(p), "%s/%s", root, rel);
    FILE *f = fopen(p, "w");
    if (!f)
        return -1;
    fwrite(data, 1, size, f);
    return fclose(f);
}

static int make_root(void)
{
    static const char *const dirs[] = {
        "etc", "etc/apt", "etc/apt/apt.conf.d", "run", "var", "var/lib",
        "var/lib/dpkg", "var/lib/apt", "var/lib/apt/lists", "var/log",
        "var/log/unattended-upgrades", "usr", "usr/share",
        "usr/share/debian-security-support"};
    char p[160];
    snprintf(root, sizeof(root), "/tmp/mamori-fuzz-patch.XXXXXX");
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
    mamori_sink sink = {touch, ignore_summary, &sum};
    if (mamori_patch_new(&ctx, &opts, &p) == MAMORI_OK) {
        mamori_patch_host(p, sr, &sink);
        mamori_patch_finish(p, &sink);
    }
    mamori_patch_free(p);
    mamori_sysroot_free(sr);
    return 0;
}
