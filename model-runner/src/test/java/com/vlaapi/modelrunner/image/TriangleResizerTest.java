package com.vlaapi.modelrunner.image;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TriangleResizerTest {

    private final TriangleResizer resizer = new TriangleResizer();

    private static RgbImage image(int w, int h, java.util.function.IntBinaryOperator value) {
        byte[] px = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    px[(y * w + x) * 3 + c] = (byte) (value.applyAsInt(x, y) + c);
                }
            }
        }
        return new RgbImage(w, h, px);
    }

    @Test
    void sameSizeIsTheIdentity() {
        RgbImage img = image(5, 4, (x, y) -> x * 40 + y * 7);
        double[] out = resizer.resize(img, 5, 4);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 5; x++) {
                assertEquals(img.sample(x, y, 1), out[20 + y * 5 + x], 1e-9);
            }
        }
    }

    @Test
    void halvingUsesATriangleTwoInputPixelsWideOnEachSide() {
        // PIL's BILINEAR rule: for 4 -> 2, output pixel 1 is centred at input 3.0 with support 2,
        // so inputs 1, 2, 3 weigh 0.25, 0.75, 0.75 before normalising.
        RgbImage row = image(4, 1, (x, y) -> new int[] {10, 50, 90, 130}[x]);
        double[] out = resizer.resize(row, 2, 1);
        assertEquals((0.25 * 50 + 0.75 * 90 + 0.75 * 130) / 1.75, out[1], 1e-9);
        assertEquals((0.75 * 10 + 0.75 * 50 + 0.25 * 90) / 1.75, out[0], 1e-9);
    }

    @Test
    void aFlatImageStaysFlatAtAnyScale() {
        RgbImage img = image(37, 23, (x, y) -> 90);
        for (double v : resizer.resize(img, 11, 7)) {
            assertEquals(true, Math.abs(v - 90) < 1e-9 || Math.abs(v - 91) < 1e-9 || Math.abs(v - 92) < 1e-9);
        }
    }

    @Test
    void matchesTrainingsMatrixProductWhenShrinkingOrGrowingEitherSide() {
        int[][] sizes = {{96, 80, 24, 20}, {37, 23, 11, 7}, {5, 3, 17, 13}, {300, 7, 64, 64}, {7, 300, 64, 64}};
        for (int[] size : sizes) {
            RgbImage img = image(size[0], size[1], (x, y) -> (x * 37 + y * 101 + x * y) % 250);
            double[] out = resizer.resize(img, size[2], size[3]);
            double[] expected = matrixProduct(img, size[2], size[3]);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], out[i], 1e-9, java.util.Arrays.toString(size) + " value " + i);
            }
        }
    }

    /** training/vla_train/preprocess.py's resize_chw: wh @ image @ ww.T per channel, with dense weights. */
    private static double[] matrixProduct(RgbImage img, int outW, int outH) {
        double[][] wh = dense(img.height(), outH);
        double[][] ww = dense(img.width(), outW);
        double[] out = new double[3 * outW * outH];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < outH; y++) {
                for (int x = 0; x < outW; x++) {
                    double sum = 0;
                    for (int j = 0; j < img.height(); j++) {
                        for (int i = 0; i < img.width(); i++) {
                            sum += wh[y][j] * img.sample(i, j, c) * ww[x][i];
                        }
                    }
                    out[c * outW * outH + y * outW + x] = sum;
                }
            }
        }
        return out;
    }

    private static double[][] dense(int in, int out) {
        TriangleResizer.Taps taps = TriangleResizer.computeTaps(in, out);
        double[][] weights = new double[out][in];
        for (int i = 0; i < out; i++) {
            for (int k = 0; k < taps.weights()[i].length; k++) {
                weights[i][taps.start()[i] + k] = taps.weights()[i][k];
            }
        }
        return weights;
    }
}
