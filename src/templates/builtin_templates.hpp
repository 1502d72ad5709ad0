// The templates that ship with the library.
#pragma once

#include "autograder/templates.hpp"

namespace autograder::templates {

Template input_output_template();     // expect_output, dont_fail, expect_file_artifact
Template static_analysis_template();  // forbidden_import, forbidden_keyword, structural_checks.hpp
Template webdev_template();           // HTML, CSS and JavaScript checks (docs/templates.md)
Template api_template();              // the student's HTTP server, sent requests
Template ai_template();               // ai_rubric and the algorithm checks, judged by the AI model
// ai_sorting_algorithm, ai_search_algorithm, ai_graph_algorithm: also in static_analysis, as in the reference.
std::vector<std::shared_ptr<const TestFunction>> reference_ai_functions();
Template unit_test_template();  // pytest, junit5, node_test: the instructor's unit tests, one result test per case

}  // namespace autograder::templates
