package dev.voicebridge.api;

/**
 * Phone numbers never appear in full in logs, events or printer columns: only the country code
 * area (first two digits) and the last three digits survive.
 */
public final class PhoneNumbers {
    private PhoneNumbers() {}

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
