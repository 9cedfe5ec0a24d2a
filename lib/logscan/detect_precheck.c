/*
 * detect_precheck.c — the cheap first look mr_detect() takes at the RAW
 * bytes of a request part (see detect.c): the byte-class table, percent
 * escapes judged by the byte they decode to, the suspicious pairs, and
 * the literal lists of the prefilter (detect_literals.c).
 */
#include "common.h"

#include "logscan/detect_precheck.h"
#include "logscan/detect_rules.h"

/* ---- the raw pre-check ---- */

/* Byte classes (RAW_* of detect_precheck.h). The pairs "..", "/.",
 * "--" and "@@" are found without a branch: bit FIRST_k of one byte
 * shifted left meets bit SECOND_k of the next. Only the bytes whose
 * meaning depends on where they stand (percent escapes, the query's '?',
 * '=', '&' and '+') leave the tight loop. */
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
    ['.'] = RAW_FIRST_DOT | RAW_SECOND_DOT, ['/'] = RAW_FIRST_DOT,
    ['-'] = RAW_FIRST_DASH | RAW_SECOND_DASH, ['@'] = RAW_FIRST_AT | RAW_SECOND_AT,
    ['%'] = RAW_CONTEXT, ['='] = RAW_CONTEXT, ['&'] = RAW_CONTEXT, ['?'] = RAW_CONTEXT,
    ['+'] = RAW_CONTEXT,
};
#undef T

