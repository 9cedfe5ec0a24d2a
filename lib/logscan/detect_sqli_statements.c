/*
 * detect_sqli_statements.c — the statements an injection runs and the
 * clauses it adds, for detect_sqli.c's shapes: a stacked statement
 * after ';' (and MSSQL's IF/WHILE/BEGIN before one), UNION SELECT and its
 * probes, a select list, a value that is a statement of its own (SELECT
 * of a function, CREATE TABLE, INSERT ... VALUES, COPY, BACKUP, GRANT,
 * ORDER BY n), IF()/IIF() of literals, a compact CASE, CHAR() joined,
 * MATCH ... AGAINST. Each answers for the token at t[i]; nothing
 * allocates, and every walk stays inside the token stream.
 */
#include "common.h"

#include "logscan/detect_rules.h"
#include "logscan/detect_sqli_tokens.h"

/* The types a DECLAREd variable takes. */
static const char *const sql_types[] = {
    "varchar", "nvarchar", "char", "nchar", "int", "bigint", "sysname", "varbinary",
    "binary", "table", "cursor", "text", "ntext",
};

/* Functions a SELECT of its own calls to learn about the server. */
static const char *const probe_functions[] = {
    "version", "database", "user", "current_user", "session_user", "system_user", "schema",
    "current_setting", "current_database", "current_schema", "connection_id", "db_name",
    "host_name", "suser_name", "user_name", "load_file", "pg_read_file", "pg_ls_dir", "sleep",
    "pg_sleep", "benchmark", "@@version", "sqlite_version", "banner",
};

/* Functions of no argument that SQL writes without parentheses. */
static const char *const niladic_functions[] = {
    "current_user", "session_user", "system_user", "current_database",
    "current_schema", "current_role",
};

/* A column name: a plain word, or a keyword that tables often use as a
 * column (user, time, view, database...): "union select user,password". */
bool mr_sqli_column_like(const rules_ctx *c, size_t i)
{
    return ty(c, i) == TK_WORD || is_kw(c, i, KW_USER) || is_kw(c, i, KW_TIME) ||
           is_kw(c, i, KW_VIEW) || is_kw(c, i, KW_DATABASE) || is_kw(c, i, KW_TABLE);
}

/* After SELECT: does t[i..] look like a select list? */
bool mr_sqli_select_items(const rules_ctx *c, size_t i)
{
    tok_type t = ty(c, i);
    if (is_op(c, i, '*') || t == TK_FUNC || t == TK_VAR || t == TK_LPAREN ||
        is_kw(c, i, KW_NULL) || is_kw(c, i, KW_CASE) || is_kw(c, i, KW_DISTINCT) ||
        is_op(c, i, '['))
        return true;   /* MSSQL's "[column]" too */
    if (t == TK_NUM || t == TK_STR)
        return ty(c, i + 1) != TK_WORD;
    if (mr_sqli_column_like(c, i))
        return ty(c, i + 1) == TK_COMMA || (is_kw(c, i + 1, KW_FROM) && ty(c, i + 2) == TK_WORD);
    return false;
}

