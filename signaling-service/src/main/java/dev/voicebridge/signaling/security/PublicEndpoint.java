package dev.voicebridge.signaling.security;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Exempts a resource class or method from bearer authentication. Every other resource method is
 * authenticated by {@link AuthenticationFeature} (fail closed: a new endpoint needs nothing to be
 * protected, and this annotation to be opened). {@link #value()} says what protects it instead.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface PublicEndpoint {
    /** Why no bearer token is needed, e.g. "authenticated by the X-Hub-Signature-256 HMAC". */
    String value();
}
