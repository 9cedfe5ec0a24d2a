/*
 * fuzz_host_config.c — arbitrary bytes as the configuration files
 * `mamori host` parses. The first byte picks the door: 0 the sshd_config
 * line parser alone, 1 the sysctl line parser alone (both through
 * mr_hc_buffer, every setting of the rules wanted), 2 journald's size
 * and journal file name parsers (the first 255 bytes), 3 the judgement
 * of exim's relay lists (NARROW, the first 1023 bytes), anything else the
 * whole review of a root built once per process whose sshd_config,
 * drop-in, sysctl.conf, passwd, shadow, dpkg status, sudoers, a host
 * key, common-auth, common-password, pwquality.conf, faillock.conf,
 * limits.conf, logrotate.conf, root's .profile and the MTAs' files (exim4's
 * update-exim4.conf.conf, smtpd.conf, sendmail.mc) and journald.conf
 * are all the input (Include and Match reached through the sysroot,
 * every judgement run).
 * Every finding's strings are read to the end so that the sanitizers see
 * an overrun. (The root, a few small files, stays in /tmp.)
 */
#include "common.h"

#include <sys/stat.h>
#include <unistd.h>

#include "fuzz_root.h"
#include "hostcheck/hostcheck.h"
#include "mamori/hostcheck.h"

static char root[FUZZ_ROOT_MAX];

static size_t sum_str(const char *s)
{
    size_t n = 0;
    while (s && *s)
        n += (unsigned char)*s++;
    return n;
}

static int put(const char *rel, const uint8_t *data, size_t size)
{
    return fuzz_root_put(root, rel, data, size);
}

static int make_root(void)
{
    static const char *const dirs[] = {"etc", "etc/ssh",
                                       "etc/ssh/sshd_config.d", "var",
                                       "var/lib", "var/lib/dpkg",
                                       "etc/pam.d", "etc/security", "root",
                                       "etc/exim4", "etc/mail",
                                       "etc/systemd"};
    return fuzz_root_make(root, "host", dirs, MR_ARRAY_LEN(dirs));
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
    if (door < 2) {
        mr_hc_config *c = calloc(1, sizeof(*c));
        size_t n;
        const mr_hc_rule *rules = mr_hc_rules(&n);
        if (!c)
            return 0;
        for (size_t i = 0; i < n; i++)
            mr_hc_want(c, rules[i].setting);
        mr_hc_buffer(c, "fuzz", (const char *)data, size,
                     door == 0 ? mr_hc_sshd_line : mr_hc_sysctl_line);
        for (size_t i = 0; i < c->n; i++) {
            sum += sum_str(c->s[i].value) + sum_str(c->s[i].file);
            sum += (size_t)mr_hc_sshd_time(c->s[i].value);
        }
        free(c);
        return sum == 1;   /* never: keeps the reads */
    }
    if (door == 2) {       /* journald's size and journal file names */
        char s[256];
        size_t k = size < sizeof(s) - 1 ? size : sizeof(s) - 1;
        memcpy(s, data, k);
        s[k] = '\0';
        sum += (size_t)mr_hc_size(s) + (size_t)mr_hc_journal_head(s);
        return sum == 1;
    }
    if (door == 3) {       /* exim's relay lists */
        char s[1024], bad[64];
        size_t k = size < sizeof(s) - 1 ? size : sizeof(s) - 1;
        memcpy(s, data, k);
        s[k] = '\0';
        mr_hc_rule r;
        memset(&r, 0, sizeof(r));
        r.judge = MR_HC_NARROW;
        r.limit = 8;
        sum += (size_t)mr_hc_judge_value(&r, s, bad, sizeof(bad)) + sum_str(bad);
        return sum == 1;
    }
    if (!ready) {
        if (make_root() != 0)
            abort();
        ready = 1;
    }
    static const char *const files[] = {
        "etc/ssh/sshd_config", "etc/ssh/sshd_config.d/50-x.conf",
        "etc/sysctl.conf", "etc/passwd", "etc/shadow",
        "var/lib/dpkg/status", "etc/sudoers", "etc/ssh/ssh_host_rsa_key.pub",
        "etc/pam.d/common-auth", "etc/pam.d/common-password",
        "etc/security/pwquality.conf", "etc/security/faillock.conf",
        "etc/security/limits.conf",
        "etc/logrotate.conf", "root/.profile",
        "etc/exim4/update-exim4.conf.conf", "etc/smtpd.conf",
        "etc/mail/sendmail.mc", "etc/systemd/journald.conf"};
    for (size_t i = 0; i < MR_ARRAY_LEN(files); i++)
        if (put(files[i], data, size) != 0)
            abort();
    mamori_ctx ctx;
    memset(&ctx, 0, sizeof(ctx));
    mamori_sink sink = {fuzz_touch, fuzz_drop_summary, &sum};
    mamori_hostcheck_review(&ctx, root, &sink);
    return 0;
}
