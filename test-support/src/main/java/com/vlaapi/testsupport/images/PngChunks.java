package com.vlaapi.testsupport.images;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/** PNG files put together chunk by chunk, for tests that need a PNG no encoder would write. */
public final class PngChunks {

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private PngChunks() {
        out.writeBytes(SIGNATURE);
    }

    /** A file of the PNG signature and then {@code IHDR} with these fields, no compression, no interlacing. */
    public static PngChunks withHeader(int width, int height, int bitDepth, int colourType) {
        return new PngChunks().chunk("IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) bitDepth).put((byte) colourType).put((byte) 0).put((byte) 0).put((byte) 0).array());
    }

    /** Appends a chunk: its length, type, data and CRC. */
    public PngChunks chunk(String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        return this;
    }

    /** The file, ended with {@code IEND}. */
    public byte[] end() {
        chunk("IEND", new byte[0]);
        return out.toByteArray();
    }
}
