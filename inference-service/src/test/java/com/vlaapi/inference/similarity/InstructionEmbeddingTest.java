package com.vlaapi.inference.similarity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class InstructionEmbeddingTest {

    @Test
    void instructionsSharingWordsAreNearAndOthersFar() {
        double paraphrase = distance("pick up the red cube", "grab the red cube");
        double otherTask = distance("pick up the red cube", "go to the blue ball");

        assertThat(paraphrase).isLessThan(0.4);
        assertThat(otherTask).isGreaterThan(0.8);
        assertThat(distance("pick up the red cube", "pick up the red cubes"))
                .as("trigrams: a plural is nearer than a paraphrase").isLessThan(paraphrase);
    }

    @Test
    void caseAndPunctuationDoNotMatter() {
        assertThat(InstructionEmbedding.of("Pick up the RED cube!"))
                .containsExactly(InstructionEmbedding.of("pick up  the red cube"));
    }

    @Test
    void isAUnitVectorOfTheStoredWidth() {
        float[] embedding = InstructionEmbedding.of("stack the yellow block on the green one");

        assertThat(embedding).hasSize(64);
        double norm = 0;
        for (float v : embedding) {
            norm += v * v;
        }
        assertThat(Math.sqrt(norm)).isCloseTo(1.0, within(1e-6));
    }

    /**
     * Stored embeddings are compared with embeddings computed later: a change to the hashing, the
     * tokens or the weights must fail here, not silently mismatch the log.
     */
    @Test
    void isTheSameFunctionAsTheOneThatFilledTheLog() {
        float[] expected = new float[64];
        float unit = 0.1714986f;
        for (int i : new int[] {19, 28, 31, 32, 47, 54}) {
            expected[i] = unit;
        }
        for (int i : new int[] {1, 2, 5, 11, 21, 26, 42, 57}) {
            expected[i] = -unit;
        }
        for (int i : new int[] {23, 27, 50}) {
            expected[i] = 2 * unit;
        }
        for (int i : new int[] {45, 58}) {
            expected[i] = -2 * unit;
        }

        assertThat(InstructionEmbedding.of("pick up the red cube")).containsExactly(expected, within(1e-6f));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "   ", "?!. -"})
    void anInstructionWithoutWordsHasNoEmbedding(String instruction) {
        assertThat(InstructionEmbedding.of(instruction)).isNull();
    }

    private static double distance(String a, String b) {
        float[] x = InstructionEmbedding.of(a);
        float[] y = InstructionEmbedding.of(b);
        double dot = 0;
        for (int i = 0; i < x.length; i++) {
            dot += x[i] * y[i];
        }
        return 1 - dot;
    }
}
