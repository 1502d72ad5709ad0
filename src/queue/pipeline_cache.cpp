#include "queue/pipeline_cache.hpp"

#include <algorithm>

namespace autograder::queue {

nlohmann::json configuration_document(const ConfigDocument& document) {
    nlohmann::json json = {{"template_name", document.template_name},
                           {"criteria_config", document.criteria_config},
                           {"languages", document.languages},
                           {"include_feedback", document.include_feedback}};
    if (!document.setup_config.is_null()) json["setup_config"] = document.setup_config;
    if (!document.feedback_config.is_null()) json["feedback_config"] = document.feedback_config;
    if (document.extensions.is_object())
        for (const auto& [key, value] : document.extensions.items()) json[key] = value;
    return json;
}

PipelineCache::PipelineCache(std::shared_ptr<SandboxPool> pool, std::size_t capacity)
    : pool_(std::move(pool)), capacity_(std::max<std::size_t>(capacity, 1)) {}

std::shared_ptr<const Pipeline> PipelineCache::make(const ConfigDocument& document, Locale locale) const {
    PipelineOptions options;
    options.templates = templates_;
    options.pool = pool_;
    options.locale = locale;
    return Pipeline::create(configuration_document(document), std::move(options));
}

std::shared_ptr<const Pipeline> PipelineCache::get(const StoredConfig& config, Locale locale) {
    {
        std::lock_guard lock(mutex_);
        if (auto it = pipelines_.find(Key{config.id, config.version, locale}); it != pipelines_.end())
            return it->second;
    }
    return get(config.id, config.version, configuration_document(config.document), locale);
}

std::shared_ptr<const Pipeline> PipelineCache::get(int64_t config_id, int version, const nlohmann::json& document,
                                                   Locale locale) {
    const Key key{config_id, version, locale};
    {
        std::lock_guard lock(mutex_);
        if (auto it = pipelines_.find(key); it != pipelines_.end()) return it->second;
    }
    // Made outside the lock: two threads may both make it; the first one kept wins.
    PipelineOptions options;
    options.templates = templates_;
    options.pool = pool_;
    options.locale = locale;
    auto pipeline = Pipeline::create(document, std::move(options));
    std::lock_guard lock(mutex_);
    auto [it, inserted] = pipelines_.emplace(key, pipeline);
    if (inserted) {
        order_.push_back(key);
        if (order_.size() > capacity_) {
            pipelines_.erase(order_.front());
            order_.pop_front();
        }
    }
    return it->second;
}

}  // namespace autograder::queue
