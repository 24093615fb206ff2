package com.vlaapi.gateway.openpi;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.msgpack.core.MessagePacker;
import tools.jackson.databind.JsonNode;

/**
 * NumPy arrays as openpi's {@code msgpack_numpy} packs them: a map with the (bytes) keys
 * {@code __ndarray__: True}, {@code data} (the array's bytes in C order), {@code dtype} (NumPy's
 * type string, e.g. {@code "<f4"}, {@code "|u1"}) and {@code shape} (a list of ints). Read from the
 * tree MessagePackTrees makes of a frame; written straight to a packer, with bytes keys as
 * Python's {@code msgpack} writes them.
 */
final class NumpyArrays {

    static final String MARKER = "__ndarray__";

    private NumpyArrays() {
    }

    /** An array that cannot be read as the observation needs it. */
    static final class BadArray extends Exception {
        BadArray(String message) {
            super(message);
        }
    }

    /** One array: its kind ({@code u}, {@code i}, {@code f}, {@code b}), bytes per element, byte order and shape. */
    record NdArray(char kind, int itemSize, ByteOrder order, int[] shape, byte[] data) {

        int elements() {
            int n = 1;
            for (int dimension : shape) {
                n *= dimension;
            }
            return n;
        }

        /** Every element as a double, in C order. */
        double[] doubles() throws BadArray {
            ByteBuffer buffer = ByteBuffer.wrap(data).order(order);
            double[] values = new double[elements()];
            for (int i = 0; i < values.length; i++) {
                values[i] = switch (kind) {
                    case 'f' -> switch (itemSize) {
                        case 4 -> buffer.getFloat();
                        case 8 -> buffer.getDouble();
                        default -> throw new BadArray("float" + itemSize * 8 + " is not supported");
                    };
                    case 'i' -> switch (itemSize) {
                        case 1 -> buffer.get();
                        case 2 -> buffer.getShort();
                        case 4 -> buffer.getInt();
                        case 8 -> buffer.getLong();
                        default -> throw new BadArray("int" + itemSize * 8 + " is not supported");
                    };
                    case 'u' -> switch (itemSize) {
                        case 1 -> Byte.toUnsignedInt(buffer.get());
                        case 2 -> Short.toUnsignedInt(buffer.getShort());
                        case 4 -> Integer.toUnsignedLong(buffer.getInt());
                        case 8 -> (double) buffer.getLong();
                        default -> throw new BadArray("uint" + itemSize * 8 + " is not supported");
                    };
                    case 'b' -> buffer.get() != 0 ? 1 : 0;
                    default -> throw new BadArray("dtype kind '" + kind + "' is not a number");
                };
            }
            return values;
        }
    }

    static boolean isArray(JsonNode node) {
        return node.isObject() && node.path(MARKER).asBoolean(false);
    }

    static NdArray read(JsonNode node) throws BadArray {
        JsonNode data = node.path("data");
        JsonNode dtype = node.path("dtype");
        JsonNode shape = node.path("shape");
        if (!data.isBinary() || !dtype.isString() || !shape.isArray()) {
            throw new BadArray("an ndarray needs data (bytes), dtype (str) and shape (list)");
        }
        String type = dtype.asString();
        if (type.length() < 3) {
            throw new BadArray("dtype '" + type + "' is not a NumPy type string like '<f4'");
        }
        ByteOrder order = switch (type.charAt(0)) {
            case '<', '|', '=' -> ByteOrder.LITTLE_ENDIAN;
            case '>' -> ByteOrder.BIG_ENDIAN;
            default -> throw new BadArray("dtype '" + type + "' has no byte order");
        };
        int itemSize;
        try {
            itemSize = Integer.parseInt(type.substring(2));
        } catch (NumberFormatException e) {
            throw new BadArray("dtype '" + type + "' is not a NumPy type string like '<f4'");
        }
        int[] dimensions = new int[shape.size()];
        long elements = 1;
        for (int i = 0; i < dimensions.length; i++) {
            dimensions[i] = shape.get(i).asInt(-1);
            if (dimensions[i] < 0) {
                throw new BadArray("shape " + shape + " is not a list of sizes");
            }
            elements *= dimensions[i];
        }
        byte[] bytes = data.binaryValue();
        if (elements * itemSize != bytes.length) {
            throw new BadArray("shape " + shape + " of " + type + " needs " + elements * itemSize + " bytes, data has "
                    + bytes.length);
        }
        return new NdArray(type.charAt(1), itemSize, order, dimensions, bytes);
    }

    /** {@code rows} (all of one length) as a float64 array of shape (rows, columns). */
    static void writeFloat64(MessagePacker out, List<double[]> rows) throws IOException {
        int columns = rows.isEmpty() ? 0 : rows.get(0).length;
        ByteBuffer data = ByteBuffer.allocate(rows.size() * columns * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        rows.forEach(row -> {
            for (double value : row) {
                data.putDouble(value);
            }
        });
        out.packMapHeader(4);
        key(out, MARKER);
        out.packBoolean(true);
        key(out, "data");
        out.packBinaryHeader(data.capacity());
        out.writePayload(data.array());
        key(out, "dtype");
        out.packString("<f8");
        key(out, "shape");
        out.packArrayHeader(2);
        out.packInt(rows.size());
        out.packInt(columns);
    }

    /** msgpack_numpy's keys are Python bytes, which Python's msgpack packs as bin. */
    private static void key(MessagePacker out, String key) throws IOException {
        byte[] bytes = key.getBytes(StandardCharsets.US_ASCII);
        out.packBinaryHeader(bytes.length);
        out.writePayload(bytes);
    }
}
