def summary(numbers):
    total = sum(numbers)
    mean = total / len(numbers) if numbers else 0.0
    return f"count={len(numbers)} sum={total} mean={mean:.2f}"
