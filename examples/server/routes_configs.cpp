// Grading configurations: POST /configs, GET /configs, GET /configs/{external_assignment_id},
// GET /configs/id/{id}, PUT /configs/{id}, PUT /configs/external/{external_assignment_id}, and the
// teacher's view GET /configs/{external_assignment_id}/submissions. A configuration is validated
// (a pipeline is made of it) before it is stored: every problem with its JSON path, 422.
#include <fmt/format.h>

#include "json_fields.hpp"
#include "routes.hpp"

namespace autograder::server {
namespace {

constexpr std::size_t kMaxAssignmentIdBytes = 255;
constexpr int64_t kMaxPageSize = 1000;
// Keys of the configuration document beyond the reference API's fields.
constexpr const char* kExtensionKeys[] = {"time_budget", "feedback_mode", "ai", "export"};

// The fields of a POST or PUT body over `base` (the defaults, or the version a PUT updates).
ConfigDocument read_document(const nlohmann::json& body, ConfigDocument base, Problems& problems) {
    FieldReader fields(body, "", problems);
    if (const auto* name = fields.member("template_name")) {
        if (name->is_string() || name->is_array())
            base.template_name = *name;
        else
            problems.add("template_name",
                         fmt::format("must be a string or a list of strings, not {}", name->type_name()));
    }
    using Type = nlohmann::json::value_t;
    if (const auto* criteria = fields.of_type("criteria_config", Presence::optional, Type::object, "an object"))
        base.criteria_config = *criteria;
    if (const auto* languages = fields.of_type("languages", Presence::optional, Type::array, "a list of strings"))
        base.languages = *languages;
    if (const auto* setup = fields.of_type("setup_config", Presence::optional, Type::object, "an object"))
        base.setup_config = *setup;
    if (const auto* feedback = fields.of_type("feedback_config", Presence::optional, Type::object, "an object"))
        base.feedback_config = *feedback;
    if (auto include = fields.boolean("include_feedback", Presence::optional)) base.include_feedback = *include;
    // The engine's own keys travel as given (the pipeline validates them); a null removes one.
    for (const char* key : kExtensionKeys) {
        if (!body.contains(key)) continue;
        if (body.at(key).is_null())
            base.extensions.erase(key);
        else
            base.extensions[key] = body.at(key);
    }
    fields.refuse_unknown({"external_assignment_id", "template_name", "criteria_config", "languages", "setup_config",
                           "feedback_config", "include_feedback", "time_budget", "feedback_mode", "ai", "export"});
    return base;
}

// Refused with 422 unless a pipeline can be made of it.
void validate(ServerContext& context, const ConfigDocument& document) {
    try {
        context.pipelines->make(document, Locale::en);
    } catch (const ConfigError& error) {
        std::vector<FieldProblem> problems;
        for (const auto& issue : error.issues()) problems.push_back({issue.path, issue.message});
        throw ApiError::validation(std::move(problems));
    } catch (const std::invalid_argument& error) {
        throw ApiError::validation({{"criteria_config", error.what()}});
    }
}

nlohmann::json configs_json(const std::vector<StoredConfig>& configs) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& config : configs) list.push_back(config.to_json());
    return list;
}

StoredConfig config_of_assignment(ServerContext& context, const std::string& external_assignment_id) {
    auto config = context.store->config_by_assignment(external_assignment_id);
    if (!config)
        throw ApiError(404, fmt::format("no configuration for assignment '{}'",
                                        external_assignment_id.substr(0, kMaxAssignmentIdBytes)));
    return *config;
}

// PUT: a new version of `current` with the body's fields.
nlohmann::json update(ServerContext& context, const StoredConfig& current, const httplib::Request& request) {
    const auto body = parse_json_object(request);
    Problems problems;
    FieldReader fields(body, "", problems);
    if (auto assignment = fields.text("external_assignment_id", Presence::optional, kMaxAssignmentIdBytes);
        assignment && *assignment != current.external_assignment_id)
        problems.add("external_assignment_id", "cannot change: it names the configuration being updated");
    ConfigDocument document = read_document(body, current.document, problems);
    problems.throw_if_any();
    validate(context, document);
    try {
        return context.store->update_config(current.id, document).to_json();
    } catch (const StoreError& error) {
        throw api_error_of(error);
    }
}

}  // namespace

