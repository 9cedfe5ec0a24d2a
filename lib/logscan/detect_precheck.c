/*
 * detect_precheck.c — the cheap first look mr_detect() takes at the RAW
 * bytes of a request part (see detect.c): the byte-class table, percent
 * escapes judged by the byte they decode to, the suspicious pairs, and
 * the literal lists compiled into the Hyperscan prefilter databases.
 */
#include "common.h"

#include <hs/hs.h>

#include "logscan/detect_precheck.h"
#include "logscan/detect_rules.h"

#define MR_DETECT_LITERAL_MAX 256   /* literals per prefilter database */

/* ---- the raw pre-check ---- */

enum {
    RAW_TRIGGER = 1,   /* a payload character */
    RAW_PERCENT = 2,
    RAW_DOT = 4,       /* ".." */
    RAW_SLASH = 8,     /* "/." */
    RAW_DASH = 16,     /* "--" */
    RAW_EQUALS = 32,   /* a second '=' in one parameter */
    RAW_AMP = 64,
    RAW_QUERY = 128
};

#define T RAW_TRIGGER
static const uint8_t raw_class[256] = {
    [0x00] = T, [0x01] = T, [0x02] = T, [0x03] = T, [0x04] = T, [0x05] = T,
    [0x06] = T, [0x07] = T, [0x08] = T, [0x09] = T, [0x0a] = T, [0x0b] = T,
    [0x0c] = T, [0x0d] = T, [0x0e] = T, [0x0f] = T, [0x10] = T, [0x11] = T,
    [0x12] = T, [0x13] = T, [0x14] = T, [0x15] = T, [0x16] = T, [0x17] = T,
    [0x18] = T, [0x19] = T, [0x1a] = T, [0x1b] = T, [0x1c] = T, [0x1d] = T,
    [0x1e] = T, [0x1f] = T, [0x7f] = T, [0xc0] = T, [0xc1] = T,
    ['\''] = T, ['"'] = T, ['<'] = T, ['>'] = T, ['('] = T, [')'] = T,
    [';'] = T, ['|'] = T, ['`'] = T, ['$'] = T, ['{'] = T, ['}'] = T,
    ['\\'] = T, ['*'] = T, ['#'] = T, ['~'] = T, [' '] = T,
    ['%'] = RAW_PERCENT, ['.'] = RAW_DOT, ['/'] = RAW_SLASH, ['-'] = RAW_DASH,
    ['='] = RAW_EQUALS, ['&'] = RAW_AMP, ['?'] = RAW_QUERY,
};
#undef T

