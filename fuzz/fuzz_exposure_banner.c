/*
 * fuzz_exposure_banner.c — arbitrary bytes as what a service sends first
 * (an SSH identification, an FTP or SMTP greeting, HTTP response
 * headers) through the product and version reader of mamori exposure
 * (lib/exposure/banner.c), then through the end-of-life matcher
 * (lib/eol: the branch, the verdict, the evidence) the way exposure and
 * web use it; the first byte picks the kind (5 and up: the bytes as a
 * Server or X-Powered-By value, read by mr_eol_tokens). Whatever it
 * returns must be NUL-terminated within its buffers, a branch found must
 * prefix the version, and a finding only comes with a verdict past the
 * upstream's end.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "eol/eol.h"
#include "exposure/exposure.h"

#define FUZZ_DAY 1796601600     /* 2026-12-07T00:00:00Z */
#define FUZZ_VERSION_MAX 32

static void judge(const char *name, size_t nn, const char *version,
                  int distro)
{
    mr_eol_result r;
    char ev[512];
    mr_eol_judge(name, nn, version, distro, FUZZ_DAY, &r);
    if (r.row && (!version ||
                  strncmp(version, r.row->branch, strlen(r.row->branch))))
        abort();
    if (r.report != (r.verdict == MR_EOL_ENDED))
        abort();
    if ((r.verdict == MR_EOL_UNKNOWN) != (r.row == NULL))
        abort();
    mr_eol_evidence(&r, name, nn, version ? version : "", ev, sizeof(ev));
    if (strnlen(ev, sizeof(ev)) == sizeof(ev))
        abort();
}

static int token(void *user, const char *name, size_t nn, const char *ver,
                 size_t vn)
{
    const uint8_t *end = user;
    char version[FUZZ_VERSION_MAX];
    if (nn == 0 || vn == 0 || (const uint8_t *)ver + vn > end ||
        ver[-1] != '/' || memchr(ver, ' ', vn) || memchr(name, '/', nn))
        abort();
    if (vn >= sizeof(version))
        return 0;
    memcpy(version, ver, vn);
    version[vn] = '\0';
    judge(name, nn, version, 0);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    if (data[0] >= 5) {
        (void)mr_eol_tokens((const char *)data + 1, size - 1, token,
                            (void *)(data + size));
        (void)mr_eol_distro_marker((const char *)data + 1, size - 1);
        return 0;
    }
    mr_xp_banner_kind kind = (mr_xp_banner_kind)data[0];
    mr_xp_version v;
    int r = mr_xp_banner_parse(kind, (const char *)data + 1, size - 1, &v);
    if (strnlen(v.product, sizeof(v.product)) == sizeof(v.product) ||
        strnlen(v.version, sizeof(v.version)) == sizeof(v.version) ||
        (r == 0) != (v.product[0] != '\0'))
        abort();
    judge(v.product, strlen(v.product), v.version[0] ? v.version : NULL,
          v.distro);
    return 0;
}
