#!/usr/bin/env bash
# web/build.sh OUT_DIR: compiles libmmsim and the page's bridge (web/src/mmsim_web.c) to
# WebAssembly with emscripten (Debian package emscripten) and lays out the static page in
# OUT_DIR (default web/dist): index.html, app.js, style.css, presets.js and mmsim.js, which
# carries the wasm inside it (SINGLE_FILE), so the page opens from a file:// URL with no
# server. Checks the size budget: the wasm itself under 2 MB.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
out=${1:-$here/dist}
budget=$((2 * 1024 * 1024))
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs} # acorn for emcc's JS optimizer (node-acorn)
command -v emcc >/dev/null || { echo "web/build.sh: emcc not found (apt-get install emscripten)" >&2; exit 77; }
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The host's zlib, zstd and liblzma headers only declare what the trace code calls; the browser
# build has no zlib/zstd/liblzma (no emscripten port can be fetched here), so web/src/nocompress.c
# answers those calls with failures and the page refuses compressed traces itself.
mkdir -p "$work/inc"
for h in zlib.h zconf.h zstd.h zstd_errors.h lzma.h lzma; do
	[ -e "/usr/include/$h" ] && ln -s "/usr/include/$h" "$work/inc/$h"
done
[ -f "/usr/include/x86_64-linux-gnu/zconf.h" ] && ln -sf /usr/include/x86_64-linux-gnu/zconf.h "$work/inc/zconf.h"
mapfile -t srcs < <(cd "$root" && find src -name '*.c' ! -path 'src/cli/*' ! -name 'vectors.c' | sort)
exports='["_malloc","_free","_web_free","_web_open","_web_close","_web_step","_web_state","_web_walk","_web_tlb","_web_frames","_web_curve"]'
version=$(sed -n 's/^project(mmsim VERSION \([0-9.]*\).*/\1/p' "$root/CMakeLists.txt")
flags=(-std=c11 -O2 -D_GNU_SOURCE -DMMSIM_LIB_VERSION="\"$version\"" -Wall -Wextra -Werror -Wno-unused-command-line-argument
	-I"$root/include" -I"$root/src" -idirafter "$work/inc")
# One emcc run per source folder: each run costs about 0.8 s of CPU before it compiles
# anything (Python and its start-up), so one run a file spent most of the build there.
# Each folder's objects go to a folder of their own, so that two files of the same name in
# different folders are fine; JOBS folders compile at a time.
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}
objs=()
declare -A folder_srcs=()
for s in "${srcs[@]}" web/src/mmsim_web.c web/src/nocompress.c; do
	d=$(dirname "$s")
	folder_srcs[$d]+=" $root/$s"
	objs+=("$work/obj/${d//\//_}/$(basename "${s%.c}").o")
done
pids=()
for d in "${!folder_srcs[@]}"; do
	while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n; done
	mkdir -p "$work/obj/${d//\//_}"
	# shellcheck disable=SC2086 # the folder's sources, split on the spaces added above
	(cd "$work/obj/${d//\//_}" && emcc "${flags[@]}" -c ${folder_srcs[$d]}) &
	pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
emcc -O2 "${objs[@]}" -o "$work/mmsim.js" -sMODULARIZE=1 -sEXPORT_NAME=createMmsim \
	-sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=67108864 -sMAXIMUM_MEMORY=2147483648 \
	-sEXPORTED_FUNCTIONS="$exports" -sEXPORTED_RUNTIME_METHODS='["ccall","cwrap","UTF8ToString","stringToUTF8","lengthBytesUTF8","HEAPU8"]' \
	-sENVIRONMENT=web,node -sFILESYSTEM=1
size=$(stat -c %s "$work/mmsim.wasm")
echo "web/build.sh: mmsim.wasm is $size bytes (budget $budget)"
[ "$size" -lt "$budget" ] || { echo "web/build.sh: mmsim.wasm is over the 2 MB budget" >&2; exit 1; }
emcc -O2 "${objs[@]}" -o "$out/mmsim.js" -sSINGLE_FILE=1 -sMODULARIZE=1 -sEXPORT_NAME=createMmsim \
	-sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=67108864 -sMAXIMUM_MEMORY=2147483648 \
	-sEXPORTED_FUNCTIONS="$exports" -sEXPORTED_RUNTIME_METHODS='["ccall","cwrap","UTF8ToString","stringToUTF8","lengthBytesUTF8","HEAPU8"]' \
	-sENVIRONMENT=web,node -sFILESYSTEM=1
cp "$work/mmsim.wasm" "$out/mmsim.wasm"
cp "$here"/page/* "$out/"
echo "web/build.sh: page in $out (open $out/index.html)"
