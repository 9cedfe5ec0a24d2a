/*
 * detect_xss.c — cross-site scripting by HTML and JavaScript syntax in a
 * decoded value: a real tag ('<' then a letter) that is a script or a
 * script-capable element, or that carries an on* event handler or a
 * javascript:/vbscript:/data: URL; an attribute broken out of its quotes
 * into an event handler; javascript: and data:text/html URLs; CSS
 * expression(); and a quote broken out of a JavaScript string into a
 * call of alert/prompt/confirm/eval, or a statement ended by ';' then
 * such a call; a link whose host is disguised as evasion lists write it.
 * "<3", "a < b" and "1 < 2" have no tag name, so they never match.
 *
 * A value written into an unquoted attribute needs no quote to break
 * out: a blank (or '/', which HTML also reads as a separator between
 * attributes) starts a new attribute, so "y onload=alert(1)" and
 * "x autofocus/onfocus=prompt(1)" are payloads there. Outside a tag the
 * handler's name must be a DOM event's and its value (up to where HTML
 * ends it) must call alert/prompt/confirm/eval or call through a group:
 * "onions=(2 cups)" is a recipe, "onclick=return confirm(...)" and
 * "onload=window.print()" are developers' searches. Every scan from a
 * quote or a handler is bounded, so repeated handlers cost one pass.
 * The JavaScript a payload runs once out of its string (sinks, aliases,
 * templates, escapes in a name) is detect_xss_js.c.
 */
#include "common.h"

#include "logscan/detect_rules.h"
#include "logscan/detect_xss.h"

#define MR_XSS_TAG_SCAN_MAX 512   /* bytes of attributes looked at per tag */

/* Elements that run script or load active content by themselves. */
static const char *const active_tags[] = {
    "script", "iframe", "frame", "frameset", "object", "embed", "applet",
    "svg", "math", "meta", "base", "link", "style", "form", "isindex",
    "xml", "import", "template", "xss", "animate", "set", "handler",
    "layer", "ilayer", "bgsound", "html", "xsl:stylesheet", "xsl:template",
    "xsl:value-of", "xmp", "plaintext", "listing", "keygen", "portal",
};

/* An event handler attribute at s[i]: on[a-z]{3,} spaces '='. */
static bool handler_at(const char *s, size_t n, size_t i)
{
    if (!(i + 2 < n && s[i] == 'o' && s[i + 1] == 'n'))
        return false;
    size_t j = i + 2;
    while (j < n && mr_is_alpha((unsigned char)s[j]))
        j++;
    if (j - i < 5)
        return false;
    while (j < n && is_space((unsigned char)s[j]))
        j++;
    return j < n && s[j] == '=';
}

/* "javascript:", "vbscript:", "livescript:" at s[i], allowing the tabs and
 * newlines browsers ignore inside a scheme; returns the index after ':'. */
static size_t script_scheme_at(const char *s, size_t n, size_t i)
{
    static const char *const schemes[] = {"javascript", "vbscript", "livescript"};
    for (size_t k = 0; k < MR_ARRAY_LEN(schemes); k++) {
        const char *w = schemes[k];
        size_t j = i;
        while (*w && j < n) {
            unsigned char c = (unsigned char)s[j];
            if (c == '\t' || c == '\n' || c == '\r') {
                j++;
                continue;
            }
            if (c != (unsigned char)*w)
                break;
            w++;
            j++;
        }
        if (*w)
            continue;
        while (j < n && is_space((unsigned char)s[j]))
            j++;
        if (j < n && s[j] == ':')
            return j + 1;
    }
    return 0;
}

/* After a script scheme: code, not prose ("javascript: the good parts")
 * and not the no-op links (javascript:void(0), javascript:;). */
