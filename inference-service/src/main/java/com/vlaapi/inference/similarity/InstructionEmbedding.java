package com.vlaapi.inference.similarity;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;

/**
 * An instruction's text embedding, computed here because the model's text encoder is not exported:
 * feature hashing of the instruction's words and of each word's character trigrams into
 * {@value #DIMENSIONS} dimensions, L2-normalised, so cosine distance compares instructions by the
 * words they share ("pick up the red cube" and "grab the red cube") and, through the trigrams, by
 * spelling ("cube" and "cubes"). It knows no synonyms: "grab" and "pick up" are unrelated to it.
 *
 * <p>Text is NFKC-normalised and lower-cased (root locale); words are the runs of letters and digits.
 * A word counts 1, each trigram of the word padded with a space on both sides ({@code " re"},
 * {@code "red"}, {@code "ed "}) {@value #TRIGRAM_WEIGHT}. A feature goes to the dimension and the
 * sign that the 32-bit FNV-1a hash of its UTF-8 bytes (after a prefix that keeps words and trigrams
 * apart), mixed by MurmurHash3's finaliser, picks: signed hashing keeps colliding features from
 * always adding up, so unrelated instructions stay near orthogonal on average.
 *
 * <p>Stored embeddings ({@code inference_logs.instruction_embedding}) are only comparable with
 * embeddings of this exact function: changing anything here needs the stored column recomputed.
 */
public final class InstructionEmbedding {

    public static final int DIMENSIONS = 64;
    static final float TRIGRAM_WEIGHT = 0.5f;

    private InstructionEmbedding() {
    }

    /** The instruction's embedding, or {@code null} when it has no word to embed (null, blank, punctuation). */
    public static float[] of(String instruction) {
        if (instruction == null) {
            return null;
        }
        String text = Normalizer.normalize(instruction, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        float[] vector = new float[DIMENSIONS];
        boolean any = false;
        for (String word : text.split("[^\\p{L}\\p{N}]+")) {
            if (word.isEmpty()) {
                continue;
            }
            any = true;
            add(vector, "w:" + word, 1f);
            String padded = " " + word + " ";
            int[] codePoints = padded.codePoints().toArray();
            for (int i = 0; i + 3 <= codePoints.length; i++) {
                add(vector, "t:" + new String(codePoints, i, 3), TRIGRAM_WEIGHT);
            }
        }
        return any ? normalised(vector) : null;
    }

    private static void add(float[] vector, String feature, float weight) {
        int hash = mix(fnv1a(feature.getBytes(StandardCharsets.UTF_8)));
        int dimension = Integer.remainderUnsigned(hash, DIMENSIONS);
        vector[dimension] += (hash & 0x8000_0000) == 0 ? weight : -weight;
    }

    private static int fnv1a(byte[] bytes) {
        int hash = 0x811c9dc5;
        for (byte b : bytes) {
            hash ^= b & 0xff;
            hash *= 0x01000193;
        }
        return hash;
    }

    /** FNV-1a's low bits, which pick the dimension, depend weakly on the last bytes; this spreads them. */
    private static int mix(int hash) {
        hash ^= hash >>> 16;
        hash *= 0x85ebca6b;
        hash ^= hash >>> 13;
        hash *= 0xc2b2ae35;
        hash ^= hash >>> 16;
        return hash;
    }

    private static float[] normalised(float[] vector) {
        double sum = 0;
        for (float v : vector) {
            sum += (double) v * v;
        }
        // Features can cancel out exactly; such a vector has no direction to compare.
        if (sum == 0) {
            return null;
        }
        float norm = (float) Math.sqrt(sum);
        for (int i = 0; i < vector.length; i++) {
            vector[i] /= norm;
        }
        return vector;
    }
}
