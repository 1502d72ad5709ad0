"""Digit sums and integer powers, recursively (no loops)."""


def digit_sum(n):
    """The sum of the decimal digits of n >= 0."""
    if n < 10:
        return n
    return n % 10 + digit_sum(n // 10)


def power(base, exponent):
    """base ** exponent for exponent >= 0, by repeated squaring."""
    if exponent == 0:
        return 1
    half = power(base, exponent // 2)
    if exponent % 2 == 0:
        return half * half
    return half * half * base


def main():
    # for example "digits 12345" or "power 2 10"
    words = input().split()
    if words[0] == "digits":
        print(digit_sum(int(words[1])))
    elif words[0] == "power":
        print(power(int(words[1]), int(words[2])))
    else:
        print("unknown command: while and for loops are not allowed here")


if __name__ == "__main__":
    main()
