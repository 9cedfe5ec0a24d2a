/*
 * facts.c — what a run says about the host that sent it: its id (from
 * /etc/machine-id unless given), its name, its OS (PRETTY_NAME of
 * os-release) and its kernel, read through the sysroot so that a run of
 * an image names the image. The kernel and the live host name are this
 * machine's only when the sysroot is live.
 */
#include "common.h"

#include <sys/utsname.h>
#include <unistd.h>

#include "fleet_int.h"
#include "host/sysroot.h"

#define MR_FACT_FILE_MAX (64 * 1024)

int mamori_fleet_host_id_ok(const char *id)
{
    size_t n = id ? strlen(id) : 0;
    if (n == 0 || n > MAMORI_FLEET_HOST_ID_MAX)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char ch = id[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
              (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == ':' || ch == '-'))
            return 0;
    }
    return 1;
}

mamori_err mamori_fleet_machine_id(const mamori_sysroot *sr,
                                   char out[MAMORI_FLEET_HOST_ID_MAX + 1])
{
    char *data = NULL;
    size_t len = 0;
    out[0] = '\0';
    mamori_err e = mr_sysroot_read(sr, "/etc/machine-id", 4096, &data, &len);
    if (e)
        return e;
    while (len && (data[len - 1] == '\n' || data[len - 1] == ' '))
        len--;
    int ok = len == 32;
    for (size_t i = 0; ok && i < len; i++)
        ok = (data[i] >= '0' && data[i] <= '9') || (data[i] >= 'a' && data[i] <= 'f');
    if (ok) {
        memcpy(out, data, len);
        out[len] = '\0';
    }
    free(data);
    return ok ? MAMORI_OK : MAMORI_E_FORMAT;
}

/* The first line of a file, or a KEY="value" of it, into buf. */
static void read_value(const mamori_sysroot *sr, const char *path,
                       const char *key, char *buf, size_t cap)
{
    char *data = NULL;
    size_t len = 0;
    if (mr_sysroot_read(sr, path, MR_FACT_FILE_MAX, &data, &len))
        return;
    size_t klen = key ? strlen(key) : 0;
    for (char *line = data; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        if (!key || (strncmp(line, key, klen) == 0 && line[klen] == '=')) {
            char *v = key ? line + klen + 1 : line;
            size_t vl = strlen(v);
            if (vl >= 2 && (v[0] == '"' || v[0] == '\'') && v[vl - 1] == v[0]) {
                v++;
                vl -= 2;
            }
            snprintf(buf, cap, "%.*s", (int)MR_MIN(vl, cap - 1), v);
            break;
        }
        line = nl ? nl + 1 : NULL;
    }
    free(data);
}

void mr_host_facts_read(const mamori_sysroot *sr, mr_host_facts *hf)
{
    memset(hf, 0, sizeof(*hf));
    read_value(sr, "/etc/os-release", "PRETTY_NAME", hf->os, sizeof(hf->os));
    if (!hf->os[0])
        read_value(sr, "/usr/lib/os-release", "PRETTY_NAME", hf->os,
                   sizeof(hf->os));
    if (mamori_sysroot_is_live(sr)) {
        struct utsname u;
        if (gethostname(hf->hostname, sizeof(hf->hostname) - 1))
            hf->hostname[0] = '\0';
        if (uname(&u) == 0)
            snprintf(hf->kernel, sizeof(hf->kernel), "%s", u.release);
    } else {
        read_value(sr, "/etc/hostname", NULL, hf->hostname,
                   sizeof(hf->hostname));
    }
}
