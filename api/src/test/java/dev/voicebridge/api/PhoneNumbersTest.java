package dev.voicebridge.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PhoneNumbersTest {
    @Test
    void keepsCountryPrefixAndLastThreeDigits() {
        assertThat(PhoneNumbers.mask("447700900123")).isEqualTo("+44*******123");
        assertThat(PhoneNumbers.mask("+15550100123")).isEqualTo("+15******123");
    }

    @Test
    void masksOddValuesWhole() {
        assertThat(PhoneNumbers.mask("12345")).isEqualTo("*****");
        assertThat(PhoneNumbers.mask("US.13491208655302741918")).doesNotContain("1349120865");
        assertThat(PhoneNumbers.mask("")).isEqualTo("***");
        assertThat(PhoneNumbers.mask(null)).isNull();
    }
}