static bool script_body_is_code(const char *s, size_t n, size_t i)
{
    while (i < n && is_space((unsigned char)s[i]))
        i++;
    if (i >= n || s[i] == ';' || word_at(s, n, i, "void(0)") || word_at(s, n, i, "void 0"))
        return false;
    for (size_t j = i; j < n; j++) {
        unsigned char c = (unsigned char)s[j];
        if (c == '`' || c == '=' || (c == '(' && j > i && !is_space((unsigned char)s[j - 1])) ||
            (c == '/' && j + 1 < n && s[j + 1] == '/'))
            return true;
    }
    return false;
}

/* "expression(" at s[i] with comments and CSS escapes inside the word,
 * as IE read it: "expr/ * x * /ession(", "ex\\pression(". */
static bool css_expression_at(const char *s, size_t n, size_t i)
{
    static const char word[] = "expression(";
    size_t k = 0;
    while (i < n && k < sizeof word - 1) {
        if (s[i] == '/' && i + 1 < n && s[i + 1] == '*') {
            long end = mr_find(s + i + 2, n - i - 2, "*/");
            if (end < 0)
                return false;
            i += 2 + (size_t)end + 2;
            continue;
        }
        if (s[i] == '\\') {
            i++;
            continue;
        }
        if (s[i] != word[k])
            return false;
        i++;
        k++;
    }
    return k == sizeof word - 1;
}

/* alert/prompt/confirm/eval called at s[i] as a whole word. */
static bool loose_call_at(const char *s, size_t n, size_t i)
{
    if (i > 0 && name_char((unsigned char)s[i - 1]))
        return false;
    for (size_t k = 0; k < mr_xss_loose_sinks_count; k++) {
        size_t e = i + strlen(mr_xss_loose_sinks[k]);
        if (word_at(s, n, i, mr_xss_loose_sinks[k]) && e < n && (s[e] == '(' || s[e] == '`'))
            return true;
    }
    return false;
}

/* An href's URL at s[v] (after '=' and an optional quote) whose host
 * is disguised, as filter-evasion lists write a link to an attacker's
 * page: one number for the whole address ("http://1113982867/"), labels
 * in hex or octal ("0x42.0x0000066.0x7.0x93", "0102.0146.0007.00000223"),
 * user info before the host of a web URL ("http://google@evil"), a blank
 * or an escape. A page's own links ("cli.html", "https://host/page",
 * "//cdn.example.com/x.js", "http://192.168.1.1/", an FTP login) are what
 * changelogs, documentation and router manuals hold. */
static bool disguised_host_at(const char *s, size_t n, size_t v)
{
    while (v < n && (is_space((unsigned char)s[v]) || s[v] == '"' || s[v] == '\''))
        v++;
    size_t h = v;
    while (h < n && h - v < 8 && mr_is_alpha((unsigned char)s[h]))
        h++;
    if (!(h > v && word_at(s, n, h, "://")))
        return false;
    bool web = word_at(s, n, v, "http");
    h += 3;
    /* numeric: every dot-separated label digits or "0x" and hex digits;
     * disguised when there is one label, or one in hex or octal */
    bool numeric = true, hex = false, odd_base = false;
    size_t e = h, label = h, labels = 1;
    for (; e < n && e - h < 64 && s[e] != '\0' && !strchr("/\"'> ?#", s[e]); e++) {
        unsigned char c = (unsigned char)s[e];
        if ((c == '@' && web) || c == '%' || is_space(c))
            return true;
        if (c == '.') {
            label = e + 1;
            labels++;
            hex = false;
        } else if (c == 'x' && e == label + 1 && s[label] == '0') {
            hex = odd_base = true;
        } else if (c == '0' && e == label && e + 1 < n && mr_is_digit((unsigned char)s[e + 1])) {
            odd_base = true;   /* a leading zero: octal */
        } else if (!(mr_is_digit(c) || (hex && c >= 'a' && c <= 'f'))) {
            numeric = false;
        }
    }
    return numeric && e > h && (labels == 1 || odd_base);
}

/* The end of an attribute's value starting at v, as HTML reads it: the
 * matching quote for a quoted one, else the first blank or '>'; looked
 * for over at most max bytes, so a long value costs max at most. */
