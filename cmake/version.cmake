# Writes the engine's identity into OUT (version.cpp) at every build, not only at configure
# time: the commit, whether engine sources differ from it (with a hash of the difference),
# and the build's flags. Result manifests and the batch cache key record it, so results of
# a rebuilt engine are never mistaken for those of the old one. Rewrites OUT only when its
# content changes, so an unchanged tree recompiles nothing.
# Only the source tree's own repository names it: a tree unpacked inside another clone
# (`git archive` into a build folder, a release tarball under someone's checkout) would
# otherwise be labelled with that clone's commit.
execute_process(COMMAND git rev-parse --show-toplevel WORKING_DIRECTORY ${SOURCE_DIR}
                OUTPUT_VARIABLE toplevel OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
execute_process(COMMAND git rev-parse --short=12 HEAD WORKING_DIRECTORY ${SOURCE_DIR}
                OUTPUT_VARIABLE commit OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE rc)
if(toplevel)
  file(REAL_PATH "${toplevel}" toplevel)
endif()
file(REAL_PATH "${SOURCE_DIR}" source_real)
if(NOT rc EQUAL 0 OR NOT commit OR NOT toplevel STREQUAL source_real)
  set(commit "unknown")
else()
  execute_process(COMMAND git status --porcelain -- engine include CMakeLists.txt cmake
                  WORKING_DIRECTORY ${SOURCE_DIR} OUTPUT_VARIABLE status ERROR_QUIET)
  if(status)
    execute_process(COMMAND git diff HEAD -- engine include CMakeLists.txt cmake
                    WORKING_DIRECTORY ${SOURCE_DIR} OUTPUT_VARIABLE diff ERROR_QUIET)
    string(SHA256 dirt "${status}${diff}")
    string(SUBSTRING "${dirt}" 0 8 dirt)
    set(commit "${commit}-dirty-${dirt}")
  endif()
endif()
string(SHA256 build_hash "${BUILD_FLAGS}")
string(SUBSTRING "${build_hash}" 0 12 build_hash)
set(content "#include <socinvest/version.hpp>
namespace socinvest {
const char* engine_version() { return \"${VERSION}\"; }
const char* engine_commit() { return \"${commit}\"; }
const char* engine_build() { return \"${build_hash}\"; }
} // namespace socinvest
")
if(EXISTS "${OUT}")
  file(READ "${OUT}" old)
endif()
if(NOT "${old}" STREQUAL "${content}")
  file(WRITE "${OUT}" "${content}")
endif()
