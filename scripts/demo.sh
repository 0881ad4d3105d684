#!/usr/bin/env bash
# `make demo`: a first look at strait from the command line.
# Shows the bundled CSIS base case, checks that every number is cited, prints Japan's
# role ladder, plays the base case and the Japan-neutral excursion side by side, then
# stores a study of every combination of Japan's and Australia's answers and writes its
# offline report. Run from the repository root
# after `make` has built .venv (the Makefile does this for you).
set -euo pipefail
cd "$(dirname "$0")/.."

STRAIT=".venv/bin/strait"
if [ ! -x "$STRAIT" ]; then
  echo "error: $STRAIT not found; run 'make demo' from the repository root" >&2
  exit 1
fi

if [ -t 1 ]; then B=$'\033[1m'; N=$'\033[0m'; else B=""; N=""; fi
section() { printf '\n%s== %s ==%s\n\n' "$B" "$*" "$N"; }
DATA="src/strait/scenario/data/scenarios"

section "Bundled scenarios"
"$STRAIT" scenario list

section "Validate (--strict: every number has a source or an assumption)"
"$STRAIT" scenario validate --strict "$DATA/csis-base.yaml" "$DATA/ft-2025-ambiguity.yaml"

section "Scenario csis-base"
"$STRAIT" scenario show csis-base
printf '\nprovenance: '
"$STRAIT" scenario sources csis-base | tail -1

section "Japan's role ladder (csis-base)"
"$STRAIT" roles JPN

section "Campaigns: CSIS base case vs Japan neutral (same seed, common random numbers)"
"$STRAIT" compare csis-base csis-japan-neutral -n "${DEMO_N:-20000}" --seed 1

section "Study: every combination of Japan's and Australia's answers (ft-2025-ambiguity)"
DB="${DEMO_DB:-demo-studies.duckdb}"
rm -f "$DB"
"$STRAIT" sweep ft-2025-ambiguity --allies jpn,aus -n "${DEMO_SWEEP_N:-5000}" --seed 1 \
  --db "$DB" --name japan-x-australia

section "What knowing each ally's answer is worth (value of information, ft-2025-ambiguity)"
"$STRAIT" voi ft-2025-ambiguity \
  -n "${DEMO_VOI_N:-10000}" --seed 1 -q --study 1 --db "$DB"

section "What drives P(PRC victory) (global sensitivity, delta method, ft-2025-ambiguity)"
"$STRAIT" sensitivity ft-2025-ambiguity --method delta -n "${DEMO_GSA_N:-10000}" --seed 1 \
  --top 8 --study 1 --db "$DB"

section "Where the defence fails (scenario discovery with PRIM, ft-2025-ambiguity)"
"$STRAIT" sweep ft-2025-ambiguity --allies jpn,aus --levels 0,3,6 -n "${DEMO_PRIM_N:-400}" \
  --seed 1 --lanes --inputs --db "$DB" --name prim-lanes -q
"$STRAIT" discover 2 --db "$DB"

section "Report: the study with its value of information and sensitivity"
"$STRAIT" report 1 --db "$DB" --out "${DEMO_REPORT:-demo-report}"
printf '\nopen %s/report.html in any browser (it works offline)\n' "${DEMO_REPORT:-demo-report}"

section "Next"
cat <<'TXT'
  .venv/bin/strait run csis-base -n 100000         one scenario, full summary
  .venv/bin/strait run csis-base --set jpn.role=NEUTRAL   what-if on any field
  .venv/bin/strait scenario sources csis-base      every number with its source
  .venv/bin/strait roles                           all four allies' ladders
  .venv/bin/strait validate roles csis-base        what every rung of every ladder changes
  .venv/bin/strait compare csis-base csis-base@jpn.role=NEUTRAL   a what-if, paired
  .venv/bin/strait sensitivity ft-2025-ambiguity --method sobol   what drives the outcome
  .venv/bin/strait report 2 --db demo-studies.duckdb --out prim-report   the PRIM box
  make serve                                       the dashboard: what-ifs in a browser
  .venv/bin/strait serve --db demo-studies.duckdb  ... with these studies
  docs/tutorial/first-scenario.md                  write your first overlay
TXT
