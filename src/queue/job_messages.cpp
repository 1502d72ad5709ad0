#include "queue/job_messages.hpp"

#include <charconv>
#include <chrono>
#include <cmath>

#include <fmt/chrono.h>
#include <fmt/format.h>

namespace autograder::queue {
namespace {

const std::string& field(const EntryFields& fields, const std::string& name) {
    const auto found = fields.find(name);
    if (found == fields.end()) throw MessageError(fmt::format("the field '{}' is missing", name));
    if (found->second.size() > kMaxFieldBytes)
        throw MessageError(fmt::format("the field '{}' is larger than {} bytes", name, kMaxFieldBytes));
    return found->second;
}

int small_number(const EntryFields& fields, const std::string& name, int low, int high) {
    const std::string& text = field(fields, name);
    int value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || value < low || value > high)
        throw MessageError(fmt::format("the field '{}' must be a number from {} to {}", name, low, high));
    return value;
}

nlohmann::json json_field(const EntryFields& fields, const std::string& name) {
    const std::string& text = field(fields, name);
    nlohmann::json json = nlohmann::json::parse(text, nullptr, false);
    if (json.is_discarded()) throw MessageError(fmt::format("the field '{}' is not valid JSON", name));
    return json;
}

const nlohmann::json& member(const nlohmann::json& object, const char* key, nlohmann::json::value_t type,
                             const char* type_name) {
    const auto found = object.find(key);
    if (found == object.end()) throw MessageError(fmt::format("job.{} is missing", key));
    const bool numeric = type == nlohmann::json::value_t::number_integer;
    if (numeric ? !found->is_number_integer() : found->type() != type)
        throw MessageError(fmt::format("job.{} must be {}", key, type_name));
    return *found;
}

std::string check_filename(const nlohmann::json& name, std::size_t index) {
    const std::string where = fmt::format("job.files[{}].filename", index);
    if (!name.is_string()) throw MessageError(where + " must be a string");
    const auto& text = name.get_ref<const std::string&>();
    if (text.empty() || text.size() > kMaxFilenameBytes)
        throw MessageError(fmt::format("{} must have 1 to {} bytes", where, kMaxFilenameBytes));
    if (text.front() == '/') throw MessageError(where + " must be a relative path");
    for (char c : text)
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f || c == '\\')
            throw MessageError(where + " must not contain control characters or '\\'");
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t slash = text.find('/', start);
        if (slash == std::string::npos) slash = text.size();
        const auto component = std::string_view(text).substr(start, slash - start);
        if (component.empty() || component == "." || component == "..")
            throw MessageError(where + " must not have an empty, '.' or '..' path component");
        start = slash + 1;
    }
    return text;
}

}  // namespace

std::string utc_now_iso8601() {
    const auto now = std::chrono::system_clock::now();
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03}Z", fmt::gmtime(std::chrono::system_clock::to_time_t(now)), ms);
}

std::string reply_to_problem(const std::string& reply_to, const std::string& prefix) {
    const std::string start = prefix + ":replies:";
    const auto wanted = [&] {
        return fmt::format("job.reply_to must be a key '{}<id>' (an id of 1 to 64 letters, digits, '-' or '_')", start);
    };
    if (!reply_to.starts_with(start)) return wanted();
    const std::string_view id = std::string_view(reply_to).substr(start.size());
    if (id.empty() || id.size() > 64) return wanted();
    for (char c : id) {
        const bool allowed =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
        if (!allowed) return wanted();
    }
    return {};
}

int64_t id_field(const EntryFields& fields, const std::string& name) {
    const std::string& text = field(fields, name);
    int64_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || value <= 0)
        throw MessageError(fmt::format("the field '{}' must be a positive whole number", name));
    return value;
}

EntryFields JobMessage::to_fields() const {
    nlohmann::json files_json = nlohmann::json::array();
    for (const auto& file : files) {
        files_json.push_back({{"filename", file.filename}, {"content", file.content}});
        if (file.executable) files_json.back()["executable"] = true;
    }
    nlohmann::json job = {{"config_id", config_id},
                          {"config_version", config_version},
                          {"configuration", configuration},
                          {"locale", locale},
                          {"language", language},
                          {"metadata", metadata},
                          {"baseline_result_tree", baseline_result_tree},
                          {"files", std::move(files_json)}};
    if (!reply_to.empty()) job["reply_to"] = reply_to;
    return {{"job_id", std::to_string(job_id)},
            {"submission_id", std::to_string(submission_id)},
            {"attempts", std::to_string(attempts)},
            {"max_attempts", std::to_string(max_attempts)},
            {"job", job.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)}};
}

