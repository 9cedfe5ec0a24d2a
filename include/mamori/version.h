/*
 * version.h — the version of the libmamori headers a program was compiled
 * against. Written by hand so that include/ works as it is, without a
 * build directory; meson refuses to configure when it differs from the
 * project version (include/mamori/meson.build), and test_version checks
 * the number against the string, so they cannot drift apart.
 *
 * MAMORI_VERSION_NUM packs major, minor and patch into one number
 * (0x000100 for 0.1.0) for compile-time checks:
 *     #if MAMORI_VERSION_NUM >= 0x000200
 * mamori_version() (mamori.h) returns the version of the library actually
 * linked, which is MAMORI_VERSION unless headers and library disagree.
 */
#ifndef MAMORI_VERSION_H
#define MAMORI_VERSION_H

#define MAMORI_VERSION "0.1.0"
#define MAMORI_VERSION_MAJOR 0
#define MAMORI_VERSION_MINOR 1
#define MAMORI_VERSION_PATCH 0
#define MAMORI_VERSION_NUM ((MAMORI_VERSION_MAJOR << 16) | \
                            (MAMORI_VERSION_MINOR << 8) | \
                            MAMORI_VERSION_PATCH)

#endif
