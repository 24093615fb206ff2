package com.vlaapi.modelrunner.ood;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vlaapi.modelrunner.bundle.ManifestReader;
import com.vlaapi.modelrunner.bundle.ModelManifest;
import com.vlaapi.testsupport.repo.RepoPaths;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReferenceIndexTest {

    private static final int DIMENSION = 64;
    private static final int K = 5;

    @Test
    void exactSearchFindsTheTrueNearestNeighbours() {
        float[] references = {1, 0, 0, 0, 1, 0, 0, 0, 1, -1, 0, 0};
        ReferenceIndex index = ReferenceIndex.exact(references, 3);
        float[] query = normalised(new float[] {0.9f, 0.1f, 0});
        double expected = ((1 - query[0]) + (1 - query[1])) / 2;
        assertEquals(expected, index.meanDistance(query, 2), 1e-6);
        assertEquals(0.0, index.meanDistance(new float[] {0, 0, 1}, 1), 1e-6);
    }

    /**
     * The real references, jittered into 100,000 (the bench's set): the partitioned index must find
     * nearly the same neighbours, and a distance it gets wrong can only be larger.
     */
    @Test
    void partitionedSearchRecallsTheExactNeighboursOfRealReferences() {
        float[] references = jittered(bundleReferences(), 100_000, 0.02, new Random(7));
        ReferenceIndex exact = ReferenceIndex.exact(references, DIMENSION);
        ReferenceIndex partitioned = ReferenceIndex.partitioned(references, DIMENSION, 316, 8, 1);
        Random random = new Random(11);
        int queries = 200;
        double worstRelativeError = 0;
        int closeEnough = 0;
        for (int q = 0; q < queries; q++) {
            float[] query = jittered(references, 1, 0.05, random);
            double truth = exact.meanDistance(query, K);
            double found = partitioned.meanDistance(query, K);
            assertTrue(found >= truth - 1e-6, "an approximate distance below the exact one: " + found + " < " + truth);
            double relativeError = (found - truth) / truth;
            worstRelativeError = Math.max(worstRelativeError, relativeError);
            if (relativeError < 0.05) {
                closeEnough++;
            }
        }
        System.out.printf("partitioned index, 100,000 references, 316 lists, 8 probes: %d/%d queries within 5%%"
                + " of the exact 5-NN distance, worst %.1f%%%n", closeEnough, queries, 100 * worstRelativeError);
        assertTrue(closeEnough >= 0.95 * queries, closeEnough + "/" + queries + " queries within 5%");
    }

    @Test
    void partitionedSearchWithOneListIsExact() {
        float[] references = jittered(bundleReferences(), 2_000, 0.02, new Random(3));
        ReferenceIndex exact = ReferenceIndex.exact(references, DIMENSION);
        ReferenceIndex one = ReferenceIndex.partitioned(references, DIMENSION, 1, 1, 1);
        float[] query = jittered(references, 1, 0.05, new Random(5));
        assertEquals(exact.meanDistance(query, K), one.meanDistance(query, K), 1e-6);
    }

    @Test
    void aQueryOfTheWrongSizeIsRefused() {
        ReferenceIndex index = ReferenceIndex.exact(new float[DIMENSION], DIMENSION);
        assertThrows(IllegalArgumentException.class, () -> index.meanDistance(new float[3], 1));
    }

    private static float[] bundleReferences() {
        ModelManifest manifest = ManifestReader.read(RepoPaths.referenceBundle());
        return ReferenceEmbeddings.read(manifest);
    }

    /** {@code count} rows drawn from {@code source}, each plus Gaussian noise of {@code sigma} per dimension, re-normalised. */
    static float[] jittered(float[] source, int count, double sigma, Random random) {
        int rows = source.length / DIMENSION;
        float[] out = new float[count * DIMENSION];
        for (int i = 0; i < count; i++) {
            int from = random.nextInt(rows) * DIMENSION;
            float[] row = new float[DIMENSION];
            for (int d = 0; d < DIMENSION; d++) {
                row[d] = (float) (source[from + d] + sigma * random.nextGaussian());
            }
            System.arraycopy(normalised(row), 0, out, i * DIMENSION, DIMENSION);
        }
        return out;
    }

    private static float[] normalised(float[] v) {
        double squares = 0;
        for (float x : v) {
            squares += x * x;
        }
        double norm = Math.sqrt(squares);
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / norm);
        }
        return out;
    }
}
