#!/usr/bin/env bash
# Benchmarks stackgate on a generated monorepo and prints a markdown table.
#
#   examples/bench.sh [INSTANCES] [TF_FILES]
#
# Builds the release binary and the generator, writes a synthetic monorepo into a temporary
# folder (examples/gen_monorepo.rs; 1,000 stack instances and 1,000 .tf files by default),
# then measures, best of RUNS runs, the wall time and peak memory (max RSS) of:
#   - cold start: `stackgate --version`, and `stackgate check` on an empty folder;
#   - `stackgate check` on the monorepo;
#   - then cost (head, head and base), `stackgate pr` on a branch, scorecards and the site.
# Uses hyperfine for the timings when it is installed, a plain loop otherwise; peak memory
# comes from GNU time (/usr/bin/time -v) when it is there.
#
# Then the policy stage alone (`stackgate check --timings`), with the generator's own policies
# and with the packs shipped in `policies/` added.
#
# Environment: INSTANCES, TF_FILES (as the arguments), RUNS (5), SEED (42),
# PROFILE (release; `debug` to measure a debug build), KEEP=1 to keep the generated folder.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
instances=${1:-${INSTANCES:-1000}}
tf_files=${2:-${TF_FILES:-1000}}
runs=${RUNS:-5}
seed=${SEED:-42}
profile=${PROFILE:-release}

case "$profile" in
release) build_flag=(--release) ;;
debug) build_flag=() ;;
*)
    echo "bench.sh: PROFILE must be release or debug, not '$profile'" >&2
    exit 2
    ;;
esac

cd "$root"
echo "building ($profile)..." >&2
cargo build "${build_flag[@]}" --quiet --bin stackgate --example gen_monorepo
bin_dir="${CARGO_TARGET_DIR:-$root/target}/$profile"
stackgate="$bin_dir/stackgate"
gen="$bin_dir/examples/gen_monorepo"

work=$(mktemp -d "${TMPDIR:-/tmp}/stackgate-bench.XXXXXX")
if [ "${KEEP:-0}" = 1 ]; then
    echo "keeping $work" >&2
else
    trap 'rm -rf "$work"' EXIT
fi
repo="$work/monorepo"
empty="$work/empty"
mkdir -p "$empty"

summary=$("$gen" --out "$repo" --instances "$instances" --tf-files "$tf_files" --seed "$seed")
echo "$summary" >&2

have_hyperfine=0
command -v hyperfine >/dev/null 2>&1 && have_hyperfine=1
gnu_time=""
if [ -x /usr/bin/time ] && /usr/bin/time -v true >/dev/null 2>&1; then
    gnu_time=/usr/bin/time
fi

# Microseconds since the epoch (bash 5's EPOCHREALTIME, else GNU date).
now_us() {
    if [ -n "${EPOCHREALTIME:-}" ]; then
        local t=${EPOCHREALTIME/[.,]/}
        echo "$t"
    else
        echo $(($(date +%s%N) / 1000))
    fi
}

# Peak memory in KiB of one run of the command ("" without GNU time).
peak_kib() {
    [ -n "$gnu_time" ] || return 0
    "$gnu_time" -v -o "$work/time.txt" "$@" >/dev/null 2>&1 || true
    awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/time.txt"
}

# Prints "<best wall time in ms> <max RSS in KiB or ->" for a command (a failing exit status
# is expected: stackgate exits 1 when it finds problems).
measure() {
    local best_ms="" rss="" peak
    if [ "$have_hyperfine" = 1 ]; then
        hyperfine --runs "$runs" --warmup 1 --ignore-failure --style none -N \
            --export-json "$work/hyperfine.json" -- "$(printf '%q ' "$@")" >/dev/null 2>&1
        best_ms=$(sed -n 's/^ *"min": *\([0-9.eE+-]*\),*$/\1/p' "$work/hyperfine.json" | head -n 1 |
            awk '{ printf "%.1f", $1 * 1000 }')
    fi
    for _ in $(seq "$runs"); do
        if [ "$have_hyperfine" = 0 ]; then
            local start end
            start=$(now_us)
            "$@" >/dev/null 2>&1 || true
            end=$(now_us)
            best_ms=$(awk -v t="$(((end - start)))" -v b="$best_ms" \
                'BEGIN { ms = t / 1000; if (b == "" || ms < b) printf "%.1f", ms; else print b }')
        fi
        peak=$(peak_kib "$@")
        if [ -n "$peak" ] && { [ -z "$rss" ] || [ "$peak" -gt "$rss" ]; }; then
            rss=$peak
        fi
        # hyperfine already did the timing; one run is enough for the memory.
        [ "$have_hyperfine" = 1 ] && break
    done
    echo "$best_ms ${rss:--}"
}

row() {
    local label=$1 ms kib
    shift
    read -r ms kib < <(measure "$@")
    local mem="n/a"
    [ "$kib" != "-" ] && mem=$(awk -v k="$kib" 'BEGIN { printf "%.1f MiB", k / 1024 }')
    printf '| %s | %s ms | %s |\n' "$label" "$ms" "$mem"
}

files=$(find "$repo" -type f | wc -l | tr -d ' ')
tf_count=$(find "$repo" -name '*.tf' -type f | wc -l | tr -d ' ')
timer="plain loop"
[ "$have_hyperfine" = 1 ] && timer="hyperfine"

