/*
 * restart.c — updates installed but not yet in use:
 *   reboot-required   /run/reboot-required (written by package scripts,
 *                     with the packages in /run/reboot-required.pkgs),
 *                     or, on this machine only, the running kernel
 *                     (/proc/sys/kernel/osrelease) older than the newest
 *                     linux-image-VERSION-FLAVOUR installed; on RPM
 *                     systems the newest kernel-core (kernel) rpm, and
 *                     under a root the default boot entry of
 *                     /boot/grub2/grubenv stands for the running kernel
 *   restart-required  processes still mapping a deleted shared library
 *                     (/proc/PID/maps), one finding per systemd unit
 *                     (from /proc/PID/cgroup); memfd, /dev/shm and
 *                     temporary files are JIT or IPC, not libraries
 * The /proc probes are live only: under a root they are skipped with a
 * note. Processes we may not read (another user's, without root) are
 * counted in a note.
 */
#include "common.h"

#include "check_ids.h"
#include "patch/patch_int.h"

#define PROC_MAPS_MAX (16u * 1024 * 1024)
#define PROC_SMALL_MAX 4096
#define UNITS_MAX 256
#define UNIT_LIBS_MAX 4
#define UNIT_NAME_MAX 256
#define LIB_PATH_MAX 512

static void reboot_file(mr_patch_run *r)
{
    if (!mr_sysroot_exists(r->sr, "/run/reboot-required"))
        return;
    char where[MR_PATCH_PATH_MAX];
    char *pkgs = NULL;
    size_t len = 0;
    const char *list[8];
    size_t n = 0;
    uint64_t more = 0;
    if (mr_sysroot_read(r->sr, "/run/reboot-required.pkgs", 64 * 1024, &pkgs,
                        &len) == MAMORI_OK) {
        char *save = NULL;
        for (char *t = strtok_r(pkgs, "\n", &save); t;
             t = strtok_r(NULL, "\n", &save)) {
            int dup = 0;
            for (size_t i = 0; i < n; i++)
                dup |= strcmp(list[i], t) == 0;
            if (dup)
                continue;
            if (n < MR_ARRAY_LEN(list))
                list[n++] = t;
            else
                more++;
        }
    }
    mr_patch_display(r, "/run/reboot-required", where);
    mamori_finding f;
    mr_patch_finding(r, &f, MR_CHECK_PATCH_REBOOT_REQUIRED, where);
    f.evidence = "/run/reboot-required is present";
    f.evidence_len = strlen(f.evidence);
    if (n)
        mamori_finding_list(&f, "packages", list, n, more);
    mr_patch_send(r, &f);
    free(pkgs);
}

static void running_kernel(mr_patch_run *r)
{
    char *rel = NULL;
    size_t len = 0;
    if (mr_sysroot_read(r->sr, "/proc/sys/kernel/osrelease", PROC_SMALL_MAX,
                        &rel, &len))
        return;
    while (len && (rel[len - 1] == '\n' || rel[len - 1] == ' '))
        rel[--len] = '\0';
    char name[300];
    snprintf(name, sizeof(name), "linux-image-%s", rel);
    const mr_pkg *running = mr_patch_pkg_any(r, name);
    const mr_pkg *newest = NULL;
    for (size_t i = 0; i < mr_table_slots(r->pkgs); i++) {
        const char *key;
        size_t klen;
        const mr_pkg *p = mr_table_slot(r->pkgs, i, &key, &klen);
        /* linux-image-6.1.0-28-amd64, not the linux-image-amd64 meta
         * package (it has no kernel of its own). */
        if (!p || strncmp(p->name, "linux-image-", 12) != 0 ||
            p->name[12] < '0' || p->name[12] > '9')
            continue;
        int c = 1;
        if (newest)
            mamori_debversion_compare(p->version, strlen(p->version),
                                      newest->version,
                                      strlen(newest->version), &c, NULL);
        if (c > 0)
            newest = p;
    }
    if (!running || !newest) {
        if (newest)
            mamori_diagf(r->ctx, MAMORI_DIAG_NOTE, NULL, 0,
                         "the running kernel %s is not from an installed "
                         "package: not compared with %s", rel, newest->name);
        free(rel);
        return;
    }
    int c = 0;
    if (mamori_debversion_compare(running->version, strlen(running->version),
                                  newest->version, strlen(newest->version),
                                  &c, NULL) == MAMORI_OK && c < 0) {
        mamori_finding f;
        char ev[512];
        mr_patch_finding(r, &f, MR_CHECK_PATCH_REBOOT_REQUIRED,
                         "/proc/sys/kernel/osrelease");
        snprintf(ev, sizeof(ev), "running kernel %s (%s) is older than the "
                 "installed %s (%s)", rel, running->version, newest->name,
                 newest->version);
        f.evidence = ev;
        f.evidence_len = strlen(ev);
        mr_patch_field(&f, "package", newest->name);
        mr_patch_field(&f, "running", rel);
        mr_patch_field(&f, "installed", running->version);
        mr_patch_field(&f, "candidate", newest->version);
        mr_patch_send(r, &f);
    }
    free(rel);
}

