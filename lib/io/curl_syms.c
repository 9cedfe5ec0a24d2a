/*
 * curl_syms.c — libcurl's table (curl_syms.h).
 */
#include "common.h"

#include "dlib_sonames.h"
#include "io/curl_syms.h"

MR_DLIB_DEFINE(curl, MR_SONAME_CURL, "libcurl4", MR_CURL_FUNCS);

int mr_curl_load(char *why, size_t cap)
{
    if (mr_dlib_load(&mr_dlib_curl) == 0)
        return 0;
    if (why && cap)
        snprintf(why, cap, "%s", mr_dlib_error(&mr_dlib_curl));
    return -1;
}
