/*
 * fuzz_web_cookie.c — libFuzzer harness for the Set-Cookie parse of the
 * Observatory's cookie test (lib/web/cookie.c): any bytes parse or are
 * refused, and every piece kept lies inside the input.
 */
#include "common.h"

#include "web/obs_int.h"

static void inside(mr_obs_str s, const uint8_t *data, size_t size)
{
    if (s.n && ((const uint8_t *)s.p < data || (const uint8_t *)s.p + s.n > data + size))
        __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mr_obs_str s = { (const char *)data, size };
    mr_obs_cookie c;
    (void)mr_obs_cookie_samesite_invalid(s);
    if (mr_obs_cookie_parse(s, &c)) {
        inside(c.key, data, size);
        inside(c.domain, data, size);
        inside(c.path, data, size);
        if (c.same_site < 0 || c.same_site > 3)
            __builtin_trap();
    }
    return 0;
}
