# Tree-sitter grammars, taken from the npm registry at pinned versions and compiled into the
# library. No grammar source is committed: configure runs `npm pack NAME@VERSION` into the build
# tree (once; the tarball stays there), checks its SHA-256 and unpacks it. Every pinned parser is
# ABI 14 (`#define LANGUAGE_VERSION 14` in src/parser.c), which Debian 12's libtree-sitter 0.20.7
# reads (ABI 13-14); configure refuses any other.
#
# Offline: put the tarballs (tree-sitter-python-0.23.6.tgz, ...) in a folder and configure with
# -DAUTOGRADER_GRAMMAR_TARBALLS=that/folder.
#
# Result: the static library autograder_grammars (C, without the project's warning flags) and,
# for each grammar, the C symbol tree_sitter_<language>().
set(AUTOGRADER_GRAMMAR_TARBALLS "${CMAKE_BINARY_DIR}/_grammars/tarballs" CACHE PATH
    "Folder holding (or receiving) the npm tarballs of the tree-sitter grammars")

# name | version | sha256 of the npm tarball
set(AUTOGRADER_GRAMMARS
  "python|0.23.6|aab5b860d93dbf84b37fed532f7dacc0468ede5387d0c74911d68f964287662a"
  "java|0.23.5|6b6c1b62605f9d8bb80efd2ebe5951a87b182faafa3eeb67c460a667818551b6"
  "javascript|0.23.1|90e80b25a67517a4daf6ad751557bee21efbda7b7a5a554897933245d1734398"
  "c|0.23.6|88175d4425037ec0026233a44f82064a676573b1fd748fc709ae607332151243"
  "cpp|0.23.4|615d152f70e7a6bed8f15a93c3c0c264c40dc71c1b6a1445646fff9439e776bc"
  "html|0.23.2|6b024fc38fce2b4807d0ac35023487da682a15cd986ba2ee9d6c25feff9392ed"
  "css|0.23.2|7dd088805e0f206d6b15d13ce717f9be89b9ff023efcc7970ca5a9064aa45aba")

autograder_require_pkg(TREE_SITTER tree-sitter libtree-sitter-dev)

set(_grammar_root "${CMAKE_BINARY_DIR}/_grammars")
file(MAKE_DIRECTORY "${AUTOGRADER_GRAMMAR_TARBALLS}")
set(_grammar_sources)
set(_grammar_includes)
foreach(entry IN LISTS AUTOGRADER_GRAMMARS)
  string(REPLACE "|" ";" fields "${entry}")
  list(GET fields 0 language)
  list(GET fields 1 version)
  list(GET fields 2 sha256)
  set(package "tree-sitter-${language}")
  set(tarball "${AUTOGRADER_GRAMMAR_TARBALLS}/${package}-${version}.tgz")
  set(fetch_hint "run scripts/setup.sh, or: (cd ${AUTOGRADER_GRAMMAR_TARBALLS} && npm pack ${package}@${version})")

  if(NOT EXISTS "${tarball}")
    find_program(AUTOGRADER_NPM npm)
    if(NOT AUTOGRADER_NPM)
      message(FATAL_ERROR "Missing grammar ${package}@${version} and no npm to fetch it: "
                          "apt-get install npm, then ${fetch_hint}")
    endif()
    message(STATUS "Fetching grammar ${package}@${version} (npm pack)")
    execute_process(COMMAND "${AUTOGRADER_NPM}" pack "${package}@${version}" --silent
                    WORKING_DIRECTORY "${AUTOGRADER_GRAMMAR_TARBALLS}"
                    RESULT_VARIABLE npm_result OUTPUT_VARIABLE npm_output ERROR_VARIABLE npm_error)
    if(NOT npm_result EQUAL 0 OR NOT EXISTS "${tarball}")
      message(FATAL_ERROR "Could not fetch grammar ${package}@${version} (npm pack: ${npm_result}):\n"
                          "${npm_error}\n${fetch_hint}")
    endif()
  endif()

  file(SHA256 "${tarball}" actual)
  if(NOT actual STREQUAL sha256)
    message(FATAL_ERROR "Grammar tarball ${tarball} has SHA-256 ${actual}, expected ${sha256}: "
                        "delete it and ${fetch_hint}")
  endif()

  set(dir "${_grammar_root}/${package}-${version}")
  if(NOT EXISTS "${dir}/package/src/parser.c")
    file(REMOVE_RECURSE "${dir}")
    file(ARCHIVE_EXTRACT INPUT "${tarball}" DESTINATION "${dir}")
  endif()
  set(src "${dir}/package/src")
  if(NOT EXISTS "${src}/parser.c")
    message(FATAL_ERROR "Grammar ${package}@${version}: no src/parser.c in ${tarball}; delete it and ${fetch_hint}")
  endif()
  file(STRINGS "${src}/parser.c" abi_line REGEX "^#define LANGUAGE_VERSION ")
  string(REGEX MATCH "[0-9]+" abi "${abi_line}")
  if(NOT abi MATCHES "^1[34]$")
    message(FATAL_ERROR "Grammar ${package}@${version} is ABI ${abi}; Debian 12's libtree-sitter reads ABI 13-14")
  endif()

  # One object library per grammar: each has its own src/tree_sitter/parser.h.
  set(sources "${src}/parser.c")
  foreach(scanner scanner.c scanner.cc)
    if(EXISTS "${src}/${scanner}")
      list(APPEND sources "${src}/${scanner}")
    endif()
  endforeach()
  add_library(autograder_grammar_${language} OBJECT ${sources})
  target_include_directories(autograder_grammar_${language} SYSTEM PRIVATE "${src}")
  target_compile_options(autograder_grammar_${language} PRIVATE -w -g0)
  set_target_properties(autograder_grammar_${language} PROPERTIES
    C_STANDARD 11 C_VISIBILITY_PRESET hidden CXX_VISIBILITY_PRESET hidden)
  list(APPEND _grammar_sources $<TARGET_OBJECTS:autograder_grammar_${language}>)
  message(STATUS "Grammar ${package}@${version} (ABI ${abi})")
endforeach()

add_library(autograder_grammars STATIC ${_grammar_sources})
set_target_properties(autograder_grammars PROPERTIES LINKER_LANGUAGE C)
target_link_libraries(autograder_grammars PUBLIC PkgConfig::TREE_SITTER)
