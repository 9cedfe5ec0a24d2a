/*
 * detect_sqli_tokens.h — SQL as detect_sqli.c's rules read it: token
 * types and keyword ids, a value cut into at most MR_SQLI_TOKENS_MAX
 * tokens (detect_sqli_tokens.c), and the small questions the rules ask
 * of a token stream. Internal to the SQL injection files; nothing here
 * allocates, and a token stream lives on its caller's stack.
 */
#ifndef MR_DETECT_SQLI_TOKENS_H
#define MR_DETECT_SQLI_TOKENS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define MR_SQLI_TOKENS_MAX 96   /* tokens examined per value and context */
#define MR_SQLI_WORD_MAX 40     /* longer words are never keywords */
#define MR_SQLI_TAIL_DEPTH_MAX 4 /* AND/OR chains and statements followed after an injection */

typedef enum tok_type {
    TK_STR, TK_NUM, TK_KW, TK_FUNC, TK_WORD, TK_VAR, TK_OP, TK_LOGIC,
    TK_CMP, TK_LPAREN, TK_RPAREN, TK_COMMA, TK_SEMI, TK_COMMENT
} tok_type;

typedef enum kw_id {
    KW_NONE, KW_SELECT, KW_UNION, KW_ALL, KW_DISTINCT, KW_FROM, KW_WHERE,
    KW_ORDER, KW_GROUP, KW_BY, KW_HAVING, KW_LIMIT, KW_INSERT, KW_INTO,
    KW_UPDATE, KW_SET, KW_DELETE, KW_DROP, KW_TABLE, KW_DATABASE, KW_EXEC,
    KW_DECLARE, KW_WAITFOR, KW_DELAY, KW_TIME, KW_CREATE, KW_ALTER,
    KW_TRUNCATE, KW_SHUTDOWN, KW_NULL, KW_TRUE, KW_FALSE, KW_CASE,
    KW_EXISTS, KW_PROCEDURE, KW_OUTFILE, KW_DUMPFILE, KW_VIEW, KW_USER,
    KW_AND, KW_OR, KW_XOR, KW_NOT, KW_LIKE, KW_IS, KW_IN, KW_BETWEEN,
    KW_JOIN, KW_CALL, KW_WHEN
} kw_id;

typedef struct tok {
    uint8_t type;
    uint8_t kw;
    uint32_t off, len;  /* for strings, the body without quotes */
} tok;

typedef struct tokens {
    tok t[MR_SQLI_TOKENS_MAX];
    size_t n;
    bool versioned;     /* MySQL slash-star-bang comment */
} tokens;

/* Cuts s into tokens; with quote q != 0 the value starts inside a
 * q-string (the context of a value pasted after that quote). */
void mr_sqli_tokenize(const char *s, size_t n, char q, tokens *ts);

typedef struct rules_ctx {
    const tokens *ts;
    const char *s;
    unsigned depth;   /* of sql_tail's recursion through AND/OR chains */
    size_t n;         /* bytes of s */
} rules_ctx;

static inline tok_type ty(const rules_ctx *c, size_t i)
{
    return i < c->ts->n ? (tok_type)c->ts->t[i].type : (tok_type)0xFF;
}

static inline bool at_end(const rules_ctx *c, size_t i)
{
    return i >= c->ts->n;
}

static inline bool is_kw(const rules_ctx *c, size_t i, kw_id k)
{
    return i < c->ts->n && c->ts->t[i].type == TK_KW && c->ts->t[i].kw == k;
}

static inline bool is_op(const rules_ctx *c, size_t i, char op)
{
    return ty(c, i) == TK_OP && c->s[c->ts->t[i].off] == op;
}

/* Is s[0..len) the NUL-terminated word? (no strlen of each word of a
 * list: this runs for every token of every value looked at) */
static inline bool word_is(const char *word, const char *s, size_t len)
{
    size_t j = 0;
    while (j < len && word[j] != '\0' && word[j] == s[j])
        j++;
    return j == len && word[len] == '\0';
}

static inline bool tok_text_is(const rules_ctx *c, size_t i, const char *const *list, size_t n)
{
    if (i >= c->ts->n)
        return false;
    const tok *t = &c->ts->t[i];
    for (size_t k = 0; k < n; k++)
        if (word_is(list[k], c->s + t->off, t->len))
            return true;
    return false;
}

