/*
 * detect_code.c — server-side code injection in a decoded value: code the
 * application itself would evaluate, as opposed to a shell command
 * (detect_cmdi.c) or a named exploit (detect_exploit.c).
 *
 * - PHP: an open tag "<?php" / "<?=" / "<? " followed by code; the
 *   complex-variable form "{${...}}" and "${@...}"; a call of the
 *   evaluating and introspecting functions (eval, assert, phpinfo,
 *   create_function, base64_decode...) right after a statement break; a
 *   superglobal read ($_GET["c"]); a serialized object (O:8:"stdClass":...).
 * - Template and expression languages: an arithmetic probe between
 *   template delimiters ({{7*7}}, ${7*7}, #{7*7}, *{7*7}, <%= 7*7 %>,
 *   {{7*'7'}}), and the Python/Java object-graph walks that escape a
 *   sandbox (__class__, __mro__, __globals__, T(java.lang.Runtime),
 *   getRuntime(), new java.lang..., freemarker's ?new()).
 * - Java deserialisation markers (rO0AB, aced0005) and XML external
 *   entities (<!ENTITY ... SYSTEM / PUBLIC).
 * - A statement break that comments out the rest of the line: the value
 *   leaves the string or statement it was put in (a quote or ';' after at
 *   most a word), calls something, ends the statement, and closes with a
 *   line comment so that the application's own code after it is ignored
 *   ("';exit(md5('x'));//", "\".exit(f());#", "';d=new Date();do{...}
 *   while(cd-d<9);//", the server-side JavaScript of a $where). Prose
 *   that ends in ");//" does not start with such a break, and its
 *   apostrophes close no string ("it's done();#"); a call of alert(),
 *   prompt() or confirm() so broken out is the page's script: XSS.
 *
 * Template delimiters alone are not enough: "{{name}}" and "${price}" are
 * ordinary template text that users paste; the probe needs an operator
 * between literals, or one of the object-graph members.
 */
#include "common.h"

#include "logscan/detect_rules.h"

#define MR_CODE_EXPR_MAX 512  /* bytes inside a delimiter looked at */

static bool word_at(const char *s, size_t n, size_t i, const char *w)
{
    size_t len = strlen(w);
    return i + len <= n && memcmp(s + i, w, len) == 0;
}

static bool is_space(unsigned char c)
{
    return c == ' ' || (c >= 0x09 && c <= 0x0D);
}

/* Members and calls only a sandbox escape or an expression-language
 * payload walks through. */
static const char *const object_walks[] = {
    "__class__", "__mro__", "__subclasses__", "__globals__", "__builtins__",
    "__init__", "__import__", "__getattribute__", "t(java.lang.", "java.lang.runtime",
    "getruntime()", "new java.", "java.lang.processbuilder", "getclass().forname",
    "class.forname(", "?new()", "freemarker.template.utility.execute",
    "getclassloader()", "jdk.jshell", "javax.script.scriptenginemanager",
    "request.application", "self._templatereference", "lipsum.__", "cycler.__",
    "joiner.__", "namespace.__", "config.items()", "_self.env.registerundefinedfilter",
    "getfilter(", "#_memberaccess", "@java.lang.", "ognlcontext", ".exec(",
};

/* PHP functions that evaluate code, run commands or reveal the server:
 * a call of one right after a quote or at the start of the value is a
 * payload ("';phpinfo();//", "system('id')"). */
static const char *const php_strong_calls[] = {
    "eval", "assert", "phpinfo", "create_function", "base64_decode",
    "system", "passthru", "shell_exec", "exec", "popen", "proc_open",
    "pcntl_exec", "file_put_contents", "call_user_func", "phpversion",
    "str_rot13", "gzinflate", "preg_replace",
};

/* Functions that are also words: a call counts after a statement break
 * only (";print(md5(1));", "'.print(1).'"). */
