// split_command_line (languages/command_line): POSIX-shell-like word splitting and nothing else.
// Commands are written as raw string literals, R"(...)", so what is between the parentheses is
// exactly what a configuration file would hold. Expected words are worked out by the shell rules.
#include <stdexcept>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "languages/command_line.hpp"

using autograder::split_command_line;
using Words = std::vector<std::string>;

TEST_CASE("command line: plain words are split on whitespace") {
    CHECK(split_command_line("gcc") == Words{"gcc"});
    CHECK(split_command_line("gcc -o calc main.c") == Words{"gcc", "-o", "calc", "main.c"});
    CHECK(split_command_line("./geometry") == Words{"./geometry"});
    // Runs of separators make no empty words; leading and trailing separators are ignored.
    CHECK(split_command_line("  a   b  ") == Words{"a", "b"});
    CHECK(split_command_line("a    b") == Words{"a", "b"});
}

TEST_CASE("command line: tabs and newlines separate words like spaces") {
    CHECK(split_command_line("a\tb") == Words{"a", "b"});
    CHECK(split_command_line("a\nb") == Words{"a", "b"});
    CHECK(split_command_line("\t\na \t\n b\n\t") == Words{"a", "b"});
    CHECK(split_command_line("gcc\t-O2\n-o\tprog \n main.c") == Words{"gcc", "-O2", "-o", "prog", "main.c"});
}

TEST_CASE("command line: the spec's sh -c example keeps the quoted script as one word") {
    CHECK(split_command_line(R"(sh -c "a && b")") == Words{"sh", "-c", "a && b"});
    CHECK(split_command_line(R"(sh -c 'a && b')") == Words{"sh", "-c", "a && b"});
    CHECK(split_command_line(R"(bash -c "make && ./run < in.txt > out.txt")") ==
          Words{"bash", "-c", "make && ./run < in.txt > out.txt"});
}

TEST_CASE("command line: single quotes are literal") {
    CHECK(split_command_line(R"(gcc -o calc 'my file.c')") == Words{"gcc", "-o", "calc", "my file.c"});
    // Whitespace of every kind inside single quotes is kept.
    CHECK(split_command_line("'a \t\n b'") == Words{"a \t\n b"});
    // Backslashes are literal inside single quotes, even before the closing quote.
    CHECK(split_command_line(R"('a\b')") == Words{R"(a\b)"});
    CHECK(split_command_line(R"('a\nb')") == Words{R"(a\nb)"});
    CHECK(split_command_line(R"('a\')") == Words{R"(a\)"});
    CHECK(split_command_line(R"('\\')") == Words{R"(\\)"});
    // Double quotes, dollars and backquotes are literal inside single quotes.
    CHECK(split_command_line(R"('say "hi"')") == Words{R"(say "hi")"});
    CHECK(split_command_line(R"('$HOME `id` *')") == Words{"$HOME `id` *"});
}