void add_config_routes(Router& router, ServerContext& context) {
    const std::string configs = std::string(kApiPrefix) + "/configs";
    router.add("POST", configs, Access::token,
               [&context](const httplib::Request& request, httplib::Response& response, const PathParams&) {
                   const auto body = parse_json_object(request);
                   Problems problems;
                   FieldReader fields(body, "", problems);
                   auto assignment = fields.text("external_assignment_id", Presence::required, kMaxAssignmentIdBytes);
                   fields.of_type("criteria_config", Presence::required, nlohmann::json::value_t::object, "an object");
                   ConfigDocument document = read_document(body, ConfigDocument{}, problems);
                   problems.throw_if_any();
                   if (context.store->config_by_assignment(*assignment))
                       throw ApiError(409,
                                      fmt::format("assignment '{}' already has a configuration; PUT "
                                                  "/api/v1/configs/external/{{external_assignment_id}} "
                                                  "writes a new version",
                                                  *assignment),
                                      "external_assignment_id");
                   validate(context, document);
                   try {
                       send_json(response, 201, context.store->create_config(*assignment, document).to_json());
                   } catch (const StoreError& error) {
                       throw api_error_of(error);
                   }
               });
    router.add("GET", configs, Access::open,
               [&context](const httplib::Request& request, httplib::Response& response, const PathParams&) {
                   const auto limit = query_integer(request, "limit", 100, 1, kMaxPageSize);
                   const auto offset = query_integer(request, "offset", 0, 0, INT64_MAX);
                   response.set_header("X-Total-Count", std::to_string(context.store->count_configs()));
                   send_json(response, 200, configs_json(context.store->list_configs(limit, offset)));
               });
    router.add("GET", configs + "/{external_assignment_id}", Access::open,
               [&context](const httplib::Request&, httplib::Response& response, const PathParams& params) {
                   send_json(response, 200,
                             config_of_assignment(context, params.at("external_assignment_id")).to_json());
               });
    router.add("GET", configs + "/id/{id}", Access::open,
               [&context](const httplib::Request& request, httplib::Response& response, const PathParams& params) {
                   const int64_t id = path_id(params, "id", "configuration");
                   std::optional<int> version;
                   if (request.has_param("version"))
                       version = static_cast<int>(query_integer(request, "version", 1, 1, INT32_MAX));
                   auto config = context.store->config(id, version);
                   if (!config)
                       throw ApiError(404, version ? fmt::format("configuration {} has no version {}", id, *version)
                                                   : fmt::format("no configuration with id {}", id));
                   send_json(response, 200, config->to_json());
               });
    router.add("PUT", configs + "/{id}", Access::token,
               [&context](const httplib::Request& request, httplib::Response& response, const PathParams& params) {
                   const int64_t id = path_id(params, "id", "configuration");
                   auto current = context.store->config(id);
                   if (!current) throw ApiError(404, fmt::format("no configuration with id {}", id));
                   send_json(response, 200, update(context, *current, request));
               });
    router.add("PUT", configs + "/external/{external_assignment_id}", Access::token,
               [&context](const httplib::Request& request, httplib::Response& response, const PathParams& params) {
                   auto current = config_of_assignment(context, params.at("external_assignment_id"));
                   send_json(response, 200, update(context, current, request));
               });
    router.add("GET", configs + "/{external_assignment_id}/submissions", Access::token,
               [&context](const httplib::Request& request, httplib::Response& response, const PathParams& params) {
                   const auto& assignment = params.at("external_assignment_id");
                   config_of_assignment(context, assignment);  // 404 for an unknown assignment
                   const auto limit = query_integer(request, "limit", 100, 1, kMaxPageSize);
                   const auto offset = query_integer(request, "offset", 0, 0, INT64_MAX);
                   nlohmann::json list = nlohmann::json::array();
                   for (const auto& submission : context.store->submissions_of_assignment(assignment, limit, offset))
                       list.push_back(submission.to_json());
                   send_json(response, 200, list);
               });
}

}  // namespace autograder::server
