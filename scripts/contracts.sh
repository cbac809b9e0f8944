#!/usr/bin/env bash
# Installs the platforms' published API descriptions (npm) into target/contracts, where the
# provider contract tests read them: GitHub's OpenAPI description and GraphQL schema, the
# Atlassian Document Format's JSON Schema, and Salesforce's: the requests jsforce (the client
# the reference integration uses) sends for each tool's operation, and its machine-readable
# API schemas (from the Partner WSDL), for the response fixtures.
set -euo pipefail
cd "$(dirname "$0")/.."

contracts=target/contracts
if [ ! -d "$contracts/node_modules/@octokit/openapi" ] || ! cmp -s tests/contracts/package.json "$contracts/package.json"; then
    mkdir -p "$contracts"
    cp tests/contracts/package.json "$contracts/package.json"
    (cd "$contracts" && npm install --no-audit --no-fund --loglevel=error)
fi

# jsforce 3 needs Node 22, which the `node` package above provides.
node="$contracts/node_modules/.bin/node"
salesforce="$contracts/salesforce"
if [ ! -s "$salesforce/golden.json" ] || [ tests/contracts/jsforce_golden.js -nt "$salesforce/golden.json" ] \
    || [ "$contracts/package.json" -nt "$salesforce/golden.json" ]; then
    mkdir -p "$salesforce"
    NODE_PATH="$contracts/node_modules" "$node" tests/contracts/jsforce_golden.js > "$salesforce/golden.json.new"
    mv "$salesforce/golden.json.new" "$salesforce/golden.json"
    NODE_PATH="$contracts/node_modules" "$node" -e \
        'process.stdout.write(JSON.stringify(require("jsforce/lib/api/soap/schema.js").ApiSchemas))' \
        > "$salesforce/api_schemas.json"
fi
