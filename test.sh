#!/usr/bin/env bash
# test.sh — the project's test command: the tests of every module (the SDK
# and bench/, which has its own go.mod). Extra arguments go to `go test`,
# e.g. ./test.sh -race -count=1
set -euo pipefail
cd "$(dirname "$0")"
go test "$@" ./...
(cd bench && go test "$@" ./...)
