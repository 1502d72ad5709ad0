#include "criteria/utf8_repair.hpp"

#include <cstdint>
#include <vector>

namespace autograder::criteria_detail {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

// Length of the well-formed sequence starting at `at`, or 0 when it is not well formed
// (Unicode Table 3-7 of well-formed UTF-8 byte sequences).
std::size_t sequence_length(std::string_view text, std::size_t at) {
    auto byte = [&](std::size_t offset) { return static_cast<std::uint8_t>(text[at + offset]); };
    auto continuation = [&](std::size_t offset, std::uint8_t low = 0x80, std::uint8_t high = 0xBF) {
        return at + offset < text.size() && byte(offset) >= low && byte(offset) <= high;
    };
    const std::uint8_t lead = byte(0);
    if (lead < 0x80) return 1;
    if (lead >= 0xC2 && lead <= 0xDF) return continuation(1) ? 2 : 0;
    if (lead == 0xE0) return continuation(1, 0xA0) && continuation(2) ? 3 : 0;
    if ((lead >= 0xE1 && lead <= 0xEC) || lead == 0xEE || lead == 0xEF)
        return continuation(1) && continuation(2) ? 3 : 0;
    if (lead == 0xED) return continuation(1, 0x80, 0x9F) && continuation(2) ? 3 : 0;
    if (lead == 0xF0) return continuation(1, 0x90) && continuation(2) && continuation(3) ? 4 : 0;
    if (lead >= 0xF1 && lead <= 0xF3) return continuation(1) && continuation(2) && continuation(3) ? 4 : 0;
    if (lead == 0xF4) return continuation(1, 0x80, 0x8F) && continuation(2) && continuation(3) ? 4 : 0;
    return 0;
}

}  // namespace

std::string repair_utf8(std::string_view text) {
    std::string repaired;
    repaired.reserve(text.size());
    std::size_t at = 0;
    while (at < text.size()) {
        const std::size_t length = sequence_length(text, at);
        if (length == 0) {
            repaired += kReplacement;
            ++at;
        } else {
            repaired.append(text.substr(at, length));
            at += length;
        }
    }
    return repaired;
}

void repair_utf8_strings(nlohmann::json& value) {
    auto valid = [](std::string_view text) {
        for (std::size_t at = 0, length = 0; at < text.size(); at += length)
            if ((length = sequence_length(text, at)) == 0) return false;
        return true;
    };
    // An explicit stack: a host's data may nest deeper than the call stack should.
    std::vector<nlohmann::json*> pending{&value};
    while (!pending.empty()) {
        nlohmann::json& item = *pending.back();
        pending.pop_back();
        if (item.is_string()) {
            auto& text = item.get_ref<std::string&>();
            if (!valid(text)) text = repair_utf8(text);
        } else if (item.is_object()) {
            bool keys_valid = true;
            for (const auto& [key, child] : item.items()) keys_valid = keys_valid && valid(key);
            if (!keys_valid) {
                nlohmann::json repaired = nlohmann::json::object();
                for (auto& [key, child] : item.items()) repaired[repair_utf8(key)] = std::move(child);
                item = std::move(repaired);
            }
            for (auto& child : item) pending.push_back(&child);
        } else if (item.is_array()) {
            for (auto& child : item) pending.push_back(&child);
        }
    }
}

}  // namespace autograder::criteria_detail
