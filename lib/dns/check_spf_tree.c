/*
 * check_spf_tree.c — the include and redirect tree of a domain's SPF
 * record, walked as check_host() walks it (RFC 7208 4.6.4, 5.2, 6.1)
 * for a client that no mechanism lists: what a spoofer's mail meets.
 *
 * check_spf.c evaluates the record for one probe address, which ends at
 * the first term that matches it and so never sees an include of `+all`
 * behind an ip4: range, nor lookups that sit in nested includes. This
 * walk follows every include and redirect a receiver may follow, with
 * the same parser (mr_spf_parse) and the check's own resolver (mr_dq,
 * within the domain's deadline), and reports:
 *   - the effective policy: a term that gives pass to every address of a
 *     family (+all, ip4:0.0.0.0/0, ip6:::/0, a/0, an exists: that always
 *     resolves) reached through include:/redirect= with pass all along
 *     the way (include matches only on pass, so ?all/~all inside do not
 *     open it), and pass ranges of /8 (IPv4) or /24 (IPv6) and wider;
 *   - the DNS-querying terms of the whole tree (limit 10) and the void
 *     lookups (limit 2), with the chain to the term past the limit;
 *   - loops, and includes or redirects to a missing or invalid record.
 * Each finding names the chain, e.g. `example.test -> include:_spf.
 * example.test: +all`. Terms whose target depends on the sender (macros
 * other than %{d} and %{o}) are counted but not followed; ptr is counted
 * but never looked up (it depends on the client).
 *
 * Bounded: nesting MR_SPF_TREE_DEPTH_MAX, MR_SPF_TREE_QUERIES_MAX
 * queries, a few notes of each kind; records on the heap, one per level.
 */
#include "common.h"

#include <strings.h>

#include "dns/check.h"
#include "dns/check_spf_tree.h"
#include "check_ids.h"

#define MR_SPF_TREE_DEPTH_MAX 10     /* nested records followed */
#define MR_SPF_TREE_QUERIES_MAX 64   /* DNS queries of one walk */
#define MR_SPF_CHAIN_MAX 400         /* a chain quoted in a note */
#define MR_SPF_WIDE4 8               /* ip4 prefixes this wide or wider */
#define MR_SPF_WIDE6 24              /* ip6 prefixes this wide or wider */
#define MR_SPF_TREE_NOTES_MAX 4      /* notes of one kind per domain */
#define MR_SPF_TREE_COUNTS_MAX 8     /* records listed with their counts */

typedef struct tree_count {
    char name[MR_DNS_NAME_MAX + 1];
    unsigned terms;
} tree_count;

typedef struct tree_walk {
    mr_dcheck *dc;
    const mr_spf_record *top;
    unsigned terms, voids, queries, dynamic;
    bool cut;                        /* a budget stopped the walk */
    char over[MR_SPF_CHAIN_MAX];     /* chain to the 11th term */
    char voidc[MR_SPF_VOID_MAX + 1][MR_SPF_CHAIN_MAX]; /* first 3 voids */
    size_t n_counts;
    tree_count counts[MR_SPF_TREE_COUNTS_MAX];
    unsigned n_open, n_wide, n_missing, n_loop;
    const char *path[MR_SPF_TREE_DEPTH_MAX + 2];  /* names being walked */
    size_t depth;
    const mr_spf_term *first;        /* the domain's own term walked now */
} tree_walk;

/* What a record gives: pass for every IPv4 / IPv6 address. */
typedef struct tree_open {
    bool v4, v6;
} tree_open;

/* Removes term t (and the space before it) from rec: the fix. A
 * redirect becomes -all, so that the record still ends in a verdict. */
