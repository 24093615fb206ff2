package com.vlaapi.modelrunner.image;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Antialiased bilinear resize: a separable triangle filter whose support widens with the
 * downscale factor, sampled at pixel centres (PIL's BILINEAR rule). It must match
 * {@code training/vla_train/preprocess.py} exactly, so the weights are computed the same way and
 * kept in double precision.
 */
public final class TriangleResizer {

    /** Output pixel i reads input pixels {@code start[i] .. start[i]+weights[i].length-1}. */
    record Taps(int[] start, double[][] weights) {
    }

    /**
     * Filter weights by (input size, output size), the few sizes cameras send, least recently used
     * first out. Bounded in entries, and each entry is bounded by the decoder's longest side.
     */
    private static final int CACHED_SIZES = 64;

    private final Map<Long, Taps> cache = new LinkedHashMap<>(CACHED_SIZES, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Taps> eldest) {
            return size() > CACHED_SIZES;
        }
    };

    static Taps computeTaps(int inSize, int outSize) {
        double scale = (double) inSize / outSize;
        double support = Math.max(scale, 1.0);
        int[] start = new int[outSize];
        double[][] weights = new double[outSize][];
        for (int i = 0; i < outSize; i++) {
            double centre = (i + 0.5) * scale;
            int lo = Math.max(0, (int) Math.floor(centre - support));
            int hi = Math.min(inSize, (int) Math.ceil(centre + support));
            double[] w = new double[hi - lo];
            double sum = 0;
            for (int j = lo; j < hi; j++) {
                double v = 1.0 - Math.abs((j + 0.5 - centre) / support);
                if (v > 0) {
                    w[j - lo] = v;
                    sum += v;
                }
            }
            for (int k = 0; k < w.length; k++) {
                w[k] /= sum;
            }
            start[i] = lo;
            weights[i] = w;
        }
        return new Taps(start, weights);
    }

    private Taps taps(int inSize, int outSize) {
        long key = ((long) inSize << 32) | outSize;
        synchronized (cache) {
            Taps cached = cache.get(key);
            if (cached != null) {
                return cached;
            }
        }
        // Computed outside the lock: two threads may both compute a new size once, which is harmless.
        Taps computed = computeTaps(inSize, outSize);
        synchronized (cache) {
            cache.put(key, computed);
        }
        return computed;
    }

    /** {@link #resize(RgbRows, int, int)} of a decoded image. */
    public double[] resize(RgbImage image, int outWidth, int outHeight) {
        return resize(image.rows(), outWidth, outHeight);
    }

    /**
     * Returns channel-major (3 x outHeight x outWidth) values in 0-255, reading {@code rows} once
     * from top to bottom. The vertical pass comes first, as in training's {@code wh @ image @ ww.T}:
     * it runs over whole interleaved rows of doubles, a loop the JIT vectorises, and each input row
     * is converted to doubles once, into a ring of the rows the current output row reads. Each
     * output row's horizontal pass follows at once, while its vertical sums are still in cache.
     */
    public double[] resize(RgbRows rows, int outWidth, int outHeight) {
        int width = rows.width();
        int height = rows.height();
        int rowLength = width * 3;
        byte[] bytes = new byte[rowLength];
        if (width == outWidth && height == outHeight) {
            return toChannelMajor(rows, bytes); // the filter's weights are exactly the identity here
        }
        Taps vertical = taps(height, outHeight);
        Taps horizontal = taps(width, outWidth);
        int ringSize = 0;
        for (double[] w : vertical.weights()) {
            ringSize = Math.max(ringSize, w.length);
        }
        double[][] ring = new double[ringSize][rowLength];
        int converted = 0;
        double[] sums = new double[rowLength];
        int plane = outWidth * outHeight;
        double[] result = new double[3 * plane];
        for (int y = 0; y < outHeight; y++) {
            double[] w = vertical.weights()[y];
            int first = vertical.start()[y];
            Arrays.fill(sums, 0);
            for (int k = 0; k < w.length; k++) {
                int inputRow = first + k;
                // Windows only move down and none is longer than the ring, so a slot is reused
                // only once no later window needs its row.
                for (; converted <= inputRow; converted++) {
                    rows.next(bytes, 0);
                    double[] slot = ring[converted % ringSize];
                    for (int i = 0; i < rowLength; i++) {
                        slot[i] = bytes[i] & 0xFF;
                    }
                }
                double[] row = ring[inputRow % ringSize];
                double wk = w[k];
                for (int i = 0; i < rowLength; i++) {
                    sums[i] += wk * row[i];
                }
            }
            for (int x = 0; x < outWidth; x++) {
                double r = 0, g = 0, b = 0;
                double[] wx = horizontal.weights()[x];
                for (int k = 0, p = horizontal.start()[x] * 3; k < wx.length; k++, p += 3) {
                    r += wx[k] * sums[p];
                    g += wx[k] * sums[p + 1];
                    b += wx[k] * sums[p + 2];
                }
                int o = y * outWidth + x;
                result[o] = r;
                result[plane + o] = g;
                result[2 * plane + o] = b;
            }
        }
        return result;
    }

    private static double[] toChannelMajor(RgbRows rows, byte[] bytes) {
        int width = rows.width();
        int plane = width * rows.height();
        double[] out = new double[3 * plane];
        for (int y = 0, o = 0; y < rows.height(); y++) {
            rows.next(bytes, 0);
            for (int x = 0; x < width; x++, o++) {
                out[o] = bytes[3 * x] & 0xFF;
                out[plane + o] = bytes[3 * x + 1] & 0xFF;
                out[2 * plane + o] = bytes[3 * x + 2] & 0xFF;
            }
        }
        return out;
    }
}
