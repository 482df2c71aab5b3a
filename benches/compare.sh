#!/usr/bin/env bash
# Benchmark `oversight` against Hugo, and time the register-specific commands.
#
# Usage (from anywhere; paths are resolved against the repository):
#     benches/compare.sh > report.md                  # full run: 1k, 10k, 50k pages
#     SIZES="1000" RUNS=3 REG_PAGES=1000 benches/compare.sh   # quick run
#
# In one run, on one machine, with all files on tmpfs:
#   1. For each size in SIZES, generates the shared corpus (GEN_CORPUS) and builds it with
#      `oversight build` and with `hugo`, alternating the tools (o, h, o, h, ...), RUNS timed
#      runs each after one untimed warm-up each. Reports the median wall time, ms per page,
#      peak RSS (the largest max-RSS of the timed runs, from /usr/bin/time) and the ratio
#      oversight / Hugo, then how flat the per-page cost is from the smallest to the largest
#      size.
#   2. On a synthetic register (`oversight generate`, REG_ORGS organisations + REG_PAGES
#      pages): `oversight check` (median of CHECK_RUNS) with and without the pages, and
#      `oversight build` of the register.
#   3. `oversight serve` on that register: a one-file incremental rebuild, measured from the
#      file write to the live-reload event (benches/edit_latency.py, median of EDITS saves),
#      for an organisation record and for a narrative page.
#   4. `oversight papers` on a register with PACK_PAPERS papers, all on one meeting: time for all the papers and packs, and the page count of the
#      largest pack (pdfinfo).
# Progress goes to stderr; the Markdown report (for docs/performance.md) to stdout.
#
# Environment (defaults in brackets):
#   OVERSIGHT     oversight binary to use; unset: `cargo build --release` and use
#                 ${CARGO_TARGET_DIR:-target}/release/oversight. The binary is copied to
#                 BENCH_DIR first, so a rebuild during the run does not change what is timed.
#   GEN_CORPUS    corpus generator [<repo>/../shared/bench/gen_corpus.py]
#   SIZES         corpus sizes in pages ["1000 10000 50000"]
#   RUNS          timed runs per tool and size [5]
#   WARMUP        untimed warm-up runs per tool and size [1]
#   REG_ORGS      organisations in the synthetic register [1000]
#   REG_PAGES     narrative pages in the synthetic register [10000]
#   CHECK_RUNS    runs of `check` and of the register build [5]
#   EDITS         saves per edit-latency measurement [15]
#   SERVE_TIMEOUT seconds to wait for `serve`'s first build [600]
#   PACK_ORGS     organisations in the papers register [200]
#   PACK_PAPERS   papers in the papers register [40]
#   PACK_RUNS     runs of `oversight papers` [3]
#   BENCH_DIR     working folder, ideally on tmpfs [/dev/shm/oversight-bench]; emptied first
#   KEEP          1: keep BENCH_DIR (corpora, outputs, bench.log) at the end [0]
#
# Needs bash 5, python3, Hugo, GNU time (/usr/bin/time) and, optionally, pdfinfo
# (poppler-utils); missing ones are installed with apt-get (Debian/Ubuntu).

set -euo pipefail
export LC_ALL=C # a '.' decimal separator in EPOCHREALTIME and printf

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
GEN_CORPUS=${GEN_CORPUS:-$REPO/../shared/bench/gen_corpus.py}
SIZES=${SIZES:-1000 10000 50000}
RUNS=${RUNS:-5}
WARMUP=${WARMUP:-1}
REG_ORGS=${REG_ORGS:-1000}
REG_PAGES=${REG_PAGES:-10000}
CHECK_RUNS=${CHECK_RUNS:-5}
EDITS=${EDITS:-15}
SERVE_TIMEOUT=${SERVE_TIMEOUT:-600}
PACK_ORGS=${PACK_ORGS:-200}
PACK_PAPERS=${PACK_PAPERS:-40}
PACK_RUNS=${PACK_RUNS:-3}
BENCH_DIR=${BENCH_DIR:-/dev/shm/oversight-bench}
KEEP=${KEEP:-0}

