def mean(values)
    return sum(values) / len(values)


def median(values):
    return sorted(values)[len(values) // 2]


def mode(values):
    return max(values, key=values.count)
