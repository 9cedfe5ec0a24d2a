/*
 * fuzz_exposure_procnet.c — arbitrary bytes as /proc/net/tcp (and tcp6,
 * udp) and as /proc/PID/cgroup through the readers of mamori exposure
 * (lib/exposure/listen.c, proc.c): every listener kept must have a
 * NUL-terminated address and a known scope, and a unit name must fit.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "exposure/exposure.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mr_xp_list list;
    uint64_t bad = 0;
    memset(&list, 0, sizeof(list));
    static const int families[] = {AF_INET, AF_INET6};
    for (int i = 0; i < 2; i++)
        if (mr_xp_parse_proc_net(&list, i ? MR_XP_UDP : MR_XP_TCP,
                                 families[i], (const char *)data, size,
                                 &bad) != MAMORI_OK)
            break;
    mr_xp_list_sort(&list);
    for (size_t i = 0; i < list.n; i++)
        if (!memchr(list.v[i].address, '\0', sizeof(list.v[i].address)) ||
            list.v[i].scope > MR_XP_ALL)
            abort();
    mr_xp_list_free(&list);
    char unit[MR_XP_UNIT_MAX];
    mr_xp_unit_of_cgroup((const char *)data, size, unit, sizeof(unit));
    if (!memchr(unit, '\0', sizeof(unit)))
        abort();
    return 0;
}
