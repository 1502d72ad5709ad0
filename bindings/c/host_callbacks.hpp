// C callbacks as the C++ library's extension points: an ag_test_fn becomes a TestFunction, an
// ag_step_fn a Step. Each object owns its callback's user_data and calls destroy_user_data when
// the last pipeline (or options) holding it lets go.
#pragma once

#include <memory>
#include <string>

#include "autograder.h"
#include "autograder/pipeline.hpp"
#include "autograder/templates.hpp"
#include "json_requests.hpp"

namespace autograder::c_abi {

// The user_data of a callback. It is not owned until adopt(): a failing ag_ call leaves the
// host's data to the host.
class HostUserData {
public:
    HostUserData(void* data, void (*destroy)(void*)) : data_(data), destroy_(destroy) {}
    ~HostUserData() {
        if (owned_ && destroy_) destroy_(data_);
    }
    HostUserData(const HostUserData&) = delete;
    HostUserData& operator=(const HostUserData&) = delete;

    void* get() const { return data_; }
    void adopt() { owned_ = true; }

private:
    void* data_;
    void (*destroy_)(void*);
    bool owned_ = false;
};

class CallbackTestFunction final : public TestFunction {
public:
    CallbackTestFunction(HostFunctionDescription description, ag_test_fn callback, void* user_data,
                         void (*destroy_user_data)(void*))
        : description_(std::move(description)), callback_(callback), user_data_(user_data, destroy_user_data) {}

    std::string key() const override { return description_.key; }
    std::string description() const override { return description_.description; }
    std::vector<ParameterDoc> parameters() const override { return description_.parameters; }
    bool needs_sandbox() const override { return description_.needs_sandbox; }
    TestOutcome run(const TestContext& context) const override;

    void adopt_user_data() { user_data_.adopt(); }

private:
    HostFunctionDescription description_;
    ag_test_fn callback_;
    HostUserData user_data_;
};

class CallbackStep final : public HostStep {
public:
    CallbackStep(std::string name, ag_step_fn callback, void* user_data, void (*destroy_user_data)(void*))
        : name_(std::move(name)), callback_(callback), user_data_(user_data, destroy_user_data) {}

    std::string name() const override { return name_; }
    StepOutcome run(const PipelineExecution& execution, nlohmann::json& host_data) const override;

    void adopt_user_data() { user_data_.adopt(); }

private:
    std::string name_;
    ag_step_fn callback_;
    HostUserData user_data_;
};

}  // namespace autograder::c_abi
