/*
 * fuzz_patch_tracker.c — arbitrary bytes as the Debian security
 * tracker's JSON export (`mamori patch --tracker`): first through the
 * streaming JSON reader alone (lib/patch/json.h; every path key and
 * value read to the end, depth within bounds), then matched against a
 * small installed system (a root built once per process with a dpkg
 * status of openssl and glibc on "bookworm"), both as the tracker's
 * export and as an OSV record in a directory. Cut, mistyped, deeply
 * nested or huge input must end in an error code, never a crash.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz_root.h"
#include "io/source.h"
#include "mamori/patch.h"
#include "io/json.h"

static char root[64], file[96], osvdir[96], osvfile[128];

static int j_open(void *u, const mr_json_path *p, int a)
{
    (void)a;
    if (p->depth > MR_JSON_DEPTH_MAX)
        abort();
    *(size_t *)u += strlen(p->keys[p->depth]);
    return 0;
}

static int j_close(void *u, const mr_json_path *p, int a)
{
    (void)u;
    (void)a;
    if (p->depth > MR_JSON_DEPTH_MAX)
        abort();
    return 0;
}

static int j_scalar(void *u, const mr_json_path *p, mr_json_kind k,
                    const char *s, size_t n, int cut)
{
    (void)k;
    (void)cut;
    if (n > MR_JSON_STR_MAX || s[n] != '\0' || p->depth > MR_JSON_DEPTH_MAX)
        abort();
    for (size_t i = 0; i < n; i++)
        *(size_t *)u += (unsigned char)s[i];
    return 0;
}

static int put(const char *path, const void *data, size_t size)
{
    return fuzz_root_put("", path, data, size);
}

static int make_root(void)
{
    static const char status[] =
        "Package: openssl\nStatus: install ok installed\nArchitecture: amd64\n"
        "Version: 3.0.11-1~deb12u2\n\nPackage: libc6\nStatus: install ok "
        "installed\nArchitecture: amd64\nSource: glibc\nVersion: 2.36-9\n";
    static const char os[] = "ID=debian\nVERSION_ID=\"12\"\n"
                             "VERSION_CODENAME=bookworm\n";
    char p[160];
    snprintf(root, sizeof(root), "/tmp/mamori-fuzz-tracker.XXXXXX");
    if (!mkdtemp(root))
        return -1;
    const char *dirs[] = {"etc", "var", "var/lib", "var/lib/dpkg"};
    for (size_t i = 0; i < 4; i++) {
        snprintf(p, sizeof(p), "%s/%s", root, dirs[i]);
        if (mkdir(p, 0755))
            return -1;
    }
    snprintf(p, sizeof(p), "%s/var/lib/dpkg/status", root);
    if (put(p, status, sizeof(status) - 1))
        return -1;
    snprintf(p, sizeof(p), "%s/etc/os-release", root);
    if (put(p, os, sizeof(os) - 1))
        return -1;
    snprintf(file, sizeof(file), "%s/tracker.json", root);
    snprintf(osvdir, sizeof(osvdir), "%s/osv", root);
    snprintf(osvfile, sizeof(osvfile), "%s/osv/DSA-0000-1.json", root);
    return mkdir(osvdir, 0755);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        if (make_root())
            abort();
        ready = 1;
    }
    size_t sum = 0;
    mr_source *src = NULL;
    if (mr_source_open_mem(data, size, &src) == MAMORI_OK) {
        mr_json_cb cb = {j_open, j_close, j_scalar, &sum};
        mr_json_read(src, &cb, NULL);
    }
    mr_source_close(src);
    if (put(file, data, size) || put(osvfile, data, size))
        abort();
    mamori_ctx ctx;
    mamori_ctx_init(&ctx);
    mamori_sysroot *sr = NULL;
    if (mamori_sysroot_new(root, &sr))
        abort();
    mamori_patch_opts opts = {.now = 1780000000, .tracker = file,
                              .osv = osvdir};
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
