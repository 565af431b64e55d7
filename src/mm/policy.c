/*
 * mm/policy.c: the policy registry (see policy.h): the only place that knows every policy.
 */
#include "mm/policy.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm/check.h"
#include "mm/page.h"
#include "mm/vmscan.h"
#include "util/list.h"
#include "util/macros.h"

static const struct policy_ops *const policy_table[] = {
	&policy_fifo,  &policy_lru,  &policy_clock,    &policy_nru,    &policy_random,
	&policy_linux, &policy_opt,  &policy_sieve,    &policy_s3fifo, &policy_arc,
	&policy_2q,    &policy_lirs, &policy_clockpro, &policy_mglru,
};

#define NR_POLICIES (ARRAY_SIZE(policy_table))

const char *policy_name(unsigned int i)
{
	return i < NR_POLICIES ? policy_table[i]->name : NULL;
}

const struct policy_ops *policy_find(const char *spec)
{
	size_t len = strcspn(spec, ":");

	for (size_t i = 0; i < NR_POLICIES; i++) {
		if (strlen(policy_table[i]->name) == len &&
		    !strncmp(policy_table[i]->name, spec, len))
			return policy_table[i];
	}
	return NULL;
}

/* One KEY=VALUE of a spec, [s, end). */
static int parse_one(const struct policy_ops *ops, const char *s, size_t n, uint64_t *param,
		     char *why, size_t why_size)
{
	const char *eq = memchr(s, '=', n);
	size_t klen = eq ? (size_t)(eq - s) : n;
	char val[32];
	char *end;
	unsigned long long v;

	for (unsigned int i = 0; eq && i < ops->nr_params; i++) {
		const struct policy_param *pp = &ops->params[i];

		if (strlen(pp->name) != klen || strncmp(pp->name, s, klen))
			continue;
		if (n - klen - 1 == 0 || n - klen - 1 >= sizeof(val))
			break;
		memcpy(val, eq + 1, n - klen - 1);
		val[n - klen - 1] = '\0';
		errno = 0;
		v = strtoull(val, &end, 10);
		if (errno || *end || val[0] == '-' || v < pp->min || v > pp->max) {
			snprintf(why, why_size, "%s:%s=%s: want a whole number from %llu to %llu",
				 ops->name, pp->name, val, (unsigned long long)pp->min,
				 (unsigned long long)pp->max);
			return -EINVAL;
		}
		param[i] = v;
		return 0;
	}
	snprintf(why, why_size, "policy %s: unknown parameter '%.*s'%s", ops->name, (int)n, s,
		 ops->nr_params ? " (see mmsim run --help)" : " (it takes none)");
	return -EINVAL;
}

int policy_parse(const char *spec, const struct policy_ops **ops_out, uint64_t *param, char *why,
		 size_t why_size)
{
	const struct policy_ops *ops = policy_find(spec);
	const char *s = spec + strcspn(spec, ":");

	if (!ops) {
		char names[256];

		policy_names(names, sizeof(names));
		snprintf(why, why_size, "unknown policy '%.*s' (want one of: %s)",
			 (int)strcspn(spec, ":"), spec, names);
		return -EINVAL;
	}
	for (unsigned int i = 0; i < ops->nr_params; i++)
		param[i] = ops->params[i].def;
	/* Bounded by the spec's length: each step consumes at least one character. */
	while (*s == ':') {
		size_t n = strcspn(s + 1, ":");
		int rc = parse_one(ops, s + 1, n, param, why, why_size);

		if (rc)
			return rc;
		s += n + 1;
	}
	*ops_out = ops;
	return 0;
}

void policy_params_help(char *buf, size_t size)
{
	size_t len = 0;

	if (size)
		buf[0] = '\0';
	for (size_t i = 0; i < NR_POLICIES; i++) {
		for (unsigned int k = 0; k < policy_table[i]->nr_params && len < size; k++) {
			const struct policy_param *pp = &policy_table[i]->params[k];
			char key[40];
			int n;

			snprintf(key, sizeof(key), "%s:%s=%llu", policy_table[i]->name, pp->name,
				 (unsigned long long)pp->def);
			n = snprintf(buf + len, size - len, "  %-20s %s\n", key, pp->help);
			if (n < 0)
				return;
			len += (size_t)n;
		}
	}
}

struct policy_key policy_page_key(const struct page *pg)
{
	return (struct policy_key){ .mapping = (uintptr_t)pg->mapping, .index = pg->index };
}

void policy_names(char *buf, size_t size)
{
	size_t len = 0;

	if (size)
		buf[0] = '\0';
	for (size_t i = 0; i < NR_POLICIES && len < size; i++) {
		int n = snprintf(buf + len, size - len, "%s%s", i ? ", " : "",
				 policy_table[i]->name);

		if (n < 0)
			break;
		len += (size_t)n;
	}
}

int policy_create(struct mm_core *core, const char *spec, uint64_t seed, uint64_t capacity,
		  struct policy **out)
{
	struct policy *p = calloc(1, sizeof(*p));
	char why[160];
	int err;

