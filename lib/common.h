/*
 * common.h — the first include of every libmamori and tool source file:
 * the standard headers everyone uses, then banned.h, which turns the
 * calls that untrusted input turns into bugs into compile errors.
 */
#ifndef MR_COMMON_H
#define MR_COMMON_H

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MR_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define MR_MIN(a, b) ((a) < (b) ? (a) : (b))
#define MR_MAX(a, b) ((a) > (b) ? (a) : (b))

#include "util/banned.h"

#endif
