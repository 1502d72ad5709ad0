// What several route files share: path ids and the queue's back-pressure.
#include <fmt/format.h>

#include "routes.hpp"

namespace autograder::server {

void refuse_when_queue_full(ServerContext& context) {
    const auto waiting = context.queue_depth.waiting(*context.store);
    if (waiting >= context.options.max_queue)
        throw ApiError(503, fmt::format("{} jobs are waiting, the most this server queues; try again later", waiting))
            .with_header("Retry-After", "5");
}

int64_t path_id(const PathParams& params, const std::string& name, std::string_view what) {
    const std::string& text = params.at(name);
    int64_t id = 0;
    bool digits = !text.empty() && text.size() <= 18;
    for (char c : text) digits = digits && c >= '0' && c <= '9';
    if (digits) id = std::stoll(text);
    if (id <= 0) throw ApiError(404, fmt::format("no {} with id '{}'", what, text.substr(0, 64)));
    return id;
}

}  // namespace autograder::server
