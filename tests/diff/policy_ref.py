"""Reference page-replacement policies, written from the papers' pseudo-code for the
differential test (test_policy_diff.sh). They share no code with src/mm/policies/: each
class is a cache of `capacity` page ids with one method, access(key) -> True on a hit,
that counts evictions. The C policies must make the same choices on every reference string.

  SIEVE    Zhang et al., NSDI 2024, Algorithm 1.
  S3-FIFO  Yang et al., SOSP 2023, Algorithm 1, with the authors' libCacheSim details:
           evict from main when main is over its share or small is empty; a page moved
           to main starts its counter at 0; before the first eviction a full small
           queue sends new pages to main.
  ARC      Megiddo and Modha, FAST 2003, Figure 4 (p real, from 0).
  CAR      Bansal and Modha, FAST 2004, Figure 2 (mmsim's arc:abit=1): ARC's lists as
           clocks with reference bits.
  abit=1   (sieve, s3fifo, clockpro, CAR) the reference bit is the PTE's Accessed bit: with
           the TLB off every access sets it, the one that brings the page in included.
  2Q       Johnson and Shasha, VLDB 1994, section 2.1, full version; a missed id in A1out
           leaves it before reclaimfor (the paper does not say when).
  LIRS     Jiang and Zhang, SIGMETRICS 2002, section 3 (stack S, list Q, pruning);
           Lhirs = max(1, 1% of c); S bounded to 300% of c by dropping the non-resident
           entry nearest its bottom (mmsim's choice; docs/policies.md).
  CLOCK-Pro Jiang, Chen and Zhang, USENIX ATC 2005, section 4 (three hands, test periods,
           m_c adapted by +-1, at most m non-resident pages), with mmsim's documented
           choices: m_c from 5% of m within [1, m-1], a test period ending with the
           reference bit set leaves m_c alone, a hand on a page that moves steps on.
  LRU      the textbook one, as a sanity check of the harness.
"""
from collections import OrderedDict


class Cache:
    def __init__(self, capacity):
        self.c = capacity
        self.evictions = 0


class LRU(Cache):
    def __init__(self, capacity):
        super().__init__(capacity)
        self.od = OrderedDict()

    def access(self, x):
        if x in self.od:
            self.od.move_to_end(x)
            return True
        if len(self.od) >= self.c:
            self.od.popitem(last=False)
            self.evictions += 1
        self.od[x] = True
        return False


class SIEVE(Cache):
    """Queue as a doubly linked list: head = newest, tail = oldest; the hand moves from
    the tail towards the head (o.prev), wrapping to the tail."""

    def __init__(self, capacity, abit=0):
        super().__init__(capacity)
        # abit=1: the visited bit is the PTE's Accessed bit, which the access that brings a
        # page in sets (TLB off: every access sets it).
        self.new_visited = bool(abit)
        self.prev = {}   # towards the head (newer)
        self.next = {}   # towards the tail (older)
        self.visited = {}
        self.head = None
        self.tail = None
        self.hand = None

    def _unlink(self, o):
        p, n = self.prev[o], self.next[o]
        if p is None:
            self.head = n
        else:
            self.next[p] = n
        if n is None:
            self.tail = p
        else:
            self.prev[n] = p
        del self.prev[o], self.next[o], self.visited[o]

    def _evict(self):
        o = self.hand if self.hand is not None else self.tail
        while self.visited[o]:
            self.visited[o] = False
            o = self.prev[o] if self.prev[o] is not None else self.tail
        self.hand = self.prev[o]
        self._unlink(o)
        self.evictions += 1

    def access(self, x):
        if x in self.visited:
            self.visited[x] = True
            return True
        if len(self.visited) >= self.c:
            self._evict()
        self.prev[x] = None
        self.next[x] = self.head
        if self.head is not None:
            self.prev[self.head] = x
        self.head = x
        if self.tail is None:
            self.tail = x
        self.visited[x] = self.new_visited
        return False