	if (!p)
		return -ENOMEM;
	if (policy_parse(spec, &p->ops, p->param, why, sizeof(why))) {
		free(p);
		return -EINVAL;
	}
	p->core = core;
	p->seed = seed ? seed : 1;
	p->capacity = capacity ? capacity : 1;
	p->sees_accesses = p->ops->needs_accesses;
	p->workingset = p->ops->workingset;
	err = p->ops->init ? p->ops->init(p) : 0;
	if (err) {
		free(p);
		return err;
	}
	*out = p;
	return 0;
}

void policy_destroy(struct policy *p)
{
	if (!p)
		return;
	if (p->ops->fini)
		p->ops->fini(p);
	free(p);
}

bool policy_list_check(const struct policy *p, const struct list_head *head,
		       struct check_report *why)
{
	uint64_t n = 0;
	const struct list_head *pos;

	for (pos = head->next; pos != head && n <= p->nr_pages; pos = pos->next)
		n++;
	if (n == p->nr_pages)
		return true;
	return check_fail(why, "%s: %llu pages on the list, %llu counted", p->ops->name,
			  (unsigned long long)n, (unsigned long long)p->nr_pages);
}

int policy_list_state_init(struct policy *p)
{
	struct list_head *head = malloc(sizeof(*head));

	if (!head)
		return -ENOMEM;
	list_init(head);
	p->state = head;
	return 0;
}

void policy_list_state_fini(struct policy *p)
{
	free(p->state);
}

struct list_head *policy_list_head(struct policy *p)
{
	return p->state;
}

void policy_list_page_added(struct policy *p, struct page *pg)
{
	list_add_tail(&pg->lru, policy_list_head(p));
	p->nr_pages++;
}

void policy_list_page_removed(struct policy *p, struct page *pg)
{
	list_del(&pg->lru);
	p->nr_pages--;
}

struct page *policy_list_pick_head(struct policy *p, struct vmscan_ctx *ctx)
{
	struct list_head *head = policy_list_head(p);

	if (list_empty(head))
		return NULL;
	ctx->nr_scanned++;
	return list_entry(head->next, struct page, lru);
}

bool policy_list_state_check(const struct policy *p, struct check_report *why)
{
	return policy_list_check(p, p->state, why);
}

void policy_circle_init(struct policy_circle *c)
{
	list_init(&c->head);
	c->hand = &c->head;
}

void policy_circle_add(struct policy *p, struct policy_circle *c, struct page *pg)
{
	list_add_tail(&pg->lru, c->hand);
	if (c->hand == &c->head)
		c->hand = &pg->lru;
	p->nr_pages++;
}

void policy_circle_advance(struct policy_circle *c)
{
	c->hand = c->hand->next;
	if (c->hand == &c->head)
		c->hand = c->hand->next;
}

void policy_circle_remove(struct policy *p, struct policy_circle *c, struct page *pg)
{
	if (c->hand == &pg->lru)
		policy_circle_advance(c);
	list_del(&pg->lru);
	if (list_empty(&c->head))
		c->hand = &c->head;
	p->nr_pages--;
}

struct page *policy_circle_hand(const struct policy_circle *c)
{
	return list_empty(&c->head) ? NULL : list_entry(c->hand, struct page, lru);
}

int policy_circle_state_init(struct policy *p)
{
	struct policy_circle *c = malloc(sizeof(*c));

	if (!c)
		return -ENOMEM;
	policy_circle_init(c);
	p->state = c;
	return 0;
}

void policy_circle_state_fini(struct policy *p)
{
	free(p->state);
}

void policy_circle_page_added(struct policy *p, struct page *pg)
{
	policy_circle_add(p, p->state, pg);
}

void policy_circle_page_removed(struct policy *p, struct page *pg)
{
	policy_circle_remove(p, p->state, pg);
}

bool policy_circle_check(const struct policy *p, struct check_report *why)
{
	const struct policy_circle *c = p->state;

	return policy_list_check(p, &c->head, why);
}

/* ---- Ghost lists ------------------------------------------------------------------------ */

struct policy_ghost_node {
	struct policy_key key;
	uint32_t older, newer; /* FIFO neighbours; the free list uses newer */
	uint32_t chain;	       /* next node in the same bucket */
};

static uint64_t key_hash(struct policy_key k)
{
	uint64_t x = (uint64_t)k.mapping * UINT64_C(0x9e3779b97f4a7c15) ^ k.index;

	/* splitmix64's finaliser. */
	x ^= x >> 30;
	x *= UINT64_C(0xbf58476d1ce4e5b9);
	x ^= x >> 27;
	x *= UINT64_C(0x94d049bb133111eb);
	return x ^ (x >> 31);
}