static void without_term(char *out, size_t cap, const mr_spf_record *rec,
                         const mr_spf_term *t)
{
    size_t off = t->offset, end = t->offset + t->text.n;
    while (off > 0 && rec->text[off - 1] == ' ')
        off--;
    snprintf(out, cap, "%.*s%s%.*s", (int)off, rec->text,
             t->kind == MR_SPF_REDIRECT ? " -all" : "",
             (int)(rec->len - end), rec->text + end);
}

/* Writes a chain, cut to fit (chains are quoted, never parsed). */
static void chain_set(char *out, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void chain_set(char *out, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out, cap, fmt, ap);
    va_end(ap);
}

static void term_text(char *out, size_t cap, const mr_spf_term *t)
{
    snprintf(out, cap, "%.*s", (int)MR_MIN(t->text.n, (size_t)100),
             t->text.p);
}

/* A note about term t of rec (the record of `name`, reached by chain);
 * fix: publish rec without t at `name`. */
static mr_note *tree_note(tree_walk *tr, const char *id, const char *name,
                          const mr_spf_record *rec, const mr_spf_term *fix_t)
{
    mr_dcheck *dc = tr->dc;
    mr_note *nt = mr_note_add(dc, id, "spf", name);
    if (nt == NULL)
        return NULL;
    mr_fix_txt(nt->record, sizeof nt->record, name, rec->text, rec->len);
    if (fix_t) {
        char buf[MR_SPF_RECORD_MAX + 1];
        without_term(buf, sizeof buf, rec, fix_t);
        mr_fix_txt(nt->fix, sizeof nt->fix, name, buf, strlen(buf));
    }
    return nt;
}

/* Whether a domain-spec names the same target for every sender: no
 * macros but %{d} (the record's domain) and %{o} (the checked domain). */
static bool spec_static(mr_span s)
{
    for (size_t i = 0; i + 2 < s.n; i++) {
        if (s.p[i] == '%' && s.p[i + 1] == '{') {
            char l = (char)(s.p[i + 2] | 0x20);
            if (l != 'd' && l != 'o')
                return false;
        } else if (s.p[i] == '%') {
            i++;                     /* %%, %_, %- */
        }
    }
    return true;
}

static bool name_ok(const char *n)
{
    size_t len = strlen(n), label = 0;
    if (len == 0 || len > MR_DNS_NAME_MAX || strchr(n, '.') == NULL)
        return false;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || n[i] == '.') {
            if (label == 0 || label > MR_DNS_LABEL_MAX)
                return false;
            label = 0;
        } else if ((unsigned char)n[i] <= 0x20 || (unsigned char)n[i] > 0x7e) {
            return false;
        } else {
            label++;
        }
    }
    return true;
}

/* The target of term t in the record of `domain` into out: 1 if known,
 * 0 if it depends on the sender, -1 if it is not a domain name. */
static int target_of(tree_walk *tr, const mr_spf_term *t, const char *domain,
                     char out[MR_DNS_NAME_MAX + 1])
{
    if (t->domain.n == 0) {
        snprintf(out, MR_DNS_NAME_MAX + 1, "%s", domain);
        return 1;
    }
    if (!spec_static(t->domain))
        return 0;
    mr_ip probe;
    mr_ip_parse("192.0.2.1", 9, &probe);
    mr_spf_macro_env env = {
        .local_part = "postmaster", .sender_domain = tr->dc->domain,
        .domain = domain, .helo = tr->dc->domain, .receiver = NULL,
        .ip = probe, .now = 0, .validated_name = NULL, .user = NULL};
    if (mr_spf_macro_expand(&env, t->domain, MR_SPF_MACRO_DOMAIN, out,
                            MR_DNS_NAME_MAX + 1) <= 0 || !name_ok(out))
        return -1;
    return 1;
}

static bool budget(tree_walk *tr)
{
    if (tr->queries >= MR_SPF_TREE_QUERIES_MAX) {
        tr->cut = true;
        return false;
    }
    tr->queries++;
    return true;
}

