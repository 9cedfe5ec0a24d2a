/*
 * fuzz_exposure_reply.c — arbitrary bytes as what a service answers a
 * probe of mamori exposure (lib/exposure/probe.c): a Redis, memcached or
 * HTTP reply, an FTP reply of many lines, a MongoDB OP_MSG with its BSON
 * document (lengths that lie, names without their NUL). Each parser
 * reads only the bytes given and returns a known verdict.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "exposure/exposure.h"

static void known(mr_xp_auth a)
{
    if (a != MR_XP_AUTH_UNPROBED && a != MR_XP_AUTH_REQUIRED &&
        a != MR_XP_AUTH_NONE)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    known(mr_xp_redis_reply(s, size));
    known(mr_xp_memcached_reply(s, size));
    known(mr_xp_http_reply(s, size));
    known(mr_xp_mongo_reply(data, size));
    known(mr_xp_snmp_reply(data, size));
    known(mr_xp_dns_reply(data, size));
    known(mr_xp_udp_reply("memcached-udp", data, size));
    int code = mr_xp_ftp_code(s, size);
    if (code != 0 && (code < 100 || code > 599))
        abort();
    return 0;
}
