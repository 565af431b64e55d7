/*
 * cli/util.c: small parsing helpers shared by the subcommands.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>

#include "cli.h"
#include "mmsim/mmsim.h"

int cli_parse_size(const char *s, unsigned long long *bytes_out)
{
	uint64_t v;
	int err = mmsim_parse_size(s, &v);

	if (!err)
		*bytes_out = v;
	return err;
}
