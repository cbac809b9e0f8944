#!/usr/bin/env bash
# Installs the platforms' published API descriptions (npm) into target/contracts, where the
# provider contract tests read them: GitHub's OpenAPI description and GraphQL schema, the
# Atlassian Document Format's JSON Schema, and HubSpot's OpenAPI description rebuilt from the
# generated code of its API client.
set -euo pipefail
cd "$(dirname "$0")/.."

contracts=target/contracts
if [ ! -d "$contracts/node_modules/@hubspot/api-client" ] || ! cmp -s tests/contracts/package.json "$contracts/package.json"; then
    mkdir -p "$contracts"
    cp tests/contracts/package.json "$contracts/package.json"
    (cd "$contracts" && npm install --no-audit --no-fund --loglevel=error)
fi
hubspot=$contracts/hubspot/openapi.json
if [ ! -s "$hubspot" ] || [ tests/contracts/hubspot_openapi.js -nt "$hubspot" ] || [ "$contracts/package.json" -nt "$hubspot" ]; then
    mkdir -p "$contracts/hubspot"
    node tests/contracts/hubspot_openapi.js "$contracts/node_modules" > "$hubspot.tmp"
    mv "$hubspot.tmp" "$hubspot"
fi
