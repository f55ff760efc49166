# SPDX-License-Identifier: Apache-2.0
find_package(benchmark REQUIRED)

# ptwin_add_bench(<name> SOURCES ... LIBS ...)
# One Google Benchmark binary per zone (STYLE.md §11): baseline and candidate registered in the
# same binary so that every reported figure is a ratio measured in one run.
function(ptwin_add_bench name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} benchmark::benchmark
                                        benchmark::benchmark_main ptwin_warnings)
  # Recorded in the benchmark context: figures from a Debug build are not comparable.
  target_compile_definitions(${name} PRIVATE PTWIN_BUILD_TYPE="${CMAKE_BUILD_TYPE}")
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/bench)
endfunction()
