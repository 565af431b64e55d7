/*
 * kernel/check.h: whole-system invariants (STYLE.md §5): mm's checkers over the node, every
 * address space and the reclaim lists, then the kernel's own census of user pages and PTEs.
 * The stress tests and mmsim_check() run them on demand; with cfg.paranoid the kernel runs
 * them after every system call, spawn, fork and exit.
 */
#ifndef MMSIM_KERNEL_CHECK_H
#define MMSIM_KERNEL_CHECK_H

#include <stdbool.h>

struct check_report;
struct mmsim_system;

/* User PTEs name user pages only; mapcount, refcount and rss agree with the PTEs. */
bool kernel_check_pages(struct mmsim_system *sys, struct check_report *why);

/* Every checker, the first broken invariant in why. 0 or -EFAULT. */
int kernel_check_all(struct mmsim_system *sys, struct check_report *why);

/* With cfg.paranoid: kernel_check_all(), and on a broken invariant prints the reason to
 * stderr and aborts (a bug, STYLE.md §5.3). Without it: nothing. */
void kernel_paranoid_check(struct mmsim_system *sys);

#endif
