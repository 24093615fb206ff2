package com.vlaapi.client;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import javax.imageio.ImageIO;

/**
 * The {@code image} field: a PNG or JPEG file's bytes, base64 (standard alphabet). Bytes are sent as
 * they are: the API checks them and answers 400 {@code not_an_image} for anything else.
 */
final class ImageEncoding {

    private ImageEncoding() {
    }

    static String encode(byte[] pngOrJpeg) {
        return Base64.getEncoder().encodeToString(pngOrJpeg);
    }

    static String encode(Path pngOrJpeg) {
        try {
            return encode(Files.readAllBytes(pngOrJpeg));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the image " + pngOrJpeg, e);
        }
    }

    /** As a PNG: lossless, so the model sees exactly these pixels. */
    static String encode(BufferedImage image) {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", png)) {
                throw new IllegalArgumentException("this JVM has no PNG writer for images of type " + image.getType());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the image as PNG", e);
        }
        return encode(png.toByteArray());
    }
}
