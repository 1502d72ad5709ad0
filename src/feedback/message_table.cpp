#include "feedback/message_table.hpp"

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "feedback/locale_tables.hpp"

namespace autograder {
namespace {

using Table = std::map<std::string, std::string, std::less<>>;

// A table that does not parse is a build mistake the locale tests catch; grading then falls back
// to English rather than failing.
Table parse_table(std::string_view text) {
    Table table;
    nlohmann::json document = nlohmann::json::parse(text, nullptr, false);
    if (!document.is_object()) return table;
    for (const auto& [english, translated] : document.items())
        if (translated.is_string()) table.emplace(english, translated.get<std::string>());
    return table;
}

const Table* table_of(Locale locale) {
    // Parsed once, on first use; read-only afterwards (safe from many threads).
    static const std::map<std::string, Table, std::less<>> kTables = [] {
        std::map<std::string, Table, std::less<>> tables;
        for (std::size_t i = 0; i < feedback_detail::kLocaleTableCount; ++i) {
            const auto& entry = feedback_detail::kLocaleTables[i];
            tables.emplace(std::string(entry.locale), parse_table(entry.json));
        }
        return tables;
    }();
    auto found = kTables.find(locale_name(locale));
    return found == kTables.end() ? nullptr : &found->second;
}

}  // namespace

std::string_view locale_name(Locale locale) {
    switch (locale) {
        case Locale::en:
            return "en";
        case Locale::pt_br:
            return "pt_br";
    }
    return "en";
}

std::string_view translated_pattern(Locale locale, std::string_view english) {
    const Table* table = table_of(locale);
    if (!table) return english;
    auto found = table->find(english);
    return found == table->end() ? english : std::string_view(found->second);
}

}  // namespace autograder
