package com.vlaapi.modelrunner.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import com.vlaapi.modelrunner.bundle.InvalidManifestException;

class WordTokenizerTest {

    private final WordTokenizer tokenizer = new WordTokenizer(
            Map.of("<pad>", 0, "<unk>", 1, "pick", 2, "up", 3, "the", 4, "red", 5, "cube", 6), 6, 100);

    @Test
    void lowercasesSplitsOnNonAlphanumericsAndPads() {
        assertArrayEquals(new long[] {2, 3, 4, 5, 6, 0}, tokenizer.encode("Pick UP the red-cube!"));
    }

    @Test
    void unknownWordsBecomeUnk() {
        assertArrayEquals(new long[] {2, 3, 4, 1, 6, 0}, tokenizer.encode("pick up the crimson cube"));
    }

    @Test
    void longInstructionsAreTruncatedToMaxLength() {
        assertArrayEquals(new long[] {4, 4, 4, 4, 4, 4}, tokenizer.encode("the ".repeat(10)));
    }

    @Test
    void vocabularyMustReservePadAndUnk() {
        assertThrows(InvalidManifestException.class, () -> new WordTokenizer(Map.of("red", 0, "<unk>", 1), 4, 10));
    }
}
