package dev.voicebridge.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every status part names its one writer, so ownership is visible and cannot silently drift. */
class StatusOwnershipTest {
    /** The operator's top-level fields; every other field is a part class carrying its writer. */
    private static final Set<String> OPERATOR_SCALARS = Set.of("phase", "conditions", "observedGeneration");

    @Test
    void everyVoiceCallStatusPartHasExactlyOneWriter() {
        var parts = Arrays.stream(VoiceCallStatus.class.getDeclaredFields())
                .filter(f -> !Modifier.isStatic(f.getModifiers()))
                .filter(f -> !OPERATOR_SCALARS.contains(f.getName()))
                .toList();
        assertThat(parts).isNotEmpty();
        for (Field f : parts) {
            assertThat(f.getType().getAnnotation(StatusPart.class))
                    .as("status.%s (%s) must declare its writer with @StatusPart", f.getName(), f.getType())
                    .isNotNull();
        }
        assertThat(MediaStatus.class.getAnnotation(StatusPart.class).value()).isEqualTo(Writer.MEDIA_WORKER);
        assertThat(AgentStatus.class.getAnnotation(StatusPart.class).value()).isEqualTo(Writer.MEDIA_WORKER);
        assertThat(Assignment.class.getAnnotation(StatusPart.class).value()).isEqualTo(Writer.OPERATOR);
        assertThat(WhatsAppStatus.class.getAnnotation(StatusPart.class).value()).isEqualTo(Writer.OPERATOR);
        assertThat(CallEnd.class.getAnnotation(StatusPart.class).value()).isEqualTo(Writer.CALL_ENDER);
        // Outbound: the permission check is the operator's; WhatsApp's answer is not status at all
        // but spec.sdpAnswer, written once by signaling-service (which never writes status).
        assertThat(PermissionCheck.class.getAnnotation(StatusPart.class).value())
                .isEqualTo(Writer.OPERATOR);
    }
}
