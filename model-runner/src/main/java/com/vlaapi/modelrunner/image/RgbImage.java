package com.vlaapi.modelrunner.image;

/** Decoded 8-bit RGB pixels, row-major and interleaved (r, g, b, r, g, b, ...), values 0-255. */
public record RgbImage(int width, int height, byte[] pixels) {

    public int sample(int x, int y, int channel) {
        return pixels[(y * width + x) * 3 + channel] & 0xFF;
    }

    /** Reads every row of {@code rows} into one image. */
    static RgbImage readAll(RgbRows rows) {
        int rowLength = rows.width() * 3;
        byte[] pixels = new byte[rowLength * rows.height()];
        for (int y = 0; y < rows.height(); y++) {
            rows.next(pixels, y * rowLength);
        }
        return new RgbImage(rows.width(), rows.height(), pixels);
    }

    /** This image's rows, for code that reads them as a decoder produces them. */
    RgbRows rows() {
        return new RgbRows() {
            private int next;

            @Override
            public int width() {
                return width;
            }

            @Override
            public int height() {
                return height;
            }

            @Override
            public void next(byte[] into, int at) {
                System.arraycopy(pixels, next++ * width * 3, into, at, width * 3);
            }

            @Override
            public void close() {
            }
        };
    }
}