TEST_CASE(
    "command line: double quotes group words and honour backslash escapes of quote, backslash, dollar, backtick") {
    CHECK(split_command_line(R"("a b" c)") == Words{"a b", "c"});
    CHECK(split_command_line(R"("say \"hi\"")") == Words{R"(say "hi")"});
    CHECK(split_command_line(R"("a\\b")") == Words{R"(a\b)"});
    CHECK(split_command_line(R"("\$HOME")") == Words{"$HOME"});
    CHECK(split_command_line(R"("\`id\`")") == Words{"`id`"});
    // An escaped backslash just before the closing quote: the quote still closes.
    CHECK(split_command_line(R"("a\\" b)") == Words{R"(a\)", "b"});
    // Before any other character the backslash stays (POSIX): "\n", "\a", "\'" are two characters.
    CHECK(split_command_line(R"("a\nb")") == Words{R"(a\nb)"});
    CHECK(split_command_line(R"("\a")") == Words{R"(\a)"});
    CHECK(split_command_line(R"("it\'s")") == Words{R"(it\'s)"});
    // A single quote inside double quotes is an ordinary character.
    CHECK(split_command_line(R"("it's")") == Words{"it's"});
    // Whitespace inside double quotes is kept.
    CHECK(split_command_line("\"a\t\nb\"") == Words{"a\t\nb"});
}

TEST_CASE("command line: a backslash outside quotes escapes the next character") {
    CHECK(split_command_line(R"(a\ b)") == Words{"a b"});
    CHECK(split_command_line(R"(my\ file.c other)") == Words{"my file.c", "other"});
    CHECK(split_command_line(R"(\'a\')") == Words{"'a'"});
    CHECK(split_command_line(R"(\"a\")") == Words{R"("a")"});
    CHECK(split_command_line(R"(a\\b)") == Words{R"(a\b)"});
    // Any character: the backslash goes, the character stays ("\n" here is backslash + 'n').
    CHECK(split_command_line(R"(\n)") == Words{"n"});
    CHECK(split_command_line(R"(\$HOME)") == Words{"$HOME"});
    // An escaped tab is part of the word, not a separator.
    CHECK(split_command_line("a\\\tb") == Words{"a\tb"});
    // An escaped space on its own is a one-character word.
    CHECK(split_command_line(R"(x \  y)") == Words{"x", " ", "y"});
}

TEST_CASE("command line: adjacent quoted and unquoted pieces make one word") {
    CHECK(split_command_line(R"(a'b'"c")") == Words{"abc"});
    CHECK(split_command_line(R"('a'"b"c)") == Words{"abc"});
    CHECK(split_command_line(R"(a"b c"d)") == Words{"ab cd"});
    CHECK(split_command_line(R"(--name='John Smith')") == Words{"--name=John Smith"});
    CHECK(split_command_line(R"(-D"X=1 2" -I'inc dir')") == Words{"-DX=1 2", "-Iinc dir"});
    CHECK(split_command_line(R"(a\ 'b c'\ d)") == Words{"a b c d"});
}

TEST_CASE("command line: empty quotes make an empty argument") {
    CHECK(split_command_line("''") == Words{""});
    CHECK(split_command_line(R"("")") == Words{""});
    CHECK(split_command_line(R"(''"")") == Words{""});
    CHECK(split_command_line(R"(prog '' "" x)") == Words{"prog", "", "", "x"});
    CHECK(split_command_line(R"(prog '')") == Words{"prog", ""});
    CHECK(split_command_line(R"(  ''  )") == Words{""});
    // Empty quotes next to text add nothing to the word.
    CHECK(split_command_line(R"(a''b)") == Words{"ab"});
    CHECK(split_command_line(R"(""a)") == Words{"a"});
}

TEST_CASE("command line: no variables, globs, pipes, redirections or operators") {
    CHECK(split_command_line("echo $HOME ${PATH}") == Words{"echo", "$HOME", "${PATH}"});
    CHECK(split_command_line("ls *.c ?.h [ab].txt ~") == Words{"ls", "*.c", "?.h", "[ab].txt", "~"});
    CHECK(split_command_line("a|b c>d <e") == Words{"a|b", "c>d", "<e"});
    CHECK(split_command_line("a && b; c || d &") == Words{"a", "&&", "b;", "c", "||", "d", "&"});
    CHECK(split_command_line("echo `id` $(id)") == Words{"echo", "`id`", "$(id)"});
    CHECK(split_command_line("# not a comment") == Words{"#", "not", "a", "comment"});
    CHECK(split_command_line(R"("$HOME")") == Words{"$HOME"});
}

TEST_CASE("command line: non-ASCII text passes through unchanged") {
    CHECK(split_command_line("python3 'héllo wörld.py' 日本") == Words{"python3", "héllo wörld.py", "日本"});
}

TEST_CASE("command line: an empty command throws std::invalid_argument") {
    CHECK_THROWS_AS(split_command_line(""), std::invalid_argument);
    CHECK_THROWS_AS(split_command_line(" "), std::invalid_argument);
    CHECK_THROWS_AS(split_command_line(" \t\n  \n"), std::invalid_argument);
}

TEST_CASE("command line: an unterminated quote throws std::invalid_argument") {
    CHECK_THROWS_AS(split_command_line("'abc"), std::invalid_argument);
    CHECK_THROWS_AS(split_command_line(R"("abc)"), std::invalid_argument);
    CHECK_THROWS_AS(split_command_line("'"), std::invalid_argument);
    CHECK_THROWS_AS(split_command_line(R"(")"), std::invalid_argument);
    CHECK_THROWS_AS(split_command_line(R"(gcc -o a "my file.c)"), std::invalid_argument);
    CHECK_THROWS_AS(split_command_line("a 'b' 'c"), std::invalid_argument);
    // The only double quote is escaped, so the string never closes.
    CHECK_THROWS_AS(split_command_line(R"("abc\")"), std::invalid_argument);
    // A double quote inside single quotes does not close an outer double quote, and vice versa.
    CHECK_THROWS_AS(split_command_line(R"("it's)"), std::invalid_argument);
    CHECK_THROWS_AS(split_command_line(R"('say "hi)"), std::invalid_argument);
    // A backslash outside quotes makes a quote literal, so the other one is left open.
    CHECK_THROWS_AS(split_command_line(R"(\'a')"), std::invalid_argument);
    // Backslash at the very end inside double quotes: still unterminated.
    CHECK_THROWS_AS(split_command_line(R"("a\)"), std::invalid_argument);
}
