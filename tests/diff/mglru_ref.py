"""A reference model of Linux's multi-generational LRU, for tests/diff/policy_diff.py.

Written from the rules (Linux 6.6 mm/vmscan.c lru_gen_*, mm/workingset.c, and the
simplifications docs/policies.md lists for mmsim's `mglru`), sharing no code with
src/mm/policies/mglru.c. It models what the policy sees for one kind of run only:
`mmsim run --frames N --reclaim demand --tlb off` on a trace, so every access walks the page
tables and sets the Accessed bit of the PTE and of the PMD entry (PDE) above it; reclaim is
direct (one victim per fault, look-around activates); VMAs are the replay's 2 MiB regions
(docs/run.md), so a PTE table's block lies inside one VMA, starting no lower than 64 KiB.

Generations are kept by absolute sequence number: lists[seq] is a Python list, head first.
A page's `gen` is the sequence its flag names; the walk changes it without moving the page.
"""

MIN_NR_GENS = 2
MAX_NR_GENS = 4
MAX_NR_TIERS = 4
REFS_MAX = 3          # LRU_REFS_MASK: two bits
MIN_LRU_BATCH = 64
PTES = 512            # pages under one PDE
FIRST_PAGE = 0x10000 >> 12  # mmap_min_addr


def tier_of(refs):
    """order_base_2(refs + 1)."""
    t = 0
    while (1 << t) < refs + 1:
        t += 1
    return t


class Page:
    def __init__(self, gen):
        self.gen = gen
        self.refs = 0
        self.workingset = False
        self.referenced = False
        self.young = True  # the PTE's A bit: the access that faulted it in sets it


