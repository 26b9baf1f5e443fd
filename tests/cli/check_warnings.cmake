# socinvest validate tests/warnings/NAME.yaml must exit 0 (a warning never refuses a
# scenario), print exactly NAME.expected on stderr and its "ok" line on stdout.
execute_process(COMMAND ${EXE} validate tests/warnings/${NAME}.yaml
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
file(READ tests/warnings/${NAME}.expected expected)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "exit code ${rc}, expected 0 (warnings do not fail a scenario)\nstderr:\n${err}")
endif()
if(NOT err STREQUAL expected)
  message(FATAL_ERROR "stderr differs from tests/warnings/${NAME}.expected\n--- got:\n${err}\n--- expected:\n${expected}")
endif()
if(NOT out MATCHES "^tests/warnings/${NAME}\\.yaml: ok: ")
  message(FATAL_ERROR "stdout must be the 'ok' line, got:\n${out}")
endif()
