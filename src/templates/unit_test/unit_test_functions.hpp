// The functions of the unit_test template besides pytest, one framework each.
#pragma once

#include <memory>

#include "autograder/templates.hpp"

namespace autograder::templates {

std::shared_ptr<const TestFunction> junit5_function();     // Java, JUnit 5 console launcher
std::shared_ptr<const TestFunction> node_test_function();  // JavaScript, node --test
std::shared_ptr<const TestFunction> doctest_function();    // C and C++, doctest

}  // namespace autograder::templates
