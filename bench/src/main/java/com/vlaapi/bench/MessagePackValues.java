package com.vlaapi.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;

/** MessagePack to and from plain Java values (maps, lists, strings, numbers, byte arrays). */
final class MessagePackValues {

    private MessagePackValues() {
    }

    static Object toJava(Value value) {
        return switch (value.getValueType()) {
            case NIL -> null;
            case BOOLEAN -> value.asBooleanValue().getBoolean();
            case INTEGER -> value.asIntegerValue().toLong();
            case FLOAT -> value.asFloatValue().toDouble();
            case STRING -> value.asStringValue().asString();
            case BINARY -> value.asBinaryValue().asByteArray();
            case ARRAY -> {
                List<Object> list = new ArrayList<>();
                value.asArrayValue().forEach(item -> list.add(toJava(item)));
                yield list;
            }
            case MAP -> {
                Map<String, Object> map = new LinkedHashMap<>();
                value.asMapValue().map().forEach((k, v) -> map.put(k.toString(), toJava(v)));
                yield map;
            }
            case EXTENSION -> throw new IllegalArgumentException("unexpected MessagePack extension");
        };
    }

    /** A message: one MessagePack map. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> unpackMap(byte[] message) {
        try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(message)) {
            return (Map<String, Object>) toJava(unpacker.unpackValue());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Strings, numbers, byte arrays and nested maps and lists of them. */
    static byte[] pack(Map<String, Object> message) {
        try (MessageBufferPacker packer = MessagePack.newDefaultBufferPacker()) {
            write(packer, message);
            return packer.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(MessageBufferPacker packer, Object value) throws IOException {
        if (value == null) {
            packer.packNil();
        } else if (value instanceof String s) {
            packer.packString(s);
        } else if (value instanceof byte[] bytes) {
            packer.packBinaryHeader(bytes.length).writePayload(bytes);
        } else if (value instanceof Double || value instanceof Float) {
            packer.packDouble(((Number) value).doubleValue());
        } else if (value instanceof Number n) {
            packer.packLong(n.longValue());
        } else if (value instanceof Map<?, ?> map) {
            packer.packMapHeader(map.size());
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                packer.packString(entry.getKey().toString());
                write(packer, entry.getValue());
            }
        } else if (value instanceof List<?> list) {
            packer.packArrayHeader(list.size());
            for (Object item : list) {
                write(packer, item);
            }
        } else {
            throw new IllegalArgumentException("cannot pack " + value.getClass());
        }
    }
}
