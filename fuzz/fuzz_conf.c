/*
 * fuzz_conf.c — arbitrary bytes as mamori.conf through lib/conf
 * (libinih and our line reader): every string kept NUL-terminated and
 * within its maximum, every count within its maximum, paths absolute,
 * whatever the lines (NULs, no newline, over-long lines, endless
 * continuations of a conninfo, thousands of words).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mamori/conf.h"

static void check_str(const char *s, size_t max, int path)
{
    if (s && (strlen(s) >= max || (path && s[0] != '/')))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mamori_conf *c = NULL;
    mamori_err e = mamori_conf_parse((const char *)data, size, "fuzz", &c);
    if (e == MAMORI_E_NOMEM)
        return 0;
    if (!c || (e != MAMORI_OK && e != MAMORI_E_FORMAT) ||
        (e == MAMORI_E_FORMAT) != (c->nerrors > 0))
        abort();
    if (c->ndomains > MAMORI_CONF_DOMAINS_MAX ||
        c->nsites > MAMORI_CONF_SITES_MAX ||
        c->nerrors > MAMORI_CONF_ERRORS_MAX)
        abort();
    for (size_t i = 0; i < c->ndomains; i++)
        check_str(c->domains[i], MAMORI_CONF_NAME_MAX, 0);
    for (size_t i = 0; i < c->nsites; i++)
        check_str(c->sites[i], MAMORI_CONF_URL_MAX, 0);
    check_str(c->backup, MAMORI_CONF_PATH_MAX, 1);
    check_str(c->root, MAMORI_CONF_PATH_MAX, 1);
    check_str(c->history_db, MAMORI_CONF_PATH_MAX, 1);
    check_str(c->spool, MAMORI_CONF_PATH_MAX, 1);
    check_str(c->push_db, MAMORI_CONF_CONNINFO_MAX, 0);
    check_str(c->host_id, MAMORI_CONF_HOST_ID_MAX, 0);
    if (!c->spool || c->spool_max_mb == 0 ||
        c->spool_max_mb > MAMORI_CONF_SPOOL_MAX_MB_MAX ||
        c->lang >= MAMORI_LANG_COUNT || c->min_severity >= MAMORI_SEV_COUNT ||
        c->fail_on > MAMORI_SEV_COUNT)
        abort();
    for (size_t i = 0; i < c->nerrors; i++)
        if (!memchr(c->errors[i].msg, 0, MAMORI_CONF_MSG_MAX) ||
            (i && c->errors[i].line < c->errors[i - 1].line))
            abort();
    mamori_conf_free(c);
    return 0;
}
