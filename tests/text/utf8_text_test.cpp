// The UTF-8 repair and cutting every text leaving the engine goes through (src/text/utf8.hpp).
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "text/utf8.hpp"

using namespace autograder::text;

namespace {
const std::string R = "\xEF\xBF\xBD";
const std::string face = "\xf0\x9f\x98\x80";  // U+1F600, 4 bytes
}  // namespace

TEST_CASE("utf8: bytes outside well-formed sequences become U+FFFD, characters stay") {
    CHECK(valid_utf8("plain é € " + face) == "plain é € " + face);
    CHECK(valid_utf8("\xff\xfe") == R + R);
    CHECK(valid_utf8("\xc0\xaf") == R + R);                  // overlong '/'
    CHECK(valid_utf8("\xed\xa0\x80") == R + R + R);          // a surrogate encoded as UTF-8
    CHECK(valid_utf8("\xf4\x90\x80\x80") == R + R + R + R);  // above U+10FFFF
    CHECK(valid_utf8("a\xe2\x82") == "a" + R + R);           // a character cut short
    CHECK(valid_utf8(std::string("a\0b", 3)) == std::string("a\0b", 3));
    CHECK(is_valid_utf8("é" + face));
    CHECK(!is_valid_utf8("\xed\xa0\x80"));
}

TEST_CASE("utf8: prefixes and cut texts end between characters") {
    const std::string text = "ab" + face + "c";
    CHECK(utf8_prefix(text, 2) == "ab");
    CHECK(utf8_prefix(text, 3) == "ab");
    CHECK(utf8_prefix(text, 5) == "ab");
    CHECK(utf8_prefix(text, 6) == "ab" + face);
    CHECK(utf8_prefix(text, 100) == text);
    CHECK(utf8_prefix("a\xff\xff\xff\xff", 3) == "a\xff\xff");  // not UTF-8: cut where asked
    CHECK(without_cut_character("ab" + face.substr(0, 1)) == "ab");
    CHECK(without_cut_character("ab" + face.substr(0, 3)) == "ab");
    CHECK(without_cut_character("ab" + face) == "ab" + face);
    CHECK(without_cut_character("ab\xff") == "ab\xff");  // not a cut: left for the repair
    CHECK(without_cut_character("") == "");
}

TEST_CASE("utf8: every string and key of a JSON document is repaired, its text never throws") {
    nlohmann::json document = {{"a", "\xff"}, {"list", {"ok", "\xc0\xaf"}}, {"key \xfe", {{"inner", "\xed\xa0\x80"}}}};
    CHECK_THROWS(document.dump());
    CHECK(json_text(document).find(R) != std::string::npos);
    make_valid_utf8(document);
    CHECK(document["a"] == R);
    CHECK(document["list"][1] == R + R);
    CHECK(document["key " + R]["inner"] == R + R + R);
    CHECK_NOTHROW(document.dump());
}
