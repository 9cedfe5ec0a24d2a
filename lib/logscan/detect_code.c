/*
 * detect_code.c — server-side code injection in a decoded value: code the
 * application itself would evaluate, as opposed to a shell command
 * (detect_cmdi.c) or a named exploit (detect_exploit.c).
 *
 * - PHP: an open tag "<?php" / "<?=" / "<? " followed by code, Smarty's
 *   {php}; a call through a variable, a string or a bracketed expression
 *   (dynamic_call: "(system)('id')", "$__[_](1)", "'sys'.'tem'"); the
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
    "require.main", "constructor._load", "child_process", "process.binding",
    /* Mako's and Twig's ways to a shell, Java's reflection in other dialects */
    "os.system(", "os.popen(", ".subclasses(", ".mro(", "config.iteritems()",
    "('system')", "(\"system\")", "('passthru')", "('exec')", ".class.base", ".class.mro",
};

/* Node.js's ways to a shell or to the code loader, and Ruby's spawn,
 * anywhere in a value: "require('child_process').exec('id')",
 * "this.constructor.constructor('return process')()", node-serialize's
 * function mark. */
static const char *const script_walks[] = {
    "'child_process'", "\"child_process\"", "`child_process`", "constructor.constructor(",
    "process.binding(", "process.mainmodule.", "mainmodule.require(", "require.main.constructor",
    "_$$nd_func$$_", "process.spawn(",
};

/* TeX primitives that read files or run commands: "\input{/etc/passwd}",
 * "\openin\file=/etc/issue", "\immediate\write18{id}". */
static bool latex_at(const char *s, size_t n, size_t i)
{
    return word_at(s, n, i, "\\input{/") || word_at(s, n, i, "\\include{/") ||
           word_at(s, n, i, "\\openin") || word_at(s, n, i, "\\write18") ||
           word_at(s, n, i, "\\immediate\\write");
}

/* JavaScript prototype pollution: "__proto__[x]", "__proto__.x",
 * "constructor[prototype]", "constructor.prototype." (in a parameter's
 * name, where qs and jQuery build objects from brackets). */
static bool prototype_at(const char *s, size_t n, size_t i)
{
    size_t j;
    if (word_at(s, n, i, "__proto__")) {
        j = i + 9;
    } else {
        if (!word_at(s, n, i, "constructor"))
            return false;
        j = i + 11;
        while (j < n && j - i < 14 && (s[j] == '[' || s[j] == ']' || s[j] == '.'))
            j++;   /* "constructor.prototype", "[constructor][prototype]" */
        if (j == i + 11 || !word_at(s, n, j, "prototype"))
            return false;
        j += 9;
    }
    /* then a member set on it: "[x]", "].x", ".x" ("constructor.prototype"
     * alone is a search for the concept) */
    if (j < n && s[j] == ']')
        j++;
    return j + 1 < n && (s[j] == '[' || s[j] == '.') && (mr_is_alnum((unsigned char)s[j + 1]) ||
                                                          s[j + 1] == '_' || s[j + 1] == ' ');
}

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
    "file_get_contents", "array_map", "usort", "echo", "chr",
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

/* Blanks and C comments from s[i]; returns where they end. */
static size_t skip_filler(const char *s, size_t n, size_t i)
{
    for (;;) {
        while (i < n && is_space((unsigned char)s[i]))
            i++;
        if (!word_at(s, n, i, "/*"))
            return i;
        long end = mr_find(s + i + 2, n - i - 2, "*/");
        if (end < 0)
            return n;
        i += 2 + (size_t)end + 2;
    }
}

static bool strong_name(const char *s, size_t n)
{
    for (size_t k = 0; k < MR_ARRAY_LEN(php_strong_calls); k++)
        if (strlen(php_strong_calls[k]) == n && memcmp(s, php_strong_calls[k], n) == 0)
            return true;
    return false;
}

