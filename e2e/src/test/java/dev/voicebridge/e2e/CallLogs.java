package dev.voicebridge.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.voicebridge.api.CallNames;
import dev.voicebridge.api.log.CallStep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an operator following one call through {@code kubectl logs} of the three services sees: every
 * lifecycle step ({@link CallStep}) exactly once, in the shared line format, named by the call's
 * resource name, from the service that owns the step; and never the raw WhatsApp call id or the
 * caller's full number.
 */
final class CallLogs {
    /** {@code time=… level=… logger=… event=… key=value…}: the format of every service's lines. */
    static final Pattern LINE = Pattern.compile(
            "time=\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3} level=[A-Z]+ logger=\\S+ event=(\\S+)"
                    + "( [A-Za-z]+=(\"([^\"\\\\]|\\\\.)*\"|\\S+))*");

    private static final Map<CallStep, String> OWNER = new EnumMap<>(Map.of(
            CallStep.RECEIVED, "signaling",
            CallStep.ASSIGNED, "operator",
            CallStep.ANSWERED, "worker",
            CallStep.ACCEPTED, "worker",
            CallStep.ICE_CONNECTED, "worker",
            CallStep.DTLS_CONNECTED, "worker",
            CallStep.FIRST_AUDIO_OUT, "worker",
            CallStep.ENDED, "operator"));

    private CallLogs() {}

    /** One line per step, for the call, once its end has been logged. */
    static void assertLifecycle(E2eStack stack, String callId, String caller) {
        String name = CallNames.forCallId(callId);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Map<CallStep, List<String>> steps = new EnumMap<>(CallStep.class);
            stack.serviceLogs().forEach((service, lines) -> {
                for (String line : lines) {
                    assertThat(line).as("%s logged the raw call id", service).doesNotContain(callId);
                    assertThat(line)
                            .as("%s logged the caller's number", service)
                            .doesNotContain(caller);
                    if (!line.contains(" call=" + name + " ") && !line.endsWith(" call=" + name)) {
                        continue;
                    }
                    Matcher m = LINE.matcher(line);
                    assertThat(m.matches())
                            .as("%s line in the shared format: %s", service, line)
                            .isTrue();
                    CallStep.ofEvent(m.group(1)).ifPresent(step -> {
                        assertThat(service).as("%s logged by", step).startsWith(OWNER.get(step));
                        assertThat(line)
                                .as("the call field follows the event")
                                .contains("event=" + step.event() + " call=" + name);
                        steps.computeIfAbsent(step, s -> new ArrayList<>()).add(line);
                    });
                }
            });
            for (CallStep step : CallStep.values()) {
                assertThat(steps.get(step))
                        .as("lines of %s for %s", step.event(), name)
                        .hasSize(1);
            }
            assertThat(steps.get(CallStep.ENDED).get(0)).contains(" reason=");
        });
    }
}
