# Shrinking a region with mremap() always succeeds: it only unmaps the tail (Linux 6.x,
# mm/mremap.c, the mremap system call: "Always allow a shrinking remap"), even when part of
# that tail is unmapped already; only a VMA at the old address is needed.
spawn P
P map A 64
P write A 0-63
P unmap A 32-63
expect P rss 128
P remap A 16                    # the old length (64 pages) spans the hole: still fine
expect P rss 64
P write A 0-15                  # the pages kept are still there
expect P minflt 64
