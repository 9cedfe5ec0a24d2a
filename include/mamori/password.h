/*
 * password.h — checks passwords the way IPA's guidance asks (seed 000,
 * パスワードを適切に運用する, table 1.4), finds reused and breached ones
 * in password-manager exports, and reviews a machine's password settings.
 *
 * The checker takes a password and its context (user name, real name,
 * e-mail, service, old password) and returns accept or reject, every
 * reason found as a stable code, an estimate of the guesses an attacker
 * needs (log10), a score 0-4 and feedback in English and Japanese. It
 * finds names (Japanese and Western), dates (with Japanese eras),
 * sequences, repeats, keyboard walks (US, JIS, keypad), dictionary words,
 * default credentials and breached passwords, also inside longer
 * passwords, after undoing capitals, look-alike characters and reversal.
 *
 * Memory: the checker copies the password into its own bounded buffers
 * (MAMORI_PASSWORD_MAX bytes; longer is rejected as too long) and wipes
 * every copy with explicit_bzero before returning. The caller's buffer is
 * never written; callers wipe their own (mamori_password_wipe()).
 * A mamori_password_result is plain data the caller owns; it holds no
 * pointer to the password. The checker object is read-only after
 * creation, so one may serve many threads.
 */
#ifndef MAMORI_PASSWORD_H
#define MAMORI_PASSWORD_H

#include "mamori/finding.h"
#include "mamori/host.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MAMORI_PASSWORD_MAX 256        /* bytes; longer is rejected */
#define MAMORI_PASSWORD_REASONS_MAX 16 /* reasons kept per result */
#define MAMORI_PASSWORD_FEEDBACK_MAX 512 /* bytes of feedback per language */

/* Stable reason codes: their names (mamori_password_reason_name) are part
 * of the JSON output and never change meaning. */
typedef enum mamori_password_reason {
    MAMORI_PWR_EMPTY = 0,          /* "empty" */
    MAMORI_PWR_TOO_LONG,           /* "too_long": over MAMORI_PASSWORD_MAX */
    MAMORI_PWR_TOO_SHORT,          /* "too_short" */
    MAMORI_PWR_FEW_CLASSES,        /* "few_classes": under the policy's
                                      character classes, not a passphrase */
    MAMORI_PWR_COMMON,             /* "common_password": a known password */
    MAMORI_PWR_BREACHED,           /* "breached": in the breach filter */
    MAMORI_PWR_DEFAULT,            /* "default_credential" */
    MAMORI_PWR_WORD,               /* "dictionary_word" */
    MAMORI_PWR_NAME,               /* "name" */
    MAMORI_PWR_DATE,               /* "date" */
    MAMORI_PWR_SEQUENCE,           /* "sequence" */
    MAMORI_PWR_REPEAT,             /* "repeat" */
    MAMORI_PWR_KEYBOARD,           /* "keyboard_pattern" */
    MAMORI_PWR_CONTEXT,            /* "personal_info": user name, e-mail.. */
    MAMORI_PWR_OLD_PASSWORD,       /* "similar_to_old" */
    MAMORI_PWR_GUESSABLE,          /* "too_guessable": too few guesses */
    MAMORI_PWR_INVALID_UTF8,       /* "invalid_utf8" */
    MAMORI_PWR_COUNT
} mamori_password_reason;

MAMORI_API const char *mamori_password_reason_name(mamori_password_reason r);

typedef enum mamori_password_policy_kind {
    MAMORI_PWPOLICY_IPA = 0,   /* >= 10 chars and 3 of 4 classes, or a
                                  passphrase of >= 4 words and 20 chars */
    MAMORI_PWPOLICY_NIST = 1   /* SP 800-63B rev. 4: >= 15 (8 with MFA),
                                  no composition rules */
} mamori_password_policy_kind;

/* Every rule, settable one by one (config file: key = value lines with
 * the same names, see mamori_password_policy_load). */
typedef struct mamori_password_policy {
    unsigned min_length;        /* characters (UTF-8 code points) */
    unsigned min_classes;       /* of lower/upper/digit/symbol; 0 = none */
    unsigned passphrase_words;  /* words that waive min_classes; 0 = never */
    unsigned passphrase_length; /* characters a passphrase needs */
    double min_guesses_log10;   /* reject below this estimate */
    int check_breached;         /* consult the breach filter */
} mamori_password_policy;

/* Fills *p with a built-in policy. mfa applies to NIST (8 characters). */
MAMORI_API void mamori_password_policy_init(
    mamori_password_policy *p, mamori_password_policy_kind kind, int mfa);
