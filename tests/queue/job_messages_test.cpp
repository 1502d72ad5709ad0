#include <doctest/doctest.h>

#include "queue/job_messages.hpp"
#include "queue/redis_client.hpp"
#include "queue/redis_streams.hpp"

using namespace autograder::queue;

namespace {

JobMessage sample_job() {
    JobMessage job;
    job.job_id = 12;
    job.submission_id = 7;
    job.attempts = 1;
    job.max_attempts = 3;
    job.config_id = 2;
    job.config_version = 4;
    job.configuration = {{"template_name", "input_output"}};
    job.locale = "pt_br";
    job.language = "python";
    job.metadata = {{"course", "cs1"}};
    job.files = {{"main.py", "print(1)\n"}, {"lib/util.py", std::string("\0binary", 7)}};
    return job;
}

std::string problem_of(const EntryFields& fields) {
    try {
        JobMessage::from_fields(fields);
    } catch (const MessageError& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("queue: a job message survives its trip through stream fields") {
    const JobMessage sent = sample_job();
    const JobMessage read = JobMessage::from_fields(sent.to_fields());
    CHECK(read.job_id == 12);
    CHECK(read.submission_id == 7);
    CHECK(read.attempts == 1);
    CHECK(read.config_version == 4);
    CHECK(read.locale == "pt_br");
    CHECK(read.metadata == sent.metadata);
    REQUIRE(read.files.size() == 2);
    CHECK(read.files[1].filename == "lib/util.py");
    CHECK(read.files[1].content == std::string("\0binary", 7));
}

TEST_CASE("queue: a hostile job entry is refused with the field at fault") {
    EntryFields fields = sample_job().to_fields();
    SUBCASE("a missing job id") {
        fields.erase("job_id");
        CHECK(problem_of(fields).find("'job_id' is missing") != std::string::npos);
    }
    SUBCASE("a job id that is not a positive number") {
        fields["job_id"] = "-3";
        CHECK(problem_of(fields).find("job_id") != std::string::npos);
        fields["job_id"] = "12abc";
        CHECK(problem_of(fields).find("job_id") != std::string::npos);
    }
    SUBCASE("attempts out of range") {
        fields["max_attempts"] = "0";
        CHECK(problem_of(fields).find("max_attempts") != std::string::npos);
    }
    SUBCASE("the job's JSON broken") {
        fields["job"] = "{\"config_id\": 1,";
        CHECK(problem_of(fields).find("not valid JSON") != std::string::npos);
        fields["job"] = "[1, 2]";
        CHECK(problem_of(fields).find("JSON object") != std::string::npos);
    }
    SUBCASE("a file name that leaves the workspace") {
        auto job = nlohmann::json::parse(fields["job"]);
        for (const char* name : {"../etc/passwd", "/etc/passwd", "a//b", "a/./b", "a\\b", ""}) {
            job["files"][0]["filename"] = name;
            fields["job"] = job.dump();
            CHECK_MESSAGE(problem_of(fields).find("job.files[0].filename") != std::string::npos, name);
        }
    }
    SUBCASE("a field of the wrong type") {
        auto job = nlohmann::json::parse(fields["job"]);
        job["files"] = "main.py";
        fields["job"] = job.dump();
        CHECK(problem_of(fields).find("job.files must be a list") != std::string::npos);
        job = nlohmann::json::parse(sample_job().to_fields()["job"]);
        job["config_version"] = "4";
        fields["job"] = job.dump();
        CHECK(problem_of(fields).find("job.config_version") != std::string::npos);
    }
    SUBCASE("a field larger than the limit") {
        fields["job"] = std::string(kMaxFieldBytes + 1, ' ');
        CHECK(problem_of(fields).find("larger than") != std::string::npos);
    }
}

TEST_CASE("queue: results and dead letters read back") {
    ResultMessage result;
    result.job_id = 3;
    result.submission_id = 4;
    result.worker = "w1";
    result.status = "SUCCESS";
    result.final_score = 87.5;
    result.body = {{"feedback", "ok"}};
    const ResultMessage read = ResultMessage::from_fields(result.to_fields());
    CHECK(read.final_score == 87.5);
    CHECK(read.body == result.body);
    EntryFields broken = result.to_fields();
    broken["final_score"] = "nan";
    CHECK_THROWS_AS(ResultMessage::from_fields(broken), MessageError);

    DeadLetter letter;
    letter.job_id = 9;
    letter.reason = "given up";
    letter.attempts = 3;
    const DeadLetter back = DeadLetter::from_fields(letter.to_fields());
    CHECK(back.job_id == 9);
    CHECK(back.attempts == 3);
    CHECK(back.reason == "given up");
}

TEST_CASE("queue: Redis URLs") {
    const RedisAddress plain = parse_redis_url("redis://10.0.0.5");
    CHECK(plain.host == "10.0.0.5");
    CHECK(plain.port == 6379);
    CHECK(plain.database == 0);
    const RedisAddress full = parse_redis_url("redis://[::1]:6380/2");
    CHECK(full.host == "::1");
    CHECK(full.port == 6380);
    CHECK(full.database == 2);
    CHECK(full.to_string() == "redis://[::1]:6380/2");
    CHECK_THROWS_AS(parse_redis_url("http://host"), std::invalid_argument);
    CHECK_THROWS_AS(parse_redis_url("redis://host:99999"), std::invalid_argument);
    const RedisAddress password = parse_redis_url("redis://:p%40ss%3Aw0rd@cache:6390/1");
    CHECK(password.username.empty());
    CHECK(password.password == "p@ss:w0rd");
    CHECK(password.host == "cache");
    CHECK(password.port == 6390);
    CHECK(password.to_string() == "redis://cache:6390/1");  // never the password
    const RedisAddress user = parse_redis_url("redis://grader:secret@host");
    CHECK(user.username == "grader");
    CHECK(user.password == "secret");
    for (const char* refused :
         {"redis://secret@host", "redis://:@host", "redis://:bad%zzsecret@host", "redis://:secret@host:99999"}) {
        INFO(std::string(refused));
        try {
            parse_redis_url(refused);
            FAIL("accepted");
        } catch (const std::invalid_argument& e) {
            CHECK(std::string(e.what()).find("secret") == std::string::npos);  // the message hides it
        }
    }
    CHECK_THROWS_AS(parse_redis_url("redis://:6379"), std::invalid_argument);
    CHECK_THROWS_AS(parse_redis_url("redis://host/x"), std::invalid_argument);
}

TEST_CASE("queue: a job's reply stream travels in its JSON and is checked against the prefix") {
    JobMessage job = sample_job();
    job.reply_to = "autograder:replies:7f3a-b_9";
    job.files[0].executable = true;
    const JobMessage read = JobMessage::from_fields(job.to_fields());
    CHECK(read.reply_to == "autograder:replies:7f3a-b_9");
    CHECK(read.files[0].executable);
    CHECK_FALSE(read.files[1].executable);
    CHECK(reply_to_problem(read.reply_to, "autograder") == "");
    CHECK(reply_to_problem("grading:replies:x1", "grading") == "");

    // The server's jobs carry none: their results go to <prefix>:results.
    CHECK(nlohmann::json::parse(sample_job().to_fields()["job"]).contains("reply_to") == false);
    CHECK(JobMessage::from_fields(sample_job().to_fields()).reply_to.empty());

    for (const char* hostile :
         {"autograder:results", "autograder:jobs", "autograder:dead-letters", "other:replies:abc",
          "autograder:replies:", "autograder:replies:a:b", "autograder:replies:../x", "autograder:replies:a b",
          "autograder:replies:a*", "xautograder:replies:abc", "autograder:replies:abc\n",
          "autograder:replies:0123456789012345678901234567890123456789012345678901234567890123456"}) {
        CHECK_MESSAGE(reply_to_problem(hostile, "autograder").find("job.reply_to must be a key 'autograder:replies:") !=
                          std::string::npos,
                      hostile);
    }
    // A batch's enqueued mark is its reply stream's: its ids never meet the server's.
    CHECK(enqueued_mark(sample_job()) == "12");
    CHECK(enqueued_mark(job) == "autograder:replies:7f3a-b_9#12");
    // A prefix is matched whole: another application's "autograder2:replies:x" is not ours.
    CHECK(reply_to_problem("autograder2:replies:x", "autograder") != "");

    EntryFields fields = job.to_fields();
    auto json = nlohmann::json::parse(fields["job"]);
    json["reply_to"] = 42;
    fields["job"] = json.dump();
    CHECK(problem_of(fields).find("job.reply_to must be a string") != std::string::npos);
    json["reply_to"] = "";
    fields["job"] = json.dump();
    CHECK(problem_of(fields).find("job.reply_to") != std::string::npos);
    json["reply_to"] = "autograder:replies:x";
    json["files"][0]["executable"] = "yes";
    fields["job"] = json.dump();
    CHECK(problem_of(fields).find("job.files[0].executable") != std::string::npos);
}