bool mr_sqli_stacked(const rules_ctx *c, size_t i)
{
    /* MSSQL's control of flow before a statement: "if 1=1 drop table
     * users", "while 1=1 shutdown", "begin shutdown end" */
    static const char *const flow[] = {"if", "while"}, *const begin[] = {"begin"};
    size_t e;
    if (c->depth < MR_SQLI_TAIL_DEPTH_MAX && (ty(c, i) == TK_WORD || ty(c, i) == TK_FUNC)) {
        rules_ctx deeper = *c;
        deeper.depth++;
        if (tok_text_is(c, i, flow, MR_ARRAY_LEN(flow)) && mr_sqli_literal_comparison(c, i + 1, &e))
            return mr_sqli_stacked(&deeper, e);
        static const char *const end_word[] = {"end"};
        bool ends = false;   /* "begin shutdown end"; "windows 10; begin shutdown" is prose */
        for (size_t k = i + 2; k < c->ts->n && !ends; k++)
            ends = tok_text_is(c, k, end_word, 1);
        if (tok_text_is(c, i, begin, 1) && ends)
            return mr_sqli_stacked(&deeper, i + 1);
    }
    if (ty(c, i) != TK_KW)
        return false;
    if (is_kw(c, i, KW_DROP) && ty(c, i + 1) == TK_WORD && ty(c, i + 2) == TK_COMMENT &&
        c->s[c->ts->t[i + 2].off] != '#')
        return true;   /* "10;drop members --"; "drop kick #1" is wrestling */
    switch ((kw_id)c->ts->t[i].kw) {
    case KW_DROP: case KW_CREATE: case KW_ALTER: case KW_TRUNCATE:
        return is_kw(c, i + 1, KW_TABLE) || is_kw(c, i + 1, KW_DATABASE) ||
               is_kw(c, i + 1, KW_VIEW) || is_kw(c, i + 1, KW_USER) ||
               is_kw(c, i + 1, KW_PROCEDURE);
    case KW_DELETE:
        return is_kw(c, i + 1, KW_FROM);
    case KW_INSERT:
        return is_kw(c, i + 1, KW_INTO);
    case KW_UPDATE:
        return ty(c, i + 1) == TK_WORD && is_kw(c, i + 2, KW_SET);
    case KW_SELECT:
        return mr_sqli_select_items(c, i + 1);
    case KW_EXEC:   /* a procedure, a variable or a string: not "exec will" */
        return ty(c, i + 1) == TK_VAR || ty(c, i + 1) == TK_LPAREN || ty(c, i + 1) == TK_STR ||
               ty(c, i + 1) == TK_FUNC ||
               (ty(c, i + 1) == TK_WORD && (memchr(c->s + c->ts->t[i + 1].off, '_', c->ts->t[i + 1].len) ||
                                            memchr(c->s + c->ts->t[i + 1].off, '.', c->ts->t[i + 1].len)));
    case KW_SHUTDOWN:   /* "shutdown--", "shutdown with nowait"; not "shutdown now" */
        return is_stop(c, i + 1) || (ty(c, i + 1) == TK_WORD && c->ts->t[i + 1].len == 4 &&
                                     memcmp(c->s + c->ts->t[i + 1].off, "with", 4) == 0);
    case KW_WAITFOR:
        return is_kw(c, i + 1, KW_DELAY) || is_kw(c, i + 1, KW_TIME);
    case KW_DECLARE:
    case KW_SET:
        return ty(c, i + 1) == TK_VAR;
    case KW_CALL:
        return ty(c, i + 1) == TK_FUNC;
    default:
        return false;
    }
}

bool mr_sqli_union_select(const rules_ctx *c, size_t i)
{
    size_t j = i + 1;
    if (is_kw(c, j, KW_ALL) || is_kw(c, j, KW_DISTINCT))
        j++;
    size_t open = j;
    while (ty(c, j) == TK_LPAREN)
        j++;
    /* "union(select table)": a parenthesised select is SQL's own */
    return is_kw(c, j, KW_SELECT) &&
           (mr_sqli_select_items(c, j + 1) || (j > open && mr_sqli_column_like(c, j + 1)));
}

/* UNION after a value, with nothing or SELECT's start after it: the
 * probes of a column count ("-1 union", "1 union select", "@a union
 * select") and MySQL's versioned SELECT ("0 union/ *!50000select* /x");
 * "1 union street" is an address. */
bool mr_sqli_union_probe(const rules_ctx *c, size_t i)
{
    /* right after the value, which the value is: "-1", "@a", "x'" ("5 > 3
     * union" is a sentence) */
    size_t head = is_op(c, 0, '-') ? 1 : 0;
    tok_type before = i > 0 ? ty(c, i - 1) : TK_WORD;
    if (i != head + 1 || (before != TK_NUM && before != TK_VAR && before != TK_STR))
        return false;
    if (is_kw(c, i + 1, KW_SELECT))
        return at_end(c, i + 2) || c->ts->versioned || ty(c, i + 2) == TK_COMMENT;
    bool negative = head == 1;   /* "-1 union": a row no table holds */
    return (at_end(c, i + 1) && negative) || ty(c, i + 1) == TK_COMMENT ||
           (ty(c, i + 1) == TK_LPAREN && is_kw(c, i + 2, KW_SELECT)) ||
           (is_kw(c, i + 1, KW_ALL) && at_end(c, i + 2));
}

