/*
 * report/task_views.h: the per-process /proc files: /proc/PID/maps, /proc/PID/status and
 * /proc/PID/smaps, in Linux's formats (fs/proc/task_mmu.c, fs/proc/array.c).
 */
#ifndef MMSIM_REPORT_TASK_VIEWS_H
#define MMSIM_REPORT_TASK_VIEWS_H

struct mmsim_task;
struct strbuf;

void report_maps(struct strbuf *sb, struct mmsim_task *t);
void report_smaps(struct strbuf *sb, struct mmsim_task *t);
void report_status(struct strbuf *sb, struct mmsim_task *t);

#endif