class MGLRU:
    def __init__(self, frames, enabled=7):
        self.frames = frames
        self.walks = bool(enabled & 2)
        self.nonleaf = bool(enabled & 4)
        self.min_seq, self.max_seq = 0, MIN_NR_GENS + 1
        self.lists = {s: [] for s in range(self.min_seq, self.max_seq + 1)}
        self.pages = {}       # (pid, page) -> Page, resident pages
        self.written = set()  # keys written at least once (else a read maps the zero page)
        self.pde_young = {}   # (pid, block) -> A bit of the PDE (a table exists once used)
        self.shadows = {}     # key -> (min_seq at eviction, refs - 1, workingset)
        self.refaulted = [0] * MAX_NR_TIERS
        self.evicted = [0] * MAX_NR_TIERS
        self.protected = [0] * (MAX_NR_TIERS - 1)
        self.avg_refaulted = [0] * MAX_NR_TIERS
        self.avg_total = [0] * MAX_NR_TIERS
        self.refaults = 0
        self.evictions = 0

    # -- the trace ---------------------------------------------------------------------
    def access(self, pid, page, write):
        key = (pid, page)
        self.pde_young[(pid, page // PTES)] = True
        p = self.pages.get(key)
        if p is not None:
            p.young = True
            return
        if not write and key not in self.written:
            return  # the zero page: a PTE with A set, but no page of ours
        major = key in self.written
        self.written.add(key)
        if len(self.pages) >= self.frames:
            self.evict_one()
        p = Page(self.max_seq)
        shadow = self.shadows.pop(key, None)
        if shadow is not None and shadow[0] == self.min_seq:
            self.refaulted[tier_of(shadow[1] + shadow[2])] += 1
            p.refs, p.workingset = REFS_MAX, True
        self.pages[key] = p
        self.lists[self.max_seq].insert(0, key)
        if major:
            self.refaults += 1

    # -- counts ------------------------------------------------------------------------
    def nr_at(self, seq):
        return sum(1 for p in self.pages.values() if p.gen == seq)

    def nr_gens(self):
        return self.max_seq - self.min_seq + 1

    # -- the PID controller ------------------------------------------------------------
    def pos(self, tier, gain):
        refaulted = self.avg_refaulted[tier] + self.refaulted[tier]
        total = self.avg_total[tier] + self.evicted[tier]
        if tier:
            total += self.protected[tier - 1]
        return refaulted, total, gain

    def tier_idx(self):
        sp = self.pos(0, 1)
        tier = 1
        while tier < MAX_NR_TIERS:
            pv = self.pos(tier, 2)
            ok = pv[0] < MIN_LRU_BATCH or \
                pv[0] * (sp[1] + MIN_LRU_BATCH) * sp[2] <= (sp[0] + 1) * pv[1] * pv[2]
            if not ok:
                break
            tier += 1
        return tier - 1

    def new_min_seq(self):
        for t in range(MAX_NR_TIERS):
            total = self.avg_total[t] + self.evicted[t] + (self.protected[t - 1] if t else 0)
            self.avg_refaulted[t] = (self.avg_refaulted[t] + self.refaulted[t]) // 2
            self.avg_total[t] = total // 2
            self.refaulted[t] = self.evicted[t] = 0
            if t:
                self.protected[t - 1] = 0
        del self.lists[self.min_seq]
        self.min_seq += 1
        for k in [k for k, s in self.shadows.items() if s[0] < self.min_seq]:
            del self.shadows[k]

    # -- aging -------------------------------------------------------------------------
    def must_age(self, first):
        if self.min_seq + MIN_NR_GENS > self.max_seq:
            return True
        if not first or self.min_seq + MIN_NR_GENS < self.max_seq:
            return False
        total = sum(self.nr_at(s) for s in range(self.min_seq, self.max_seq + 1))
        return self.nr_at(self.max_seq) * 2 > total or self.nr_at(self.min_seq) * 4 < total

    def age(self):
        if self.walks:
            rss = {}
            for (pid, _page) in self.pages:
                rss[pid] = rss.get(pid, 0) + 1
            for (pid, block) in list(self.pde_young):
                if rss.get(pid, 0) < MIN_LRU_BATCH:
                    continue
                if self.nonleaf:
                    if not self.pde_young[(pid, block)]:
                        continue
                    self.pde_young[(pid, block)] = False
                for page in range(block * PTES, (block + 1) * PTES):
                    p = self.pages.get((pid, page))
                    if p is not None and p.young:
                        p.young = False
                        p.gen = self.max_seq
                        p.refs, p.workingset, p.referenced = 0, False, False
        if self.nr_gens() == MAX_NR_GENS:
            old = self.lists[self.min_seq]
            for key in reversed(old):
                p = self.pages[key]
                if p.gen == self.min_seq:
                    p.gen = self.min_seq + 1
                    p.refs, p.workingset, p.referenced = 0, False, False
                self.lists[p.gen].append(key)
            old.clear()
            self.new_min_seq()
        self.max_seq += 1
        self.lists[self.max_seq] = []

    # -- eviction ----------------------------------------------------------------------
    def activate(self, key):
        for s in range(self.min_seq, self.max_seq + 1):
            if key in self.lists[s]:
                self.lists[s].remove(key)
                break
        self.lists[self.max_seq].insert(0, key)
        self.pages[key].gen = self.max_seq

    def look_around(self, victim):
        pid, page = victim
        block = page // PTES
        start, end = max(block * PTES, FIRST_PAGE), (block + 1) * PTES
        if end - start > MIN_LRU_BATCH:
            half = MIN_LRU_BATCH // 2
            if page - start < half:
                end = start + MIN_LRU_BATCH
            elif end - page < half:
                start = end - MIN_LRU_BATCH
            else:
                start, end = page - half, page + half
        young = 0
        for q in range(start, end):
            key = (pid, q)
            p = self.pages.get(key)
            if p is None or not p.young:
                continue
            p.young = False
            young += 1
            if key == victim:
                p.referenced = True
            elif p.gen != self.max_seq:
                self.activate(key)
        return young

    def evict_one(self):
        tier_idx = self.tier_idx()
        n = 0
        while True:
            first = n == 0
            n += 1
            if self.must_age(first) and (first or self.nr_gens() <= MIN_NR_GENS):
                self.age()
                continue
            oldest = self.lists[self.min_seq]
            if not oldest:
                moved = False
                while self.min_seq + MIN_NR_GENS <= self.max_seq and \
                        not self.lists[self.min_seq]:
                    self.new_min_seq()
                    moved = True
                if not moved:
                    self.age()
                continue
            key = oldest[-1]
            p = self.pages[key]
            if p.gen != self.min_seq:        # sort_folio(): promoted meanwhile
                oldest.pop()
                self.lists[p.gen].insert(0, key)
                continue
            refs = p.refs + p.workingset
            tier = tier_of(refs)
            if tier > tier_idx or refs == 4:  # protected
                oldest.pop()
                p.gen = self.min_seq + 1
                p.refs, p.workingset, p.referenced = 0, False, False
                self.lists[p.gen].append(key)
                self.protected[tier - 1] += 1
                continue
            if not p.referenced:             # isolate_folio()
                p.refs, p.workingset = 0, False
            p.referenced = False
            if p.young and self.look_around(key):
                p.refs, p.workingset, p.referenced = 0, False, False
                self.activate(key)
                continue
            oldest.pop()
            refs = p.refs + p.workingset
            self.evicted[tier_of(refs)] += 1
            self.shadows.pop(key, None)
            self.shadows[key] = (self.min_seq, max(refs - 1, 0), int(p.workingset))
            del self.pages[key]
            self.evictions += 1
            return
