package com.vlaapi.customer.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import com.vlaapi.servicecontract.apikey.ApiKeyFormat;
import com.vlaapi.servicecontract.apikey.ApiKeyHashes;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeyGeneratorTest {

    private final ApiKeyGenerator generator = new ApiKeyGenerator();

    @Test
    void keyIsVlaLivePrefixFortyThreeRandomBase62CharactersAndAChecksum() {
        GeneratedApiKey generated = generator.generate();

        assertThat(generated.key()).matches("^vla_live_[0-9A-Za-z]{49}$");
        assertThat(ApiKeyFormat.shape(generated.key())).isEqualTo(ApiKeyFormat.Shape.CHECKSUMMED);
    }

    @Test
    void storesOnlyTheHashAndAShortDisplayPrefix() {
        GeneratedApiKey generated = generator.generate();

        assertThat(generated.hash()).isEqualTo(ApiKeyHashes.sha256Hex(generated.key())).matches("[0-9a-f]{64}");
        assertThat(generated.prefix()).isEqualTo(generated.key().substring(0, "vla_live_".length() + 4));
    }

    @Test
    void keysAreUnique() {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            keys.add(generator.generate().key());
        }
        assertThat(keys).hasSize(1000);
    }

    @Test
    void keyNeverShowsUpInToString() {
        GeneratedApiKey generated = generator.generate();
        IssuedApiKey issued = new IssuedApiKey(null, generated.key(), generated.prefix(), null, null, null);

        assertThat(generated.toString()).doesNotContain(generated.key().substring(9));
        assertThat(issued.toString()).doesNotContain(generated.key().substring(9));
    }

    @Test
    void sha256HexMatchesAKnownDigest() {
        assertThat(ApiKeyHashes.sha256Hex("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(ApiKeyHashes.isSha256Hex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")).isTrue();
        assertThat(ApiKeyHashes.isSha256Hex("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD")).isFalse();
        assertThat(ApiKeyHashes.isSha256Hex("abc")).isFalse();
    }
}