/* Does the expression s[a..b) name what it calls the way only an evasion
 * does: a variable ("$_[@-_]", "${_.__}", "$$$z"), a string that is an
 * evaluating function's name or strings joined with '.' ("'sys'.'tem'"),
 * or such a name alone in its brackets ("(system)", "[system][0]",
 * "(/ * x * /exec)")? A markdown link's "[system requirements]" or
 * "[don't panic]" and "[save $$$]" are none of these. */
static bool dynamic_callee(const char *s, size_t a, size_t b)
{
    for (size_t i = a; i < b; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '$') {
            size_t j = i;
            while (j < b && s[j] == '$')
                j++;
            if (j < b && (mr_is_alpha((unsigned char)s[j]) || s[j] == '_' || s[j] == '{'))
                return true;
            i = j - 1;
        } else if (c == '\'' || c == '"') {
            const char *q = memchr(s + i + 1, c, b - i - 1);
            if (!q)
                return false;
            size_t e = (size_t)(q - s), j = e + 1;
            while (j < b && s[j] == ' ')
                j++;
            if (strong_name(s + i + 1, e - i - 1) || (j < b && s[j] == '.'))
                return true;   /* "'system'", "'sys'.'tem'" */
            i = e;
        } else if (mr_is_alpha(c) && (i == a || !mr_is_alnum((unsigned char)s[i - 1]))) {
            size_t e = i;
            while (e < b && (mr_is_alnum((unsigned char)s[e]) || s[e] == '_'))
                e++;
            /* alone between its brackets, blanks and comments aside */
            size_t before = i, after = e;
            while (before > a && (s[before - 1] == ' ' || s[before - 1] == '/' || s[before - 1] == '*'))
                before--;
            while (after < b && (s[after] == ' ' || s[after] == '/' || s[after] == '*'))
                after++;
            if (strong_name(s + i, e - i) && before > a &&
                (s[before - 1] == '(' || s[before - 1] == '[') && after < b &&
                (s[after] == ')' || s[after] == ']'))
                return true;
            i = e - 1;
        }
    }
    return false;
}

#define MR_CODE_CALLEE_MAX 128   /* bytes of a callee walked back over */

/* PHP's dynamic call: a call through a bracketed expression ("(system)
 * ('uname')", "$__[_](24)", "${_.__}(30)", "(['sys'.'tem'])[0]('id')"),
 * through a variable ("$f(101).$f(120)", "@$b374k(...)") or through a
 * string ("(string)\"system\"('uname')"), comments allowed before the
 * arguments (blanks only around a comment). The web shells' obfuscators
 * write nothing else. */
