package dev.voicebridge.signaling.security;

import dev.voicebridge.signaling.config.CallOperation;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The operation an authenticated resource method performs; the client must be allowed it. A
 * method without one is refused to every client (403), so forgetting it cannot open anything.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface RequiresOperation {
    CallOperation value();
}
