/*
 * fuzz_web_csp.c — libFuzzer harness for the Observatory's CSP parse and
 * test (lib/web/csp.c): the input's lines are policies, the first a
 * header, the rest <meta> ones; any bytes must give a result id.
 */
#include "common.h"

#include "web/obs_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mr_obs_str pol[MR_OBS_CSP_POLICIES_MAX + 2];
    size_t n = 0, start = 0;
    for (size_t i = 0; i <= size && n < MR_ARRAY_LEN(pol); i++)
        if (i == size || data[i] == '\n') {
            pol[n++] = (mr_obs_str){ (const char *)data + start, i - start };
            start = i + 1;
        }
    bool fa, pass, tr = false;
    for (int https = 0; https < 2; https++) {
        const char *r = mr_obs_csp_test(pol, n ? 1 : 0, pol + 1, n ? n - 1 : 0,
                                        https, false, &fa, &pass, &tr);
        if (r != NULL && mr_obs_modifier(r) == 0 && mr_obs_description(r)[0] == '\0')
            __builtin_trap();    /* an id the score table does not know */
    }
    return 0;
}