static bool dynamic_call(const char *s, size_t n, size_t *at)
{
    for (const char *p = memchr(s, '(', n); p; p = memchr(p + 1, '(', n - (size_t)(p + 1 - s))) {
        size_t open = (size_t)(p - s), c = open;
        /* the end of the callee, back over comments and the blanks around
         * them ("$x (the price)" and "${dir} (and set it)" are prose) */
        while (c > 0 && is_space((unsigned char)s[c - 1]))
            c--;
        if (c < open && !(c >= 2 && s[c - 1] == '/' && s[c - 2] == '*'))
            continue;
        while (c >= 2 && s[c - 1] == '/' && s[c - 2] == '*') {
            long start = -1;   /* the comment's start, within the callee's bound */
            for (size_t k = c - 2; k >= 2 && start < 0 && c - k < MR_CODE_CALLEE_MAX; k--)
                if (s[k - 2] == '/' && s[k - 1] == '*')
                    start = (long)k - 2;
            if (start < 0)
                break;
            c = (size_t)start;
            while (c > 0 && is_space((unsigned char)s[c - 1]))
                c--;
        }
        if (c == 0)
            continue;
        size_t end = c, a = c;
        char last = s[c - 1];
        if (last == ')' || last == ']' || last == '}' || last == '\'' || last == '"') {
            /* back over brackets and strings, and what they index */
            int depth = 0;
            while (a > 0 && end - a < MR_CODE_CALLEE_MAX) {
                char ch = s[a - 1];
                if (ch == ')' || ch == ']' || ch == '}')
                    depth++;
                else if (ch == '(' || ch == '[' || ch == '{')
                    depth--;
                if (depth < 0)
                    break;
                a--;
                if (depth == 0 && (a == 0 || !(mr_is_alnum((unsigned char)s[a - 1]) ||
                                               strchr("_$@])}'\"", s[a - 1]))))
                    break;
            }
            if (depth == 0 && (last == ')' || last == ']' || last == '}') &&
                dynamic_callee(s, a, end)) {
                *at = a;
                return true;
            }
            if (last == '\'' || last == '"') {
                /* a string called: an evaluating function's name, or
                 * strings joined ("'sys'.'tem'") */
                size_t q = end - 1, b = q;
                while (b > 0 && s[b - 1] != last && q - b < MR_CODE_CALLEE_MAX)
                    b--;
                if (b > 0 && s[b - 1] == last && strong_name(s + b, q - b)) {
                    *at = b - 1;
                    return true;
                }
            }
            continue;
        }
        /* a variable called: "$f(", "$$$z(", not TeX's "$f(x)$" */
        while (a > 0 && (mr_is_alnum((unsigned char)s[a - 1]) || s[a - 1] == '_'))
            a--;
        const char *close = memchr(s + open, ')', MR_MIN(n - open, (size_t)MR_CODE_CALLEE_MAX));
        bool tex = close && (size_t)(close - s) + 1 < n && close[1] == '$';
        if (a < c && a > 0 && s[a - 1] == '$' && (mr_is_alpha((unsigned char)s[a]) || s[a] == '_') &&
            !tex) {
            *at = a - 1;
            return true;
        }
    }
    return false;
}

/* Between delimiters at s[i..]: an arithmetic probe "7*7", "7*'7'",
 * "7+7", or an object walk. close is the closing delimiter. */