/* Reads a policy file over *p: lines "key = value", '#' comments; keys
 * "policy" (ipa|nist, applied first), "mfa", and each field name above.
 * Unknown keys or bad values: MAMORI_E_FORMAT with a diagnostic naming
 * the line through ctx (may be NULL). */
MAMORI_API mamori_err mamori_password_policy_load(mamori_password_policy *p,
                                                  const mamori_ctx *ctx,
                                                  const char *path);

/* What is known about the person and the place; every field may be NULL.
 * Borrowed for the call only. */
typedef struct mamori_password_context {
    const char *user;          /* login name */
    const char *real_name;     /* "Taro Yamada" */
    const char *email;
    const char *service;       /* host or service name */
    const char *old_password;  /* the one being replaced */
} mamori_password_context;

typedef struct mamori_password_result {
    int accepted;
    int score;                 /* 0..4 (as zxcvbn: 4 = >= 1e10 guesses) */
    double guesses_log10;
    size_t nreasons;
    mamori_password_reason reasons[MAMORI_PASSWORD_REASONS_MAX];
    char feedback[MAMORI_LANG_COUNT][MAMORI_PASSWORD_FEEDBACK_MAX];
} mamori_password_result;

typedef struct mamori_password_checker mamori_password_checker;

/* Creates a checker with the policy copied in and the built-in
 * dictionaries and breach filter. *out is freed by
 * mamori_password_checker_free. */
MAMORI_API mamori_err mamori_password_checker_new(
    const mamori_password_policy *policy, mamori_password_checker **out);
MAMORI_API void mamori_password_checker_free(mamori_password_checker *c);
/* The formats of a user's breach list, told apart by the shape of the
 * file's first non-empty lines: a hash format when at least half of the
 * first 32 have its shape, else plain. */
typedef enum mamori_breach_format {
    MAMORI_BREACH_PLAIN = 0,  /* one password a line (exact bytes) */
    MAMORI_BREACH_SHA1,       /* Pwned Passwords SHA-1: "HEX40:COUNT" */
    MAMORI_BREACH_NTLM        /* Pwned Passwords NTLM: "HEX32:COUNT" (MD4
                                 of the password in UTF-16LE) */
} mamori_breach_format;

MAMORI_API const char *mamori_breach_format_name(mamori_breach_format f);

#define MAMORI_BREACH_LINE_MAX 1024        /* bytes per line read */
#define MAMORI_BREACH_ENTRIES_MAX (1u << 28) /* 268M entries: 2 GiB of
                                               keys while building */

/* Adds a breach filter built from a user's list: one password a line, or
 * the Pwned Passwords SHA-1 or NTLM download (hash, optionally ":count";
 * upper or lower case hex). A candidate is looked up as typed and in
 * lower case (hashed first for the hash lists). Blank lines are ignored;
 * lines over MAMORI_PASSWORD_MAX bytes (plain) or not in the file's hash
 * format are skipped with a note through ctx (may be NULL) naming how
 * many and the first. A list with no usable line (an empty file too) is
 * MAMORI_E_FORMAT and leaves the list added before in place; more
 * than MAMORI_BREACH_ENTRIES_MAX entries MAMORI_E_TOO_LARGE. Replaces a
 * list added before. */
MAMORI_API mamori_err mamori_password_checker_add_breach_list(
    mamori_password_checker *c, const mamori_ctx *ctx, const char *path);
/* The same from memory: data[0, len) is the list's text, name is used in
 * diagnostics. Nothing of data is kept. */
MAMORI_API mamori_err mamori_password_checker_add_breach_data(
    mamori_password_checker *c, const mamori_ctx *ctx, const char *name,
    const char *data, size_t len);
/* The format and entries of the list added last (PLAIN and 0 if none). */
MAMORI_API mamori_breach_format mamori_password_breach_list_format(
    const mamori_password_checker *c);
MAMORI_API size_t mamori_password_breach_list_entries(
    const mamori_password_checker *c);

/* Checks len bytes of pw (any bytes) with ctx (may be NULL). Never fails:
 * malformed input is a reason, not an error. Allocates nothing: it works
 * on the stack (about 100 KiB; a thread that calls it needs that much
 * room). */
MAMORI_API void mamori_password_check(
    const mamori_password_checker *c, const char *pw, size_t len,
    const mamori_password_context *ctx, mamori_password_result *res);

/* Is this exact password (or its lower-case form) in a breach filter? */
MAMORI_API int mamori_password_breached(const mamori_password_checker *c,
                                        const char *pw, size_t len);

/* Wipes n bytes (explicit_bzero: not optimized away). */
MAMORI_API void mamori_password_wipe(void *p, size_t n);

/* What the built-in data was built from: one line per source with its
 * entry count, and a note for each list that was missing at build time.
 * Static; never NULL. */
