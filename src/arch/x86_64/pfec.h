/*
 * arch/x86_64/pfec.h: the page-fault error code the CPU pushes for #PF (Intel SDM Vol. 3A
 * §4.7, figure 4-12). CR2 receives the faulting linear address.
 */
#ifndef MMSIM_ARCH_X86_64_PFEC_H
#define MMSIM_ARCH_X86_64_PFEC_H

#include <stdint.h>

enum x86_pfec_bit {
	X86_PFEC_BIT_P = 0,    /* 0: not-present entry; 1: protection or reserved-bit violation */
	X86_PFEC_BIT_W = 1,    /* the access was a write */
	X86_PFEC_BIT_U = 2,    /* the access was a user-mode (CPL 3) access */
	X86_PFEC_BIT_RSVD = 3, /* a reserved bit was set in some paging-structure entry */
	X86_PFEC_BIT_I = 4,    /* instruction fetch, reported when NXE=1 or SMEP=1 */
	X86_PFEC_BIT_PK = 5,   /* protection-key violation */
	X86_PFEC_BIT_HLAT = 7, /* the fault happened during HLAT paging (SDM §4.7) */
};

#define X86_PFEC_P (UINT32_C(1) << X86_PFEC_BIT_P)
#define X86_PFEC_W (UINT32_C(1) << X86_PFEC_BIT_W)
#define X86_PFEC_U (UINT32_C(1) << X86_PFEC_BIT_U)
#define X86_PFEC_RSVD (UINT32_C(1) << X86_PFEC_BIT_RSVD)
#define X86_PFEC_I (UINT32_C(1) << X86_PFEC_BIT_I)
#define X86_PFEC_PK (UINT32_C(1) << X86_PFEC_BIT_PK)
#define X86_PFEC_HLAT (UINT32_C(1) << X86_PFEC_BIT_HLAT)

/* Writes "P W U RSVD I PK"-style names of the set bits (or "none") into buf. */
void x86_pfec_describe(uint32_t error_code, char *buf, unsigned int buf_size);

#endif