static size_t value_end(const char *s, size_t n, size_t v, size_t max)
{
    size_t end = MR_MIN(n, v + max);
    if (v < n && (s[v] == '"' || s[v] == '\'')) {
        const char *q = memchr(s + v + 1, s[v], end - v - 1);
        return q ? (size_t)(q - s) : end;
    }
    for (size_t j = v; j < end; j++)
        if (is_space((unsigned char)s[j]) || (s[j] == '>' && !(j > v && s[j - 1] == '=')))
            return j;   /* an arrow's "=>" kept: payloads are written for script too */
    return end;
}

/* A CSS url()'s argument (p[0..n), up to its ')') that loads script or
 * breaks out of the declaration: a script or data scheme, an SVG, HTC,
 * XML or XBL document, or ';', '{', '}' and comments inside the url.
 * "url(/img/bg.png)" and "url(cid:logo)" are pictures. */
static bool active_url(const char *p, size_t n)
{
    static const char *const loads[] = {"javascript:", "vbscript:", "data:", ".svg", ".htc",
                                        ".xml", ".xbl", ";", "{", "}", "/*"};
    const char *close = memchr(p, ')', n);
    size_t len = close ? (size_t)(close - p) : n;
    for (size_t k = 0; k < MR_ARRAY_LEN(loads); k++)
        if (mr_find(p, len, loads[k]) >= 0)
            return true;
    return false;
}

/* An attribute at s[j] (a tag's, up to end) that loads or binds code
 * without a handler: a style that fetches or runs something
 * ("background:url(...)", "expression(", "-moz-binding", "@import"), IE's
 * data binding (datasrc=, dataformatas=) and XML Events' handler.
 * *next: where a style's value ends, so that the caller reads it once. */
static const char *active_attribute_at(const char *s, size_t end, size_t j, size_t *next)
{
    static const char *const style_loads[] = {"expression", "behavior:", "-moz-binding", "@import"};
    static const char *const binding[] = {"datasrc", "dataformatas", "ev:event", "ev:handler"};
    size_t e = j;
    while (e < end && (mr_is_alpha((unsigned char)s[e]) || s[e] == ':' || s[e] == '-'))
        e++;
    size_t name = e - j;
    while (e < end && is_space((unsigned char)s[e]))
        e++;
    if (name == 0 || e >= end || s[e] != '=')
        return NULL;
    for (size_t k = 0; k < MR_ARRAY_LEN(binding); k++)
        if (strlen(binding[k]) == name && memcmp(s + j, binding[k], name) == 0)
            return "data-binding";
    if (name != 5 || memcmp(s + j, "style", 5) != 0)
        return NULL;
    size_t v = e + 1;
    while (v < end && is_space((unsigned char)s[v]))
        v++;
    size_t vend = value_end(s, end, v, MR_XSS_TAG_SCAN_MAX);
    *next = vend;
    for (size_t k = 0; k < MR_ARRAY_LEN(style_loads); k++)
        if (mr_find(s + v, vend - v, style_loads[k]) >= 0)
            return "style-attribute";
    long u = mr_find(s + v, vend - v, "url(");
    return u >= 0 && active_url(s + v + u + 4, vend - v - (size_t)u - 4) ? "style-attribute" : NULL;
}

