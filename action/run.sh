#!/usr/bin/env bash
# The composite action's entry: `stackgate pr` with the action's inputs (composite actions get
# no INPUT_* variables, so action.yml maps them through env). The exit status is stackgate's:
# 1 when findings reach `fail-on`, 2 on a usage or tool error.
set -euo pipefail

args=(pr "${STACKGATE_PATH:-.}")
[ -n "${STACKGATE_FAIL_ON:-}" ] && args+=(--fail-on "$STACKGATE_FAIL_ON")
[ -n "${STACKGATE_COMMENT_BEHAVIOR:-}" ] && args+=(--comment-behavior "$STACKGATE_COMMENT_BEHAVIOR")
exec "${STACKGATE_BIN:-stackgate}" "${args[@]}"
