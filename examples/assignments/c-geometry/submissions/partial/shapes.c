#include "shapes.h"

#include <math.h>

#define PI 3.14

double circle_area(double radius) {
    if (radius < 0) return -1;
    return PI * radius * radius;
}

double circle_circumference(double radius) {
    if (radius < 0) return -1;
    return 2 * PI * radius;
}

double rectangle_area(double width, double height) {
    if (width < 0 || height < 0) return -1;
    return width * height;
}

/* Heron's formula; a degenerate triangle (a + b == c) has area 0. */
double triangle_area(double a, double b, double c) {
    if (a < 0 || b < 0 || c < 0) return -1;
    double s = (a + b + c) / 2;
    double p = s * (s - a) * (s - b) * (s - c);
    if (p < 0) return -1;
    return sqrt(p);
}

double point_distance(double x1, double y1, double x2, double y2) {
    return hypot(x2 - x1, y2 - y1);
}
