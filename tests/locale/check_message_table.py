#!/usr/bin/env python3
"""Every message (and every word of the report's frame, report_strings.cpp) the source passes to localized() has an entry in every locale table
(src/feedback/locales/*.json), with the same {} placeholders; no table holds an entry no code
uses; every localized() call names its pattern as a string literal (so it can be checked)."""
import json
import pathlib
import re
import sys

source_dir = pathlib.Path(sys.argv[1])
src = source_dir / "src"
wrapper_headers = {src / "feedback" / "message_table.hpp", src / "templates" / "localized.hpp"}

CALL = re.compile(r"\blocalized\(")
LITERAL = re.compile(r'\s*"((?:[^"\\\n]|\\.)*)"')
ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "'": "'"}


def decode(body):
    return re.sub(r"\\(.)", lambda m: ESCAPES.get(m.group(1), "\\" + m.group(1)), body)


def first_argument_end(text, start):
    """Index of the comma ending localized()'s first argument, or -1."""
    depth = 0
    i = start
    while i < len(text):
        c = text[i]
        if c in "([{":
            depth += 1
        elif c in ")]}":
            if depth == 0:
                return -1
            depth -= 1
        elif c == "," and depth == 0:
            return i
        elif c == '"':
            return -1
        i += 1
    return -1


def fields(pattern):
    """The replacement fields of an fmt pattern as (index or None, format spec)."""
    found = []
    for field in re.findall(r"\{([^{}]*)\}", pattern.replace("{{", "").replace("}}", "")):
        name, _, spec = field.partition(":")
        found.append((int(name) if name.isdigit() else None, spec))
    return found


def placeholders_differ(english, translated):
    """Why the translation's fields cannot take the English pattern's arguments, or None. It may
    reorder them with explicit indices ({1} ... {0})."""
    wanted = [spec for _, spec in fields(english)]
    given = fields(translated)
    if any(index is not None for index, _ in given):
        if any(index is None for index, _ in given):
            return "mixes automatic {} and numbered {0} fields"
        if sorted(index for index, _ in given) != list(range(len(wanted))) or any(
                spec != wanted[index] for index, spec in given):
            return f"numbered fields {given} do not match {wanted}"
        return None
    if sorted(spec for _, spec in given) != sorted(wanted) or len(given) != len(wanted):
        return f"fields {[spec for _, spec in given]} differ from {wanted}"
    return None


problems = []
used = {}
for path in sorted(list(src.rglob("*.cpp")) + list(src.rglob("*.hpp"))):
    if path in wrapper_headers:
        continue
    text = path.read_text(encoding="utf-8")
    for call in CALL.finditer(text):
        line = text.count("\n", 0, call.start()) + 1
        comma = first_argument_end(text, call.end())
        if comma < 0:
            problems.append(f"{path.relative_to(source_dir)}:{line}: localized() without a locale argument")
            continue
        position = comma + 1
        pieces = []
        while True:
            literal = LITERAL.match(text, position)
            if not literal:
                break
            pieces.append(decode(literal.group(1)))
            position = literal.end()
        if not pieces:
            problems.append(f"{path.relative_to(source_dir)}:{line}: the pattern of localized() must be a string literal")
            continue
        used.setdefault("".join(pieces), f"{path.relative_to(source_dir)}:{line}")

# The report's frame: the English words of report_strings.cpp are keys of the tables too.
frame_source = src / "feedback" / "report_strings.cpp"
frame_text = frame_source.read_text(encoding="utf-8")
frame = re.search(r"constexpr ReportStrings kEnglish\{(.*?)\};", frame_text, re.S)
if not frame:
    problems.append("src/feedback/report_strings.cpp: no kEnglish table found")
else:
    for field in re.finditer(r'\.(\w+) = "((?:[^"\\]|\\.)*)"', frame.group(1)):
        used.setdefault(decode(field.group(2)), f"src/feedback/report_strings.cpp (.{field.group(1)})")

if not used:
    problems.append("no localized() call found under src/: is the scanner still right?")

tables = sorted((src / "feedback" / "locales").glob("*.json"))
if not tables:
    problems.append("no locale table in src/feedback/locales/")
for table_path in tables:
    try:
        table = json.loads(table_path.read_text(encoding="utf-8"))
    except ValueError as error:
        problems.append(f"{table_path.name}: not JSON: {error}")
        continue
    for english, where in sorted(used.items(), key=lambda item: item[1]):
        if english not in table:
            problems.append(f"{table_path.name}: no entry for {json.dumps(english, ensure_ascii=False)} (used at {where})")
        elif not isinstance(table[english], str) or not table[english].strip():
            problems.append(f"{table_path.name}: the entry for {json.dumps(english, ensure_ascii=False)} is empty")
        elif (why := placeholders_differ(english, table[english])):
            problems.append(f"{table_path.name}: {json.dumps(english, ensure_ascii=False)}: the translation's {why}")
    for english in table:
        if english not in used:
            problems.append(f"{table_path.name}: unused entry {json.dumps(english, ensure_ascii=False)}")

for problem in problems:
    print(problem)
print(f"{len(used)} messages, {len(tables)} locale table(s), {len(problems)} problem(s)")
sys.exit(1 if problems else 0)
