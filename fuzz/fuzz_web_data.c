/*
 * fuzz_web_data.c — arbitrary bytes as the data files of `mamori web`
 * (data/web/exposed.conf and mozilla-intermediate.conf) through their
 * parsers (lib/web/catalogue.h): counts and lengths within the named
 * maxima, strings NUL-terminated, whatever the input.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "web/catalogue.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mr_web_catalogue *c = malloc(sizeof(*c));
    mr_web_mozilla *m = malloc(sizeof(*m));
    size_t bad = 0;
    if (!c || !m)
        abort();
    if (mr_web_catalogue_parse((const char *)data, size, c, &bad) == 0) {
        if (c->n > MR_WEB_PROBES_MAX)
            abort();
        for (size_t i = 0; i < c->n; i++)
            if (strlen(c->probes[i].path) >= MR_WEB_PATH_MAX ||
                c->probes[i].path[0] != '/' ||
                strlen(c->probes[i].sig) >= MR_WEB_SIG_MAX)
                abort();
    }
    if (mr_web_mozilla_parse((const char *)data, size, m, &bad) == 0) {
        if (m->protocols.n == 0 || m->ciphers.n > MR_WEB_MOZ_NAMES_MAX)
            abort();
        mr_web_names_has(&m->groups, "X25519");
    }
    free(c);
    free(m);
    return 0;
}