static bool probe_inside(const char *s, size_t n, size_t i, const char *close)
{
    size_t end = MR_MIN(n, i + MR_CODE_EXPR_MAX);
    long c = mr_find(s + i, end - i, close);
    /* an object walk counts even when the expression is too long to see
     * its end: "${T(org.apache...).toString(T(java.lang.Runtime)..." */
    size_t e = c < 0 ? end : i + (size_t)c;
    for (size_t k = 0; k < MR_ARRAY_LEN(object_walks); k++)
        if (mr_find(s + i, e - i, object_walks[k]) >= 0)
            return true;
    if (c < 0)
        return false;
    /* a call given a file's path: {{ get_user_file("/etc/passwd") }},
     * {{ open('c:\\boot.ini') }}; the macros of ad platforms left
     * unexpanded ({{ad.name}}) call nothing, and a template's own calls
     * name no file ({{ url_for('static') }}, {{ _('Hello') }}) */
    for (size_t k = i + 1; k + 2 < e; k++)
        if (s[k] == '(' && (s[k + 1] == '"' || s[k + 1] == '\'') &&
            (mr_is_alnum((unsigned char)s[k - 1]) || s[k - 1] == '_') &&
            (s[k + 2] == '/' || s[k + 2] == '\\' || s[k + 2] == '~' ||
             (k + 3 < e && mr_is_alpha((unsigned char)s[k + 2]) && s[k + 3] == ':')))
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

/* A Jinja or Twig statement tag after "{%" that probes rather than
 * templates: an import, the debug tag, a loop over a literal list or a
 * set to arithmetic ("{% for c in [1,2,3] %}", "{%set x=7*7%}"). The
 * tags of a template ("{% load static %}", "{% if product.available %}",
 * "{% include 'header.html' %}") are what documentation searches hold. */
static bool template_statement(const char *s, size_t n, size_t i)
{
    while (i < n && (is_space((unsigned char)s[i]) || s[i] == '-'))
        i++;
    size_t end = MR_MIN(n, i + MR_CODE_EXPR_MAX);
    long close = mr_find(s + i, end - i, "%}");
    if (close < 0)
        return false;
    size_t e = i + (size_t)close;
    if (word_at(s, n, i, "import ") || word_at(s, n, i, "from ") || word_at(s, n, i, "debug"))
        return true;
    for (size_t k = 0; k < MR_ARRAY_LEN(object_walks); k++)
        if (mr_find(s + i, e - i, object_walks[k]) >= 0)
            return true;   /* "{% for k, v in config.iteritems() %}" */
    if (word_at(s, n, i, "for "))
        return mr_find(s + i, e - i, " in [") >= 0 || mr_find(s + i, e - i, " in range(") >= 0;
    if (word_at(s, n, i, "set ")) {
        const char *eq = memchr(s + i, '=', e - i);
        size_t rest = eq ? (size_t)(s + e - eq) : 0;
        return eq && (memchr(eq, '*', rest) || memchr(eq, '+', rest));
    }
    return false;
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
    if (word_at(s, n, i, "{%") && template_statement(s, n, i + 2))
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
        marks = s[i] == '(' || s[i] == '{' || s[i] == '<' || s[i] == '$' || s[i] == ':' ||
                s[i] == '\\' || s[i] == '_' || s[i] == '.' || s[i] == '[';
    if (!marks && (!memchr(s, '0', n) ||
                   (mr_find(s, n, "ro0ab") < 0 && mr_find(s, n, "aced0005") < 0)))
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *rule = NULL;
        switch (c) {
        case '\\':
            if (latex_at(s, n, i))
                rule = "latex-command";
            break;
        case '_':
            if (prototype_at(s, n, i))
                rule = "prototype-pollution";
            break;
        case '@': {
            /* Perl's interpolation of an expression: "@{[ system 'id' ]}" */
            size_t b = word_at(s, n, i, "@{") ? skip_filler(s, n, i + 2) : n;
            if (b < n && s[b] == '[')
                rule = "perl-interpolation";
            else
                rule = template_at(s, n, i);
            break;
        }
        case '<':
            if (word_at(s, n, i, "<%") && !word_at(s, n, i, "<%=") &&
                php_call_with_code(s, n, skip_filler(s, n, i + 2)))
                rule = "template-code";   /* ASP, ERB, JSP: "<% system('id') %>" */
            else if (word_at(s, n, i, "<?php") || word_at(s, n, i, "<?=") ||
                (word_at(s, n, i, "<?") && (word_at(s, n, skip_filler(s, n, i + 2), "php ") ||
                                            php_call_at(s, n, skip_filler(s, n, i + 2)))))
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
            else if (word_at(s, n, i, "{php}") || word_at(s, n, i, "{/php}"))
                rule = "php-code";   /* Smarty's tag for raw PHP */
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
        case '#': case '*': case '~':
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
            else if (c == 'c' && prototype_at(s, n, i))
                rule = "prototype-pollution";
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
            bool pipe = b == '|' || b == '&';   /* "| phpinfo()"; "home | print (pdf)" is a title */
            bool statement = b == ';' || b == '{' || b == '@' ||
                             (b == '.' && k > 1 && (s[k - 2] == '\'' || s[k - 2] == '"'));
            if ((statement && (php_call_at(s, n, i) ||
                               call_at(s, n, i, php_weak_calls, MR_ARRAY_LEN(php_weak_calls)))) ||
                (pipe && php_call_at(s, n, i)))
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
    for (size_t k = 0; k < MR_ARRAY_LEN(script_walks); k++) {
        long w = mr_find(s, n, script_walks[k]);
        if (w >= 0) {
            m->rule = "script-object-walk";
            m->off = (size_t)w;
            return true;
        }
    }
    size_t at = 0;
    if (memchr(s, '(', n) && dynamic_call(s, n, &at)) {
        m->rule = "php-dynamic-call";
        m->off = at;
        return true;
    }
    if (commented_break(s, n, &at)) {
        m->rule = "commented-statement-break";
        m->off = at;
        return true;
    }
    return false;
}
