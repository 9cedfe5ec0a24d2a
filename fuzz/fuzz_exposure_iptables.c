/*
 * fuzz_exposure_iptables.c — arbitrary bytes as iptables-save's text
 * (/etc/iptables/rules.v4, ufw's user.rules) through the reader of mamori
 * exposure (lib/exposure/iptables.c), then judged for a few ports: quoted
 * words, counters, port lists and ranges, jumps and gotos that loop or
 * name no chain must neither crash nor run unbounded.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "exposure/fw.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mr_xp_fw *fw = NULL;
    if (size == 0 || mr_xp_fw_new(&fw) != MAMORI_OK)
        return 0;
    uint64_t bad = 0;
    /* the first byte picks the family, as rules.v4 or rules.v6 */
    if (mr_xp_ipt_parse(fw, data[0] & 1, (const char *)data + 1, size - 1,
                        &bad) == MAMORI_OK &&
        mr_xp_fw_index(fw) == MAMORI_OK) {
        static const uint16_t ports[] = {0, 22, 53, 8080, 65535};
        for (size_t i = 0; i < sizeof(ports) / sizeof(ports[0]); i++) {
            mr_xp_filtered f = mr_xp_fw_judge_port(
                fw, (int)(i & 1), i & 2 ? MR_XP_UDP : MR_XP_TCP, ports[i]);
            if (f != MR_XP_FILTER_UNKNOWN && f != MR_XP_FILTER_NO &&
                f != MR_XP_FILTER_YES)
                abort();
        }
    }
    mr_xp_fw_free(fw);
    return 0;
}
