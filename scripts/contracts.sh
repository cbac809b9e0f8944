#!/usr/bin/env bash
# Installs the platforms' published API descriptions into target/contracts, where the provider
# contract tests read them: from npm, GitHub's OpenAPI description and GraphQL schema, the
# Atlassian Document Format's JSON Schema, HubSpot's OpenAPI description rebuilt from the
# generated code of its API client, and Salesforce's: the requests jsforce (the client the
# reference integration uses) sends for each tool's operation, and its machine-readable API
# schemas (from the Partner WSDL), for the response fixtures; from PyPI, Google Calendar's
# discovery document.
set -euo pipefail
cd "$(dirname "$0")/.."

contracts=target/contracts
if [ ! -d "$contracts/node_modules/@hubspot/api-client" ] || ! cmp -s tests/contracts/package.json "$contracts/package.json"; then
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

# The wheel holds some 600 discovery documents (114 MB unpacked): only Calendar's is extracted,
# and the wheel is not kept.
google=$contracts/google
if [ ! -f "$google/calendar.v3.json" ] || ! cmp -s tests/contracts/requirements.txt "$google/requirements.txt"; then
    mkdir -p "$google"
    wheels=$(mktemp -d)
    trap 'rm -rf "$wheels"' EXIT
    python3 -m pip download --quiet --no-deps --only-binary=:all: -r tests/contracts/requirements.txt -d "$wheels"
    python3 - "$wheels" "$google/calendar.v3.json" <<'PY'
import glob, sys, zipfile
[wheel] = glob.glob(sys.argv[1] + "/google_api_python_client-*.whl")
with zipfile.ZipFile(wheel) as archive:
    document = archive.read("googleapiclient/discovery_cache/documents/calendar.v3.json")
with open(sys.argv[2], "wb") as out:
    out.write(document)
PY
    cp tests/contracts/requirements.txt "$google/requirements.txt"
fi

hubspot=$contracts/hubspot/openapi.json
if [ ! -s "$hubspot" ] || [ tests/contracts/hubspot_openapi.js -nt "$hubspot" ] || [ "$contracts/package.json" -nt "$hubspot" ]; then
    mkdir -p "$contracts/hubspot"
    "$node" tests/contracts/hubspot_openapi.js "$contracts/node_modules" > "$hubspot.tmp"
    mv "$hubspot.tmp" "$hubspot"
fi
