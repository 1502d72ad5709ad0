def digitsum(n, base):
    if n < base
        return n
    return n % base + digitsum(n // base, base)


def power(base, exponent):
    result = 1
    while exponent > 0:
        result = result * base
        exponent = exponent - 1
    return result


words = input().split()
if words[0] == "digits":
    print(digitsum(int(words[1]), 10))
else:
    print(power(int(words[1]), int(words[2])))