static void count_term(tree_walk *tr, const char *chain, const mr_spf_term *t,
                       tree_count *mine)
{
    tr->terms++;
    if (mine)
        mine->terms++;
    if (tr->terms == MR_SPF_DNS_TERMS_MAX + 1) {
        char tt[128];
        term_text(tt, sizeof tt, t);
        chain_set(tr->over, sizeof tr->over, "%s: %s", chain, tt);
    }
}

static void void_lookup(tree_walk *tr, const char *chain, const mr_spf_term *t,
                        const char *what, const char *name)
{
    if (tr->voids <= MR_SPF_VOID_MAX) {
        char tt[128];
        term_text(tt, sizeof tt, t);
        chain_set(tr->voidc[tr->voids], sizeof tr->voidc[0], "%s: %s (%s %s "
                  "found nothing)", chain, tt, what, name);
    }
    tr->voids++;
}

/* Records of `type` in an answer to name; -1 on a failed lookup, -2 if
 * the budget is spent. */
static long lookup(tree_walk *tr, const char *name, int type)
{
    if (!budget(tr))
        return -2;
    int rc = mr_dq(tr->dc, name, type);
    if (rc == MR_DNS_NXDOMAIN)
        return 0;
    if (rc != MR_DNS_NOERROR)
        return -1;
    long n = 0;
    for (size_t i = 0; i < tr->dc->ans->n; i++)
        n += tr->dc->ans->rr[i].type == type;
    return n;
}

static void walk(tree_walk *tr, const mr_spf_record *rec, const char *domain,
                 const char *chain, bool pass_path, tree_open reach,
                 tree_open *open);

/* Follows include: or redirect= term t of rec (the record of domain) to
 * target; *child says which families every address of which passes. */
static void follow(tree_walk *tr, const mr_spf_record *rec,
                   const char *domain, const char *chain,
                   const mr_spf_term *t, const char *target, bool pass_path,
                   tree_open reach, tree_open *child)
{
    mr_dcheck *dc = tr->dc;
    char sub[MR_SPF_CHAIN_MAX], tt[128];
    mr_note *nt;
    term_text(tt, sizeof tt, t);
    chain_set(sub, sizeof sub, "%s -> %s", chain, tt);
    for (size_t i = 0; i < tr->depth; i++) {
        if (strcasecmp(tr->path[i], target) == 0) {
            if (tr->n_loop++ < MR_SPF_TREE_NOTES_MAX &&
                (nt = tree_note(tr, MR_CHECK_DNS_SPF_INCLUDE_LOOP, domain, rec, t)))
                mr_note_set(nt->detail, "%s: %s is already being evaluated; "
                            "receivers give permerror at the lookup limit",
                            sub, target);
            return;
        }
    }
    if (tr->depth > MR_SPF_TREE_DEPTH_MAX || !budget(tr)) {
        tr->cut = true;
        return;
    }
    int rc = mr_txt_at(dc, target, mr_spf_is_record);
    if (rc != MR_DNS_NOERROR && rc != MR_DNS_NXDOMAIN)
        return;                      /* counted: the check is incomplete */
    const char *why = NULL;
    char whybuf[MR_SPF_MSG_MAX + 32];
    mr_spf_record *r = NULL;
    mr_spf_error err;
    if (rc == MR_DNS_NXDOMAIN)
        why = "the name does not exist (NXDOMAIN)";
    else if (dc->n_txt == 0)
        why = "no SPF record there";
    else if (dc->n_txt > 1) {
        snprintf(whybuf, sizeof whybuf, "%zu SPF records there (there must "
                 "be exactly one)", dc->n_txt);
        why = whybuf;
    } else if ((r = malloc(sizeof *r)) == NULL) {
        return;
    } else if (mr_spf_parse(dc->txt[0], dc->txt_len[0], r, &err) != 0) {
        snprintf(whybuf, sizeof whybuf, "its record is invalid: %s",
                 err.msg);
        why = whybuf;
    }
    if (why) {
        if (tr->n_missing++ < MR_SPF_TREE_NOTES_MAX &&
            (nt = tree_note(tr, MR_CHECK_DNS_SPF_INCLUDE_MISSING, domain, rec, t)))
            mr_note_set(nt->detail, "%s: %s; receivers give permerror (RFC "
                        "7208 %s)", sub, why,
                        t->kind == MR_SPF_INCLUDE ? "5.2" : "6.1");
        free(r);
        return;
    }
    if (tr->depth == 1)
        tr->first = t;
    tr->path[tr->depth++] = target;
    walk(tr, r, target, sub, pass_path, reach, child);
    tr->depth--;
    free(r);
}

