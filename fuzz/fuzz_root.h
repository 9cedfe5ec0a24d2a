/*
 * fuzz_root.h — what the fuzzers of host checks share: a throwaway root
 * directory made once per process (the sysroot reads it like a disk
 * image), files written into it from the fuzz input, and a sink that
 * reads every byte of every finding, so the sanitizers see an overrun.
 * Header-only (static inline): each harness stays one file.
 */
#ifndef MAMORI_FUZZ_ROOT_H
#define MAMORI_FUZZ_ROOT_H

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mamori/finding.h"

#define FUZZ_ROOT_MAX 64    /* "/tmp/mamori-fuzz-NAME.XXXXXX" */
#define FUZZ_PATH_MAX 256   /* the root and a path inside it */

/* Makes /tmp/mamori-fuzz-NAME.XXXXXX with dirs (relative, parents
 * first) inside; 0 or -1. */
static inline int fuzz_root_make(char root[FUZZ_ROOT_MAX], const char *name,
                                 const char *const *dirs, size_t ndirs)
{
    char p[FUZZ_PATH_MAX];
    snprintf(root, FUZZ_ROOT_MAX, "/tmp/mamori-fuzz-%s.XXXXXX", name);
    if (!mkdtemp(root))
        return -1;
    for (size_t i = 0; i < ndirs; i++) {
        snprintf(p, sizeof(p), "%s/%s", root, dirs[i]);
        if (mkdir(p, 0755) != 0)
            return -1;
    }
    return 0;
}

/* Writes data as root/rel (root "" for an absolute rel); 0 or -1. */
static inline int fuzz_root_put(const char *root, const char *rel,
                                const void *data, size_t size)
{
    char p[FUZZ_PATH_MAX];
    snprintf(p, sizeof(p), "%s%s%s", root, root[0] ? "/" : "", rel);
    FILE *f = fopen(p, "w");
    if (!f)
        return -1;
    fwrite(data, 1, size, f);
    return fclose(f);
}

/* A sink's finding callback: user is a size_t that sums every byte. */
static inline int fuzz_touch(void *user, const mamori_finding *f)
{
    size_t *sum = user;
    for (size_t i = 0; i < f->evidence_len; i++)
        *sum += (unsigned char)f->evidence[i];
    *sum += f->file ? strlen(f->file) : 0;
    for (size_t i = 0; i < f->nfields; i++) {
        const mamori_field *fl = &f->fields[i];
        for (size_t k = 0; fl->kind == MAMORI_FIELD_STR && k < fl->len; k++)
            *sum += (unsigned char)fl->str[k];
        for (size_t k = 0; fl->kind == MAMORI_FIELD_LIST && k < fl->nstrs; k++)
            *sum += strlen(fl->strs[k]);
    }
    return 0;
}

static inline int fuzz_drop_summary(void *user, mamori_summary *s)
{
    (void)user;
    mamori_summary_free(s);
    return 0;
}

#endif