int policy_ghost_init(struct policy_ghost *g, uint64_t cap)
{
	uint64_t nb = 1;

	memset(g, 0, sizeof(*g));
	if (cap > UINT32_MAX - 1)
		return -ENOMEM;
	while (nb < 2 * cap)
		nb <<= 1;
	g->node = calloc(cap + 1, sizeof(*g->node));
	g->bucket = calloc(nb, sizeof(*g->bucket));
	if (!g->node || !g->bucket) {
		policy_ghost_fini(g);
		return -ENOMEM;
	}
	g->cap = cap;
	g->mask = nb - 1;
	for (uint32_t i = 1; i <= cap; i++)
		g->node[i].newer = i < cap ? i + 1 : 0;
	g->free = cap ? 1 : 0;
	return 0;
}

void policy_ghost_fini(struct policy_ghost *g)
{
	free(g->node);
	free(g->bucket);
	g->node = NULL;
	g->bucket = NULL;
}

static uint32_t ghost_find(const struct policy_ghost *g, struct policy_key k, uint32_t **link)
{
	uint32_t *l = &g->bucket[key_hash(k) & g->mask];

	while (*l && !policy_key_eq(g->node[*l].key, k))
		l = &g->node[*l].chain;
	if (link)
		*link = l;
	return *l;
}

bool policy_ghost_contains(const struct policy_ghost *g, struct policy_key k)
{
	return g->cap && ghost_find(g, k, NULL) != 0;
}

static void ghost_unlink(struct policy_ghost *g, uint32_t i, uint32_t *link)
{
	struct policy_ghost_node *n = &g->node[i];

	*link = n->chain;
	if (n->older)
		g->node[n->older].newer = n->newer;
	else
		g->oldest = n->newer;
	if (n->newer)
		g->node[n->newer].older = n->older;
	else
		g->newest = n->older;
	n->newer = g->free;
	g->free = i;
	g->nr--;
}

bool policy_ghost_remove(struct policy_ghost *g, struct policy_key k)
{
	uint32_t *link;
	uint32_t i;

	if (!g->cap)
		return false;
	i = ghost_find(g, k, &link);
	if (!i)
		return false;
	ghost_unlink(g, i, link);
	return true;
}

void policy_ghost_drop_oldest(struct policy_ghost *g)
{
	uint32_t *link;

	if (!g->nr)
		return;
	ghost_find(g, g->node[g->oldest].key, &link);
	ghost_unlink(g, g->oldest, link);
}

void policy_ghost_push(struct policy_ghost *g, struct policy_key k)
{
	uint32_t *link;
	uint32_t i;

	if (!g->cap)
		return;
	if (ghost_find(g, k, &link))
		ghost_unlink(g, *link, link);
	if (g->nr == g->cap)
		policy_ghost_drop_oldest(g);
	i = g->free;
	g->free = g->node[i].newer;
	g->node[i] = (struct policy_ghost_node){ .key = k, .older = g->newest };
	if (g->newest)
		g->node[g->newest].newer = i;
	else
		g->oldest = i;
	g->newest = i;
	link = &g->bucket[key_hash(k) & g->mask];
	g->node[i].chain = *link;
	*link = i;
	g->nr++;
}

/* ---- Key index ------------------------------------------------------------------------- */

#define POLICY_HASH_MIN_BUCKETS 64

int policy_hash_init(struct policy_hash *h)
{
	h->nr = 0;
	h->mask = POLICY_HASH_MIN_BUCKETS - 1;
	h->bucket = calloc(POLICY_HASH_MIN_BUCKETS, sizeof(*h->bucket));
	return h->bucket ? 0 : -ENOMEM;
}

void policy_hash_fini(struct policy_hash *h)
{
	free(h->bucket);
	h->bucket = NULL;
}

/* Doubles the buckets when there are more nodes than buckets; on -ENOMEM keeps the old. */
static void hash_grow(struct policy_hash *h)
{
	uint64_t n = (h->mask + 1) * 2;
	struct policy_hnode **b;

	if (h->nr <= h->mask + 1 || n > (UINT64_C(1) << 40))
		return;
	b = calloc(n, sizeof(*b));
	if (!b)
		return;
	for (uint64_t i = 0; i <= h->mask; i++) {
		while (h->bucket[i]) {
			struct policy_hnode *x = h->bucket[i];
			uint64_t j = key_hash(x->key) & (n - 1);

			h->bucket[i] = x->chain;
			x->chain = b[j];
			b[j] = x;
		}
	}
	free(h->bucket);
	h->bucket = b;
	h->mask = n - 1;
}

void policy_hash_add(struct policy_hash *h, struct policy_hnode *n)
{
	uint64_t i = key_hash(n->key) & h->mask;

	n->chain = h->bucket[i];
	h->bucket[i] = n;
	h->nr++;
	hash_grow(h);
}

void policy_hash_del(struct policy_hash *h, struct policy_hnode *n)
{
	struct policy_hnode **pp = &h->bucket[key_hash(n->key) & h->mask];

	while (*pp != n)
		pp = &(*pp)->chain;
	*pp = n->chain;
	n->chain = NULL;
	h->nr--;
}

struct policy_hnode *policy_hash_find(const struct policy_hash *h, struct policy_key k)
{
	struct policy_hnode *x = h->bucket[key_hash(k) & h->mask];

	while (x && !policy_key_eq(x->key, k))
		x = x->chain;
	return x;
}