/* A term that gives pass to every address of a family, or a huge range:
 * a note, unless it is the domain's own `+all` (check_spf.c says so). */
static void open_term(tree_walk *tr, const mr_spf_record *rec,
                      const char *domain, const char *chain,
                      const mr_spf_term *t, bool every, const char *what)
{
    char tt[128];
    mr_note *nt;
    term_text(tt, sizeof tt, t);
    bool nested = tr->depth > 1;
    if (t->kind == MR_SPF_ALL || (t->kind == MR_SPF_EXISTS && nested)) {
        if (!nested || tr->n_open++ >= MR_SPF_TREE_NOTES_MAX)
            return;
        /* The fix: the domain's own record without the term that leads
         * there. */
        if ((nt = tree_note(tr, MR_CHECK_DNS_SPF_INCLUDE_PASS_ALL, tr->dc->domain,
                            tr->top, tr->first))) {
            char rb[MR_NOTE_TEXT_MAX];
            mr_fix_txt(rb, sizeof rb, domain, rec->text, rec->len);
            mr_note_set(nt->detail, "%s: %s: %s passes SPF for %s (the "
                        "record there: %s)", chain, tt, what, tr->dc->domain,
                        rb);
        }
        snprintf(tr->dc->r->spf, sizeof tr->dc->r->spf, "+all via %s",
                 strstr(chain, "redirect=") ? "redirect" : "include");
        return;
    }
    if (tr->n_wide++ >= MR_SPF_TREE_NOTES_MAX)
        return;
    if ((nt = tree_note(tr, MR_CHECK_DNS_SPF_WIDE_RANGE, domain, rec, t))) {
        if (every)
            nt->sev = MAMORI_SEV_CRITICAL;
        mr_note_set(nt->detail, "%s: %s: %s passes SPF for %s", chain, tt,
                    what, tr->dc->domain);
    }
}

/* The terms of one record, in order, as for a client they do not list:
 * reach says which families can still get here (terms before matched
 * every address of the others); open gets the families that pass. */
