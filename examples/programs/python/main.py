import sys

from stats import summary

numbers = [int(token) for token in sys.stdin.read().split()]
print(summary(numbers))