static const char *const php_weak_calls[] = {
    "print", "die", "include", "require", "include_once", "require_once",
    "md5", "sleep", "printf", "hexdec", "print_r", "var_dump", "fwrite",
    "file_get_contents", "array_map", "usort", "echo",
};

/* The length of the name of a listed function called at s[i] (a '('
 * follows, spaces allowed), 0 when none is. */
static size_t call_at(const char *s, size_t n, size_t i, const char *const *list,
                      size_t count)
{
    if (i > 0 && (mr_is_alnum((unsigned char)s[i - 1]) || s[i - 1] == '_'))
        return 0;
    for (size_t k = 0; k < count; k++) {
        size_t len = strlen(list[k]);
        if (!word_at(s, n, i, list[k]))
            continue;
        size_t j = i + len;
        while (j < n && is_space((unsigned char)s[j]))
            j++;
        if (j < n && s[j] == '(')
            return j + 1 - i;
    }
    return 0;
}

static bool php_call_at(const char *s, size_t n, size_t i)
{
    return call_at(s, n, i, php_strong_calls, MR_ARRAY_LEN(php_strong_calls)) > 0;
}

/* A strong call whose first argument is code-like: a string, a variable,
 * a nested call or nothing ("phpinfo()", "system('id')", "eval($_GET[c])"). */
static bool php_call_with_code(const char *s, size_t n, size_t i)
{
    size_t len = call_at(s, n, i, php_strong_calls, MR_ARRAY_LEN(php_strong_calls));
    if (len == 0)
        return false;
    size_t j = i + len;
    while (j < n && is_space((unsigned char)s[j]))
        j++;
    if (j >= n)
        return false;
    if (s[j] == '\'' || s[j] == '"' || s[j] == '$' || s[j] == '`' || s[j] == ')')
        return true;
    return call_at(s, n, j, php_strong_calls, MR_ARRAY_LEN(php_strong_calls)) > 0 ||
           call_at(s, n, j, php_weak_calls, MR_ARRAY_LEN(php_weak_calls)) > 0;
}

/* Between delimiters at s[i..]: an arithmetic probe "7*7", "7*'7'",
 * "7+7", or an object walk. close is the closing delimiter. */
static bool probe_inside(const char *s, size_t n, size_t i, const char *close)
{
    size_t end = MR_MIN(n, i + MR_CODE_EXPR_MAX);
    long c = mr_find(s + i, end - i, close);
    if (c < 0)
        return false;
    size_t e = i + (size_t)c;
    for (size_t k = 0; k < MR_ARRAY_LEN(object_walks); k++)
        if (mr_find(s + i, e - i, object_walks[k]) >= 0)
            return true;
    /* number, operator, number (quotes allowed around the second) */
    size_t j = i;
    while (j < e && is_space((unsigned char)s[j]))
        j++;
    size_t d = j;
    while (j < e && mr_is_digit((unsigned char)s[j]))
        j++;
    if (j == d)
        return false;
    while (j < e && is_space((unsigned char)s[j]))
        j++;
    if (j >= e || (s[j] != '*' && s[j] != '+' && s[j] != '-' && s[j] != '/' && s[j] != '%'))
        return false;
    j++;
    while (j < e && (is_space((unsigned char)s[j]) || s[j] == '\'' || s[j] == '"'))
        j++;
    return j < e && mr_is_digit((unsigned char)s[j]);
}

static const char *template_at(const char *s, size_t n, size_t i)
{
    if (word_at(s, n, i, "{{") && probe_inside(s, n, i + 2, "}}"))
        return "template-injection";
    if (i + 1 < n && s[i + 1] == '{' && (s[i] == '$' || s[i] == '#' || s[i] == '*' ||
                                         s[i] == '@' || s[i] == '~') &&
        probe_inside(s, n, i + 2, "}"))
        return "expression-language";
    if (word_at(s, n, i, "<%=") && probe_inside(s, n, i + 3, "%>"))
        return "template-injection";
    if (word_at(s, n, i, "${{") && probe_inside(s, n, i + 3, "}}"))
        return "template-injection";
    return NULL;
}

