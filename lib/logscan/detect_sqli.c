/*
 * detect_sqli.c — SQL injection by syntax, not by keyword (after
 * libinjection's idea, written from scratch): the decoded value is cut
 * into SQL tokens (strings, numbers, keywords, functions, operators,
 * comments, parentheses) three times — as if it were pasted into the
 * query bare, after a single quote, and after a double quote — and each
 * token stream is matched against the shapes an injection takes: a
 * string closed early and followed by a boolean, UNION, a stacked query
 * or a comment; a number followed by the same; UNION SELECT; a subquery;
 * time and error functions; ORDER BY n; tautologies. "select a size" is
 * a keyword followed by words, which no shape matches.
 *
 * The tokenizer, and how it reads comments, is detect_sqli_tokens.c;
 * the statements and clauses an injection adds are
 * detect_sqli_statements.c, and injections made of expressions
 * detect_sqli_exprs.c.
 */
#include "common.h"

#include "logscan/detect_rules.h"
#include "logscan/detect_sqli_tokens.h"

#define MR_SQLI_VIEW_MAX 2048   /* bytes of a value seen with its escapes undone */

/* Functions whose call is an injection on its own: time delays, error
 * based extraction, file reads, out-of-band channels. */
static const char *const danger_functions[] = {
    "benchmark", "pg_sleep", "extractvalue", "updatexml", "load_file",
    "dbms_pipe.receive_message", "utl_inaddr.get_host_address",
    "utl_http.request", "name_const", "sys_eval", "sys_exec",
    "dbms_lock.sleep", "ctxsys.drithsx.sn", "xp_cmdshell",
    "xp_dirtree", "geometrycollection", "json_keys", "gtid_subset",
    "randomblob", "regexp_substring", "generate_series", "raise_error",
    "crypt_key", "make_set", "pg_read_file", "dbms_xmlgen.getxml", "xmltype",
    "utl_inaddr.get_host_name", "dbms_utility.sqlid_to_sqlhash", "sleep_until",
    "get_lock", "sys.fn_sqlvarbasetostr", "pg_ls_dir", "lo_import", "exp",
    "st_latfromgeohash", "st_longfromgeohash", "st_pointfromgeohash", "polygon",
    "multipoint", "linestring", "multilinestring", "multipolygon",
    "lo_get", "lo_export", "lo_from_bytea", "lo_put", "dblink", "dblink_exec",
};

/* Words only the database catalog and its admin procedures use. */
static const char *const catalog_words[] = {
    "information_schema", "xp_cmdshell", "sp_executesql", "sp_oacreate",
    "sysobjects", "syscolumns", "pg_shadow", "mysql.user", "sqlite_master",
    "all_tab_columns", "xp_dirtree", "pg_catalog", "sys.databases",
    "rdb$database", "sysibm.sysdummy1", "msysaccessobjects",
    "sysmaster:sysdual", "all_users", "user_tables", "pg_user", "sys.tables",
};

/* ---- shape rules over a token stream ---- */

static bool is_value(const rules_ctx *c, size_t i)
{
    tok_type t = ty(c, i);
    return t == TK_STR || t == TK_NUM || t == TK_VAR || t == TK_WORD || t == TK_FUNC ||
           is_kw(c, i, KW_NULL) || is_kw(c, i, KW_TRUE) || is_kw(c, i, KW_FALSE) ||
           is_kw(c, i, KW_USER);
}

/* The same token text at a and b: "user=user", "2=2". */
static bool same_text(const rules_ctx *c, size_t a, size_t b)
{
    const tok *x = &c->ts->t[a], *y = &c->ts->t[b];
    return x->type == y->type && x->len == y->len &&
           memcmp(c->s + x->off, c->s + y->off, x->len) == 0;
}

static bool is_literal_value(const rules_ctx *c, size_t i)
{
    tok_type t = ty(c, i);
    return t == TK_NUM || is_kw(c, i, KW_TRUE) || is_kw(c, i, KW_FALSE) || is_kw(c, i, KW_NULL);
}

static bool bool_expr(const rules_ctx *c, size_t i, bool lone_literal_ok);

/* A call at t[i] that computes or is compared: "isnull(1/0)",
 * "ascii(substring(x,1,1))>64"; "more(2019)" is a title. */
static bool computed_call(const rules_ctx *c, size_t i)
{
    if (ty(c, i) != TK_FUNC || ty(c, i + 1) != TK_LPAREN)
        return false;
    size_t close = closing_paren(c, i + 1);
    for (size_t k = i + 2; k < close; k++)
        if ((ty(c, k) == TK_CMP || is_op(c, k, '+') || is_op(c, k, '-') || is_op(c, k, '*') ||
             is_op(c, k, '/') || is_op(c, k, '%')) && is_value(c, k + 1) &&
            (ty(c, k - 1) == TK_NUM || ty(c, k + 1) == TK_NUM || ty(c, k + 1) == TK_FUNC))
            return true;   /* on a number: not "or newer (2.0+)", "or nearest (a/b)" */
    return ty(c, close + 1) == TK_CMP;
}

