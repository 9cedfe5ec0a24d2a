/*
 * hostcheck.h — the inside of `mamori host` (include/mamori/hostcheck.h):
 * the rules as data, the parsers of the files they read
 * (parse.c: sshd_config with Include and Match, sysctl.conf, dpkg's
 * status) and the effective settings those parsers build.
 *
 * The rules are data (data/hostchecks/NAME.conf, compiled by
 * tools/gen_hostchecks.py into mr_hc_rules()). A rule names what to read
 * and how to judge it; the code only reads and
 * applies the judgement the rule names. Texts a user reads are in the
 * rule's check (data/checks/host.*.check) and its `fix`.
 */
#ifndef MR_HOSTCHECK_H
#define MR_HOSTCHECK_H

#include <stddef.h>
#include <stdint.h>

#include "mamori/finding.h"
#include "mamori/host.h"

#define MR_HC_VALUE_MAX 512      /* bytes of a setting's value kept */
#define MR_HC_KEY_MAX 64         /* bytes of a setting's name */
#define MR_HC_FILE_MAX MAMORI_SYSROOT_PATH_MAX
#define MR_HC_SETTINGS_MAX 32    /* settings one parse looks for */
#define MR_HC_INCLUDE_DEPTH 16   /* nested sshd Include, as sshd */
#define MR_HC_INCLUDE_FILES 64   /* files one Include may name */
#define MR_HC_FILES_MAX 256      /* sshd files read per parse: Includes
                                    that include each other branch */
#define MR_HC_CONFIG_MAX (1024 * 1024) /* a configuration file's bytes */

/* Where a rule's setting comes from. */
typedef enum mr_hc_source {
    MR_HC_SSHD = 0,   /* sshd's effective global configuration */
    MR_HC_SYSCTL,     /* sysctl.d, sysctl.conf; /proc/sys when live */
    MR_HC_MODE,       /* stat(2) of `file`: mode bits, owner, group */
    MR_HC_PACKAGE,    /* installed per /var/lib/dpkg/status */
    MR_HC_PASSWD_UID0,   /* /etc/passwd: UID 0 other than root */
    MR_HC_SHADOW_EMPTY,  /* /etc/shadow: an empty hash field */
    MR_HC_SYSTEM_SHELL,  /* /etc/passwd: UID < 1000 with a login shell */
    MR_HC_LOGINDEFS      /* /etc/login.defs: KEY VALUE, the last wins */
} mr_hc_source;

/* How the value is judged (SSHD and SYSCTL rules). */
typedef enum mr_hc_judge {
    MR_HC_IN = 0,     /* the value must be one of `words` */
    MR_HC_NOT_IN,     /* the value must not be one of `words` */
    MR_HC_LE,         /* a number (sshd time units allowed) <= limit */
    MR_HC_GE,         /* a number >= limit */
    MR_HC_NONE_OF     /* a comma list holding none of `words` */
} mr_hc_judge;

typedef struct mr_hc_rule {
    const char *id;          /* stable rule id: "ssh-permit-root-login" */
    const char *check;       /* MR_CHECK_HOST_...: texts, countermeasures */
    mamori_severity severity;
    mr_hc_source source;
    const char *file;        /* the system file judged or to fix */
    const char *setting;     /* keyword, sysctl key, or package names */
    mr_hc_judge judge;
    const char *words;       /* space-separated, case-insensitive */
    long limit;              /* LE, GE: the bound; MODE: forbidden mode
                                bits; SYSTEM_SHELL: the first people's UID */
    const char *unset;       /* the value when not set (the program's
                                default); NULL: unset is not judged */
    const char *group;       /* MODE: a group allowed beside root */
    const char *ref;         /* CIS Debian / Lynis ids, or NULL */
    const char *fix;         /* the exact change to make */
} mr_hc_rule;

/* The rules, in report order. */
const mr_hc_rule *mr_hc_rules(size_t *n);

/* One setting as found: value, file (display name) and line. */
typedef struct mr_hc_setting {
    char key[MR_HC_KEY_MAX];
    char value[MR_HC_VALUE_MAX];
    char file[MR_HC_FILE_MAX];
    uint64_t line;
    int found;
} mr_hc_setting;

/* Settings wanted from one kind of file: fill key[] (and nkeys), then
 * parse; the parse fills value/file/line. sshd: the first value wins
 * (as sshd); sysctl: the last. */
typedef struct mr_hc_config {
    mr_hc_setting s[MR_HC_SETTINGS_MAX];
    size_t n;
    int in_match;            /* sshd: inside a Match block */
    unsigned depth;          /* sshd: Include nesting */
    unsigned files;          /* sshd: files read, up to MR_HC_FILES_MAX */
    const mamori_ctx *ctx;   /* diagnostics; may be NULL */
    const mamori_sysroot *sr;/* Include reads through it; NULL: ignored */
} mr_hc_config;

/* Adds key to be looked for; the setting it gets, or NULL when full. */
mr_hc_setting *mr_hc_want(mr_hc_config *c, const char *key);
mr_hc_setting *mr_hc_get(mr_hc_config *c, const char *key);

/* One line of sshd_config (any bytes; not NUL-terminated). Include is
 * followed through c->sr. file is the display name for findings. */
void mr_hc_sshd_line(mr_hc_config *c, const char *file, uint64_t lineno,
                     const char *line, size_t len);
/* Reads path (and what it includes) through c->sr. */
void mr_hc_sshd_file(mr_hc_config *c, const char *path);
/* One line of a sysctl configuration file. */
void mr_hc_sysctl_line(mr_hc_config *c, const char *file, uint64_t lineno,
                       const char *line, size_t len);
/* One line of /etc/login.defs ("KEY VALUE"). */
void mr_hc_logindefs_line(mr_hc_config *c, const char *file, uint64_t lineno,
                          const char *line, size_t len);
/* Feeds a whole buffer line by line to fn (the fuzzers' door too). */
void mr_hc_buffer(mr_hc_config *c, const char *file, const char *data,
                  size_t len,
                  void (*fn)(mr_hc_config *, const char *, uint64_t,
                             const char *, size_t));

/* sshd's time format ("90", "2m", "1h30m"): seconds, or -1 if malformed. */
long mr_hc_sshd_time(const char *s);

#endif