/* A PHP serialized object: O:<digits>:"<name>":<digits>:{ */
static bool php_object_at(const char *s, size_t n, size_t i)
{
    if (!(i + 2 < n && (s[i] == 'o' || s[i] == 'c') && s[i + 1] == ':'))
        return false;
    if (i > 0 && mr_is_alnum((unsigned char)s[i - 1]))
        return false;
    size_t j = i + 2;
    size_t d = j;
    while (j < n && mr_is_digit((unsigned char)s[j]))
        j++;
    if (j == d || j + 1 >= n || s[j] != ':' || s[j + 1] != '"')
        return false;
    long q = mr_find(s + j + 2, MR_MIN(n - j - 2, (size_t)MR_CODE_EXPR_MAX), "\":");
    return q >= 0;
}

/* A PHP superglobal read with an index: $_GET["cmd"], $_SERVER['...'] */
static bool superglobal_at(const char *s, size_t n, size_t i)
{
    static const char *const names[] = {"$_get[", "$_post[", "$_request[", "$_server[",
                                        "$_cookie[", "$_files[", "$_env[", "$globals["};
    for (size_t k = 0; k < MR_ARRAY_LEN(names); k++)
        if (word_at(s, n, i, names[k]))
            return true;
    return false;
}

/* The statement break described atop: returns true and the break's
 * offset in *at. */
static bool commented_break(const char *s, size_t n, size_t *at)
{
    size_t end = n;
    while (end > 0 && is_space((unsigned char)s[end - 1]))
        end--;
    if (end >= 2 && s[end - 1] == '/' && s[end - 2] == '/')
        end -= 2;
    else if (end >= 1 && s[end - 1] == '#')
        end -= 1;
    else
        return false;
    while (end > 0 && is_space((unsigned char)s[end - 1]))
        end--;
    if (end < 2 || s[end - 1] != ';')
        return false;
    end--;
    while (end > 0 && is_space((unsigned char)s[end - 1]))
        end--;
    if (end == 0 || s[end - 1] != ')')
        return false;
    /* the break: a quote or ';' after at most the original word */
    size_t b = 0;
    while (b < end && (mr_is_alnum((unsigned char)s[b]) || s[b] == '_' || s[b] == '-' ||
                       s[b] == '.'))
        b++;
    if (b >= end || !(s[b] == '\'' || s[b] == '"' || s[b] == ';'))
        return false;
    if (s[b] != ';') {
        /* a quote that closes the string: a statement, a concatenation or
         * an operator follows ("it's done();#" is an apostrophe) */
        size_t k = b + 1;
        while (k < end && is_space((unsigned char)s[k]))
            k++;
        if (k >= end || !memchr(";.)+|&", s[k], 6))
            return false;
    }
    /* then a call: a name right before '('. Calls of a browser's dialog
     * alone ("';alert(1);//") are a script break for the page, cross-site
     * scripting (detect_xss.c), not code run on the server; one other
     * call outside a dialog's arguments ("exit(md5(1))", "xalert(1)": a
     * dialog's name is a whole word) makes it code. */
    static const char *const dialogs[] = {"alert", "prompt", "confirm"};
    bool call = false;
    for (size_t j = b + 1; j + 1 < end && !call; j++) {
        if (s[j + 1] != '(' || !(mr_is_alnum((unsigned char)s[j]) || s[j] == '_'))
            continue;
        size_t w = j + 1;   /* the name's start */
        while (w > b + 1 && (mr_is_alnum((unsigned char)s[w - 1]) || s[w - 1] == '_' ||
                             s[w - 1] == '$'))
            w--;
        bool dialog = false;
        for (size_t k = 0; k < MR_ARRAY_LEN(dialogs) && !dialog; k++) {
            size_t len = strlen(dialogs[k]);
            dialog = j + 1 - w == len && memcmp(s + w, dialogs[k], len) == 0;
        }
        call = !dialog;
        /* the dialog's arguments are its own: "alert(String.fromCharCode(88))" */
        for (size_t depth = 0, k = j + 1; dialog && k < end; k++) {
            depth += s[k] == '(';
            depth -= s[k] == ')' && depth > 0;
            if (depth == 0) {
                j = k;
                break;
            }
        }
    }
    *at = b;
    return call;
}

