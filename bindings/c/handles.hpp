// The opaque handles of autograder.h: plain structs around the C++ objects.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "autograder.h"
#include "autograder/languages.hpp"
#include "autograder/pipeline.hpp"
#include "autograder/sandbox_pool.hpp"

struct ag_pipeline {
    std::shared_ptr<const autograder::Pipeline> pipeline;
};

struct ag_pipeline_options {
    // Host functions and steps sit in here behind shared_ptrs: each pipeline made from these
    // options copies them, so the callbacks' user_data lives as long as its last owner.
    autograder::PipelineOptions options;
};

struct ag_sandbox_pool {
    std::shared_ptr<autograder::SandboxPool> pool;
};

struct ag_sandbox {
    // Declared before the lease so that it outlives it: the lease returns the sandbox to this
    // pool, which ag_sandbox_pool_destroy may already have let go of.
    std::shared_ptr<autograder::SandboxPool> pool;
    autograder::SandboxPool::Lease lease;
    const autograder::Language* language = nullptr;
    // Set for the sandbox an ag_test_fn borrows: the grading owns it (and this handle, which
    // lives on the grading's stack), so ag_sandbox_release must leave it alone.
    autograder::Sandbox* borrowed = nullptr;

    autograder::Sandbox& sandbox() const { return borrowed ? *borrowed : *lease; }
};

struct ag_reply {
    enum class Kind { test_function, step };
    Kind kind;
    std::optional<nlohmann::json> answer;  // the last answer ag_reply_set accepted
    std::string problem;                   // why the last ag_reply_set refused its answer
};
