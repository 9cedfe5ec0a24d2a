/*
 * banned.h — calls that are never right on untrusted input, made compile
 * errors (after git's banned.h). Use snprintf/memcpy with a bound, the
 * span cursor (span.h) instead of atoi/sscanf/strtok, gmtime_r, and
 * mr_random_bytes (random.h) instead of rand.
 */
#ifndef MR_BANNED_H
#define MR_BANNED_H

#define MR_BANNED(func) sorry_##func##_is_banned_in_mamori

#undef strcpy
#define strcpy(x, y) MR_BANNED(strcpy)
#undef strcat
#define strcat(x, y) MR_BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) MR_BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) MR_BANNED(strncat)
#undef sprintf
#define sprintf(...) MR_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) MR_BANNED(vsprintf)
#undef gets
#define gets(x) MR_BANNED(gets)
#undef strtok
#define strtok(x, y) MR_BANNED(strtok)
#undef atoi
#define atoi(x) MR_BANNED(atoi)
#undef atol
#define atol(x) MR_BANNED(atol)
#undef localtime
#define localtime(x) MR_BANNED(localtime)
#undef gmtime
#define gmtime(x) MR_BANNED(gmtime)
#undef system
#define system(x) MR_BANNED(system)
/* randomness comes from util/random.h (getrandom), never a seeded libc PRNG */
#undef rand
#define rand() MR_BANNED(rand)
#undef srand
#define srand(x) MR_BANNED(srand)

#endif