/* A FROM within a few tokens of the SELECT at t[i] followed by a
 * determiner and a word: "(select 2 from the list)", "select one from
 * each category" are prose; "from sysusers as s1" is SQL's alias. */
bool mr_sqli_prose_from(const rules_ctx *c, size_t i)
{
    static const char *const determiners[] = {"the", "a", "an", "each", "every", "my", "your",
                                              "our", "their", "this", "that", "these", "those",
                                              "any", "some", "his", "her"};
    for (size_t j = i + 1; j < c->ts->n && j < i + 12; j++)
        if (is_kw(c, j, KW_FROM))
            return tok_text_is(c, j + 1, determiners, MR_ARRAY_LEN(determiners)) &&
                   ty(c, j + 2) == TK_WORD;
    return false;
}

/* SELECT ... FROM a table that ends the select or meets its clauses:
 * "(select login/2 from users limit 1,1)"; "(select one from each
 * category)" goes on in prose. At most 12 tokens before FROM. */
bool mr_sqli_select_from_table(const rules_ctx *c, size_t i)
{
    size_t j = i + 1;
    while (j < c->ts->n && j < i + 12 && !is_kw(c, j, KW_FROM)) {
        if (ty(c, j) == TK_WORD && ty(c, j + 1) == TK_WORD)
            return false;
        j++;
    }
    if (!is_kw(c, j, KW_FROM) || j == i + 1 || ty(c, j + 1) != TK_WORD)
        return false;
    size_t k = j + 2;
    return is_stop(c, k) || is_kw(c, k, KW_WHERE) || is_kw(c, k, KW_LIMIT) ||
           is_kw(c, k, KW_ORDER) || is_kw(c, k, KW_GROUP) || is_kw(c, k, KW_UNION);
}

/* Literals (numbers, strings, variables, NULL) joined by commas, two at
 * least, to the end of the value or a comment: a select list. */
static bool literal_list_ends(const rules_ctx *c, size_t i)
{
    size_t items = 0;
    for (;;) {
        tok_type t = ty(c, i);
        if (!(t == TK_NUM || t == TK_STR || t == TK_VAR || is_kw(c, i, KW_NULL)))
            return false;
        items++;
        if (ty(c, i + 1) != TK_COMMA)
            return items >= 2 && (at_end(c, i + 1) || ty(c, i + 1) == TK_COMMENT);
        i += 2;
    }
}

/* A value that is a whole statement of its own, as the enumeration lists
 * send it where a query runs what it is given: "select version();",
 * "select current_user;", "create table t (line text);", "insert into t
 * (a) values (...)", PostgreSQL's "copy t from '/etc/passwd'", MSSQL's
 * "backup database master to disk=...", and "order by 5" (a column
 * count probe). Prose has the words, never their order with these
 * tokens after them. */
