package com.vlaapi.modelrunner.ood;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Nearest references of an L2-normalised embedding by cosine distance, in process: a request's
 * lookup must cost microseconds, not a database round trip. {@link #exact} scans every reference
 * (a few thousand take tens of microseconds); {@link #partitioned} is an inverted-file index:
 * spherical k-means splits the references into lists and a query scans only the {@code probes}
 * lists whose centroids are nearest, which keeps 100,000 references well under a millisecond at the
 * price of sometimes missing a true neighbour (the distance can only come out larger). Immutable
 * and thread-safe.
 */
public final class ReferenceIndex {

    private static final int KMEANS_ITERATIONS = 10;
    private static final int KMEANS_SAMPLE_PER_LIST = 32;

    private final int dimension;
    private final float[] vectors;
    private final int[] listStart;
    private final float[] centroids;
    private final int probes;

    private ReferenceIndex(int dimension, float[] vectors, int[] listStart, float[] centroids, int probes) {
        this.dimension = dimension;
        this.vectors = vectors;
        this.listStart = listStart;
        this.centroids = centroids;
        this.probes = probes;
    }

    /** Every query scans all references. {@code references} is count x dimension, row-major. */
    public static ReferenceIndex exact(float[] references, int dimension) {
        check(references, dimension);
        return new ReferenceIndex(dimension, references.clone(), new int[] {0, references.length / dimension},
                new float[dimension], 1);
    }

    /**
     * {@code lists} partitions found by spherical k-means (fitted on a sample, deterministic for a
     * seed); a query scans the {@code probes} nearest.
     */
    public static ReferenceIndex partitioned(float[] references, int dimension, int lists, int probes, long seed) {
        check(references, dimension);
        int count = references.length / dimension;
        if (lists < 1 || lists > count || probes < 1) {
            throw new IllegalArgumentException("need 1 <= lists <= " + count + " and probes >= 1; got lists " + lists
                    + ", probes " + probes);
        }
        float[] centroids = kMeans(references, dimension, lists, new SplittableRandom(seed));
        int[] assignment = new int[count];
        int[] sizes = new int[lists];
        for (int i = 0; i < count; i++) {
            assignment[i] = nearestCentroid(references, i * dimension, centroids, dimension, lists);
            sizes[assignment[i]]++;
        }
        int[] listStart = new int[lists + 1];
        for (int l = 0; l < lists; l++) {
            listStart[l + 1] = listStart[l] + sizes[l];
        }
        int[] next = Arrays.copyOf(listStart, lists);
        float[] vectors = new float[references.length];
        for (int i = 0; i < count; i++) {
            System.arraycopy(references, i * dimension, vectors, next[assignment[i]]++ * dimension, dimension);
        }
        return new ReferenceIndex(dimension, vectors, listStart, centroids, Math.min(probes, lists));
    }

    public int size() {
        return vectors.length / dimension;
    }

    public int dimension() {
        return dimension;
    }

    /** Mean cosine distance (1 - dot product) from {@code query} to its {@code k} nearest references found. */
    public double meanDistance(float[] query, int k) {
        if (query.length != dimension) {
            throw new IllegalArgumentException("query has " + query.length + " dimensions, the index " + dimension);
        }
        int lists = listStart.length - 1;
        float[] best = new float[Math.min(k, size())];
        Arrays.fill(best, Float.NEGATIVE_INFINITY);
        if (lists == 1) {
            scan(query, 0, best);
        } else {
            for (int list : nearestLists(query, lists)) {
                scan(query, list, best);
            }
        }
        double sum = 0;
        int found = 0;
        for (float dot : best) {
            if (dot != Float.NEGATIVE_INFINITY) {
                sum += 1.0 - dot;
                found++;
            }
        }
        return sum / found;
    }

    /** Keeps the largest dot products seen in {@code best}, sorted descending. */
    private void scan(float[] query, int list, float[] best) {
        int last = best.length - 1;
        for (int i = listStart[list]; i < listStart[list + 1]; i++) {
            float dot = dot(query, 0, vectors, i * dimension, dimension);
            if (dot > best[last]) {
                int j = last;
                while (j > 0 && best[j - 1] < dot) {
                    best[j] = best[j - 1];
                    j--;
                }
                best[j] = dot;
            }
        }
    }

    private int[] nearestLists(float[] query, int lists) {
        int[] chosen = new int[probes];
        float[] scores = new float[probes];
        Arrays.fill(scores, Float.NEGATIVE_INFINITY);
        for (int l = 0; l < lists; l++) {
            if (listStart[l + 1] == listStart[l]) {
                continue;
            }
            float dot = dot(query, 0, centroids, l * dimension, dimension);
            if (dot > scores[probes - 1]) {
                int j = probes - 1;
                while (j > 0 && scores[j - 1] < dot) {
                    scores[j] = scores[j - 1];
                    chosen[j] = chosen[j - 1];
                    j--;
                }
                scores[j] = dot;
                chosen[j] = l;
            }
        }
        return chosen;
    }

    private static float[] kMeans(float[] references, int dimension, int lists, SplittableRandom random) {
        int count = references.length / dimension;
        int sampleSize = Math.min(count, lists * KMEANS_SAMPLE_PER_LIST);
        int[] sample = random.ints(0, count).distinct().limit(sampleSize).toArray();
        float[] centroids = new float[lists * dimension];
        for (int l = 0; l < lists; l++) {
            System.arraycopy(references, sample[l] * dimension, centroids, l * dimension, dimension);
        }
        double[] sums = new double[lists * dimension];
        int[] members = new int[lists];
        for (int iteration = 0; iteration < KMEANS_ITERATIONS; iteration++) {
            Arrays.fill(sums, 0);
            Arrays.fill(members, 0);
            for (int s : sample) {
                int l = nearestCentroid(references, s * dimension, centroids, dimension, lists);
                members[l]++;
                for (int d = 0; d < dimension; d++) {
                    sums[l * dimension + d] += references[s * dimension + d];
                }
            }
            for (int l = 0; l < lists; l++) {
                double norm = 0;
                for (int d = 0; d < dimension; d++) {
                    norm += sums[l * dimension + d] * sums[l * dimension + d];
                }
                // An emptied list keeps its centroid rather than collapsing onto the origin.
                if (members[l] > 0 && norm > 0) {
                    double scale = 1.0 / Math.sqrt(norm);
                    for (int d = 0; d < dimension; d++) {
                        centroids[l * dimension + d] = (float) (sums[l * dimension + d] * scale);
                    }
                }
            }
        }
        return centroids;
    }

    private static int nearestCentroid(float[] vectors, int offset, float[] centroids, int dimension, int lists) {
        int best = 0;
        float bestDot = Float.NEGATIVE_INFINITY;
        for (int l = 0; l < lists; l++) {
            float dot = dot(vectors, offset, centroids, l * dimension, dimension);
            if (dot > bestDot) {
                bestDot = dot;
                best = l;
            }
        }
        return best;
    }

    private static float dot(float[] a, int aOffset, float[] b, int bOffset, int length) {
        float sum = 0;
        for (int d = 0; d < length; d++) {
            sum += a[aOffset + d] * b[bOffset + d];
        }
        return sum;
    }

    private static void check(float[] references, int dimension) {
        if (dimension < 1 || references.length == 0 || references.length % dimension != 0) {
            throw new IllegalArgumentException("references must be a non-empty count x " + dimension + " array");
        }
    }
}