/* A value with no prose before it that starts with AND/OR and a
 * comparison of literals or of a thing with itself: " and 2=0--",
 * "or 1=1#", "and user()=user()"; or with any boolean SQL expression
 * when a comment or ';' ends the value, which prose does not do: "or 1
 * --", "or true--", "or isnull(1/0)" and an open comment, "or name
 * like char(37);". */

static bool leading_boolean(const rules_ctx *c)
{
    if (ty(c, 0) != TK_LOGIC || c->ts->t[0].kw == KW_NOT)
        return false;
    /* ... with a literal or a comparison in it: "and more (2019) #1" is
     * a title */
    tok_type last = ty(c, c->ts->n - 1);
    bool compared = ty(c, 2) == TK_CMP || ty(c, 3) == TK_CMP || ty(c, 4) == TK_CMP;
    if (c->ts->n >= 3 && (last == TK_COMMENT || last == TK_SEMI) &&
        (is_literal_value(c, 1) || compared || computed_call(c, 1)) && bool_expr(c, 1, true))
        return true;
    static const char *const probes[] = {"isnull", "ifnull", "nullif", "coalesce", "if", "iif",
                                         "ascii", "ord", "length", "substring", "substr", "mid",
                                         "sleep", "benchmark"};
    if (computed_call(c, 1) && at_end(c, closing_paren(c, 2) + 1) &&
        tok_text_is(c, 1, probes, MR_ARRAY_LEN(probes)))
        return true;   /* "and isnull(1/0)"; "or die(1/0)" is PHP's, "and sum(1+2)" a sum */
    /* a literal or a group first: "or 'a' in ('a')", "or 2 between 1
     * and 3", "or 'ab' = 'a'+'b'", "or (exists ...)" */
    if ((ty(c, 1) == TK_STR || ty(c, 1) == TK_NUM || ty(c, 1) == TK_LPAREN) &&
        bool_expr(c, 1, false))
        return true;
    size_t a = 1;
    if (!is_value(c, a))
        return false;
    size_t b = a + 1;
    if (ty(c, a) == TK_FUNC && ty(c, b) == TK_LPAREN && ty(c, b + 1) == TK_RPAREN)
        b += 2;   /* user() */
    if (ty(c, b) != TK_CMP || !is_value(c, b + 1))
        return false;
    size_t e = b + 2;
    if (ty(c, b + 1) == TK_FUNC && ty(c, e) == TK_LPAREN && ty(c, e + 1) == TK_RPAREN)
        e += 2;
    bool literals = (is_literal_value(c, a) || ty(c, a) == TK_STR) &&
                    (is_literal_value(c, b + 1) || ty(c, b + 1) == TK_STR);
    if (literals && ty(c, a) == TK_NUM && ty(c, b + 1) == TK_NUM && ty(c, e) == TK_LOGIC)
        return true;   /* sqlmap's boundary: " and 7506=9091 and ('x'='x" */
    return (literals || same_text(c, a, b + 1)) && (at_end(c, e) || ty(c, e) == TK_COMMENT);
}


/* What may follow a comparison injected into a query: its end, a
 * comment, a string the query closes, or more SQL — not prose words. */
static bool bool_expr(const rules_ctx *c, size_t i, bool lone_literal_ok);

static bool sql_tail(const rules_ctx *c, size_t i)
{
    tok_type t = ty(c, i);
    if (at_end(c, i) || t == TK_COMMENT || t == TK_SEMI || t == TK_RPAREN || t == TK_STR ||
        (t == TK_OP && !is_value(c, i + 1)))
        return true;
    if (t == TK_OP && ty(c, i + 1) == TK_STR && c->depth < MR_SQLI_TAIL_DEPTH_MAX) {
        rules_ctx deeper = *c;   /* strings joined: 'a'+'b' ("x = y + 1" is arithmetic) */
        deeper.depth++;
        return sql_tail(&deeper, i + 2);
    }
    if (t == TK_LOGIC) {
        rules_ctx deeper = *c;
        deeper.depth++;
        return c->depth < MR_SQLI_TAIL_DEPTH_MAX && bool_expr(&deeper, i + 1, true);
    }
    return (is_kw(c, i, KW_UNION) && (is_kw(c, i + 1, KW_SELECT) || is_kw(c, i + 1, KW_ALL))) ||
           ((is_kw(c, i, KW_ORDER) || is_kw(c, i, KW_GROUP)) && is_kw(c, i + 1, KW_BY)) ||
           (is_kw(c, i, KW_LIMIT) && ty(c, i + 1) == TK_NUM) ||
           (is_kw(c, i, KW_HAVING) && ty(c, i + 2) == TK_CMP) ||
           (is_kw(c, i, KW_INTO) && (is_kw(c, i + 1, KW_OUTFILE) || is_kw(c, i + 1, KW_DUMPFILE)));
}

