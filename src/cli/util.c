/*
 * cli/util.c: small parsing helpers shared by the subcommands.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "cli.h"
#include "mmsim/mmsim.h"
#include "mmsim/trace.h"

int cli_open_trace(const char *path, int format, const char *params,
		   struct mmsim_trace_reader **out, struct mmsim_error *err)
{
	int rc = mmsim_trace_reader_create_as(path, (enum mmsim_trace_format)format, out, err);

	if (rc == 0 && (rc = mmsim_trace_reader_set_params(*out, params, err)) != 0) {
		mmsim_trace_reader_destroy(*out);
		*out = NULL;
	}
	return rc;
}

int cli_print_json(cJSON *root)
{
	char *text = cJSON_Print(root);

	cJSON_Delete(root);
	if (!text)
		return CLI_EXIT_FAILED;
	puts(text);
	free(text);
	return CLI_EXIT_OK;
}

int cli_parse_size(const char *s, unsigned long long *bytes_out)
{
	uint64_t v;
	int err = mmsim_parse_size(s, &v);

	if (!err)
		*bytes_out = v;
	return err;
}
