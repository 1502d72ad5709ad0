#include <stdio.h>

#include "stats.h"

int main(void) {
    long values[1000];
    int count = 0;
    while (count < 1000 && scanf("%ld", &values[count]) == 1) count++;
    print_summary(values, count);
    return 0;
}
