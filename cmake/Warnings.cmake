# Warnings are errors for every target of this project (never for third-party headers, included as SYSTEM).
function(autograder_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Werror -Wshadow -Wnon-virtual-dtor
                                           -Wold-style-cast -Wcast-align -Wunused -Woverloaded-virtual
                                           -Wpedantic -Wconversion -Wno-sign-conversion)
endfunction()
