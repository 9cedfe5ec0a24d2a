/*
 * check_spf_tree.h — the walk of a domain's SPF include/redirect tree
 * (check_spf_tree.c), called by check_spf.c once the domain's own record
 * has parsed. Internal to lib/dns.
 */
#ifndef MR_DNS_CHECK_SPF_TREE_H
#define MR_DNS_CHECK_SPF_TREE_H

#include "dns/check.h"
#include "dns/spf.h"

/* Follows every include: and redirect= of rec (the record of
 * dc->domain, borrowed) through dc's resolver and adds notes for what
 * makes the policy open, or the evaluation fail: dns.spf.include-pass-all,
 * dns.spf.wide-range, dns.spf.too-many-lookups, dns.spf.void-lookups,
 * dns.spf.include-missing, dns.spf.include-loop. Overwrites dc->ans and
 * dc->txt; may set dc->r->spf ("+all via include"). */
void mr_check_spf_tree(mr_dcheck *dc, const mr_spf_record *rec);

#endif
