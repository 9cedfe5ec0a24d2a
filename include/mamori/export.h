/*
 * export.h — what libmamori exports. The library is built with
 * -fvisibility=hidden; every public function in include/mamori/ is
 * declared with MAMORI_API, and nothing else leaves the shared object.
 * Internal headers (lib/) never use it.
 */
#ifndef MAMORI_EXPORT_H
#define MAMORI_EXPORT_H

#if defined(__GNUC__) || defined(__clang__)
#define MAMORI_API __attribute__((visibility("default")))
#else
#define MAMORI_API
#endif

#endif
