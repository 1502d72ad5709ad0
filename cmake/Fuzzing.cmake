# AUTOGRADER_FUZZ=ON (the `fuzz` preset) builds the library and the libFuzzer targets of
# tests/fuzz with clang, AddressSanitizer and UndefinedBehaviorSanitizer, and nothing else: the
# release tree's CTest runs those targets (tests/fuzz/CMakeLists.txt registers the runs).
option(AUTOGRADER_FUZZ "Build the libFuzzer targets (clang) instead of the library's hosts and tests" OFF)
if(AUTOGRADER_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang" OR NOT CMAKE_C_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "AUTOGRADER_FUZZ needs clang (libFuzzer): configure with the `fuzz` preset, "
                        "or -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ (apt-get install clang)")
  endif()
  if(AUTOGRADER_SANITIZE)
    message(FATAL_ERROR "AUTOGRADER_FUZZ already builds with ASan + UBSan; leave AUTOGRADER_SANITIZE off")
  endif()
  # As OSS-Fuzz builds: -O1 with line tables compiles much faster than -O2 -g and still gives
  # file:line in every report; assertions stay on (no NDEBUG).
  foreach(language C CXX)
    set(CMAKE_${language}_FLAGS_RELWITHDEBINFO "-O1 -gline-tables-only")
  endforeach()
  # Everything (the grammars too) gets coverage feedback and the sanitizers; only the fuzz
  # targets link libFuzzer's main (-fsanitize=fuzzer, tests/fuzz).
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=all)
  add_link_options(-fsanitize=address,undefined)
endif()
