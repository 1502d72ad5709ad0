// Focus (docs/configuration.md, "Focus"): what each test's shortfall costs in final-score points, so feedback can
// lead with what matters most. The sf/tf split is already inside the balanced weights, so it is
// applied exactly once (the reference applies subjects_weight twice on mixed nodes).
#include <algorithm>

#include "autograder/criteria.hpp"

namespace autograder {

const std::vector<FocusEntry>& Focus::category(Category which) const {
    switch (which) {
        case Category::base:
            return base;
        case Category::bonus:
            return bonus;
        case Category::penalty:
            return penalty;
    }
    return base;
}

nlohmann::json Focus::to_json() const {
    auto list = [](const std::vector<FocusEntry>& entries) {
        auto json = nlohmann::json::array();
        for (const auto& entry : entries)
            json.push_back({{"test", entry.test}, {"impact", rounded_score(entry.impact)}, {"path", entry.path}});
        return json;
    };
    return {{"base", list(base)}, {"bonus", list(bonus)}, {"penalty", list(penalty)}};
}

Focus compute_focus(const ResultTree& result) {
    Focus focus;
    for (const auto& located : locate_tests(result)) {
        auto& list = located.category == Category::base    ? focus.base
                     : located.category == Category::bonus ? focus.bonus
                                                           : focus.penalty;
        list.push_back({located.test->name, located.path, (100 - located.test->score) * located.effective_weight});
    }
    auto by_impact = [](const FocusEntry& a, const FocusEntry& b) { return a.impact > b.impact; };
    for (auto* list : {&focus.base, &focus.bonus, &focus.penalty})
        std::stable_sort(list->begin(), list->end(), by_impact);
    return focus;
}

}  // namespace autograder
