package com.vlaapi.modelrunner.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.vlaapi.testsupport.images.PngChunks;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.Deflater;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The direct PNG path gives ImageIO's pixels for every row filter, and leaves other PNGs to ImageIO. */
class RgbPngDecoderTest {

    private static final RgbPngDecoder.SizeCheck ANY_SIZE = (width, height) -> { };
    private final ImageDecoder decoder = new ImageDecoder(8 * 1024 * 1024, 4096L * 4096L, 4096);

    @Test
    void everyRowFilterOfRgbAndRgbaGivesImageIosPixels() throws IOException {
        Random random = new Random(7);
        for (int channels : new int[] {3, 4}) {
            byte[] pixels = new byte[37 * 23 * channels];
            for (int i = 0; i < pixels.length; i++) {
                // Smooth with noise, so that each filter's predictor matters.
                pixels[i] = (byte) (i / channels % 37 * 5 + i / (37 * channels) * 3 + random.nextInt(9));
            }
            // Rows cycle through filters 0 to 4, each of them on the first row and on later ones.
            byte[] png = png(37, 23, channels, pixels, row -> row % 5);
            RgbImage direct = direct(png);
            assertNotNull(direct, channels + " channels take the direct path");
            assertArrayEquals(imageIoRgb(png), direct.pixels(), channels + " channels");
        }
    }

    @Test
    void pngsWrittenByImageIoDecodeAsImageIoReadsThem() throws IOException {
        Random random = new Random(11);
        for (int type : new int[] {BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_4BYTE_ABGR, BufferedImage.TYPE_INT_RGB}) {
            BufferedImage image = new BufferedImage(64, 48, type);
            for (int y = 0; y < 48; y++) {
                for (int x = 0; x < 64; x++) {
                    image.setRGB(x, y, (x * 4 + random.nextInt(3)) << 16 | (y * 5) << 8 | ((x + y) * 2) | random.nextInt(256) << 24);
                }
            }
            byte[] png = write(image);
            assertNotNull(direct(png));
            assertArrayEquals(imageIoRgb(png), decoder.decode(png).pixels(), "image type " + type);
        }
    }

    @Test
    void greyAndPalettePngsAreLeftToImageIo() throws IOException {
        for (int type : new int[] {BufferedImage.TYPE_BYTE_GRAY, BufferedImage.TYPE_BYTE_INDEXED, BufferedImage.TYPE_USHORT_GRAY}) {
            BufferedImage image = new BufferedImage(20, 10, type);
            for (int y = 0; y < 10; y++) {
                for (int x = 0; x < 20; x++) {
                    image.setRGB(x, y, x * 12 << 16 | y * 25 << 8 | 77);
                }
            }
            byte[] png = write(image);
            assertNull(direct(png), "image type " + type);
            assertEquals(20 * 10 * 3, decoder.decode(png).pixels().length, "image type " + type);
        }
    }

    @Test
    void rowsThatStraddleImageDataChunksDecodeWhole() throws IOException {
        Random random = new Random(5);
        byte[] pixels = new byte[29 * 17 * 3];
        random.nextBytes(pixels);
        for (int chunkBytes : new int[] {1, 7, 100}) {
            byte[] png = png(29, 17, 3, pixels, row -> row % 5, chunkBytes);
            assertArrayEquals(pixels, direct(png).pixels(), "IDAT chunks of " + chunkBytes + " bytes");
        }
    }

    @Test
    void aDamagedChunkOrAnUnknownRowFilterIsADamagedImage() {
        byte[] pixels = new byte[8 * 8 * 3];
        byte[] flipped = png(8, 8, 3, pixels, row -> 0);
        flipped[flipped.length - 20] ^= 0x10; // inside the IDAT chunk: its checksum no longer matches
        assertEquals("truncated_image", assertThrows(InvalidImageException.class, () -> decoder.decode(flipped)).code());

        byte[] badFilter = png(8, 8, 3, pixels, row -> row == 5 ? 7 : 0);
        InvalidImageException e = assertThrows(InvalidImageException.class, () -> decoder.decode(badFilter));
        assertEquals("truncated_image", e.code());
        assertEquals("row 5 has filter type 7; PNG defines 0 to 4", e.getCause().getMessage());
    }

