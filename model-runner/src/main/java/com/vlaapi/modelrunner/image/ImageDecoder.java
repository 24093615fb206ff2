package com.vlaapi.modelrunner.image;

import com.vlaapi.modelrunner.ModelRunnerException.Code;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes PNG and JPEG bytes into RGB pixels defensively: the pixel count and each side are checked
 * from the header before any pixel is decoded (a 20000x20000 PNG is a few hundred bytes but 1.6 GB
 * of pixels), and a decoder warning (a JPEG that ends early) is treated as damage, not ignored.
 * What the decoder itself said stays in the exception's cause: clients learn that the data is
 * damaged, not the decoder's internals. The PNGs cameras send (8-bit RGB or RGBA) take
 * {@link RgbPngDecoder}'s direct path; other PNGs and JPEGs go through ImageIO.
 */
public final class ImageDecoder {

    private static final Set<String> FORMATS = Set.of("png", "jpeg");
    private static final String DAMAGED = "The image data is damaged or incomplete; send the whole PNG or JPEG file.";

    private final int maxBytes;
    private final long maxPixels;
    private final int maxSide;

    public ImageDecoder(int maxBytes, long maxPixels, int maxSide) {
        this.maxBytes = maxBytes;
        this.maxPixels = maxPixels;
        this.maxSide = maxSide;
        ImageIO.setUseCache(false);
    }

    /** The whole image at once. */
    public RgbImage decode(byte[] bytes) {
        try (RgbRows rows = open(bytes)) {
            return RgbImage.readAll(rows);
        }
    }

    /**
     * The image's rows, decoded as they are read where the format allows it (the PNGs cameras
     * send), else decoded whole first. The checks on the bytes and the image's size come first;
     * damage further on surfaces as an {@link InvalidImageException} from the row that reveals it.
     */
    public RgbRows open(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new InvalidImageException(Code.EMPTY_IMAGE, "The image is empty.");
        }
        if (bytes.length > maxBytes) {
            throw new InvalidImageException(Code.IMAGE_TOO_LARGE,
                    "The image is " + bytes.length + " bytes; the limit is " + maxBytes + " bytes.");
        }
        String format = formatOf(bytes);
        try {
            RgbPngDecoder.Rows direct = format.equals("png") ? RgbPngDecoder.open(bytes, this::checkDimensions) : null;
            return direct != null ? damageAsInvalid(direct) : decodeWithImageIo(format, bytes).rows();
        } catch (InvalidImageException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw damaged(e);
        }
    }

    private static RgbRows damageAsInvalid(RgbPngDecoder.Rows png) {
        return new RgbRows() {
            @Override
            public int width() {
                return png.width();
            }

            @Override
            public int height() {
                return png.height();
            }

            @Override
            public void next(byte[] into, int at) {
                try {
                    png.next(into, at);
                } catch (IOException | RuntimeException e) {
                    throw damaged(e);
                }
            }

            @Override
            public void close() {
                png.close();
            }
        };
    }

    private static InvalidImageException damaged(Exception cause) {
        return new InvalidImageException(Code.TRUNCATED_IMAGE, DAMAGED, cause);
    }

    private RgbImage decodeWithImageIo(String format, byte[] bytes) throws IOException {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
        if (!readers.hasNext()) {
            throw new IllegalStateException("no ImageIO reader for " + format + " in this JVM");
        }
        ImageReader reader = readers.next();
        try (ImageInputStream input = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(input, true, true);
            checkDimensions(reader.getWidth(0), reader.getHeight(0));
            reader.addIIOReadWarningListener((source, warning) -> {
                throw damaged(new IOException(warning));
            });
            return toRgb(reader.read(0));
        } finally {
            reader.dispose();
        }
    }

    /** The format by its magic bytes, refused unless the runner takes it (no ImageIO plug-in is asked). */
    private static String formatOf(byte[] bytes) {
        String format = sniff(bytes);
        if (!FORMATS.contains(format)) {
            throw format.isEmpty()
                    ? new InvalidImageException(Code.NOT_AN_IMAGE, "The bytes are not a PNG or JPEG image.")
                    : new InvalidImageException(Code.UNSUPPORTED_IMAGE_FORMAT,
                            "Images must be PNG or JPEG; this one is " + format.toUpperCase(Locale.ROOT) + ".");
        }
        return format;
    }

    static String sniff(byte[] b) {
        if (startsWith(b, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return "png";
        }
        if (startsWith(b, 0xFF, 0xD8, 0xFF)) {
            return "jpeg";
        }
        if (startsWith(b, 'G', 'I', 'F', '8')) {
            return "gif";
        }
        if (startsWith(b, 'B', 'M')) {
            return "bmp";
        }
        if (startsWith(b, 'R', 'I', 'F', 'F') && b.length >= 12 && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P') {
            return "webp";
        }
        if (startsWith(b, 'I', 'I', 0x2A, 0x00) || startsWith(b, 'M', 'M', 0x00, 0x2A)) {
            return "tiff";
        }
        return "";
    }

    private static boolean startsWith(byte[] bytes, int... magic) {
        if (bytes.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((bytes[i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }

    private void checkDimensions(int width, int height) {
        long pixels = (long) width * height;
        if (width <= 0 || height <= 0) {
            throw new InvalidImageException(Code.NOT_AN_IMAGE, "The image has no pixels.");
        }
        if (width > maxSide || height > maxSide) {
            throw new InvalidImageException(Code.IMAGE_TOO_LARGE, "The image is " + width + "x" + height
                    + "; each side may be at most " + maxSide + " pixels. Downscale it before sending.");
        }
        if (pixels > maxPixels) {
            throw new InvalidImageException(Code.IMAGE_TOO_LARGE, "The image is " + width + "x" + height + " ("
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
        if ((image.getType() == BufferedImage.TYPE_3BYTE_BGR || image.getType() == BufferedImage.TYPE_4BYTE_ABGR)
                && raster.getParent() == null && raster.getDataBuffer().getNumBanks() == 1) {
            // The common case (8-bit RGB/RGBA PNG, colour JPEG): copy bytes, skipping the generic path.
            int stride = image.getType() == BufferedImage.TYPE_3BYTE_BGR ? 3 : 4;
            int alpha = stride - 3;
            byte[] data = ((DataBufferByte) raster.getDataBuffer()).getData();
            for (int i = 0, o = 0; o < out.length; i += stride, o += 3) {
                out[o] = data[i + alpha + 2];
                out[o + 1] = data[i + alpha + 1];
                out[o + 2] = data[i + alpha];
            }
        } else if (component && colourSpace == ColorSpace.TYPE_GRAY) {
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
