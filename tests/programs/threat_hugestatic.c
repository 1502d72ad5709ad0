// A static array of 64 GiB: larger than the machine's memory, so the kernel cannot even map it
// when the program is loaded. Every page it gets is touched.
#include <stdio.h>
static char huge[64ul << 30];
int main(void) {
    for (unsigned long i = 0; i < sizeof huge; i += 4096) huge[i] = 1;
    printf("%d\n", huge[4096]);
    return 0;
}
