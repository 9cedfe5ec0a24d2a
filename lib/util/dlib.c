/*
 * dlib.c — see dlib.h. One mutex for every library: loads happen a few
 * times per process, never on a hot path. A function's address is copied
 * into its pointer with memcpy, as POSIX allows dlsym's void * to hold a
 * function's address but C has no cast between the two kinds of pointer.
 * The handle is never closed: the pointers outlive every caller.
 */
#include "common.h"

#include <dlfcn.h>
#include <pthread.h>

#include "util/dlib.h"

static pthread_mutex_t dlib_mu = PTHREAD_MUTEX_INITIALIZER;

static void fail(mr_dlib *lib, const char *what, const char *detail)
{
    snprintf(lib->why, sizeof(lib->why), "%s %s (install %s): %s",
             lib->soname, what, lib->package, detail ? detail : "unknown error");
    lib->state = -1;
}

static void open_lib(mr_dlib *lib)
{
    void *h = dlopen(lib->soname, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        fail(lib, "cannot be opened", dlerror());
        return;
    }
    for (size_t i = 0; i < lib->n; i++) {
        void *f = dlsym(h, lib->names[i]);
        if (!f) {
            char what[MR_DLIB_WHY_MAX / 2];
            snprintf(what, sizeof(what), "lacks %s", lib->names[i]);
            fail(lib, what, "an older version than mamori was built with");
            return; /* the handle stays open: dlclose may run its destructors */
        }
        memcpy(lib->slots[i], &f, sizeof(f));
    }
    lib->state = 1;
}

int mr_dlib_load(mr_dlib *lib)
{
    pthread_mutex_lock(&dlib_mu);
    if (lib->state == 0)
        open_lib(lib);
    int st = lib->state;
    pthread_mutex_unlock(&dlib_mu);
    return st == 1 ? 0 : -1;
}

const char *mr_dlib_error(const mr_dlib *lib)
{
    return lib->state == -1 ? lib->why : "";
}
