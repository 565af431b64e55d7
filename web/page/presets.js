// web/page/presets.js: the lessons of docs/scenario.md as scripts the explorer opens with.
// Each is an ordinary scenario script: `mmsim script` runs it the same way. A plain script,
// not a module: pages opened from file:// cannot load modules.
window.MMSIM_PRESETS = [
	{
		id: 'demand',
		title: 'Demand paging',
		text: `# Demand paging: mmap only reserves addresses. Each first touch of a page is a
# page fault that allocates a zeroed frame and fills in the PTE (and the tables above it).
config mem=64M tlb=skylake
spawn P
P map A 8              # 8 pages: no frame yet
P read A 0             # a read maps the shared zero page
P write A 0            # the write then copies it: a second fault
P write A 1-3          # one fault each
P read A 1             # no fault: mapped now (a TLB hit)
expect P minflt 5
expect P rss 16
show P maps
`,
	},
	{
		id: 'cow',
		title: 'COW after fork',
		text: `# fork() shares private pages copy-on-write: both processes map the same frames
# read-only; the first write in either one copies the page (or reuses it when it is
# the last user).
config mem=64M tlb=skylake
spawn P
P map A 4
P write A 0-3          # 4 faults, 4 frames
P fork Q               # Q maps the same 4 frames, all read-only now
Q write A 0            # COW: Q gets a copy of page 0
Q read A 1             # no fault: reading a shared page is fine
P write A 1            # COW in the parent this time
expect P minflt 5
expect Q minflt 1
Q exit
P write A 2            # Q is gone: P is the only user, the page is reused
expect P minflt 6
`,
	},
	{
		id: 'belady3',
		title: "Belady's anomaly: FIFO, 3 frames",
		text: `# Belady's reference string 1 2 3 4 1 2 5 1 2 3 4 5 under FIFO with 3 frames:
# 9 faults. Run the 4-frame preset next: 10 faults, more memory and more faults.
config mem=64M swap=16M reclaim=demand frames=3 policy=fifo tlb=off
spawn P
P map A 6
P write A 1
P write A 2
P write A 3
P write A 4
P write A 1
P write A 2
P write A 5
P write A 1
P write A 2
P write A 3
P write A 4
P write A 5
expect P minflt == 5
expect P majflt == 4
`,
	},
	{
		id: 'belady4',
		title: "Belady's anomaly: FIFO, 4 frames",
		text: `# The same string with 4 frames: 10 faults under FIFO (LRU and OPT never do this).
config mem=64M swap=16M reclaim=demand frames=4 policy=fifo tlb=off
spawn P
P map A 6
P write A 1
P write A 2
P write A 3
P write A 4
P write A 1
P write A 2
P write A 5
P write A 1
P write A 2
P write A 3
P write A 4
P write A 5
expect P minflt == 5
expect P majflt == 5
`,
	},
	{
		id: 'thrash',
		title: 'Thrashing',
		text: `# A loop over 12 pages with room for 8: under LRU every access misses
# (each page is evicted just before it is needed again).
config mem=64M swap=16M reclaim=demand frames=8 policy=lru tlb=off
spawn P
P map A 12
P write A 0-11
P write A 0-11
P write A 0-11
expect P minflt 12
expect P majflt 24
`,
	},
];
