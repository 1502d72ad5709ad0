#include <cstdio>
int main() { std::puts("autograder"); return 0; }
