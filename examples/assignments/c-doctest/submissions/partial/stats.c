#include "stats.h"

double mean(const int* values, size_t count) {
    if (count == 0) return 0;
    int sum = 0;
    for (size_t i = 0; i < count; ++i) sum += values[i];
    return sum / count; /* integer division: 7 / 3 is 2 */
}

int maximum(const int* values, size_t count) {
    int best = 0; /* wrong when every value is negative */
    for (size_t i = 0; i < count; ++i)
        if (values[i] > best) best = values[i];
    return best;
}

size_t count_above(const int* values, size_t count, int threshold) {
    size_t above = 0;
    for (size_t i = 0; i < count; ++i)
        if (values[i] > threshold) ++above;
    return above;
}
