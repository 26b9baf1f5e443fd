# socinvest run: writes the documented files; refuses to overwrite without --force; keeps the
# old results when a run fails; --force replaces them once the new ones are complete.
# WORK: an empty folder of its own (@TMP@ of expect.cmake).
if(NOT IS_DIRECTORY "${WORK}")
  message(FATAL_ERROR "WORK must be an existing (empty) folder")
endif()
set(out ${WORK}/tutorial)
execute_process(COMMAND ${EXE} run scenarios/tutorial.yaml --iterations 12 --out ${out} --trace 2
                RESULT_VARIABLE rc OUTPUT_VARIABLE stdout ERROR_VARIABLE stderr)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "run failed (${rc}):\n${stderr}")
endif()
foreach(f money.csv money_project_years.csv outcomes.csv outcomes_project_years.csv targets.csv contracts.csv flows.csv per_iteration.csv summary.json trace.csv)
  if(NOT EXISTS ${out}/${f})
    message(FATAL_ERROR "missing ${f}")
  endif()
endforeach()
foreach(needle "Net present value, total" "Chance of breaking even" "90 % interval" "invested" "harvested")
  string(FIND "${stdout}" "${needle}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "the terminal summary lacks '${needle}':\n${stdout}")
  endif()
endforeach()
file(READ ${out}/money.csv money)
string(FIND "${money}" "variant,account,account_kind,year,months,measure,statistic,value\n" at)
if(NOT at EQUAL 0)
  message(FATAL_ERROR "money.csv header is wrong")
endif()
file(STRINGS ${out}/trace.csv trace LIMIT_COUNT 2)
list(GET trace 0 header)
if(NOT header MATCHES "^variant,household,person,month,age,role,employment,employment_months")
  message(FATAL_ERROR "trace.csv header is wrong: ${header}")
endif()

# Without --force an existing folder is refused (exit 4) and left alone.
file(WRITE ${out}/keep.txt "earlier results")
execute_process(COMMAND ${EXE} run scenarios/tutorial.yaml --iterations 2 --out ${out} --quiet
                RESULT_VARIABLE rc ERROR_VARIABLE stderr)
if(NOT rc EQUAL 4 OR NOT stderr MATCHES "already exists.*--force")
  message(FATAL_ERROR "expected exit 4 and a --force hint, got ${rc}: ${stderr}")
endif()
if(NOT EXISTS ${out}/keep.txt)
  message(FATAL_ERROR "the earlier results were touched")
endif()

# An invalid scenario with --force does not destroy earlier results either.
execute_process(COMMAND ${EXE} run tests/invalid/probability-above-1.yaml --out ${out} --force --quiet
                RESULT_VARIABLE rc ERROR_VARIABLE stderr)
if(NOT rc EQUAL 3 OR NOT EXISTS ${out}/keep.txt)
  message(FATAL_ERROR "an invalid run must exit 3 and keep the old folder (rc ${rc})")
endif()

# With --force the folder is replaced by a complete new one.
execute_process(COMMAND ${EXE} run scenarios/tutorial.yaml --iterations 2 --out ${out} --force --quiet
                RESULT_VARIABLE rc ERROR_VARIABLE stderr)
if(NOT rc EQUAL 0 OR EXISTS ${out}/keep.txt OR NOT EXISTS ${out}/summary.json)
  message(FATAL_ERROR "--force did not replace the folder (rc ${rc}): ${stderr}")
endif()
file(GLOB leftovers ${WORK}/.tutorial*)
if(leftovers)
  message(FATAL_ERROR "staging folders left behind: ${leftovers}")
endif()

# Usage errors exit 2.
execute_process(COMMAND ${EXE} run scenarios/tutorial.yaml --iterations zero RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
if(NOT rc EQUAL 2)
  message(FATAL_ERROR "a bad option must exit 2, got ${rc}")
endif()
execute_process(COMMAND ${EXE} run scenarios/tutorial.yaml --variant nope --out ${WORK}/x RESULT_VARIABLE rc ERROR_VARIABLE stderr)
if(NOT rc EQUAL 2 OR NOT stderr MATCHES "no variant 'nope'.*family_team")
  message(FATAL_ERROR "an unknown variant must exit 2 and list the variants, got ${rc}: ${stderr}")
endif()
message(STATUS "run and outputs: ok")