/* A boolean SQL expression starting at i (after AND/OR). */
static bool bool_expr(const rules_ctx *c, size_t i, bool lone_literal_ok)
{
    while (ty(c, i) == TK_LOGIC && c->ts->t[i].kw == KW_NOT)
        i++;
    if (ty(c, i) == TK_FUNC || is_kw(c, i, KW_EXISTS))
        return true;
    if (ty(c, i) == TK_LPAREN) {
        size_t j = i;
        while (ty(c, j) == TK_LPAREN)
            j++;
        if (is_kw(c, j, KW_SELECT) || ty(c, j) == TK_FUNC || is_kw(c, j, KW_EXISTS))
            return true;
        if (!is_value(c, j))
            return false;
        size_t k = j + 1;
        while (ty(c, k) == TK_RPAREN && k - j <= j - i)
            k++;   /* "('x')=('x": each side in its parentheses */
        return ty(c, k) == TK_CMP;
    }
    if (is_value(c, i)) {
        tok_type n = ty(c, i + 1);
        /* "'a' in ('a')", "2 between 1 and 3" */
        if (ty(c, i + 1) == TK_CMP && c->ts->t[i + 1].kw == KW_IN && ty(c, i + 2) == TK_LPAREN &&
            is_value(c, i + 3))
            return true;
        if (ty(c, i + 1) == TK_CMP && c->ts->t[i + 1].kw == KW_BETWEEN && is_value(c, i + 2) &&
            ty(c, i + 3) == TK_LOGIC && c->ts->t[i + 3].kw == KW_AND && is_value(c, i + 4))
            return true;
        if (n == TK_CMP)
            return ((is_value(c, i + 2) && sql_tail(c, i + 3)) || ty(c, i + 2) == TK_LPAREN ||
                    ty(c, i + 2) == TK_FUNC || at_end(c, i + 2));
        if (lone_literal_ok && is_literal_value(c, i) &&
            (is_stop(c, i + 1) || n == TK_LOGIC))
            return true;
    }
    return false;
}




/* A stand-alone SELECT ... FROM that is clearly a statement. */
static bool select_from(const rules_ctx *c, size_t i)
{
    if (mr_sqli_prose_from(c, i))
        return false;
    size_t j = i + 1;
    bool strong = is_op(c, j, '*') || ty(c, j) == TK_FUNC || ty(c, j) == TK_VAR || ty(c, j) == TK_STR ||
                  is_kw(c, j, KW_NULL) || ty(c, j) == TK_NUM;
    size_t items = 0;
    while (j < c->ts->n && !is_kw(c, j, KW_FROM) && items < 16) {
        tok_type t = ty(c, j);
        if (t == TK_COMMA)
            strong = true;
        else if (!mr_sqli_column_like(c, j) && t != TK_NUM && t != TK_STR && t != TK_FUNC &&
                 t != TK_VAR && t != TK_OP && t != TK_LPAREN && t != TK_RPAREN)
            return false;
        if (t == TK_WORD && ty(c, j + 1) == TK_WORD)
            return false;   /* "select a size from": prose */
        j++;
        items++;
    }
    if (!is_kw(c, j, KW_FROM) || items == 0 || ty(c, j + 1) != TK_WORD)
        return false;
    const tok *table = &c->ts->t[j + 1];
    if (tok_text_is(c, j + 1, catalog_words, MR_ARRAY_LEN(catalog_words)) ||
        memchr(c->s + table->off, '.', table->len))
        strong = true;
    tok_type after = ty(c, j + 2);
    if (((is_kw(c, j + 2, KW_WHERE) || is_kw(c, j + 2, KW_LIMIT) || is_kw(c, j + 2, KW_ORDER) ||
          is_kw(c, j + 2, KW_GROUP)) && !at_end(c, j + 3)) ||
        after == TK_COMMENT || after == TK_SEMI)
        strong = true;   /* "select x from y where" ends before its condition */
    return strong;
}

/* "master..xp_cmdshell", "master.dbo.sysobjects": a qualified name
 * whose last part is a catalog word. */
static bool dotted_catalog(const rules_ctx *c, size_t i)
{
    const tok *t = &c->ts->t[i];
    const char *w = c->s + t->off;
    if (!memchr(w, '.', t->len))
        return false;
    /* each part between dots: information_schema.plugins, master..xp_cmdshell */
    size_t a = 0;
    while (a < t->len) {
        size_t b = a;
        while (b < t->len && w[b] != '.')
            b++;
        for (size_t k = 0; k < MR_ARRAY_LEN(catalog_words); k++)
            if (word_is(catalog_words[k], w + a, b - a))
                return true;
        a = b + 1;
    }
    return false;
}

/* Oracle's network, timing and XML packages, called or named:
 * "'||utl_http.request(...)", "dbms_pipe.receive_message". */
