# add_pytest_files(PREFIX TIMEOUT SECONDS ENVIRONMENT VAR=VALUE... [RESOURCE_LOCK NAME]): one CTest
# test per test_*.py file of the calling folder, named <PREFIX>.<file without test_>, run by
# pytest from the folder's build directory with the given environment. The server, queue and
# browser suites register their files this way.
function(add_pytest_files prefix)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "TIMEOUT;RESOURCE_LOCK" "ENVIRONMENT")
  file(GLOB test_files CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/test_*.py)
  foreach(test_file ${test_files})
    get_filename_component(test_name ${test_file} NAME_WE)
    string(REGEX REPLACE "^test_" "" test_name ${test_name})
    add_test(NAME ${prefix}.${test_name}
      COMMAND "${AUTOGRADER_PYTHON}" -m pytest -q -p no:cacheprovider -rfE ${test_file}
      WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
    set_tests_properties(${prefix}.${test_name} PROPERTIES
      TIMEOUT ${arg_TIMEOUT}
      ENVIRONMENT "PYTHONDONTWRITEBYTECODE=1;AUTOGRADER_SOURCE_DIR=${PROJECT_SOURCE_DIR};${arg_ENVIRONMENT}")
    if(arg_RESOURCE_LOCK)
      set_tests_properties(${prefix}.${test_name} PROPERTIES RESOURCE_LOCK ${arg_RESOURCE_LOCK})
    endif()
  endforeach()
endfunction()