/* The kernel the machine boots by default, from GRUB's environment
 * block: saved_entry is "MACHINEID-VERSION-RELEASE.ARCH" (a BLS entry's
 * name, RHEL 8 on) or the kernel's name itself; into out (cap bytes). */
static int default_boot(const mr_patch_run *r, char *out, size_t cap)
{
    char *env = NULL;
    size_t len = 0;
    int found = 0;
    if (mr_sysroot_read(r->sr, "/boot/grub2/grubenv", PROC_SMALL_MAX, &env,
                        &len))
        return 0;
    for (char *line = env; line && *line && !found;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        if (strncmp(line, "saved_entry=", 12) == 0) {
            const char *v = line + 12;
            size_t hex = strspn(v, "0123456789abcdef");
            if (hex == 32 && v[32] == '-')
                v += 33;
            found = *v && strlen(v) < cap;
            if (found)
                memcpy(out, v, strlen(v) + 1);
        }
        line = nl ? nl + 1 : NULL;
    }
    free(env);
    return found;
}

/* RPM's kernels: the running one (live; under a root, the default boot
 * entry) older than the newest installed, in RPM's order. */
static void rpm_kernel(mr_patch_run *r)
{
    char rel[MR_PATCH_KERNEL_MAX];
    const char *file = "/proc/sys/kernel/osrelease";
    if (mamori_sysroot_is_live(r->sr)) {
        char *s = NULL;
        size_t len = 0;
        if (mr_sysroot_read(r->sr, file, PROC_SMALL_MAX, &s, &len))
            return;
        while (len && (s[len - 1] == '\n' || s[len - 1] == ' '))
            s[--len] = '\0';
        snprintf(rel, sizeof(rel), "%s", s);
        free(s);
    } else if (default_boot(r, rel, sizeof(rel))) {
        file = "/boot/grub2/grubenv";
    } else {
        return;
    }
    const char *newest = NULL;
    int running = 0;
    for (size_t i = 0; i < r->nkernels; i++) {
        const char *k = r->kernels[i];
        running |= strcmp(k, rel) == 0;
        int c = 1;
        if (newest)
            mamori_rpmversion_compare(k, strlen(k), newest, strlen(newest), &c);
        if (c > 0)
            newest = k;
    }
    if (!newest)
        return;
    if (!running) {
        mamori_diagf(r->ctx, MAMORI_DIAG_NOTE, NULL, 0,
                     "the kernel %s is not from an installed package: not "
                     "compared with %s", rel, newest);
        return;
    }
    int c = 0;
    mamori_rpmversion_compare(rel, strlen(rel), newest, strlen(newest), &c);
    if (c >= 0)
        return;
    char where[MR_PATCH_PATH_MAX], ev[3 * MR_PATCH_KERNEL_MAX];
    mr_patch_display(r, file, where);
    mamori_finding f;
    mr_patch_finding(r, &f, MR_CHECK_PATCH_REBOOT_REQUIRED, where);
    snprintf(ev, sizeof(ev), "%s kernel %s is older than the installed %s",
             mamori_sysroot_is_live(r->sr) ? "running" : "default boot", rel,
             newest);
    f.evidence = ev;
    f.evidence_len = strlen(ev);
    mr_patch_field(&f, "package", "kernel");
    mr_patch_field(&f, "running", rel);
    mr_patch_field(&f, "installed", rel);
    mr_patch_field(&f, "candidate", newest);
    mr_patch_send(r, &f);
}

