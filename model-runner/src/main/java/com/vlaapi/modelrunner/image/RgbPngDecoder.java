package com.vlaapi.modelrunner.image;

import java.io.EOFException;
import java.io.IOException;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decodes the PNGs cameras send, 8-bit RGB or RGBA without interlacing, row by row into the RGB
 * bytes the resize reads: the JDK's zlib for the data, the five row filters of the PNG
 * specification here. ImageIO would build a whole {@code BufferedImage} first, to be copied once
 * more. Every other kind of PNG (palette, grey, 16-bit, interlaced) is left to ImageIO. The result
 * is ImageIO's and PIL's {@code convert("RGB")}: alpha dropped, ancillary chunks (gamma, colour
 * profile) ignored.
 */
final class RgbPngDecoder {

    /** Refuses a size before any pixel is decoded (the caller's limits). */
    interface SizeCheck {
        void check(int width, int height);
    }

    private static final int IHDR = chunkType("IHDR");
    private static final int IDAT = chunkType("IDAT");
    private static final int IEND = chunkType("IEND");
    private static final int SIGNATURE_LENGTH = 8;
    private static final int COLOUR_RGB = 2;
    private static final int COLOUR_RGBA = 6;

    private RgbPngDecoder() {
    }

    /**
     * The rows of {@code png} (a PNG signature first), decoded as they are read, or null when it is
     * not 8-bit RGB or RGBA without interlacing. Only the header is read here.
     *
     * @throws IOException when the header chunk is cut short or damaged
     */
    static Rows open(byte[] png, SizeCheck sizeCheck) throws IOException {
        int position = SIGNATURE_LENGTH;
        int length = chunkLength(png, position);
        if (readInt(png, position + 4) != IHDR || length != 13) {
            return null;
        }
        int header = position + 8;
        int width = readInt(png, header);
        int height = readInt(png, header + 4);
        int bitDepth = png[header + 8];
        int colourType = png[header + 9];
        boolean plain = png[header + 10] == 0 && png[header + 11] == 0 && png[header + 12] == 0;
        if (bitDepth != 8 || (colourType != COLOUR_RGB && colourType != COLOUR_RGBA) || !plain) {
            return null;
        }
        sizeCheck.check(width, height);
        if (width <= 0 || height <= 0 || (long) width * 4 + 1 > Integer.MAX_VALUE - 8) {
            return null;
        }
        return new Rows(png, position + 12 + length, width, height, colourType == COLOUR_RGB ? 3 : 4);
    }

    /**
     * The image data inflated one row at a time from the IDAT chunks, each row's filter undone
     * into a buffer of its own with the row above kept in another, so that the filter loops read
     * and write different arrays and the JIT can vectorise them.
     */
    static final class Rows {

        private final byte[] png;
        private final int width;
        private final int height;
        private final int bpp;
        private final int rowBytes;
        private final Inflater inflater = new Inflater();
        /** The next chunk to read once the inflater needs input. */
        private int position;
        /** One row as stored: its filter type, then its bytes. */
        private final byte[] filtered;
        private byte[] up;
        private byte[] current;
        private int y;

        private Rows(byte[] png, int position, int width, int height, int bpp) {
            this.png = png;
            this.position = position;
            this.width = width;
            this.height = height;
            this.bpp = bpp;
            this.rowBytes = width * bpp;
            this.filtered = new byte[rowBytes + 1];
            this.up = new byte[rowBytes];
            this.current = new byte[rowBytes];
        }

        int width() {
            return width;
        }

        int height() {
            return height;
        }

        /** The next row as RGB bytes, into {@code rgb} from {@code at} on. */
        void next(byte[] rgb, int at) throws IOException {
            inflateRow();
            unfilter();
            copyRgb(current, rgb, at, width, bpp);
            byte[] done = up;
            up = current;
            current = done;
            y++;
        }

        void close() {
            inflater.end();
        }

