package com.vlaapi.inference.postgres;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.postgresql.PGConnection;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Rows in PostgreSQL's binary COPY format ({@code COPY ... FROM STDIN (FORMAT binary)}, "COPY" in
 * PostgreSQL's SQL reference): a header, then per row its field count and each field as a length
 * and the type's binary ("send") representation, then a trailer. Values are written in the
 * order of the COPY statement's column list; the caller guarantees that each value fits its column.
 */
public final class BinaryCopyRows {

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};
    private static final int NULL_LENGTH = -1;
    /** PostgreSQL counts timestamps in microseconds from 2000-01-01 00:00 UTC. */
    private static final long POSTGRES_EPOCH_SECONDS = 946_684_800L;
    /** pg_type OID of float8, built into every PostgreSQL; an array names its element type. */
    private static final int FLOAT8_OID = 701;
    private static final int TEXT_OID = 25;
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private byte[] buffer;
    private int size;

    public BinaryCopyRows(int expectedBytes) {
        buffer = new byte[Math.max(64, expectedBytes)];
        room(SIGNATURE.length);
        System.arraycopy(SIGNATURE, 0, buffer, size, SIGNATURE.length);
        size += SIGNATURE.length;
        putInt(0);  // flags: no OIDs
        putInt(0);  // no header extension
    }

    public BinaryCopyRows row(int fields) {
        return putShort(fields);
    }

    public BinaryCopyRows uuid(UUID value) {
        return value == null ? nullValue()
                : putInt(16).putLong(value.getMostSignificantBits()).putLong(value.getLeastSignificantBits());
    }

    /** timestamptz, truncated to PostgreSQL's microseconds. */
    public BinaryCopyRows timestamptz(Instant value) {
        return value == null ? nullValue() : putInt(8).putLong(postgresMicros(value));
    }

    public BinaryCopyRows text(String value) {
        if (value == null) {
            return nullValue();
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        putInt(utf8.length);
        room(utf8.length);
        System.arraycopy(utf8, 0, buffer, size, utf8.length);
        size += utf8.length;
        return this;
    }

    public BinaryCopyRows int4(Integer value) {
        return value == null ? nullValue() : putInt(4).putInt(value);
    }

    public BinaryCopyRows float8(Double value) {
        return value == null ? nullValue() : putFloat8(value);
    }

    /** {@code double precision[]}: one dimension, lower bound 1, no null elements. */
    public BinaryCopyRows float8Array(double[] values) {
        if (values == null) {
            return nullValue();
        }
        putInt(20 + values.length * 12);
        putInt(1).putInt(0).putInt(FLOAT8_OID);  // dimensions, has no null elements, element type
        putInt(values.length).putInt(1);  // the dimension's size and lower bound
        for (double v : values) {
            putFloat8(v);
        }
        return this;
    }

    /** {@code text[]}: one dimension, lower bound 1, no null elements. */
    public BinaryCopyRows textArray(List<String> values) {
        if (values == null) {
            return nullValue();
        }
        List<byte[]> utf8 = values.stream().map(v -> v.getBytes(StandardCharsets.UTF_8)).toList();
        putInt(20 + utf8.stream().mapToInt(bytes -> 4 + bytes.length).sum());
        putInt(1).putInt(0).putInt(TEXT_OID);
        putInt(utf8.size()).putInt(1);
        for (byte[] bytes : utf8) {
            putInt(bytes.length);
            room(bytes.length);
            System.arraycopy(bytes, 0, buffer, size, bytes.length);
            size += bytes.length;
        }
        return this;
    }

    /** pgvector's {@code vector}: its dimension count, a reserved 0, then the elements as float4. */
    public BinaryCopyRows vector(float[] values) {
        if (values == null) {
            return nullValue();
        }
        putInt(4 + values.length * 4).putShort(values.length).putShort(0);
        for (float v : values) {
            putInt(Float.floatToRawIntBits(v));
        }
        return this;
    }

    public BinaryCopyRows nullValue() {
        return putInt(NULL_LENGTH);
    }

    /**
     * Streams the rows, trailer included, into the table of {@code copyStatement}
     * ({@code COPY ... FROM STDIN (FORMAT binary)}) on the connection of the caller's transaction.
     * Nothing may be added after this.
     */
    public void copyInto(JdbcTemplate jdbc, String copyStatement) {
        putShort(-1);  // trailer
        ByteArrayInputStream stream = new ByteArrayInputStream(buffer, 0, size);
        jdbc.execute((ConnectionCallback<Void>) connection -> {
            try {
                connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copyStatement, stream);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return null;
        });
    }

    private static long postgresMicros(Instant value) {
        return (value.getEpochSecond() - POSTGRES_EPOCH_SECONDS) * 1_000_000L + value.getNano() / 1_000;
    }

    private BinaryCopyRows putFloat8(double value) {
        return putInt(8).putLong(Double.doubleToRawLongBits(value));
    }

    private BinaryCopyRows putShort(int value) {
        room(2);
        SHORT.set(buffer, size, (short) value);
        size += 2;
        return this;
    }

    private BinaryCopyRows putInt(int value) {
        room(4);
        INT.set(buffer, size, value);
        size += 4;
        return this;
    }

    private BinaryCopyRows putLong(long value) {
        room(8);
        LONG.set(buffer, size, value);
        size += 8;
        return this;
    }

    private void room(int bytes) {
        if (size + bytes > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + bytes));
        }
    }
}
