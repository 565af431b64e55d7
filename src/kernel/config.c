/*
 * kernel/config.c: struct mmsim_config defaults and `key=value` parsing, shared by
 * scenario scripts (`config ...`) and the command line.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/config.h"
#include "mm/huge_memory.h"
#include "mmsim/mmsim.h"
#include "util/macros.h"
#include "util/strbuf.h"

void mmsim_config_default(struct mmsim_config *c)
{
	memset(c, 0, sizeof(*c));
	c->mem_bytes = UINT64_C(64) << 20;
	/* Enough swap that memory pressure swaps rather than kills, as `mmsim run` always had. */
	c->swap_bytes = UINT64_C(256) << 20;
	snprintf(c->policy, sizeof(c->policy), "linux");
	/* reclaim stays "": chosen at boot from frames (mmsim_config_reclaim()). */
	snprintf(c->layout, sizeof(c->layout), "modern");
	c->levels = 4;
	c->pcid = true;
	c->kpti = MMSIM_KPTI_AUTO;
	c->pt_reclaim = true;
	c->seed = 1;
	/* The most common distribution default, and the one that leaves every mapping without
	 * MADV_HUGEPAGE as it was (docs/kernel.md). */
	snprintf(c->thp, sizeof(c->thp), "madvise");
	snprintf(c->defrag, sizeof(c->defrag), "madvise");
	c->khugepaged_pages_to_scan = 4096; /* HPAGE_PMD_NR * 8 */
	c->khugepaged_scan_sleep_ms = 10000;
	c->khugepaged_max_ptes_none = 511; /* HPAGE_PMD_NR - 1 */
	c->read_ahead_kb = 128;		   /* Linux VM_READAHEAD_PAGES: 128 KiB */
	c->dirty_ratio = 20;		   /* Linux vm_dirty_ratio */
	c->swappiness = 60;		   /* Linux /proc/sys/vm/swappiness */
	c->anon_workingset = true;	   /* Linux 5.9+: anon shadow entries in the swap cache */
	c->pcp = true;			   /* Linux always has per-CPU page lists */
	c->dirty_background_ratio = 10;	   /* Linux dirty_background_ratio */
	c->disk_us = 100;		   /* mmsim's device: an SSD-like 100 us a request */
	c->disk_mbps = 500;		   /* and 500 MB/s */
}

const char *mmsim_config_reclaim(const struct mmsim_config *c)
{
	if (c->reclaim[0])
		return c->reclaim;
	return c->frames ? "demand" : "linux";
}

int mmsim_parse_size(const char *s, uint64_t *out)
{
	char *end;
	uint64_t v, mult = 1;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno)
		return -EINVAL;
	switch (*end) {
	case '\0':
		break;
	case 'k':
	case 'K':
		mult = UINT64_C(1) << 10;
		end++;
		break;
	case 'm':
	case 'M':
		mult = UINT64_C(1) << 20;
		end++;
		break;
	case 'g':
	case 'G':
		mult = UINT64_C(1) << 30;
		end++;
		break;
	case 't':
	case 'T':
		mult = UINT64_C(1) << 40;
		end++;
		break;
	default:
		return -EINVAL;
	}
	if (*end == 'i' && end[1] == 'B')
		end += 2;
	else if (*end == 'B')
		end++;
	if (*end || (v && mult > UINT64_MAX / v))
		return -EINVAL;
	*out = v * mult;
	return 0;
}

int mmsim_parse_addr(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	size_t i = 0;

	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		i = 2;
	if (i == len)
		return -EINVAL;
	for (; i < len; i++) {
		char c = s[i];
		unsigned int d;

		if (c >= '0' && c <= '9')
			d = (unsigned int)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned int)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned int)(c - 'A' + 10);
		else
			return -EINVAL;
		if (v >> 60)
			return -ERANGE;
		v = v << 4 | d;
	}
	*out = v;
	return 0;
}

static int parse_bool(const char *s, bool *out)
{
	if (!strcmp(s, "on") || !strcmp(s, "yes") || !strcmp(s, "true") || !strcmp(s, "1"))
		*out = true;
	else if (!strcmp(s, "off") || !strcmp(s, "no") || !strcmp(s, "false") || !strcmp(s, "0"))
		*out = false;
	else
		return -EINVAL;
	return 0;
}

static int copy_name(char *dst, size_t n, const char *v)
{
	if (strlen(v) >= n)
		return -EINVAL;
	memcpy(dst, v, strlen(v) + 1);
	return 0;
}

