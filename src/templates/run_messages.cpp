#include "templates/run_messages.hpp"

#include <optional>
#include <regex>
#include <string>

#include "feedback/message_table.hpp"

namespace autograder::templates {
namespace {

// The notes the sandbox may append to its sentence, last first.
constexpr std::string_view kMemoryNote = " The memory limit was reached just before.";

std::string signal_text(Locale locale, const std::string& description) {
    if (description == "SIGSEGV (segmentation fault: an invalid memory access, or a stack overflow)")
        return localized(locale, "SIGSEGV (segmentation fault: an invalid memory access, or a stack overflow)");
    if (description == "SIGABRT (aborted, e.g. a failed assertion or an uncaught exception)")
        return localized(locale, "SIGABRT (aborted, e.g. a failed assertion or an uncaught exception)");
    if (description == "SIGFPE (arithmetic error, e.g. an integer division by zero)")
        return localized(locale, "SIGFPE (arithmetic error, e.g. an integer division by zero)");
    if (description == "SIGXFSZ (a file grew past the file size limit)")
        return localized(locale, "SIGXFSZ (a file grew past the file size limit)");
    if (description == "SIGPIPE (wrote to a closed pipe)") return localized(locale, "SIGPIPE (wrote to a closed pipe)");
    return description;  // SIGKILL, "signal 7 (Bus error)": names, not sentences
}

// The main sentence, or nullopt when it is not one of the sandbox's known forms.
std::optional<std::string> main_sentence(Locale locale, const std::string& sentence) {
    static const std::regex wall(R"(Wall time limit of (\S+ s) exceeded \(the program was waiting or sleeping\)\.)");
    static const std::regex cpu(R"(CPU time limit of (\S+ s) exceeded \(counted over every process and thread\)\.)");
    static const std::regex memory(R"(Memory limit of (\d+) MiB exceeded\.)");
    static const std::regex output(R"(Output limit of (\d+) KiB exceeded; the output was cut there\.)");
    static const std::regex killed(R"(Killed by (.+)\.)");
    static const std::regex exited(R"(Exited with code (-?\d+)\.)");
    std::smatch m;
    if (std::regex_match(sentence, m, wall))
        return localized(locale, "Wall time limit of {} exceeded (the program was waiting or sleeping).", m.str(1));
    if (std::regex_match(sentence, m, cpu))
        return localized(locale, "CPU time limit of {} exceeded (counted over every process and thread).", m.str(1));
    if (std::regex_match(sentence, m, memory)) return localized(locale, "Memory limit of {} MiB exceeded.", m.str(1));
    if (std::regex_match(sentence, m, output))
        return localized(locale, "Output limit of {} KiB exceeded; the output was cut there.", m.str(1));
    if (sentence ==
        "Killed for a forbidden system call (the sandbox does not allow it: e.g. ptrace, mount, bpf, new namespaces "
        "or a 32-bit system call).")
        return localized(locale,
                         "Killed for a forbidden system call (the sandbox does not allow it: e.g. ptrace, mount, bpf, "
                         "new namespaces or a 32-bit system call).");
    if (std::regex_match(sentence, m, exited)) return localized(locale, "Exited with code {}.", m.str(1));
    if (std::regex_match(sentence, m, killed)) return localized(locale, "Killed by {}.", signal_text(locale, m.str(1)));
    if (sentence == "Exited normally.") return localized(locale, "Exited normally.");
    return std::nullopt;
}

}  // namespace

std::string localized_run_message(Locale locale, std::string_view message) {
    if (locale == Locale::en) return std::string(message);
    std::string rest(message);
    std::string notes;
    if (rest.ends_with(kMemoryNote)) {
        rest.resize(rest.size() - kMemoryNote.size());
        notes = " " + localized(locale, "The memory limit was reached just before.");
    }
    static const std::regex processes(R"(^(.*) The process limit \((\d+)\) was reached (\d+) time\(s\)\.$)");
    std::smatch m;
    if (std::regex_match(rest, m, processes)) {
        notes = " " + localized(locale, "The process limit ({}) was reached {} time(s).", m.str(2), m.str(3)) + notes;
        rest = m.str(1);
    }
    auto sentence = main_sentence(locale, rest);
    if (!sentence) return std::string(message);
    return *sentence + notes;
}

}  // namespace autograder::templates
