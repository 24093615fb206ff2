package com.vlaapi.inference.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Raw RGB pixels as a PNG, the lossless form the model runner decodes. Fastest compression: the
 * file lives for one request, so bytes saved are worth less than the milliseconds spent saving them.
 */
final class RgbPng {

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private RgbPng() {
    }

    static byte[] encode(NumpyArray.RgbPixels pixels) {
        int rowBytes = pixels.width() * 3;
        ByteArrayOutputStream compressed = new ByteArrayOutputStream(pixels.rgb().length / 2);
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        try (DeflaterOutputStream out = new DeflaterOutputStream(compressed, deflater, 64 * 1024)) {
            for (int row = 0; row < pixels.height(); row++) {
                out.write(0);   // filter type None
                out.write(pixels.rgb(), row * rowBytes, rowBytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deflater.end();
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream(compressed.size() + 64);
        png.writeBytes(SIGNATURE);
        ByteBuffer header = ByteBuffer.allocate(13).putInt(pixels.width()).putInt(pixels.height())
                .put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);   // 8-bit RGB, no interlace
        chunk(png, "IHDR", header.array());
        chunk(png, "IDAT", compressed.toByteArray());
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream png, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        png.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        png.writeBytes(typeBytes);
        png.writeBytes(data);
        png.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
