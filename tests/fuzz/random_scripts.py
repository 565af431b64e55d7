#!/usr/bin/env python3
"""Random scenario scripts against `mmsim script --paranoid`: every run must end in exit
0, 1 or 2, never a crash, an abort or a broken invariant. Not part of make test (make fuzz).
At least 80% of the scripts must run to the end (exit 0): a generator whose scripts all
stop at their first line would otherwise test nothing and still pass.

    random_scripts.py MMSIM_BINARY SEED COUNT
Failing scripts are kept as random_script_fail_N.mms in the current directory."""
import random, subprocess, sys
cmds_views_sys = ['vmstat','meminfo','buddyinfo','slabinfo','zoneinfo','layout','extfrag']
def gen(rng):
    lines = []
    if rng.random() < 0.7:
        opts = []
        for k, vals in [('mem',['16M','64M']),('swap',['0','1M','8M']),('frames',['0','3','16','64']),
                        ('policy',['fifo','lru','clock','nru','random','linux']),('reclaim',['linux','demand']),
                        ('tlb',['off','skylake','zen2']),('pcid',['on','off']),('data',['on','off']),('layout',['modern','classic','la57'])]:
            if rng.random() < 0.4: opts.append('%s=%s' % (k, rng.choice(vals)))
        if opts: lines.append('config ' + ' '.join(opts))
    procs = []; regions = {}; heap = {}
    for _ in range(rng.randint(1, 40)):
        r = rng.random()
        if not procs or r < 0.05:
            n = 'P%d' % len(regions); lines.append('spawn ' + n); procs.append(n); regions[n] = {}; heap[n] = 0
            continue
        p = rng.choice(procs); regs = regions[p]
        op = rng.choice(['map','write','read','exec','access','fork','protect','unmap','advise','remap','brk','show','expect','showsys','exit'])
        if op == 'map':
            name = 'R%d' % rng.randint(0, 3)
            if name in regs: continue
            size = rng.randint(1, 64); regs[name] = size
            extra = ' '.join(rng.sample(['r','rw','rx','rwx','none','shared','private','populate'], rng.randint(0,2)))
            # avoid two rights/kinds
            toks = extra.split()
            rights = [t for t in toks if t in ('r','rw','rx','rwx','none')][:1]
            kinds = [t for t in toks if t in ('shared','private')][:1]
            pop = ['populate'] if 'populate' in toks else []
            lines.append('%s map %s %d %s' % (p, name, size, ' '.join(rights+kinds+pop)))
        elif op in ('write','read','exec','protect','unmap','advise') and regs:
            name = rng.choice(list(regs)); sz = regs[name]
            a = rng.randint(0, sz-1); b = rng.randint(a, sz-1)
            rng_s = '%d' % a if a == b else '%d-%d' % (a, b)
            if op == 'protect': lines.append('%s protect %s %s %s' % (p, name, rng_s, rng.choice(['r','rw','none','rx'])))
            elif op == 'advise': lines.append('%s advise %s %s dontneed' % (p, name, rng_s))
            else: lines.append('%s %s %s %s' % (p, op, name, rng_s))
            # A hole in the region makes a later protect, remap or unmap of it fail (ENOMEM,
            # EFAULT), as on Linux: forget the region so the script runs to its end.
            if op == 'unmap': del regs[name]
        elif op == 'access':
            lines.append('%s access 0x%x %s%s' % (p, rng.choice([0x1000, 0x7ffff7fff000 - 4096*rng.randint(1,100), 0xffff888000100000, 0x555555559000, 0x7ffffffde000]), rng.choice('rwx'), rng.choice(['',' kernel'])))
        elif op == 'fork':
            n = 'P%d' % len(regions); lines.append('%s fork %s' % (p, n)); procs.append(n); regions[n] = dict(regs); heap[n] = heap[p]
        elif op == 'remap' and regs:
            name = rng.choice(list(regs)); ns = rng.randint(1, 80); lines.append('%s remap %s %d' % (p, name, ns)); regs[name] = ns
        elif op == 'brk':
            d = rng.randint(-min(3, heap[p]), 8); heap[p] += d
            lines.append('%s brk %+d' % (p, d))
        elif op == 'show':
            lines.append('show %s %s' % (p, rng.choice(['maps','status','smaps'])))
        elif op == 'showsys':
            lines.append('show sys %s' % rng.choice(cmds_views_sys))
        elif op == 'expect':
            lines.append('expect %s %s >= 0' % (p, rng.choice(['minflt','majflt','rss','swap','vmpte'])))
        elif op == 'exit' and len(procs) > 1:
            lines.append('%s exit' % p); procs.remove(p)
    return '\n'.join(lines) + '\n'
mmsim = sys.argv[1]; seed = int(sys.argv[2]); n = int(sys.argv[3])
rng = random.Random(seed)
bad = 0
ended = 0
ran = 0
for i in range(n):
    ran += 1
    text = gen(rng)
    open('random_script.mms','w').write(text)
    r = subprocess.run([mmsim,'script','--paranoid','random_script.mms'], capture_output=True, timeout=60)
    if r.returncode == 0:
        ended += 1
    elif r.returncode == 2 and len(sys.argv) > 4:
        print('case', i, 'stopped early:', r.stderr.decode(errors='replace').strip()[-200:])
    if r.returncode not in (0, 1, 2) or b'BUG' in r.stderr or b'invariant' in r.stderr:
        bad += 1
        open('random_script_fail_%d.mms' % i, 'w').write(text)
        print('case', i, 'rc', r.returncode, r.stderr[-300:])
        if bad > 3: break
print('random scripts: %d run, %d ran to the end (%.0f%%), %d failed'
      % (ran, ended, 100.0 * ended / max(ran, 1), bad))
if ended < 0.8 * ran:
    print('random scripts: fewer than 80% ran to the end; the generator tests too little')
    sys.exit(1)
sys.exit(1 if bad else 0)
