def merge_sort(numbers)
    if len(numbers) <= 1:
        return numbers
    middle = len(numbers) // 2
    left = merge_sort(numbers[:middle])
    right = merge_sort(numbers[middle:])
    return left + right


print(" ".join(str(n) for n in merge_sort([int(w) for w in input().split()])))
