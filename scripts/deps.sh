#!/usr/bin/env bash
# scripts/deps.sh build|test|plot|tools|web|fuzz: makes sure the Debian packages a make target needs
# are installed (tools: what `mmsim record` and `mmsim sweep --plot` run). As root it
# installs what is missing with apt-get; otherwise it prints the exact command to run and
# fails.
set -euo pipefail

build_pkgs="gcc make cmake pkg-config libcjson-dev libzstd-dev zlib1g-dev liblzma-dev"
# The browser explorer (make web; its test runs in make test): emscripten and its JS
# optimizer's parser, Node.js for the test driver, Chromium to load the page.
web_pkgs="emscripten node-acorn nodejs chromium"
test_pkgs="$build_pkgs $web_pkgs clang libclang-rt-14-dev libcriterion-dev python3 python3-unicorn libunicorn-dev valgrind gnuplot-nox zstd gzip clang-format git gcovr parallel slurm-wlm munge"
# The Python package (python/): installed offline by pip with setuptools and wheel, tested
# with pytest; pandas and matplotlib for its DataFrames and the README example.
python_pkgs="python3-pip python3-setuptools python3-wheel python3-pytest python3-pandas python3-matplotlib"
test_pkgs="$test_pkgs $python_pkgs"
# make fuzz-ci: clang with libFuzzer and the sanitizer runtimes.
fuzz_pkgs="clang libclang-rt-14-dev libcjson-dev libzstd-dev zlib1g-dev liblzma-dev"
plot_pkgs="gnuplot-nox"
tools_pkgs="valgrind gnuplot-nox"

case "${1:-build}" in
build) want=$build_pkgs ;;
test) want=$test_pkgs ;;
plot) want=$plot_pkgs ;;
tools) want=$tools_pkgs ;;
web) want=$web_pkgs ;;
fuzz) want=$fuzz_pkgs ;;
*) echo "usage: $0 build|test|plot|tools|web|fuzz" >&2; exit 2 ;;
esac

missing=""
for p in $want; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
	echo "mmsim: installing missing Debian packages:$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >&2
else
	echo "mmsim: missing Debian packages:$missing" >&2
	echo "Run: sudo apt-get update && sudo apt-get install -y$missing" >&2
	exit 1
fi
