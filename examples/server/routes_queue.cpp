// GET /queue (how many jobs wait, are being graded, were given up on) and GET /workers (the
// graders: the server's own threads, or the `autograder worker` processes of the Redis queue).
#include <fmt/format.h>

#include "job_queue.hpp"
#include "routes.hpp"

namespace autograder::server {

void add_queue_routes(Router& router, ServerContext& context) {
    const std::string api(kApiPrefix);
    router.add("GET", api + "/queue", Access::token,
               [&context](const httplib::Request&, httplib::Response& response, const PathParams&) {
                   try {
                       send_json(response, 200, context.queue->status());
                   } catch (const QueueUnavailable& e) {
                       throw ApiError(503, e.what()).with_header("Retry-After", "1");
                   }
               });
    router.add("GET", api + "/workers", Access::token,
               [&context](const httplib::Request&, httplib::Response& response, const PathParams&) {
                   try {
                       send_json(response, 200, context.queue->workers());
                   } catch (const QueueUnavailable& e) {
                       throw ApiError(503, e.what()).with_header("Retry-After", "1");
                   }
               });
}

}  // namespace autograder::server
