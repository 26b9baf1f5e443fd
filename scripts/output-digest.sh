#!/usr/bin/env bash
# The digest of every output of every shipped, benchmark and test scenario (see
# output-digest.py for what it covers and what it takes out before hashing).
#
#   bash scripts/output-digest.sh build/release/socinvest > before.txt
exec python3 "$(dirname "$0")/output-digest.py" "$@"
