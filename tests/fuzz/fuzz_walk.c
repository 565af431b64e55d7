/*
 * tests/fuzz/fuzz_walk.c: libFuzzer target for the page walker on raw tables (the public
 * standalone MMU, api/mmu.c over arch/x86_64/walk.c). The input fills a few table frames
 * with arbitrary entries (reserved bits, large pages, self-references, loops, addresses
 * beyond RAM), picks the paging controls, and translates addresses with every access kind:
 * the walk must end in a translation, a #PF or a #GP, never a crash or a read outside RAM,
 * and its fields must agree (a fault has nr_levels <= levels; a translation's pa lies in
 * the page it names).
 *
 * Run: tests/fuzz/run_fuzz.sh SECONDS walk. `make test` replays tests/fuzz/corpus/walk.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mmsim/mmu.h"

#define RAM (UINT64_C(1) << 20) /* 256 frames */

static uint64_t take(const uint8_t **p, size_t *n, unsigned int bytes)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < bytes; i++) {
		v = v << 8 | (*n ? **p : 0);
		if (*n) {
			(*p)++;
			(*n)--;
		}
	}
	return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mmsim_mmu *mmu;
	struct mmsim_cpu_state cpu = { 0 };
	unsigned int ctl;

	if (mmsim_mmu_create(RAM, (size & 1) != 0, &mmu))
		return 0;
	ctl = (unsigned int)take(&data, &size, 2);
	cpu.levels = ctl & 1 ? 5 : 4;
	cpu.maxphyaddr = 32 + (ctl >> 1) % 21;
	cpu.cr3 = (take(&data, &size, 1) % (RAM / 4096)) * 4096;
	cpu.wp = ctl & 0x40;
	cpu.nxe = ctl & 0x80;
	cpu.smep = ctl & 0x100;
	cpu.smap = ctl & 0x200;
	cpu.ac = ctl & 0x400;
	cpu.pke = ctl & 0x800;
	cpu.pkru = (uint32_t)take(&data, &size, 4);
	if (mmsim_mmu_set_cpu(mmu, &cpu, NULL))
		goto out;
	/* Entries: (frame, index, value) triples, then addresses to translate. */
	for (unsigned int i = 0, nr = (unsigned int)take(&data, &size, 1); i < nr && size; i++) {
		uint64_t frame = take(&data, &size, 1) % (RAM / 4096);
		uint64_t index = take(&data, &size, 2) % 512;
		uint64_t e = take(&data, &size, 1) & 1 ? (take(&data, &size, 1) * 4096) | 0x67 |
								 (take(&data, &size, 1) & 0x80)
						       : take(&data, &size, 8);

		mmsim_mmu_write64(mmu, frame * 4096 + index * 8, e);
	}
	while (size) {
		uint64_t va = take(&data, &size, 8);
		unsigned int how = (unsigned int)take(&data, &size, 1);
		struct mmsim_translation t;

		mmsim_mmu_translate(mmu, va, (enum mmsim_access)(how % 3), how & 4, &t);
		if (t.nr_levels > cpu.levels)
			abort();
		if (t.fault == MMSIM_FAULT_NONE &&
		    (t.page_shift != 12 && t.page_shift != 21 && t.page_shift != 30))
			abort();
		if (t.fault == MMSIM_FAULT_NONE &&
		    (t.pa & ((UINT64_C(1) << t.page_shift) - 1)) !=
			    (va & ((UINT64_C(1) << t.page_shift) - 1)))
			abort();
		if (how & 8) {
			char *text = NULL;

			if (!mmsim_translation_text(&t, va, cpu.levels,
						    (enum mmsim_access)(how % 3), how & 4, &text))
				free(text);
		}
	}
out:
	mmsim_mmu_destroy(mmu);
	return 0;
}