static void walk(tree_walk *tr, const mr_spf_record *rec, const char *domain,
                 const char *chain, bool pass_path, tree_open reach,
                 tree_open *open)
{
    tree_count *mine = NULL;
    char target[MR_DNS_NAME_MAX + 1], what[MR_DNS_NAME_MAX + 64];
    bool saw_all = false;
    *open = (tree_open){false, false};
    if (tr->n_counts < MR_SPF_TREE_COUNTS_MAX) {
        mine = &tr->counts[tr->n_counts++];
        snprintf(mine->name, sizeof mine->name, "%s", domain);
        mine->terms = 0;
    }
    for (size_t i = 0; i < rec->n_terms && (reach.v4 || reach.v6); i++) {
        const mr_spf_term *t = &rec->terms[i];
        bool pass = pass_path && t->qualifier == '+';
        tree_open hit = {false, false};   /* matches every such address */
        long n;
        int k;
        switch (t->kind) {
        case MR_SPF_ALL:
            hit = (tree_open){true, true};
            saw_all = true;
            if (pass)
                open_term(tr, rec, domain, chain, t, true,
                          reach.v4 && reach.v6 ? "every address"
                          : reach.v4 ? "every IPv4 address"
                                     : "every IPv6 address");
            break;
        case MR_SPF_IP4:
        case MR_SPF_IP6: {
            bool v4 = t->kind == MR_SPF_IP4;
            unsigned bits = v4 ? t->cidr4 : t->cidr6;
            if (bits == 0)
                hit = (tree_open){v4, !v4};
            if (pass && (v4 ? reach.v4 : reach.v6) &&
                bits <= (v4 ? MR_SPF_WIDE4 : MR_SPF_WIDE6)) {
                if (bits == 0)
                    snprintf(what, sizeof what, "every %s address",
                             v4 ? "IPv4" : "IPv6");
                else
                    snprintf(what, sizeof what, "a /%u range (2^%u "
                             "addresses)", bits, (v4 ? 32 : 128) - bits);
                open_term(tr, rec, domain, chain, t, bits == 0, what);
            }
            break;
        }
        case MR_SPF_A:
        case MR_SPF_MX:
        case MR_SPF_PTR:
        case MR_SPF_EXISTS:
        case MR_SPF_INCLUDE:
            count_term(tr, chain, t, mine);
            if (t->kind == MR_SPF_PTR)
                break;               /* depends on the client */
            k = target_of(tr, t, domain, target);
            if (k == 0) {
                tr->dynamic++;
                break;
            }
            if (k < 0) {             /* RFC 7208 4.8: no such name */
                if (t->kind == MR_SPF_INCLUDE) {
                    mr_note *nt;
                    char tt[128];
                    term_text(tt, sizeof tt, t);
                    if (tr->n_missing++ < MR_SPF_TREE_NOTES_MAX &&
                        (nt = tree_note(tr, MR_CHECK_DNS_SPF_INCLUDE_MISSING,
                                        domain, rec, t)))
                        mr_note_set(nt->detail, "%s -> %s: not a domain "
                                    "name; receivers give permerror", chain,
                                    tt);
                }
                break;
            }
            if (t->kind == MR_SPF_INCLUDE) {
                tree_open child = {false, false};
                follow(tr, rec, domain, chain, t, target, pass, reach,
                       &child);
                hit = child;         /* include matches on pass only */
                break;
            }
            n = lookup(tr, target, t->kind == MR_SPF_MX ? MR_DNS_T_MX
                                                         : MR_DNS_T_A);
            if (n == 0) {
                void_lookup(tr, chain, t, t->kind == MR_SPF_MX ? "MX" : "A",
                            target);
                break;
            }
            if (n < 0)
                break;
            if (t->kind == MR_SPF_EXISTS) {
                /* The same name whoever the client: it always matches. */
                if (spec_static(t->domain)) {
                    hit = (tree_open){true, true};
                    if (pass) {
                        snprintf(what, sizeof what, "%s has an A record, so "
                                 "every address", target);
                        open_term(tr, rec, domain, chain, t, true, what);
                    }
                }
                break;
            }
            if (t->cidr4 == 0)
                hit.v4 = true;
            if (pass && reach.v4 && t->cidr4 <= MR_SPF_WIDE4) {
                if (t->cidr4 == 0)
                    snprintf(what, sizeof what, "every IPv4 address");
                else
                    snprintf(what, sizeof what, "a /%u range around each "
                             "address", t->cidr4);
                open_term(tr, rec, domain, chain, t, t->cidr4 == 0, what);
            } else if (pass && reach.v6 && t->cidr6 <= MR_SPF_WIDE6) {
                snprintf(what, sizeof what, "a /%u IPv6 range around each "
                         "address", t->cidr6);
                open_term(tr, rec, domain, chain, t, false, what);
            }
            break;
        default:
            break;
        }
        /* Pass on the families this term decides for every address. */
        if (hit.v4 && reach.v4) {
            open->v4 = t->qualifier == '+';
            reach.v4 = false;
        }
        if (hit.v6 && reach.v6) {
            open->v6 = t->qualifier == '+';
            reach.v6 = false;
        }
        if (saw_all)
            return;                  /* RFC 7208 6.1: redirect ignored */
    }
    if (rec->redirect < 0 || !(reach.v4 || reach.v6))
        return;
    const mr_spf_term *t = &rec->terms[rec->redirect];
    count_term(tr, chain, t, mine);
    int k = target_of(tr, t, domain, target);
    if (k == 0) {
        tr->dynamic++;
        return;
    }
    if (k < 0) {
        mr_note *nt;
        char tt[128];
        term_text(tt, sizeof tt, t);
        if (tr->n_missing++ < MR_SPF_TREE_NOTES_MAX &&
            (nt = tree_note(tr, MR_CHECK_DNS_SPF_INCLUDE_MISSING, domain, rec, t)))
            mr_note_set(nt->detail, "%s -> %s: not a domain name; receivers "
                        "give permerror", chain, tt);
        return;
    }
    tree_open child = {false, false};
    follow(tr, rec, domain, chain, t, target, pass_path, reach, &child);
    if (reach.v4)
        open->v4 = child.v4;
    if (reach.v6)
        open->v6 = child.v6;
}