bool mr_sqli_whole_statement(const rules_ctx *c, size_t i)
{
    if (is_kw(c, i, KW_SELECT) && ty(c, i + 1) == TK_FUNC && ty(c, i + 2) == TK_LPAREN) {
        /* a function that reads the server, or any call ended by ';' or a
         * comment: "select version();"; "select size (xl)" is a shop's */
        size_t close = closing_paren(c, i + 2);
        tok_type after = ty(c, close + 1);
        return close < c->ts->n &&
               ((tok_text_is(c, i + 1, probe_functions, MR_ARRAY_LEN(probe_functions)) &&
                 (is_stop(c, close + 1) || is_kw(c, close + 1, KW_FROM))) ||
                after == TK_SEMI || after == TK_COMMENT);
    }
    if (is_kw(c, i, KW_SELECT) && tok_text_is(c, i + 1, niladic_functions, MR_ARRAY_LEN(niladic_functions)))
        return is_stop(c, i + 2) || is_kw(c, i + 2, KW_FROM);
    if (is_kw(c, i, KW_SELECT) && literal_list_ends(c, i + 1))
        return true;   /* "select 1,1,1", "select 'foo','bar',1" */
    /* a name before '(' reads as a function: "users (name)" */
    bool named = ty(c, i + 2) == TK_WORD || ty(c, i + 2) == TK_FUNC;
    if (is_kw(c, i, KW_CREATE) && is_kw(c, i + 1, KW_TABLE) && named && ty(c, i + 3) == TK_LPAREN)
        return mr_sqli_column_like(c, i + 4) && tok_text_is(c, i + 5, sql_types, MR_ARRAY_LEN(sql_types));
    if (is_kw(c, i, KW_INSERT) && is_kw(c, i + 1, KW_INTO) && named) {
        size_t v = ty(c, i + 3) == TK_LPAREN ? closing_paren(c, i + 3) + 1 : i + 3;
        static const char *const values[] = {"values"};
        return ty(c, v) == TK_FUNC && tok_text_is(c, v, values, 1);
    }
    static const char *const copy[] = {"copy"}, *const program[] = {"program"};
    if (ty(c, i) == TK_WORD && tok_text_is(c, i, copy, 1) && ty(c, i + 1) == TK_WORD &&
        is_kw(c, i + 2, KW_FROM))
        return (ty(c, i + 3) == TK_STR &&
                (memchr(c->s + c->ts->t[i + 3].off, '/', c->ts->t[i + 3].len) ||
                 memchr(c->s + c->ts->t[i + 3].off, '\\', c->ts->t[i + 3].len))) ||
               tok_text_is(c, i + 3, program, 1);   /* a file or a program, not "from 'iphone'" */
    static const char *const backup[] = {"backup"}, *const to[] = {"to"};
    if (tok_text_is(c, i, backup, 1) && is_kw(c, i + 1, KW_DATABASE) && ty(c, i + 2) == TK_WORD &&
        tok_text_is(c, i + 3, to, 1))
        return true;
    /* Oracle's and MSSQL's accounts: "create user x identified by y",
     * "grant connect to x" */
    static const char *const identified[] = {"identified"}, *const grant[] = {"grant"};
    static const char *const privileges[] = {"connect", "resource", "dba", "sysdba", "execute",
                                             "usage", "sysadmin"};
    if (is_kw(c, i, KW_CREATE) && is_kw(c, i + 1, KW_USER) && ty(c, i + 2) == TK_WORD &&
        tok_text_is(c, i + 3, identified, 1))
        return true;
    if (tok_text_is(c, i, grant, 1) &&
        tok_text_is(c, i + 1, privileges, MR_ARRAY_LEN(privileges)) &&
        tok_text_is(c, i + 2, to, 1) && ty(c, i + 3) == TK_WORD)
        return true;
    if (is_kw(c, i, KW_ORDER) && is_kw(c, i + 1, KW_BY) && ty(c, i + 2) == TK_NUM) {
        size_t k = i + 3;
        while (ty(c, k) == TK_COMMA && ty(c, k + 1) == TK_NUM)
            k += 2;
        return is_stop(c, k);
    }
    return false;
}

/* MSSQL's IF (condition) followed by a statement: "if(7423=7424) select
 * 7423 else drop function x--", sqlmap's stacked boundary. */
bool mr_sqli_conditional_statement(const rules_ctx *c, size_t i)
{
    static const char *const if_word[] = {"if"};
    if (ty(c, i) != TK_FUNC || !tok_text_is(c, i, if_word, 1) || ty(c, i + 1) != TK_LPAREN)
        return false;
    size_t j = closing_paren(c, i + 1) + 1;
    if (at_end(c, j - 1))
        return false;
    size_t e;   /* literals compared, as sqlmap writes it: "if(7423=7424)"; not "if (x == 1)" */
    if (!mr_sqli_literal_comparison(c, i + 2, &e) || e + 1 != j)
        return false;
    return mr_sqli_stacked(c, j) || is_kw(c, j, KW_WAITFOR) ||
           (is_kw(c, j, KW_SELECT) && (ty(c, j + 1) == TK_NUM || ty(c, j + 1) == TK_STR ||
                                       (ty(c, j + 1) != TK_WORD && mr_sqli_select_items(c, j + 1)))) ||
           (is_kw(c, j, KW_DROP) && ty(c, j + 1) == TK_WORD);
}

/* IF()/IIF() of a comparison of literals at t[i], the boolean probe of
 * a blind injection: "iif(2510=9436,x,1/0)", sqlmap's "if((6681=9099),
 * select 6681,drop function x)"; "if(a1=b1,1,2)" is a spreadsheet's. */