log() { printf '[%(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { log "error: $*"; exit 1; }

# ---------------------------------------------------------------------------------------
# Tools
# ---------------------------------------------------------------------------------------

apt_install() {
    local sudo=()
    [[ $(id -u) -eq 0 ]] || sudo=(sudo)
    log "installing $* with apt-get"
    "${sudo[@]}" apt-get update >&2 && "${sudo[@]}" apt-get install -y "$@" >&2
}

missing=()
command -v hugo >/dev/null || missing+=(hugo)
[[ -x /usr/bin/time ]] || missing+=(time)
command -v pdfinfo >/dev/null || missing+=(poppler-utils)
if ((${#missing[@]})); then
    apt_install "${missing[@]}" || log "warning: apt-get install ${missing[*]} failed"
fi
command -v hugo >/dev/null || die "hugo is missing (apt-get install -y hugo)"
[[ -x /usr/bin/time ]] || die "/usr/bin/time is missing (apt-get install -y time)"
command -v pdfinfo >/dev/null || log "warning: no pdfinfo; pack page counts are left out"
command -v python3 >/dev/null || die "python3 is missing"
[[ -f $GEN_CORPUS ]] || die "no corpus generator at $GEN_CORPUS (set GEN_CORPUS)"
((BASH_VERSINFO[0] >= 5)) || die "bash 5 is needed (EPOCHREALTIME)"

if [[ -z ${OVERSIGHT:-} ]]; then
    log "building oversight (cargo build --release)"
    (cd "$REPO" && cargo build --release >&2)
    target=${CARGO_TARGET_DIR:-target}
    [[ $target = /* ]] || target=$REPO/$target
    OVERSIGHT=$target/release/oversight
fi
[[ -x $OVERSIGHT ]] || die "no oversight binary at $OVERSIGHT"

# Everything below lives in BENCH_DIR; the binary is copied so that it stays the same.
mkdir -p "$BENCH_DIR"
BENCH_DIR=$(cd "$BENCH_DIR" && pwd) # absolute: `serve` is given absolute paths
# Empty it only if it is empty or one of ours (it holds the marker file).
if [[ -n $(ls -A "$BENCH_DIR") && ! -e $BENCH_DIR/.oversight-bench ]]; then
    die "$BENCH_DIR is not empty and not a previous benchmark folder; set BENCH_DIR"
fi
rm -rf "${BENCH_DIR:?}"/* "$BENCH_DIR"/.[!.]*
touch "$BENCH_DIR/.oversight-bench"
mkdir -p "$BENCH_DIR/bin"
cp "$OVERSIGHT" "$BENCH_DIR/bin/oversight"
BIN=$BENCH_DIR/bin/oversight
LOG=$BENCH_DIR/bench.log
: >"$LOG"

SERVE_PID=
cleanup() {
    local rc=$?
    if [[ -n $SERVE_PID ]]; then kill "$SERVE_PID" 2>/dev/null || true; wait "$SERVE_PID" 2>/dev/null || true; fi
    if [[ $KEEP = 1 ]]; then
        log "kept $BENCH_DIR"
    else
        rm -rf "${BENCH_DIR:?}"
    fi
    ((rc == 0)) || echo "benchmark failed (exit $rc); see the messages above" >&2
}
trap cleanup EXIT

# ---------------------------------------------------------------------------------------
# Measuring
# ---------------------------------------------------------------------------------------

# measure RECORD CMD...: runs CMD, appends "<wall s> <max RSS KiB>" to RECORD (/dev/null
# for a warm-up). CMD's output goes to $BENCH_DIR/last.out and to the log.
measure() {
    local record=$1 t0 t1 rss
    shift
    t0=$EPOCHREALTIME
    if ! /usr/bin/time -f '%M' -o "$BENCH_DIR/time.txt" "$@" >"$BENCH_DIR/last.out" 2>&1; then
        cat "$BENCH_DIR/last.out" >&2
        die "failed: $*"
    fi
    t1=$EPOCHREALTIME
    rss=$(tail -n 1 "$BENCH_DIR/time.txt")
    { echo "\$ $*"; cat "$BENCH_DIR/last.out"; } >>"$LOG"
    awk -v a="$t0" -v b="$t1" -v m="$rss" 'BEGIN { printf "%.4f %d\n", b - a, m }' >>"$record"
}

# stats RECORD: prints "<median s> <peak RSS MiB> <min s> <max s>".
stats() {
    python3 - "$1" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1]) if line.strip()]
walls = [float(r[0]) for r in rows]
print(f"{statistics.median(walls):.4f} {max(int(r[1]) for r in rows) / 1024:.0f} {min(walls):.4f} {max(walls):.4f}")
PY
}

# calc EXPR: prints a Python expression's value.
calc() { python3 -c "print($1)"; }

# ---------------------------------------------------------------------------------------
# Machine
# ---------------------------------------------------------------------------------------

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
mem=$(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
hugo_version=$(hugo version | awk '{ print $2 }')
commit=$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [[ -n $(git -C "$REPO" status --porcelain --untracked-files=no 2>/dev/null) ]]; then
    commit="$commit (working tree modified)"
fi
oversight_version=$("$BIN" --version)
fs=$(df -P -T "$BENCH_DIR" | awk 'NR == 2 { print $2 }')
log "oversight: $OVERSIGHT ($oversight_version, $commit); hugo $hugo_version; files on $fs"

# ---------------------------------------------------------------------------------------
# 1. oversight build vs Hugo
# ---------------------------------------------------------------------------------------

build_rows=()
counts=()
first_n= first_o_ms= first_h_ms= last_n= last_o_ms= last_h_ms=
OUT=$BENCH_DIR/out
for n in $SIZES; do
    corpus=$BENCH_DIR/corpus-$n
    log "corpus of $n pages"
    python3 "$GEN_CORPUS" "$n" "$corpus" --only all >>"$LOG" 2>&1
    rec_o=$BENCH_DIR/build-oversight-$n.txt
    rec_h=$BENCH_DIR/build-hugo-$n.txt
    : >"$rec_o"
    : >"$rec_h"
    for ((r = 1 - WARMUP; r <= RUNS; r++)); do
        if ((r < 1)); then
            ro=/dev/null rh=/dev/null
            log "  $n pages, warm-up"
        else
            ro=$rec_o rh=$rec_h
            log "  $n pages, run $r of $RUNS"
        fi
        rm -rf "$OUT"
        measure "$ro" "$BIN" build --site "$corpus/oversight" --output "$OUT"
        o_built=$(grep -o 'built [0-9]* pages ([0-9]* files)' "$BENCH_DIR/last.out" || echo '?')
        rm -rf "$OUT"
        measure "$rh" hugo --quiet --source "$corpus/hugo" --destination "$OUT"
        h_html=$(find "$OUT" -name '*.html' | wc -l)
    done
    rm -rf "$OUT"
    [[ $KEEP = 1 ]] || rm -rf "$corpus"

    read -r o_med o_rss o_min o_max < <(stats "$rec_o")
    read -r h_med h_rss h_min h_max < <(stats "$rec_h")
    o_ms=$(calc "f'{$o_med * 1000 / $n:.3f}'")
    h_ms=$(calc "f'{$h_med * 1000 / $n:.3f}'")
    ratio=$(calc "f'{$o_med / $h_med:.2f}'")
    build_rows+=("| $n | $(printf '%.3f' "$o_med") | $o_ms | $o_rss | $(printf '%.3f' "$h_med") | $h_ms | $h_rss | $ratio |")
    counts+=("- $n pages: oversight $o_built, runs $o_min–$o_max s; Hugo $h_html HTML files, runs $h_min–$h_max s")
    [[ -n $first_o_ms ]] || { first_o_ms=$o_ms first_h_ms=$h_ms first_n=$n; }
    last_o_ms=$o_ms last_h_ms=$h_ms last_n=$n
    log "  oversight $o_med s ($o_ms ms/page, $o_rss MiB), hugo $h_med s ($h_ms ms/page, $h_rss MiB), ratio $ratio"
done

# ---------------------------------------------------------------------------------------
# 2. check (and build) on a synthetic register
# ---------------------------------------------------------------------------------------

REG=$BENCH_DIR/register
REG0=$BENCH_DIR/register-orgs
log "register: $REG_ORGS organisations + $REG_PAGES pages"
"$BIN" generate "$REG" --organisations "$REG_ORGS" --pages "$REG_PAGES" --seed 1 >>"$LOG" 2>&1
"$BIN" generate "$REG0" --organisations "$REG_ORGS" --pages 0 --seed 1 >>"$LOG" 2>&1
: >"$BENCH_DIR/check-full.txt"
: >"$BENCH_DIR/check-orgs.txt"
: >"$BENCH_DIR/build-register.txt"
for ((r = 1; r <= CHECK_RUNS; r++)); do
    log "  check and build, run $r of $CHECK_RUNS"
    measure "$BENCH_DIR/check-full.txt" "$BIN" check --site "$REG"
    measure "$BENCH_DIR/check-orgs.txt" "$BIN" check --site "$REG0"
    rm -rf "$OUT"
    measure "$BENCH_DIR/build-register.txt" "$BIN" build --site "$REG" --output "$OUT"
    reg_built=$(grep -o 'built [0-9]* pages ([0-9]* files)' "$BENCH_DIR/last.out" || echo '?')
done
rm -rf "$OUT"
read -r chk_med chk_rss _ _ < <(stats "$BENCH_DIR/check-full.txt")
read -r chk0_med chk0_rss _ _ < <(stats "$BENCH_DIR/check-orgs.txt")
read -r regb_med regb_rss _ _ < <(stats "$BENCH_DIR/build-register.txt")

# ---------------------------------------------------------------------------------------
# 3. serve: edit to reload
# ---------------------------------------------------------------------------------------

log "serve on the register"
"$BIN" serve --site "$REG" --port 0 >"$BENCH_DIR/serve.out" 2>"$BENCH_DIR/serve.err" &
SERVE_PID=$!
addr=
for ((i = 0; i < SERVE_TIMEOUT * 10; i++)); do
    addr=$(grep -o -m 1 '127\.0\.0\.1:[0-9]*' "$BENCH_DIR/serve.out" || true)
    [[ -z $addr ]] || break
    kill -0 "$SERVE_PID" 2>/dev/null || { cat "$BENCH_DIR/serve.err" >&2; die "serve stopped"; }
    sleep 0.1
done
[[ -n $addr ]] || die "serve did not start within $SERVE_TIMEOUT s"
serve_first=$(grep -m 1 'initial build' "$BENCH_DIR/serve.err" | sed 's/.*— //' || true)
log "  serving at $addr ($serve_first)"

# edit_latency FILE: median edit-to-reload ms for FILE (relative to the register), and the
# median rebuild time the server itself reports for those edits.
edit_latency() {
    local file=$1 before out server
    before=$(wc -l <"$BENCH_DIR/serve.err")
    out=$(python3 "$REPO/benches/edit_latency.py" "$addr" "$REG" "$file" "$EDITS" 2>&1) ||
        { echo "$out" >&2; die "edit latency for $file failed"; }
    echo "$out" >>"$LOG"
    server=$(tail -n +"$((before + 1))" "$BENCH_DIR/serve.err" | { grep '^changed' || true; } | head -n "$EDITS" |
        python3 -c '
import re, statistics, sys
ms = []
for line in sys.stdin:
    m = re.search(r"in ([0-9.]+) (ms|s)\s*$", line)
    if m: ms.append(float(m.group(1)) * (1000 if m.group(2) == "s" else 1))
print(f"{statistics.median(ms):.0f}" if ms else "?")')
    echo "$(sed -n 's/^median_ms=//p' <<<"$out") $server"
}

org_file=content/organisations/$(ls "$REG/content/organisations" | sort | sed -n '4p;$p' | head -n 1)
log "  editing $org_file ($EDITS saves)"
result=$(edit_latency "$org_file")
read -r org_ms org_server <<<"$result"
page_ms=- page_server=- page_file="(no pages)"
if ((REG_PAGES > 0)); then
    mapfile -t pages < <(cd "$REG" && find content/pages -name '*.md' | sort)
    page_file=${pages[${#pages[@]} / 2]}
    log "  editing $page_file ($EDITS saves)"
    result=$(edit_latency "$page_file")
    read -r page_ms page_server <<<"$result"
fi
kill "$SERVE_PID"
wait "$SERVE_PID" 2>/dev/null || true
SERVE_PID=

# ---------------------------------------------------------------------------------------
# 4. papers: PDFs and packs
# ---------------------------------------------------------------------------------------

PACK=$BENCH_DIR/pack
log "papers: $PACK_ORGS organisations, $PACK_PAPERS papers"
# All the papers on one meeting, so its pack is one PACK_PAPERS-paper pack.
"$BIN" generate "$PACK" --organisations "$PACK_ORGS" --papers "$PACK_PAPERS" --papers-per-meeting "$PACK_PAPERS" \
    --seed 1 >>"$LOG" 2>&1
meetings=$(find "$PACK/content/meetings" -name '*.yaml' | wc -l)
: >"$BENCH_DIR/papers.txt"
for ((r = 1; r <= PACK_RUNS; r++)); do
    log "  papers, run $r of $PACK_RUNS"
    rm -rf "$OUT"
    measure "$BENCH_DIR/papers.txt" "$BIN" papers --site "$PACK" --output "$OUT"
done
read -r pack_med pack_rss pack_min pack_max < <(stats "$BENCH_DIR/papers.txt")
packs=$(find "$OUT" -name '*-pack.pdf' | wc -l)
pdfs=$(find "$OUT" -name '*.pdf' | wc -l)
largest_pack="?"
if command -v pdfinfo >/dev/null; then
    largest_pack=0
    while IFS= read -r f; do
        # poppler 22 warns "Suspects object is wrong type" on /Suspects false: harmless.
        p=$(pdfinfo "$f" 2>/dev/null | awk '/^Pages:/ { print $2 }')
        if ((${p:-0} > largest_pack)); then largest_pack=$p; fi
    done < <(find "$OUT" -name '*-pack.pdf')
fi
rm -rf "$OUT"

# ---------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------

cat <<EOF
## Benchmark: oversight vs Hugo ($(date -u +%Y-%m-%d))

Machine: $(nproc) cores, $cpu, $mem; $(uname -sr); files on $fs.
Tools: oversight $commit ($oversight_version), Hugo $hugo_version.
Each size: $RUNS timed runs per tool after $WARMUP warm-up, alternating oversight and Hugo;
median wall time; peak RSS is the largest of the runs.

| pages | oversight median s | ms/page | peak RSS MiB | Hugo median s | ms/page | peak RSS MiB | ratio o/H |
|--:|--:|--:|--:|--:|--:|--:|--:|
EOF
printf '%s\n' "${build_rows[@]}"
echo
printf '%s\n' "${counts[@]}"
echo
if [[ $first_n != "$last_n" ]]; then
    echo "Per-page cost, $last_n pages vs $first_n: oversight $(calc "f'{$last_o_ms / $first_o_ms:.2f}'")×" \
        "($first_o_ms → $last_o_ms ms/page), Hugo $(calc "f'{$last_h_ms / $first_h_ms:.2f}'")×" \
        "($first_h_ms → $last_h_ms ms/page)."
else
    echo "Per-page cost flatness: needs two sizes or more (SIZES=\"$SIZES\")."
fi
cat <<EOF

### Register ($REG_ORGS organisations + $REG_PAGES pages, \`oversight generate --seed 1\`)

| measure | median | peak RSS MiB |
|---|--:|--:|
| \`check\`, $REG_ORGS organisations + $REG_PAGES pages ($CHECK_RUNS runs) | $(printf '%.3f' "$chk_med") s | $chk_rss |
| \`check\`, $REG_ORGS organisations, no pages ($CHECK_RUNS runs) | $(printf '%.3f' "$chk0_med") s | $chk0_rss |
| \`build\` of the register, $reg_built ($CHECK_RUNS runs) | $(printf '%.3f' "$regb_med") s | $regb_rss |
| \`serve\` edit to reload, organisation record \`$org_file\` ($EDITS saves) | $org_ms ms (server: rebuild $org_server ms) | |
| \`serve\` edit to reload, page \`$page_file\` ($EDITS saves) | $page_ms ms (server: rebuild $page_server ms) | |
| \`papers\`: $PACK_PAPERS papers on $meetings meetings → $packs packs, $pdfs PDFs ($PACK_RUNS runs, $pack_min–$pack_max s) | $(printf '%.3f' "$pack_med") s | $pack_rss |

\`serve\`'s first build of the register: $serve_first. Largest pack: $largest_pack pages.
Edit to reload runs from the write (a temporary file renamed over the target, as editors
save) to the live-reload event arriving on \`/__oversight/events\`.
EOF
log "done"
