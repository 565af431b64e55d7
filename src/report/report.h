/*
 * report/report.h: text views of the simulated system in the format of the Linux files
 * they mirror. Each writes into a struct strbuf (appending); none prints. One file per
 * view (STYLE.md §1).
 *
 * Sources for the formats: Linux mm/vmstat.c (buddyinfo frag_show_print(), zoneinfo
 * zoneinfo_show_print(), vmstat vmstat_show(), extfrag unusable_show_print() and
 * extfrag_show_print()), mm/slab_common.c (slabinfo), fs/proc/meminfo.c (meminfo).
 */
#ifndef MMSIM_REPORT_REPORT_H
#define MMSIM_REPORT_REPORT_H

struct strbuf;
struct pgdat;
struct mm_struct;
struct zone;

/* /proc/buddyinfo: free blocks per order of each populated zone. */
void report_buddyinfo(struct strbuf *sb, const struct pgdat *pgdat);

/* /proc/zoneinfo: every zone's free pages, watermarks, sizes and protection. */
void report_zoneinfo(struct strbuf *sb, const struct pgdat *pgdat);

/* /proc/slabinfo (version 2.1) of every slab cache, newest first. */
void report_slabinfo(struct strbuf *sb, const struct pgdat *pgdat);

/* What /proc/meminfo shows beyond the node's counters: figures only the layers above report
 * know (swap, the processes, the boot's direct map), handed in by the API. */
struct report_meminfo_more {
	unsigned long swap_total_pages;	  /* 0 without a swap device */
	unsigned long swap_free_pages;	  /* 0 without a swap device */
	unsigned long committed_pages;	  /* sum of report_committed_pages() over live mms */
	unsigned long vmalloc_total_kb;	  /* VMALLOC_TOTAL >> 10 of the layout */
	unsigned long directmap_pages[3]; /* direct-map leaves: [0] 4 KiB, [1] 2 MiB, [2] 1 GiB */
};

/* /proc/meminfo; more NULL reads as all zero (no swap, no process, no direct map). */
void report_meminfo(struct strbuf *sb, const struct pgdat *pgdat,
		    const struct report_meminfo_more *more);

/* Pages mm commits in Linux's vm_committed_as: its VM_ACCOUNT VMAs (private writable
 * mappings, brk, the stack) plus the size of each shmem object whose first VMA is in mm
 * (so an object shared by fork counts once). */
unsigned long report_committed_pages(const struct mm_struct *mm);

/* Linux si_mem_available(): MemAvailable in pages. */
unsigned long report_mem_available(const struct pgdat *pgdat);

/* /proc/vmstat: "name value" for every counter. */
void report_vmstat(struct strbuf *sb, const struct pgdat *pgdat);

/* /sys/kernel/debug/extfrag/unusable_index of every populated zone. */
void report_extfrag_unusable(struct strbuf *sb, const struct pgdat *pgdat);

/* /sys/kernel/debug/extfrag/extfrag_index of every populated zone. */
void report_extfrag_index(struct strbuf *sb, const struct pgdat *pgdat);

/* Linux unusable_free_index(): 0..1000 (thousandths) of free memory unusable for order. */
int report_unusable_free_index(const struct zone *z, unsigned int order);

/* Linux fragmentation_index(): -1000 when an order block is free; else 0..1000, towards
 * 0 a failure would be for lack of memory, towards 1000 for fragmentation. */
int report_fragmentation_index(const struct zone *z, unsigned int order);

#endif
