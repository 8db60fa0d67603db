#!/usr/bin/env bash
# Import benchmark: rescreen's import of PERSONS persons (with their
# families) from CSV, against sqlite3's .import of the same files into bare
# tables, in the same run. Prints both times, the ratio and rescreen's peak
# memory. Needs sqlite3 and GNU time (apt-get install sqlite3 time).
#
#   scripts/bench-import.sh [PERSONS]      (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
persons=${1:-1000000}
work=$(mktemp -d /tmp/rescreen-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT

go build -o "$work/rescreen" ./cmd/rescreen
# The synthetic class has about 2.1 persons per family; generate enough
# families, then keep exactly $persons persons and their families.
families=$(( persons * 10 / 21 + 1000 ))
"$work/rescreen" synth --families "$families" --format csv --out "$work/class"
mkdir "$work/in"
head -n $(( persons + 1 )) "$work/class/persons.csv" > "$work/in/persons.csv"
cp "$work/class/families.csv" "$work/in/families.csv"
rm -rf "$work/class"
n=$(( $(wc -l < "$work/in/persons.csv") - 1 ))
f=$(( $(wc -l < "$work/in/families.csv") - 1 ))
echo "input: $n persons, $f families, $(du -sh "$work/in" | cut -f1)"

start=$(date +%s.%N)
sqlite3 "$work/bare.db" -cmd "PRAGMA journal_mode=WAL" \
  ".import --csv $work/in/families.csv families" \
  ".import --csv $work/in/persons.csv persons" >/dev/null
bare=$(echo "$(date +%s.%N) - $start" | bc)

start=$(date +%s.%N)
/usr/bin/time -v -o "$work/time.txt" "$work/rescreen" import --progress none --db "$work/rescreen.db" "$work/in"
ours=$(echo "$(date +%s.%N) - $start" | bc)
rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$work/time.txt")

printf 'sqlite3 .import (bare tables): %.2f s\n' "$bare"
printf 'rescreen import:               %.2f s (peak RSS %s MiB)\n' "$ours" "$rss"
printf 'ratio:                         %.2f\n' "$(echo "$ours / $bare" | bc -l)"
"$work/rescreen" audit verify --db "$work/rescreen.db"
