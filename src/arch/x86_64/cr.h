/*
 * arch/x86_64/cr.h: the control state that decides how a linear address is translated:
 * CR0.WP, CR3, CR4.{LA57,PCIDE,SMEP,SMAP,PKE}, EFER.NXE, RFLAGS.AC, PKRU and MAXPHYADDR
 * (Intel SDM Vol. 3A §2.5, §4.1.3). Long mode with 4-level or 5-level paging is assumed:
 * mmsim models x86-64 only.
 */
#ifndef MMSIM_ARCH_X86_64_CR_H
#define MMSIM_ARCH_X86_64_CR_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/x86_64/types.h"

/* CR3 fields (SDM Vol. 3A table 4-12/4-13). */
#define X86_CR3_PCID_MASK UINT64_C(0xfff) /* with CR4.PCIDE=1 */
#define X86_CR3_BIT_NOFLUSH 63u		  /* MOV to CR3 keeps the PCID's entries (PCIDE=1) */
#define X86_CR3_NOFLUSH (UINT64_C(1) << X86_CR3_BIT_NOFLUSH)

struct x86_cpu {
	unsigned int levels;	 /* 4, or 5 when CR4.LA57=1 */
	unsigned int maxphyaddr; /* physical-address width in bits, 32..52 */
	uint64_t cr3;		 /* table root (bits 12..maxphyaddr-1), PCID or PWT/PCD */
	bool wp;		 /* CR0.WP: supervisor writes honour R/W */
	bool nxe;		 /* EFER.NXE: XD is a right, not a reserved bit */
	bool smep;		 /* CR4.SMEP: no supervisor fetch from user pages */
	bool smap;		 /* CR4.SMAP: no supervisor data access to user pages unless AC */
	bool ac;		 /* RFLAGS.AC: lifts SMAP for explicit supervisor accesses */
	bool pke;		 /* CR4.PKE: protection keys for user pages */
	bool pcide;		 /* CR4.PCIDE: TLB entries are tagged with CR3[11:0] */
	bool pge;		 /* CR4.PGE: the G bit of a leaf makes its translation global */
	uint32_t pkru;		 /* PKRU: 2 bits per key, AD at 2k and WD at 2k+1 */
	/*
	 * HLAT (SDM Vol. 3A §4.5.1; Vol. 3C, the "enable HLAT" tertiary VM-execution control):
	 * in VMX non-root operation, linear addresses in the protected linear range are first
	 * walked from HLATP instead of CR3. All three are 0 outside a guest with HLAT.
	 */
	bool hlat;		       /* "enable HLAT" VM-execution control */
	uint64_t hlatp;		       /* HLAT pointer: table root in bits 12..maxphyaddr-1 */
	unsigned int hlat_prefix_size; /* 0: every address; n: bits 63..64-n must all be 1 */
};

/* The table root CR3 names, for a given MAXPHYADDR. */
static inline paddr_t x86_cr3_root(const struct x86_cpu *cpu)
{
	return cpu->cr3 & ((UINT64_C(1) << cpu->maxphyaddr) - 1) & ~UINT64_C(0xfff);
}

/* The root of the HLAT paging structures HLATP names. */
static inline paddr_t x86_hlatp_root(const struct x86_cpu *cpu)
{
	return cpu->hlatp & ((UINT64_C(1) << cpu->maxphyaddr) - 1) & ~UINT64_C(0xfff);
}

/* The current PCID (0 when CR4.PCIDE=0). */
static inline uint16_t x86_cr3_pcid(const struct x86_cpu *cpu)
{
	return cpu->pcide ? (uint16_t)(cpu->cr3 & X86_CR3_PCID_MASK) : 0;
}

#endif
