/*
 * detect_cmdi.c — OS command injection: a shell command separator (';',
 * newline, '|', '&', '&&', '||', backquote, "$(", brace expansion)
 * followed by a command the shell would run. The value is first seen as
 * a shell sees it: quotes and backslashes inside words dropped (w'h'oami),
 * $IFS / ${IFS} as spaces, $@ and $* as nothing.
 *
 * English words that are also commands ("cat", "type", "sleep", "id")
 * count only after a strong separator (';', newline, backquote, "$(",
 * "&&", "||") or with shell-looking arguments, so "dog & cat toys" and
 * "fields=name|id" stay benign while ";id" and "| cat /etc/passwd" fire.
 */
#include "common.h"

#include "logscan/detect_rules.h"

#define MR_CMDI_VIEW_MAX 1024   /* bytes of a value seen through the shell */
#define MR_CMDI_WORD_MAX 32

/* Commands no benign text puts after a separator. */
static const char *const strong_commands[] = {
    "whoami", "uname", "ifconfig", "ipconfig", "wget", "curl", "nslookup",
    "netstat", "powershell", "busybox", "systeminfo", "certutil", "bitsadmin",
    "mshta", "rundll32", "wmic", "ncat", "netcat", "socat", "tftp", "chmod",
    "chown", "crontab", "useradd", "nohup", "xterm", "getent", "lwp-download",
    "killall", "pkill", "xxd", "net1", "tasklist",
};

/* Commands that are also everyday words. */
static const char *const weak_commands[] = {
    "id", "cat", "ls", "pwd", "ps", "env", "echo", "printf", "dir", "type",
    "ver", "set", "net", "rm", "cp", "mv", "touch", "kill", "head", "tail",
    "more", "less", "find", "sort", "awk", "sed", "expr", "test", "dig",
    "host", "who", "w", "uptime", "reboot", "shutdown", "exit", "timeout",
    "tar", "gzip", "mkdir", "sudo", "su", "sleep", "ping", "whoami", "eval",
    "exec", "start", "del", "copy", "nl", "tac", "rev", "grep", "wc", "bash",
    "sh", "zsh", "ksh", "dash", "csh", "python", "python2", "python3", "perl",
    "php", "ruby", "nc", "telnet", "base64", "hostname", "cmd", "nmap", "od",
};

/* Fragments that only a shell payload contains. */
static const char *const shell_fragments[] = {
    "/bin/sh", "/bin/bash", "/dev/tcp/", "/dev/udp/", "bash -i", "nc -e",
    "cmd /c", "cmd.exe /c", "powershell -", "/bin/busybox", "sh -c",
};

static bool in_list(const char *w, size_t n, const char *const *list, size_t count)
{
    for (size_t k = 0; k < count; k++)
        if (strlen(list[k]) == n && memcmp(list[k], w, n) == 0)
            return true;
    return false;
}

/* The value as the shell sees it; map[] gives each byte's source index. */
static size_t shell_view(const char *s, size_t n, char *out, uint16_t *map)
{
    size_t w = 0;
    bool brace = false;
    for (size_t i = 0; i < n && w < MR_CMDI_VIEW_MAX; i++) {
        char c = s[i];
        if (c == '$' && i + 1 < n) {
            if (mr_find(s + i, n - i, "${ifs}") == 0 || mr_find(s + i, n - i, "$ifs") == 0) {
                out[w] = ' ';
                map[w++] = (uint16_t)i;
                i += s[i + 1] == '{' ? 5 : 3;
                if (i + 2 < n && s[i + 1] == '$' && mr_is_digit((unsigned char)s[i + 2]))
                    i += 2;
                continue;
            }
            if (s[i + 1] == '@' || s[i + 1] == '*') {
                i++;
                continue;
            }
        }
        if (c == '\'' || c == '"' || c == '\\')
            continue;
        if (c == '{')
            brace = true;
        if (c == ',' && brace)
            c = ' ';
        out[w] = c;
        map[w++] = (uint16_t)MR_MIN(i, (size_t)UINT16_MAX);
    }
    return w;
}

static bool word_end(const char *v, size_t n, size_t i)
{
    if (i >= n)
        return true;
    char c = v[i];
    return c == ' ' || c == ';' || c == '|' || c == '&' || c == '`' || c == ')' ||
           c == '<' || c == '>' || c == '$' || c == '#' || c == '\n' || c == '\r' ||
           c == '\t' || c == '}' || c == '\0';
}

