#ifndef SHAPES_H
#define SHAPES_H

/* Each function returns the value, or a negative number when the arguments are invalid. */
double circle_area(double radius);
double circle_circumference(double radius);
double rectangle_area(double width, double height);
double triangle_area(double a, double b, double c);
double point_distance(double x1, double y1, double x2, double y2);

#endif
