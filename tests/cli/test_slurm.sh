#!/usr/bin/env bash
# Integration: scripts/slurm/sweep.sbatch on a one-node Slurm cluster started here (Debian
# packages slurm-wlm and munge): munged first, then slurmctld and slurmd in the foreground
# (-D) with a generated slurm.conf (proctrack/linuxproc, task/none, MpiDefault=none, every
# path in a scratch directory, the config given by absolute path), so that no systemd or
# cgroup setup is needed. The job array of shards and the dependent merge job are
# submitted with sbatch; the merged CSV must equal the single-machine sweep's (cmp). The
# daemons are stopped whatever happens. Without root, the programs, or daemons that come
# up, the test is skipped (exit 77) with the reason: never a pass.
#
#   test_slurm.sh MMSIM_BINARY WORKDIR
set -u
mmsim=$1
work=$2
src=$(cd "$(dirname "$0")/../.." && pwd)
sbatch_script=$src/scripts/slurm/sweep.sbatch
mkdir -p "$work" && cd "$work" || exit 1
work=$(pwd)
fail() { echo "test_slurm: $*" >&2; exit 1; }
skip() { echo "test_slurm: skipped: $*"; exit 77; }

[ "$(id -u)" = 0 ] || skip "not root (slurmd and munged run as root here)"
for p in munged mungekey slurmctld slurmd sbatch squeue sinfo scontrol python3; do
	command -v "$p" >/dev/null 2>&1 ||
		skip "$p is not installed (Debian: apt-get install slurm-wlm munge)"
done

# A short path: the munge socket's name must fit in sun_path (108 bytes).
d=$(mktemp -d /tmp/mmsim-slurm-XXXXXX) || fail "mktemp"
chmod 755 "$d"
pids=()
stop() {
	local p
	[ -n "${SLURM_CONF:-}" ] && scancel --quiet -u root >/dev/null 2>&1
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	for _ in $(seq 30); do
		local alive=0
		for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
		[ $alive = 0 ] && break
		sleep 0.1
	done
	for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$d"
}
trap stop EXIT
trap 'exit 1' INT TERM
logs() { tail -n 15 "$d"/*.log "$d"/*.out 2>/dev/null; }

# 1. munged, with its own key and socket.
mungekey -c -k "$d/munge.key" 2>"$d/mungekey.out" || skip "mungekey failed: $(cat "$d/mungekey.out")"
munged -F -f --socket="$d/munge.sock" --key-file="$d/munge.key" --log-file="$d/munged.log" \
	--pid-file="$d/munged.pid" --seed-file="$d/munged.seed" >"$d/munged.out" 2>&1 &
pids+=($!)
for _ in $(seq 50); do [ -S "$d/munge.sock" ] && break; sleep 0.1; done
[ -S "$d/munge.sock" ] || skip "munged did not start: $(tail -n 5 "$d/munged.out")"

# 2. slurmctld and slurmd on two free ports, one node named mmsimnode on this host.
read -r ctld_port d_port < <(python3 -c 'import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*(x.getsockname()[1] for x in s))')
host=$(hostname -s)
mkdir -p "$d/state" "$d/spool"
cat >"$d/slurm.conf" <<CONF
ClusterName=mmsim$$
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$d_port
SlurmUser=root
AuthType=auth/munge
AuthInfo=socket=$d/munge.sock
CredType=cred/munge
StateSaveLocation=$d/state
SlurmdSpoolDir=$d/spool
SlurmctldPidFile=$d/slurmctld.pid
SlurmdPidFile=$d/slurmd.pid
SlurmctldLogFile=$d/slurmctld.log
SlurmdLogFile=$d/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
NodeName=mmsimnode NodeHostname=$host NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN
PartitionName=mmsimtest Nodes=mmsimnode Default=YES MaxTime=10 State=UP
CONF
export SLURM_CONF=$d/slurm.conf
slurmctld -D -i -f "$d/slurm.conf" >"$d/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -N mmsimnode -f "$d/slurm.conf" >"$d/slurmd.out" 2>&1 &
pids+=($!)
up=""
for _ in $(seq 150); do
	if sinfo -h -o %T 2>/dev/null | grep -q idle; then up=yes; break; fi
	sleep 0.2
done
[ -n "$up" ] || { logs; skip "slurmctld and slurmd did not come up in 30 s (logs above)"; }

# 3. The single-machine sweep, and the same as 3 shards plus a merge through Slurm.
python3 - <<'PY' >t.txt
import random
random.seed(21)
for i in range(3000):
    page = int(random.paretovariate(1.2)) % 100
    print(" %s %x,8" % (random.choice("LS"), 0x10000000 + page * 4096))
PY
opts=(--policies fifo,lru,opt --frames 4:100:x2)
"$mmsim" sweep -q -j 2 "${opts[@]}" -o one.csv t.txt || fail "sweep: exit $?"
rm -rf out
export MMSIM=$mmsim
jid=$(sbatch --parsable -D "$work" -o "$work/shard-%a.out" --array=1-3 "$sbatch_script" \
	out t.txt "${opts[@]}") || fail "sbatch of the array failed"
mid=$(sbatch --parsable -D "$work" -o "$work/merge.out" --dependency="afterok:$jid" \
	--kill-on-invalid-dep=yes "$sbatch_script" --merge out) || fail "sbatch of the merge failed"
for _ in $(seq 300); do
	[ -z "$(squeue -h -j "$jid,$mid" 2>/dev/null)" ] && break
	sleep 0.2
done
[ -z "$(squeue -h -j "$jid,$mid" 2>/dev/null)" ] ||
	{ squeue; logs; fail "the jobs did not finish in 60 s"; }
[ -f out/result.csv ] || { cat shard-*.out merge.out 2>/dev/null; logs; fail "no merged result"; }
cmp one.csv out/result.csv || fail "the merged Slurm result differs from the single run"
[ "$(ls out/part.* | wc -l)" = 3 ] || fail "want 3 parts: $(ls out)"
echo "test_slurm: 3 shards as a Slurm job array, merged by a dependent job: the single run's CSV"
