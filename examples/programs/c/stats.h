#ifndef STATS_H
#define STATS_H
void print_summary(const long* values, int count);
#endif
