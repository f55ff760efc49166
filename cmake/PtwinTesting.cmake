# SPDX-License-Identifier: Apache-2.0
find_package(GTest REQUIRED)
include(GoogleTest)

# ptwin_add_test(<name> LABEL unit|verification|integration|e2e SOURCES ... LIBS ...)
function(ptwin_add_test name)
  cmake_parse_arguments(ARG "" "LABEL;TIMEOUT" "SOURCES;LIBS" ${ARGN})
  if(NOT ARG_LABEL MATCHES "^(unit|verification|integration|e2e)$")
    message(FATAL_ERROR "ptwin_add_test(${name}): LABEL must be unit, verification, integration or e2e")
  endif()
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/tests)
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gtest GTest::gtest_main ptwin_warnings)
  target_compile_definitions(${name} PRIVATE PTWIN_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
                                             PTWIN_BINARY_DIR="${PROJECT_BINARY_DIR}"
                                             PTWIN_FHIR_PACKAGE_DIR="${PTWIN_FHIR_PACKAGE_DIR}")
  gtest_discover_tests(${name} PROPERTIES LABELS ${ARG_LABEL} TIMEOUT ${ARG_TIMEOUT}
                       DISCOVERY_TIMEOUT 60)
endfunction()