/* A tag at s[lt] == '<': returns the rule that fires, or NULL. */
static const char *tag_at(const char *s, size_t n, size_t lt)
{
    size_t i = lt + 1;
    bool closing = i < n && s[i] == '/';
    if (closing)
        i++;
    size_t name = i;
    while (i < n && (mr_is_alnum((unsigned char)s[i]) || s[i] == '-' || s[i] == ':'))
        i++;
    if (i == name || !mr_is_alpha((unsigned char)s[name]))
        return NULL;
    size_t name_len = i - name;
    /* a namespace prefix changes nothing in an XHTML document:
     * "<x:script xmlns:x=\"http://www.w3.org/1999/xhtml\">" runs */
    const char *colon = memchr(s + name, ':', name_len);
    size_t local = colon ? (size_t)(colon - s) + 1 : name, local_len = name + name_len - local;
    bool script = local_len == 6 && memcmp(s + local, "script", 6) == 0;
    if (closing)
        return script ? "script-tag" : NULL;
    bool after_ok = i >= n || is_space((unsigned char)s[i]) || s[i] == '/' || s[i] == '>';
    if (script && after_ok)
        return "script-tag";
    /* with a prefix only the elements that run code themselves count:
     * "<atom:link>" and "<xs:import>" are XML of their own */
    static const char *const prefixed_active[] = {"iframe", "frame", "object", "embed",
                                                  "applet", "svg"};
    bool active = false;
    for (size_t k = 0; k < MR_ARRAY_LEN(active_tags) && after_ok; k++)
        if (strlen(active_tags[k]) == name_len && memcmp(active_tags[k], s + name, name_len) == 0)
            active = true;
    /* SVG's namespace makes any element SVG's: "<svg:x>" */
    if (after_ok && colon && colon - (s + name) == 3 && memcmp(s + name, "svg", 3) == 0)
        active = true;
    for (size_t k = 0; k < MR_ARRAY_LEN(prefixed_active) && after_ok && colon; k++)
        if (strlen(prefixed_active[k]) == local_len &&
            memcmp(prefixed_active[k], s + local, local_len) == 0)
            active = true;
    size_t end = MR_MIN(n, i + MR_XSS_TAG_SCAN_MAX);
    bool anchor = name_len == 1 && s[name] == 'a', href = false;
    size_t j = i;
    for (; j < end && s[j] != '>'; j++) {
        unsigned char prev = (unsigned char)s[j - 1];
        if (anchor && (is_space(prev) || prev == '/') && word_at(s, n, j, "href")) {
            size_t e = j + 4;
            while (e < end && is_space((unsigned char)s[e]))
                e++;
            href = href || (e < end && s[e] == '=' && disguised_host_at(s, end, e + 1));
        }
        if ((is_space(prev) || prev == '/' || prev == '"' || prev == '\'') && handler_at(s, n, j))
            return "event-handler";
        if (is_space(prev) || prev == '/' || prev == '"' || prev == '\'') {
            size_t next = j;
            const char *attr = active_attribute_at(s, end, j, &next);
            if (attr)
                return attr;
            if (next > j + 1)
                j = next - 1;   /* past a style's value: each byte of a tag is read once */
        }
        if (s[j] == '=') {
            size_t v = j + 1;
            while (v < n && (is_space((unsigned char)s[v]) || s[v] == '"' || s[v] == '\''))
                v++;
            if (script_scheme_at(s, n, v) || word_at(s, n, v, "data:text/html"))
                return "script-url-attribute";
        }
        /* a sink called as an attribute's value, however the attribute
         * is spelled: "<img src=javascrscriptipt:alert(1)>",
         * "<body onload!#$%&()=alert(1)>" ("x<y) alert(1)" is code) */
        if ((s[j] == 'a' || s[j] == 'p' || s[j] == 'c' || s[j] == 'e') &&
            (prev == '=' || prev == ':' || prev == '"' || prev == '\'') && loose_call_at(s, n, j))
            return "tag-script-call";
    }
    if (anchor && href && j < end)
        return "link-tag";
    return active ? "active-tag" : NULL;
}

/* A dynamic import of another host's script at s[j]:
 * "import('//203.0.113.7/x.js')", "import(`https://...`)". */
static bool remote_import_at(const char *s, size_t n, size_t j)
{
    if (!word_at(s, n, j, "import("))
        return false;
    j += 7;
    if (j < n && (s[j] == '\'' || s[j] == '"' || s[j] == '`'))
        j++;
    return word_at(s, n, j, "//") || word_at(s, n, j, "http:") || word_at(s, n, j, "https:");
}

/* "return" right before s[j] (blanks between): "onclick=return
 * confirm(...)" asks the user, it attacks nobody. */
