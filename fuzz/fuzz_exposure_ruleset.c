/*
 * fuzz_exposure_ruleset.c — arbitrary bytes as `nft -j list ruleset`'s
 * JSON through the ruleset reader of mamori exposure (lib/exposure/nft.c),
 * then judged for a few listeners: chains, rules, port sets and ranges,
 * jumps that loop or name no chain must neither crash nor run unbounded.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "exposure/exposure.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mr_xp_fw *fw = NULL;
    if (mr_xp_fw_parse((const char *)data, size, &fw) != MAMORI_OK)
        return 0;
    static const uint16_t ports[] = {22, 53, 6379, 65535};
    for (size_t i = 0; i < sizeof(ports) / sizeof(ports[0]); i++) {
        mr_xp_listener l;
        memset(&l, 0, sizeof(l));
        l.proto = i & 1 ? MR_XP_UDP : MR_XP_TCP;
        l.family = i & 2 ? AF_INET6 : AF_INET;
        l.scope = MR_XP_ALL;
        l.port = ports[i];
        mr_xp_filtered f = mr_xp_fw_judge(fw, &l);
        if (f != MR_XP_FILTER_UNKNOWN && f != MR_XP_FILTER_NO &&
            f != MR_XP_FILTER_YES)
            abort();
    }
    (void)mr_xp_fw_input_chains(fw);
    mr_xp_fw_free(fw);
    return 0;
}
