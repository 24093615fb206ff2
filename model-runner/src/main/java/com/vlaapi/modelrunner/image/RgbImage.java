package com.vlaapi.modelrunner.image;

/** Decoded 8-bit RGB pixels, row-major and interleaved (r, g, b, r, g, b, ...), values 0-255. */
public record RgbImage(int width, int height, byte[] pixels) {

    public int sample(int x, int y, int channel) {
        return pixels[(y * width + x) * 3 + channel] & 0xFF;
    }
}
