# Writes OUTPUT, a C++ source that defines `std::string_view NAME()` returning the bytes of INPUT,
# so the binary serves the file without reading anything at run time. Run at build time
# (cmake -P), again whenever INPUT changes.
file(READ "${INPUT}" content HEX)
string(LENGTH "${content}" hex_length)
math(EXPR byte_count "${hex_length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${content}")
file(WRITE "${OUTPUT}.tmp"
  "// Generated from ${INPUT} by embed_file.cmake: do not edit.\n"
  "#include <string_view>\n"
  "namespace autograder::server {\n"
  "namespace {\n"
  "constexpr char kBytes[] = {${bytes} '\\0'};\n"
  "}\n"
  "std::string_view ${NAME}() { return {kBytes, ${byte_count}}; }\n"
  "}  // namespace autograder::server\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