static bool after_return(const char *s, size_t v, size_t j)
{
    while (j > v && is_space((unsigned char)s[j - 1]))
        j--;
    return j >= v + 6 && memcmp(s + j - 6, "return", 6) == 0 &&
           (j == v + 6 || !name_char((unsigned char)s[j - 7]));
}

/* An event handler set outside a tag at s[i] (after a blank or '/'): a
 * DOM event's name, '=', and a value (up to its end: a blank or '>', or
 * the closing quote; at most MR_XSS_HANDLER_CODE_MAX bytes) that calls
 * alert/prompt/confirm/eval (not after "return"), or calls through a
 * parenthesised expression or a member ("(alert)(1)", "((prompt))`1`",
 * "window[x](1)"); "onload=init()" and "onclick=function()(event)" are
 * what a developer searches for. Sinks are looked for only at a word's
 * start, so a value costs one pass. */
#define MR_XSS_HANDLER_CODE_MAX 96
static bool loose_handler_at(const char *s, size_t n, size_t i)
{
    if (!handler_at(s, n, i))
        return false;
    bool known = false;
    for (size_t k = 0; k < mr_xss_dom_events_count && !known; k++)
        known = word_at(s, n, i + 2, mr_xss_dom_events[k]);
    if (!known)
        return false;
    size_t v = i + 2;
    while (s[v] != '=')   /* handler_at saw the '=' */
        v++;
    v++;
    while (v < n && is_space((unsigned char)s[v]))
        v++;
    size_t end = value_end(s, n, v, MR_XSS_HANDLER_CODE_MAX);
    if (v < n && (s[v] == '"' || s[v] == '\''))
        v++;
    size_t depth = 0;   /* open '(' that group an expression, not a call's */
    size_t groups[8];   /* their depths, a call's '(' not counted */
    size_t ngroups = 0;
    for (size_t j = v; j < end; j++) {
        unsigned char c = (unsigned char)s[j];
        bool word_start = j == v || !name_char((unsigned char)s[j - 1]);
        if (word_start && mr_is_alpha(c) && !after_return(s, v, j)) {
            if (remote_import_at(s, end, j))
                return true;
            for (size_t k = 0; k < mr_xss_loose_sinks_count; k++) {
                size_t len = strlen(mr_xss_loose_sinks[k]);
                if (word_at(s, end, j, mr_xss_loose_sinks[k]) && j + len < end &&
                    (s[j + len] == '(' || s[j + len] == '`' || s[j + len] == ')'))
                    return true;   /* "alert(1)", "prompt`1`", "(confirm)(1)" */
            }
        }
        if (c == '(') {
            /* a group when no name or call ends right before it */
            bool group = j == v || !(name_char((unsigned char)s[j - 1]) || s[j - 1] == ')' ||
                                     s[j - 1] == ']');
            if (group && ngroups < MR_ARRAY_LEN(groups))
                groups[ngroups++] = depth;
            depth++;
        } else if (c == ')' && depth > 0) {
            depth--;
            bool closes_group = ngroups > 0 && groups[ngroups - 1] == depth;
            if (closes_group)
                ngroups--;
            /* a call through a group: "(f)(1)", "((prompt))`1`"; not
             * after a call's own list ("function()(event)") */
            if (closes_group && j + 1 < end && (s[j + 1] == '(' || s[j + 1] == '`'))
                return true;
        } else if (c == ']') {
            /* through a member: "w[x](1)", and "w[x] (1)" past the
             * value's end (a blank) as script reads it */
            size_t k = j + 1, stop = MR_MIN(n, k + 8);
            while (k < stop && s[k] == ' ')
                k++;
            if (k < stop && (s[k] == '(' || s[k] == '`'))
                return true;
        }
    }
    return false;
}

/* A quote or '>' breaking out of an attribute into an event handler
 * whose code calls something within MR_XSS_BREAK_CODE_MAX bytes of its
 * '=' (each quote costs a bounded look, whatever the value's length). */
