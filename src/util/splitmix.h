/*
 * util/splitmix.h: splitmix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number
 * generators", OOPSLA 2014), the one seeded generator and 64-bit mixing function of mmsim.
 * A given seed gives the same sequence on every host (integer arithmetic only).
 */
#ifndef MMSIM_UTIL_SPLITMIX_H
#define MMSIM_UTIL_SPLITMIX_H

#include <stdint.h>

/* splitmix64's finaliser alone: a fixed bijection in which every input bit reaches every
 * output bit (hash keys, data patterns the workloads write and check). */
static inline uint64_t splitmix64_mix(uint64_t x)
{
	x ^= x >> 30;
	x *= UINT64_C(0xbf58476d1ce4e5b9);
	x ^= x >> 27;
	x *= UINT64_C(0x94d049bb133111eb);
	return x ^ (x >> 31);
}

/* The generator: advances *state by the golden-ratio gamma and returns 64 random bits. */
static inline uint64_t splitmix64_next(uint64_t *state)
{
	*state += UINT64_C(0x9e3779b97f4a7c15);
	return splitmix64_mix(*state);
}

#endif
