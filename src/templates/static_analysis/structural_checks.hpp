// The static_analysis template's structural checks on syntax trees: has_function, has_class,
// uses_construct, max_nesting_depth (structural_checks.cpp) and count_query (count_query.cpp).
#pragma once

#include <memory>
#include <vector>

#include "autograder/templates.hpp"

namespace autograder::templates {

std::vector<std::shared_ptr<const TestFunction>> structural_check_functions();
std::shared_ptr<const TestFunction> count_query_function();

}  // namespace autograder::templates