typedef struct unit_entry {
    char name[UNIT_NAME_MAX];
    char comm[64];
    uint64_t pids;
    char libs[UNIT_LIBS_MAX][LIB_PATH_MAX];
    size_t nlibs;
    uint64_t more_libs;
} unit_entry;

/* Is this deleted mapping a shared library (not a memfd or JIT area)? */
static int deleted_library(const char *path, size_t n)
{
    static const char *const not_libs[] = {"/memfd:", "/dev/", "/tmp/",
                                           "/var/tmp/", "/run/", "/SYSV",
                                           "/proc/"};
    if (n == 0 || path[0] != '/')
        return 0;
    for (size_t i = 0; i < MR_ARRAY_LEN(not_libs); i++)
        if (strncmp(path, not_libs[i], strlen(not_libs[i])) == 0)
            return 0;
    for (size_t i = 0; i + 3 <= n; i++)
        if (memcmp(path + i, ".so", 3) == 0 &&
            (i + 3 == n || path[i + 3] == '.'))
            return 1;
    return 0;
}

/* The deepest .service of a cgroup path ("/system.slice/x.service"),
 * else its deepest .scope; 0 when it has neither. */
static int unit_in(const char *path, size_t n, char *out)
{
    const char *best = NULL, *scope = NULL;
    size_t bn = 0, sn = 0, i = 0;
    while (i < n) {
        while (i < n && path[i] == '/')
            i++;
        size_t b = i;
        while (i < n && path[i] != '/')
            i++;
        size_t len = i - b;
        if (len > 8 && memcmp(path + i - 8, ".service", 8) == 0) {
            best = path + b;
            bn = len;
        } else if (len > 6 && memcmp(path + i - 6, ".scope", 6) == 0) {
            scope = path + b;
            sn = len;
        }
    }
    if (!best) {
        best = scope;
        bn = sn;
    }
    if (!best)
        return 0;
    snprintf(out, UNIT_NAME_MAX, "%.*s", (int)MR_MIN(bn, UNIT_NAME_MAX - 1),
             best);
    return 1;
}

/* The unit of a process from its cgroup: the unified hierarchy's line
 * ("0::/system.slice/x.service"), else cgroup v1's name=systemd one. */
static void unit_of(mr_patch_run *r, const char *pid, char *out)
{
    char path[64], *cg = NULL;
    size_t len = 0;
    snprintf(out, UNIT_NAME_MAX, "(no unit)");
    snprintf(path, sizeof(path), "/proc/%s/cgroup", pid);
    if (mr_sysroot_read(r->sr, path, PROC_SMALL_MAX, &cg, &len))
        return;
    static const char *const keys[] = {"0::", ":name=systemd:"};
    for (size_t k = 0; k < MR_ARRAY_LEN(keys); k++) {
        const char *at = strstr(cg, keys[k]);
        if (k == 0 && at && at != cg && at[-1] != '\n')
            at = strstr(cg, "\n0::") ? strstr(cg, "\n0::") + 1 : NULL;
        if (!at)
            continue;
        at += strlen(keys[k]);
        size_t n = strcspn(at, "\n");
        if (unit_in(at, n, out))
            break;
    }
    free(cg);
}

