#!/usr/bin/env bash
# Benchmark harness for communique: build time and peak memory against Hugo and `cp -r` on
# synthetic corpora, save-to-page latency of `communique serve`, and the shipped site's build.
# See BENCHMARKS.md. Usage:
#
#   bash bench/run.sh
#
# Environment knobs (all optional):
#   SIZES="1000 10000 50000"  corpus sizes, in pledges
#   SKIP_50K=1                drop the 50,000-pledge corpus (the slowest part)
#   SERVE_SIZE=10000          corpus size for the serve save-to-page measurement (0 skips it)
#   SERVE_ITERS=10            number of saves measured
#   HUGO_ALONE=50000          from this size on, Hugo is timed once, alone, under a timeout
#   HUGO_TIMEOUT=1200         that timeout, in seconds (Hugo did not finish 50k in 16 minutes)
#   BENCH_DIR=/some/dir       work folder (default: a fresh mktemp -d, removed at the end)
#   KEEP=1                    keep the work folder
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
SIZES=${SIZES:-"1000 10000 50000"}
if [ "${SKIP_50K:-0}" = 1 ]; then SIZES=$(echo "$SIZES" | tr ' ' '\n' | grep -vx 50000 | tr '\n' ' '); fi
SERVE_SIZE=${SERVE_SIZE:-10000}
SERVE_ITERS=${SERVE_ITERS:-10}
WORK=${BENCH_DIR:-$(mktemp -d /tmp/communique-bench.XXXXXX)}
mkdir -p "$WORK"
SERVE_PID=""
cleanup() {
    if [ -n "$SERVE_PID" ]; then kill "$SERVE_PID" 2>/dev/null || true; wait "$SERVE_PID" 2>/dev/null || true; fi
    if [ "${KEEP:-0}" != 1 ] && [ -z "${BENCH_DIR:-}" ]; then rm -rf "$WORK"; fi
}
trap cleanup EXIT
log() { printf '\n==> %s\n' "$*" >&2; }

# --- 1. Tools ---------------------------------------------------------------------------
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; fi
missing=()
command -v hugo >/dev/null || missing+=(hugo)
command -v hyperfine >/dev/null || missing+=(hyperfine)
[ -x /usr/bin/time ] || missing+=(time)
command -v curl >/dev/null || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    $SUDO apt-get update
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
fi

# --- 2. Build ---------------------------------------------------------------------------
log "building communique and gen_corpus (release)"
cargo build --release --bin communique --example gen_corpus
TARGET=${CARGO_TARGET_DIR:-$REPO/target}
BIN=$TARGET/release/communique
GEN=$TARGET/release/examples/gen_corpus

