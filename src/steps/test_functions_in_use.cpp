#include "steps/steps.hpp"

namespace autograder::steps {

bool any_test_function(const GradingConfig& config, const TemplateRegistry& templates,
                       const std::function<bool(const TestFunction&)>& predicate) {
    std::vector<const CriteriaNode*> pending = {&config.criteria.base};
    if (config.criteria.bonus) pending.push_back(&*config.criteria.bonus);
    if (config.criteria.penalty) pending.push_back(&*config.criteria.penalty);
    while (!pending.empty()) {
        const CriteriaNode* node = pending.back();
        pending.pop_back();
        for (const auto& test : node->tests)
            if (const TestFunction* f = templates.find(config.template_names, test.type); f && predicate(*f))
                return true;
        for (const auto& subject : node->subjects) pending.push_back(&subject);
    }
    return false;
}

}  // namespace autograder::steps
