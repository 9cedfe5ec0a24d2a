/*
 * fuzz_exposure_iptables.c — arbitrary bytes as iptables-save's text
 * (/etc/iptables/rules.v4, ufw's user.rules) through the reader of mamori
 * exposure (lib/exposure/iptables.c), then judged for a few ports: quoted
 * words, counters, port lists and ranges, jumps and gotos that loop or
 * name no chain, sections that flush the table must neither crash nor
 * run unbounded.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_fw.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mr_xp_fw *fw = NULL;
    if (size == 0 || mr_xp_fw_new(&fw) != MAMORI_OK)
        return 0;
    uint64_t bad = 0;
    /* the first byte picks the family, as rules.v4 or rules.v6, and
     * how it is loaded: iptables-restore with -n (ufw) or without */
    if ((data[0] & 2 ? mr_xp_ipt_restore : mr_xp_ipt_parse)(
            fw, data[0] & 1, (const char *)data + 1, size - 1, &bad) ==
            MAMORI_OK &&
        mr_xp_fw_index(fw) == MAMORI_OK)
        fuzz_fw_judge(fw);
    mr_xp_fw_free(fw);
    return 0;
}
