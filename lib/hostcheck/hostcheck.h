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
#include "mamori/hostcheck.h"

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
    MR_HC_LOGINDEFS,     /* /etc/login.defs: KEY VALUE, the last wins */
    MR_HC_HOSTKEY,       /* sshd's public host keys (`file`, a glob):
                            DSA at all (`words`: the key types refused),
                            RSA under `limit` bits */
    MR_HC_SUDOERS,       /* sudoers with #include/@includedir: setting
                            "nopasswd", "noauthenticate" or "all" (a
                            rule for every command to anyone but
                            `words`, the administrators) */
    MR_HC_PACKAGE_MISSING, /* none of the packages `setting` installed */
    MR_HC_EXISTS,        /* nothing matches `file` (space-separated
                            globs); `limit` > 0: the newest match is
                            older than `limit` days (none: not judged) */
    MR_HC_CONTAINS,      /* no line of `file` (space-separated globs),
                            comments aside, matches one of `words`
                            (fnmatch patterns; a line matching a "!"
                            pattern is passed over); none of the files
                            there: not judged, unless `unset` is "none".
                            judge not-in: the other way round, a line
                            that matches is the finding (its file and
                            line) */
    MR_HC_KEYVALUE,      /* `file`: "key = value" (ini-like; sections
                            ignored; a value in a pair of quotes, as a
                            shell variable's, taken without them), the
                            last wins; judged as sshd's;
                            no file (the program is not installed): not
                            judged */
    MR_HC_LOGROTATE,     /* logrotate.conf: rotate N x the period, in
                            days, >= `limit` */
    MR_HC_FIREWALL,      /* a firewall that loads rules at boot:
                            nftables.conf with an input hook, ufw
                            ENABLED=yes, iptables-persistent rules or
                            firewalld */
    MR_HC_MODE_TREE,     /* every entry of the directories `file`
                            (space-separated, not recursive): no mode
                            bit of `limit` set (sticky directories
                            aside); setting "suid": SUID/SGID files
                            that no package's file list names; setting
                            "owner": owned by no user or group of
                            /etc/passwd and /etc/group */
    MR_HC_ROOT_PATH,     /* root's PATH in the files `file` (PATH=...,
                            login.defs ENV_SUPATH): '.', empty or
                            relative entries, directories writable by
                            others or not root's */
    MR_HC_HOME_MODES,    /* people's home directories (/etc/passwd,
                            UID >= `limit`): no mode bit of 007 */
    MR_HC_PAM,           /* the PAM password stack (Debian's common-*,
                            Red Hat's system-auth, password-auth; a
                            family read when one of its files is
                            there): setting "strength" (a module of
                            `words` on a password line, its minlen, or
                            pwquality.conf's, >= `limit`), "history"
                            (a module of `words`, or remember=),
                            "hash" (pam_unix with one of `words`),
                            "nullok" (an argument of `words`) */
    MR_HC_JOURNALD,      /* journald.conf and its drop-ins in systemd's
                            order (journald.conf.d of /etc, /run,
                            /usr/local/lib, /usr/lib by file name, /etc
                            shadowing the same name; the last value
                            wins); judged as keyvalue's */
    MR_HC_LIMITS,        /* as contains, each line read as pam_limits
                            reads it: the text from '#' cut, then
                            exactly four blank-separated fields
                            (domain type item value; other lines
                            ignored), matched joined by ':'
                            ("*:hard:core:0") */
    MR_HC_JOURNALD_SIZE  /* the days of logs journald's size limit
                            (SystemMaxUse, or SystemKeepFree's room on
                            this machine; unset: 4G, its most) keeps at
                            the rate the journal's archived files show
                            (their names carry their first entry's
                            time): >= `limit` days */
} mr_hc_source;

/* Which reviews run a rule (a bit each). */
#define MR_HC_VIEW_HOST 1u       /* mamori host, the audit's host row */
#define MR_HC_VIEW_PASSWORD 2u   /* mamori password policy */
#define MR_HC_VIEW_NO_SSHD 0x100u /* with a view: its sshd rules left out */

