package com.vlaapi.servicecontract.apikey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.vlaapi.servicecontract.apikey.ApiKeyFormat.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ApiKeyFormatTest {

    private final Random random = new Random(7);

    @Test
    void aNewKeyIsThePrefixFortyThreeRandomCharactersAndAChecksumThatHolds() {
        String key = newKey();

        assertThat(key).matches("vla_live_[0-9A-Za-z]{49}");
        assertThat(ApiKeyFormat.shape(key)).isEqualTo(Shape.CHECKSUMMED);
    }

    @Test
    void anySingleMistypedCharacterBreaksTheChecksum() {
        String key = newKey();
        for (int i = ApiKeyFormat.PREFIX.length(); i < key.length(); i++) {
            char typo = key.charAt(i) == 'a' ? 'b' : 'a';
            String mistyped = key.substring(0, i) + typo + key.substring(i + 1);
            assertThat(ApiKeyFormat.shape(mistyped)).as("typo at %d", i).isEqualTo(Shape.INVALID);
        }
    }

    @Test
    void keysIssuedBeforeTheChecksumStillNeedALookup() {
        assertThat(ApiKeyFormat.shape("vla_live_" + "7".repeat(43))).isEqualTo(Shape.WITHOUT_CHECKSUM);
    }

    @Test
    void otherLengthsPrefixesAndCharactersAreNoKeyOfOurs() {
        String key = newKey();
        assertThat(ApiKeyFormat.shape(key.substring(0, key.length() - 1))).isEqualTo(Shape.INVALID);
        assertThat(ApiKeyFormat.shape(key + "0")).isEqualTo(Shape.INVALID);
        assertThat(ApiKeyFormat.shape("vla_test_" + key.substring(9))).isEqualTo(Shape.INVALID);
        assertThat(ApiKeyFormat.shape("vla_live_" + "-".repeat(43))).isEqualTo(Shape.INVALID);
        assertThatThrownBy(() -> ApiKeyFormat.newKey(new byte[16])).isInstanceOf(IllegalArgumentException.class);
    }

    private String newKey() {
        byte[] secret = new byte[ApiKeyFormat.RANDOM_BYTES];
        random.nextBytes(secret);
        return ApiKeyFormat.newKey(secret);
    }
}