static bool oracle_package(const rules_ctx *c, size_t i)
{
    static const char *const packages[] = {"utl_http.", "utl_inaddr.", "utl_smtp.",
                                           "utl_tcp.", "dbms_pipe.", "dbms_lock.",
                                           "dbms_xmlgen.", "dbms_java.", "dbms_ldap.",
                                           "httpuritype"};
    const tok *t = &c->ts->t[i];
    char first = t->len >= 8 ? c->s[t->off] : '\0';
    if (first != 'u' && first != 'd' && first != 'h')
        return false;
    for (size_t k = 0; k < MR_ARRAY_LEN(packages); k++)
        if (packages[k][0] == first && mr_find(c->s + t->off, t->len, packages[k]) == 0)
            return true;
    return false;
}

static bool equal_literals(const rules_ctx *c, size_t a, size_t b)
{
    const tok *x = &c->ts->t[a], *y = &c->ts->t[b];
    return x->type == y->type && (x->type == TK_NUM || x->type == TK_STR) &&
           x->len == y->len && memcmp(c->s + x->off, c->s + y->off, x->len) == 0;
}

/* A quote that opens a quoted token in prose rather than closing the
 * application's string: it follows a blank, '(' or nothing, the same
 * quote comes again, and what it quotes is a C preprocessor line, an
 * issue number or a lone "--" ('#define x', "#include <a.h>",
 * (`#2706 <https://...>`_), '--' in the docs). MySQL needs a blank after
 * "--", so "--'" comments nothing out; "admin '#x'" stays an injection. */
static bool quoted_comment(const rules_ctx *c, size_t comment)
{
    static const char *const directives[] = {"include", "define", "ifdef", "ifndef", "undef",
                                             "if ", "endif", "pragma", "else"};
    size_t quote = c->ts->t[0].len;   /* the closed string ends at its quote */
    const tok *k = &c->ts->t[comment];
    if (comment != 1 || k->len < 3)
        return false;
    unsigned char before = quote ? (unsigned char)c->s[quote - 1] : ' ';
    char q = c->s[quote];
    const char *body = c->s + k->off;
    if (!(before == ' ' || before == '(') || !memchr(body, q, k->len))
        return false;
    if (body[0] == '-')
        return body[1] == '-' && body[2] == q;   /* '--' */
    if (body[0] != '#')
        return false;
    if (mr_is_digit((unsigned char)body[1]))
        return true;   /* an issue number */
    for (size_t d = 0; d < MR_ARRAY_LEN(directives); d++)
        if (k->len > strlen(directives[d]) &&
            memcmp(body + 1, directives[d], strlen(directives[d])) == 0)
            return true;
    return false;
}

/* The closed string t[0] ends with a digit right before its quote: a
 * measure in feet or inches ("hat 18';", "7\" #2 needle", "16\" or
 * 18\""), which shop searches are full of. */
static bool measure_mark(const rules_ctx *c)
{
    size_t quote = c->ts->t[0].len;
    return quote > 0 && mr_is_digit((unsigned char)c->s[quote - 1]);
}

/* A '#' after the quote that starts prose, not a comment: a number sign
 * after a measure ("7\" #2 circular needle"), or a blank and words
 * after a phrase ("foo bar'# blah"). "admin'#" comments out the rest. */
static bool number_sign(const rules_ctx *c, size_t comment)
{
    const tok *k = &c->ts->t[comment];
    const char *body = c->s + k->off;
    if (comment != 1 || k->len < 3 || body[0] != '#')
        return false;
    bool words = false;
    for (size_t i = 1; i < k->len && !words; i++)
        words = mr_is_alpha((unsigned char)body[i]);
    if (!words)
        return false;
    if (mr_is_digit((unsigned char)body[1]) || body[1] == ' ')
        return measure_mark(c) || memchr(c->s, ' ', c->ts->t[0].len) != NULL;
    return false;
}

/* After "' or": literals and operators up to a string the value
 * leaves open for the application's own quote to close ("admin' or '",
 * "' or ''-'"): quotes balanced for the query, which prose ("dogs' or
 * 'cats'") does not leave open. */
static bool open_string_tail(const rules_ctx *c, size_t i)
{
    if (c->ts->n == 0)
        return false;
    size_t last = c->ts->n - 1;
    const tok *t = &c->ts->t[last];
    /* what the value leaves open is short and no word: "'", "q", not the
     * " monitor" after the inch marks of "24\" or 27\" monitor" */
    if (i > last || last - i > 4 || t->type != TK_STR || t->off + t->len != c->n || t->len > 2 ||
        memchr(c->s + t->off, ' ', t->len))
        return false;
    const tok *before = &c->ts->t[last - 1];
    if (t->len == 0 && last > i && before->type == TK_NUM && before->off + before->len + 1 == t->off)
        return false;   /* a measure: "16\" or 18\"" */
    for (size_t k = i; k < last; k++) {
        tok_type y = ty(c, k);
        if (y != TK_STR && y != TK_NUM && y != TK_OP && y != TK_CMP)
            return false;
    }
    return true;
}

