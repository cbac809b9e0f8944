#!/usr/bin/env bash
# Mutation testing (cargo-mutants) of the code that decides who may do what and what a caller
# is told. Slow (an hour or more on two cores), so not part of CI: run it when touching these
# files and report its counts in the issue's closing note.
#
#   scripts/mutants.sh [GROUP...]     groups: gate, host, rounds, direct, sessions, subscriptions, kit,
#                                   serve, auth, store, flags, servers, console (all by default)
#   MUTANTS_ARGS=--iterate scripts/mutants.sh host    more cargo-mutants arguments (here: test
#                                                     only the mutants not caught last time)
#
# Each group mutates its files and runs only the tests that exercise them. Results land in
# target/mutants/GROUP/mutants.out/{caught,missed,timeout,unviable}.txt; the script fails when a
# mutant is missed or hangs the tests. Truly equivalent mutants are listed, each with its reason,
# in .cargo/mutants.toml.
set -euo pipefail
cd "$(dirname "$0")/.."

MUTANTS_VERSION=27.1.0
if ! cargo mutants --version 2>/dev/null | grep -q "$MUTANTS_VERSION"; then
  cargo install cargo-mutants --locked --version "$MUTANTS_VERSION"
fi

# GROUP → "packages|test targets|files", space-separated lists (`lib`: the library's unit tests,
# `bin`: the binary's).
declare -A GROUPS_OF=(
  [gate]="tests|approval approval_scope approval_pages call_path parts argument_parsing logging \
request_state tool_filter|\
mcp-runtime/src/host/approval/gate.rs mcp-runtime/src/host/approval/scope.rs \
mcp-runtime/src/host/approval/store.rs mcp-runtime/src/host/approval/pages.rs \
mcp-runtime/src/call.rs"
  [host]="tests mcp-runtime|lib protect running http_protocol stdio_protocol request_state \
connect_links session_approval session_calls approval_pages early_answers|\
mcp-runtime/src/host/serve/protect.rs mcp-runtime/src/host/serve/ask.rs \
mcp-runtime/src/host/serve/unread.rs \
mcp-runtime/src/host/serve/connect.rs \
mcp-runtime/src/host/running.rs \
mcp-runtime/src/host/serve/protocol.rs mcp-runtime/src/host/serve/sessions.rs \
mcp-runtime/src/host/serve/stdio.rs"
  [rounds]="tests|request_state input_rounds session_approval connect_links offers tasks|\
mcp-runtime/src/host/serve/state.rs mcp-runtime/src/host/serve/input.rs \
mcp-runtime/src/host/serve/handler/rounds.rs mcp-runtime/src/host/serve/handler/offers.rs \
mcp-runtime/src/host/serve/tasks.rs"
  [direct]="tests mcp-runtime|lib direct_path stdio_calls stdio_protocol http_protocol \
session_calls|\
mcp-runtime/src/host/serve/direct.rs mcp-runtime/src/host/serve/line_calls.rs \
mcp-runtime/src/host/serve/handler/listing.rs mcp-runtime/src/host/serve/line_writer.rs"
  [sessions]="tests mcp-runtime|lib session_calls session_approval http_protocol stdio_calls \
logging|\
mcp-runtime/src/host/serve/session_calls.rs mcp-runtime/src/host/serve/call_request.rs \
mcp-runtime/src/host/serve/sessions.rs mcp-runtime/src/host/serve/notify.rs"
  [subscriptions]="tests mcp-runtime|lib subscriptions|mcp-runtime/src/changes.rs \
mcp-runtime/src/host/serve/subscriptions.rs"
  [serve]="providers tests|limits http_shutdown visibility|mcp-runtime/src/host/serve/connections.rs \
mcp-runtime/src/host/serve/http.rs mcp-runtime/src/host/serve/stdio.rs"
  [kit]="providers|lib github jira hubspot salesforce google_calendar segments connect|\
providers/src/kit/mod.rs providers/src/kit/failure.rs providers/src/kit/retry.rs \
providers/src/kit/credential.rs"
  [auth]="providers|bin auth config connect_flow|providers/src/auth/mod.rs \
providers/src/auth/jwt.rs providers/src/auth/introspection.rs providers/src/config/auth.rs \
providers/src/connect_flow/mod.rs"
  [store]="providers|bin replicas connect_flow|providers/src/store/mod.rs providers/src/store/cipher.rs \
providers/src/store/sqlite.rs providers/src/store/postgres.rs providers/src/store/audit.rs"
  [flags]="tests|visibility instances|mcp-runtime/src/host/visibility.rs \
mcp-runtime/src/host/instance.rs"
  [servers]="providers|bin server_flags config cli|providers/src/config/servers.rs"
  [console]="providers|bin|providers/src/console/session.rs providers/src/console/sign_in.rs \
providers/src/console/calls.rs providers/src/console/approvals.rs \
providers/src/console/connections.rs providers/src/console/audit.rs \
providers/src/console/servers.rs providers/src/console/mod.rs providers/src/store/pages.rs \
providers/src/store/audit_log.rs providers/src/store/connections.rs"
)

# `serve_stdio` reads the process's own stdin: only the binary's tests can tell its mutants.
declare -A EXCLUDE_OF=([host]='serve_stdio')
declare -A EXAMINE_OF=([serve]='connections\.rs|http\.rs|serve_stdio')

groups=("$@")
[ ${#groups[@]} -gt 0 ] || groups=(gate host rounds direct sessions subscriptions kit serve auth store flags servers console)

status=0
for group in "${groups[@]}"; do
  spec=${GROUPS_OF[$group]:?"unknown group $group (gate, host, rounds, direct, sessions, subscriptions, kit, serve, auth, store, flags, servers, console)"}
  IFS='|' read -r packages targets files <<<"$spec"
  package_args=()
  test_package_args=()
  for package in $packages; do
    package_args+=(-p "$package")
    test_package_args+=(--test-package "$package")
  done
  target_args=()
  for target in $targets; do
    case $target in
      lib) target_args+=(--lib) ;;
      bin) target_args+=(--bin mcp-providers) ;;
      *) target_args+=(--test "$target") ;;
    esac
  done
  file_args=()
  for file in $files; do file_args+=(--file "$file"); done
  [ -z "${EXCLUDE_OF[$group]:-}" ] || file_args+=(--exclude-re "${EXCLUDE_OF[$group]}")
  [ -z "${EXAMINE_OF[$group]:-}" ] || file_args+=(--re "${EXAMINE_OF[$group]}")

  # The baseline: cargo-mutants runs its own on the mutated package rather than on
  # `--test-package`, so it is skipped there and run here.
  echo "== $group: baseline"
  cargo nextest run "${package_args[@]}" "${target_args[@]}" --no-fail-fast

  echo "== $group: mutants"
  output="target/mutants/$group"
  mkdir -p "$output"
  # As cargo arguments, the test targets limit what each mutant builds too, not only what runs.
  cargo_args=()
  for arg in "${target_args[@]}"; do cargo_args+=("--cargo-arg=$arg"); done
  # shellcheck disable=SC2086 # MUTANTS_ARGS is a list of arguments.
  if ! cargo mutants --baseline skip --timeout 120 --build-timeout 900 ${MUTANTS_ARGS:-} \
    "${test_package_args[@]}" "${cargo_args[@]}" "${file_args[@]}" --output "$output"; then
    status=1
  fi
  for outcome in caught missed timeout unviable; do
    printf '%s %s: %s\n' "$group" "$outcome" "$(wc -l <"$output/mutants.out/$outcome.txt")"
  done
done
exit $status
