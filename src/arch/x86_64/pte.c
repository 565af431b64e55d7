/*
 * arch/x86_64/pte.c: human-readable decoding of entries, for walk output and explain mode.
 */
#include "arch/x86_64/pte.h"

#include <stdio.h>

#include "arch/x86_64/pfec.h"

static void append(char *buf, unsigned int size, unsigned int *len, const char *word)
{
	int n;

	if (*len >= size)
		return;
	n = snprintf(buf + *len, size - *len, "%s%s", *len ? " " : "", word);
	if (n > 0)
		*len += (unsigned int)n;
}

void x86_pte_describe(uint64_t e, unsigned int level, char *buf, unsigned int buf_size)
{
	unsigned int len = 0;
	bool leaf = level == X86_LEVEL_PTE || (level <= X86_LEVEL_PDPTE && x86_pte_large(e));
	char tmp[24];

	if (buf_size == 0)
		return;
	buf[0] = '\0';
	if (!x86_pte_present(e)) {
		append(buf, buf_size, &len, e ? "not-present (software bits set)" : "not-present");
		return;
	}
	append(buf, buf_size, &len, "P");
	append(buf, buf_size, &len, x86_pte_writable(e) ? "RW" : "RO");
	append(buf, buf_size, &len, x86_pte_user(e) ? "US" : "S");
	if (e & X86_PTE_PWT)
		append(buf, buf_size, &len, "PWT");
	if (e & X86_PTE_PCD)
		append(buf, buf_size, &len, "PCD");
	if (x86_pte_accessed(e))
		append(buf, buf_size, &len, "A");
	if (leaf && x86_pte_dirty(e))
		append(buf, buf_size, &len, "D");
	if (level == X86_LEVEL_PTE && (e & X86_PTE_PAT4K))
		append(buf, buf_size, &len, "PAT");
	if (level > X86_LEVEL_PTE && x86_pte_large(e))
		append(buf, buf_size, &len, "PS");
	if (leaf && level > X86_LEVEL_PTE && (e & X86_PTE_PATLARGE))
		append(buf, buf_size, &len, "PAT");
	if (leaf && x86_pte_global(e))
		append(buf, buf_size, &len, "G");
	if (x86_pte_xd(e))
		append(buf, buf_size, &len, "XD");
	if (leaf && x86_pte_pkey(e)) {
		snprintf(tmp, sizeof(tmp), "pkey=%u", x86_pte_pkey(e));
		append(buf, buf_size, &len, tmp);
	}
}

void x86_pfec_describe(uint32_t ec, char *buf, unsigned int buf_size)
{
	unsigned int len = 0;

	if (buf_size == 0)
		return;
	buf[0] = '\0';
	append(buf, buf_size, &len, (ec & X86_PFEC_P) ? "P(protection)" : "!P(not-present)");
	append(buf, buf_size, &len, (ec & X86_PFEC_W) ? "W(write)" : "R(read)");
	append(buf, buf_size, &len, (ec & X86_PFEC_U) ? "U(user)" : "S(supervisor)");
	if (ec & X86_PFEC_RSVD)
		append(buf, buf_size, &len, "RSVD");
	if (ec & X86_PFEC_I)
		append(buf, buf_size, &len, "I(fetch)");
	if (ec & X86_PFEC_PK)
		append(buf, buf_size, &len, "PK");
	if (ec & X86_PFEC_HLAT)
		append(buf, buf_size, &len, "HLAT");
}
