#!/usr/bin/env bash
# Installs the platforms' published API descriptions (npm) into target/contracts, where the
# provider contract tests read them: GitHub's OpenAPI description and GraphQL schema, and the
# Atlassian Document Format's JSON Schema.
set -euo pipefail
cd "$(dirname "$0")/.."

contracts=target/contracts
if [ ! -d "$contracts/node_modules/@octokit/openapi" ] || ! cmp -s tests/contracts/package.json "$contracts/package.json"; then
    mkdir -p "$contracts"
    cp tests/contracts/package.json "$contracts/package.json"
    (cd "$contracts" && npm install --no-audit --no-fund --loglevel=error)
fi
