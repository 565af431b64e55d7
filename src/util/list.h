/*
 * util/list.h: intrusive circular doubly linked lists, shaped like Linux's
 * include/linux/list.h.
 *
 * A struct list_head is embedded in the object it links (a struct page on a buddy free list,
 * a slab on its cache's partial list). An empty list is a head that points at itself; a node
 * that is on no list is left poisoned by list_del() (both links NULL), so using it again
 * without list_init() or list_add() faults at once. The list never owns its nodes.
 */
#ifndef MMSIM_UTIL_LIST_H
#define MMSIM_UTIL_LIST_H

#include <stdbool.h>
#include <stddef.h>

struct list_head {
	struct list_head *next; /* following node, or the head after the last node */
	struct list_head *prev; /* preceding node, or the head before the first node */
};

/* The object that contains the list node ptr, which is its member `member`. */
#define list_entry(ptr, type, member) ((type *)(void *)((char *)(ptr)-offsetof(type, member)))

/* Iterates pos over the nodes of head; the loop body must not remove pos. */
#define list_for_each(pos, head) for ((pos) = (head)->next; (pos) != (head); (pos) = (pos)->next)

/* Iterates like list_for_each but lets the body remove pos (tmp holds the next node). */
#define list_for_each_safe(pos, tmp, head)                               \
	for ((pos) = (head)->next, (tmp) = (pos)->next; (pos) != (head); \
	     (pos) = (tmp), (tmp) = (pos)->next)

static inline void list_init(struct list_head *head)
{
	head->next = head;
	head->prev = head;
}

static inline bool list_empty(const struct list_head *head)
{
	return head->next == head;
}

static inline void list_insert_between(struct list_head *node, struct list_head *prev,
				       struct list_head *next)
{
	next->prev = node;
	node->next = next;
	node->prev = prev;
	prev->next = node;
}

/* Inserts node right after head (at the front: LIFO order). */
static inline void list_add(struct list_head *node, struct list_head *head)
{
	list_insert_between(node, head, head->next);
}

/* Inserts node right before head (at the back: FIFO order). */
static inline void list_add_tail(struct list_head *node, struct list_head *head)
{
	list_insert_between(node, head->prev, head);
}

/* Unlinks node from whatever list it is on and poisons its links. */
static inline void list_del(struct list_head *node)
{
	node->next->prev = node->prev;
	node->prev->next = node->next;
	node->next = NULL;
	node->prev = NULL;
}

/* Moves node from its list to the front of head. */
static inline void list_move(struct list_head *node, struct list_head *head)
{
	list_del(node);
	list_add(node, head);
}

/* Moves node from its list to the back of head. */
static inline void list_move_tail(struct list_head *node, struct list_head *head)
{
	list_del(node);
	list_add_tail(node, head);
}

/* Whether node is linked (not poisoned by list_del). */
static inline bool list_linked(const struct list_head *node)
{
	return node->next != NULL;
}

#endif
