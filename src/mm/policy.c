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
	&policy_fifo,	&policy_lru,   &policy_clock, &policy_nru,
	&policy_random, &policy_linux, &policy_opt,
};

#define NR_POLICIES (ARRAY_SIZE(policy_table))

const char *policy_name(unsigned int i)
{
	return i < NR_POLICIES ? policy_table[i]->name : NULL;
}

const struct policy_ops *policy_find(const char *name)
{
	for (size_t i = 0; i < NR_POLICIES; i++) {
		if (!strcmp(policy_table[i]->name, name))
			return policy_table[i];
	}
	return NULL;
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

int policy_create(struct mm_core *core, const struct policy_ops *ops, uint64_t seed,
		  struct policy **out)
{
	struct policy *p = calloc(1, sizeof(*p));
	int err;

	if (!p)
		return -ENOMEM;
	p->ops = ops;
	p->core = core;
	p->seed = seed ? seed : 1;
	err = ops->init ? ops->init(p) : 0;
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