static void scan_process(mr_patch_run *r, const char *pid, unit_entry *units,
                         size_t *nunits, uint64_t *unreadable)
{
    char path[64], *maps = NULL;
    size_t len = 0;
    snprintf(path, sizeof(path), "/proc/%s/maps", pid);
    if (mr_sysroot_read(r->sr, path, PROC_MAPS_MAX, &maps, &len)) {
        (*unreadable)++;
        return;
    }
    const char *libs[UNIT_LIBS_MAX];
    size_t libn[UNIT_LIBS_MAX], nl = 0;
    for (char *s = maps; s < maps + len;) {
        char *e = memchr(s, '\n', (size_t)(maps + len - s));
        size_t n = e ? (size_t)(e - s) : (size_t)(maps + len - s);
        static const char del[] = " (deleted)";
        if (n > sizeof(del) && memcmp(s + n - (sizeof(del) - 1), del,
                                      sizeof(del) - 1) == 0) {
            char *p = memchr(s, '/', n);
            size_t pn = p ? n - (sizeof(del) - 1) - (size_t)(p - s) : 0;
            if (p && deleted_library(p, pn)) {
                int dup = 0;
                for (size_t i = 0; i < nl; i++)
                    dup |= libn[i] == pn && memcmp(libs[i], p, pn) == 0;
                if (!dup && nl < UNIT_LIBS_MAX) {
                    libs[nl] = p;
                    libn[nl++] = pn;
                }
            }
        }
        s += n + 1;
    }
    if (nl) {
        char unit[UNIT_NAME_MAX];
        unit_of(r, pid, unit);
        size_t u = 0;
        while (u < *nunits && strcmp(units[u].name, unit) != 0)
            u++;
        if (u == *nunits && *nunits < UNITS_MAX) {
            memset(&units[u], 0, sizeof(units[u]));
            snprintf(units[u].name, UNIT_NAME_MAX, "%s", unit);
            char cp[64], *comm = NULL;
            size_t cl = 0;
            snprintf(cp, sizeof(cp), "/proc/%s/comm", pid);
            if (mr_sysroot_read(r->sr, cp, PROC_SMALL_MAX, &comm, &cl) == 0) {
                comm[strcspn(comm, "\n")] = '\0';
                snprintf(units[u].comm, sizeof(units[u].comm), "%s", comm);
            }
            free(comm);
            (*nunits)++;
        }
        if (u < *nunits) {
            unit_entry *ue = &units[u];
            ue->pids++;
            for (size_t i = 0; i < nl; i++) {
                int dup = 0;
                for (size_t k = 0; k < ue->nlibs; k++)
                    dup |= strlen(ue->libs[k]) == libn[i] &&
                           memcmp(ue->libs[k], libs[i], libn[i]) == 0;
                if (dup)
                    continue;
                if (ue->nlibs < UNIT_LIBS_MAX && libn[i] < LIB_PATH_MAX) {
                    memcpy(ue->libs[ue->nlibs], libs[i], libn[i]);
                    ue->libs[ue->nlibs++][libn[i]] = '\0';
                } else {
                    ue->more_libs++;
                }
            }
        }
    }
    free(maps);
}

static void deleted_libraries(mr_patch_run *r)
{
    mr_sysroot_names names;
    if (mr_sysroot_list(r->sr, "/proc", "[0-9]*", &names))
        return;
    unit_entry *units = calloc(UNITS_MAX, sizeof(*units));
    size_t nunits = 0;
    uint64_t unreadable = 0;
    for (size_t i = 0; units && i < names.n; i++)
        scan_process(r, names.names[i], units, &nunits, &unreadable);
    mr_sysroot_names_free(&names);
    for (size_t u = 0; units && u < nunits; u++) {
        const char *libs[UNIT_LIBS_MAX];
        char ev[LIB_PATH_MAX + UNIT_NAME_MAX + 128];
        for (size_t k = 0; k < units[u].nlibs; k++)
            libs[k] = units[u].libs[k];
        mamori_finding f;
        mr_patch_finding(r, &f, MR_CHECK_PATCH_RESTART_REQUIRED, "/proc");
        snprintf(ev, sizeof(ev), "%s (%s) maps the deleted %s",
                 units[u].name, units[u].comm, units[u].libs[0]);
        f.evidence = ev;
        f.evidence_len = strlen(ev);
        mr_patch_field(&f, "unit", units[u].name);
        mr_patch_field(&f, "process", units[u].comm);
        mamori_finding_int(&f, "processes", (int64_t)units[u].pids);
        mamori_finding_list(&f, "libraries", libs, units[u].nlibs,
                            units[u].more_libs);
        mr_patch_send(r, &f);
    }
    if (unreadable)
        mamori_diagf(r->ctx, MAMORI_DIAG_NOTE, NULL, 0,
                     "%llu process(es) could not be read (run as root to "
                     "see every process's libraries)",
                     (unsigned long long)unreadable);
    free(units);
}

void mr_patch_restart(mr_patch_run *r)
{
    reboot_file(r);
    if (r->rpm)
        rpm_kernel(r);
    if (!mamori_sysroot_is_live(r->sr)) {
        mamori_diagf(r->ctx, MAMORI_DIAG_NOTE, NULL, 0,
                     "under a root: the running kernel and the processes "
                     "using deleted libraries are not checked");
        return;
    }
    if (r->have_status && !r->rpm)
        running_kernel(r);
    deleted_libraries(r);
}
