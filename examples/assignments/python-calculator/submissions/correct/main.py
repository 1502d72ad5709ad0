"""Line calculator: reads "A op B" lines from stdin and prints one result per line."""
import sys

OPERATORS = ("+", "-", "*", "/", "%", "**")


def parse_number(token):
    """Integers stay integers; anything else must be a decimal number."""
    try:
        return int(token)
    except ValueError:
        return float(token)  # raises ValueError for junk such as "abc"


def evaluate(a, op, b):
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op == "/":
        if b == 0:
            raise ZeroDivisionError
        return a / b
    if op == "%":
        if b == 0:
            raise ZeroDivisionError
        return a % b
    return a ** b


def format_number(x):
    """Whole numbers without a decimal point, others rounded to 4 places."""
    if x == int(x):
        return str(int(x))
    return f"{x:.4f}".rstrip("0").rstrip(".")


def calculate(line):
    tokens = line.split()
    if len(tokens) != 3 or tokens[1] not in OPERATORS:
        return "error: invalid expression"
    try:
        a = parse_number(tokens[0])
        b = parse_number(tokens[2])
    except ValueError:
        return "error: invalid expression"
    try:
        return format_number(evaluate(a, tokens[1], b))
    except ZeroDivisionError:
        return "error: division by zero"
    except (OverflowError, TypeError, ValueError):
        return "error: invalid expression"


def main():
    for line in sys.stdin:
        line = line.strip()
        if line:
            print(calculate(line))


if __name__ == "__main__":
    main()