        private void inflateRow() throws IOException {
            int produced = 0;
            while (produced < filtered.length) {
                if (inflater.needsInput()) {
                    nextImageDataChunk();
                }
                int count;
                try {
                    count = inflater.inflate(filtered, produced, filtered.length - produced);
                } catch (DataFormatException e) {
                    throw new IOException("damaged zlib data: " + e.getMessage(), e);
                }
                produced += count;
                if (count == 0 && !inflater.needsInput()) {
                    throw new IOException(inflater.finished()
                            ? "the image data ends before the image is complete" : "the image data asks for a zlib dictionary");
                }
            }
        }

        private void nextImageDataChunk() throws IOException {
            while (true) {
                int length = chunkLength(png, position);
                int type = readInt(png, position + 4);
                if (type == IEND) {
                    throw new EOFException("the PNG ends before its image data is complete");
                }
                int data = position + 8;
                position += 12 + length;
                if (type == IDAT) {
                    inflater.setInput(png, data, length);
                    return;
                }
            }
        }

        private void unfilter() throws IOException {
            byte[] stored = filtered;
            int in = 1;
            switch (stored[0]) {
                case 0 -> System.arraycopy(stored, in, current, 0, rowBytes);
                case 1 -> {
                    for (int i = 0; i < rowBytes; i++) {
                        current[i] = (byte) (stored[in + i] + (i < bpp ? 0 : current[i - bpp]));
                    }
                }
                case 2 -> {
                    for (int i = 0; i < rowBytes; i++) {
                        current[i] = (byte) (stored[in + i] + up[i]);
                    }
                }
                case 3 -> {
                    for (int i = 0; i < rowBytes; i++) {
                        int left = i < bpp ? 0 : current[i - bpp] & 0xFF;
                        current[i] = (byte) (stored[in + i] + ((left + (up[i] & 0xFF)) >>> 1));
                    }
                }
                case 4 -> {
                    for (int i = 0; i < rowBytes; i++) {
                        int a = i < bpp ? 0 : current[i - bpp] & 0xFF;
                        int c = i < bpp ? 0 : up[i - bpp] & 0xFF;
                        current[i] = (byte) (stored[in + i] + paeth(a, up[i] & 0xFF, c));
                    }
                }
                default -> throw new IOException("row " + y + " has filter type " + stored[0] + "; PNG defines 0 to 4");
            }
        }
    }

    private static void copyRgb(byte[] row, byte[] rgb, int at, int width, int bpp) {
        if (bpp == 3) {
            System.arraycopy(row, 0, rgb, at, width * 3);
            return;
        }
        for (int x = 0, in = 0, out = at; x < width; x++, in += 4, out += 3) {
            rgb[out] = row[in];
            rgb[out + 1] = row[in + 1];
            rgb[out + 2] = row[in + 2];
        }
    }

    private static int paeth(int a, int b, int c) {
        int pa = Math.abs(b - c);
        int pb = Math.abs(a - c);
        int pc = Math.abs(a + b - 2 * c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    /** The data length of the chunk at {@code position}, once its bounds and checksum are verified. */
    private static int chunkLength(byte[] png, int position) throws IOException {
        if (position > png.length - 12) {
            throw new EOFException("the PNG is cut off at byte " + png.length);
        }
        int length = readInt(png, position);
        if (length < 0 || length > png.length - position - 12) {
            throw new EOFException("the PNG is cut off in a chunk at byte " + position);
        }
        CRC32 crc = new CRC32();
        crc.update(png, position + 4, length + 4);
        if ((int) crc.getValue() != readInt(png, position + 8 + length)) {
            throw new IOException("the checksum of the chunk at byte " + position + " does not match");
        }
        return length;
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }

    private static int chunkType(String name) {
        return name.charAt(0) << 24 | name.charAt(1) << 16 | name.charAt(2) << 8 | name.charAt(3);
    }
}
