# Lists the routes the server registers (autograder-server --list-routes), then checks them
# against the OpenAPI document in both directions (check_openapi.js).
execute_process(COMMAND "${SERVER}" --list-routes OUTPUT_FILE "${ROUTES}" RESULT_VARIABLE listed ERROR_VARIABLE error)
if(NOT listed EQUAL 0)
  message(FATAL_ERROR "autograder-server --list-routes failed (${listed}): ${error}")
endif()
execute_process(COMMAND "${NODE}" "${CHECKER}" "${MODULES}" "${DOCUMENT}" "${ROUTES}" RESULT_VARIABLE checked)
if(NOT checked EQUAL 0)
  message(FATAL_ERROR "The OpenAPI document and the server's routes disagree (see above)")
endif()
