/*
 * prefilter.h — which vector level the raw pre-check and the literal
 * prefilter (mr_raw_suspect, mr_literal_any, mr_literal_ends of
 * detect_precheck.h, in prefilter.c) run at. The level is chosen once
 * per process, on first use: the widest the CPU has whose byte classes
 * (and, for AVX-512, literal hashes) agree with the reference ones.
 * Nothing is allocated.
 */
#ifndef MR_PREFILTER_H
#define MR_PREFILTER_H

enum {
    MR_PREFILTER_SCALAR = 0,   /* mr_raw_suspect_scalar, byte by byte */
    MR_PREFILTER_SSE2 = 1,     /* 16 bytes a step */
    MR_PREFILTER_AVX2 = 2,     /* 32 bytes a step */
    MR_PREFILTER_AVX512 = 3    /* 64 bytes a step, literals without gathers
                                * (AVX-512 F, BW, VBMI and GFNI) */
};

/* The level in use, and the widest this CPU and build allow. */
int mr_prefilter_level(void);
int mr_prefilter_best(void);
/* For tests and benchmarks: use `level` (at most mr_prefilter_best());
 * 0, or -1 when not available. Not thread-safe: call it before any scan
 * starts. */
int mr_prefilter_force(int level);

#endif
