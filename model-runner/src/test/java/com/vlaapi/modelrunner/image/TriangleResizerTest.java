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
}
