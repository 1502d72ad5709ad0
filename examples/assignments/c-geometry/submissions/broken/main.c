/* Geometry calculator: one command per line on stdin, one result per line on stdout.
 *   circle R | circumference R | rect W H | triangle A B C | dist X1 Y1 X2 Y2
 * Results are printed with 6 decimals; anything malformed prints "invalid". */
#include <stdio.h>
#include <string.h>

#include "shapes.h"

static void print_result(double value) {
    if (value < 0)
        puts("invalid");
    else
        printf("%.6f\n", value);
}

static void handle(const char* line) {
    char cmd[32];
    char extra;
    double a, b, c, d;
    if (sscanf(line, "%31s", cmd) != 1) return; /* blank line */
    if (strcmp(cmd, "circle") == 0 && sscanf(line, "%*s %lf %c", &a, &extra) == 1)
        print_result(circle_area(a));
    else if (strcmp(cmd, "circumference") == 0 && sscanf(line, "%*s %lf %c", &a, &extra) == 1)
        print_result(circle_circumference(a));
    else if (strcmp(cmd, "rect") == 0 && sscanf(line, "%*s %lf %lf %c", &a, &b, &extra) == 2)
        print_result(rectangle_area(a, b));
    else if (strcmp(cmd, "triangle") == 0 && sscanf(line, "%*s %lf %lf %lf %c", &a, &b, &c, &extra) == 3)
        print_result(triangle_area(a, b, c));
    else if (strcmp(cmd, "dist") == 0 && sscanf(line, "%*s %lf %lf %lf %lf %c", &a, &b, &c, &d, &extra) == 4)
        print_result(point_distance(a, b, c, d));
    else
        puts("invalid");
}

int main(void) {
    char line[256] while (fgets(line, sizeof line, stdin)) handle(line);
    return 0;
}