bool mr_sqli_literal_conditional(const rules_ctx *c, size_t i)
{
    static const char *const if_calls[] = {"if", "iif"};
    size_t e;
    if (c->n > 0 && c->s[0] == '=')
        return false;   /* "=IF(LEFT(A2,2)=10,1,0)": a spreadsheet's formula */
    return ty(c, i) == TK_FUNC && tok_text_is(c, i, if_calls, MR_ARRAY_LEN(if_calls)) &&
           ty(c, i + 1) == TK_LPAREN && mr_sqli_literal_comparison(c, i + 2, &e) &&
           ty(c, e) == TK_COMMA;
}

/* One operand of a CASE: a literal, a name or a call; the index after. */
static size_t case_operand(const rules_ctx *c, size_t i)
{
    size_t e;
    if (mr_sqli_literal_comparison(c, i, &e))
        return e;
    if (ty(c, i) == TK_FUNC && ty(c, i + 1) == TK_LPAREN)
        return closing_paren(c, i + 1) + 1;
    tok_type t = ty(c, i);
    if (t == TK_NUM || t == TK_STR || t == TK_WORD || t == TK_VAR || is_kw(c, i, KW_NULL) ||
        is_kw(c, i, KW_TRUE) || is_kw(c, i, KW_FALSE))
        return i + 1;
    return 0;
}

/* CASE [x] WHEN y THEN z [ELSE w] END with one operand in each place: an
 * expression, which prose ("in case when it rains then we end") never
 * writes so tightly. */
bool mr_sqli_compact_case(const rules_ctx *c, size_t i)
{
    static const char *const then[] = {"then"}, *const els[] = {"else"}, *const end[] = {"end"};
    size_t j = i + 1;
    if (!is_kw(c, j, KW_WHEN) && !(j = case_operand(c, j)))
        return false;
    if (!is_kw(c, j, KW_WHEN) || !(j = case_operand(c, j + 1)) || !tok_text_is(c, j, then, 1) ||
        !(j = case_operand(c, j + 1)))
        return false;
    if (tok_text_is(c, j, els, 1) && !(j = case_operand(c, j + 1)))
        return false;
    return tok_text_is(c, j, end, 1);
}

/* The number at t[i] is a printable ASCII code (32-126), in decimal. */
static bool printable_code(const rules_ctx *c, size_t i)
{
    const tok *t = &c->ts->t[i];
    unsigned v = 0;
    for (size_t k = 0; k < t->len; k++) {
        unsigned char d = (unsigned char)c->s[t->off + k];
        if (!mr_is_digit(d) || v > 1000)
            return false;
        v = v * 10 + (d - '0');
    }
    return v >= 32 && v <= 126;
}

/* CHAR()/CHR() calls joined by '+' or '||': a string built a character
 * at a time so that no quote is sent. t[i] is a call. */
bool mr_sqli_char_concat(const rules_ctx *c, size_t i)
{
    static const char *const chars[] = {"char", "chr", "nchar"};
    if (!tok_text_is(c, i, chars, MR_ARRAY_LEN(chars)) || ty(c, i + 1) != TK_LPAREN)
        return false;
    /* a printable character: "char(13)+char(10)" is a line break people
     * search for */
    if (ty(c, i + 2) != TK_NUM || !printable_code(c, i + 2))
        return false;
    size_t e = closing_paren(c, i + 1) + 1;
    bool joined = is_op(c, e, '+') || (ty(c, e) == TK_LOGIC && c->s[c->ts->t[e].off] == '|');
    return joined && tok_text_is(c, e + 1, chars, MR_ARRAY_LEN(chars)) && ty(c, e + 2) == TK_LPAREN;
}

/* MySQL's full-text search injected: "match username against ('+admin'
 * in boolean mode)". t[i] is a call. */
bool mr_sqli_fulltext_match(const rules_ctx *c, size_t i)
{
    static const char *const against[] = {"against"}, *const match[] = {"match"};
    if (!tok_text_is(c, i, against, 1) || ty(c, i + 1) != TK_LPAREN || ty(c, i + 2) != TK_STR)
        return false;   /* against ('+admin' ...), not "against (everton)" */
    for (size_t k = i > 4 ? i - 4 : 0; k < i; k++)
        if (tok_text_is(c, k, match, 1))
            return true;
    return false;
}

bool mr_sqli_type_name(const rules_ctx *c, size_t i)
{
    return tok_text_is(c, i, sql_types, MR_ARRAY_LEN(sql_types));
}
