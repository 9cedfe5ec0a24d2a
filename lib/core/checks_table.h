/*
 * checks_table.h — the table of checks that tools/gen_checks.py generates
 * from data/checks/<id>.check (sorted by id, so lookups can bisect).
 */
#ifndef MR_CHECKS_TABLE_H
#define MR_CHECKS_TABLE_H

#include "mamori/finding.h"

extern const mamori_check mr_checks_table[];
extern const size_t mr_checks_count;

#endif
