package com.vlaapi.modelrunner.image;

/**
 * An image's pixel rows, read once from top to bottom: a decoder hands them to the resize as it
 * produces them, so a request never holds the whole decoded image. Closing frees what decoding
 * the rest would have needed.
 */
public interface RgbRows extends AutoCloseable {

    int width();

    int height();

    /**
     * Copies the next row's interleaved RGB bytes (r, g, b, ... width x 3 of them) into {@code into}
     * from index {@code at} on.
     *
     * @throws InvalidImageException when the data turns out to be damaged at this row
     */
    void next(byte[] into, int at);

    @Override
    void close();
}
