/*
 * detect_cmdi.c — OS command injection: a shell command separator (';',
 * newline, '|', '&', '&&', '||', backquote, "$(", brace expansion)
 * followed by a command the shell would run. The value is first seen as
 * a shell sees it: quotes and backslashes inside words dropped (w'h'oami),
 * $IFS / ${IFS} as spaces, $@ and $* as nothing, and so the special
 * parameters and one-letter variables put inside a word (c$?at, cat$u);
 * a path spelled with wildcards ('?' for each letter of /bin/cat, '*'
 * for the end of /etc) is matched against the commands and files
 * payloads name.
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
#define MR_CMDI_ASSIGN_SCAN_MAX 128   /* bytes before a "$name" searched for "name=" */
#define MR_CMDI_NAME_MAX 32      /* a parameter name read as a shell variable */
#define MR_CMDI_SPLIT_MAX 1024   /* bytes of "name=value" seen whole */

/* Commands no benign text puts after a separator. */
static const char *const strong_commands[] = {
    "whoami", "uname", "ifconfig", "ipconfig", "wget", "curl", "nslookup",
    "netstat", "powershell", "busybox", "systeminfo", "certutil", "bitsadmin",
    "mshta", "rundll32", "wmic", "ncat", "netcat", "socat", "tftp", "chmod",
    "chown", "crontab", "useradd", "nohup", "xterm", "getent", "lwp-download",
    "killall", "pkill", "xxd", "net1", "tasklist", "sysinfo", "netsh",
    "nc.traditional", "msfconsole", "meterpreter",
    /* PowerShell's cmdlets that fetch or run code (their short aliases
     * are admin_at's: "iex" is also a stock exchange) */
    "invoke-webrequest", "invoke-restmethod", "invoke-expression", "invoke-wmimethod",
    "invoke-command", "start-bitstransfer",
    /* system tools no prose names after a separator */
    "regedit", "winget", "bcdboot", "dmesg", "adduser", "visudo", "runcon",
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

/* Weak commands that are no everyday word: one of them right after a
 * separator at the start of a value is a payload ("| id", "& dir"),
 * where "& more" and "| type" are text. */
static const char *const unix_words[] = {
    "id", "ls", "pwd", "ps", "env", "dir", "awk", "sed", "nl", "tac", "wc",
    "sh", "bash", "zsh", "ksh", "nc", "od", "rm", "cp", "mv", "dig", "grep",
    "sudo", "su", "uptime", "nmap", "base64", "hostname", "telnet", "python",
    "python2", "python3", "perl", "php", "ruby", "del", "cmd", "expr",
};

/* Of the unix words, those no list, language or country code spells
 * ("lang=de|nl", "fields=ip|hostname", "enc=hex|base64", "sed|awk" are
 * lists): one of them piped to from a word and ending the command is a
 * payload ("foo|ls", "x&pwd"). */
static const char *const pipe_only_words[] = {
    "ls", "pwd", "wc", "nc", "tac", "sudo", "nmap", "telnet",
};

/* Fragments that only a shell payload contains. */
static const char *const shell_fragments[] = {
    "/bin/sh -", "/bin/bash -", "/dev/tcp/", "/dev/udp/", "bash -i",
    "cmd /c", "cmd.exe /c", "powershell -", "/bin/busybox", "sh -c",
    ":(){ ", "(){ :|:", " goto ", "@echo off", "%~dp0", "%comspec%",
};

bool mr_word_in_list(const char *w, size_t n, const char *const *list, size_t count)
{
    /* the first byte first: most words are no command, and this runs
     * for every word after a separator */
    for (size_t k = 0; k < count; k++)
        if (n > 0 && list[k][0] == w[0] && strlen(list[k]) == n && memcmp(list[k], w, n) == 0)
            return true;
    return false;
}

#define MR_CMDI_SPLITS_MAX 8   /* split words remembered per value */

/* Where the shell view joined a word that the value had split with
 * something the shell removes: a quote ('wh'oami, "w"get) or an empty
 * substitution (pi``ng, ping$(), pi<()ng). No one writes those inside a
 * word, except names like O'Keefe's, which the joined word tells apart. */
typedef struct split_words {
    size_t at[MR_CMDI_SPLITS_MAX];   /* view indexes */
    bool quote[MR_CMDI_SPLITS_MAX];  /* split by a quote, not a substitution */
    size_t count;
} split_words;

static void note_split(split_words *sp, const char *out, size_t w, const char *s, size_t n,
                       size_t next, bool quote)
{
    if (sp->count < MR_CMDI_SPLITS_MAX && w > 0 && mr_is_alnum((unsigned char)out[w - 1]) &&
        next < n && mr_is_alnum((unsigned char)s[next])) {
        sp->quote[sp->count] = quote;
        sp->at[sp->count++] = w;
    }
}

bool mr_cmdi_is_command(const char *w, size_t n)
{
    return mr_word_in_list(w, n, strong_commands, MR_ARRAY_LEN(strong_commands)) ||
           mr_word_in_list(w, n, weak_commands, MR_ARRAY_LEN(weak_commands));
}

/* Does the "``" at s[i] close RST's inline literal ("use ``ls`` to",
 * "``make touch`` with"): was one opened before it? */
static bool closes_code_span(const char *s, size_t i)
{
    return s[i] == '`' && i >= 2 && memmem(s, i, "``", 2) != NULL;
}

/* The value as the shell sees it; map[] gives each byte's source index. */
static size_t shell_view(const char *s, size_t n, char *out, uint16_t *map, bool *ifs,
                         split_words *sp)
{
    *ifs = false;
    sp->count = 0;
    size_t w = 0;
    bool brace = false;
    /* a value with no blank but a '+' meant one: sent encoded as %2B
     * where the application decodes the form twice (sqlmap's
     * space2plus, a scanner's "c$@at+/etc/passwd") */
    bool plus_blank = memchr(s, '+', n) && !memchr(s, ' ', n);
    for (size_t i = 0; i < n && w < MR_CMDI_VIEW_MAX; i++) {
        char c = s[i];
        /* an empty substitution: "``", "$()", "<()", ">()" */
        size_t empty = c == '`' && i + 1 < n && s[i + 1] == '`' ? 2
                       : (c == '$' || c == '<' || c == '>') && i + 2 < n && s[i + 1] == '(' &&
                                 s[i + 2] == ')' ? 3 : 0;
        if (empty && w > 0 && mr_is_alnum((unsigned char)out[w - 1]) && i + empty < n &&
            mr_is_alnum((unsigned char)s[i + empty])) {
            /* inside a word only: RST's ``code`` closes after one */
            note_split(sp, out, w, s, n, i + empty, false);
            i += empty - 1;
            continue;
        }
        if (empty && w > 0 && mr_is_alnum((unsigned char)out[w - 1]) &&
            (i + empty == n || s[i + empty] == ' ') && !closes_code_span(s, i) &&
            sp->count < MR_CMDI_SPLITS_MAX) {
            /* ... or ending a word: "ping`` 10.0.0.1", "cat$() /etc/hosts"
             * ("use ``ls`` to" is RST) */
            sp->quote[sp->count] = false;
            sp->at[sp->count++] = w;
            i += empty - 1;
            continue;
        }
        if (c == '$' && i + 1 < n) {
            if (mr_find(s + i, n - i, "${ifs}") == 0 || mr_find(s + i, n - i, "$ifs") == 0) {
                *ifs = true;   /* only a shell payload spells a blank so */
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
            /* inside a word, a special parameter or a one-letter
             * variable splits the word for a filter and adds nothing
             * the command needs: "c$?at /et$!c/pas$_swd", "cat$u" */
            bool in_word = i > 0 && (mr_is_alnum((unsigned char)s[i - 1]) || s[i - 1] == '/');
            unsigned char v1 = (unsigned char)s[i + 1];
            if (in_word && (strchr("!?-_$#", v1) != NULL || mr_is_digit(v1) ||
                            (mr_is_alpha(v1) && (i + 2 >= n ||
                                                 !mr_is_alnum((unsigned char)s[i + 2]))))) {
                i++;
                continue;
            }
        }
        if (c == '\\' && i + 1 < n && (s[i + 1] == 'n' || s[i + 1] == 'r' || s[i + 1] == 't')) {
            /* a literal "\n" that an echo -e, a printf or a log line's
             * reader turns into the separator */
            out[w] = s[i + 1] == 't' ? ' ' : '\n';
            map[w++] = (uint16_t)MR_MIN(i, (size_t)UINT16_MAX);
            i++;
            continue;
        }
        if (c == '\'' || c == '"' || c == '\\') {
            if (c != '\\')
                note_split(sp, out, w, s, n, i + 1, true);
            continue;
        }
        if (c == '\v' || c == '\f' || (c == '+' && plus_blank))
            c = ' ';   /* escaped blanks that split words as well as a space */
        if (c == '{')
            brace = true;
        if (c == ',' && brace)
            c = ' ';
        out[w] = c;
        map[w++] = (uint16_t)MR_MIN(i, (size_t)UINT16_MAX);
    }
    return w;
}

bool mr_cmdi_word_end(const char *v, size_t n, size_t i)
{
    if (i >= n)
        return true;
    char c = v[i];
    return c == ' ' || c == ';' || c == '|' || c == '&' || c == '`' || c == ')' ||
           c == '<' || c == '>' || c == '$' || c == '#' || c == '\n' || c == '\r' ||
           c == '\t' || c == '}' || c == '\0';
}

/* cmd.exe's "%name%" at v[i] starting a path: "%systemroot%\\repair",
 * "%windir%/win.ini" ("type %appdata% in the run box" is a how-to) */
static bool windows_variable_at(const char *v, size_t n, size_t i)
{
    if (i + 2 >= n || v[i] != '%' || !mr_is_alpha((unsigned char)v[i + 1]))
        return false;
    size_t e = i + 1;
    while (e < n && e - i <= MR_CMDI_WORD_MAX && (mr_is_alnum((unsigned char)v[e]) || v[e] == '_'))
        e++;
    if (e - i - 1 < 4)
        return false;   /* names are words (windir, temp, appdata): not "%s%d" */
    /* (shell_view has dropped the backslash, "%windir%system32", or read
     * "\\r" as a newline, "%systemroot%\\repair") */
    return e + 1 < n && v[e] == '%' &&
           (v[e + 1] == '\\' || v[e + 1] == '/' || v[e + 1] == '\n' ||
            mr_is_alnum((unsigned char)v[e + 1]));
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
    if (windows_variable_at(v, n, i))
        return true;   /* "type %systemroot%\repair\sam" */
    /* a substitution inside the word: "echo QWERTY$((12+34))" */
    for (size_t j = i; j + 1 < n && v[j] != ' ' && v[j] != '\t' && v[j] != ';' &&
                       v[j] != '|' && v[j] != '&'; j++)
        if ((v[j] == '$' && v[j + 1] == '(') || v[j] == '`')
            return true;
    if (i < n && (v[i] == '/' || v[i] == '-' || mr_is_digit((unsigned char)v[i]) ||
                  v[i] == '$' || v[i] == '.' || v[i] == '~' || v[i] == '>' || v[i] == '<'))
        return true;
    /* a redirection later in the command: echo "<?php ...?>" > x.php */
    for (size_t j = i; j + 2 < n && v[j] != ';' && v[j] != '|' && v[j] != '&' && v[j] != '\n'; j++)
        if (v[j] == ' ' && v[j + 1] == '>' && (v[j + 2] == ' ' || v[j + 2] == '>'))
            return true;
    return false;
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
    if (i == start || !mr_cmdi_word_end(v, n, i))
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
    if (mr_word_in_list(v + base, len, strong_commands, MR_ARRAY_LEN(strong_commands)))
        return true;
    if (!mr_word_in_list(v + base, len, weak_commands, MR_ARRAY_LEN(weak_commands)))
        return false;
    if (base > start || shell_argument(v, n, i))
        return true;
    /* a bare command after the separator: one that is no English word
     * (";id", "| pwd"); "hello; test" and "semicolons; and; more" are prose */
    return (strong || lead_ok) && mr_word_in_list(v + base, len, unix_words, MR_ARRAY_LEN(unix_words));
}

/* A single '|' or '&' glued between a word and a command, the form an
 * injection takes when the application puts its own word before the
 * value ("a|id", "/index.html|id|", "foo|ls"): v[i] is the separator,
 * the command starts at v[i + 1]. A list of names ("fields=name|id",
 * "{de|nl}", "(control|watch)") has the same shape, so the command must
 * end the value or be followed by a separator, an argument or a
 * comment, and a command that is also a field name or a code (id, dir,
 * env, the interpreters) counts only after a one-character word, a path,
 * or with a separator closing the value ("a|id|"). */
static bool glued_pipe(const char *v, size_t n, size_t i)
{
    if (i == 0 || i + 1 >= n || v[i - 1] == ' ' || v[i - 1] == '|' || v[i - 1] == '&' ||
        v[i + 1] == ' ')
        return false;
    size_t start = i + 1, e = start;
    while (e < n && mr_is_alnum((unsigned char)v[e]) && e - start < MR_CMDI_WORD_MAX)
        e++;
    if (e == start || !mr_word_in_list(v + start, e - start, unix_words, MR_ARRAY_LEN(unix_words)))
        return false;
    bool closing = e + 1 == n && v[e] != '\0' && strchr("|;&#`", v[e]) != NULL;
    if (e < n && !closing && !shell_argument(v, n, e) && !(v[e] == ';' || v[e] == '#'))
        return false;
    if (mr_word_in_list(v + start, e - start, pipe_only_words, MR_ARRAY_LEN(pipe_only_words)))
        return true;
    /* the word before the separator */
    size_t b = i;
    bool file = false;
    while (b > 0 && v[b - 1] != ' ' && v[b - 1] != ';' && v[b - 1] != '|' &&
           v[b - 1] != '(' && v[b - 1] != '{' && v[b - 1] != '=' && v[b - 1] != ',') {
        b--;
        file = file || v[b] == '/';   /* "user.name|id" is a field list */
    }
    return closing || file || i - b == 1;
}

/* "$NAME" or "${NAME}" at v[i] (after blanks), run as a command, where
 * the value assigned NAME before ("CMD=$'id';$CMD"): the command hides
 * in a string the shell stores, then runs. */
static bool assigned_variable_at(const char *v, size_t n, size_t i)
{
    while (i < n && v[i] == ' ')
        i++;
    if (i + 1 >= n || v[i] != '$')
        return false;
    size_t a = i + 1 + (v[i + 1] == '{'), e = a;
    while (e < n && e - a < MR_CMDI_WORD_MAX && (mr_is_alnum((unsigned char)v[e]) || v[e] == '_'))
        e++;
    if (e == a || !mr_cmdi_word_end(v, n, e + (v[i + 1] == '{' && e < n && v[e] == '}')))
        return false;
    /* the shell assigns without '$' ("$total=0; $total" is PHP or Perl) */
    size_t from = i > MR_CMDI_ASSIGN_SCAN_MAX ? i - MR_CMDI_ASSIGN_SCAN_MAX : 0;
    for (size_t k = from; k + (e - a) < i; k++)
        if ((k == 0 || !(mr_is_alnum((unsigned char)v[k - 1]) || v[k - 1] == '$' ||
                         v[k - 1] == '_')) &&
            memcmp(v + k, v + a, e - a) == 0 && v[k + (e - a)] == '=')
            return true;
    return false;
}

/* Any listed command, weak or strong, as a whole word at v[i]: what
 * "$(" runs is a command whatever it is called ("$(printf 'id')"). */
static bool any_command_at(const char *v, size_t n, size_t i)
{
    while (i < n && v[i] == ' ')
        i++;
    size_t start = i;
    while (i < n && (mr_is_alnum((unsigned char)v[i]) || v[i] == '_' || v[i] == '-' ||
                     v[i] == '/' || v[i] == '.') && i - start < 64)
        i++;
    if (i == start || !mr_cmdi_word_end(v, n, i))
        return false;
    size_t base = start;
    for (size_t k = start; k < i; k++)
        if (v[k] == '/')
            base = k + 1;
    return mr_word_in_list(v + base, i - base, strong_commands, MR_ARRAY_LEN(strong_commands)) ||
           mr_word_in_list(v + base, i - base, weak_commands, MR_ARRAY_LEN(weak_commands));
}

/* A web shell's parameter: the whole value is a command no benign text
 * starts with, and it takes shell-looking arguments ("uname -a",
 * "whoami /all"); "curl cream" stays benign. */
static bool webshell_command(const char *v, size_t n)
{
    size_t i = 0;
    while (i < n && (mr_is_alnum((unsigned char)v[i]) || v[i] == '_' || v[i] == '-') && i < 64)
        i++;
    return i > 0 && mr_word_in_list(v, i, strong_commands, MR_ARRAY_LEN(strong_commands)) &&
           shell_argument(v, n, i);
}

/* Windows and network subcommands that make "net", "reg" and "sc" a
 * command line rather than a word. */
static const char *const admin_subcommands[] = {
    "net user", "net view", "net localgroup", "net group", "net share", "net use",
    "net start", "net stop", "net session", "net config", "net accounts",
    "reg add", "reg query", "reg delete", "reg save", "reg export", "sc create",
    "sc config", "sc query", "schtasks /", "vssadmin ", "wevtutil ", "icacls ",
    "attrib ", "taskkill /", "cmd /c", "cmd.exe", "start /b", "netsh ",
    "perl -e", "python -c", "python3 -c", "php -r", "ruby -e", "node -e",
    "bash -c", "sh -c", "iwr http", "iwr -", "iex (", "iex $", "iwmi -", "dd if=",
};

/* An administrative subcommand or interpreter one-liner at v[i]. */
static bool admin_at(const char *v, size_t n, size_t i)
{
    while (i < n && (v[i] == ' ' || v[i] == '\t'))
        i++;
    /* the entries' first words, before any search */
    static const char *const first_words[] = {
        "net", "reg", "sc", "schtasks", "vssadmin", "wevtutil", "icacls", "attrib",
        "taskkill", "cmd", "cmd.exe", "start", "netsh", "perl", "python", "python3",
        "php", "ruby", "node", "bash", "sh", "iwr", "iex", "iwmi", "dd",
    };
    size_t e = i;
    while (e < n && e - i < 16 && (mr_is_alnum((unsigned char)v[e]) || v[e] == '.'))
        e++;
    if (e == i || e >= n || (v[e] != ' ' && v[e] != '\t') ||
        !mr_word_in_list(v + i, e - i, first_words, MR_ARRAY_LEN(first_words)))
        return false;
    for (size_t k = 0; k < MR_ARRAY_LEN(admin_subcommands); k++)
        if (mr_find(v + i, MR_MIN(n - i, (size_t)32), admin_subcommands[k]) == 0)
            return true;
    return false;
}


/* The whole value is a command line: an everyday-word command with an
 * option, a path or a drive ("ls -la /tmp", "cat /etc/passwd",
 * "dir c:\\users"), or an administrative subcommand ("net user x /add").
 * A number alone is not enough ("type 2 diabetes", "sleep 8 hours"), and
 * a command alone is a word someone searched for ("whoami"). */
static bool command_line(const char *v, size_t n)
{
    size_t i = 0;
    while (i < n && (v[i] == ' ' || v[i] == '\n' || v[i] == '\r' || v[i] == '\t' ||
                     (i == 0 && (v[i] == '<' || v[i] == '^'))))
        i++;
    if (admin_at(v, n, i))
        return true;
    size_t start = i;
    while (i < n && (mr_is_alnum((unsigned char)v[i]) || v[i] == '_' || v[i] == '-') && i - start < 64)
        i++;
    size_t e = i;
    while (e < n && (v[e] == ' ' || v[e] == '\t' || v[e] == '\n'))
        e++;
    if (i == start || e >= n || (v[i] != ' ' && v[i] != '\t'))
        return false;
    if (!mr_word_in_list(v + start, i - start, weak_commands, MR_ARRAY_LEN(weak_commands)) &&
        !mr_word_in_list(v + start, i - start, strong_commands, MR_ARRAY_LEN(strong_commands)))
        return false;
    size_t a = i;
    while (a < n && (v[a] == ' ' || v[a] == '\t'))
        a++;
    if (a >= n)
        return false;
    if ((a + 1 < n && mr_is_alpha((unsigned char)v[a]) && v[a + 1] == ':') ||
        windows_variable_at(v, n, a))
        return true;   /* a drive, or a variable naming one */
    if (mr_word_in_list(v + start, i - start, strong_commands, MR_ARRAY_LEN(strong_commands)) &&
        (mr_find(v + a, n - a, "http") == 0 || mr_find(v + a, n - a, "ftp:") == 0))
        return true;   /* "curl https://...", "wget http://..." */
    if (v[a] == '-' && a + 1 < n && mr_is_alpha((unsigned char)v[a + 1])) {
        /* an option, then nothing, a path, a number or another option:
         * "ls -la /", "nc -lvvp 4444 -e /bin/sh" — not "ls -la meaning" */
        size_t b = a + 1;
        while (b < n && mr_is_alnum((unsigned char)v[b]))
            b++;
        while (b < n && v[b] == ' ')
            b++;
        return b >= n || v[b] == '/' || v[b] == '-' || v[b] == '~' || v[b] == '.' ||
               v[b] == '*' || mr_is_digit((unsigned char)v[b]);
    }
    if (v[a] == '/' && a + 1 < n && (mr_is_alpha((unsigned char)v[a + 1]) || v[a + 1] == '.')) {
        /* an absolute path of more than one segment: "cat /etc/passwd",
         * "ls /var/www" — "cd /" and "8 / 2" are no payload */
        size_t z = a;
        while (z < n && v[z] != ' ' && v[z] != '\t')
            z++;
        if (!memchr(v + a + 1, '/', z - a - 1) && v[z - 1] != '*')
            return false;
        /* then nothing, or shell-looking words: not "set /var/run/x to
         * mode 0700 unless..." */
        while (z < n && (v[z] == ' ' || v[z] == '\t'))
            z++;
        return z >= n || (v[z] != '\0' && strchr("/-|;&>`$*.~", v[z]) != NULL);
    }
    return false;
}

/* A server-side include directive: <!--#exec cmd=...-->, #include... */
static long ssi_at(const char *s, size_t n)
{
    static const char *const directives[] = {"exec", "include", "echo", "printenv",
                                             "config", "set", "fsize", "flastmod"};
    for (long at = mr_find(s, n, "<!--#"); at >= 0;) {
        size_t i = (size_t)at + 5;
        for (size_t k = 0; k < MR_ARRAY_LEN(directives); k++) {
            size_t len = strlen(directives[k]);
            if (i + len < n && memcmp(s + i, directives[k], len) == 0 &&
                (s[i + len] == ' ' || s[i + len] == '\t'))
                return at;
        }
        long next = mr_find(s + i, n - i, "<!--#");
        at = next < 0 ? -1 : (long)i + next;
    }
    return -1;
}

/* A call that hands its string to a shell: system('id'),
 * exec("cat /etc/passwd"), os.popen('ls'), Runtime.exec("..."). The
 * string must start with a command. */
static long exec_call(const char *v, size_t n)
{
    static const char *const calls[] = {
        "system", "exec", "passthru", "shell_exec", "popen", "proc_open",
        "pcntl_exec", "eval", "os.system", "os.popen", "subprocess.call",
        "subprocess.popen", "subprocess.run", "check_output", "execsync",
        "spawn", "execfile",
    };
    /* at each '(', the name called */
    for (const char *p = memchr(v, '(', n); p; p = memchr(p + 1, '(', n - (size_t)(p + 1 - v))) {
        size_t end = (size_t)(p - v), start = end;
        while (start > 0 && end - start < 24 &&
               (mr_is_alnum((unsigned char)v[start - 1]) || v[start - 1] == '_' || v[start - 1] == '.'))
            start--;
        if (start < end && mr_word_in_list(v + start, end - start, calls, MR_ARRAY_LEN(calls)) &&
            any_command_at(v, n, end + 1))
            return (long)start;
        if (p + 1 >= v + n)
            break;
    }
    return -1;
}

/* A command named by its absolute path anywhere in the value, with an
 * argument or at the end: "/bin/cat /etc/passwd", "|/usr/bin/id". */
static long binary_path(const char *v, size_t n)
{
    static const char *const dirs[] = {"/bin/", "/usr/bin/", "/sbin/", "/usr/sbin/",
                                       "/usr/local/bin/"};
    if (mr_find(v, n, "bin/") < 0)
        return -1;
    for (size_t k = 0; k < MR_ARRAY_LEN(dirs); k++) {
        long at = mr_find(v, n, dirs[k]);
        if (at < 0)
            continue;
        /* at the start, or after a separator or quote: "|/usr/bin/id",
         * "'/bin/cat /etc/passwd'", not "use /bin/bash to work around" */
        size_t b = (size_t)at;
        while (b > 0 && v[b - 1] == ' ')
            b--;
        if (b > 0 && (v[b - 1] == '\0' || !strchr(";|&`(\n'\"$", v[b - 1])))
            continue;
        size_t i = (size_t)at + strlen(dirs[k]);
        size_t start = i;
        while (i < n && (mr_is_alnum((unsigned char)v[i]) || v[i] == '_' || v[i] == '-'))
            i++;
        if (i == start || !mr_cmdi_word_end(v, n, i))
            continue;
        if (mr_word_in_list(v + start, i - start, strong_commands, MR_ARRAY_LEN(strong_commands)) ||
            mr_word_in_list(v + start, i - start, weak_commands, MR_ARRAY_LEN(weak_commands)))
            return at;
    }
    return -1;
}

/* Is the word of the view around index p (split_words place k) a
 * command, split by what only an evasion writes: an empty substitution
 * (pi``ng, una$()me), or quotes inside a word of three letters or more
 * ('wh'oami, c"a"t) with two quotes or more from the word's first
 * letter to its last, the one right before it included? One apostrophe
 * is English ("I'd", "(I'd say)"), and a quoted "id" is too short to
 * tell from one. */
static bool split_command(const char *v, size_t n, const char *s, const uint16_t *map,
                          const split_words *sp, size_t k)
{
    size_t a = sp->at[k], e = sp->at[k];
    while (a > 0 && (mr_is_alnum((unsigned char)v[a - 1]) || v[a - 1] == '_' || v[a - 1] == '-'))
        a--;
    while (e < n && (mr_is_alnum((unsigned char)v[e]) || v[e] == '_' || v[e] == '-'))
        e++;
    if (e == a || e - a > MR_CMDI_WORD_MAX || !mr_cmdi_is_command(v + a, e - a))
        return false;
    if (!sp->quote[k])
        return true;
    if (e - a < 3)
        return false;
    size_t from = map[a] > 0 && (s[map[a] - 1] == '\'' || s[map[a] - 1] == '"') ? map[a] - 1u
                                                                                : map[a];
    unsigned quotes = 0;
    for (size_t j = from; j <= map[e - 1]; j++)
        quotes += s[j] == '\'' || s[j] == '"';
    return quotes >= 2;
}

/* Forms read in the decoded value itself (quotes and '%' kept), each
 * returning where it starts or -1. */
static const struct {
    const char *rule;
    long (*find)(const char *s, size_t n);
} value_forms[] = {
    {"shell-evasion", mr_shell_brace_at},
    {"smtp-command", mr_smtp_verb_at},
    {"server-side-include", ssi_at},
    {"batch-syntax", mr_batch_syntax_at},
};

bool mr_detect_cmdi(const char *s, size_t n, mr_match *m)
{
    char v[MR_CMDI_VIEW_MAX];
    uint16_t map[MR_CMDI_VIEW_MAX];
    bool ifs;
    split_words sp;
    size_t vn = shell_view(s, n, v, map, &ifs, &sp);
    if (webshell_command(v, vn) || command_line(v, vn)) {
        m->rule = "webshell-command";
        m->off = 0;
        return true;
    }
    for (size_t k = 0; k < sp.count; k++) {
        if (split_command(v, vn, s, map, &sp, k)) {
            m->rule = "shell-evasion";
            m->off = map[MR_MIN(sp.at[k], vn - 1)];
            return true;
        }
    }
    for (size_t k = 0; k < MR_ARRAY_LEN(value_forms); k++) {
        long found = value_forms[k].find(s, n);
        if (found >= 0) {
            m->rule = value_forms[k].rule;
            m->off = (size_t)found;
            return true;
        }
    }
    long at;
    if ((at = exec_call(v, vn)) >= 0 || (memchr(v, '/', vn) && (at = binary_path(v, vn)) >= 0)) {
        m->rule = "exec-call";
        m->off = map[at];
        return true;
    }
    if (memchr(v, '/', vn) && (memchr(v, '?', vn) || memchr(v, '*', vn)) &&
        (at = mr_shell_glob_at(v, vn)) >= 0) {
        m->rule = "shell-glob";
        m->off = map[at];
        return true;
    }
    bool in_backquote = false;
    for (size_t i = 0; i < vn; i++) {
        char c = v[i];
        size_t next = i + 1;
        bool strong;
        if (c == '`') {
            /* a closing backquote runs nothing; an opening one is strong
             * only for a command no prose puts in code quotes ("`type`
             * domain", "`pollable` test") */
            in_backquote = !in_backquote;
            if (!in_backquote)
                continue;
            strong = false;
        } else if (c == ';' || c == '\n' || c == '\r') {
            strong = true;   /* a CR ends a command for cmd.exe and many filters */
        } else if ((c == '<' || c == '^') && i == 0) {
            strong = false;   /* "<id", "^id": the value's first byte redirects or
                               * escapes (cmd.exe's caret) what follows */
        } else if (c == '{') {
            /* a brace group "{ id; }" needs the blank; brace expansion
             * "{cat,/etc/passwd}" needs an argument ("{start,stop}") */
            strong = i + 1 < vn && v[i + 1] == ' ';
        } else if (c == '$' && i + 1 < vn && v[i + 1] == '(') {
            strong = true;
            next = i + 2;
            if (any_command_at(v, vn, next)) {
                m->rule = "command-substitution";
                m->off = map[i];
                return true;
            }
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
        /* a backquote after a blank opens a code span in prose ("use
         * `ls` and"); glued to a word or at the start it runs ("x`id`") */
        bool prose_quote = c == '`' && i > 0 && v[i - 1] == ' ';
        bool lead_ok = p == 0 || c == '`' || (p > 0 && mr_is_digit((unsigned char)v[p - 1])) ||
                       (p > 0 && (v[p - 1] == ')' || v[p - 1] == '*')) ||
                       (src > 0 && (s[src - 1] == '\'' || s[src - 1] == '"'));
        if (prose_quote)
            strong = lead_ok = false;
        /* brace expansion without a blank needs an argument: "{id,name}"
         * is a list of fields ("{id,}" is brace_expansion's) */
        if (c == '{' && !strong)
            lead_ok = false;
        if (command_at(v, vn, next, strong, lead_ok) || admin_at(v, vn, next) ||
            (strong && assigned_variable_at(v, vn, next)) ||
            (ifs && strong && any_command_at(v, vn, next)) ||
            (!strong && c != '`' && glued_pipe(v, vn, i))) {
            m->rule = strong ? "command-separator" : "command-pipe";
            m->off = map[i];
            return true;
        }
    }
    if (!memchr(v, '/', vn) && !memchr(v, ' ', vn))
        return false;   /* every fragment below has one */
    /* a shell as the last thing asked for: CVE-2021-41773's
     * "/cgi-bin/.%2e/.%2e/bin/sh" (the script arrives in the body) */
    static const char *const shells[] = {"/bin/sh", "/bin/bash", "/bin/dash", "/bin/zsh"};
    for (size_t k = 0; k < MR_ARRAY_LEN(shells) && vn > 0 && v[vn - 1] == 'h'; k++) {
        size_t len = strlen(shells[k]);
        if (vn >= len && memcmp(v + vn - len, shells[k], len) == 0) {
            m->rule = "shell-invocation";
            m->off = map[vn - len];
            return true;
        }
    }
    long nc = mr_shell_netcat_at(v, vn);
    if (nc >= 0) {
        m->rule = "shell-invocation";
        m->off = map[nc];
        return true;
    }
    for (size_t k = 0; k < MR_ARRAY_LEN(shell_fragments); k++) {
        long frag = mr_find(v, vn, shell_fragments[k]);
        if (frag >= 0) {
            m->rule = "shell-invocation";
            m->off = map[frag];
            return true;
        }
    }
    return false;
}

bool mr_detect_cmdi_split(const char *name, size_t name_n, const char *v, size_t n,
                          mr_match *m)
{
    char view[MR_CMDI_SPLIT_MAX];
    /* the value a quoted string or a substitution, as the shell assigns a
     * command ("$'id'", "'cat /etc/passwd'", "$(...)"); "name;$sort" is none */
    if (name_n == 0 || name_n > MR_CMDI_NAME_MAX || n + name_n + 1 > sizeof view ||
        mr_is_digit((unsigned char)name[0]) || n < 2 ||
        !(v[0] == '$' || v[0] == '\'' || v[0] == '"' || v[0] == '`'))
        return false;
    for (size_t i = 0; i < name_n; i++) {
        unsigned char c = (unsigned char)name[i];
        if (!mr_is_alnum(c) && c != '_')
            return false;   /* no shell variable's name */
        view[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    /* the value uses the name: "$cmd" after a separator */
    bool used = false;
    for (size_t i = 1; i + name_n < n && !used; i++)
        used = v[i] == '$' && (v[i - 1] == ';' || v[i - 1] == '|' || v[i - 1] == '&' ||
                               v[i - 1] == ' ') &&
               memcmp(v + i + 1, view, name_n) == 0 &&
               (i + 1 + name_n == n || !mr_is_alnum((unsigned char)v[i + 1 + name_n]));
    /* and what it assigns starts with a command: "$'id'", "$\\'cat ..." */
    size_t w = 0;
    while (w < n && w < 4 && v[w] != '\0' && strchr("$\\'\"`(", v[w]))
        w++;
    size_t e = w;
    while (e < n && e - w < MR_CMDI_WORD_MAX && (mr_is_alnum((unsigned char)v[e]) || v[e] == '_'))
        e++;
    if (!used || e == w || !mr_cmdi_is_command(v + w, e - w))
        return false;
    view[name_n] = '=';
    memcpy(view + name_n + 1, v, n);
    if (!mr_detect_cmdi(view, name_n + 1 + n, m))
        return false;
    m->off = 0;
    return true;
}
