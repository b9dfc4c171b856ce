package dev.voicebridge.api.v1alpha1;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a status part with its single writer. Writers patch only the parts that name them (JSON
 * merge patch of their own fields), so two components never race on one field.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface StatusPart {
    Writer value();
}
