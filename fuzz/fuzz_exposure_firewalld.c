/*
 * fuzz_exposure_firewalld.c — arbitrary bytes as a firewalld zone file
 * through the XML reader of mamori exposure (lib/exposure/firewalld.c),
 * every service it names defined by the same bytes (so includes nest and
 * loop), then judged for a few ports: attributes, comments, rich rules
 * cut anywhere must neither crash nor run unbounded.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "exposure/fw.h"

typedef struct input {
    const uint8_t *data;
    size_t size;
} input;

static int service(void *user, const char *name, char **xml, size_t *len)
{
    const input *in = user;
    if (name[0] == 'x')
        return 1;                  /* a service without a definition */
    if (!(*xml = malloc(in->size + 1)))
        return 1;
    memcpy(*xml, in->data, in->size);
    (*xml)[in->size] = '\0';
    *len = in->size;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mr_xp_fw *fw = NULL;
    if (mr_xp_fw_new(&fw) != MAMORI_OK)
        return 0;
    input in = {data, size};
    if (mr_xp_fwd_zone(fw, (const char *)data, size, service, &in) ==
            MAMORI_OK &&
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
