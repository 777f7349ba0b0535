#!/usr/bin/env bash
# Build the Evidence site on a machine without internet access (see evidence/README.md).
#
#   evidence/offline/build-offline.sh [published.duckdb] [output directory]
#
# Defaults: $SCORECARD_WAREHOUSE_DIR/published/bsc_published.duckdb (or the repository's warehouse/)
# and evidence/build/. The project's files are copied into a scratch directory whose node_modules is
# a hard-linked copy of evidence/node_modules with patch-universal-sql.mjs applied (the patched files
# get new inodes, so evidence/node_modules itself is never modified), then `npm run sources` and
# `npm run build` run there, each under a time limit so nothing can hang.
set -euo pipefail

project=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
repo=$(dirname "$project")
database=${1:-${SCORECARD_WAREHOUSE_DIR:-$repo/warehouse}/published/bsc_published.duckdb}
output=${2:-$project/build}
step_timeout=${EVIDENCE_OFFLINE_TIMEOUT_SECONDS:-900}

if [ ! -f "$database" ]; then
    echo "No published file at $database: run \`scorecard run\` first, or pass the file." >&2
    exit 2
fi
database=$(realpath "$database")
if [ ! -d "$project/node_modules/@evidence-dev/evidence" ]; then
    (cd "$project" && npm install)
fi

scratch=$(mktemp -d "${TMPDIR:-/tmp}/evidence-offline.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
for item in package.json package-lock.json .npmrc evidence.settings.json evidence.config.yaml \
    sources partials pages; do
    cp -a "$project/$item" "$scratch/"
done
# Hard links are instant and take no space; fall back to a real copy across filesystems.
cp -al "$project/node_modules" "$scratch/node_modules" 2>/dev/null ||
    cp -a "$project/node_modules" "$scratch/node_modules"
node "$project/offline/patch-universal-sql.mjs" "$scratch/node_modules"

# connection.yaml's filename is relative to the source folder, in the scratch copy too.
EVIDENCE_SOURCE__scorecard__filename=$(realpath --relative-to="$scratch/sources/scorecard" "$database")
export EVIDENCE_SOURCE__scorecard__filename
cd "$scratch"
timeout "$step_timeout" npm run sources
timeout "$step_timeout" npm run build

rm -rf "$output"
mkdir -p "$(dirname "$output")"
cp -a "$scratch/build" "$output"
echo "Built the site from $database into $output"
