package dev.voicebridge.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.Helm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What `helm package` (and so the release's `helm push`) ships: the chart, not the build around it. */
class ChartPackageTest {
    @Test
    void thePackageHoldsTheChartAndNothingOfTheBuild(@TempDir Path out) throws Exception {
        new Helm(ChartTest.CHART).packageIt().withDestination(out).call();
        Path archive = out.resolve("voicebridge-" + ChartVersionTest.VERSION + ".tgz");
        assertThat(archive).exists();
        Process tar = new ProcessBuilder("tar", "-tzf", archive.toString()).start();
        List<String> entries =
                new String(tar.getInputStream().readAllBytes()).lines().toList();
        assertThat(tar.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(entries)
                .contains(
                        "voicebridge/Chart.yaml",
                        "voicebridge/values.yaml",
                        "voicebridge/values.schema.json",
                        "voicebridge/templates/NOTES.txt",
                        "voicebridge/templates/tests/install-check.yaml",
                        "voicebridge/crds/voicecalls.voicebridge.dev-v1.yml",
                        "voicebridge/dashboards/voicebridge.json")
                .allMatch(e -> e.startsWith("voicebridge/"))
                .noneMatch(e -> e.startsWith("voicebridge/src/")
                        || e.startsWith("voicebridge/target/")
                        || e.equals("voicebridge/pom.xml"));
        assertThat(Files.size(archive)).as("bytes").isLessThan(200_000);
    }
}
