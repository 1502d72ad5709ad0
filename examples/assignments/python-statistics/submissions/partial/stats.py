def mean(values):
    return sum(values) / len(values)  # ZeroDivisionError on [], not ValueError


def median(values):
    ordered = sorted(values)
    return ordered[len(ordered) // 2]  # wrong for an even count


def mode(values):
    return max(values, key=values.count)  # on a tie, the first one seen