JobMessage JobMessage::from_fields(const EntryFields& fields) {
    if (fields.size() > kMaxFields) throw MessageError(fmt::format("the entry has more than {} fields", kMaxFields));
    JobMessage message;
    message.job_id = id_field(fields, "job_id");
    message.submission_id = id_field(fields, "submission_id");
    message.attempts = small_number(fields, "attempts", 0, 1000);
    message.max_attempts = small_number(fields, "max_attempts", 1, 1000);
    const nlohmann::json job = json_field(fields, "job");
    if (!job.is_object()) throw MessageError("the field 'job' must be a JSON object");
    using Type = nlohmann::json::value_t;
    message.config_id = member(job, "config_id", Type::number_integer, "a whole number").get<int64_t>();
    message.config_version = member(job, "config_version", Type::number_integer, "a whole number").get<int>();
    if (message.config_id <= 0 || message.config_version <= 0)
        throw MessageError("job.config_id and job.config_version must be positive");
    message.configuration = member(job, "configuration", Type::object, "an object");
    message.locale = member(job, "locale", Type::string, "a string").get<std::string>();
    message.language = member(job, "language", Type::string, "a string").get<std::string>();
    message.metadata = member(job, "metadata", Type::object, "an object");
    if (auto baseline = job.find("baseline_result_tree"); baseline != job.end())
        message.baseline_result_tree = *baseline;
    if (auto reply_to = job.find("reply_to"); reply_to != job.end()) {
        if (!reply_to->is_string() || reply_to->get_ref<const std::string&>().empty() ||
            reply_to->get_ref<const std::string&>().size() > kMaxReplyToBytes)
            throw MessageError(fmt::format("job.reply_to must be a string of 1 to {} bytes", kMaxReplyToBytes));
        message.reply_to = reply_to->get<std::string>();
    }
    const auto& files = member(job, "files", Type::array, "a list");
    if (files.empty() || files.size() > kMaxFiles)
        throw MessageError(fmt::format("job.files must hold 1 to {} files", kMaxFiles));
    for (std::size_t i = 0; i < files.size(); ++i) {
        const auto& file = files[i];
        if (!file.is_object()) throw MessageError(fmt::format("job.files[{}] must be an object", i));
        JobFile entry;
        entry.filename = check_filename(file.contains("filename") ? file["filename"] : nlohmann::json(), i);
        if (!file.contains("content") || !file["content"].is_string())
            throw MessageError(fmt::format("job.files[{}].content must be a string", i));
        entry.content = file["content"].get<std::string>();
        if (auto executable = file.find("executable"); executable != file.end()) {
            if (!executable->is_boolean())
                throw MessageError(fmt::format("job.files[{}].executable must be true or false", i));
            entry.executable = executable->get<bool>();
        }
        message.files.push_back(std::move(entry));
    }
    return message;
}

EntryFields ResultMessage::to_fields() const {
    return {{"job_id", std::to_string(job_id)},
            {"submission_id", std::to_string(submission_id)},
            {"worker", worker},
            {"status", status},
            {"final_score", fmt::format("{}", final_score)},
            {"result", body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)}};
}

ResultMessage ResultMessage::from_fields(const EntryFields& fields) {
    ResultMessage message;
    message.job_id = id_field(fields, "job_id");
    message.submission_id = id_field(fields, "submission_id");
    message.worker = field(fields, "worker").substr(0, 256);
    message.status = field(fields, "status").substr(0, 64);
    const std::string& score = field(fields, "final_score");
    try {
        std::size_t used = 0;
        message.final_score = std::stod(score, &used);
        if (used != score.size() || !std::isfinite(message.final_score)) throw std::invalid_argument(score);
    } catch (const std::exception&) {
        throw MessageError("the field 'final_score' must be a number");
    }
    message.body = json_field(fields, "result");
    if (!message.body.is_object()) throw MessageError("the field 'result' must be a JSON object");
    return message;
}

EntryFields DeadLetter::to_fields() const {
    return {{"job_id", std::to_string(job_id)},
            {"submission_id", std::to_string(submission_id)},
            {"reason", reason},
            {"attempts", std::to_string(attempts)},
            {"worker", worker},
            {"failed_at", failed_at},
            {"job", job}};
}

DeadLetter DeadLetter::from_fields(const EntryFields& fields) {
    DeadLetter letter;
    letter.job_id = id_field(fields, "job_id");
    if (auto found = fields.find("submission_id"); found != fields.end()) {
        try {
            letter.submission_id = id_field(fields, "submission_id");
        } catch (const MessageError&) {
        }
    }
    letter.reason = field(fields, "reason").substr(0, 4096);
    if (auto found = fields.find("attempts"); found != fields.end()) {
        try {
            letter.attempts = small_number(fields, "attempts", 0, 1000000);
        } catch (const MessageError&) {
        }
    }
    if (auto found = fields.find("worker"); found != fields.end()) letter.worker = found->second.substr(0, 256);
    if (auto found = fields.find("failed_at"); found != fields.end()) letter.failed_at = found->second.substr(0, 64);
    return letter;
}

}  // namespace autograder::queue
