# `cmake --install build/release --prefix PREFIX`: the public headers, the static library (the C++
# API) with the grammars it needs, the shared library (the C ABI, SONAME libautograder.so.0), the
# HTTP(S) module both load on their first POST (libautograder-http.so), the C
# header, the CLI, and the files a host's build finds them by: a CMake package
# (find_package(autograder) -> autograder::autograder, autograder::c) and autograder.pc.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

install(TARGETS autograder_static autograder_grammars ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(TARGETS autograder autograder_http LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(TARGETS autograder_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/autograder DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES ${PROJECT_SOURCE_DIR}/bindings/c/autograder.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

set(AUTOGRADER_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/autograder)
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/autograderConfig.cmake.in
  ${PROJECT_BINARY_DIR}/autograderConfig.cmake INSTALL_DESTINATION ${AUTOGRADER_CMAKE_DIR}
  PATH_VARS CMAKE_INSTALL_INCLUDEDIR CMAKE_INSTALL_LIBDIR)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/autograderConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/autograderConfig.cmake ${PROJECT_BINARY_DIR}/autograderConfigVersion.cmake
  DESTINATION ${AUTOGRADER_CMAKE_DIR})

# The .pc file finds the prefix from its own place (${pcfiledir}), so `--prefix` at install time
# works as well as CMAKE_INSTALL_PREFIX at configure time.
file(RELATIVE_PATH AUTOGRADER_PC_TO_PREFIX ${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig ${CMAKE_INSTALL_PREFIX})
string(REGEX REPLACE "/$" "" AUTOGRADER_PC_TO_PREFIX "${AUTOGRADER_PC_TO_PREFIX}")
configure_file(${CMAKE_CURRENT_LIST_DIR}/autograder.pc.in ${PROJECT_BINARY_DIR}/autograder.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/autograder.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
