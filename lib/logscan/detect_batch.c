/*
 * detect_batch.c — Windows batch syntax in a decoded value, for the
 * command-injection detector (detect_cmdi.c): the two statements of
 * cmd.exe that carry their own grammar, read as cmd.exe reads them.
 *
 *   FOR [/D | /R [path] | /L | /F ["options"]] %var IN (set) DO command
 *   IF [/I] [NOT] EXIST file | DEFINED name | ERRORLEVEL n
 *        | a == b | a EQU|NEQ|LSS|LEQ|GTR|GEQ b   command
 *
 * A FOR needs its loop variable ('%' and a character, '%%' in a batch
 * file; the '%' may be gone, see loop_variable), "in", a parenthesised
 * set, "do" and a command: prose has no "a in (...) do echo" (Ruby has
 * "for i in (1..9) do", rarely followed by a cmd.exe command); with the
 * '%' kept, any word after "do" will do. An IF
 * needs its condition and then a command (runs_command): "fix crash if
 * x==NULL return" and "works if defined by the user" are prose, "if
 * exist x.txt echo yes" and "IF "%1"=="" goto end" are not. The value is
 * lowercase (normalize.h); quotes are kept, as cmd.exe keeps them. Each
 * operand is looked at over a bounded length, so a value of repeated
 * "if" costs a bounded look per "if".
 */
#include "common.h"

#include "logscan/detect_rules.h"

#define MR_BATCH_SCAN_MAX 512    /* bytes after a FOR looked at for its "do" */
#define MR_BATCH_TOKENS_MAX 8    /* switches and options before FOR's variable */
#define MR_BATCH_OPERAND_MAX 128 /* bytes of one operand or token looked at */

static bool blank(char c)
{
    return c == ' ' || c == '\t';
}

static size_t skip_blanks(const char *s, size_t n, size_t i)
{
    while (i < n && blank(s[i]))
        i++;
    return i;
}

/* The word w at s[i], ending at a blank, a quote, a parenthesis or the end; returns the
 * index after it, 0 when it is not there. */
static size_t keyword(const char *s, size_t n, size_t i, const char *w)
{
    size_t len = strlen(w);
    if (i + len > n || memcmp(s + i, w, len) != 0)
        return 0;
    i += len;
    return i == n || blank(s[i]) || s[i] == '(' || s[i] == ')' || s[i] == '"' ? i : 0;
}

/* One argument: a quoted string with its blanks, a bracketed one
 * ("[%1]", "(aa)", "{%1}"), or a run of non-blanks that stops before
 * "==" (a == b is written without blanks as often as with). */
static size_t operand_end(const char *s, size_t n, size_t i)
{
    static const char open[] = "\"[({", close[] = "\"])}";
    size_t end = MR_MIN(n, i + MR_BATCH_OPERAND_MAX);   /* each start costs a bounded look */
    const char *o = i < n && s[i] ? strchr(open, s[i]) : NULL;
    if (o) {
        const char *c = memchr(s + i + 1, close[o - open], end - i - 1);
        return c ? (size_t)(c - s) + 1 : end;
    }
    while (i < end && !blank(s[i]) && !(s[i] == '=' && i + 1 < n && s[i + 1] == '='))
        i++;
    return i;
}

/* The command an IF or a FOR runs, at s[i] after blanks: a built-in or
 * common command, alone, after '@' or opening a '(' block. In a block
 * only the commands that are no English word count: "if defined benefit
 * (for example)" and "(as when" are prose, "(echo found)" is not. */
static bool runs_command(const char *s, size_t n, size_t i)
{
    static const char *const commands[] = {
        "echo", "goto", "exit", "cmd", "del", "md", "mkdir", "rd", "rmdir", "dir",
        "rem", "pause", "erase", "ren", "powershell", "ping", "whoami", "xcopy",
        "taskkill", "reg", "cls", "endlocal", "setlocal", "set", "copy", "call",
        "type", "start", "move", "shift", "net", "cd", "if", "for",
    };
    const size_t block_words = 20;   /* the first ones: no English word */
    i = skip_blanks(s, n, i);
    bool block = i < n && s[i] == '(';
    if (i < n && (s[i] == '(' || s[i] == '@'))
        i = skip_blanks(s, n, i + 1);
    for (size_t k = 0; k < (block ? block_words : MR_ARRAY_LEN(commands)); k++)
        if (keyword(s, n, i, commands[k]))
            return true;
    /* "(set x=1)": set in a block with its assignment */
    size_t e = block ? keyword(s, n, i, "set") : 0;
    return e && operand_end(s, n, skip_blanks(s, n, e)) < n &&
           memchr(s + e, '=', MR_MIN(n - e, (size_t)MR_BATCH_OPERAND_MAX)) != NULL;
}

