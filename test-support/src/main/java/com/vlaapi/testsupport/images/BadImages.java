package com.vlaapi.testsupport.images;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.imageio.ImageIO;

/**
 * Image bytes a client might send that are no usable picture, each of them one typed error of the
 * model runner's, whether a test calls the library or the service. Made here, not committed as
 * files, so each says how it is broken.
 */
public final class BadImages {

    private BadImages() {
    }

    /** Bytes of no image format at all. */
    public static byte[] notAnImage() {
        return "definitely not a picture".getBytes(StandardCharsets.US_ASCII);
    }

    /** The first half of {@code image}: its header is intact, its pixel data cut off. */
    public static byte[] truncated(byte[] image) {
        return Arrays.copyOf(image, image.length / 2);
    }

    /** A valid 8x8 GIF: a real image in a format the runner does not take. */
    public static byte[] gif() {
        ByteArrayOutputStream gif = new ByteArrayOutputStream();
        try {
            ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB), "gif", gif);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return gif.toByteArray();
    }

    /**
     * A real PNG of {@code width} x {@code height} varied pixels: given an extreme aspect ratio
     * (16,384 x 1), an image that costs far more to resize than its bytes suggest.
     */
    public static byte[] stripe(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        for (int x = 0; x < width; x++) {
            for (int y = 0; y < height; y++) {
                image.setRGB(x, y, (x * 31 + y * 17) & 0xFFFFFF);
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", png);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return png.toByteArray();
    }

    /**
     * A decompression bomb: a valid PNG signature and IHDR announcing {@code width} x {@code height}
     * RGB pixels, and nothing else. Tiny on the wire; decoded, it would not fit in memory.
     */
    public static byte[] pngHeaderOnly(int width, int height) {
        return PngChunks.withHeader(width, height, 8, 2).end();
    }
}
