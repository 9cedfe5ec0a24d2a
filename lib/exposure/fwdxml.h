/*
 * fwdxml.h — the small XML scanner firewalld.c reads zone, service and
 * policy files with (fwdxml.c): elements and their attributes, bounded.
 */
#ifndef MR_EXPOSURE_FWDXML_H
#define MR_EXPOSURE_FWDXML_H

#include <stddef.h>

#define MR_XP_XML_NAME_MAX 32     /* an element's or attribute's name */
#define MR_XP_XML_VALUE_MAX 256   /* an attribute's value, decoded */
#define MR_XP_XML_ATTRS_MAX 8     /* attributes of one element */

/* One element as the scanner hands it over (its own buffer, gone after
 * the call). */
typedef struct mr_xp_xml_el {
    char name[MR_XP_XML_NAME_MAX];
    size_t nattrs;
    char key[MR_XP_XML_ATTRS_MAX][MR_XP_XML_NAME_MAX];
    char val[MR_XP_XML_ATTRS_MAX][MR_XP_XML_VALUE_MAX];
    int closing;                /* </name> */
    int empty;                  /* <name/> */
} mr_xp_xml_el;

/* Called per element; non-zero stops the scan (and is returned). */
typedef int (*mr_xp_xml_fn)(void *user, const mr_xp_xml_el *el);

/* Calls fn for every element of s (len bytes) in order: 0 when all were
 * read, fn's non-zero value when it stopped, -1 for XML the scanner
 * does not read, -2 when out of memory. */
int mr_xp_xml_scan(const char *s, size_t len, mr_xp_xml_fn fn, void *user);

#endif
