/*
 * fuzz_exposure_firewalld.c — arbitrary bytes as a firewalld zone file
 * through the XML reader of mamori exposure (lib/exposure/firewalld.c),
 * every service it names defined by the same bytes (so includes nest and
 * loop), read again as a second zone bound to every IPv4 source, as a
 * policy and a third zone jumping to it, and for its bindings, then
 * judged for a few ports: attributes, comments, rich
 * rules cut anywhere must neither crash nor run unbounded.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_fw.h"

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
    static const mr_xp_fwd_jump jumps[2] = {{"policy:p", -5},
                                            {"policy:p", 5}};
    mr_xp_fwd_bind b;
    (void)mr_xp_fwd_binds((const char *)data, size, &b);
    if (mr_xp_fwd_zone(fw, (const char *)data, size, service, &in) ==
            MAMORI_OK &&
        mr_xp_fwd_zone_named(fw, "dmz", "ip", (const char *)data, size,
                             service, &in) == MAMORI_OK &&
        mr_xp_fwd_policy(fw, "policy:p", "inet", (const char *)data, size,
                         service, &in) == MAMORI_OK &&
        mr_xp_fwd_zone_jumps(fw, "z", "inet", (const char *)data, size,
                             service, &in, jumps, 2) == MAMORI_OK &&
        mr_xp_fw_index(fw) == MAMORI_OK)
        fuzz_fw_judge(fw);
    mr_xp_fw_free(fw);
    return 0;
}
