# Shared by the case-based CLI test scripts (hostile.sh, options.sh), sourced after they set
# $case_name. One copy, so both report failures the same way.

fail() { echo "$case_name: FAILED: $*"; exit 1; }
# expect CODE REGEX CMD...: runs CMD, checks its exit code and that its output matches REGEX.
expect() {
  local code="$1" regex="$2"
  shift 2
  local out rc
  out=$("$@" 2>&1)
  rc=$?
  [ "$rc" -eq "$code" ] || fail "'$*' exited $rc, expected $code: $out"
  [ -z "$regex" ] || printf "%s" "$out" | grep -Eq -- "$regex" || fail "'$*' did not print /$regex/: $out"
}