/* Rules for a value pasted after a quote: t[0] is the closed string. */
static const char *after_string(const rules_ctx *c)
{
    size_t j = 1;
    while (ty(c, j) == TK_RPAREN)
        j++;
    tok_type t = ty(c, j);
    if (t == TK_COMMENT && !quoted_comment(c, j) && !number_sign(c, j))
        return "quote-comment";
    if (t == TK_SEMI)
        return ((at_end(c, j + 1) && !measure_mark(c)) || ty(c, j + 1) == TK_COMMENT)
                   ? "quote-comment"
               : mr_sqli_stacked(c, j + 1) ? "stacked-query" : NULL;
    if (t == TK_LOGIC && (bool_expr(c, j + 1, true) || is_kw(c, j + 1, KW_SELECT)))
        return "quote-boolean";
    if (t == TK_LOGIC && mr_is_alpha((unsigned char)c->s[c->ts->t[j].off]) &&
        c->ts->t[j].kw != KW_NOT && open_string_tail(c, j + 1))
        return "quote-boolean";   /* OR, AND: prose quotes '&&' and "||" */
    /* MSSQL runs a statement after another without ';': "' exec
     * sp_addlogin 'x' --", "' insert into users ... --" */
    if (mr_sqli_stacked(c, j) && ty(c, c->ts->n - 1) == TK_COMMENT && !is_kw(c, j, KW_SELECT))
        return "stacked-query";
    if (mr_sqli_whole_statement(c, j))
        return "stacked-query";   /* "' insert into t(a) values(...)" */
    if (is_kw(c, j, KW_UNION) && mr_sqli_union_select(c, j))
        return "union-select";
    if (is_kw(c, j, KW_UNION) && (is_kw(c, j + 1, KW_SELECT) ||
                                  (is_kw(c, j + 1, KW_ALL) && is_kw(c, j + 2, KW_SELECT))))
        return "union-select";   /* "' union all select" cut short */
    if (t == TK_LPAREN) {
        size_t k = j;
        while (ty(c, k) == TK_LPAREN)
            k++;
        if (is_kw(c, k, KW_SELECT))
            return "subquery";
    }
    if ((is_kw(c, j, KW_ORDER) || is_kw(c, j, KW_GROUP)) && is_kw(c, j + 1, KW_BY))
        return "order-by";
    if (is_kw(c, j, KW_HAVING) || is_kw(c, j, KW_PROCEDURE) || is_kw(c, j, KW_WAITFOR) ||
        (is_kw(c, j, KW_INTO) && (is_kw(c, j + 1, KW_OUTFILE) || is_kw(c, j + 1, KW_DUMPFILE))) ||
        (is_kw(c, j, KW_LIMIT) && ty(c, j + 1) == TK_NUM))
        return "quote-break";
    if ((is_op(c, j, '+') || is_op(c, j, '-') || is_op(c, j, '|')) &&
        (ty(c, j + 1) == TK_FUNC || ty(c, j + 1) == TK_LPAREN))
        return "quote-concat";
    if (t == TK_CMP && is_value(c, j + 1) &&
        (ty(c, j + 2) == TK_LOGIC || ty(c, j + 2) == TK_COMMENT))
        return "quote-boolean";
    /* "5' - 6'" could be a ladder's; "1' or '1' xor '0" a number's quote */
    if (!(measure_mark(c) && memchr(c->s, ' ', c->ts->t[0].len)) && mr_sqli_operator_soup(c, j))
        return "quote-operator";   /* "a' = 'b", "aa'|1+1=(2)or(1)='1" */
    return NULL;
}

/* From t[j] to the end: arithmetic on numbers ("* 1") and then a bare
 * comment, "--" or an open slash-star with nothing after it; "2019--2020"
 * goes on after its dashes. */
static bool bare_comment_end(const rules_ctx *c, size_t j)
{
    while (ty(c, j) == TK_OP && (ty(c, j + 1) == TK_NUM || ty(c, j + 1) == TK_VAR))
        j += 2;
    if (ty(c, j) != TK_COMMENT || !at_end(c, j + 1) || j == 0)
        return false;
    const tok *k = &c->ts->t[j], *v = &c->ts->t[j - 1];
    if (v->off + v->len != k->off)
        return false;   /* "1--", glued; "2019 --" is prose's dash */
    for (size_t b = 2; b < k->len; b++)
        if (c->s[k->off + b] != ' ' && c->s[k->off + b] != '-')
            return false;
    return c->s[k->off] != '#';
}

/* Conditions a sort order is given to leak a bit: ORDER BY IF(...). */
static const char *const order_switches[] = {"if", "ifnull", "iif", "case", "nullif"};

