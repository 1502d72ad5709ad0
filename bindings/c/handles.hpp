// The opaque handles of autograder.h: plain structs around the C++ objects.
#pragma once

#include <memory>

#include "autograder.h"
#include "autograder/languages.hpp"
#include "autograder/pipeline.hpp"
#include "autograder/sandbox_pool.hpp"

struct ag_pipeline {
    std::shared_ptr<const autograder::Pipeline> pipeline;
};

struct ag_sandbox_pool {
    std::shared_ptr<autograder::SandboxPool> pool;
};

struct ag_sandbox {
    // Declared before the lease so that it outlives it: the lease returns the sandbox to this
    // pool, which ag_sandbox_pool_destroy may already have let go of.
    std::shared_ptr<autograder::SandboxPool> pool;
    autograder::SandboxPool::Lease lease;
    const autograder::Language* language;
};
