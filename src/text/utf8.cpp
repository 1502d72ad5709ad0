#include "text/utf8.hpp"

#include <cstdint>
#include <utility>
#include <vector>

namespace autograder::text {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

// What starts at an offset of a text: a well-formed sequence of `length` bytes, the start of one
// that the text's end cut short (`cut`), or neither (length 0).
struct Sequence {
    std::size_t length = 0;
    bool cut = false;
};

// Unicode Table 3-7 (well-formed UTF-8 byte sequences): the bytes each lead byte allows next.
Sequence sequence_at(std::string_view text, std::size_t at) {
    const auto lead = static_cast<std::uint8_t>(text[at]);
    if (lead < 0x80) return {1, false};
    std::size_t length = 0;
    std::uint8_t low = 0x80, high = 0xBF;  // the range of the second byte
    if (lead >= 0xC2 && lead <= 0xDF) {
        length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        length = 3;
        if (lead == 0xE0) low = 0xA0;
        if (lead == 0xED) high = 0x9F;  // no surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        length = 4;
        if (lead == 0xF0) low = 0x90;
        if (lead == 0xF4) high = 0x8F;  // nothing above U+10FFFF
    } else {
        return {};
    }
    for (std::size_t i = 1; i < length; ++i) {
        if (at + i >= text.size()) return {0, true};
        const auto byte = static_cast<std::uint8_t>(text[at + i]);
        if (byte < (i == 1 ? low : 0x80) || byte > (i == 1 ? high : 0xBF)) return {};
    }
    return {length, false};
}

}  // namespace

std::string valid_utf8(std::string_view text) {
    std::string repaired;
    repaired.reserve(text.size());
    std::size_t at = 0;
    while (at < text.size()) {
        const std::size_t length = sequence_at(text, at).length;
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

bool is_valid_utf8(std::string_view text) {
    for (std::size_t at = 0; at < text.size();) {
        const std::size_t length = sequence_at(text, at).length;
        if (length == 0) return false;
        at += length;
    }
    return true;
}

std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes) {
    if (text.size() <= max_bytes) return text;
    // A character that the cut would split starts at most 3 bytes before it.
    for (std::size_t back = 1; back <= 3 && back <= max_bytes; ++back) {
        const std::size_t start = max_bytes - back;
        const Sequence sequence = sequence_at(text, start);
        if (sequence.length > back || sequence.cut) return text.substr(0, start);
    }
    return text.substr(0, max_bytes);
}

std::string_view without_cut_character(std::string_view text) {
    for (std::size_t back = 1; back <= 3 && back <= text.size(); ++back)
        if (sequence_at(text, text.size() - back).cut) return text.substr(0, text.size() - back);
    return text;
}

void make_valid_utf8(nlohmann::json& document) {
    // An explicit stack rather than recursion: a host's data may nest deeper than the call stack
    // should go.
    std::vector<nlohmann::json*> pending{&document};
    while (!pending.empty()) {
        nlohmann::json& item = *pending.back();
        pending.pop_back();
        if (item.is_string()) {
            auto& value = item.get_ref<std::string&>();
            if (!is_valid_utf8(value)) value = valid_utf8(value);
        } else if (item.is_object()) {
            std::vector<std::string> bad_keys;
            for (auto it = item.begin(); it != item.end(); ++it)
                if (!is_valid_utf8(it.key())) bad_keys.push_back(it.key());
            // Keys are renamed before the children are queued: renaming moves the values.
            for (const auto& key : bad_keys) {
                nlohmann::json value = std::move(item[key]);
                item.erase(key);
                item[valid_utf8(key)] = std::move(value);
            }
            for (auto& child : item) pending.push_back(&child);
        } else if (item.is_array()) {
            for (auto& child : item) pending.push_back(&child);
        }
    }
}

std::string json_text(const nlohmann::json& document, int indent) {
    return document.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace autograder::text