/* Rules for a value that starts with a number (numeric parameter). */
static const char *after_number(const rules_ctx *c)
{
    size_t j = is_op(c, 0, '-') ? 1 : 0;
    if (ty(c, j) != TK_NUM)
        return NULL;
    j++;
    size_t parens = 0;
    while (ty(c, j) == TK_RPAREN) {
        j++;
        parens++;
    }
    tok_type t = ty(c, j);
    if (t == TK_LOGIC && bool_expr(c, j + 1, false))
        return "number-boolean";
    if (t == TK_SEMI && mr_sqli_stacked(c, j + 1))
        return "stacked-query";
    if (is_kw(c, j, KW_HAVING) && bool_expr(c, j + 1, true))
        return "having";
    if (is_kw(c, j, KW_ORDER) && is_kw(c, j + 1, KW_BY) &&
        (ty(c, j + 2) == TK_NUM || (ty(c, j + 2) == TK_FUNC &&
                                    tok_text_is(c, j + 2, order_switches, MR_ARRAY_LEN(order_switches)))))
        return "order-by";   /* "1 order by if(1<2,uname,uid)": blind by sort order */
    if (is_kw(c, j, KW_GROUP) && is_kw(c, j + 1, KW_BY) && ty(c, j + 2) == TK_NUM &&
        (is_stop(c, j + 3) || is_kw(c, j + 3, KW_HAVING)))
        return "order-by";   /* "1 group by 1 having '1' = 1" */
    if (parens == 0 && bare_comment_end(c, j))
        return "number-comment";   /* "1--", "1 * 1 --": the rest of the query cut */
    if (is_kw(c, j, KW_UNION) && mr_sqli_union_select(c, j))
        return "union-select";
    if (parens > 0 && (t == TK_LOGIC || t == TK_SEMI || t == TK_COMMENT ||
                       is_kw(c, j, KW_WHERE) || is_kw(c, j, KW_UNION)))
        return "paren-break";
    if (t == TK_CMP && is_value(c, j + 1) && ty(c, j + 2) == TK_LOGIC &&
        bool_expr(c, j + 3, true))
        return "number-boolean";
    if (parens == 0 && mr_sqli_number_arithmetic(c, j))
        return "number-arithmetic";
    return NULL;
}

/* @@version and the other server variables payloads read. */
static bool server_variable(const rules_ctx *c, size_t i)
{
    static const char *const names[] = {
        "@@version", "@@datadir", "@@hostname", "@@basedir", "@@servername",
        "@@tmpdir", "@@spid", "@@identity", "@@language", "@@secure_file_priv",
        "@@plugin_dir", "@@version_compile_os", "@@global.version", "@@session.version",
    };
    return tok_text_is(c, i, names, MR_ARRAY_LEN(names));
}

/* "N=N" or "'a'='a'" (or LIKE) at t[i]: a comparison that is always
 * true, the blind-injection probe. */
static bool equal_comparison(const rules_ctx *c, size_t i)
{
    return i + 2 < c->ts->n && ty(c, i + 1) == TK_CMP &&
           (c->s[c->ts->t[i + 1].off] == '=' || c->ts->t[i + 1].kw == KW_LIKE) &&
           equal_literals(c, i, i + 2);
}




/* What may follow an injected comparison at t[e]: the end, a comment,
 * ';', or AND/OR and more SQL. */
static bool comparison_stops(const rules_ctx *c, size_t e)
{
    return at_end(c, e) || ty(c, e) == TK_COMMENT || ty(c, e) == TK_SEMI ||
           (ty(c, e) == TK_LOGIC && bool_expr(c, e + 1, true));
}

/* A comparison of literal expressions at t[i] that ends the value or
 * meets a comment, ';' or another AND/OR. */
static bool literal_comparison_ends(const rules_ctx *c, size_t i)
{
    size_t e;
    /* "1+1=2 and 2+2=4": a list of equations, each a comparison */
    bool equation = false;
    for (size_t k = i - 1; k > 0; k--) {
        tok_type t = ty(c, k - 1);
        if (t == TK_CMP)
            equation = true;
        else if (t != TK_NUM && t != TK_OP && t != TK_LPAREN && t != TK_RPAREN && t != TK_FUNC)
            break;   /* "fact: 7*8=56 and 8*7=56" is a list of equations too */
    }
    if (equation || !mr_sqli_literal_comparison(c, i, &e))
        return false;
    return comparison_stops(c, e);
}



