"""Reads integers from one line and prints them sorted, using merge sort."""


def merge(left, right):
    """Merges two sorted lists into one sorted list."""
    merged = []
    i = j = 0
    while i < len(left) and j < len(right):
        if left[i] <= right[j]:
            merged.append(left[i])
            i += 1
        else:
            merged.append(right[j])
            j += 1
    merged.extend(left[i:])
    merged.extend(right[j:])
    return merged


def merge_sort(numbers):
    """Sorts a list by splitting it in halves, sorting each and merging them."""
    if len(numbers) <= 1:
        return numbers
    middle = len(numbers) // 2
    return merge(merge_sort(numbers[:middle]), merge_sort(numbers[middle:]))


def main():
    numbers = [int(word) for word in input().split()]
    print(" ".join(str(number) for number in merge_sort(numbers)))


if __name__ == "__main__":
    main()
