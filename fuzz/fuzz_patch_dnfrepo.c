/*
 * fuzz_patch_dnfrepo.c — arbitrary bytes as the XML of dnf's cached
 * repositories that `mamori patch` reads on an RPM root (dnfrepo.c,
 * through libxml2's streaming reader): the same bytes as one
 * repository's primary list and its updateinfo (named by a valid
 * repomd.xml), and as another repository's repomd.xml. A throwaway root
 * with a few installed packages, so that candidates and advisories are
 * matched. Every finding is read to the end.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_root.h"
#include "patch/patch_int.h"

static char root[FUZZ_ROOT_MAX];

static const char repomd[] =
    "<?xml version=\"1.0\"?>\n<repomd><data type=\"primary\"><location "
    "href=\"repodata/p.xml\"/></data><data type=\"updateinfo\"><location "
    "href=\"repodata/u.xml\"/></data></repomd>\n";

static void add(mr_patch_run *r, const char *name, const char *arch,
                const char *ver)
{
    mr_patch_pkg_add(r, mr_span_make(name, strlen(name)),
                     mr_span_make(arch, strlen(arch)),
                     mr_span_make(ver, strlen(ver)), MR_SPAN_NULL,
                     MR_SPAN_NULL, 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const dirs[] = {
        "var", "var/cache", "var/cache/dnf", "var/cache/dnf/a-1",
        "var/cache/dnf/a-1/repodata", "var/cache/dnf/b-2",
        "var/cache/dnf/b-2/repodata"};
    static int ready;
    if (!ready) {
        if (fuzz_root_make(root, "dnfrepo", dirs, 7) != 0 ||
            fuzz_root_put(root, "var/cache/dnf/a-1/repodata/repomd.xml",
                          (const uint8_t *)repomd, sizeof(repomd) - 1))
            abort();
        ready = 1;
    }
    if (fuzz_root_put(root, "var/cache/dnf/a-1/repodata/p.xml", data, size) ||
        fuzz_root_put(root, "var/cache/dnf/a-1/repodata/u.xml", data, size) ||
        fuzz_root_put(root, "var/cache/dnf/b-2/repodata/repomd.xml", data,
                      size))
        abort();

    size_t sum = 0;
    mamori_ctx ctx;
    mamori_ctx_init(&ctx);
    mamori_sysroot *sr = NULL;
    if (mamori_sysroot_new(root, &sr) != MAMORI_OK)
        abort();
    mamori_sink sink = {fuzz_touch, fuzz_drop_summary, &sum};
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
    if (r->pkgs) {
        add(r, "bash", "x86_64", "5.1.8-6.el9");
        add(r, "openssl-libs", "x86_64", "1:3.0.7-24.el9");
        add(r, "tzdata", "noarch", "2024a-1.el9");
        mr_patch_dnf_repos(r);
    }
    mr_table_free(r->pkgs);
    mr_arena_free(&r->arena);
    free(r);
    mamori_sysroot_free(sr);
    return 0;
}