/* Rules that hold wherever they appear in the value. */
static const char *anywhere(const rules_ctx *c, size_t *at)
{
    for (size_t i = 0; i < c->ts->n; i++) {
        const tok *t = &c->ts->t[i];
        *at = i;
        /* a tautology where SQL puts a condition: WHERE 1=1, CASE WHEN
         * 5=5, ELT(7=7,1), IIF(3=3,...), (2=2) */
        if ((is_kw(c, i, KW_WHERE) || is_kw(c, i, KW_WHEN) || is_kw(c, i, KW_HAVING) ||
             t->type == TK_LPAREN) && equal_comparison(c, i + 1))
            return "tautology";
        if (t->type == TK_KW && t->kw == KW_CASE && is_kw(c, i + 2, KW_WHEN) &&
            i + 3 < c->ts->n && equal_literals(c, i + 1, i + 3))
            return "tautology";   /* CASE 5 WHEN 5 THEN */
        if (t->type == TK_KW && t->kw == KW_CASE && mr_sqli_compact_case(c, i))
            return "sql-case";   /* "(case when 4518=5617 then 1 else null end)" */
        if (i == 0 && t->type == TK_LOGIC && t->kw != KW_NOT &&
            (is_literal_value(c, 1) || ty(c, 1) == TK_STR) && equal_comparison(c, 1))
            return "tautology";   /* " or 2=2", "and 'a'='a'" */
        if (i == 0 && leading_boolean(c))
            return "leading-boolean";
        if (i == 0 && mr_sqli_whole_statement(c, 0))
            return "sql-statement";
        if (t->type == TK_KW && t->kw == KW_DECLARE && ty(c, i + 1) == TK_VAR &&
            mr_sqli_type_name(c, i + 2))
            return "stacked-query";   /* "declare @s varchar(200) select @s = 0x..." */
        if (t->type == TK_KW && t->kw == KW_EXEC && ty(c, i + 1) == TK_LPAREN &&
            ty(c, i + 2) == TK_VAR && ty(c, i + 3) == TK_RPAREN)
            return "stacked-query";   /* "exec(@s)": runs the statement a variable holds */
        size_t w = i + 1 + (ty(c, i + 1) == TK_LPAREN);
        if (t->type == TK_LOGIC && t->kw != KW_NOT && ty(c, w) == TK_WORD &&
            ty(c, w + 1) == TK_CMP && c->s[c->ts->t[w + 1].off] == '=' &&
            c->ts->t[w + 1].len == 1 && ty(c, w + 2) == TK_WORD && same_text(c, w, w + 2) &&
            (ty(c, w + 3) == TK_COMMENT || (ty(c, 0) == TK_RPAREN && at_end(c, w + 3))))
            return "tautology";   /* "hi or a=a--", ") or (a=a"; not "x or y=y" */
        if (t->type == TK_COMMENT && t->len > 2 &&
            mr_find(c->s + t->off, t->len, "sp_password") >= 0)
            return "sql-comment-trick";   /* hides the query from MSSQL's log */
        if ((t->type == TK_WORD || t->type == TK_FUNC) && oracle_package(c, i))
            return "sql-function";
        if (t->type == TK_KW) {
            if (t->kw == KW_UNION && (mr_sqli_union_select(c, i) || mr_sqli_union_probe(c, i)))
                return "union-select";
            if (t->kw == KW_WAITFOR && (is_kw(c, i + 1, KW_DELAY) || is_kw(c, i + 1, KW_TIME)) &&
                ty(c, i + 2) == TK_STR)
                return "waitfor-delay";
            if (t->kw == KW_SELECT && i > 0 && ty(c, i - 1) == TK_LPAREN && !mr_sqli_prose_from(c, i) &&
                (mr_sqli_select_items(c, i + 1) || (ty(c, i + 1) == TK_WORD && ty(c, i + 2) == TK_NUM &&
                                            c->ts->t[i + 1].len == 3 &&
                                            memcmp(c->s + c->ts->t[i + 1].off, "top", 3) == 0)))
                return "subquery";   /* MSSQL's "(select top 1 ..." too */
            if (t->kw == KW_SELECT && i > 0 && ty(c, i - 1) == TK_LPAREN && mr_sqli_select_from_table(c, i))
                return "subquery";   /* "(select login/2 from users limit 1,1)" */
            if (t->kw == KW_SELECT && select_from(c, i))
                return "select-from";
            if (t->kw == KW_ORDER && is_kw(c, i + 1, KW_BY) && ty(c, i + 2) == TK_NUM &&
                (ty(c, i + 3) == TK_COMMENT || (i > 0 && (ty(c, i - 1) == TK_STR ||
                                                        ty(c, i - 1) == TK_RPAREN))))
                return "order-by";
            if (t->kw == KW_INTO && (is_kw(c, i + 1, KW_OUTFILE) || is_kw(c, i + 1, KW_DUMPFILE)))
                return "into-outfile";
        } else if (t->type == TK_SEMI && mr_sqli_stacked(c, i + 1)) {
            return "stacked-query";
        } else if (t->type == TK_FUNC) {
            if (tok_text_is(c, i, danger_functions, MR_ARRAY_LEN(danger_functions)))
                return "sql-function";
            if (mr_sqli_conditional_statement(c, i))
                return "stacked-query";
            if (mr_sqli_literal_conditional(c, i))
                return "blind-conditional";
            if (mr_sqli_char_concat(c, i))
                return "sql-function";   /* "char(88)+char(88)", "chr(11)||chr(12)" */
            if (mr_sqli_fulltext_match(c, i))
                return "sql-function";
            if (t->len == 5 && memcmp(c->s + t->off, "sleep", 5) == 0 &&
                ty(c, i + 1) == TK_LPAREN && ty(c, i + 2) == TK_NUM && ty(c, i + 3) == TK_RPAREN)
                return "sql-function";
        } else if (t->type == TK_VAR && t->len > 2 && c->s[t->off + 1] == '@' &&
                   server_variable(c, i)) {
            return "sql-variable";
        } else if (t->type == TK_WORD &&
                   (tok_text_is(c, i, catalog_words, MR_ARRAY_LEN(catalog_words)) ||
                    dotted_catalog(c, i))) {
            return "sql-catalog";
        } else if (t->type == TK_LOGIC && t->kw != KW_NOT && literal_comparison_ends(c, i + 1)) {
            return "literal-comparison";   /* "hope and 8=3", "pi() and cos(pi())=-1" */
        } else if (t->type == TK_LOGIC && t->kw != KW_NOT && is_literal_value(c, i + 1) &&
                   ty(c, i + 2) == TK_CMP && c->s[c->ts->t[i + 2].off] == '=' &&
                   i + 3 < c->ts->n && equal_literals(c, i + 1, i + 3)) {
            return "tautology";
        } else if (t->type == TK_LOGIC && t->kw != KW_NOT && ty(c, i + 1) == TK_STR &&
                   ty(c, i + 2) == TK_CMP && i + 3 < c->ts->n && equal_literals(c, i + 1, i + 3)) {
            return "tautology";
        }
    }
    return NULL;
}

