#include "stats.h"

#include <stdio.h>

double mean(const int* values, size_t count) {
    if (count == 0) return 0;
    long long sum = 0;
    for (size_t i = 0; i < count; ++i) sum += values[i];
    return (double)sum / (double)count;
}

int maximum(const int* values, size_t count) {
    int best = values[0];
    for (size_t i = 1; i < count; ++i)
        if (values[i] > best) best = values[i];
    return best;
}

size_t count_above(const int* values, size_t count, int threshold) {
    size_t above = 0;
    for (size_t i = 0; i < count; ++i)
        if (values[i] > threshold) ++above;
    return above;
}

/* A main of its own, for trying the functions out: the tests bring theirs. */
int main(void) {
    const int values[] = {1, 2, 4};
    printf("%f %d %zu\n", mean(values, 3), maximum(values, 3), count_above(values, 3, 1));
    return 0;
}
