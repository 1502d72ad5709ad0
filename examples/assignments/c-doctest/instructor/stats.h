/* The functions students write in stats.c. */
#ifndef STATS_H
#define STATS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The arithmetic mean of values[0..count), 0 when count is 0. */
double mean(const int* values, size_t count);
/* The largest of values[0..count); count is at least 1. */
int maximum(const int* values, size_t count);
/* How many of values[0..count) are strictly above threshold. */
size_t count_above(const int* values, size_t count, int threshold);

#ifdef __cplusplus
}
#endif

#endif
