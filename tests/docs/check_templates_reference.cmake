# Fails when docs/templates.md differs from `autograder templates --markdown` (the registry's own
# parameter documentation), so the checked-in reference never goes stale.
execute_process(COMMAND "${CLI}" templates --markdown OUTPUT_VARIABLE generated RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "`autograder templates --markdown` failed (${status})")
endif()
if(NOT EXISTS "${CHECKED_IN}")
  message(FATAL_ERROR "${CHECKED_IN} is missing: run `autograder templates --markdown > docs/templates.md`")
endif()
file(READ "${CHECKED_IN}" checked_in)
if(NOT generated STREQUAL checked_in)
  message(FATAL_ERROR "docs/templates.md is out of date with the template registry: regenerate it with\n"
                      "  build/release/autograder templates --markdown > docs/templates.md")
endif()
