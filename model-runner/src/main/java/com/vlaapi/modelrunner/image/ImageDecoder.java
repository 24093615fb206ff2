package com.vlaapi.modelrunner.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes PNG and JPEG bytes into RGB pixels defensively: the pixel count is checked from the
 * header before any pixel is decoded (a 20000x20000 PNG is a few hundred bytes but 1.6 GB of
 * pixels), and a decoder warning (a JPEG that ends early) is treated as damage, not ignored.
 */
public final class ImageDecoder {

    private static final Set<String> FORMATS = Set.of("png", "jpeg");

    private final int maxBytes;
    private final long maxPixels;

    public ImageDecoder(int maxBytes, long maxPixels) {
        this.maxBytes = maxBytes;
        this.maxPixels = maxPixels;
        ImageIO.setUseCache(false);
    }

    public RgbImage decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new InvalidImageException("empty_image", "The image is empty.");
        }
        if (bytes.length > maxBytes) {
            throw new InvalidImageException("image_too_large",
                    "The image is " + bytes.length + " bytes; the limit is " + maxBytes + " bytes.");
        }
        try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            ImageReader reader = readerFor(input);
            try {
                reader.setInput(input, true, true);
                checkDimensions(reader.getWidth(0), reader.getHeight(0));
                reader.addIIOReadWarningListener((source, warning) -> {
                    throw new InvalidImageException("truncated_image", "The image data is damaged: " + warning);
                });
                return toRgb(reader.read(0));
            } finally {
                reader.dispose();
            }
        } catch (InvalidImageException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new InvalidImageException("truncated_image",
                    "The image data is damaged or incomplete (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ").", e);
        }
    }

    private static ImageReader readerFor(ImageInputStream input) {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
        if (!readers.hasNext()) {
            throw new InvalidImageException("not_an_image", "The bytes are not a PNG or JPEG image.");
        }
        ImageReader reader = readers.next();
        String format;
        try {
            format = reader.getFormatName().toLowerCase(Locale.ROOT);
        } catch (IOException e) {
            throw new InvalidImageException("not_an_image", "The image format cannot be identified.", e);
        }
        if (!FORMATS.contains(format)) {
            reader.dispose();
            throw new InvalidImageException("unsupported_image_format",
                    "Images must be PNG or JPEG; this one is " + format.toUpperCase(Locale.ROOT) + ".");
        }
        return reader;
    }

    private void checkDimensions(int width, int height) {
        long pixels = (long) width * height;
        if (width <= 0 || height <= 0) {
            throw new InvalidImageException("not_an_image", "The image has no pixels.");
        }
        if (pixels > maxPixels) {
            throw new InvalidImageException("image_too_large", "The image is " + width + "x" + height + " ("
                    + pixels + " pixels); the limit is " + maxPixels + " pixels. Downscale it before sending.");
        }
    }

    /** Same result as PIL's {@code convert("RGB")}: alpha dropped, grey replicated, palette expanded. */
    private static RgbImage toRgb(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        byte[] out = new byte[w * h * 3];
        Raster raster = image.getRaster();
        int colourSpace = image.getColorModel().getColorSpace().getType();
        boolean component = image.getColorModel() instanceof ComponentColorModel;
        int shift = Math.max(0, raster.getSampleModel().getSampleSize(0) - 8);
        if (component && colourSpace == ColorSpace.TYPE_GRAY) {
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    byte v = (byte) (row[x] >> shift);
                    int o = (y * w + x) * 3;
                    out[o] = v;
                    out[o + 1] = v;
                    out[o + 2] = v;
                }
            }
        } else if (component && colourSpace == ColorSpace.TYPE_RGB && raster.getNumBands() >= 3) {
            int bands = raster.getNumBands();
            int[] row = new int[w * bands];
            for (int y = 0; y < h; y++) {
                raster.getPixels(0, y, w, 1, row);
                for (int x = 0; x < w; x++) {
                    int o = (y * w + x) * 3;
                    out[o] = (byte) (row[x * bands] >> shift);
                    out[o + 1] = (byte) (row[x * bands + 1] >> shift);
                    out[o + 2] = (byte) (row[x * bands + 2] >> shift);
                }
            }
        } else {
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                image.getRGB(0, y, w, 1, row, 0, w);
                for (int x = 0; x < w; x++) {
                    int o = (y * w + x) * 3;
                    out[o] = (byte) (row[x] >> 16);
                    out[o + 1] = (byte) (row[x] >> 8);
                    out[o + 2] = (byte) row[x];
                }
            }
        }
        return new RgbImage(w, h, out);
    }
}
