#include <stdio.h>

#include "stats.h"

void print_summary(const long* values, int count) {
    long total = 0;
    for (int i = 0; i < count; i++) total += values[i];
    printf("count=%d sum=%ld mean=%.2f\n", count, total, count ? (double)total / count : 0.0);
}