static int hex_digit(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (unsigned char)(c | 0x20);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* The byte of the escape at s[i] ('%'), or -1 when it is not %XX. */
static int escaped_byte(const unsigned char *s, size_t i, size_t n)
{
    if (i + 2 >= n)
        return -1;
    int h1 = hex_digit(s[i + 1]), h2 = hex_digit(s[i + 2]);
    return h1 < 0 || h2 < 0 ? -1 : h1 << 4 | h2;
}

/* "%3D", "%3D%3D"... ending the value: base64 padding, not a payload. */
static bool padding_at(const unsigned char *s, size_t i, size_t n)
{
    while (i < n && s[i] != '&') {
        if (escaped_byte(s, i, n) != '=')
            return false;
        i += 3;
    }
    return true;
}

/* Is the percent escape at s[i] one a browser would not have written
 * (it encodes a letter, a digit, '%', '.', '-', '=', '&' or a payload
 * character, or is %u, overlong UTF-8, or PHP-CGI's soft hyphen)? */
bool mr_escape_suspect(const unsigned char *s, size_t i, size_t n, bool in_query,
                       size_t query_start)
{
    if (i + 1 < n && (s[i + 1] | 0x20) == 'u')
        return true;
    int v = escaped_byte(s, i, n);
    if (v < 0)
        return false;
    unsigned char b = (unsigned char)v;
    if ((b == '+' || b == ' ') && in_query)
        return false;   /* %2B, %20: as common in values as '+' itself */
    if (b == '=' && in_query && padding_at(s, i, n))
        return false;
    if ((raw_class[b] & RAW_TRIGGER) || mr_is_alnum(b) || b == '%' || b == '&' ||
        b == '=' || b == '.' || b == '-' || b == '+')
        return true;
    if (b == '/' && in_query)
        return true;   /* "%2Fetc%2Fpasswd": a path hidden from the literals */
    if ((b == 0xE0 || b == 0xF0) && i + 4 < n && s[i + 3] == '%' &&
        (s[i + 4] == '8' || s[i + 4] == '9'))
        return true;   /* overlong UTF-8 */
    return b == 0xAD && in_query && i == query_start;   /* PHP-CGI soft hyphen */
}

unsigned mr_raw_class(unsigned char c)
{
    return raw_class[c];
}

void mr_raw_state_init(mr_raw_state *st, bool in_value)
{
    st->in_query = st->equals = in_value;
    st->query_start = in_value ? SIZE_MAX : 0;
    st->segment = SIZE_MAX;
    st->stray = 0;
}

/* The reference loop, one byte at a time; mr_raw_suspect (prefilter.c)
 * answers the same with vectors. in_value: p is one query parameter
 * value, where any '=' counts. */
bool mr_raw_suspect_scalar(const char *p, size_t n, bool in_value)
{
    const unsigned char *s = (const unsigned char *)p;
    mr_raw_state st;
    mr_raw_state_init(&st, in_value);
    for (size_t i = 0; i < n; i++) {
        unsigned cls = raw_class[s[i]];
        if (__builtin_expect(cls == 0, 1))
            continue;
        unsigned next = i + 1 < n ? raw_class[s[i + 1]] : 0;
        if ((cls & RAW_TRIGGER) || ((cls << 1) & next & RAW_SECONDS))
            return true;
        if ((cls & RAW_CONTEXT) && mr_raw_context(p, i, n, &st))
            return true;
    }
    return mr_raw_end(&st, n);
}

bool mr_url_suspect(const mr_literal_set *lits, const char *p, size_t n)
{
    return mr_raw_suspect(p, n, false) || mr_literal_any(lits, p, n);
}


/* SQL words of everyday English ("select comfort pillow", "union jack"):
 * a target whose only literals are these is flagged only when the
 * detailed path finds something in it (words_suspect in detect.c). */
static const char *const target_words[] = {
    "union", "select", "waitfor", "benchmark", "having",
    "order+", "order%", "order/", /* "order by", not the "/orders" of every shop */
};

/* Keywords and names that need no special character (caseless), with
 * target_words. */
static const char *const target_literals[] = {
    "sleep", "extractvalue", "updatexml", "load_file", "xp_", "information_schema",
    "jndi", "passwd", "win.ini", "boot.ini", "etc/", "proc/",
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
    "ognl", "memberaccess", "methodaccessor", "processbuilder", "lang.runtime", "bin/", "cmd",
    "powershell", "dev/tcp",
    "php:", "expect:", "phar:", "zip:", "glob:", "file:", "ftp:",
    /* the strong commands of detect_cmdi.c, for web shells' "?c=uname -a" */
    "whoami", "uname", "ifconfig", "ipconfig", "wget", "curl", "nslookup",
    "netstat", "busybox", "systeminfo", "certutil", "bitsadmin", "mshta",
    "rundll32", "wmic", "ncat", "netcat", "socat", "tftp", "chmod", "chown",
    "crontab", "useradd", "nohup", "xterm", "getent", "lwp-download", "killall",
    "pkill", "xxd", "net1", "tasklist", "sysinfo", "netsh", "localgroup",
    "invoke-", "iwr", "iex", "iwmi", "start-bitstransfer", "regedit", "winget", "bcdboot",
    "dmesg", "adduser", "visudo", "runcon",
    /* Node.js's loader and prototype pollution (TeX's primitives start
     * with '\\', a payload character) */
    "child_process", "prototype", "__proto__", "mainmodule",
    /* cmd.exe's IF tests, whose statements need no special character */
    "errorlevel", "exist+", "exist%20", "defined+", "defined%20",
    /* UTF-7 markup, logs left in the web root */
    "adw-", "debug.log", "errors.log",   /* "adw-": its '+' may be "%2b" */
    /* the system directories of detect_path.c's lfi_targets that no
     * other literal covers, so that an absolute path given as a value
     * reaches the detectors ("?f=/var/spool/cron/root") */
    "var/lib", "var/spool", "var/mail", "var/run", "var/adm", "private/etc", "dev/shm",
    "usr/pkg", "metabase.xml", ".htpasswd", ".htaccess", ".bash_history", "winnt/",
    /* detect_path.c's system trees ("/usr/sbin/x", "c:/windows/repair/sam";
     * "/var/" alone anchors in "/various/"); its dotfiles follow a '/' or
     * a '~', which the class tables send on already */
    "usr/", "var/cache", "var/cron", "var/tmp", "var/db", "var/backups", "var/opt",
    "var/local", "var/qmail", "var/cpanel", "var/saf", "var/lp/", "var/named",
    "c:/", "d:/", "c%3a%2f", "c%3a/", "config.inc",
    /* cmd.exe's administrative subcommands and command lines with an
     * option ("?c=net view", "?cmd=ls -la /") */
    "net+view", "net%20view",
    "ls+-l", "ls%20-l", "ls+-a", "ls%20-a", "ps+-e", "ps%20-e", "ps+-a", "ps%20-a",
    "ping+-", "ping%20-",
    /* hex-spelled separators ("..0x2f"), absolute paths of well-known
     * server files without "../" */
    "0x2e", "0x2f", "0x5c", "var/log", "var/www", "httpd", "php.ini", "my.cnf",
    "inetpub", "global.asa", "boot/grub", "xampp", "lampp", "usr/local",
    "/logs", "error_log", "access_log", "access.log", "error.log", "desktop.ini",
    /* servers' and databases' files (detect_path.c's lfi_targets) */
    ".conf", "my.ini", "tomcat-users", "catalina.", "pg_version", "mysql-bin", "mysql.err",
    "library/webserver", "srv/www", "/tmp/sess_", "pure-ftpd", "proftpd", "sys/class",
    "sys/kernel", "sys/devices",
    /* base64 of "../", "..\\", "<script", "/etc/", "<?php", "php://",
     * "javascript:", "<svg", "<img", "file:", "etc/", "/proc/" at the
     * start of a value */
    "li4v", "li5c", "phnjcmlwd", "l2v0yy", "pd9wah", "cghwoi8v", "amf2yxnjcmlwd",
    "phn2z", "pgltz", "zmlsz", "zxrjl", "l3byb2mv",
    /* Java serialization (base64 and hex), Windows account commands */
    "ro0ab", "aced0005", "net+user", "net%20user",
};

/* Scanner names first (see mr_detect_scanner), then payload marks.
 * ("@@" is a pair of the class tables: literals have 3 bytes or more.) */
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
    "nslookup", "/dev/tcp", "classloader", "ognl",
};

