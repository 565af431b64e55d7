/*
 * tests/unit/api/test_destroy.c: every public *_destroy() takes NULL and does nothing, as
 * the headers' conventions say (mmsim/mmsim.h) and as the Python package relies on (it
 * frees what a failed call may have left NULL).
 */
#include <criterion/criterion.h>

#include "mmsim/experiment.h"
#include "mmsim/mmsim.h"
#include "mmsim/mmu.h"
#include "mmsim/mrc.h"
#include "mmsim/replay.h"
#include "mmsim/script.h"
#include "mmsim/trace.h"

Test(destroy, every_destroy_takes_null)
{
	mmsim_system_destroy(NULL);
	mmsim_mmu_destroy(NULL);
	mmsim_mrc_destroy(NULL);
	mmsim_replay_destroy(NULL);
	mmsim_replay_future_destroy(NULL);
	mmsim_script_destroy(NULL);
	mmsim_script_session_destroy(NULL);
	mmsim_trace_reader_destroy(NULL);
	mmsim_trace_writer_destroy(NULL);
	mmsim_pagesize_destroy(NULL);
	cr_assert(true);
}