/* The ')' that closes the '(' at t[i]; ts->n when none does. */
static inline size_t closing_paren(const rules_ctx *c, size_t i)
{
    size_t depth = 0;
    for (size_t j = i; j < c->ts->n; j++) {
        if (ty(c, j) == TK_LPAREN)
            depth++;
        else if (ty(c, j) == TK_RPAREN && --depth == 0)
            return j;
    }
    return c->ts->n;
}

/* Ends a statement: nothing, a comment, ';' or ')'. */
static inline bool is_stop(const rules_ctx *c, size_t i)
{
    tok_type t = ty(c, i);
    return at_end(c, i) || t == TK_COMMENT || t == TK_SEMI || t == TK_RPAREN;
}

/* ---- expression rules (detect_sqli_exprs.c) ---- */

/* After the string closed at t[0] (context of a quote), t[j] starts an
 * operator and the rest up to an open string of two bytes or a comment
 * is operators, literals, calls and at most two names: "a' = 'b",
 * "aa'|1+1=(2)Or(1)='1", "abc' = !!'0". t[0] holds a few bytes at most. */
bool mr_sqli_operator_soup(const rules_ctx *c, size_t j);
/* A comparison of literal expressions at t[i] ("8=3", "(-8)=(-3)",
 * "cos(pi())=-1", "(3=pi())"); *end: the index after it. */
bool mr_sqli_literal_comparison(const rules_ctx *c, size_t i, size_t *end);
/* After a number, t[j] an arithmetic operator, then an expression that
 * calls SQL's string or math functions and ends the value or meets a
 * comment: "234 + (1 / ascii(substring(passwd,1,1))-4)". */
bool mr_sqli_number_arithmetic(const rules_ctx *c, size_t j);

/* ---- statements and clauses (detect_sqli_statements.c) ---- */

/* A column's name at t[i]: a word, or a keyword tables use as one (user,
 * time, view...). */
bool mr_sqli_column_like(const rules_ctx *c, size_t i);
/* After SELECT: does t[i..] look like a select list? */
bool mr_sqli_select_items(const rules_ctx *c, size_t i);
/* A statement starting at t[i] that only SQL writes: DROP TABLE, EXEC
 * of a procedure, SHUTDOWN, IF 1=1 DROP..., after ';'. */
bool mr_sqli_stacked(const rules_ctx *c, size_t i);
/* UNION [ALL] SELECT and a select list at t[i] (UNION). */
bool mr_sqli_union_select(const rules_ctx *c, size_t i);
/* UNION right after the value, bare or before SELECT's start. */
bool mr_sqli_union_probe(const rules_ctx *c, size_t i);
/* The SELECT at t[i] takes its FROM from prose ("from the list"). */
bool mr_sqli_prose_from(const rules_ctx *c, size_t i);
/* SELECT ... FROM a table then a clause or the end, at t[i] (SELECT). */
bool mr_sqli_select_from_table(const rules_ctx *c, size_t i);
/* A statement of its own starting at t[i] (SELECT version(), CREATE
 * TABLE t (a text), INSERT ... VALUES, COPY, BACKUP, GRANT, ORDER BY n). */
bool mr_sqli_whole_statement(const rules_ctx *c, size_t i);
/* IF (a comparison) then a statement, t[i] the call "if". */
bool mr_sqli_conditional_statement(const rules_ctx *c, size_t i);
/* IF()/IIF() of a comparison of literals, t[i] the call. */
bool mr_sqli_literal_conditional(const rules_ctx *c, size_t i);
/* CASE [x] WHEN y THEN z [ELSE w] END, t[i] the CASE. */
bool mr_sqli_compact_case(const rules_ctx *c, size_t i);
/* CHAR()/CHR() joined by '+' or '||', t[i] the first call. */
bool mr_sqli_char_concat(const rules_ctx *c, size_t i);
/* MATCH ... AGAINST, t[i] the call "against". */
bool mr_sqli_fulltext_match(const rules_ctx *c, size_t i);
/* A type a DECLAREd variable takes (varchar, int, sysname...). */
bool mr_sqli_type_name(const rules_ctx *c, size_t i);

#endif
