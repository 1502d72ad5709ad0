import math

total = 0


def digit_sum(n):
    global total
    total = 0
    for digit in str(n):
        total += int(digit)
    return total


def power(base, exponent):
    if exponent == 0:
        return 1
    return base * power(base, exponent - 1)


def main():
    words = input().split()
    if words[0] == "digits":
        print(digit_sum(int(words[1])))
    else:
        print(math.pow(int(words[1]), int(words[2])))


main()
