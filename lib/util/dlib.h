/*
 * dlib.h — libraries opened when a command first needs them (dlopen),
 * not when mamori starts.
 *
 * Every library a program links is mapped and relocated before main():
 * the 62 that libmamori's checks pull in (libcurl and its HTTP/2, SSH
 * and LDAP, libpq and Kerberos, librpm, libxml2 and ICU, ...) made each
 * start take 28 ms instead of 8, as long as a two-core log scan takes
 * over 25 MB. The libraries only one capability
 * uses are opened by that capability instead, through a table of the
 * functions it calls, each named mr_sym_<function> and typed from the
 * library's own header (so a call is checked as a direct one would be).
 *
 * Owner: each library's table lives in the file that uses it (or in a
 * small <area>/<lib>_syms.[ch] when several files do), declared with
 * MR_DLIB_DECLARE and defined with MR_DLIB_DEFINE from one X-macro list
 * of its functions. The capability calls mr_dlib_load() where it creates
 * the library's first object (the connection, the context, the reader):
 * every other function takes such an object, so none is reached unloaded.
 * A library that cannot be opened is an error of that command, named
 * with the Debian package that ships it; nothing else stops working.
 */
#ifndef MR_DLIB_H
#define MR_DLIB_H

#include <stddef.h>

#define MR_DLIB_WHY_MAX 320 /* dlerror() text kept for the message */

typedef struct mr_dlib {
    const char *soname;       /* the file linked at build time: "libpq.so.5" */
    const char *package;      /* the Debian package that ships it */
    const char *const *names; /* the functions, in table order */
    void *const *slots;       /* where each one's address goes */
    size_t n;
    int state;                /* 0 untried, 1 loaded, -1 failed (why) */
    char why[MR_DLIB_WHY_MAX];
} mr_dlib;

/* Opens lib and fills its table, once per process (thread-safe; later
 * calls return the first answer). 0, or -1 with mr_dlib_error(lib). */
int mr_dlib_load(mr_dlib *lib);

/* "libpq.so.5 cannot be opened (install libpq5): <dlerror>" */
const char *mr_dlib_error(const mr_dlib *lib);

/* The X-macro halves. LIST(X) names each function once: X(PQfinish). */
#define MR_DLIB_SYM_DECL_(f) extern __typeof__(f) *mr_sym_##f;
#define MR_DLIB_SYM_DEF_(f) __typeof__(f) *mr_sym_##f;
#define MR_DLIB_SYM_NAME_(f) #f,
#define MR_DLIB_SYM_SLOT_(f) (void *)&mr_sym_##f,

/* In a header (or atop the one file that uses them): the mr_sym_ pointers
 * and `extern mr_dlib mr_dlib_<tag>`. */
#define MR_DLIB_DECLARE(tag, LIST)                                          \
    LIST(MR_DLIB_SYM_DECL_)                                                 \
    extern mr_dlib mr_dlib_##tag

/* In one .c file: the pointers, the names and the library's record. */
#define MR_DLIB_DEFINE(tag, soname_, package_, LIST)                        \
    LIST(MR_DLIB_SYM_DEF_)                                                  \
    static const char *const mr_dlib_names_##tag[] = {LIST(MR_DLIB_SYM_NAME_)}; \
    static void *const mr_dlib_slots_##tag[] = {LIST(MR_DLIB_SYM_SLOT_)};   \
    mr_dlib mr_dlib_##tag = {                                               \
        .soname = (soname_), .package = (package_),                         \
        .names = mr_dlib_names_##tag, .slots = mr_dlib_slots_##tag,         \
        .n = sizeof(mr_dlib_names_##tag) / sizeof(mr_dlib_names_##tag[0])}

#endif