# --- helpers ----------------------------------------------------------------------------
# hyperfine CSV columns: command,mean,stddev,median,user,system,min,max (seconds)
csv_field() { awk -F, -v name="$2" -v col="$3" 'NR > 1 && $1 == name { print $col }' "$1"; }
ms() { awk -v s="$1" 'BEGIN { printf "%.0f", s * 1000 }'; }
pm() { awk -v m="$1" -v s="$2" 'BEGIN { if (m < 1) printf "%.0f ± %.0f ms", m * 1000, s * 1000; else printf "%.2f ± %.2f s", m, s }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
peak_kb() { # peak_kb LOGFILE command... : runs the command once under GNU time, prints max RSS in KB
    local out=$1; shift
    /usr/bin/time -v "$@" >/dev/null 2>"$out"
    awk -F: '/Maximum resident set size/ { gsub(/ /, "", $2); print $2 }' "$out"
}
mb() { awk -v k="$1" 'BEGIN { printf "%.0f MB", k / 1024 }'; }

runs_for() { # warmup and runs per size
    if [ "$1" -ge 50000 ]; then echo "0 2"; elif [ "$1" -ge 10000 ]; then echo "2 3"; else echo "2 5"; fi
}

ROWS=()
declare -A CQ_MEAN HUGO_MEAN

# --- 3. Corpora and builds --------------------------------------------------------------
for n in $SIZES; do
    site=$WORK/cq-$n
    hsite=$WORK/hugo-$n
    log "generating $n pledges"
    rm -rf "$site" "$hsite"
    "$GEN" --pledges "$n" --out "$site" --hugo-out "$hsite"
    out=$WORK/out-cq-$n
    hout=$WORK/out-hugo-$n
    log "checking that both sites build ($n)"
    "$BIN" build --root "$site" --output "$out" 2>"$WORK/cq-$n.stderr" || { cat "$WORK/cq-$n.stderr"; exit 1; }
    if [ -s "$WORK/cq-$n.stderr" ]; then echo "communique printed diagnostics:" >&2; head -20 "$WORK/cq-$n.stderr" >&2; fi
    HUGO_ALONE=${HUGO_ALONE:-50000}
    HUGO_TIMEOUT=${HUGO_TIMEOUT:-1200}
    if [ "$n" -lt "$HUGO_ALONE" ]; then hugo --quiet -s "$hsite" -d "$hout"; fi
    files=$(find "$out" -type f | wc -l)
    hfiles=$(if [ -d "$hout" ]; then find "$hout" -type f | wc -l; else echo "–"; fi)
    size=$(du -sh "$out" | cut -f1)

    read -r warm runs <<<"$(runs_for "$n")"
    log "timing builds at $n pledges (warmup $warm, runs $runs)"
    # Through a shell (hyperfine subtracts its start-up time) so that communique's stderr is
    # kept: a failed run is then explained, and the measurement is retried once.
    errlog=$WORK/cq-$n.hyperfine-stderr
    timing() {
        if [ "$n" -lt "$HUGO_ALONE" ]; then
            hyperfine --style basic --warmup "$warm" --runs "$runs" --export-csv "$WORK/hf-$n.csv" \
                -n communique "$BIN build --root $site --output $out 2>>$errlog" \
                -n hugo "hugo --quiet -s $hsite -d $hout" \
                -n cp --prepare "rm -rf $WORK/cp-$n" "cp -r $out $WORK/cp-$n" >&2
        else
            hyperfine --style basic --warmup "$warm" --runs "$runs" --export-csv "$WORK/hf-$n.csv" \
                -n communique "$BIN build --root $site --output $out 2>>$errlog" \
                -n cp --prepare "rm -rf $WORK/cp-$n" "cp -r $out $WORK/cp-$n" >&2
        fi
    }
    if ! timing; then
        echo "a timed run failed; its stderr:" >&2; cat "$errlog" >&2
        echo "retrying the measurement once" >&2; : >"$errlog"; timing
    fi
    rm -rf "$WORK/cp-$n"
    cq=$(csv_field "$WORK/hf-$n.csv" communique 2); cqsd=$(csv_field "$WORK/hf-$n.csv" communique 3)
    hg=$(csv_field "$WORK/hf-$n.csv" hugo 2); hgsd=$(csv_field "$WORK/hf-$n.csv" hugo 3)
    hugo_note=""
    if [ "$n" -ge "$HUGO_ALONE" ]; then
        log "timing hugo once at $n pledges (timeout ${HUGO_TIMEOUT}s)"
        rm -rf "$hout"
        t0=$(date +%s%N)
        if timeout "$HUGO_TIMEOUT" /usr/bin/time -v hugo --quiet -s "$hsite" -d "$hout" >/dev/null 2>"$WORK/time-hugo-$n.txt"; then
            hg=$(awk -v ns=$(( $(date +%s%N) - t0 )) 'BEGIN { printf "%.3f", ns / 1e9 }'); hgsd=0
            hfiles=$(find "$hout" -type f | wc -l)
        else
            hg=$HUGO_TIMEOUT; hgsd=0; hugo_note=" (did not finish in ${HUGO_TIMEOUT} s: ratio is an upper bound)"
        fi
    fi
    cpm=$(csv_field "$WORK/hf-$n.csv" cp 2); cpsd=$(csv_field "$WORK/hf-$n.csv" cp 3)
    CQ_MEAN[$n]=$cq
    HUGO_MEAN[$n]=$hg

    log "peak memory at $n pledges"
    cqmem=$(peak_kb "$WORK/time-cq-$n.txt" "$BIN" build --root "$site" --output "$out")
    if [ "$n" -lt "$HUGO_ALONE" ]; then
        hgmem=$(peak_kb "$WORK/time-hugo-$n.txt" hugo --quiet -s "$hsite" -d "$hout")
    else
        hgmem=$(awk -F: '/Maximum resident set size/ { gsub(/ /, "", $2); print $2 }' "$WORK/time-hugo-$n.txt" 2>/dev/null)
        hgmem=${hgmem:-0}
    fi

    row="| $n | $files ($size) | $hfiles | $(pm "$cq" "$cqsd") | $(pm "$hg" "$hgsd")$hugo_note | $(pm "$cpm" "$cpsd") | $(ratio "$cq" "$hg") | $(ratio "$cq" "$cpm") | $(mb "$cqmem") | $(mb "$hgmem") | $(ratio "$cqmem" "$hgmem") |"
    ROWS+=("$row")
    echo "$row" >&2
done

# --- 4. Save-to-page latency in `communique serve` ---------------------------------------
SERVE_ROW=""
if [ "$SERVE_SIZE" != 0 ]; then
    site=$WORK/cq-$SERVE_SIZE
    if [ ! -d "$site" ]; then "$GEN" --pledges "$SERVE_SIZE" --out "$site"; fi
    pledge=$(find "$site/content/statements" -name '*.md' ! -name _index.md | sort | sed -n 1p)
    rel=${pledge#"$site"/content/}
    path="/${rel%.md}/"
    log "serve: save-to-page latency at $SERVE_SIZE pledges ($path)"
    "$BIN" serve --root "$site" --port 0 >"$WORK/serve.log" 2>&1 &
    SERVE_PID=$!
    port=""
    for _ in $(seq 1200); do
        port=$(sed -n 's|^serving .* at http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$WORK/serve.log" | sed -n 1p)
        [ -n "$port" ] && break
        kill -0 "$SERVE_PID" 2>/dev/null || { cat "$WORK/serve.log"; exit 1; }
        sleep 0.1
    done
    [ -n "$port" ] || { echo "serve did not print its address" >&2; cat "$WORK/serve.log"; exit 1; }
    url="http://127.0.0.1:$port$path"
    until curl -sf -o /dev/null "$url"; do sleep 0.05; done
    sleep 1
    lat=()
    for i in $(seq "$SERVE_ITERS"); do
        marker="benchmarker${i}q${RANDOM}"
        t0=$(date +%s%N)
        printf '\nMarker %s.\n' "$marker" >>"$pledge"
        deadline=$((t0 + 60000000000))
        until curl -s "$url" | grep -q "$marker"; do
            if [ "$(date +%s%N)" -gt "$deadline" ]; then echo "marker $marker never appeared" >&2; cat "$WORK/serve.log" >&2; exit 1; fi
        done
        t1=$(date +%s%N)
        lat+=($(( (t1 - t0) / 1000000 )))
        echo "  save $i: ${lat[-1]} ms" >&2
        sleep 1
    done
    kill "$SERVE_PID"; wait "$SERVE_PID" 2>/dev/null || true; SERVE_PID=""
    sorted=$(printf '%s\n' "${lat[@]}" | sort -n)
    median=$(echo "$sorted" | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
    max=$(echo "$sorted" | tail -1)
    SERVE_ROW="| serve save-to-page at $SERVE_SIZE pledges ($SERVE_ITERS saves) | median $median ms, max $max ms (all: $(printf '%s ' "${lat[@]}")) | ≤ 50 ms |"
fi

# --- 5. Shipped site, fresh process -----------------------------------------------------
log "shipped site build"
shipped() {
    hyperfine --style basic -N --warmup 3 --runs 10 --export-csv "$WORK/hf-shipped.csv" \
        -n shipped "$BIN build --root $REPO --output $WORK/out-shipped" >&2
}
if ! shipped; then
    echo "a shipped-site run failed; its error, from one more run:" >&2
    "$BIN" build --root "$REPO" --output "$WORK/out-shipped" >&2 || true
    echo "retrying the measurement once" >&2
    shipped
fi
sh=$(csv_field "$WORK/hf-shipped.csv" shipped 2); shsd=$(csv_field "$WORK/hf-shipped.csv" shipped 3)
shmin=$(csv_field "$WORK/hf-shipped.csv" shipped 7)

# --- 6. Report --------------------------------------------------------------------------
{
    echo
    echo "## Results ($(date -u +%Y-%m-%d), $(nproc) cores, commit $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown))"
    echo
    echo "| pledges | communique files (size) | hugo files | communique build | hugo build | cp -r of our output | communique / hugo | communique / cp | communique peak RSS | hugo peak RSS | RSS communique / hugo |"
    echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    printf '%s\n' "${ROWS[@]}"
    echo
    echo "| measure | result | target |"
    echo "| --- | --- | --- |"
    if [ -n "${CQ_MEAN[50000]:-}" ] && [ -n "${CQ_MEAN[10000]:-}" ]; then
        echo "| build time 50k / 10k | communique $(ratio "${CQ_MEAN[50000]}" "${CQ_MEAN[10000]}")×, hugo $(ratio "${HUGO_MEAN[50000]}" "${HUGO_MEAN[10000]}")× | ≈ 5× (linear) |"
    fi
    [ -n "$SERVE_ROW" ] && echo "$SERVE_ROW"
    echo "| shipped site build (fresh process) | $(pm "$sh" "$shsd") (min $(ms "$shmin") ms) | ≤ 150 ms |"
    echo
    echo "Targets: communique / hugo ≤ 0.3 at 10k and 50k; communique / cp ≤ 4; RSS communique / hugo ≤ 0.5."
} | tee "$WORK/results.md"
if [ "${KEEP:-0}" = 1 ] || [ -n "${BENCH_DIR:-}" ]; then echo "(work folder kept: $WORK)" >&2; fi
