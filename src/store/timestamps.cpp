#include "store/timestamps.hpp"

#include <chrono>
#include <ctime>

#include <fmt/format.h>

namespace autograder::store {

int64_t now_milliseconds() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string iso8601(int64_t milliseconds_since_epoch) {
    // Floor division, so a time before 1970 still has milliseconds in [0, 1000).
    int64_t seconds = milliseconds_since_epoch / 1000;
    int64_t milliseconds = milliseconds_since_epoch % 1000;
    if (milliseconds < 0) {
        milliseconds += 1000;
        seconds -= 1;
    }
    std::time_t time = static_cast<std::time_t>(seconds);
    std::tm utc{};
    gmtime_r(&time, &utc);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday,
                       utc.tm_hour, utc.tm_min, utc.tm_sec, milliseconds);
}

}  // namespace autograder::store
