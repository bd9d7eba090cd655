#!/usr/bin/env bash
# test.sh — the project's test command: the tests of every module (the SDK,
# bench/, redislimit/, otel/ and examples/asynq/, which have their own
# go.mod). Extra arguments go to `go test`, e.g. ./test.sh -race -count=1.
# The tests of redislimit and examples/asynq start their own redis-server
# and fail without one (apt-get install redis-server; .ci/run does).
# deskwoot's TestOfficialJSClient runs Deskwoot's official JavaScript client
# with node and fails without it (apt-get install nodejs, node >= 18;
# .ci/run does).
set -euo pipefail
cd "$(dirname "$0")"
go test "$@" ./...
(cd bench && go test "$@" ./...)
(cd redislimit && go test "$@" ./...)
(cd otel && go test "$@" ./...)
(cd examples/asynq && go test "$@" ./...)
