package dev.voicebridge.e2e;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/**
 * The capacity benchmark's plot, drawn with Java2D (no plotting library in the build): worker CPU
 * per call and the caller-side inter-packet gap p99 against the number of concurrent calls, each
 * with its target.
 */
final class CapacityPlot {
    private static final int W = 1100;
    private static final int H = 460;
    private static final Color CPU = new Color(0x1f77b4);
    private static final Color GAP = new Color(0xd62728);
    private static final Color MAX = new Color(0xff9896);

    private CapacityPlot() {}

    static void write(List<LevelResult> results, Path png) throws IOException {
        var image = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        // A margin on the right, so the largest level is not drawn on the frame.
        double maxCalls =
                1.06 * results.stream().mapToInt(LevelResult::calls).max().orElse(1);
        panel(
                g,
                60,
                "Worker CPU per call (% of one core)",
                results,
                maxCalls,
                List.of(new Series("whole process", CPU, LevelResult::percentCorePerCall)),
                0.3,
                "target 0.3 %");
        panel(
                g,
                610,
                "Caller-side inter-packet gap (ms)",
                results,
                maxCalls,
                List.of(
                        new Series("p99", GAP, r -> r.gapPercentileMillis(99)),
                        new Series("max", MAX, LevelResult::maxGapMillis)),
                LevelResult.GAP_P99_TARGET_MILLIS,
                "target p99 25 ms");
        g.dispose();
        ImageIO.write(image, "png", png.toFile());
    }

    /** The smallest 1, 2, 2.5 or 5 times a power of ten at least {@code raw}: round tick labels. */
    static double niceStep(double raw) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * magnitude >= raw * (1 - 1e-9)) {
                return m * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String label(double v) {
        return new java.math.BigDecimal(String.format(Locale.ROOT, "%.3f", v))
                .stripTrailingZeros()
                .toPlainString();
    }

    private record Series(String name, Color color, ToDoubleFunction<LevelResult> value) {}

    private static void panel(
            Graphics2D g,
            int x0,
            String title,
            List<LevelResult> results,
            double maxCalls,
            List<Series> series,
            double target,
            String targetLabel) {
        int left = x0 + 40;
        int top = 50;
        int width = 440;
        int height = 330;
        double maxY = target * 1.3;
        for (LevelResult r : results) {
            for (Series s : series) {
                double v = s.value().applyAsDouble(r);
                if (!Double.isNaN(v)) {
                    maxY = Math.max(maxY, v * 1.1);
                }
            }
        }
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, left, top - 20);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawRect(left, top, width, height);
        double step = niceStep(maxY / 5);
        maxY = step * Math.ceil(maxY / step - 1e-9);
        int ticks = (int) Math.round(maxY / step);
        for (int i = 0; i <= ticks; i++) {
            int y = top + height - (int) (height * i / (double) ticks);
            g.setColor(new Color(0xeeeeee));
            g.drawLine(left + 1, y, left + width - 1, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(label(step * i), x0 - 15, y + 4);
        }
        for (LevelResult r : results) {
            int x = left + (int) (width * r.calls() / maxCalls);
            g.setColor(Color.DARK_GRAY);
            g.drawString(Integer.toString(r.calls()), x - 10, top + height + 18);
        }
        g.drawString("concurrent calls", left + width / 2 - 45, top + height + 38);
        int ty = top + height - (int) (height * target / maxY);
        g.setColor(Color.GRAY);
        g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1, new float[] {6, 5}, 0));
        g.drawLine(left, ty, left + width, ty);
        g.drawString(targetLabel, left + width - 110, ty - 5);
        int legend = 0;
        for (Series s : series) {
            g.setColor(s.color());
            g.setStroke(new BasicStroke(2.5f));
            int px = -1;
            int py = -1;
            for (LevelResult r : results) {
                double v = s.value().applyAsDouble(r);
                if (Double.isNaN(v)) {
                    continue;
                }
                int x = left + (int) (width * r.calls() / maxCalls);
                int y = top + height - (int) (height * v / maxY);
                g.fillOval(x - 4, y - 4, 8, 8);
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                }
                px = x;
                py = y;
            }
            g.drawLine(left + 10, top + 15 + legend * 16, left + 30, top + 15 + legend * 16);
            g.drawString(s.name(), left + 36, top + 19 + legend * 16);
            legend++;
        }
        g.setStroke(new BasicStroke(1));
    }
}
