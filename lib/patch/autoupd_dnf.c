/*
 * autoupd_dnf.c — automatic updates on an RPM-based system: dnf-automatic
 * (RHEL 8 and 9 and their clones; dnf5-plugin-automatic on newer Fedora).
 * It installs updates when all of these hold, and each one that does not
 * is a reason in one no-automatic-updates finding, as autoupd.c does for
 * unattended-upgrades:
 *   installed  the dnf-automatic package (the RPM inventory)
 *   applying   a timer that installs: dnf-automatic-install.timer
 *              enabled, or dnf-automatic.timer (dnf5-automatic.timer)
 *              enabled with "apply_updates = yes" in the [commands]
 *              section of /etc/dnf/automatic.conf (dnf's default is no:
 *              download only, or just a message)
 * "Enabled" is the timer's link in
 * /etc/systemd/system/timers.target.wants/ resolving in the root, as
 * `systemctl enable` leaves it.
 */
#include "common.h"

#include <strings.h>

#include "check_ids.h"
#include "patch/patch_int.h"

#define DNF_CONF "/etc/dnf/automatic.conf"
#define DNF_WANTS "/etc/systemd/system/timers.target.wants/"
#define DNF_REASONS_MAX 3

typedef struct dnf_conf {
    int in_commands;     /* inside [commands] */
    int apply;           /* apply_updates: -1 unset, 0 no, 1 yes */
} dnf_conf;

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

/* Python's configparser booleans, as dnf reads them. */
static int boolean(const char *v)
{
    static const char *const yes[] = {"1", "yes", "true", "on"};
    for (size_t i = 0; i < MR_ARRAY_LEN(yes); i++)
        if (strcasecmp(v, yes[i]) == 0)
            return 1;
    return 0;
}

static int conf_line(void *user, char *line, size_t len, uint64_t lineno)
{
    dnf_conf *c = user;
    (void)len;
    (void)lineno;
    line = trim(line);
    if (line[0] == '#' || line[0] == ';' || !line[0])
        return 0;
    if (line[0] == '[') {
        c->in_commands = strncmp(line, "[commands]", 10) == 0;
        return 0;
    }
    char *eq = strchr(line, '=');
    if (!c->in_commands || !eq)
        return 0;
    *eq = '\0';
    if (strcmp(trim(line), "apply_updates") == 0)
        c->apply = boolean(trim(eq + 1));
    return 0;
}

static int timer_enabled(const mr_patch_run *r, const char *unit)
{
    char path[MR_PATCH_PATH_MAX];
    snprintf(path, sizeof(path), "%s%s", DNF_WANTS, unit);
    return mr_sysroot_exists(r->sr, path);
}

void mr_patch_auto_dnf(mr_patch_run *r)
{
    const char *reasons[DNF_REASONS_MAX];
    size_t n = 0;
    const char *file = DNF_CONF;
    if (!mr_patch_pkg_any(r, "dnf-automatic") &&
        !mr_patch_pkg_any(r, "dnf5-plugin-automatic")) {
        reasons[n++] = "dnf-automatic is not installed";
    } else if (!timer_enabled(r, "dnf-automatic-install.timer")) {
        dnf_conf c = {0, -1};
        mr_sysroot_lines(r->sr, DNF_CONF, MR_PATCH_CONF_MAX, conf_line, &c);
        if (c.apply != 1)
            reasons[n++] = "apply_updates is not set in "
                           "/etc/dnf/automatic.conf";
        if (!timer_enabled(r, "dnf-automatic.timer") &&
            !timer_enabled(r, "dnf5-automatic.timer")) {
            reasons[n++] = "no dnf-automatic timer is enabled";
            file = DNF_WANTS;
        }
    }
    if (n == 0)
        return;
    char where[MR_PATCH_PATH_MAX];
    mr_patch_display(r, file, where);
    mamori_finding f;
    mr_patch_finding(r, &f, MR_CHECK_PATCH_NO_AUTOMATIC_UPDATES, where);
    f.evidence = reasons[0];
    f.evidence_len = strlen(reasons[0]);
    mamori_finding_list(&f, "reasons", reasons, n, 0);
    /* The check's remedy is apt's: dnf's own steps beside it. */
    mr_patch_field(&f, "fix", "dnf install dnf-automatic; set apply_updates "
                              "= yes under [commands] in "
                              "/etc/dnf/automatic.conf; systemctl enable "
                              "--now dnf-automatic.timer");
    mr_patch_send(r, &f);
}