static int hex_digit(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (unsigned char)(c | 0x20);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Is the byte a percent escape decodes to one a browser would not have
 * encoded, or a payload character? */
static bool decoded_suspect(unsigned char b)
{
    return (raw_class[b] & RAW_TRIGGER) || mr_is_alnum(b) || b == '%' || b == '&' ||
           b == '=' || b == '.' || b == '-' || b == '+';
}

/* in_value: p is one query parameter value, where any '=' counts. */
bool mr_raw_suspect(const char *p, size_t n, bool in_value)
{
    const unsigned char *s = (const unsigned char *)p;
    bool in_query = in_value, equals = in_value;
    size_t query_start = in_value ? SIZE_MAX : 0;
    for (size_t i = 0; i < n; i++) {
        uint8_t cls = raw_class[s[i]];
        if (__builtin_expect(cls == 0, 1))
            continue;
        unsigned char next = i + 1 < n ? s[i + 1] : 0;
        switch (cls) {
        case RAW_TRIGGER:
            return true;
        case RAW_PERCENT: {
            if ((next | 0x20) == 'u')
                return true;
            int h1 = hex_digit(next), h2 = i + 2 < n ? hex_digit(s[i + 2]) : -1;
            if (h1 < 0 || h2 < 0)
                break;
            unsigned char b = (unsigned char)(h1 << 4 | h2);
            if (b == '+' && in_query)
                break;   /* %2B: a literal plus, common in values */
            if (decoded_suspect(b))
                return true;
            if ((b == 0xE0 || b == 0xF0) && i + 4 < n && s[i + 3] == '%' &&
                (s[i + 4] == '8' || s[i + 4] == '9'))
                return true;   /* overlong UTF-8 */
            if (b == 0xAD && in_query && i == query_start)
                return true;   /* PHP-CGI soft hyphen */
            i += 2;
            break;
        }
        case RAW_DOT:
            if (next == '.')
                return true;
            break;
        case RAW_SLASH:
            if (next == '.')
                return true;
            break;
        case RAW_DASH:
            if (next == '-' || (in_query && i == query_start))
                return true;
            break;
        case RAW_EQUALS:
            if (in_query) {
                if (equals)
                    return true;
                equals = true;
            }
            break;
        case RAW_AMP:
            equals = false;
            break;
        case RAW_QUERY:
            if (!in_query) {
                in_query = true;
                query_start = i + 1;
                equals = false;
            }
            break;
        default:
            break;
        }
    }
    return false;
}


/* Keywords and names that need no special character (caseless). */
static const char *const target_literals[] = {
    "union", "select", "sleep", "waitfor", "benchmark", "order", "having",
    "extractvalue", "updatexml", "load_file", "xp_", "information_schema",
    "@@", "jndi", "passwd", "win.ini", "boot.ini", "etc/", "proc/",
    "system32", "web-inf", "://", "%3a%2f%2f", "data:", "phpinfo",
    "info.php", "server-status", "server-info", ".bak", ".old", ".orig",
    ".save", ".swp", ".swo", ".backup", ".sql", ".tmp", ".sav", ".bk",
    ".dist", ".copy", ".mdb", ".sqlite", ".pem", ".key", ".pfx", ".p12",
    ".jks", ".keystore", ".kdbx", "id_rsa", "id_dsa", "id_ecdsa",
    "id_ed25519", "authorized_keys", "web.config", "wp-config",
    "docker-compose", "database.yml", "settings.py", "configuration.php",
    "localsettings", "elmah.axd", "trace.axd", "heapdump", "actuator",
    "pprof", "_profiler", "config/database", ".zip", ".tar", ".tgz", ".rar",
    ".7z", ".gz", "eval-stdin", "invokefunction",
    "_ignition", "hnap1", "boaform", "gponform", "luci", "setup.cgi",
    "mgmt/tm", "tmui", "fgt_lang", "cscoe", "autodiscover", "wls-wsat",
    "_async", "console.portal", "jsonws", "connector.minimal", "device.rsp",
    "picsdesc", "mainfunction", "ctrlt", "gateway/routes", "xdebug",
    "vpns", "dana-na", "call_user_func", "config.exp", "classloader",
    "ognl", "memberaccess", "bin/", "cmd", "powershell", "dev/tcp",
    "php:", "expect:", "phar:", "zip:", "glob:", "file:", "ftp:",
};

/* Scanner names first (see mr_detect_scanner), then payload marks. */
static const char *const agent_literals[] = {
    "sqlmap", "nikto", "nuclei", "nmap", "masscan", "zgrab", "wpscan",
    "dirbuster", "gobuster", "acunetix", "nessus", "openvas", "w3af",
    "whatweb", "netsparker", "arachni", "skipfish", "wfuzz", "ffuf",
    "feroxbuster", "dirb/", "havij", "commix", "xsstrike", "jaeles",
    "paros", "appscan", "webinspect", "zmeu", "morfeus", "fimap", "wapiti",
    "sqlninja", "bsqlbf", "pangolin", "dotdotpwn", "metasploit", "joomscan",
    "droopescan", "cmsmap", "burpcollaborator", "interactsh", "l9explore",
    "l9tcpid", "censysinspect", "qualys", "hydra", "brutus", "grabber",
    "teh forest lobster", "blackwidow", "jorgee", "netlab360", "x-scan",
    "ipip.net", "internet-measurement", "zap/", "owasp zap",
    "httpx - open-source", "dirsearch", "katana", "projectdiscovery",
    "struts-pwn", "log4j-scan",
    /* payload words (payload characters: mr_agent_suspect) */
    "union", "select", "sleep", "waitfor", "benchmark", "jndi", "../",
    "/bin/", "/etc/", "passwd", "cmd", "powershell", "whoami", "uname",
    "nslookup", "/dev/tcp", "classloader", "ognl", "@@",
};

/* Characters a payload in a user agent needs and browsers never send
 * there: quotes, '`', '|', '<', '>', '%', '#', '\', '$', '{', '}', '&'
 * and control bytes. ';', '(' and ')' are in every browser's agent. */
bool mr_agent_suspect(const char *p, size_t n)
{
    static const uint8_t mark[256] = {
        [0x00] = 1, [0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1, [0x05] = 1,
        [0x06] = 1, [0x07] = 1, [0x08] = 1, [0x09] = 1, [0x0a] = 1, [0x0b] = 1,
        [0x0c] = 1, [0x0d] = 1, [0x0e] = 1, [0x0f] = 1, [0x10] = 1, [0x11] = 1,
        [0x12] = 1, [0x13] = 1, [0x14] = 1, [0x15] = 1, [0x16] = 1, [0x17] = 1,
        [0x18] = 1, [0x19] = 1, [0x1a] = 1, [0x1b] = 1, [0x1c] = 1, [0x1d] = 1,
        [0x1e] = 1, [0x1f] = 1, [0x7f] = 1, ['\''] = 1, ['"'] = 1, ['`'] = 1,
        ['|'] = 1, ['<'] = 1, ['>'] = 1, ['%'] = 1, ['#'] = 1, ['\\'] = 1,
        ['$'] = 1, ['{'] = 1, ['}'] = 1, ['&'] = 1,
    };
    const unsigned char *s = (const unsigned char *)p;
    for (size_t i = 0; i < n; i++)
        if (mark[s[i]])
            return true;
    return false;
}

static hs_database_t *compile_literals(const char *const *lits, size_t count)
{
    unsigned flags[MR_DETECT_LITERAL_MAX], ids[MR_DETECT_LITERAL_MAX];
    size_t lens[MR_DETECT_LITERAL_MAX];
    if (count > MR_DETECT_LITERAL_MAX)
        return NULL;
    for (size_t i = 0; i < count; i++) {
        flags[i] = HS_FLAG_CASELESS | HS_FLAG_SINGLEMATCH;
        ids[i] = (unsigned)i;
        lens[i] = strlen(lits[i]);
    }
    hs_database_t *db = NULL;
    hs_compile_error_t *err = NULL;
    if (hs_compile_lit_multi(lits, flags, ids, lens, (unsigned)count, HS_MODE_BLOCK,
                             NULL, &db, &err) != HS_SUCCESS) {
        hs_free_compile_error(err);
        return NULL;
    }
    return db;
}

bool mr_has_payload_char(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (raw_class[(unsigned char)p[i]] & (RAW_TRIGGER | RAW_PERCENT))
            return true;
    return false;
}

/* Does p percent-encode a letter or digit, or use %u / %25? No browser
 * does; it hides a literal from the prefilter. */
bool mr_encodes_letters(const char *p, size_t n)
{
    for (size_t i = 0; i + 2 < n; i++) {
        if (p[i] != '%')
            continue;
        if ((p[i + 1] | 0x20) == 'u' || (p[i + 1] == '2' && p[i + 2] == '5'))
            return true;
        int h1 = hex_digit((unsigned char)p[i + 1]), h2 = hex_digit((unsigned char)p[i + 2]);
        if (h1 >= 0 && h2 >= 0 && mr_is_alnum((unsigned char)(h1 << 4 | h2)))
            return true;
    }
    return false;
}

hs_database_t *mr_compile_target_literals(void)
{
    return compile_literals(target_literals, MR_ARRAY_LEN(target_literals));
}

hs_database_t *mr_compile_agent_literals(void)
{
    return compile_literals(agent_literals, MR_ARRAY_LEN(agent_literals));
}