echo
echo "stackgate $("$stackgate" --version | awk '{ print $2 }') ($profile), $(nproc 2>/dev/null || echo '?') CPUs, $(uname -sm); best of $runs runs ($timer)"
echo
echo "| command | wall time | max RSS |"
echo "|---|---:|---:|"
row '`stackgate --version`' "$stackgate" --version
row '`stackgate check` (empty folder)' "$stackgate" check "$empty"
row "\`stackgate check\` (monorepo: $instances instances, $tf_count .tf files, $files files)" "$stackgate" check "$repo"

# The policy stage, best of RUNS runs, as `--timings` reports it.
policy_ms() {
    local best="" ms
    for _ in $(seq "$runs"); do
        ms=$("$stackgate" check "$repo" --timings 2>&1 >/dev/null | awk '$1 == "policies" { print $2 }' || true)
        best=$(awk -v t="$ms" -v b="$best" 'BEGIN { if (b == "" || t < b) print t; else print b }')
    done
    echo "$best"
}
# stackgate exits 1 on the planted problems: that is expected here.
resources=$("$stackgate" check "$repo" --timings 2>&1 >/dev/null | sed -n 's/^timings (.*, \([0-9]*\) resources, \([0-9]*\) policies):$/\1 \2/p' || true)
read -r n_resources n_policies <<<"$resources"
echo
echo "| policy evaluation | resources | policies | wall time |"
echo "|---|---:|---:|---:|"
printf '| generated policies | %s | %s | %s ms |\n' "$n_resources" "$n_policies" "$(policy_ms)"
for f in "$root"/policies/*.yaml; do
    cp "$f" "$repo/policies/pack-$(basename "$f")"
done
n_policies=$("$stackgate" check "$repo" --timings 2>&1 >/dev/null | sed -n 's/^timings (.*, \([0-9]*\) policies):$/\1/p' || true)
printf '| generated + shipped packs | %s | %s | %s ms |\n' "$n_resources" "$n_policies" "$(policy_ms)"

# Cost: the monorepo as a git repository; the working tree changes the instance sizes of one
# instance in fifty (the head), HEAD is the base. `stackgate cost` prices the head alone;
# `--base HEAD` also reads the base from git objects, evaluates and prices it concurrently.
rm -f "$repo"/policies/pack-*.yaml
git -C "$repo" init -q -b main
git -C "$repo" -c user.email=bench@example.com -c user.name=bench add -A
git -C "$repo" -c user.email=bench@example.com -c user.name=bench commit -q -m base
changed=0
n=0
while IFS= read -r f; do
    n=$((n + 1))
    [ $((n % 50)) = 0 ] || continue
    if grep -q 'large' "$f"; then
        sed -i 's/\.large/.xlarge/' "$f"
        changed=$((changed + 1))
    fi
done < <(find "$repo" -name '*.stack.yaml' -type f | sort)
echo
echo "| cost | wall time | max RSS |"
echo "|---|---:|---:|"
row "\`stackgate cost\` (head only)" "$stackgate" cost "$repo" --format json
row "\`stackgate cost --base HEAD\` (head and base; $changed instance files changed)" "$stackgate" cost "$repo" --base HEAD --format json
row "\`stackgate cost --base HEAD --format table\`" "$stackgate" cost "$repo" --base HEAD --format table
# The top-level totals.
"$stackgate" cost "$repo" --base HEAD --format json |
    python3 -c 'import json, sys; r = json.load(sys.stdin); [print(k, r[k]) for k in ("pastTotalMonthlyCost", "totalMonthlyCost", "diffTotalMonthlyCost")]' >&2 || true

# The pull request job: the same change committed on a branch and `stackgate pr` run as the
# action runs it, in a simulated runner without a token (no comments; the report goes to the
# job summary): check, cost of head and base, scorecards, both comment bodies.
git -C "$repo" checkout -q -b feature
git -C "$repo" -c user.email=bench@example.com -c user.name=bench commit -q -am change
printf '{"number":1,"pull_request":{"number":1,"head":{"sha":"%s","ref":"feature","repo":{"full_name":"bench/mono"}},"base":{"sha":"%s","ref":"main","repo":{"full_name":"bench/mono"}}}}\n' \
    "$(git -C "$repo" rev-parse HEAD)" "$(git -C "$repo" rev-parse main)" >"$work/event.json"
(
    export GITHUB_EVENT_NAME=pull_request GITHUB_EVENT_PATH="$work/event.json"
    export GITHUB_REPOSITORY=bench/mono GITHUB_STEP_SUMMARY=/dev/null GITHUB_OUTPUT=/dev/null
    unset GITHUB_TOKEN
    echo
    echo "| pull request | wall time | max RSS |"
    echo "|---|---:|---:|"
    row "\`stackgate pr\` ($changed instance files changed)" "$stackgate" pr "$repo"
)

# Catalog: scorecards and the site, on the monorepo, then on a catalog of about 10,000
# entities alone (`--components 8000`, no instances, no Terraform).
catalog="$work/catalog"
"$gen" --out "$catalog" --instances 0 --tf-files 0 --components 8000 --seed "$seed" >&2
echo
echo "| catalog | wall time | max RSS |"
echo "|---|---:|---:|"
row "\`stackgate score\` (monorepo)" "$stackgate" score "$repo"
row "\`stackgate site\` (monorepo)" "$stackgate" site "$repo" --out "$work/site-monorepo"
row "\`stackgate site\` (catalog of 10,025 entities)" "$stackgate" site "$catalog" --out "$work/site-catalog"
for s in site-monorepo site-catalog; do
    printf '%s: %s pages, search index %s bytes\n' "$s" \
        "$(find "$work/$s" -name '*.html' | wc -l | tr -d ' ')" \
        "$(wc -c <"$work/$s/search-index.js" | tr -d ' ')" >&2
done