/* FOR's loop variable at s[i]: '%' (or "%%") and a name, or a
 * one-character name alone (the normalizer drops a '%' that starts no
 * escape, as IIS does), then "in"; returns the index after "in", 0 if
 * none. */
static size_t loop_variable(const char *s, size_t n, size_t i)
{
    size_t start = i;
    while (i < n && s[i] == '%')
        i++;
    size_t name = i;
    while (i < n && !blank(s[i]) && i - name <= MR_BATCH_OPERAND_MAX)
        i++;
    if (i == name || (start == name && i - name > 1))
        return 0;   /* "for each in", "for us in": words, no variable */
    return keyword(s, n, skip_blanks(s, n, i), "in");
}

/* FOR's grammar from s[i] (just past "for"): switches ("/f", "/r c:\\"),
 * quoted options, the variable, "in (set)" and "do". */
static bool for_loop(const char *s, size_t n, size_t i)
{
    size_t after_in = 0;
    bool percent = false;   /* the variable kept its '%': "%a", "%%g" */
    for (unsigned t = 0; t <= MR_BATCH_TOKENS_MAX && !after_in; t++) {
        i = skip_blanks(s, n, i);
        if (i >= n)
            return false;
        after_in = loop_variable(s, n, i);
        percent = s[i] == '%';
        if (after_in)
            break;
        if (t == MR_BATCH_TOKENS_MAX || !(s[i] == '/' || s[i] == '"' || s[i] == '\\' ||
                                          (i + 1 < n && s[i + 1] == ':')))
            return false;
        i = operand_end(s, n, i);
    }
    i = skip_blanks(s, n, after_in);
    if (i >= n || s[i] != '(')
        return false;
    size_t end = MR_MIN(n, i + MR_BATCH_SCAN_MAX);
    for (size_t j = i + 1; j < end; j++) {
        if (s[j] != ')')
            continue;
        size_t d = skip_blanks(s, n, j + 1);
        /* "do echo %i", not "do you know"; with a '%' variable, which
         * prose never writes, any command ("for %a in (set) do abc") */
        if (d + 2 <= n && s[d] == 'd' && s[d + 1] == 'o' &&
            (d + 2 == n || !mr_is_alnum((unsigned char)s[d + 2])) &&
            (percent || runs_command(s, n, d + 2)))
            return true;
    }
    return false;
}

/* IF's grammar from s[i] (just past "if"). */
static bool if_statement(const char *s, size_t n, size_t i)
{
    i = skip_blanks(s, n, i);
    if (i + 1 < n && s[i] == '/' && s[i + 1] == 'i')
        i = skip_blanks(s, n, i + 2);
    size_t k = keyword(s, n, i, "not");
    if (k)
        i = skip_blanks(s, n, k);
    static const char *const tests[] = {"exist", "defined", "errorlevel"};
    for (size_t t = 0; t < MR_ARRAY_LEN(tests); t++) {
        if (!(k = keyword(s, n, i, tests[t])))
            continue;
        i = skip_blanks(s, n, k);
        if (i >= n)
            return false;
        return runs_command(s, n, operand_end(s, n, i));
    }
    /* a comparison: a == b, or a EQU b and the rest */
    size_t a = operand_end(s, n, i);
    if (a == i)
        return false;
    size_t op = skip_blanks(s, n, a);
    if (op + 1 < n && s[op] == '=' && s[op + 1] == '=') {
        op += 2;
    } else {
        static const char *const ops[] = {"equ", "neq", "lss", "leq", "gtr", "geq"};
        size_t found = 0;
        for (size_t o = 0; o < MR_ARRAY_LEN(ops) && !found && op > a; o++)
            found = keyword(s, n, op, ops[o]);
        if (!found)
            return false;
        op = found;
    }
    size_t b = skip_blanks(s, n, op);
    if (b >= n)
        return false;
    return runs_command(s, n, operand_end(s, n, b));
}

long mr_batch_syntax_at(const char *s, size_t n)
{
    for (size_t i = 0; i + 3 < n; i++) {
        if ((s[i] != 'f' && s[i] != 'i') || (i > 0 && mr_is_alnum((unsigned char)s[i - 1])))
            continue;
        if (s[i] == 'f' && s[i + 1] == 'o' && s[i + 2] == 'r' && (blank(s[i + 3]) || s[i + 3] == '/') &&
            for_loop(s, n, i + 3))
            return (long)i;
        if (s[i] == 'i' && s[i + 1] == 'f' && (blank(s[i + 2]) || s[i + 2] == '/') &&
            if_statement(s, n, i + 2))
            return (long)i;
    }
    return -1;
}