void mr_check_spf_tree(mr_dcheck *dc, const mr_spf_record *rec)
{
    tree_walk *tr = calloc(1, sizeof *tr);
    mr_note *nt;
    if (tr == NULL)
        return;
    tr->dc = dc;
    tr->top = rec;
    tr->path[tr->depth++] = dc->domain;
    tree_open open;
    walk(tr, rec, dc->domain, dc->domain, true, (tree_open){true, true},
         &open);
    /* What most receivers then get, unless anyone passes first. */
    if ((tr->terms > MR_SPF_DNS_TERMS_MAX || tr->voids > MR_SPF_VOID_MAX ||
         tr->n_loop || tr->n_missing) && strncmp(dc->r->spf, "+all", 4) != 0)
        snprintf(dc->r->spf, sizeof dc->r->spf, "permerror");
    if (tr->terms > MR_SPF_DNS_TERMS_MAX &&
        (nt = mr_note_add(dc, MR_CHECK_DNS_SPF_TOO_MANY_LOOKUPS, "spf",
                          dc->domain))) {
        char counts[MR_NOTE_TEXT_MAX];
        size_t o = 0;
        counts[0] = '\0';
        for (size_t i = 0; i < tr->n_counts && o < sizeof counts; i++) {
            if (tr->counts[i].terms == 0)
                continue;
            int w = snprintf(counts + o, sizeof counts - o, "%s%s %u",
                             o ? ", " : "", tr->counts[i].name,
                             tr->counts[i].terms);
            if (w < 0)
                break;
            o += (size_t)w;
        }
        mr_fix_txt(nt->record, sizeof nt->record, dc->domain, rec->text,
                   rec->len);
        mr_note_set(nt->detail, "%s%u DNS-querying terms in the tree (limit "
                    "%d, RFC 7208 4.6.4; %s); receivers give permerror at "
                    "%s", tr->cut ? "at least " : "", tr->terms,
                    MR_SPF_DNS_TERMS_MAX, counts, tr->over);
    }
    if (tr->voids > MR_SPF_VOID_MAX &&
        (nt = mr_note_add(dc, MR_CHECK_DNS_SPF_VOID_LOOKUPS, "spf", dc->domain))) {
        mr_fix_txt(nt->record, sizeof nt->record, dc->domain, rec->text,
                   rec->len);
        mr_note_set(nt->detail, "%u lookups find nothing (limit %d, RFC "
                    "7208 4.6.4); receivers give permerror at the third: "
                    "%s; %s; %s", tr->voids, MR_SPF_VOID_MAX, tr->voidc[0],
                    tr->voidc[1], tr->voidc[2]);
    }
    free(tr);
}
