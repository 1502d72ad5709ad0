#include <stdio.h>
#include <string.h>

#include "shapes.h"

int main(void) {
    char line[256];
    while (fgets(line, sizeof line, stdin)) {
        char cmd[32] = "";
        double a = 0, b = 0, c = 0, d = 0;
        if (sscanf(line, "%31s", cmd) != 1) continue;
        if (strcmp(cmd, "circle") == 0) {
            sscanf(line, "%*s %lf", &a);
            printf("%.6f\n", circle_area(a));
        } else if (strcmp(cmd, "circumference") == 0) {
            sscanf(line, "%*s %lf", &a);
            printf("%.6f\n", circle_circumference(a));
        } else if (strcmp(cmd, "rect") == 0) {
            sscanf(line, "%*s %lf %lf", &a, &b);
            printf("%.6f\n", rectangle_area(a, b));
        } else if (strcmp(cmd, "triangle") == 0) {
            sscanf(line, "%*s %lf %lf %lf", &a, &b, &c);
            printf("%.6f\n", triangle_area(a, b, c));
        } else if (strcmp(cmd, "dist") == 0) {
            sscanf(line, "%*s %lf %lf %lf %lf", &a, &b, &c, &d);
            printf("%.8f\n", point_distance(a, b, c, d)); /* more digits = more precise */
        } else {
            printf("invalid\n");
        }
    }
    return 0;
}
