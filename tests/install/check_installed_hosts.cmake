# Installs the engine into a fresh prefix, then builds hosts outside the tree against the
# installed files only and grades an example assignment with each:
#   - a C++ host and a C host through find_package(autograder);
#   - a C host compiled with `pkg-config --cflags --libs autograder` and nothing else.
# Usage: cmake -DBUILD_DIR=... -DSOURCE_DIR=... -DWORK_DIR=... -P check_installed_hosts.cmake
function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE result OUTPUT_VARIABLE output ERROR_VARIABLE errors)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "failed (${result}): ${ARGN}\n${output}${errors}")
  endif()
endfunction()

set(prefix ${WORK_DIR}/prefix)
file(REMOVE_RECURSE ${WORK_DIR})
run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix})
foreach(installed include/autograder.h include/autograder/pipeline.hpp lib/libautograder.a
        lib/libautograder_grammars.a lib/libautograder.so.0 lib/cmake/autograder/autograderConfig.cmake
        lib/pkgconfig/autograder.pc bin/autograder)
  if(NOT EXISTS ${prefix}/${installed})
    message(FATAL_ERROR "cmake --install did not write ${installed}")
  endif()
endforeach()

set(examples ${SOURCE_DIR}/examples/embedding)
set(calculator ${SOURCE_DIR}/examples/assignments/python-calculator)
set(host_build ${WORK_DIR}/cmake_host)
run(${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/install/cpp_host -B ${host_build} -G Ninja
    -DCMAKE_PREFIX_PATH=${prefix} -DEXAMPLES=${examples})
run(${CMAKE_COMMAND} --build ${host_build})
# The C host runs against the installed shared library, found through the loader's path.
set(ENV{LD_LIBRARY_PATH} ${prefix}/lib)
foreach(host host_cpp host_c)
  run(${CMAKE_COMMAND} -DEXAMPLE=${host_build}/${host} -DASSIGNMENT=${calculator} -P ${examples}/check_scores.cmake)
endforeach()

set(ENV{PKG_CONFIG_PATH} ${prefix}/lib/pkgconfig)
execute_process(COMMAND pkg-config --cflags --libs autograder OUTPUT_VARIABLE flags RESULT_VARIABLE result
                OUTPUT_STRIP_TRAILING_WHITESPACE)
execute_process(COMMAND pkg-config --variable=includedir autograder OUTPUT_VARIABLE includedir
                OUTPUT_STRIP_TRAILING_WHITESPACE)
file(REAL_PATH "${includedir}" includedir)
if(NOT result EQUAL 0 OR NOT includedir STREQUAL "${prefix}/include" OR NOT flags MATCHES "-lautograder")
  message(FATAL_ERROR "pkg-config --cflags --libs autograder gave '${flags}' (${result}), includedir ${includedir}")
endif()
separate_arguments(flags UNIX_COMMAND "${flags}")
run(cc -std=c99 -Wall -Wextra -Werror ${examples}/c/grade_assignment.c ${flags} -o ${WORK_DIR}/pkg_config_host)
run(${CMAKE_COMMAND} -DEXAMPLE=${WORK_DIR}/pkg_config_host -DASSIGNMENT=${calculator} -P ${examples}/check_scores.cmake)
file(REMOVE_RECURSE ${WORK_DIR})
message(STATUS "installed engine: find_package (C++, C) and pkg-config (C) hosts grade as expected")