/* Arguments a shell command takes: a path, an option, a number, $... */
static bool shell_argument(const char *v, size_t n, size_t i)
{
    if (i >= n || (v[i] != ' ' && v[i] != '\t'))
        return false;
    while (i < n && (v[i] == ' ' || v[i] == '\t'))
        i++;
    if (i + 1 < n && mr_is_alpha((unsigned char)v[i]) && v[i + 1] == ':')
        return true;   /* a drive: c:\ */
    /* a substitution inside the word: "echo QWERTY$((12+34))" */
    for (size_t j = i; j + 1 < n && v[j] != ' ' && v[j] != '\t' && v[j] != ';' &&
                       v[j] != '|' && v[j] != '&'; j++)
        if ((v[j] == '$' && v[j + 1] == '(') || v[j] == '`')
            return true;
    return i < n && (v[i] == '/' || v[i] == '-' || mr_is_digit((unsigned char)v[i]) ||
                     v[i] == '$' || v[i] == '.' || v[i] == '~' || v[i] == '>');
}

/* A command after the separator ending at v[i]; strong = separator kind. */
static bool command_at(const char *v, size_t n, size_t i, bool strong, bool lead_ok)
{
    while (i < n && (v[i] == ' ' || v[i] == '\t'))
        i++;
    size_t start = i;
    while (i < n && (mr_is_alnum((unsigned char)v[i]) || v[i] == '_' || v[i] == '-' ||
                     v[i] == '.' || v[i] == '/') && i - start < 64)
        i++;
    if (i == start || !word_end(v, n, i))
        return false;
    size_t base = start;
    for (size_t k = start; k < i; k++)
        if (v[k] == '/')
            base = k + 1;
    size_t len = i - base;
    if (len == 0 || len > MR_CMDI_WORD_MAX)
        return false;
    if (len > 4 && memcmp(v + i - 4, ".exe", 4) == 0)
        len -= 4;
    if (in_list(v + base, len, strong_commands, MR_ARRAY_LEN(strong_commands)))
        return true;
    if (!in_list(v + base, len, weak_commands, MR_ARRAY_LEN(weak_commands)))
        return false;
    return strong || lead_ok || base > start || shell_argument(v, n, i);
}

/* A web shell's parameter: the whole value is a command no benign text
 * starts with, and it takes shell-looking arguments ("uname -a",
 * "whoami /all"); "curl cream" stays benign. */
static bool webshell_command(const char *v, size_t n)
{
    size_t i = 0;
    while (i < n && (mr_is_alnum((unsigned char)v[i]) || v[i] == '_' || v[i] == '-') && i < 64)
        i++;
    return i > 0 && in_list(v, i, strong_commands, MR_ARRAY_LEN(strong_commands)) &&
           shell_argument(v, n, i);
}

bool mr_detect_cmdi(const char *s, size_t n, mr_match *m)
{
    char v[MR_CMDI_VIEW_MAX];
    uint16_t map[MR_CMDI_VIEW_MAX];
    size_t vn = shell_view(s, n, v, map);
    if (webshell_command(v, vn)) {
        m->rule = "webshell-command";
        m->off = 0;
        return true;
    }
    for (size_t i = 0; i < vn; i++) {
        char c = v[i];
        size_t next = i + 1;
        bool strong;
        if (c == ';' || c == '\n' || c == '`' || c == '{') {
            strong = true;
        } else if (c == '$' && i + 1 < vn && v[i + 1] == '(') {
            strong = true;
            next = i + 2;
        } else if ((c == '&' || c == '|') && i + 1 < vn && v[i + 1] == c) {
            strong = true;
            next = i + 2;
        } else if (c == '&' || c == '|') {
            strong = false;
        } else {
            continue;
        }
        /* "127.0.0.1 |id", "|id", "x'|id": the separator right after
         * an address, at the start, or after a closing quote */
        size_t p = i;
        while (p > 0 && v[p - 1] == ' ')
            p--;
        size_t src = map[i];
        bool lead_ok = (i == 0 && next < vn && v[next] != ' ') ||
                       (p > 0 && mr_is_digit((unsigned char)v[p - 1])) ||
                       (src > 0 && (s[src - 1] == '\'' || s[src - 1] == '"'));
        if (command_at(v, vn, next, strong, lead_ok)) {
            m->rule = strong ? "command-separator" : "command-pipe";
            m->off = map[i];
            return true;
        }
    }
    if (!memchr(v, '/', vn) && !memchr(v, ' ', vn))
        return false;   /* every fragment below has one */
    for (size_t k = 0; k < MR_ARRAY_LEN(shell_fragments); k++) {
        long at = mr_find(v, vn, shell_fragments[k]);
        if (at >= 0) {
            m->rule = "shell-invocation";
            m->off = map[at];
            return true;
        }
    }
    return false;
}