#define MR_XSS_BREAK_CODE_MAX 128
static bool attribute_break_at(const char *s, size_t n, size_t q)
{
    size_t j = q + 1;
    if (j >= n || !(is_space((unsigned char)s[j]) || s[j] == '/' || mr_is_alpha((unsigned char)s[j])))
        return false;   /* '"onmouseover=', '"autofocus/onfocus=': no space needed */
    size_t end = MR_MIN(n, j + 64);
    for (; j < end; j++) {
        unsigned char prev = (unsigned char)s[j - 1];
        if ((is_space(prev) || prev == '/' || j == q + 1) && handler_at(s, n, j)) {
            const char *eq = memchr(s + j, '=', n - j);
            size_t code_end = MR_MIN(n, (size_t)(eq - s) + MR_XSS_BREAK_CODE_MAX);
            for (size_t k = (size_t)(eq - s); k < code_end; k++)
                if (s[k] == '(' || s[k] == '`')
                    return true;
            return false;
        }
    }
    return false;
}

/* Style that binds script to an element: Firefox's "-moz-binding:" and
 * IE's "behavior: url(...)" (an HTC file). s[i] is '-' or 'b'. */
static bool css_binding_at(const char *s, size_t n, size_t i)
{
    bool moz = word_at(s, n, i, "-moz-binding");
    if (!moz && !(word_at(s, n, i, "behavior") && (i == 0 || !name_char((unsigned char)s[i - 1]))))
        return false;
    size_t j = i + (moz ? 12 : 8);
    while (j < n && is_space((unsigned char)s[j]))
        j++;
    if (!(j < n && s[j] == ':'))
        return false;
    j++;
    while (j < n && is_space((unsigned char)s[j]))
        j++;
    return word_at(s, n, j, "url(");
}

static bool detect_xss_once(const char *s, size_t n, mr_match *m);

bool mr_detect_xss(const char *s, size_t n, mr_match *m)
{
    if (detect_xss_once(s, n, m))
        return true;
    char view[MR_XSS_VIEW_MAX];
    size_t vn = memchr(s, '\\', n) ? mr_xss_js_unescaped(s, n, view, sizeof view) : 0;
    if (vn == 0 || !detect_xss_once(view, vn, m))
        return false;
    m->rule = "js-escaped-call";
    m->off = 0;   /* evidence from the value itself */
    return true;
}

/* The token that ends at s[k - 1] is the value's first, or follows a
 * quote: "48e71;alert(1)//", "x';alert(1)//"; "step 4; prompt(user
 * input)" is a sentence. */
static bool lone_token_before(const char *s, size_t k)
{
    size_t t = k;
    while (t > 0 && (name_char((unsigned char)s[t - 1]) || s[t - 1] == '.'))
        t--;
    return t == 0 || s[t - 1] == '"' || s[t - 1] == '\'';
}

