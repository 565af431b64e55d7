/*
 * api/vectors.c: runs page-walk test vectors (docs/vectors.md) through the public MMU API.
 *
 * Each line is one JSON case. A case is run on a fresh MMU with sparse physical memory
 * holding exactly the entries of "mem"; it passes when the outcome matches and afterwards
 * every entry of "mem" and "after" holds the value "after" gives (or its old one).
 */
#include "mmsim/vectors.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mmsim/error.h"
#include "mmsim/mmu.h"

struct vec_ctx {
	const char *path;
	unsigned long line;
	struct mmsim_error *err;
};

static int bad(const struct vec_ctx *vc, const char *fmt, const char *what)
{
	char msg[256];

	snprintf(msg, sizeof(msg), fmt, what);
	return mmsim_error_set(vc->err, -EINVAL, "%s:%lu: %s", vc->path, vc->line, msg);
}

static int get_hex(const struct vec_ctx *vc, const cJSON *obj, const char *name, uint64_t *out)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, name);
	const char *s;
	char *end;

	if (!it)
		return bad(vc, "missing field \"%s\"", name);
	if (!cJSON_IsString(it))
		return bad(vc, "field \"%s\" must be a \"0x...\" hex string", name);
	s = it->valuestring;
	if (strncmp(s, "0x", 2) != 0 || !s[2])
		return bad(vc, "field \"%s\" must be a \"0x...\" hex string", name);
	errno = 0;
	*out = strtoull(s + 2, &end, 16);
	if (errno || *end)
		return bad(vc, "field \"%s\" is not a 64-bit hex number", name);
	return 0;
}

static int parse_hex_str(const struct vec_ctx *vc, const char *s, const char *what, uint64_t *out)
{
	char *end;

	if (!s || strncmp(s, "0x", 2) != 0 || !s[2])
		return bad(vc, "%s must be a \"0x...\" hex string", what);
	errno = 0;
	*out = strtoull(s + 2, &end, 16);
	if (errno || *end)
		return bad(vc, "%s is not a 64-bit hex number", what);
	return 0;
}

static int get_bool(const struct vec_ctx *vc, const cJSON *obj, const char *name, bool *out)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, name);

	if (!it)
		return bad(vc, "missing field \"cpu.%s\"", name);
	if (!cJSON_IsBool(it))
		return bad(vc, "field \"cpu.%s\" must be true or false", name);
	*out = cJSON_IsTrue(it);
	return 0;
}

static int get_uint(const struct vec_ctx *vc, const cJSON *obj, const char *name, unsigned int *out)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, name);

	if (!it)
		return bad(vc, "missing field \"%s\"", name);
	if (!cJSON_IsNumber(it) || it->valuedouble < 0 || it->valuedouble > 1000 ||
	    it->valuedouble != (double)(unsigned int)it->valuedouble)
		return bad(vc, "field \"%s\" must be a small whole number", name);
	*out = (unsigned int)it->valuedouble;
	return 0;
}

static const cJSON *get_obj(const struct vec_ctx *vc, const cJSON *obj, const char *name, int *rc)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, name);

	*rc = 0;
	if (!it || !cJSON_IsObject(it)) {
		*rc = bad(vc, "missing or non-object field \"%s\"", name);
		return NULL;
	}
	return it;
}

/* The optional HLAT fields: "hlat" (default false), then "hlatp" and "hlat_prefix_size". */
static int parse_hlat(const struct vec_ctx *vc, const cJSON *cpu, struct mmsim_cpu_state *st)
{
	int rc;

	if (!cJSON_GetObjectItemCaseSensitive(cpu, "hlat"))
		return 0;
	if ((rc = get_bool(vc, cpu, "hlat", &st->hlat)) || !st->hlat)
		return rc;
	if ((rc = get_hex(vc, cpu, "hlatp", &st->hlatp)) ||
	    (rc = get_uint(vc, cpu, "hlat_prefix_size", &st->hlat_prefix_size)))
		return rc;
	if (st->hlat_prefix_size > 64)
		return bad(vc, "%s must be 0..64", "cpu.hlat_prefix_size");
	return 0;
}

static int parse_cpu(const struct vec_ctx *vc, const cJSON *cpu, struct mmsim_cpu_state *st)
{
	uint64_t pkru;
	int rc;

	if ((rc = get_uint(vc, cpu, "levels", &st->levels)) ||
	    (rc = get_uint(vc, cpu, "maxphyaddr", &st->maxphyaddr)) ||
	    (rc = get_hex(vc, cpu, "cr3", &st->cr3)) || (rc = get_bool(vc, cpu, "wp", &st->wp)) ||
	    (rc = get_bool(vc, cpu, "nxe", &st->nxe)) ||
	    (rc = get_bool(vc, cpu, "smep", &st->smep)) ||
	    (rc = get_bool(vc, cpu, "smap", &st->smap)) ||
	    (rc = get_bool(vc, cpu, "ac", &st->ac)) || (rc = get_bool(vc, cpu, "pke", &st->pke)) ||
	    (rc = get_hex(vc, cpu, "pkru", &pkru)))
		return rc;
	if (pkru > UINT32_MAX)
		return bad(vc, "%s does not fit in 32 bits", "cpu.pkru");
	st->pkru = (uint32_t)pkru;
	return parse_hlat(vc, cpu, st);
}