MAMORI_API const char *mamori_password_data_info(void);
/* Entries in the built-in breach filter (0 if built without lists). */
MAMORI_API size_t mamori_password_breach_entries(void);

/* ---- password-manager exports --------------------------------------- */

#define MAMORI_PWCSV_FILE_MAX (64u * 1024 * 1024) /* bytes read at most */
#define MAMORI_PWCSV_FIELD_MAX 4096               /* bytes kept per field */
#define MAMORI_PWCSV_ROWS_MAX 1000000             /* entries at most */

typedef enum mamori_pwcsv_format {
    MAMORI_PWCSV_UNKNOWN = 0,
    MAMORI_PWCSV_CHROME,      /* Chrome, Edge: name,url,username,password */
    MAMORI_PWCSV_FIREFOX,     /* "url","username","password",... */
    MAMORI_PWCSV_BITWARDEN,   /* folder,favorite,type,name,...login_uri.. */
    MAMORI_PWCSV_KEEPASSXC,   /* "Group","Title","Username","Password".. */
    MAMORI_PWCSV_1PASSWORD    /* Title,Url,Username,Password,... */
} mamori_pwcsv_format;

MAMORI_API const char *mamori_pwcsv_format_name(mamori_pwcsv_format f);

/* One entry of an export; the strings are borrowed for the callback. */
typedef struct mamori_pwcsv_entry {
    uint64_t line;            /* 1-based line where the record starts */
    const char *site;         /* title or host; never NULL */
    size_t site_len;
    const char *user;
    size_t user_len;
    const char *password;
    size_t password_len;
} mamori_pwcsv_entry;

typedef int (*mamori_pwcsv_fn)(void *user, const mamori_pwcsv_entry *e);

/* Parses an export in memory (RFC 4180 CSV, UTF-8 with or without BOM),
 * detects the format from the header and calls fn for each entry with a
 * password. Returns MAMORI_E_FORMAT for an unknown header, E_TOO_LARGE
 * past the maxima above, E_ABORTED when fn returns non-zero. Every copy of
 * a field is wiped before return. *fmt (may be NULL) gets the format. */
MAMORI_API mamori_err mamori_pwcsv_parse(
    const char *data, size_t len, mamori_pwcsv_format *fmt, mamori_pwcsv_fn fn,
    void *user);

/* Audits an export file: reused passwords across sites, weak ones with
 * their reasons, breached ones. Findings carry site names and user names,
 * never passwords (masked as "****"). Sends a summary at the end. */
MAMORI_API mamori_err mamori_password_audit_file(
    const mamori_ctx *ctx, const mamori_password_checker *c, const char *path,
    const mamori_sink *sink);

/* Reviews the password settings under root (NULL or "/" for this
 * machine; a fixture directory in tests, a mounted image): etc/login.defs,
 * etc/pam.d/{common-password,common-auth} or {system-auth,password-auth},
 * etc/ssh/sshd_config (and sshd_config.d/NAME.conf), each read inside
 * root (host.h). Each setting weaker than the guidance is a finding;
 * missing files are skipped with a note. A root that cannot be opened is
 * MAMORI_E_IO after a diagnostic. */
MAMORI_API mamori_err mamori_password_policy_review(const mamori_ctx *ctx,
                                                    const char *root,
                                                    const mamori_sink *sink);

/* The same review in the lifecycle every capability shares
 * (docs/architecture.md): new with options, feed it a host (this machine
 * or a root, through a mamori_sysroot), finish, free. Findings reach the
 * sink as each file is read; finish sends nothing more (no summary) and
 * returns the first error of the runs. Missing files are notes through
 * ctx, except files of the PAM family the host does not use. */
typedef struct mamori_password_review_opts {
    unsigned min_length;   /* a smaller PAM minlen is a finding; 0 = 10 */
    int skip_sshd;         /* leave sshd's settings to the host review
                              (mamori_hostcheck), as `mamori audit` does */
} mamori_password_review_opts;

typedef struct mamori_password_review mamori_password_review;

/* opts may be NULL; ctx must outlive the review. */
MAMORI_API mamori_err mamori_password_review_new(
    const mamori_ctx *ctx, const mamori_password_review_opts *opts,
    mamori_password_review **out);
/* Reviews the host sr shows; sr is borrowed for the call. */
MAMORI_API mamori_err mamori_password_review_host(mamori_password_review *rv,
                                                  const mamori_sysroot *sr,
                                                  const mamori_sink *sink);
MAMORI_API mamori_err mamori_password_review_finish(
    mamori_password_review *rv, const mamori_sink *sink);
MAMORI_API void mamori_password_review_free(mamori_password_review *rv);

#ifdef __cplusplus
}
#endif
#endif