static bool run_context(const char *s, size_t n, char q, tokens *ts, mr_match *m)
{
    mr_sqli_tokenize(s, n, q, ts);
    rules_ctx c = {ts, s, 0, n};
    const char *rule = NULL;
    size_t at = 0;
    if (q)
        rule = after_string(&c);
    else
        rule = after_number(&c);
    if (!rule)
        rule = anywhere(&c, &at);
    if (!rule)
        return false;
    m->rule = rule;
    m->off = at < ts->n ? ts->t[at].off : 0;
    if (q || at == 0)
        m->off = 0;
    return true;
}

static bool run_contexts(const char *s, size_t n, tokens *ts, mr_match *m)
{
    if (run_context(s, n, 0, ts, m))
        return true;
    if (memchr(s, '\'', n) && run_context(s, n, '\'', ts, m))
        return true;
    if (memchr(s, '"', n) && run_context(s, n, '"', ts, m))
        return true;
    /* MySQL's identifier quote: "1`=`1` or sleep(5)" */
    if (memchr(s, '`', n) && run_context(s, n, '`', ts, m))
        return true;
    return false;
}

typedef enum view_kind {
    VIEW_UNESCAPED,   /* backslash escapes of quotes undone */
    VIEW_PLUS_BLANK,  /* every '+' a blank */
    VIEW_NO_COMMENTS, /* empty comments dropped: "uni/ * * /on" read as "union" by a
                       * filter that strips them before the database sees the query */
} view_kind;

/* The contexts again on a view of s. */
static bool run_view(const char *s, size_t n, view_kind kind, tokens *ts, mr_match *m)
{
    char view[MR_SQLI_VIEW_MAX];
    size_t w = 0;
    for (size_t i = 0; i < n && w < sizeof view; i++) {
        if (kind == VIEW_PLUS_BLANK)
            view[w++] = s[i] == '+' ? ' ' : s[i];
        else if (kind == VIEW_NO_COMMENTS && s[i] == '/' && i + 3 < n && s[i + 1] == '*' &&
                 s[i + 2] == '*' && s[i + 3] == '/')
            i += 3;
        else if (kind != VIEW_UNESCAPED ||
                 !(s[i] == '\\' && i + 1 < n && (s[i + 1] == '\'' || s[i + 1] == '"' ||
                                                  s[i + 1] == '\\')))
            view[w++] = s[i];
    }
    if (!run_contexts(view, w, ts, m))
        return false;
    m->off = 0;   /* evidence from the value itself */
    return true;
}

bool mr_detect_sqli(const char *s, size_t n, mr_match *m)
{
    tokens ts;
    if ((m->rule = mr_sqli_dialect_rule(s, n, &m->off)) != NULL)
        return true;
    if (run_contexts(s, n, &ts, m))
        return true;
    /* quotes escaped for an application that unescapes them (magic
     * quotes, a JSON layer): "1\' or 1=1" seen as "1' or 1=1" */
    if (memchr(s, '\\', n) && (mr_find(s, n, "\\'") >= 0 || mr_find(s, n, "\\\"") >= 0) &&
        run_view(s, n, VIEW_UNESCAPED, &ts, m))
        return true;
    /* "uni/ * * /on sel/ * * /ect": a keyword split by an empty comment */
    long split = memchr(s, '*', n) ? mr_find(s, n, "/**/") : -1;
    if (split > 0 && mr_is_alpha((unsigned char)s[split - 1]) && (size_t)split + 4 < n &&
        mr_is_alpha((unsigned char)s[split + 4]) && run_view(s, n, VIEW_NO_COMMENTS, &ts, m))
        return true;
    /* sqlmap's space2plus: every blank of the payload a literal '+'
     * ("1))+OR+8=(SELECT+..."), which reaches the database as it is when
     * the application reads the query undecoded; only for a value with
     * no blank of its own, as the tamper leaves none */
    return memchr(s, '+', n) && !memchr(s, ' ', n) && run_view(s, n, VIEW_PLUS_BLANK, &ts, m);
}