/* Loads "mem" into the MMU's memory, checking every key and value. */
static int load_mem(const struct vec_ctx *vc, const cJSON *mem, struct mmsim_mmu *mmu)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, mem)
	{
		uint64_t pa, val;
		int rc;

		if ((rc = parse_hex_str(vc, it->string, "a \"mem\" address", &pa)) ||
		    (rc = parse_hex_str(vc, cJSON_IsString(it) ? it->valuestring : NULL,
					"a \"mem\" value", &val)))
			return rc;
		if (pa & 7)
			return bad(vc, "\"mem\" address %s is not 8-byte aligned", it->string);
		mmsim_mmu_write64(mmu, pa, val);
	}
	return 0;
}

struct expected {
	enum mmsim_fault fault;
	uint64_t pa, error_code, cr2;
};

static int parse_result(const struct vec_ctx *vc, const cJSON *res, struct expected *ex)
{
	const cJSON *f = cJSON_GetObjectItemCaseSensitive(res, "fault");
	int rc;

	if (!cJSON_IsString(f))
		return bad(vc, "missing field \"%s\"", "result.fault");
	if (!strcmp(f->valuestring, "none")) {
		ex->fault = MMSIM_FAULT_NONE;
		return get_hex(vc, res, "pa", &ex->pa);
	}
	if (!strcmp(f->valuestring, "pf")) {
		ex->fault = MMSIM_FAULT_PF;
		if ((rc = get_hex(vc, res, "error_code", &ex->error_code)) ||
		    (rc = get_hex(vc, res, "cr2", &ex->cr2)))
			return rc;
		return 0;
	}
	if (!strcmp(f->valuestring, "gp")) {
		ex->fault = MMSIM_FAULT_GP;
		return 0;
	}
	return bad(vc, "result.fault must be none, pf or gp, not \"%s\"", f->valuestring);
}

static void describe_outcome(char *buf, size_t size, enum mmsim_fault fault, uint64_t pa,
			     uint64_t ec, uint64_t cr2)
{
	switch (fault) {
	case MMSIM_FAULT_NONE:
		snprintf(buf, size, "pa 0x%" PRIx64, pa);
		break;
	case MMSIM_FAULT_PF:
		snprintf(buf, size, "#PF error_code 0x%" PRIx64 " cr2 0x%" PRIx64, ec, cr2);
		break;
	case MMSIM_FAULT_GP:
		snprintf(buf, size, "#GP");
		break;
	}
}

/* Compares outcome and memory; on a difference writes it into why and returns false. */
static bool check_case(const struct expected *ex, const struct mmsim_translation *t,
		       const cJSON *mem, const cJSON *after, struct mmsim_mmu *mmu, char *why,
		       size_t why_size)
{
	char want[96], got[96];
	bool same = t->fault == ex->fault;
	const cJSON *lists[2] = { mem, after };

	if (same && ex->fault == MMSIM_FAULT_NONE)
		same = t->pa == ex->pa;
	if (same && ex->fault == MMSIM_FAULT_PF)
		same = t->error_code == ex->error_code && t->cr2 == ex->cr2;
	if (!same) {
		describe_outcome(want, sizeof(want), ex->fault, ex->pa, ex->error_code, ex->cr2);
		describe_outcome(got, sizeof(got), t->fault, t->pa, t->error_code, t->cr2);
		snprintf(why, why_size, "expected %s, got %s", want, got);
		return false;
	}
	for (int l = 0; l < 2; l++) {
		const cJSON *it;

		cJSON_ArrayForEach(it, lists[l])
		{
			uint64_t pa = strtoull(it->string + 2, NULL, 16);
			const cJSON *a = cJSON_GetObjectItemCaseSensitive(after, it->string);
			const cJSON *m = cJSON_GetObjectItemCaseSensitive(mem, it->string);
			const cJSON *src = a ? a : m;
			uint64_t want_v = src ? strtoull(src->valuestring + 2, NULL, 16) : 0;
			uint64_t got_v = mmsim_mmu_read64(mmu, pa);

			if (want_v != got_v) {
				snprintf(why, why_size,
					 "entry at 0x%" PRIx64 ": expected 0x%" PRIx64
					 " after the access, got 0x%" PRIx64,
					 pa, want_v, got_v);
				return false;
			}
		}
	}
	return true;
}