bool mr_detect_code(const char *s, size_t n, mr_match *m)
{
    /* every rule needs one of these, or a serialization mark */
    bool marks = false;
    for (size_t i = 0; i < n && !marks; i++)
        marks = s[i] == '(' || s[i] == '{' || s[i] == '<' || s[i] == '$' || s[i] == ':';
    if (!marks && (!memchr(s, '0', n) ||
                   (mr_find(s, n, "ro0ab") < 0 && mr_find(s, n, "aced0005") < 0)))
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *rule = NULL;
        switch (c) {
        case '<':
            if (word_at(s, n, i, "<?php") || word_at(s, n, i, "<?=") ||
                (word_at(s, n, i, "<? ") && php_call_at(s, n, i + 3)))
                rule = "php-code";
            else if (word_at(s, n, i, "<!entity") || word_at(s, n, i, "<!doctype")) {
                size_t end = MR_MIN(n, i + 256);
                if (mr_find(s + i, end - i, " system ") >= 0 ||
                    mr_find(s + i, end - i, " public ") >= 0 ||
                    mr_find(s + i, end - i, "<!entity") > 0)
                    rule = "xxe";
            } else if (word_at(s, n, i, "<%="))
                rule = template_at(s, n, i);
            break;
        case '{':
            /* "{${phpinfo()}}"; not the "${${lower:j}..." of a Log4Shell
             * lookup nested in another (an exploit, detect_exploit.c) */
            if (word_at(s, n, i, "{${") && !(i > 0 && s[i - 1] == '$'))
                rule = "php-complex-variable";
            else
                rule = template_at(s, n, i);
            break;
        case '$':
            if (word_at(s, n, i, "${@"))
                rule = "php-complex-variable";
            else if (superglobal_at(s, n, i))
                rule = "php-superglobal";
            else
                rule = template_at(s, n, i);
            break;
        case '#': case '*': case '@': case '~':
            rule = template_at(s, n, i);
            break;
        case 'r':
            if (word_at(s, n, i, "ro0ab"))
                rule = "java-serialized";
            break;
        case 'a':
            if (word_at(s, n, i, "aced0005"))
                rule = "java-serialized";
            break;
        case 'o': case 'c':
            if (php_object_at(s, n, i))
                rule = "php-serialized";
            break;
        default:
            break;
        }
        if (!rule && mr_is_alpha(c)) {
            /* a PHP call right after a statement break: ";phpinfo();",
             * "';eval(...)", or as the whole value */
            size_t k = i;
            while (k > 0 && is_space((unsigned char)s[k - 1]))
                k--;
            char b = k > 0 ? s[k - 1] : '\0';
            bool statement = b == ';' || b == '{' || b == '@' ||
                             (b == '.' && k > 1 && (s[k - 2] == '\'' || s[k - 2] == '"'));
            if (statement && (php_call_at(s, n, i) ||
                              call_at(s, n, i, php_weak_calls, MR_ARRAY_LEN(php_weak_calls))))
                rule = "php-call";
            else if ((k == 0 || b == '\'' || b == '"' || b == '(') && php_call_with_code(s, n, i))
                rule = "php-call";
        }
        if (rule) {
            m->rule = rule;
            m->off = i;
            return true;
        }
    }
    size_t at = 0;
    if (commented_break(s, n, &at)) {
        m->rule = "commented-statement-break";
        m->off = at;
        return true;
    }
    return false;
}