    @Test
    void theSizeIsCheckedBeforeAnyPixelIsInflated() {
        byte[] png = png(300, 2, 3, new byte[300 * 2 * 3], row -> 0);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> RgbPngDecoder.open(png,
                (width, height) -> {
                    throw new IllegalArgumentException(width + "x" + height);
                }));
        assertEquals("300x2", refused.getMessage());
    }

    /** The direct path's pixels, or null when it leaves the PNG to ImageIO. */
    private static RgbImage direct(byte[] png) throws IOException {
        RgbPngDecoder.Rows rows = RgbPngDecoder.open(png, ANY_SIZE);
        if (rows == null) {
            return null;
        }
        byte[] pixels = new byte[rows.width() * rows.height() * 3];
        for (int y = 0; y < rows.height(); y++) {
            rows.next(pixels, y * rows.width() * 3);
        }
        rows.close();
        return new RgbImage(rows.width(), rows.height(), pixels);
    }

    private static byte[] imageIoRgb(byte[] png) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        byte[] rgb = new byte[image.getWidth() * image.getHeight() * 3];
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int argb = image.getRGB(x, y);
                int o = (y * image.getWidth() + x) * 3;
                rgb[o] = (byte) (argb >> 16);
                rgb[o + 1] = (byte) (argb >> 8);
                rgb[o + 2] = (byte) argb;
            }
        }
        return rgb;
    }

    private static byte[] write(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    /** An 8-bit RGB (3) or RGBA (4) PNG whose row y is written with filter {@code filterOfRow(y)}. */
    private static byte[] png(int width, int height, int channels, byte[] pixels, java.util.function.IntUnaryOperator filterOfRow) {
        return png(width, height, channels, pixels, filterOfRow, Integer.MAX_VALUE);
    }

    /** The same, its compressed data split into IDAT chunks of at most {@code chunkBytes} bytes. */
    private static byte[] png(int width, int height, int channels, byte[] pixels, java.util.function.IntUnaryOperator filterOfRow,
                              int chunkBytes) {
        int rowBytes = width * channels;
        byte[] filtered = new byte[(rowBytes + 1) * height];
        for (int y = 0; y < height; y++) {
            int filter = filterOfRow.applyAsInt(y);
            filtered[y * (rowBytes + 1)] = (byte) filter;
            for (int i = 0; i < rowBytes; i++) {
                int x = pixels[y * rowBytes + i] & 0xFF;
                int a = i < channels ? 0 : pixels[y * rowBytes + i - channels] & 0xFF;
                int b = y == 0 ? 0 : pixels[(y - 1) * rowBytes + i] & 0xFF;
                int c = y == 0 || i < channels ? 0 : pixels[(y - 1) * rowBytes + i - channels] & 0xFF;
                int predicted = switch (filter) {
                    case 1 -> a;
                    case 2 -> b;
                    case 3 -> (a + b) / 2;
                    case 4 -> {
                        int p = a + b - c;
                        int pa = Math.abs(p - a);
                        int pb = Math.abs(p - b);
                        int pc = Math.abs(p - c);
                        yield pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
                    }
                    default -> 0;
                };
                filtered[y * (rowBytes + 1) + 1 + i] = (byte) (x - predicted);
            }
        }
        Deflater deflater = new Deflater();
        deflater.setInput(filtered);
        deflater.finish();
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        while (!deflater.finished()) {
            compressed.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        byte[] data = compressed.toByteArray();
        PngChunks chunks = PngChunks.withHeader(width, height, 8, channels == 3 ? 2 : 6);
        for (int from = 0; from < data.length; from += chunkBytes) {
            chunks.chunk("IDAT", Arrays.copyOfRange(data, from, (int) Math.min(data.length, (long) from + chunkBytes)));
        }
        return chunks.end();
    }
}
