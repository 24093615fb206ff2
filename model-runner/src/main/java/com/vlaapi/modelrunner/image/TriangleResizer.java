package com.vlaapi.modelrunner.image;

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

    /** Returns channel-major (3 x outHeight x outWidth) values in 0-255. */
    public double[] resize(RgbImage image, int outWidth, int outHeight) {
        if (image.width() == outWidth && image.height() == outHeight) {
            return toChannelMajor(image); // the filter's weights are exactly the identity here
        }
        Taps horizontal = taps(image.width(), outWidth);
        Taps vertical = taps(image.height(), outHeight);
        int inW = image.width();
        byte[] px = image.pixels();
        // Horizontal pass over every input row: rows[y][x][c].
        double[] rows = new double[image.height() * outWidth * 3];
        for (int y = 0; y < image.height(); y++) {
            int rowBase = y * inW * 3;
            for (int x = 0; x < outWidth; x++) {
                double r = 0, g = 0, b = 0;
                double[] w = horizontal.weights()[x];
                int p = rowBase + horizontal.start()[x] * 3;
                for (int k = 0; k < w.length; k++, p += 3) {
                    r += w[k] * (px[p] & 0xFF);
                    g += w[k] * (px[p + 1] & 0xFF);
                    b += w[k] * (px[p + 2] & 0xFF);
                }
                int o = (y * outWidth + x) * 3;
                rows[o] = r;
                rows[o + 1] = g;
                rows[o + 2] = b;
            }
        }
        int plane = outWidth * outHeight;
        double[] out = new double[3 * plane];
        for (int y = 0; y < outHeight; y++) {
            double[] w = vertical.weights()[y];
            int first = vertical.start()[y];
            for (int x = 0; x < outWidth; x++) {
                double r = 0, g = 0, b = 0;
                for (int k = 0; k < w.length; k++) {
                    int o = ((first + k) * outWidth + x) * 3;
                    r += w[k] * rows[o];
                    g += w[k] * rows[o + 1];
                    b += w[k] * rows[o + 2];
                }
                int o = y * outWidth + x;
                out[o] = r;
                out[plane + o] = g;
                out[2 * plane + o] = b;
            }
        }
        return out;
    }

    private static double[] toChannelMajor(RgbImage image) {
        int plane = image.width() * image.height();
        byte[] px = image.pixels();
        double[] out = new double[3 * plane];
        for (int i = 0; i < plane; i++) {
            out[i] = px[3 * i] & 0xFF;
            out[plane + i] = px[3 * i + 1] & 0xFF;
            out[2 * plane + i] = px[3 * i + 2] & 0xFF;
        }
        return out;
    }
}
