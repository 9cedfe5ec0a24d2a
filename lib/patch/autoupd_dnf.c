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
 *   ran        once configured, a run in the last MAMORI_PATCH_AUTO_HOURS:
 *              systemd touches /var/lib/systemd/timers/stamp-UNIT at each
 *              trigger of a persistent timer (dnf-automatic's are), so
 *              the newest stamp of the three timers is its last run; with
 *              no stamp (an image without /var/lib/systemd), the last
 *              dated line of /var/log/dnf.log, written by every dnf run
 *              (a weaker sign: another dnf command counts too)
 */
#include "common.h"

#include <strings.h>

#include <sys/stat.h>

#include "check_ids.h"
#include "patch/patch_int.h"
#include "util/time.h"

#define DNF_CONF "/etc/dnf/automatic.conf"
#define DNF_WANTS "/etc/systemd/system/timers.target.wants/"
#define DNF_STAMPS "/var/lib/systemd/timers/stamp-"
#define DNF_LOG "/var/log/dnf.log"
#define DNF_REASONS_MAX 4

static const char *const dnf_timers[] = {
    "dnf-automatic-install.timer", "dnf-automatic.timer",
    "dnf5-automatic.timer",
};

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

/* dnf.log: "2024-11-01T10:00:00+0000 DDEBUG ..." (dnf 4), "2024-11-01T10:00:00Z
 * ..." (dnf 5); the latest date of any line. */
static int log_line(void *user, char *line, size_t len, uint64_t lineno)
{
    int64_t *last = user;
    (void)lineno;
    size_t n = 0;
    while (n < len && line[n] != ' ')
        n++;
    int64_t t = n >= 19 ? mr_parse_iso_time(mr_span_make(line, n)) : INT64_MIN;
    if (t != INT64_MIN && t > *last)
        *last = t;
    return 0;
}

/* When dnf-automatic last ran: its timers' stamps, else dnf.log. */
static int64_t last_run(const mr_patch_run *r)
{
    int64_t last = INT64_MIN;
    char path[MR_PATCH_PATH_MAX];
    for (size_t i = 0; i < MR_ARRAY_LEN(dnf_timers); i++) {
        struct stat st;
        snprintf(path, sizeof(path), "%s%s", DNF_STAMPS, dnf_timers[i]);
        if (mr_sysroot_stat(r->sr, path, &st) == MAMORI_OK &&
            S_ISREG(st.st_mode) && (int64_t)st.st_mtime > last)
            last = (int64_t)st.st_mtime;
    }
    if (last == INT64_MIN)
        mr_sysroot_lines(r->sr, DNF_LOG, MR_PATCH_LOG_MAX, log_line, &last);
    return last;
}

void mr_patch_auto_dnf(mr_patch_run *r)
{
    char when[16] = "";
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
    if (n == 0) {
        /* Installed and set to install: did it run? */
        int64_t last = last_run(r);
        mr_patch_date(last, when);
        if (last == INT64_MIN || last > r->now ||
            r->now - last > (int64_t)MAMORI_PATCH_AUTO_HOURS * 3600)
            reasons[n++] = "no run in the last 48 hours (its timer's stamp, "
                           "dnf.log)";
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
    if (when[0])
        mr_patch_field(&f, "last_run", when);
    /* The check's remedy is apt's: dnf's own steps beside it. */
    mr_patch_field(&f, "fix", "dnf install dnf-automatic; set apply_updates "
                              "= yes under [commands] in "
                              "/etc/dnf/automatic.conf; systemctl enable "
                              "--now dnf-automatic.timer");
    mr_patch_send(r, &f);
}
