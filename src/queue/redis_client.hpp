// One connection to Redis through hiredis, with what every user of it needs: a redis://host:port/db
// address, commands given as argument lists (binary safe), time-outs, and a reconnect after a
// broken connection. Not thread-safe: one per thread, or behind a mutex.
#pragma once

#include <hiredis/hiredis.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace autograder::queue {

struct RedisAddress {
    std::string host = "127.0.0.1";
    int port = 6379;
    int database = 0;
    std::string username;           // AUTH username password (Redis 6 ACL users) when set
    std::string password;           // AUTH password when set; never shown
    std::string to_string() const;  // redis://host:port/db, without the credentials
};

// redis://[[username]:password@]host[:port][/database], the user name and password
// percent-decoded; throws std::invalid_argument naming what is wrong (with the password as ***).
RedisAddress parse_redis_url(const std::string& url);

class RedisError : public std::runtime_error {
public:
    // connection: Redis could not be reached or the connection broke (worth another try once it is
    // back); otherwise Redis answered with an error, or the answer was not what was asked for.
    RedisError(bool connection, const std::string& message) : std::runtime_error(message), connection_(connection) {}
    bool connection() const noexcept { return connection_; }

private:
    bool connection_;
};

struct ReplyDeleter {
    void operator()(redisReply* reply) const { freeReplyObject(reply); }
};
using Reply = std::unique_ptr<redisReply, ReplyDeleter>;

class RedisClient {
public:
    RedisClient(RedisAddress address, std::chrono::milliseconds timeout);
    ~RedisClient();
    RedisClient(const RedisClient&) = delete;
    RedisClient& operator=(const RedisClient&) = delete;

    // Runs one command (connecting first when needed). Throws RedisError: connection when Redis
    // cannot be reached (the connection is dropped, the next command connects again), not
    // connection when it answers with an error.
    Reply command(const std::vector<std::string_view>& words);
    // The commands in one round trip, answers in order (MULTI/EXEC is one of them when wanted).
    std::vector<Reply> pipeline(const std::vector<std::vector<std::string_view>>& commands);
    // A command that blocks in Redis for up to `block` (XREADGROUP ... BLOCK): the socket waits
    // that much longer.
    Reply blocking_command(const std::vector<std::string_view>& words, std::chrono::milliseconds block);
    const RedisAddress& address() const { return address_; }
    void disconnect();

private:
    void connect();
    void append(const std::vector<std::string_view>& words);
    Reply read_reply();

    RedisAddress address_;
    std::chrono::milliseconds timeout_;
    redisContext* context_ = nullptr;
};

// Reading answers: each throws RedisError (not connection) naming what was expected.
std::string reply_string(const redisReply* reply, std::string_view what);
long long reply_integer(const redisReply* reply, std::string_view what);
bool reply_is_nil(const redisReply* reply);
const redisReply* reply_element(const redisReply* reply, std::size_t index, std::string_view what);
std::size_t reply_size(const redisReply* reply, std::string_view what);  // elements of an array

}  // namespace autograder::queue