/* How the value is judged (SSHD and SYSCTL rules). */
typedef enum mr_hc_judge {
    MR_HC_IN = 0,     /* the value must be one of `words` */
    MR_HC_NOT_IN,     /* the value must not be one of `words` */
    MR_HC_LE,         /* a number (sshd time units allowed) <= limit */
    MR_HC_GE,         /* a number >= limit */
    MR_HC_NONE_OF,    /* a comma list holding none of `words` */
    MR_HC_PRESENT,    /* sshd: one of the keywords `setting` (space-
                         separated) is set at all */
    MR_HC_GE_SPAN,    /* a systemd time span >= limit seconds, or 0 (no
                         limit at all) */
    MR_HC_ALL_IN,     /* a list (items split at ';', ',' and blanks) of
                         at least one
                         item, every item one of `words` ("<" of a
                         "<;" separator skipped) */
    MR_HC_NARROW      /* exim's relay list as update-exim4.conf reads
                         it (maybe empty; items between ';', or the
                         separator "<X" names, trimmed) where no item is
                         "*", a public suffix's "*.com", a regular
                         expression, a network of fewer than `limit`
                         bits (IPv4; IPv6: 4 x limit, outside fc00::/7
                         and fe80::/10), or unreadable; "!" items
                         (exclusions) are not judged; a value cut to
                         MR_HC_VALUE_MAX fails */
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
    const char *area;        /* area of the report and the index; NULL:
                                the source's */
    const char *fix_ja;      /* the fix in Japanese, or NULL: `fix` */
    unsigned view;           /* MR_HC_VIEW_* bits */
    const char *evidence;    /* the evidence when a file sets the value
                                ("VALUE": the value), or NULL */
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
    int cut;                 /* value longer than the field: cut to it */
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
/* A systemd time span ("90d", "3month", "1y 2w", "3600"): seconds, or
 * -1 if malformed, in a unit not known, or over 2^40 seconds. */
long long mr_hc_span(const char *s);

/* ---- sudoers (sudoers.c) ------------------------------------------- */

#define MR_HC_SUDO_DEPTH 8       /* nested #include, as sudo's limit */
#define MR_HC_SUDO_FILES 128     /* files read per parse */
#define MR_HC_SUDO_LINE_MAX 8192 /* a logical line, continuations joined */

/* What one sudoers user specification grants, for the review. */
typedef struct mr_hc_sudo_spec {
    const char *file;       /* display name */
    uint64_t line;          /* where the specification starts */
    const char *users;      /* the user list ("%sudo", "ALL", "bob,%ops") */
    int all_commands;       /* a command list of ALL (any runas) */
    int nopasswd;           /* a NOPASSWD: tag */
    int noauth;             /* "Defaults !authenticate" (users: the
                               Defaults line's binding or "ALL") */
} mr_hc_sudo_spec;

typedef void (*mr_hc_sudo_fn)(void *user, const mr_hc_sudo_spec *spec);

typedef struct mr_hc_sudoers {
    const mamori_ctx *ctx;       /* diagnostics; may be NULL */
    const mamori_sysroot *sr;    /* includes read through it; NULL: none */
    mr_hc_sudo_fn fn;
    void *user;
    unsigned depth, files;
    char pending[MR_HC_SUDO_LINE_MAX]; /* a line ending in '\\' */
    size_t npending;
    uint64_t pending_line;
} mr_hc_sudoers;

/* One physical line of a sudoers file (any bytes). Lines ending in a
 * backslash are joined (up to MR_HC_SUDO_LINE_MAX, the rest dropped);
 * call mr_hc_sudoers_end() after a file's last line. */
void mr_hc_sudoers_line(mr_hc_sudoers *s, const char *file, uint64_t lineno,
                        const char *line, size_t len);
/* The same, for a line of the file at system path `path` (includes are
 * taken from its directory); mr_hc_sudoers_line() uses file for both. */
void mr_hc_sudoers_line_at(mr_hc_sudoers *s, const char *file,
                           const char *path, uint64_t lineno,
                           const char *line, size_t len);
void mr_hc_sudoers_end(mr_hc_sudoers *s, const char *file);
/* A whole buffer, line by line, then the end (the fuzzer's door). */
void mr_hc_sudoers_buffer(mr_hc_sudoers *s, const char *file,
                          const char *data, size_t len);
/* Reads path and what it includes (#include, @include, #includedir,
 * @includedir; relative to path's directory) through s->sr. */
void mr_hc_sudoers_file(mr_hc_sudoers *s, const char *path);

/* ---- the review's run (hostcheck.c), shared by the review_*.c ------- */

typedef struct mr_hc_run {
    mamori_hostcheck *hc;
    const mamori_ctx *ctx;
    const mamori_sink *sink;
    const mamori_sysroot *sr;
    int configured_only;
    int stopped;
    uint64_t emitted;        /* findings sent in this run */
    unsigned view;           /* MR_HC_VIEW_*: the rules run */
    long pam_min_length;     /* > 0: in place of the strength rule's */
} mr_hc_run;

#define MR_HC_EVIDENCE_MAX 1024
#define MR_HC_SHORT_MAX 64   /* a runtime value, a mode and owner */
#define MR_HC_NOTE_MAX 256   /* an account's or package's evidence, fix */

/* One finding of rule r: the file/line that decided it, the value seen,
 * evidence in words; fix NULL: the rule's. Strings are borrowed. */
void mr_hc_emit(mr_hc_run *u, const mr_hc_rule *r, const char *file,
                uint64_t line, const char *value, const char *evidence,
                const char *fix);
/* The same with the finding's "setting" named (NULL: the rule's): a
 * rule whose source judges several settings of one stack. In the
 * password view a finding is what `mamori password policy` always gave
 * (category "password-policy", the setting; no rule, value or fix). */
void mr_hc_emit_setting(mr_hc_run *u, const mr_hc_rule *r,
                        const char *setting, const char *file, uint64_t line,
                        const char *value, const char *evidence,
                        const char *fix);
/* r's evidence for value, when the rule words its own (into out, cap
 * bytes): out; otherwise NULL. */
const char *mr_hc_evidence(const mr_hc_rule *r, const char *value, char *out,
                           size_t cap);
/* The rule counted as judged; mr_hc_passed() when it passed too. */
void mr_hc_judged(mr_hc_run *u, const mr_hc_rule *r);
void mr_hc_passed(mr_hc_run *u, const mr_hc_rule *r);
/* The rule's fix in the report's language (mr_hc_fix), and whether
 * that language is Japanese (the glue around a fix follows it). */
const char *mr_hc_fix(const mr_hc_run *u, const mr_hc_rule *r);
int mr_hc_ja(const mr_hc_run *u);
/* path as the user reads it (the root's prefix), MR_HC_FILE_MAX bytes. */
void mr_hc_display(const mr_hc_run *u, const char *path, char *out);
/* Is w (n bytes) one of the space-separated words? ("x*": a prefix) */
int mr_hc_in_words(const char *words, const char *w, size_t n);
/* Judges value by r's judge: 1 passes; NONE_OF's offenders go to bad. */
int mr_hc_judge_value(const mr_hc_rule *r, const char *value, char *bad,
                size_t cap);
/* fix with every `word` ("NAME", "FILE") replaced by value, into out
 * (cap bytes, cut at the bound). */
void mr_hc_subst(const char *fix, const char *word, const char *value,
                 char *out, size_t cap);
/* GID of group name in the root's /etc/group, or -1. */
long mr_hc_group_gid(mr_hc_run *u, const char *name);
/* systemd's drop-in order: the files the globs (directories in order
 * of precedence, "/etc/x.d/" then "*.conf") match, by file name
 * whichever directory holds them, a name in an earlier directory
 * shadowing the same name in a later one; at most max into pick (the
 * names point into names[], nglobs of them, which the caller frees
 * with mr_sysroot_names_free). Returns how many. */
struct mr_sysroot_names;
size_t mr_hc_dropins(mr_hc_run *u, const char *const *globs, size_t nglobs,
                     struct mr_sysroot_names *names, const char **pick,
                     size_t max);
/* Owners judged: this machine, or a root owned by root. */
int mr_hc_owners_judged(mr_hc_run *u);

/* The reviews, each of the rules of its sources, in table order. */
void mr_hc_review_sshd(mr_hc_run *u, const mr_hc_rule *rules, size_t n);
void mr_hc_review_hostkeys(mr_hc_run *u, const mr_hc_rule *rules, size_t n);
void mr_hc_review_sysctl(mr_hc_run *u, const mr_hc_rule *rules, size_t n);
void mr_hc_review_modes(mr_hc_run *u, const mr_hc_rule *rules, size_t n);
void mr_hc_review_accounts(mr_hc_run *u, const mr_hc_rule *rules, size_t n);
void mr_hc_review_logindefs(mr_hc_run *u, const mr_hc_rule *rules, size_t n);
void mr_hc_review_packages(mr_hc_run *u, const mr_hc_rule *rules, size_t n);
void mr_hc_review_sudoers(mr_hc_run *u, const mr_hc_rule *rules, size_t n);
void mr_hc_review_presence(mr_hc_run *u, const mr_hc_rule *rules, size_t n);
void mr_hc_review_paths(mr_hc_run *u, const mr_hc_rule *rules, size_t n);
void mr_hc_review_pam(mr_hc_run *u, const mr_hc_rule *rules, size_t n);
/* keyvalue's judgement of r on st as found (file: the display name of
 * where a missing line goes); shared with journald's rules. */
void mr_hc_keyvalue_judge(mr_hc_run *u, const mr_hc_rule *r,
                          mr_hc_setting *st, const char *file);
/* journald.conf and its drop-ins read once for the journald rules of
 * rules (review_journald.c): NULL when out of memory; the caller frees.
 * Then each JOURNALD or JOURNALD_SIZE rule judged on it. */
mr_hc_config *mr_hc_journald_config(mr_hc_run *u, const mr_hc_rule *rules,
                                    size_t n);
void mr_hc_journald_judge(mr_hc_run *u, const mr_hc_rule *r,
                          mr_hc_config *c);

/* A systemd size as parse_size(s, 1024) reads it ("50M", "1.5G",
 * "4 M 11.5K", "4096": bytes, K M G T P E 1024-based, decimals, parts
 * with falling units): bytes, or -1 if malformed or over 2^62. */
long long mr_hc_size(const char *s);
/* The first entry's time (unix seconds) an archived journal file's name
 * carries ("system@ID-SEQNUM-REALTIME.journal", REALTIME hex
 * microseconds), or -1 when the name is not one. */
long long mr_hc_journal_head(const char *name);

/* The review of one view (MR_HC_VIEW_*) on hc: only the rules of that
 * view, in the order that view reports. The password view is
 * `mamori password policy` (lib/password/review.c): configured files
 * only, no summary; min_length > 0 replaces the strength rule's. */
mamori_err mr_hc_review_view(mamori_hostcheck *hc, const mamori_sysroot *sr,
                             const mamori_sink *sink, unsigned view,
                             long min_length);

#endif
