/*
 * fuzz_host_sudoers.c — arbitrary bytes as sudoers. The first byte picks
 * the door: even, the line parser alone (mr_hc_sudoers_buffer, no
 * includes); odd, a root built once per process whose /etc/sudoers and
 * /etc/sudoers.d/x are both the input, read with includes followed
 * (#include and @includedir through the sysroot, a file including
 * itself stopped by the depth bound). Every specification's strings are
 * read to the end so that the sanitizers see an overrun.
 */
#include "common.h"

#include "fuzz_root.h"
#include "hostcheck/hostcheck.h"

static char root[FUZZ_ROOT_MAX];

static void touch_spec(void *user, const mr_hc_sudo_spec *spec)
{
    size_t *sum = user;
    for (const char *p = spec->users; *p; p++)
        *sum += (unsigned char)*p;
    for (const char *p = spec->file; *p; p++)
        *sum += (unsigned char)*p;
    *sum += (size_t)spec->line + (size_t)spec->nopasswd +
            (size_t)spec->all_commands + (size_t)spec->noauth;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    size_t sum = 0;
    if (size < 1)
        return 0;
    uint8_t door = data[0];
    data++;
    size--;
    mr_hc_sudoers *s = calloc(1, sizeof(*s));
    if (!s)
        return 0;
    s->fn = touch_spec;
    s->user = &sum;
    if (door % 2 == 0) {
        mr_hc_sudoers_buffer(s, "fuzz", (const char *)data, size);
        free(s);
        return sum == 1;   /* never: keeps the reads */
    }
    if (!ready) {
        static const char *const dirs[] = {"etc", "etc/sudoers.d"};
        if (fuzz_root_make(root, "sudoers", dirs, MR_ARRAY_LEN(dirs)) != 0)
            abort();
        ready = 1;
    }
    if (fuzz_root_put(root, "etc/sudoers", data, size) != 0 ||
        fuzz_root_put(root, "etc/sudoers.d/x", data, size) != 0)
        abort();
    mamori_sysroot *sr = NULL;
    if (mamori_sysroot_new(root, &sr) == MAMORI_OK) {
        s->sr = sr;
        mr_hc_sudoers_file(s, "/etc/sudoers");
    }
    mamori_sysroot_free(sr);
    free(s);
    return sum == 1;
}
