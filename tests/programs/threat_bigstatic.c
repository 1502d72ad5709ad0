// A static array of 512 MiB, every page touched: far more than a small memory limit.
#include <stdio.h>
static char big[512u << 20];
int main(void) {
    for (unsigned long i = 0; i < sizeof big; i += 4096) big[i] = 1;
    printf("%d\n", big[4096]);
    return 0;
}
