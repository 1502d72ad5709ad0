# Warnings are errors for every target of this project (never for third-party headers, included as SYSTEM).
# The fuzz tree (clang) only reports the library's warnings: the gcc trees hold the line, and
# clang's own diagnostics (e.g. on libseccomp's C macros) must not stop the fuzz runs.
function(autograder_warnings target)
  if(AUTOGRADER_FUZZ)
    set(as_errors "")
  else()
    set(as_errors -Werror)
  endif()
  target_compile_options(${target} PRIVATE -Wall -Wextra ${as_errors} -Wshadow -Wnon-virtual-dtor
                                           -Wold-style-cast -Wcast-align -Wunused -Woverloaded-virtual
                                           -Wpedantic -Wconversion -Wno-sign-conversion)
endfunction()
