// Pipelines made from stored configurations, kept by (configuration id, version, locale): one
// Pipeline grades every submission of an assignment version, from every thread at once. All share
// one sandbox pool (the server's, or a worker's).
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <tuple>

#include <nlohmann/json.hpp>

#include "autograder/feedback.hpp"
#include "autograder/pipeline.hpp"
#include "autograder/store.hpp"

namespace autograder::queue {

// The single configuration document (docs/configuration.md) of the REST fields, so a problem's
// JSON path is the request field's: "criteria_config.base.tests[0].weight".
nlohmann::json configuration_document(const ConfigDocument& document);

class PipelineCache {
public:
    PipelineCache(std::shared_ptr<SandboxPool> pool, std::size_t capacity);

    // Makes a pipeline of the document: what validates a configuration before it is stored.
    // Throws ConfigError with every problem.
    std::shared_ptr<const Pipeline> make(const ConfigDocument& document, Locale locale) const;
    // The cached pipeline of that stored version, made on first use.
    std::shared_ptr<const Pipeline> get(const StoredConfig& config, Locale locale);
    // The same, from the configuration document of that version (what a job message carries).
    std::shared_ptr<const Pipeline> get(int64_t config_id, int version, const nlohmann::json& document, Locale locale);

private:
    using Key = std::tuple<int64_t, int, Locale>;
    std::shared_ptr<SandboxPool> pool_;
    TemplateRegistry templates_ = TemplateRegistry::with_defaults();
    std::size_t capacity_;
    std::mutex mutex_;
    std::map<Key, std::shared_ptr<const Pipeline>> pipelines_;
    std::list<Key> order_;  // oldest first, for eviction
};

}  // namespace autograder::queue