static int run_case(const struct vec_ctx *vc, const cJSON *c, mmsim_vector_cb on_case, void *ctx,
		    unsigned long *passed, unsigned long *failed)
{
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(c, "id");
	const cJSON *cpu, *mem, *acc, *res, *after, *op;
	struct mmsim_cpu_state st = { 0 };
	struct expected ex = { 0 };
	struct mmsim_translation t;
	struct mmsim_mmu *mmu = NULL;
	struct mmsim_error cpu_err;
	uint64_t va;
	unsigned int cpl;
	enum mmsim_access kind;
	char why[256];
	bool ok;
	int rc;

	if (!cJSON_IsString(id))
		return bad(vc, "missing field \"%s\"", "id");
	if (!(cpu = get_obj(vc, c, "cpu", &rc)) || !(mem = get_obj(vc, c, "mem", &rc)) ||
	    !(acc = get_obj(vc, c, "access", &rc)) || !(res = get_obj(vc, c, "result", &rc)) ||
	    !(after = get_obj(vc, c, "after", &rc)))
		return rc;
	if ((rc = parse_cpu(vc, cpu, &st)) || (rc = parse_result(vc, res, &ex)) ||
	    (rc = get_hex(vc, acc, "va", &va)) || (rc = get_uint(vc, acc, "cpl", &cpl)))
		return rc;
	if (cpl != 0 && cpl != 3)
		return bad(vc, "access.cpl must be 0 or 3%s", "");
	op = cJSON_GetObjectItemCaseSensitive(acc, "op");
	if (!cJSON_IsString(op) || strlen(op->valuestring) != 1 ||
	    !strchr("rwx", op->valuestring[0]))
		return bad(vc, "access.op must be \"r\", \"w\" or \"x\"%s", "");
	kind = op->valuestring[0] == 'r'   ? MMSIM_ACCESS_READ
	       : op->valuestring[0] == 'w' ? MMSIM_ACCESS_WRITE
					   : MMSIM_ACCESS_FETCH;
	{
		const cJSON *it;
		uint64_t v;

		cJSON_ArrayForEach(it, after)
		{
			if ((rc = parse_hex_str(vc, it->string, "an \"after\" address", &v)) ||
			    (rc = parse_hex_str(vc, cJSON_IsString(it) ? it->valuestring : NULL,
						"an \"after\" value", &v)))
				return rc;
		}
	}
	rc = mmsim_mmu_create(0, true, &mmu);
	if (rc)
		return mmsim_error_set(vc->err, rc, "%s:%lu: out of host memory", vc->path,
				       vc->line);
	if (mmsim_mmu_set_cpu(mmu, &st, &cpu_err)) {
		rc = mmsim_error_set(vc->err, -EINVAL, "%s:%lu: cpu: %s", vc->path, vc->line,
				     cpu_err.msg);
		goto out_destroy;
	}
	if ((rc = load_mem(vc, mem, mmu)))
		goto out_destroy;
	mmsim_mmu_translate(mmu, va, kind, cpl == 3, &t);
	ok = check_case(&ex, &t, mem, after, mmu, why, sizeof(why));
	if (ok)
		(*passed)++;
	else
		(*failed)++;
	if (on_case)
		on_case(ctx, id->valuestring, ok, ok ? NULL : why);
out_destroy:
	mmsim_mmu_destroy(mmu);
	return rc;
}

static bool blank(const char *s)
{
	for (; *s; s++) {
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return false;
	}
	return true;
}

int mmsim_vectors_run(const char *path, mmsim_vector_cb on_case, void *ctx, unsigned long *passed,
		      unsigned long *failed, struct mmsim_error *err)
{
	struct vec_ctx vc = { .path = path, .line = 0, .err = err };
	bool is_stdin = !strcmp(path, "-");
	FILE *f = is_stdin ? stdin : fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int rc = 0;

	*passed = *failed = 0;
	if (!f)
		return mmsim_error_set(err, -errno, "%s: %s", path, strerror(errno));
	while ((n = getline(&line, &cap, f)) >= 0) {
		cJSON *c;
		const char *at = NULL; /* where parsing stopped (no global error pointer) */

		vc.line++;
		if ((size_t)n != strlen(line)) {
			rc = bad(&vc, "a NUL byte in the line%s", "");
			break;
		}
		if (blank(line))
			continue;
		c = cJSON_ParseWithOpts(line, &at, false);
		if (!c || !cJSON_IsObject(c)) {
			long col = (c == NULL && at && at >= line && at <= line + n) ? at - line + 1
										     : 1;

			cJSON_Delete(c);
			rc = mmsim_error_set(err, -EINVAL, "%s:%lu:%ld: not a JSON object", path,
					     vc.line, col);
			break;
		}
		rc = run_case(&vc, c, on_case, ctx, passed, failed);
		cJSON_Delete(c);
		if (rc)
			break;
	}
	if (!rc && ferror(f))
		rc = mmsim_error_set(err, -EIO, "%s: read error", path);
	free(line);
	if (!is_stdin)
		fclose(f);
	return rc;
}
