// The locale tables (src/feedback/locales/<name>.json) as the build embedded them: the generated
// locale_tables.cpp (src/feedback/CMakeLists.txt) defines these.
#pragma once

#include <cstddef>
#include <string_view>

namespace autograder::feedback_detail {

struct LocaleTableText {
    std::string_view locale;  // "pt_br"
    std::string_view json;    // {"English fmt pattern": "its translation", ...}
};

extern const LocaleTableText kLocaleTables[];
extern const std::size_t kLocaleTableCount;

}  // namespace autograder::feedback_detail
