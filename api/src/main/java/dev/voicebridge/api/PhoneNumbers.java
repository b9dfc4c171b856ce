package dev.voicebridge.api;

/**
 * Phone numbers never appear in full in logs, events or printer columns: only the country code
 * area (first two digits) and the last three digits survive.
 */
public final class PhoneNumbers {
    private PhoneNumbers() {}

    /**
     * Masks a business-scoped user id (BSUID, {@code US.13491208655302741918}) like a number: the
     * country prefix and the last three characters survive ({@code US.*****************918}); a
     * value of another shape is masked whole. {@code null} stays {@code null}.
     */
    public static String maskUserId(String userId) {
        if (userId == null) {
            return null;
        }
        int dot = userId.indexOf('.');
        if (dot < 1 || dot > 4 || userId.length() - dot - 1 < 7) {
            return "*".repeat(Math.min(Math.max(userId.length(), 3), 16));
        }
        String tail = userId.substring(dot + 1);
        return userId.substring(0, dot + 1) + "*".repeat(tail.length() - 3) + tail.substring(tail.length() - 3);
    }

    /** The display form of a WhatsApp user: the masked number, else the masked BSUID. */
    public static String display(String number, String userId) {
        return number != null ? mask(number) : maskUserId(userId);
    }

    /**
     * Masks a WhatsApp id or E.164 number: {@code 447700900123} becomes {@code +44*******123}.
     * Short or odd values are masked whole; {@code null} stays {@code null}.
     */
    public static String mask(String number) {
        if (number == null) {
            return null;
        }
        String digits = number.startsWith("+") ? number.substring(1) : number;
        if (digits.length() < 7 || !digits.chars().allMatch(Character::isDigit)) {
            return "*".repeat(Math.min(Math.max(digits.length(), 3), 16));
        }
        int hidden = digits.length() - 5;
        return "+" + digits.substring(0, 2) + "*".repeat(hidden) + digits.substring(digits.length() - 3);
    }
}
