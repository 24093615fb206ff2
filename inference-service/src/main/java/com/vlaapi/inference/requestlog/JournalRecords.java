package com.vlaapi.inference.requestlog;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * One request-log row as bytes in the {@link RequestJournal}: a header (payload length, CRC-32C
 * of the payload) and the row's fields in a fixed order. The checksum tells a whole record from
 * one a crash cut short, or from bytes that are not a record at all.
 */
final class JournalRecords {

    static final int HEADER_BYTES = 8;
    /** No row comes near this (texts are cut to {@link StorableValues#MAX_TEXT_CHARS}); longer means corrupt. */
    static final int MAX_PAYLOAD_BYTES = 1 << 20;

    private JournalRecords() {
    }

    /** Header and payload, ready to write. */
    static ByteBuffer encode(InferenceLogEntry row) {
        byte[][] texts = {utf8(row.model()), utf8(row.modelVersion()), utf8(row.unnormKey()),
                utf8(row.instruction()), utf8(row.errorCode())};
        int size = 16 + 16 + 1 + 16 + 12           // request, customer, key (flag and id), timestamp
                + 4 + 8 * (row.action() == null ? 0 : row.action().length)
                + 9 + 8 + 4 + 4 * 4                 // latencies, status, image and batch sizes
                + 4 + 4 * (row.embedding() == null ? 0 : row.embedding().length)
                + 9                                 // safety score
                + 4 + 8 * (row.rawAction() == null ? 0 : row.rawAction().length);
        for (byte[] text : texts) {
            size += 4 + (text == null ? 0 : text.length);
        }
        byte[] robot = utf8(row.robot());
        byte[] flags = row.safetyFlags() == null ? null : String.join(",", row.safetyFlags()).getBytes(StandardCharsets.UTF_8);
        size += 4 + (robot == null ? 0 : robot.length) + 4 + (flags == null ? 0 : flags.length);
        ByteBuffer buffer = ByteBuffer.allocate(HEADER_BYTES + size);
        buffer.position(HEADER_BYTES);
        uuid(buffer, row.requestId());
        uuid(buffer, row.customerId());
        buffer.put((byte) (row.apiKeyId() == null ? 0 : 1));
        uuid(buffer, row.apiKeyId() == null ? new UUID(0, 0) : row.apiKeyId());
        buffer.putLong(row.timestamp().getEpochSecond()).putInt(row.timestamp().getNano());
        for (byte[] text : texts) {
            putBytes(buffer, text);
        }
        putDoubles(buffer, row.action());
        putDouble(buffer, row.inferenceLatencyMs());
        buffer.putDouble(row.totalLatencyMs()).putInt(row.statusCode());
        putInt(buffer, row.imageBytes());
        putInt(buffer, row.imageWidth());
        putInt(buffer, row.imageHeight());
        putInt(buffer, row.batchSize());
        putFloats(buffer, row.embedding());
        putDouble(buffer, row.safetyScore());
        putBytes(buffer, robot);
        putDoubles(buffer, row.rawAction());
        putBytes(buffer, flags);
        int payload = buffer.position() - HEADER_BYTES;
        CRC32C crc = new CRC32C();
        crc.update(buffer.array(), HEADER_BYTES, payload);
        buffer.putInt(0, payload).putInt(4, (int) crc.getValue());
        return buffer.flip();
    }

