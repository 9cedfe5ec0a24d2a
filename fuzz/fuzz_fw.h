/*
 * fuzz_fw.h — what the firewall readers' harnesses (iptables-save,
 * firewalld) ask of the model a hostile file built: a verdict for a few
 * ports of each family and protocol, and never a value outside the three.
 * Header-only (static inline): each harness stays one file.
 */
#ifndef MAMORI_FUZZ_FW_H
#define MAMORI_FUZZ_FW_H

#include <stdlib.h>

#include "exposure/fw.h"

static inline void fuzz_fw_judge(const mr_xp_fw *fw)
{
    static const uint16_t ports[] = {0, 22, 53, 8080, 65535};
    for (size_t i = 0; i < sizeof(ports) / sizeof(ports[0]); i++) {
        mr_xp_filtered f = mr_xp_fw_judge_port(fw, (int)(i & 1),
                                               i & 2 ? MR_XP_UDP : MR_XP_TCP, ports[i]);
        if (f != MR_XP_FILTER_UNKNOWN && f != MR_XP_FILTER_NO && f != MR_XP_FILTER_YES)
            abort();
    }
}

#endif
