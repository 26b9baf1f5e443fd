# Runs one command and checks its exit code and its output (stdout and stderr together).
#
#   cmake -DEXIT=<code> -DPASS=<regex> [-DFAIL=<regex>] -P expect.cmake -- <program> [<arg>...]
#
# The test passes only when the exit code equals EXIT, the output matches PASS and (when
# given) does not match FAIL. Every "@TMP@" in the arguments becomes a new empty temporary
# folder (mktemp -d, under $TMPDIR), removed afterwards, so tests can write output without
# clashing with each other or with a concurrent run. Normally used through
# socinvest_cli_test() / socinvest_expect_test() in tests/CMakeLists.txt.
if(NOT DEFINED EXIT OR NOT DEFINED PASS)
  message(FATAL_ERROR "expect.cmake: EXIT and PASS must be given")
endif()

set(command "")
set(after_dashes FALSE)
math(EXPR last "${CMAKE_ARGC} - 1")
foreach(i RANGE ${last})
  if(after_dashes)
    list(APPEND command "${CMAKE_ARGV${i}}")
  elseif(CMAKE_ARGV${i} STREQUAL "--")
    set(after_dashes TRUE)
  endif()
endforeach()
if(NOT command)
  message(FATAL_ERROR "expect.cmake: no command after --")
endif()

if(command MATCHES "@TMP@")
  execute_process(COMMAND mktemp -d -t socinvest-test.XXXXXXXX OUTPUT_VARIABLE tmp RESULT_VARIABLE rc
                  OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT rc EQUAL 0 OR NOT IS_DIRECTORY "${tmp}")
    message(FATAL_ERROR "expect.cmake: mktemp -d failed")
  endif()
  string(REPLACE "@TMP@" "${tmp}" command "${command}")
endif()

# One variable for both streams: they are kept in the order they were written.
execute_process(COMMAND ${command} RESULT_VARIABLE rc OUTPUT_VARIABLE output ERROR_VARIABLE output)
if(tmp)
  file(REMOVE_RECURSE "${tmp}")
endif()

list(JOIN command " " shown)
set(problems "")
if(NOT "${rc}" STREQUAL "${EXIT}")
  string(APPEND problems "exit code ${rc}, expected ${EXIT}\n")
endif()
if(NOT output MATCHES "${PASS}")
  string(APPEND problems "the output does not match the expected regex: ${PASS}\n")
endif()
if(DEFINED FAIL AND NOT FAIL STREQUAL "" AND output MATCHES "${FAIL}")
  string(APPEND problems "the output matches the forbidden regex: ${FAIL}\n")
endif()
if(problems)
  message(FATAL_ERROR "${shown}\n${problems}--- output:\n${output}")
endif()
message(STATUS "exit code ${rc}, output as expected")
