/*
 * detect_xss_js.c — the JavaScript of an XSS payload, for detect_xss.c:
 * a sink (alert, prompt, confirm, eval...) called after a broken string
 * or statement, as the whole value, through a tagged template, by an
 * alias or a method it is handed to, or by its name built from strings
 * in brackets; and the value with JavaScript's escapes undone, so that
 * "al\\u0065rt(1)" reads as "alert(1)". Each scan is bounded: an alias is
 * sought over MR_XSS_ALIAS_SCAN_MAX bytes, a name in brackets over 16.
 */
#include "common.h"

#include "logscan/detect_rules.h"
#include "logscan/detect_xss.h"

/* Calls that are a payload when a handler set outside a tag makes them;
 * print(), fetch() and the rest are what a developer's search holds
 * ("body onload=window.print()", "onclick=fetch(url)"). */
const char *const mr_xss_loose_sinks[] = {"alert", "prompt", "confirm", "eval"};

/* DOM events whose handler a payload sets from outside a tag (after
 * "on"); a name matches when the attribute's name starts with one
 * ("mouseover", "loadend", "focusin", "beforeinput", "afterprint"). */
const char *const mr_xss_dom_events[] = {
    "load", "error", "focus", "blur", "click", "dblclick", "mouse", "pointer",
    "key", "begin", "end", "toggle", "pageshow", "pagehide", "finish", "start",
    "animation", "transition", "touch", "drag", "drop", "scroll", "wheel",
    "input", "change", "submit", "reset", "select", "resize", "unload",
    "before", "after", "hashchange", "message", "popstate", "copy", "cut", "paste",
    "contextmenu", "auxclick", "show", "play", "pause", "ended", "canplay",
    "readystatechange", "abort", "search", "invalid", "durationchange",
    "timeupdate", "volumechange", "seek", "waiting", "progress", "activate",
    "cuechange", "formdata", "gotpointercapture",
    "lostpointercapture", "webkitanimation", "webkittransition", "bounce",
    "repeat", "storage", "online", "offline", "hover", "help", "filterchange",
};
const size_t mr_xss_loose_sinks_count = MR_ARRAY_LEN(mr_xss_loose_sinks);
const size_t mr_xss_dom_events_count = MR_ARRAY_LEN(mr_xss_dom_events);

/* JavaScript calls whose appearance after a broken string is a payload. */
static const char *const js_sinks[] = {
    "alert", "prompt", "confirm", "eval", "print", "fromcharcode",
    "settimeout", "setinterval", "atob", "import", "fetch",
};

/* Calls that are a payload when they are the whole value, with nothing
 * broken before them ("?q=alert(1)", "?cb=setTimeout`...`"): probes for
 * a value reflected into script. A search for "alert(s) settings" goes
 * on after the call, so the call must end the value (blanks, ';' and
 * '/' may follow), and hold an argument ("alert()" is a search). */
static const char *const strict_sinks[] = {
    "alert", "prompt", "confirm", "eval", "settimeout", "setinterval",
};

/* Where a call of one of the sinks at s[i] ends (just past its ')' at
 * depth 0, or its template's closing '`'), 0 when there is none or it
 * is empty ("alert()" alone is a developer's search). */
static size_t sink_call_end(const char *s, size_t n, size_t i, const char *const *sinks,
                            size_t count)
{
    for (size_t k = 0; k < count; k++) {
        size_t j = i + strlen(sinks[k]);
        if (!word_at(s, n, i, sinks[k]))
            continue;
        while (j < n && is_space((unsigned char)s[j]))
            j++;
        if (!(j < n && (s[j] == '(' || s[j] == '`')))
            continue;
        char open = s[j], close = open == '(' ? ')' : '`';
        if (j + 1 < n && s[j + 1] == close)
            return 0;
        size_t depth = 0, last = MR_MIN(n, j + MR_XSS_CALL_SCAN_MAX);
        for (j++; j < last; j++) {
            if (s[j] == close && depth == 0)
                break;
            if (open == '(' && s[j] == '(')
                depth++;
            else if (open == '(' && s[j] == ')')
                depth--;
        }
        return j < last ? j + 1 : 0;
    }
    return 0;
}

bool mr_xss_strict_call_at(const char *s, size_t n, size_t i)
{
    size_t j = sink_call_end(s, n, i, strict_sinks, MR_ARRAY_LEN(strict_sinks));
    if (j == 0)
        return false;
    while (j < n && (is_space((unsigned char)s[j]) || s[j] == ';' || s[j] == '/' ||
                     s[j] == '}' || s[j] == '\\'))
        j++;
    return j == n;
}

