# socinvest validate tests/invalid/NAME.yaml must exit 3 and print exactly NAME.expected.
execute_process(COMMAND ${EXE} validate tests/invalid/${NAME}.yaml
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
file(READ tests/invalid/${NAME}.expected expected)
if(NOT rc EQUAL 3)
  message(FATAL_ERROR "exit code ${rc}, expected 3 (invalid scenario)\nstderr:\n${err}")
endif()
if(NOT err STREQUAL expected)
  message(FATAL_ERROR "stderr differs from tests/invalid/${NAME}.expected\n--- got:\n${err}\n--- expected:\n${expected}")
endif()
if(NOT out STREQUAL "")
  message(FATAL_ERROR "nothing may go to stdout for an invalid scenario, got:\n${out}")
endif()
