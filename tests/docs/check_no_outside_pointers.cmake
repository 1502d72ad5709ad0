# Users of the project have the repository only: nothing in it may send them to the developers'
# internal documents. The patterns are assembled so that this file does not match itself.
set(shared_folder "../sha" "red")
set(spec_section "spec " "§")
set(design_section "DESIGN " "§")
string(CONCAT shared_folder ${shared_folder})
string(CONCAT spec_section ${spec_section})
string(CONCAT design_section ${design_section})
file(GLOB_RECURSE files LIST_DIRECTORIES false
  "${SOURCE_DIR}/README.md" "${SOURCE_DIR}/docs/*" "${SOURCE_DIR}/src/*" "${SOURCE_DIR}/include/*"
  "${SOURCE_DIR}/bindings/*" "${SOURCE_DIR}/examples/*" "${SOURCE_DIR}/tests/*" "${SOURCE_DIR}/scripts/*"
  "${SOURCE_DIR}/cmake/*" "${SOURCE_DIR}/bench/*")
set(found "")
foreach(file IN LISTS files)
  if(file MATCHES "/(__pycache__|build|\\.pytest_cache)/" OR file MATCHES "\\.(pyc|png|jpg|svg)$")
    continue()
  endif()
  file(READ "${file}" text)
  foreach(pattern IN ITEMS "${shared_folder}" "${spec_section}" "${design_section}")
    string(FIND "${text}" "${pattern}" at)
    if(NOT at EQUAL -1)
      list(APPEND found "${file}: ${pattern}")
    endif()
  endforeach()
endforeach()
if(found)
  list(JOIN found "\n  " listed)
  message(FATAL_ERROR "pointers outside the repository (point at docs/ instead):\n  ${listed}")
endif()