/* A statement of script ended by ';' after a number or a name, then a
 * sink's call that ends the value or comments out the rest of the
 * line: "48e71;alert(1)//503466e3", a value written into a script
 * without quotes. s[i] starts the call. */
bool mr_xss_statement_break_at(const char *s, size_t n, size_t i)
{
    size_t j = sink_call_end(s, n, i, mr_xss_loose_sinks, mr_xss_loose_sinks_count);
    if (j == 0)
        return false;
    while (j < n && (is_space((unsigned char)s[j]) || s[j] == ';'))
        j++;
    return j == n || (j + 1 < n && s[j] == '/' && s[j + 1] == '/');
}

/* A function called through a tagged template, which needs no
 * parenthesis: "[].sort.call`${alert}1`", "Reflect.apply.call`...`", or a
 * sink as a template's substitution ("`${eval}...`"). s[i] is '.' or '$'. */
bool mr_xss_template_call_at(const char *s, size_t n, size_t i)
{
    size_t j;
    if (word_at(s, n, i, ".call")) {
        j = i + 5;
        while (j < n && is_space((unsigned char)s[j]))
            j++;
        return j < n && s[j] == '`';
    }
    if (!word_at(s, n, i, "${"))
        return false;
    j = i + 2;
    while (j < n && is_space((unsigned char)s[j]))
        j++;
    for (size_t k = 0; k < mr_xss_loose_sinks_count; k++) {
        size_t e = j + strlen(mr_xss_loose_sinks[k]);
        if (!word_at(s, n, j, mr_xss_loose_sinks[k]))
            continue;
        while (e < n && is_space((unsigned char)s[e]))
            e++;
        if (e < n && (s[e] == '}' || s[e] == '('))
            return true;   /* "${alert}", "${alert(1)}" */
    }
    return false;
}

/* A sink named without a call, to be called through another name:
 * "a=alert;a(1)" (the alias is called later in the value) or handed to
 * a method, "[1].find(alert)", "settimeout(alert)". */
bool mr_xss_sink_reference_at(const char *s, size_t n, size_t i)
{
    if (i == 0 || name_char((unsigned char)s[i - 1]))
        return false;
    size_t e = 0;
    for (size_t k = 0; k < mr_xss_loose_sinks_count && !e; k++)
        if (word_at(s, n, i, mr_xss_loose_sinks[k]))
            e = i + strlen(mr_xss_loose_sinks[k]);
    if (!e || e >= n)
        return false;
    char after = s[e];
    size_t b = i;
    while (b > 0 && is_space((unsigned char)s[b - 1]))
        b--;
    if (b == 0)
        return false;
    char before = s[b - 1];
    if (before == '(' && after == ')') {
        if (e + 1 < n && s[e + 1] == '(')
            return true;   /* "(alert)(1)": called through the group */
        /* handed to a method that calls it: ".find(alert)" ("console.log(alert)"
         * prints the word) */
        static const char *const callers[] = {".find", ".map", ".filter", ".some", ".every",
                                              ".foreach", ".then", ".call", ".apply",
                                              "settimeout", "setinterval"};
        for (size_t k = 0; k < MR_ARRAY_LEN(callers); k++) {
            size_t len = strlen(callers[k]);
            if (b - 1 >= len && memcmp(s + b - 1 - len, callers[k], len) == 0)
                return true;
        }
        return false;
    }
    if (before != '=' || (after != ';' && after != ',') || b < 2 || !name_char((unsigned char)s[b - 2]))
        return false;
    /* "a=alert;": the name assigned, then "a(" later; "onerror=alert;"
     * (then "throw 1"): a handler the browser calls */
    size_t a = b - 1;
    while (a > 0 && name_char((unsigned char)s[a - 1]) && b - 1 - a < 32)
        a--;
    size_t len = b - 1 - a;
    if (len > 2 && s[a] == 'o' && s[a + 1] == 'n' && (a == 0 || !name_char((unsigned char)s[a - 1])))
        for (size_t k = 0; k < mr_xss_dom_events_count; k++)
            if (strlen(mr_xss_dom_events[k]) == len - 2 && memcmp(mr_xss_dom_events[k], s + a + 2, len - 2) == 0)
                return true;
    size_t last = MR_MIN(n, e + MR_XSS_ALIAS_SCAN_MAX);
    for (size_t k = e; k + len < last; k++)
        if (memcmp(s + k, s + a, len) == 0 && s[k + len] == '(' &&
            !name_char((unsigned char)s[k - 1]))
            return true;
    return false;
}

