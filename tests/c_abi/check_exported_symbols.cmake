# Fails when the dynamic symbols libautograder.so defines differ from the committed list, so
# that an accidental ABI change (a lost ag_ function, a leaked C++ symbol) fails CI.
# Usage: cmake -DNM=nm -DLIBRARY=libautograder.so -DEXPECTED=exported_symbols.txt -P this file
execute_process(COMMAND ${NM} -D --defined-only ${LIBRARY}
  OUTPUT_VARIABLE listing RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  message(FATAL_ERROR "${NM} -D --defined-only ${LIBRARY} failed (${result})")
endif()

# "0000000000012340 T ag_free" -> "ag_free"
set(exported)
string(REGEX MATCHALL "[^\n]+" lines "${listing}")
foreach(line IN LISTS lines)
  string(REGEX REPLACE "^.* " "" name "${line}")
  list(APPEND exported "${name}")
endforeach()
list(SORT exported)

# The committed list: one symbol a line; lines starting with # are comments.
file(STRINGS ${EXPECTED} expected REGEX "^[^#]")
list(SORT expected)

if(NOT exported STREQUAL expected)
  set(added ${exported})
  list(REMOVE_ITEM added ${expected})
  set(removed ${expected})
  list(REMOVE_ITEM removed ${exported})
  message(FATAL_ERROR "the symbols exported by ${LIBRARY} differ from ${EXPECTED}\n"
                      "  exported but not listed: ${added}\n  listed but not exported: ${removed}\n"
                      "Update the list only for a deliberate ABI change (bindings/c/README.md: the ABI only grows).")
endif()
list(LENGTH exported count)
message(STATUS "${count} exported symbols match ${EXPECTED}")
