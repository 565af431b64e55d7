/*
 * trace/trace_event.h: the rules every trace event obeys (mmsim/trace.h, "events"), shared
 * by the binary and lackey readers and by the writer, so that what one accepts the others
 * accept too.
 */
#ifndef MMSIM_TRACE_TRACE_EVENT_H
#define MMSIM_TRACE_TRACE_EVENT_H

#include <stddef.h>
#include <stdint.h>

#include "mmsim/trace.h"

/*
 * Why ev (an event kind) is malformed, or NULL when it is valid: each field the kind does
 * not use must be 0 (mmsim/trace.h lists the fields each kind uses).
 */
static inline const char *trace_event_invalid(const struct mmsim_trace_record *ev)
{
	switch (ev->kind) {
	case MMSIM_TRACE_FORK:
		if (ev->addr > UINT32_MAX)
			return "fork: the child pid does not fit in 32 bits";
		if (ev->addr == ev->pid)
			return "fork: the child pid equals the parent's";
		return ev->size ? "fork: unused field set" : NULL;
	case MMSIM_TRACE_EXEC:
	case MMSIM_TRACE_EXIT:
		return ev->addr || ev->size ? "exec/exit: unused field set" : NULL;
	case MMSIM_TRACE_RECLAIM:
		if (ev->addr == 0)
			return "reclaim: 0 bytes (reclaim at least 1 byte)";
		if (ev->size != 0 && ev->size != MMSIM_TRACE_EVENT_ALL)
			return "reclaim: unknown flags";
		return ev->size && ev->pid ? "reclaim: a pid with 'all'" : NULL;
	case MMSIM_TRACE_SHRINK_ALL:
	case MMSIM_TRACE_SWITCH:
		return ev->addr || ev->size || ev->pid ? "shrink-all/switch: unused field set"
						       : NULL;
	default:
		return "not an event";
	}
}

#endif