/* A JavaScript call of a sink at s[i] not preceded by a letter. */
bool mr_xss_js_call_at(const char *s, size_t n, size_t i)
{
    if (i > 0 && (mr_is_alnum((unsigned char)s[i - 1]) || s[i - 1] == '_'))
        return false;
    for (size_t k = 0; k < MR_ARRAY_LEN(js_sinks); k++) {
        size_t len = strlen(js_sinks[k]);
        if (word_at(s, n, i, js_sinks[k]) && i + len < n &&
            (s[i + len] == '(' || s[i + len] == '`'))
            return true;
    }
    return false;
}

/* A sink called by its name as a string: "top['alert'](1)",
 * "self[\"prompt\"](1)". s[i] is '['. */
bool mr_xss_bracket_call_at(const char *s, size_t n, size_t i)
{
    /* the strings in the brackets, joined: "['alert']", "['al'+'ert']" */
    char name[16];
    size_t w = 0, j = i + 1;
    for (;;) {
        while (j < n && is_space((unsigned char)s[j]))
            j++;
        if (j >= n || (s[j] != '\'' && s[j] != '"'))
            return false;
        char q = s[j++];
        while (j < n && s[j] != q && w < sizeof name)
            name[w++] = s[j++];
        if (j >= n || s[j] != q)
            return false;
        j++;
        while (j < n && is_space((unsigned char)s[j]))
            j++;
        if (j < n && s[j] == '+') {
            j++;
            continue;
        }
        break;
    }
    if (!(j + 1 < n && s[j] == ']' && (s[j + 1] == '(' || s[j + 1] == '`')))
        return false;
    for (size_t k = 0; k < mr_xss_loose_sinks_count; k++)
        if (strlen(mr_xss_loose_sinks[k]) == w && memcmp(mr_xss_loose_sinks[k], name, w) == 0)
            return true;
    return false;
}

/* JavaScript's escapes in a name or a string, undone: "al\u0065rt(1)",
 * "top['al\145rt'](1)", "\x61lert(1)". Returns the view's length, 0
 * when nothing was undone. */
size_t mr_xss_js_unescaped(const char *s, size_t n, char *out, size_t max)
{
    size_t w = 0, undone = 0;
    for (size_t i = 0; i < n && w < max; i++) {
        unsigned v = 0;
        size_t used = 0;
        if (s[i] == '\\' && i + 5 < n && s[i + 1] == 'u' && mr_is_xdigit((unsigned char)s[i + 2]) &&
            mr_is_xdigit((unsigned char)s[i + 3]) && mr_is_xdigit((unsigned char)s[i + 4]) &&
            mr_is_xdigit((unsigned char)s[i + 5])) {
            for (size_t k = 2; k < 6; k++)
                v = v << 4 | (unsigned)(mr_is_digit((unsigned char)s[i + k]) ? s[i + k] - '0'
                                                                          : (s[i + k] | 0x20) - 'a' + 10);
            used = 6;
        } else if (s[i] == '\\' && i + 3 < n && s[i + 1] == 'x' &&
                   mr_is_xdigit((unsigned char)s[i + 2]) && mr_is_xdigit((unsigned char)s[i + 3])) {
            for (size_t k = 2; k < 4; k++)
                v = v << 4 | (unsigned)(mr_is_digit((unsigned char)s[i + k]) ? s[i + k] - '0'
                                                                          : (s[i + k] | 0x20) - 'a' + 10);
            used = 4;
        } else if (s[i] == '\\' && i + 3 < n && s[i + 1] >= '0' && s[i + 1] <= '3' &&
                   s[i + 2] >= '0' && s[i + 2] <= '7' && s[i + 3] >= '0' && s[i + 3] <= '7') {
            v = (unsigned)((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
            used = 4;
        } else if (s[i] == '\\' && i + 2 < n && s[i + 1] >= '1' && s[i + 1] <= '7' &&
                   s[i + 2] >= '0' && s[i + 2] <= '7' && !(i + 3 < n && s[i + 3] >= '0' &&
                                                             s[i + 3] <= '9')) {
            v = (unsigned)((s[i + 1] - '0') * 8 + (s[i + 2] - '0'));   /* "\74svg" */
            used = 3;
        }
        if (used && v > 0 && v < 0x80) {
            out[w++] = (char)(v >= 'A' && v <= 'Z' ? v + 32 : v);
            i += used - 1;
            undone++;
        } else {
            out[w++] = s[i];
        }
    }
    return undone ? w : 0;
}
