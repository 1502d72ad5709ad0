package org.example.stats;

import java.util.List;

public final class Summary {
    public static String of(List<Long> values) {
        long total = 0;
        for (long v : values) total += v;
        double mean = values.isEmpty() ? 0.0 : (double) total / values.size();
        return String.format(java.util.Locale.ROOT, "count=%d sum=%d mean=%.2f", values.size(), total, mean);
    }
}
