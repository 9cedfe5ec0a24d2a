/*
 * fuzz_web_obs.c — libFuzzer harness for the whole Observatory grade
 * (lib/web/observatory.c and the files under it): the input is a
 * response, "Name: value" lines up to an empty line, then the body; it
 * is graded as both the HTTPS answer and the HTTP one. Any bytes must
 * give a grade and results from the score table.
 */
#include "common.h"

#include "web/observatory.h"

#define FUZZ_HEADERS_MAX 64
#define FUZZ_INPUT_MAX (256 * 1024)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FUZZ_INPUT_MAX)
        return 0;
    char *buf = malloc(size + 1);
    if (buf == NULL)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    mr_obs_header h[FUZZ_HEADERS_MAX];
    size_t nh = 0;
    char *p = buf, *body = buf + size;
    while (p < buf + size) {
        char *nl = memchr(p, '\n', (size_t)(buf + size - p));
        if (nl)
            *nl = '\0';
        if (*p == '\0') {
            body = nl ? nl + 1 : buf + size;
            break;
        }
        char *colon = strchr(p, ':');
        if (colon && nh < FUZZ_HEADERS_MAX) {
            *colon = '\0';
            h[nh++] = (mr_obs_header){ p, colon + 1 };
        }
        if (nl == NULL)
            break;
        p = nl + 1;
    }
    mr_obs_response r[2] = {
        { "http://fuzz.example.org/", 301, NULL, 0 },
        { "https://fuzz.example.org/", 200, h, nh },
    };
    mr_obs_input in = { .host = "fuzz.example.org", .http = r, .n_http = 2,
        .http_verified = true, .https = r + 1, .n_https = 1,
        .https_verified = true, .body = body,
        .body_len = (size_t)(buf + size - body), .cors_headers = h,
        .n_cors = nh, .cors_origin = "https://fuzz.example.org" };
    mr_obs_report rep;
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1)
            in.n_https = 0;      /* graded over HTTP */
        int rc = mr_obs_grade(&in, &rep);
        if (rc == MR_OBS_OK || rc == MR_OBS_ESTATUS)
            for (size_t t = 0; t < MR_OBS_N_TESTS; t++)
                if (rep.tests[t].result == NULL || rep.grade == NULL)
                    __builtin_trap();
    }
    free(buf);
    return 0;
}
