/*
 * fuzz_exposure_nftinc.c — arbitrary bytes as /etc/nftables.conf with its
 * includes expanded inside a root (lib/exposure/nftinc.c): a root built
 * once per process whose /etc/nftables.d/a.nft is the input too (so an
 * include of it nests until the depth bound) and whose b.nft is a small
 * fixed file; quoted names, wildcards, comments and strings cut anywhere
 * must neither crash, read outside the root nor run unbounded.
 */
#include "common.h"

#include "exposure/fw.h"
#include "fuzz_root.h"

static char root[FUZZ_ROOT_MAX];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        static const char *const dirs[] = {"etc", "etc/nftables.d",
                                           "etc/nftables.d/dir.nft"};
        static const char b[] = "table inet b { }\n";
        if (fuzz_root_make(root, "nftinc", dirs, MR_ARRAY_LEN(dirs)) != 0 ||
            fuzz_root_put(root, "etc/nftables.d/b.nft", b, sizeof(b) - 1))
            abort();
        ready = 1;
    }
    if (fuzz_root_put(root, "etc/nftables.d/a.nft", data, size) != 0)
        abort();
    mamori_sysroot *sr = NULL;
    if (mamori_sysroot_new(root, &sr) != MAMORI_OK)
        return 0;
    char *out = NULL, why[MR_XP_FW_WHY_MAX];
    size_t len = 0;
    if (mr_xp_nft_flatten(sr, "/etc/nftables.conf", (const char *)data,
                          size, 1024 * 1024, &out, &len, why,
                          sizeof(why)) == MAMORI_OK &&
        (strlen(out) != len || len > 1024 * 1024))
        abort();
    free(out);
    mamori_sysroot_free(sr);
    return 0;
}
