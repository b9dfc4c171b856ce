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

    @Test
    void masksBusinessScopedUserIdsLikeNumbers() {
        assertThat(PhoneNumbers.maskUserId("US.13491208655302741918")).isEqualTo("US.*****************918");
        assertThat(PhoneNumbers.maskUserId("US.13491208655302741918")).doesNotContain("1349120865");
        assertThat(PhoneNumbers.maskUserId("odd")).isEqualTo("***");
        assertThat(PhoneNumbers.maskUserId(null)).isNull();
        assertThat(PhoneNumbers.display(null, "BR.55512345678")).isEqualTo("BR.********678");
        assertThat(PhoneNumbers.display("447700900123", "BR.55512345678")).isEqualTo("+44*******123");
    }
}
