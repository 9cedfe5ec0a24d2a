/*
 * fuzz_web_hsts.c — arbitrary bytes as a Strict-Transport-Security value
 * through mr_web_hsts_parse (lib/web/hsts.h, HSTS preload eligibility):
 * the flags it sets are 0 or 1 and max-age is -1 or a number; then the
 * same bytes as a host name through the header grade's registrable
 * domain (obs_site.h), with Debian's Public Suffix List when it is there,
 * both sections and the ICANN one: the answer fits and ends the host.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dns/psl.h"
#include "web/hsts.h"
#include "web/obs_site.h"

#define FUZZ_HSTS_MAX 2048

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static mr_psl *psl;
    static int loaded;
    char v[FUZZ_HSTS_MAX + 1], out[64];
    long long age;
    int sub, pre;
    if (!loaded) {
        psl = mr_psl_load(NULL);
        loaded = 1;
    }
    size_t n = size < FUZZ_HSTS_MAX ? size : FUZZ_HSTS_MAX;
    memcpy(v, data, n);
    v[n] = '\0';
    if (mr_web_hsts_parse(v, &age, &sub, &pre) == 0 &&
        (sub < 0 || sub > 1 || pre < 0 || pre > 1 || age < -1))
        abort();
    for (int priv = 0; priv < 2; priv++)
        if (mr_web_obs_org_domain(psl, v, priv, out, sizeof(out)) == 0) {
            size_t ol = strlen(out), vl = strlen(v);
            if (ol >= sizeof(out) || ol > vl)
                abort();
        }
    return 0;
}
