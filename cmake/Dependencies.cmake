# Every dependency is a Debian package installed by scripts/setup.sh. A missing one stops the
# configure step with the package to install.
find_package(PkgConfig REQUIRED)

macro(autograder_require_pkg var module debian_package)
  pkg_check_modules(${var} IMPORTED_TARGET ${module})
  if(NOT ${var}_FOUND)
    message(FATAL_ERROR "Missing dependency '${module}': run scripts/setup.sh or apt-get install ${debian_package}")
  endif()
endmacro()

macro(autograder_require_cmake_pkg name debian_package)
  find_package(${name} ${ARGN} QUIET)
  if(NOT ${name}_FOUND)
    message(FATAL_ERROR "Missing dependency '${name}': run scripts/setup.sh or apt-get install ${debian_package}")
  endif()
endmacro()

autograder_require_pkg(SECCOMP libseccomp libseccomp-dev)
autograder_require_pkg(RE2 re2 libre2-dev)
# EXPORT: cpp-httplib (Debian builds it with OpenSSL, so webhooks may be https; its pkg-config file
# carries CPPHTTPLIB_OPENSSL_SUPPORT, which must match the library), hiredis, OpenSSL's HMAC.
autograder_require_pkg(HTTPLIB cpp-httplib libcpp-httplib-dev)
autograder_require_pkg(HIREDIS hiredis libhiredis-dev)
# STORE: libpqxx, the PostgreSQL backend of the store (libpq comes with it).
autograder_require_pkg(PQXX libpqxx libpqxx-dev)
autograder_require_pkg(OPENSSL openssl libssl-dev)
# The engine itself needs libcrypto only (base64 in the C ABI); TLS is libautograder-http.so's.
autograder_require_pkg(LIBCRYPTO libcrypto libssl-dev)
autograder_require_cmake_pkg(fmt libfmt-dev)
autograder_require_cmake_pkg(nlohmann_json nlohmann-json3-dev)
autograder_require_cmake_pkg(spdlog libspdlog-dev)
autograder_require_cmake_pkg(CLI11 libcli11-dev)
autograder_require_cmake_pkg(doctest doctest-dev)
autograder_require_cmake_pkg(pugixml libpugixml-dev)
# STORE: SQLiteCpp (a static library; its CMake package finds SQLite3 itself).
autograder_require_cmake_pkg(SQLiteCpp libsqlitecpp-dev)
find_package(Threads REQUIRED)

# The static archive of a library the packages above installed (for the command line tool, which
# links its dependencies into itself: see src/cli/CMakeLists.txt).
macro(autograder_require_static_library var file debian_package)
  find_library(${var} NAMES ${file} NO_CACHE)
  if(NOT ${var})
    message(FATAL_ERROR "Missing static library '${file}': run scripts/setup.sh or apt-get install ${debian_package}")
  endif()
endmacro()
autograder_require_static_library(AUTOGRADER_RE2_ARCHIVE libre2.a libre2-dev)
autograder_require_static_library(AUTOGRADER_HIREDIS_ARCHIVE libhiredis.a libhiredis-dev)
autograder_require_static_library(AUTOGRADER_TREE_SITTER_ARCHIVE libtree-sitter.a libtree-sitter-dev)
autograder_require_static_library(AUTOGRADER_PUGIXML_ARCHIVE libpugixml.a libpugixml-dev)