static bool detect_xss_once(const char *s, size_t n, mr_match *m)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *rule = NULL;
        if (c == '<') {
            rule = tag_at(s, n, i);
            if (!rule && word_at(s, n, i, "<!--[if"))
                rule = "conditional-comment";   /* IE ran what it hides */
            if (!rule && (word_at(s, n, i, "<?import") || word_at(s, n, i, "<?xml-stylesheet")))
                rule = "active-tag";   /* IE's element behaviours (HTC), an XSL to run */
        } else if (c == '+' && word_at(s, n, i, "+adw-") && i + 5 < n &&
                   (mr_is_alpha((unsigned char)s[i + 5]) || s[i + 5] == '/')) {
            rule = "utf7-tag";   /* "+ADw-script+AD4-": '<' in UTF-7 */
        } else if (c == '[' && mr_xss_bracket_call_at(s, n, i)) {
            rule = "js-bracket-call";
        } else if ((c == '.' || c == '$') && mr_xss_template_call_at(s, n, i)) {
            rule = "js-template-call";
        } else if ((c == '-' || c == 'b') && css_binding_at(s, n, i)) {
            rule = "css-binding";
        } else if (c == '"' || c == '\'') {
            if (attribute_break_at(s, n, i))
                rule = "attribute-break";
        } else if (c == 'o' && i > 0 && (is_space((unsigned char)s[i - 1]) || s[i - 1] == '/')) {
            if (loose_handler_at(s, n, i))
                rule = "event-handler";   /* out of an unquoted attribute */
        } else if (c == 'j' || c == 'v' || c == 'l') {
            bool boundary = i == 0 || !mr_is_alnum((unsigned char)s[i - 1]);
            size_t body = boundary ? script_scheme_at(s, n, i) : 0;
            if (body && script_body_is_code(s, n, body))
                rule = "javascript-url";
        } else if (c == 'd' && word_at(s, n, i, "data:") &&
                   (word_at(s, n, i + 5, "text/html") || word_at(s, n, i + 5, "image/svg+xml") ||
                    word_at(s, n, i + 5, "application/xhtml") ||
                    word_at(s, n, i + 5, "text/javascript"))) {
            rule = "data-uri";
        } else if (c == '&' && i + 1 < n && s[i + 1] == '{' && i > 0 &&
                   (s[i - 1] == '"' || s[i - 1] == '\'' || s[i - 1] == '=')) {
            rule = "js-entity";   /* Netscape's "&{alert(1)};" attribute value */
        } else if (c == 'e' && css_expression_at(s, n, i)) {
            size_t k = i;
            while (k > 0 && is_space((unsigned char)s[k - 1]))
                k--;
            if (k > 0 && s[k - 1] == ':')
                rule = "css-expression";
        } else if (c == 'e' && word_at(s, n, i, "expression(")) {
            size_t k = i;
            while (k > 0 && is_space((unsigned char)s[k - 1]))
                k--;
            if (k > 0 && s[k - 1] == ':')
                rule = "css-expression";
        }
        if (!rule && (c == 'a' || c == 'p' || c == 'c' || c == 'e' || c == 'f' ||
                      c == 's' || c == 'i')) {
            /* a sink called right after a broken string or statement */
            size_t k = i;
            bool semicolon = false;
            while (k > 0 && (is_space((unsigned char)s[k - 1]) || s[k - 1] == '+' ||
                             s[k - 1] == '-' || s[k - 1] == ';' || s[k - 1] == ')' ||
                             s[k - 1] == '}' || s[k - 1] == '*' || s[k - 1] == '/')) {
                semicolon = semicolon || s[k - 1] == ';';
                k--;
            }
            bool after_break = k > 0 && (s[k - 1] == '"' || s[k - 1] == '\'' ||
                                                  (s[k - 1] == '>' && !(k > 1 && s[k - 2] == '>')) ||
                                                  s[k - 1] == '`');
            /* "}alert(1);{//": a block closed at the start of the value */
            after_break = after_break || (k == 0 && i > 0 && s[0] == '}') ||
                          (k == 0 && mr_xss_strict_call_at(s, n, i)) ||
                          (semicolon && k > 0 && name_char((unsigned char)s[k - 1]) &&
                           s[k] == ';' && k + 1 == i && lone_token_before(s, k) &&
                           mr_xss_statement_break_at(s, n, i));   /* "48e71;alert(1)" */
            if (after_break && mr_xss_js_call_at(s, n, i))
                rule = "js-break";
            else if ((c == 'a' || c == 'p' || c == 'c' || c == 'e') && mr_xss_sink_reference_at(s, n, i))
                rule = "js-sink-alias";
        }
        if (rule) {
            m->rule = rule;
            m->off = i;
            return true;
        }
    }
    /* a handler as the start of the value, for an unquoted attribute:
     * " onmouseover=alert(1)", "onfocus=\"document.cookie...\"" */
    size_t i = 0;
    while (i < n && is_space((unsigned char)s[i]))
        i++;
    if (i > 0 && handler_at(s, n, i)) {
        const char *eq = memchr(s + i, '=', n - i);
        for (size_t k = (size_t)(eq - s); k < n; k++)
            if (s[k] == '(' || s[k] == '`' || word_at(s, n, k, "document.")) {
                m->rule = "event-handler";
                m->off = i;
                return true;
            }
    }
    return false;
}
