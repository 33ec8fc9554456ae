#!/usr/bin/env bash
# A long fuzzing run of the property-based tests (tests/test_properties.py): thousands of mutated
# and generated governance files instead of the 60 examples per property that CI runs.
#
#   bench/fuzz.sh                 # 3000 examples per property (profile "long")
#   bench/fuzz.sh -k byte_edits   # one property; any other pytest arguments pass through
#
# A failure prints the falsifying example (and hypothesis stores it in .hypothesis/ so the next
# run, CI included, replays it first). Fix the code, not the test.
set -euo pipefail
cd "$(dirname "$0")/.."
export POLICYLINT_HYPOTHESIS_PROFILE="${POLICYLINT_HYPOTHESIS_PROFILE:-long}"
exec python3 -m pytest -q -p no:randomly tests/test_properties.py tests/test_hostile.py "$@"
