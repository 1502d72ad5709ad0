// The instructor's tests of stats.c. The engine supplies doctest's main.
#include <doctest/doctest.h>

#include "stats.h"

TEST_CASE("mean of three numbers") {
    const int values[] = {1, 2, 4};
    CHECK(mean(values, 3) == doctest::Approx(7.0 / 3));
}

TEST_CASE("mean of nothing is 0") {
    CHECK(mean(nullptr, 0) == 0.0);
}

TEST_CASE("maximum") {
    SUBCASE("positive numbers") {
        const int values[] = {3, 9, 4};
        CHECK(maximum(values, 3) == 9);
    }
    SUBCASE("negative numbers") {
        const int values[] = {-7, -2, -5};
        CHECK(maximum(values, 3) == -2);
    }
}

TEST_CASE("count above a threshold") {
    const int values[] = {5, 1, 8, 5, 10};
    CHECK(count_above(values, 5, 5) == 2);
}

TEST_CASE("count above a threshold nobody reaches") {
    const int values[] = {5, 1, 8};
    CHECK(count_above(values, 3, 100) == 0);
}