/* The keys mmsim_config_set() takes, in the order the help and the docs list them. */
const char *const config_keys[] = {
	"mem",
	"swap",
	"policy",
	"reclaim",
	"frames",
	"layout",
	"levels",
	"tlb",
	"pcid",
	"kpti",
	"data",
	"paranoid",
	"seed",
	"pt_reclaim",
	"thp",
	"defrag",
	"khugepaged_pages_to_scan",
	"khugepaged_scan_sleep_ms",
	"khugepaged_max_ptes_none",
	"read_ahead_kb",
	"dirty_ratio",
	"dirty_background_ratio",
	"disk_us",
	"disk_mbps",
	"swappiness",
	"anon_workingset",
	"pcp",
};
const unsigned int config_nr_keys = ARRAY_SIZE(config_keys);

int mmsim_config_set(struct mmsim_config *c, const char *key, const char *v,
		     struct mmsim_error *err)
{
	uint64_t n;

	if (!strcmp(key, "mem")) {
		if (mmsim_parse_size(v, &c->mem_bytes) || c->mem_bytes < (UINT64_C(16) << 20))
			return mmsim_error_set(err, -EINVAL,
					       "mem=%s: want a size of at least 16M (e.g. 64M, 1G)",
					       v);
	} else if (!strcmp(key, "swap")) {
		if (mmsim_parse_size(v, &c->swap_bytes))
			return mmsim_error_set(err, -EINVAL, "swap=%s: want a size (e.g. 0, 128M)",
					       v);
	} else if (!strcmp(key, "policy")) {
		if (copy_name(c->policy, sizeof(c->policy), v))
			return mmsim_error_set(err, -EINVAL, "policy=%s: name too long", v);
	} else if (!strcmp(key, "reclaim")) {
		if (strcmp(v, "linux") && strcmp(v, "demand"))
			return mmsim_error_set(err, -EINVAL, "reclaim=%s: want linux or demand", v);
		copy_name(c->reclaim, sizeof(c->reclaim), v);
	} else if (!strcmp(key, "frames")) {
		if (mmsim_parse_size(v, &c->frames))
			return mmsim_error_set(err, -EINVAL, "frames=%s: want a number of pages",
					       v);
	} else if (!strcmp(key, "layout")) {
		if (strcmp(v, "classic") && strcmp(v, "modern") && strcmp(v, "la57"))
			return mmsim_error_set(err, -EINVAL,
					       "layout=%s: want classic, modern or la57", v);
		copy_name(c->layout, sizeof(c->layout), v);
		c->levels = !strcmp(v, "la57") ? 5 : 4;
	} else if (!strcmp(key, "levels")) {
		if (strcmp(v, "4") && strcmp(v, "5"))
			return mmsim_error_set(err, -EINVAL, "levels=%s: want 4 or 5", v);
		c->levels = (unsigned int)atoi(v);
		if (c->levels == 5)
			copy_name(c->layout, sizeof(c->layout), "la57");
		else if (!strcmp(c->layout, "la57"))
			copy_name(c->layout, sizeof(c->layout), "modern");
	} else if (!strcmp(key, "tlb")) {
		if (copy_name(c->tlb, sizeof(c->tlb), v))
			return mmsim_error_set(err, -EINVAL, "tlb=%s: spec too long", v);
	} else if (!strcmp(key, "pcid")) {
		if (parse_bool(v, &c->pcid))
			return mmsim_error_set(err, -EINVAL, "pcid=%s: want on or off", v);
	} else if (!strcmp(key, "kpti")) {
		bool on;

		if (!strcmp(v, "auto"))
			c->kpti = MMSIM_KPTI_AUTO;
		else if (parse_bool(v, &on))
			return mmsim_error_set(err, -EINVAL, "kpti=%s: want on, off or auto", v);
		else
			c->kpti = on ? MMSIM_KPTI_ON : MMSIM_KPTI_OFF;
	} else if (!strcmp(key, "data")) {
		if (parse_bool(v, &c->data_mode))
			return mmsim_error_set(err, -EINVAL, "data=%s: want on or off", v);
	} else if (!strcmp(key, "pt_reclaim")) {
		if (parse_bool(v, &c->pt_reclaim))
			return mmsim_error_set(err, -EINVAL, "pt_reclaim=%s: want on or off", v);
	} else if (!strcmp(key, "paranoid")) {
		if (parse_bool(v, &c->paranoid))
			return mmsim_error_set(err, -EINVAL, "paranoid=%s: want on or off", v);
	} else if (!strcmp(key, "thp")) {
		enum thp_enabled e;

		if (thp_enabled_parse(v, &e))
			return mmsim_error_set(err, -EINVAL,
					       "thp=%s: want always, madvise or never", v);
		copy_name(c->thp, sizeof(c->thp), v);
	} else if (!strcmp(key, "defrag")) {
		enum thp_defrag d;

		if (thp_defrag_parse(v, &d))
			return mmsim_error_set(err, -EINVAL,
					       "defrag=%s: want always, defer, defer+madvise, "
					       "madvise or never",
					       v);
		copy_name(c->defrag, sizeof(c->defrag), v);
	} else if (!strcmp(key, "khugepaged_pages_to_scan") ||
		   !strcmp(key, "khugepaged_scan_sleep_ms") ||
		   !strcmp(key, "khugepaged_max_ptes_none")) {
		/* Linux's limits: pages_to_scan >= 1, max_ptes_none <= HPAGE_PMD_NR - 1. */
		uint64_t max = !strcmp(key, "khugepaged_max_ptes_none") ? 511 : UINT32_MAX;
		uint64_t min = !strcmp(key, "khugepaged_pages_to_scan") ? 1 : 0;

		if (mmsim_parse_size(v, &n) || n < min || n > max)
			return mmsim_error_set(err, -EINVAL,
					       "%s=%s: want a number from %llu to %llu", key, v,
					       (unsigned long long)min, (unsigned long long)max);
		if (!strcmp(key, "khugepaged_pages_to_scan"))
			c->khugepaged_pages_to_scan = (uint32_t)n;
		else if (!strcmp(key, "khugepaged_scan_sleep_ms"))
			c->khugepaged_scan_sleep_ms = (uint32_t)n;
		else
			c->khugepaged_max_ptes_none = (uint32_t)n;
	} else if (!strcmp(key, "read_ahead_kb")) {
		/* /sys/block/DEV/queue/read_ahead_kb: any size; 0 turns readahead off. */
		if (mmsim_parse_size(v, &n) || n > (UINT64_C(1) << 30))
			return mmsim_error_set(err, -EINVAL,
					       "read_ahead_kb=%s: want kilobytes, 0 to 1073741824",
					       v);
		c->read_ahead_kb = n;
	} else if (!strcmp(key, "dirty_ratio") || !strcmp(key, "dirty_background_ratio")) {
		if (mmsim_parse_size(v, &n) || n > 100)
			return mmsim_error_set(err, -EINVAL, "%s=%s: want a percentage, 0 to 100",
					       key, v);
		if (key[6] == 'r')
			c->dirty_ratio = (unsigned int)n;
		else
			c->dirty_background_ratio = (unsigned int)n;
	} else if (!strcmp(key, "disk_us") || !strcmp(key, "disk_mbps")) {
		if (mmsim_parse_size(v, &n) || n > (UINT64_C(1) << 32))
			return mmsim_error_set(err, -EINVAL, "%s=%s: want a number, 0 to 2^32", key,
					       v);
		if (key[5] == 'u')
			c->disk_us = n;
		else
			c->disk_mbps = n;
	} else if (!strcmp(key, "swappiness")) {
		/* /proc/sys/vm/swappiness: 0..200 since Linux 5.8. */
		if (mmsim_parse_size(v, &n) || n > 200)
			return mmsim_error_set(err, -EINVAL, "swappiness=%s: want 0 to 200", v);
		c->swappiness = (unsigned int)n;
	} else if (!strcmp(key, "anon_workingset")) {
		if (parse_bool(v, &c->anon_workingset))
			return mmsim_error_set(err, -EINVAL, "anon_workingset=%s: want on or off",
					       v);
	} else if (!strcmp(key, "pcp")) {
		if (parse_bool(v, &c->pcp))
			return mmsim_error_set(err, -EINVAL, "pcp=%s: want on or off", v);
	} else if (!strcmp(key, "seed")) {
		if (mmsim_parse_size(v, &n))
			return mmsim_error_set(err, -EINVAL, "seed=%s: want a number", v);
		c->seed = n;
	} else {
		struct strbuf want;
		int rc;

		strbuf_init(&want);
		for (unsigned int i = 0; i < config_nr_keys; i++)
			strbuf_printf(&want, "%s%s", i ? ", " : "", config_keys[i]);
		rc = mmsim_error_set(err, -EINVAL, "unknown option '%s' (want %s)", key,
				     strbuf_str(&want));
		strbuf_fini(&want);
		return rc;
	}
	return 0;
}
