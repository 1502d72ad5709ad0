import sys

# My calculator: reads "a op b" on each line.
for line in sys.stdin:
    line = line.strip()
    if line == "":
        continue
    a, op, b = line.split()
    a = int(a)
    b = int(b)
    if op == "+":
        result = a + b
    elif op == "-":
        result = a - b
    elif op == "*":
        result = a * b
    elif op == "/":
        result = a // b
    elif op == "**":
        result = a ** b
    print(result)