class S3FIFO(Cache):
    def __init__(self, capacity, move=2, small_pct=10, ghost_pct=90, abit=0):
        super().__init__(capacity)
        # abit=1: hits only set an A bit; the eviction scan adds one to the counter of each
        # page it examines whose A bit is set, and clears the bit.
        self.abit = bool(abit)
        self.a = {}
        self.small_cap = capacity * small_pct // 100
        self.main_cap = capacity - self.small_cap
        self.ghost_cap = capacity * ghost_pct // 100
        self.move = move
        self.S = OrderedDict()   # oldest first
        self.M = OrderedDict()
        self.G = OrderedDict()
        self.freq = {}
        self.has_evicted = False

    def _examine(self, t):
        if self.abit and self.a[t]:
            self.a[t] = False
            self.freq[t] = min(self.freq[t] + 1, 3)

    def _evict_small(self):
        while self.S:
            t, _ = self.S.popitem(last=False)
            self._examine(t)
            if self.freq[t] >= self.move:
                self.M[t] = True
                self.freq[t] = 0
            else:
                del self.freq[t]
                if self.ghost_cap:
                    if len(self.G) >= self.ghost_cap:
                        self.G.popitem(last=False)
                    self.G[t] = True
                self.evictions += 1
                return
        self._evict_main()

    def _evict_main(self):
        while self.M:
            t, _ = self.M.popitem(last=False)
            self._examine(t)
            if self.freq[t] > 0:
                self.M[t] = True
                self.freq[t] = min(self.freq[t], 3) - 1
            else:
                del self.freq[t]
                self.evictions += 1
                return

    def access(self, x):
        if x in self.S or x in self.M:
            if self.abit:
                self.a[x] = True
            else:
                self.freq[x] = min(self.freq[x] + 1, 3)
            return True
        ghost_hit = x in self.G   # looked up (and taken out) before evicting
        if ghost_hit:
            del self.G[x]
        if len(self.S) + len(self.M) >= self.c:
            self.has_evicted = True
            if len(self.M) > self.main_cap or not self.S:
                self._evict_main()
            else:
                self._evict_small()
        if ghost_hit:
            self.M[x] = True
        elif not self.has_evicted and len(self.S) >= self.small_cap:
            self.M[x] = True
        else:
            self.S[x] = True
        self.freq[x] = 0
        self.a[x] = True
        return False


class ARC(Cache):
    def __init__(self, capacity):
        super().__init__(capacity)
        self.p = 0.0
        self.T1, self.T2 = OrderedDict(), OrderedDict()   # LRU first
        self.B1, self.B2 = OrderedDict(), OrderedDict()

    def _replace(self, x):
        t1 = len(self.T1)
        if t1 >= 1 and ((x in self.B2 and t1 == self.p) or t1 > self.p):
            y, _ = self.T1.popitem(last=False)
            self.B1[y] = True
        else:
            y, _ = self.T2.popitem(last=False)
            self.B2[y] = True
        self.evictions += 1

    def access(self, x):
        c = self.c
        if x in self.T1:
            del self.T1[x]
            self.T2[x] = True
            return True
        if x in self.T2:
            self.T2.move_to_end(x)
            return True
        if x in self.B1:
            d = 1.0 if len(self.B1) >= len(self.B2) else len(self.B2) / len(self.B1)
            self.p = min(float(c), self.p + d)
            self._replace(x)
            del self.B1[x]
            self.T2[x] = True
            return False
        if x in self.B2:
            d = 1.0 if len(self.B2) >= len(self.B1) else len(self.B1) / len(self.B2)
            self.p = max(0.0, self.p - d)
            self._replace(x)
            del self.B2[x]
            self.T2[x] = True
            return False
        l1 = len(self.T1) + len(self.B1)
        total = l1 + len(self.T2) + len(self.B2)
        if l1 == c:
            if len(self.T1) < c:
                self.B1.popitem(last=False)
                self._replace(x)
            else:
                self.T1.popitem(last=False)
                self.evictions += 1
        elif total >= c:
            if total == 2 * c:
                self.B2.popitem(last=False)
            self._replace(x)
        self.T1[x] = True
        return False


class CAR(Cache):
    """Lists oldest first; the clock hand of T1 and of T2 is at the oldest end."""

    def __init__(self, capacity):
        super().__init__(capacity)
        self.p = 0.0
        self.T1, self.T2 = OrderedDict(), OrderedDict()   # value: reference (A) bit
        self.B1, self.B2 = OrderedDict(), OrderedDict()

    def _replace(self):
        while True:
            if len(self.T1) >= max(1.0, self.p):
                y, ref = self.T1.popitem(last=False)
                if not ref:
                    self.B1[y] = True
                    break
                self.T2[y] = False
            else:
                y, ref = self.T2.popitem(last=False)
                if not ref:
                    self.B2[y] = True
                    break
                self.T2[y] = False
        self.evictions += 1

    def access(self, x):
        c = self.c
        for t in (self.T1, self.T2):
            if x in t:
                t[x] = True
                return True
        if len(self.T1) + len(self.T2) == c:
            self._replace()
            if x not in self.B1 and x not in self.B2:
                if len(self.T1) + len(self.B1) == c:
                    self.B1.popitem(last=False)
                elif len(self.T1) + len(self.T2) + len(self.B1) + len(self.B2) == 2 * c:
                    self.B2.popitem(last=False)
        # The faulting access sets the A bit (CAR itself inserts with the bit clear).
        if x in self.B1:
            self.p = min(self.p + max(1.0, len(self.B2) / len(self.B1)), float(c))
            del self.B1[x]
            self.T2[x] = True
        elif x in self.B2:
            self.p = max(self.p - max(1.0, len(self.B1) / len(self.B2)), 0.0)
            del self.B2[x]
            self.T2[x] = True
        else:
            self.T1[x] = True
        return False


