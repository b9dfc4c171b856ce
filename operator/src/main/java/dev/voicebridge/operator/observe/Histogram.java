package dev.voicebridge.operator.observe;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/** A Prometheus histogram with fixed bucket bounds (seconds), lock-free. */
final class Histogram {
    private final double[] bounds;
    private final AtomicLongArray counts;
    private final LongAdder count = new LongAdder();
    private final DoubleAdder sum = new DoubleAdder();

    Histogram(double[] bounds) {
        this.bounds = bounds.clone();
        this.counts = new AtomicLongArray(bounds.length);
    }

    void observe(double seconds) {
        for (int i = 0; i < bounds.length; i++) {
            if (seconds <= bounds[i]) {
                counts.incrementAndGet(i);
            }
        }
        count.increment();
        sum.add(seconds);
    }

    void write(StringBuilder out, String name, String labels) {
        String prefix = labels.isEmpty() ? "" : labels + ",";
        for (int i = 0; i < bounds.length; i++) {
            out.append(name)
                    .append("_bucket{")
                    .append(prefix)
                    .append("le=\"")
                    .append(bounds[i])
                    .append("\"} ")
                    .append(counts.get(i))
                    .append('\n');
        }
        out.append(name)
                .append("_bucket{")
                .append(prefix)
                .append("le=\"+Inf\"} ")
                .append(count.sum())
                .append('\n');
        String braces = labels.isEmpty() ? "" : "{" + labels + "}";
        out.append(name)
                .append("_count")
                .append(braces)
                .append(' ')
                .append(count.sum())
                .append('\n');
        out.append(name)
                .append("_sum")
                .append(braces)
                .append(' ')
                .append(sum.sum())
                .append('\n');
    }

    long count() {
        return count.sum();
    }
}
