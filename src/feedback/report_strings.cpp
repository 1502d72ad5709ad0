#include "feedback/report_strings.hpp"

namespace autograder::feedback_detail {

namespace {

constexpr ReportStrings kEnglish{
    .title = "Grading report",
    .summary_label = "Summary",
    .total = "total",
    .passed = "passed",
    .failed = "failed",
    .base_header = "Requirements",
    .bonus_header = "Bonus",
    .penalty_header = "Penalties",
    .file = "File",
    .all_files = "all submitted files",
    .score = "Score",
    .parameters = "Parameters",
    .all_passed = "Every test in this category passed.",
    .final_score = "Final score",
    .learning_resources = "Learning resources",
    .related_to = "related to",
    .truncated = "(output truncated)",
    .test_points = "{} of {} points",
    .penalty_points = "{} points deducted (at most {})",
    .category_score = "Category score",
    .bonus_total = "+{} of {} points",
    .penalty_total = "−{} of {} points",
    .hidden = "hidden (they count in the score)",
};

constexpr ReportStrings kBrazilianPortuguese{
    .title = "Relatório de avaliação",
    .summary_label = "Resumo",
    .total = "total",
    .passed = "aprovados",
    .failed = "reprovados",
    .base_header = "Requisitos",
    .bonus_header = "Bônus",
    .penalty_header = "Penalidades",
    .file = "Arquivo",
    .all_files = "todos os arquivos enviados",
    .score = "Nota",
    .parameters = "Parâmetros",
    .all_passed = "Todos os testes desta categoria foram aprovados.",
    .final_score = "Nota final",
    .learning_resources = "Materiais de estudo",
    .related_to = "relacionado a",
    .truncated = "(saída truncada)",
    .test_points = "{} de {} pontos",
    .penalty_points = "{} pontos descontados (no máximo {})",
    .category_score = "Nota da categoria",
    .bonus_total = "+{} de {} pontos",
    .penalty_total = "−{} de {} pontos",
    .hidden = "ocultos (contam na nota)",
};

}  // namespace

const ReportStrings& report_strings(Locale locale) {
    return locale == Locale::pt_br ? kBrazilianPortuguese : kEnglish;
}

}  // namespace autograder::feedback_detail