    /**
     * The payload's row, if the checksum in the header matches it; empty for bytes a crash left
     * half written or that were never a record.
     */
    static Optional<InferenceLogEntry> decode(ByteBuffer payload, int checksum) {
        CRC32C crc = new CRC32C();
        crc.update(payload.duplicate());
        if ((int) crc.getValue() != checksum) {
            return Optional.empty();
        }
        try {
            UUID requestId = uuid(payload);
            UUID customerId = uuid(payload);
            boolean hasKey = payload.get() == 1;
            UUID apiKeyId = uuid(payload);
            Instant timestamp = Instant.ofEpochSecond(payload.getLong(), payload.getInt());
            String model = text(payload);
            String modelVersion = text(payload);
            String unnormKey = text(payload);
            String instruction = text(payload);
            String errorCode = text(payload);
            double[] action = doubles(payload);
            Double inferenceLatencyMs = nullableDouble(payload);
            double totalLatencyMs = payload.getDouble();
            int statusCode = payload.getInt();
            Integer imageBytes = nullableInt(payload);
            Integer imageWidth = nullableInt(payload);
            Integer imageHeight = nullableInt(payload);
            Integer batchSize = nullableInt(payload);
            float[] embedding = floats(payload);
            Double safetyScore = nullableDouble(payload);
            // Records written before the safety review ended here.
            boolean reviewed = payload.hasRemaining();
            String robot = reviewed ? text(payload) : null;
            double[] rawAction = reviewed ? doubles(payload) : null;
            String flags = reviewed ? text(payload) : null;
            return Optional.of(new InferenceLogEntry(requestId, customerId, hasKey ? apiKeyId : null, timestamp, model,
                    modelVersion, unnormKey, instruction, action, inferenceLatencyMs, totalLatencyMs, statusCode,
                    errorCode, imageBytes, imageWidth, imageHeight, batchSize, embedding, safetyScore, robot, rawAction,
                    flags == null ? null : flags.isEmpty() ? List.of() : List.of(flags.split(","))));
        } catch (BufferUnderflowException | IllegalArgumentException | java.time.DateTimeException malformed) {
            return Optional.empty();
        }
    }

    private static byte[] utf8(String text) {
        String storable = StorableValues.text(text);
        return storable == null ? null : storable.getBytes(StandardCharsets.UTF_8);
    }

    private static void uuid(ByteBuffer buffer, UUID id) {
        buffer.putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits());
    }

    private static UUID uuid(ByteBuffer buffer) {
        return new UUID(buffer.getLong(), buffer.getLong());
    }

    /** Length -1 stands for null, in every variable-length field. */
    private static void putBytes(ByteBuffer buffer, byte[] bytes) {
        buffer.putInt(bytes == null ? -1 : bytes.length);
        if (bytes != null) {
            buffer.put(bytes);
        }
    }

    private static String text(ByteBuffer buffer) {
        int length = buffer.getInt();
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[checkedLength(buffer, length)];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void putDoubles(ByteBuffer buffer, double[] values) {
        buffer.putInt(values == null ? -1 : values.length);
        if (values != null) {
            for (double v : values) {
                buffer.putDouble(v);
            }
        }
    }

    private static double[] doubles(ByteBuffer buffer) {
        int length = buffer.getInt();
        if (length < 0) {
            return null;
        }
        double[] values = new double[checkedLength(buffer, length * 8) / 8];
        for (int i = 0; i < values.length; i++) {
            values[i] = buffer.getDouble();
        }
        return values;
    }

    private static void putFloats(ByteBuffer buffer, float[] values) {
        buffer.putInt(values == null ? -1 : values.length);
        if (values != null) {
            for (float v : values) {
                buffer.putFloat(v);
            }
        }
    }

    private static float[] floats(ByteBuffer buffer) {
        int length = buffer.getInt();
        if (length < 0) {
            return null;
        }
        float[] values = new float[checkedLength(buffer, length * 4) / 4];
        for (int i = 0; i < values.length; i++) {
            values[i] = buffer.getFloat();
        }
        return values;
    }

    private static int checkedLength(ByteBuffer buffer, int bytes) {
        if (bytes < 0 || bytes > buffer.remaining()) {
            throw new IllegalArgumentException("field longer than its record");
        }
        return bytes;
    }

    private static void putDouble(ByteBuffer buffer, Double value) {
        buffer.put((byte) (value == null ? 0 : 1)).putDouble(value == null ? 0 : value);
    }

    private static Double nullableDouble(ByteBuffer buffer) {
        boolean present = buffer.get() == 1;
        double value = buffer.getDouble();
        return present ? value : null;
    }

    private static void putInt(ByteBuffer buffer, Integer value) {
        buffer.putInt(value == null ? Integer.MIN_VALUE : value);
    }

    /** {@link Integer#MIN_VALUE} stands for null: no size or count is ever negative. */
    private static Integer nullableInt(ByteBuffer buffer) {
        int value = buffer.getInt();
        return value == Integer.MIN_VALUE ? null : value;
    }
}
