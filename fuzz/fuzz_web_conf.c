/*
 * fuzz_web_conf.c — arbitrary bytes as an nginx (first byte even) or
 * Apache (odd) configuration file through the tokenizers of lib/web/conf.h:
 * every directive handed out has its words inside the limits and
 * NUL-terminated, whatever the quotes, braces, continuations and NULs;
 * each directive's words are also judged as a cipher string.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "web/conf.h"

static int check(void *user, const mr_conf_directive *d)
{
    size_t *sum = user;
    char why[64];
    if (d->nargs > MR_CONF_ARGS_MAX)
        abort();
    for (size_t i = 0; i < d->nargs; i++) {
        size_t n = strlen(d->args[i]);
        if (n >= MR_CONF_WORDS_BYTES)
            abort();
        *sum += n + (size_t)mr_conf_ciphers_weak(d->args[i], why, sizeof(why));
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t sum = 0;
    uint64_t bad = 0;
    if (size == 0)
        return 0;
    const char *text = (const char *)data + 1;
    if (data[0] & 1)
        mr_conf_parse_apache(text, size - 1, check, &sum, &bad);
    else
        mr_conf_parse_nginx(text, size - 1, check, &sum, &bad);
    return 0;
}
