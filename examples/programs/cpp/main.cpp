#include <iomanip>
#include <iostream>
#include <numeric>
#include <vector>

int main() {
    std::vector<long> values;
    for (long v; std::cin >> v;) values.push_back(v);
    long total = std::accumulate(values.begin(), values.end(), 0L);
    double mean = values.empty() ? 0.0 : static_cast<double>(total) / values.size();
    std::cout << "count=" << values.size() << " sum=" << total << " mean=" << std::fixed << std::setprecision(2) << mean
              << "\n";
}