/* Characters a payload in a user agent needs and browsers never send
 * there: quotes, '`', '|', '<', '>', '%', '#', '\', '$', '{', '}', '&'
 * and control bytes, and "@@". ';', '(' and ')' are in every browser's
 * agent. */
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
        ['$'] = 1, ['{'] = 1, ['}'] = 1, ['&'] = 1, ['@'] = 2,
    };
    const unsigned char *s = (const unsigned char *)p;
    for (size_t i = 0; i < n; i++) {
        unsigned m = mark[s[i]];
        if (__builtin_expect(m == 0, 1))
            continue;
        if (m == 1 || (i + 1 < n && s[i + 1] == '@'))
            return true;   /* a payload character, or "@@" */
    }
    return false;
}

bool mr_agent_precheck(const mr_literal_set *lits, const char *p, size_t n)
{
    return mr_agent_suspect(p, n) || mr_literal_any(lits, p, n);
}

bool mr_has_payload_char(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((raw_class[(unsigned char)p[i]] & RAW_TRIGGER) || p[i] == '%')
            return true;
    return false;
}

/* Does p percent-encode a letter or digit, use %u / %25, or hold enough
 * stray '%' for normalization to drop them? No browser does; it hides a
 * literal from the prefilter ("%69nvokefunction", "c%o%n%s%o%l%e.portal"). */
bool mr_encodes_letters(const char *p, size_t n)
{
    unsigned stray = 0;
    const char *pct = n ? memchr(p, '%', n) : NULL;   /* '%' by '%': most bytes are not */
    for (; pct; pct = memchr(pct + 1, '%', n - (size_t)(pct - p) - 1)) {
        size_t i = (size_t)(pct - p);
        if (!mr_escape_at((const unsigned char *)p, i, n) && ++stray >= MR_STRAY_PERCENT_MIN)
            return true;
        if (i + 2 >= n)
            continue;
        if ((p[i + 1] | 0x20) == 'u' || (p[i + 1] == '2' && p[i + 2] == '5'))
            return true;
        int h1 = hex_digit((unsigned char)p[i + 1]), h2 = hex_digit((unsigned char)p[i + 2]);
        if (h1 >= 0 && h2 >= 0 && mr_is_alnum((unsigned char)(h1 << 4 | h2)))
            return true;
    }
    return false;
}


mr_literal_set *mr_target_literals_new(void)
{
    const char *all[MR_ARRAY_LEN(target_literals) + MR_ARRAY_LEN(target_words)];
    memcpy(all, target_words, sizeof target_words);
    memcpy(all + MR_ARRAY_LEN(target_words), target_literals, sizeof target_literals);
    return mr_literal_set_new(all, MR_ARRAY_LEN(all));
}

mr_literal_set *mr_target_strong_new(void)
{
    return mr_literal_set_new(target_literals, MR_ARRAY_LEN(target_literals));
}

mr_literal_set *mr_agent_literals_new(void)
{
    return mr_literal_set_new(agent_literals, MR_ARRAY_LEN(agent_literals));
}
