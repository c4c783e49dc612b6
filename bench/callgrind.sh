#!/usr/bin/env bash
# Instructions per decision, per request class, at N = 10 and 100,000 (or
# the sizes given), with the floor beside them: bench/decide_driver under
# Callgrind. Counts do not depend on the machine's load, so this is how to
# compare two versions of the engine on a shared machine; the wall-clock
# benchmarks (bench/run.sh) confirm them.
#
#   bench/callgrind.sh [BUILD_DIR] [driver flags...]   default: build
#
# Prints one line per class: instructions per decision of `table` and of
# the floor, and their ratio. The raw dumps stay in BUILD_DIR/callgrind/.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
shift || true
cmake --build "$build" -j 2 --target decide_driver >/dev/null
out="$build/callgrind"
rm -rf "$out"
mkdir -p "$out"
valgrind --tool=callgrind --dump-line=yes --dump-instr=no \
  --callgrind-out-file="$out/cg.out" "$build/bench/decide_driver" "$@" >"$out/driver.log" 2>&1 ||
  { cat "$out/driver.log"; exit 1; }
python3 - "$out" <<'PY'
import glob, re, sys
out = sys.argv[1]
rows = {}
for f in sorted(glob.glob(out + "/cg.out.*"), key=lambda f: int(f.rsplit(".", 1)[1])):
    desc = total = None
    for line in open(f):
        if line.startswith("desc: Trigger: Client Request: "):
            desc = line.split(": ", 3)[-1].strip()
        elif line.startswith("summary:") or line.startswith("totals:"):
            total = int(line.split()[1])
    if desc is None or total is None:
        continue
    m = re.match(r"(\w+)/(.*)/calls:(\d+)$", desc)
    kind, key, calls = m.group(1), m.group(2), int(m.group(3))
    rows.setdefault(key, {})[kind] = total / calls
print(f"{'class':<32} {'table':>9} {'floor':>8} {'ratio':>7}")
for key, r in rows.items():
    t = r.get("decide", r.get("headers_only"))
    fl = r.get("floor")
    ratio = f"{t / fl:6.2f}x" if fl else ""
    print(f"{key:<32} {t:9.1f} {fl if fl else float('nan'):8.1f} {ratio:>7}")
PY
