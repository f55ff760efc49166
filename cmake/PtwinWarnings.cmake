# SPDX-License-Identifier: Apache-2.0
add_library(ptwin_warnings INTERFACE)
target_compile_options(ptwin_warnings INTERFACE
  $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra -Wpedantic -Wconversion -Wshadow>
  $<$<BOOL:${PTWIN_WERROR}>:-Werror>)
if(PTWIN_SANITIZE)
  target_compile_options(ptwin_warnings INTERFACE -fsanitize=${PTWIN_SANITIZE} -fno-omit-frame-pointer)
  target_link_options(ptwin_warnings INTERFACE -fsanitize=${PTWIN_SANITIZE})
endif()

# ptwin_add_module(<zone> SOURCES ... PUBLIC_LIBS ... PRIVATE_LIBS ...)
# One library per zone: ptwin_<zone> with alias ptwin::<zone>; includes are from src/.
function(ptwin_add_module zone)
  cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC_LIBS;PRIVATE_LIBS" ${ARGN})
  add_library(ptwin_${zone} ${ARG_SOURCES})
  add_library(ptwin::${zone} ALIAS ptwin_${zone})
  target_compile_features(ptwin_${zone} PUBLIC cxx_std_20)
  target_include_directories(ptwin_${zone} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(ptwin_${zone} PUBLIC ${ARG_PUBLIC_LIBS} PRIVATE ${ARG_PRIVATE_LIBS} ptwin_warnings)
endfunction()