class TwoQ(Cache):
    def __init__(self, capacity, kin_pct=25, kout_pct=50):
        super().__init__(capacity)
        self.kin = capacity * kin_pct // 100
        self.kout = capacity * kout_pct // 100
        self.A1in = OrderedDict()   # oldest first
        self.A1out = OrderedDict()
        self.Am = OrderedDict()     # least recent first

    def _reclaimfor(self):
        if len(self.A1in) + len(self.Am) < self.c:
            return
        if len(self.A1in) > self.kin or not self.Am:
            y, _ = self.A1in.popitem(last=False)
            if self.kout:
                self.A1out[y] = True
                if len(self.A1out) > self.kout:
                    self.A1out.popitem(last=False)
        else:
            self.Am.popitem(last=False)
        self.evictions += 1

    def access(self, x):
        if x in self.Am:
            self.Am.move_to_end(x)
            return True
        if x in self.A1in:
            return True
        if x in self.A1out:
            del self.A1out[x]
            self._reclaimfor()
            self.Am[x] = True
            return False
        self._reclaimfor()
        self.A1in[x] = True
        return False


class LIRS(Cache):
    """S is an OrderedDict from the bottom (first) to the top (last); Q from its front
    (first, the next victim) to its end. state[x] is 'LIR', 'HIR' (resident) or 'NR'
    (non-resident HIR, then in S only)."""

    def __init__(self, capacity, hir_pct=1, stack_pct=300):
        super().__init__(capacity)
        lhirs = max(1, capacity * hir_pct // 100)
        self.llirs = max(0, capacity - lhirs)
        self.smax = capacity * stack_pct // 100
        self.S = OrderedDict()
        self.Q = OrderedDict()
        self.state = {}
        self.nlir = 0
        self.nres = 0

    def _bottom(self):
        return next(iter(self.S))

    def _prune(self):
        while self.S and self.state[self._bottom()] != "LIR":
            y = self._bottom()
            del self.S[y]
            if self.state[y] == "NR":
                del self.state[y]

    def _to_top(self, x):
        self.S.pop(x, None)
        self.S[x] = True

    def _lir(self, x):
        self.Q.pop(x, None)
        self.state[x] = "LIR"
        self.nlir += 1
        self._to_top(x)
        while self.nlir > self.llirs:
            self._prune()
            y = self._bottom()
            del self.S[y]
            self.state[y] = "HIR"
            self.nlir -= 1
            self.Q[y] = True
            self._prune()

    def _bound(self):
        while len(self.S) > self.smax:
            victim = None
            for y in self.S:          # from the bottom up
                if self.state[y] == "NR":
                    victim = y
                    break
            if victim is None:
                return
            del self.S[victim]
            del self.state[victim]

    def access(self, x):
        st = self.state.get(x)
        if st == "LIR":
            self._to_top(x)
            self._prune()
            self._bound()
            return True
        if st == "HIR":
            if x in self.S:
                self._lir(x)
            else:
                self._to_top(x)
                self.Q.pop(x)
                self.Q[x] = True
            self._prune()
            self._bound()
            return True
        if self.nres >= self.c:
            y, _ = self.Q.popitem(last=False)   # never empty here: nlir <= llirs < c
            self.evictions += 1
            self.nres -= 1
            if y in self.S:
                self.state[y] = "NR"
            else:
                del self.state[y]
        self.nres += 1
        if st == "NR" and x in self.state:
            self._lir(x)
        elif self.nlir < self.llirs:
            self.state[x] = "LIR"
            self.nlir += 1
            self._to_top(x)
        else:
            self.state[x] = "HIR"
            self._to_top(x)
            self.Q[x] = True
        self._prune()
        self._bound()
        return False


class ClockPro(Cache):
    """The clock as two dicts (nxt, prv) over page ids, no sentinel; hands name ids.
    kind[x] is 'hot', 'cold' (resident) or 'nr' (non-resident, always in test)."""

    def __init__(self, capacity, cold_pct=5, abit=0):
        super().__init__(capacity)
        # abit=1: the reference bit is the PTE's A bit: the access that brings a page in
        # sets it once the page is mapped (after any hand moved for its arrival).
        self.abit = bool(abit)
        self.m = capacity
        self.lo, self.hi = 1, max(1, capacity - 1)
        self.mc = min(max(capacity * cold_pct // 100, self.lo), self.hi)
        self.nxt, self.prv = {}, {}
        self.kind, self.test, self.ref = {}, {}, {}
        self.hot_hand = self.cold_hand = self.test_hand = None
        self.n_hot = self.n_cold = self.n_nr = 0

    def _unlink(self, x):
        succ = self.nxt[x] if self.nxt[x] != x else None
        for h in ("hot_hand", "cold_hand", "test_hand"):
            if getattr(self, h) == x:
                setattr(self, h, succ)
        if succ is not None:
            a, b = self.prv[x], self.nxt[x]
            self.nxt[a], self.prv[b] = b, a
        del self.nxt[x], self.prv[x]

    def _link_head(self, x):
        if self.hot_hand is None:
            self.nxt[x] = self.prv[x] = x
            self.hot_hand = self.cold_hand = self.test_hand = x
            return
        b = self.hot_hand
        a = self.prv[b]
        self.nxt[a], self.prv[x], self.nxt[x], self.prv[b] = x, a, b, x

    def _to_head(self, x):
        if self.nxt[x] == x:
            return
        self._unlink(x)
        self._link_head(x)

    def _forget(self, x):
        self._unlink(x)
        del self.kind[x], self.test[x], self.ref[x]

    def _end_test(self, x):
        """Returns True when x left the clock."""
        self.test[x] = False
        if not self.ref[x]:
            self.mc = max(self.lo, self.mc - 1)
        if self.kind[x] == "nr":
            self._forget(x)
            self.n_nr -= 1
            return True
        return False

    def _hot_hand(self):
        while True:
            x = self.hot_hand
            succ = self.nxt[x]
            done = False
            if self.kind[x] == "hot":
                if self.ref[x]:
                    self.ref[x] = False
                else:
                    self.kind[x] = "cold"
                    self.n_hot -= 1
                    self.n_cold += 1
                    done = True
            elif self.test[x] and self._end_test(x):
                continue
            if self.test_hand == x:
                self.test_hand = succ
            self.hot_hand = succ
            if done:
                return

    def _balance(self):
        while self.n_hot and self.n_hot + self.mc > self.m:
            self._hot_hand()

    def _test_hand(self):
        while self.n_nr > self.m:
            x = self.test_hand
            if self.kind[x] != "hot" and self.test[x] and self._end_test(x):
                continue
            self.test_hand = self.nxt[x]

    def _evict(self):
        while True:
            if not self.n_cold:
                self._hot_hand()
                continue
            x = self.cold_hand
            if self.kind[x] != "cold":
                self.cold_hand = self.nxt[x]
                continue
            if not self.ref[x]:
                break
            self.ref[x] = False
            if self.test[x]:
                self.test[x] = False
                self.kind[x] = "hot"
                self.n_cold -= 1
                self.n_hot += 1
                self.mc = min(self.hi, self.mc + 1)
                self._to_head(x)
                self._balance()
            else:
                self.test[x] = True
                self._to_head(x)
        self.evictions += 1
        self.n_cold -= 1
        if self.test[x]:
            self.kind[x] = "nr"
            self.n_nr += 1
            self.cold_hand = self.nxt[x]
            self._test_hand()
        else:
            self._forget(x)

    def access(self, x):
        k = self.kind.get(x)
        if k in ("hot", "cold"):
            self.ref[x] = True
            return True
        if self.n_hot + self.n_cold >= self.c:
            self._evict()
        if self.kind.get(x) == "nr":
            self.kind[x], self.test[x], self.ref[x] = "hot", False, False
            self.n_nr -= 1
            self.n_hot += 1
            self.mc = min(self.hi, self.mc + 1)
            self._to_head(x)
            self._balance()
        else:
            self.kind[x], self.test[x], self.ref[x] = "cold", True, False
            self.n_cold += 1
            self._link_head(x)
        if self.abit:
            self.ref[x] = True
        return False


def make(spec, capacity):
    """A reference cache for an mmsim policy spec (NAME or NAME:KEY=VALUE:...)."""
    name, *kv = spec.split(":")
    args = {k: int(v) for k, v in (a.split("=") for a in kv)}
    if name == "lru":
        return LRU(capacity)
    if name == "sieve":
        return SIEVE(capacity, args.get("abit", 0))
    if name == "s3fifo":
        return S3FIFO(capacity, args.get("move", 2), args.get("small", 10),
                      args.get("ghost", 90), args.get("abit", 0))
    if name == "arc":
        return CAR(capacity) if args.get("abit", 0) else ARC(capacity)
    if name == "2q":
        return TwoQ(capacity, args.get("kin", 25), args.get("kout", 50))
    if name == "lirs":
        return LIRS(capacity, args.get("hir", 1), args.get("stack", 300))
    if name == "clockpro":
        return ClockPro(capacity, args.get("cold", 5), args.get("abit", 0))
    raise ValueError("no reference for policy " + name)
