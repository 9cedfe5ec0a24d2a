/*
 * fuzz_patch_dnf.c — arbitrary bytes as what an RPM root gives `mamori
 * patch` beside its database: /etc/dnf/automatic.conf (dnf-automatic's
 * INI, autoupd_dnf.c) read through the sysroot of a throwaway root with
 * dnf-automatic in the inventory; /var/log/dnf.log of a second root
 * where dnf-automatic-install.timer is enabled and has no stamp (when it
 * last ran is then the log's); and a SOURCERPM name split into name
 * and version-release (rpmdb.c). The RPM database itself is librpm's to
 * parse, not fuzzed here. Every finding is read to the end.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_root.h"
#include "patch/patch_int.h"

#define SRPM_MAX 4096

static char root[FUZZ_ROOT_MAX], root2[FUZZ_ROOT_MAX];

static void review(const char *dir, size_t *sum)
{
    mamori_ctx ctx;
    mamori_ctx_init(&ctx);
    mamori_sysroot *sr = NULL;
    if (mamori_sysroot_new(dir, &sr) != MAMORI_OK)
        abort();
    mamori_sink sink = {fuzz_touch, fuzz_drop_summary, sum};
    mr_patch_run *r = calloc(1, sizeof(*r));
    if (!r)
        abort();
    r->ctx = &ctx;
    r->sink = &sink;
    r->sr = sr;
    r->now = 1780000000;
    r->rpm = 1;
    mr_arena_init(&r->arena, 1024 * 1024);
    r->pkgs = mr_table_new(16, sizeof(mr_pkg), NULL);
    if (r->pkgs &&
        mr_patch_pkg_add(r, MR_SPAN_LIT("dnf-automatic"),
                         MR_SPAN_LIT("noarch"),
                         MR_SPAN_LIT("4.14.0-5.el9"), MR_SPAN_LIT("dnf"),
                         MR_SPAN_NULL, 0) == 0)
        mr_patch_auto_dnf(r);
    mr_table_free(r->pkgs);
    mr_arena_free(&r->arena);
    free(r);
    mamori_sysroot_free(sr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const dirs[] = {"etc", "etc/dnf"};
    static const char *const dirs2[] = {
        "etc", "etc/systemd", "etc/systemd/system",
        "etc/systemd/system/timers.target.wants", "var", "var/log"};
    static int ready;
    if (!ready) {
        if (fuzz_root_make(root, "dnf", dirs, 2) != 0 ||
            fuzz_root_make(root2, "dnflog", dirs2, 6) != 0 ||
            fuzz_root_put(root2, "etc/systemd/system/timers.target.wants/"
                                 "dnf-automatic-install.timer",
                          (const uint8_t *)"", 0))
            abort();
        ready = 1;
    }
    if (fuzz_root_put(root, "etc/dnf/automatic.conf", data, size) ||
        fuzz_root_put(root2, "var/log/dnf.log", data, size))
        abort();

    char srpm[SRPM_MAX];
    size_t n = size < SRPM_MAX - 1 ? size : SRPM_MAX - 1;
    memcpy(srpm, data, n);
    srpm[n] = '\0';
    mr_span name, vr;
    mr_patch_split_srpm(srpm, &name, &vr);
    size_t sum = 0;
    for (size_t i = 0; i < name.n; i++)
        sum += (unsigned char)name.p[i];
    for (size_t i = 0; i < vr.n; i++)
        sum += (unsigned char)vr.p[i];

    review(root, &sum);
    review(root2, &sum);
    return 0;
}
