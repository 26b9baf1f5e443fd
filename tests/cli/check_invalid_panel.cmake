# socinvest calibrate tests/invalid-panels/NAME.csv must exit 3, print exactly NAME.expected
# and write nothing (no output folder).
execute_process(COMMAND ${EXE} calibrate tests/invalid-panels/${NAME}.csv --scenario tests/fixtures/calibrate.yaml
                        --out ${WORK}/out
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
file(READ tests/invalid-panels/${NAME}.expected expected)
if(NOT rc EQUAL 3)
  message(FATAL_ERROR "exit code ${rc}, expected 3 (invalid input)\nstderr:\n${err}")
endif()
if(NOT err STREQUAL expected)
  message(FATAL_ERROR "stderr differs from tests/invalid-panels/${NAME}.expected\n--- got:\n${err}\n--- expected:\n${expected}")
endif()
if(NOT out STREQUAL "")
  message(FATAL_ERROR "nothing may go to stdout for an invalid panel, got:\n${out}")
endif()
if(EXISTS ${WORK}/out)
  message(FATAL_ERROR "an invalid panel wrote ${WORK}/out")
endif()
message("invalid panel refused: ok")
