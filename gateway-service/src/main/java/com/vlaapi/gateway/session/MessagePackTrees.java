package com.vlaapi.gateway.session;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * MessagePack to and from Jackson's trees, so binary and text frames are handled alike: a bin
 * value becomes a binary node (written as base64 when the tree goes to inference-service as JSON),
 * and a map key sent as bin (as Python's msgpack does for {@code bytes} keys, e.g. openpi's
 * {@code b"__ndarray__"}) becomes the same string key as a str would.
 */
public final class MessagePackTrees {

    /** Deeper nesting than any observation has is refused, so a hostile frame cannot exhaust the stack. */
    private static final int MAX_DEPTH = 32;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private MessagePackTrees() {
    }

    /** A frame that is not one whole MessagePack value of the kinds a tree holds. */
    public static final class NotMessagePack extends Exception {
        NotMessagePack(String message) {
            super(message);
        }
    }

    public static JsonNode read(byte[] frame) throws NotMessagePack {
        try (MessageUnpacker unpacker = MessagePack.newDefaultUnpacker(frame)) {
            JsonNode value = read(unpacker, 0);
            if (unpacker.hasNext()) {
                throw new NotMessagePack("bytes left after the first MessagePack value");
            }
            return value;
        } catch (IOException | RuntimeException e) {
            throw new NotMessagePack("not MessagePack: " + e.getMessage());
        }
    }

    private static JsonNode read(MessageUnpacker in, int depth) throws IOException, NotMessagePack {
        if (depth > MAX_DEPTH) {
            throw new NotMessagePack("nested deeper than " + MAX_DEPTH);
        }
        MessageFormat format = in.getNextFormat();
        ValueType type = format.getValueType();
        switch (type) {
            case NIL -> {
                in.unpackNil();
                return NODES.nullNode();
            }
            case BOOLEAN -> {
                return NODES.booleanNode(in.unpackBoolean());
            }
            case INTEGER -> {
                return format == MessageFormat.UINT64 ? NODES.numberNode(in.unpackBigInteger())
                        : NODES.numberNode(in.unpackLong());
            }
            case FLOAT -> {
                return NODES.numberNode(in.unpackDouble());
            }
            case STRING -> {
                return NODES.stringNode(in.unpackString());
            }
            case BINARY -> {
                return NODES.binaryNode(in.readPayload(in.unpackBinaryHeader()));
            }
            case ARRAY -> {
                int size = in.unpackArrayHeader();
                ArrayNode array = NODES.arrayNode(Math.min(size, 1024));
                for (int i = 0; i < size; i++) {
                    array.add(read(in, depth + 1));
                }
                return array;
            }
            case MAP -> {
                int size = in.unpackMapHeader();
                ObjectNode map = NODES.objectNode();
                for (int i = 0; i < size; i++) {
                    map.set(key(in), read(in, depth + 1));
                }
                return map;
            }
            default -> throw new NotMessagePack("unsupported MessagePack type " + type);
        }
    }

    private static String key(MessageUnpacker in) throws IOException, NotMessagePack {
        MessageFormat format = in.getNextFormat();
        return switch (format.getValueType()) {
            case STRING -> in.unpackString();
            case BINARY -> new String(in.readPayload(in.unpackBinaryHeader()), StandardCharsets.UTF_8);
            default -> throw new NotMessagePack("map keys must be strings, not " + format.getValueType());
        };
    }

    public static byte[] write(JsonNode tree) {
        try (MessageBufferPacker out = MessagePack.newDefaultBufferPacker()) {
            write(out, tree);
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("packing into memory cannot fail", e);
        }
    }

    public static void write(MessagePacker out, JsonNode node) throws IOException {
        if (node == null || node.isNull() || node.isMissingNode()) {
            out.packNil();
        } else if (node.isBoolean()) {
            out.packBoolean(node.asBoolean());
        } else if (node.isIntegralNumber() && node.canConvertToLong()) {
            out.packLong(node.longValue());
        } else if (node.isNumber()) {
            out.packDouble(node.doubleValue());
        } else if (node.isString()) {
            out.packString(node.asString());
        } else if (node.isBinary()) {
            byte[] bytes = node.binaryValue();
            out.packBinaryHeader(bytes.length);
            out.writePayload(bytes);
        } else if (node.isArray()) {
            out.packArrayHeader(node.size());
            for (JsonNode element : node.values()) {
                write(out, element);
            }
        } else if (node.isObject()) {
            out.packMapHeader(node.size());
            for (Map.Entry<String, JsonNode> property : node.properties()) {
                out.packString(property.getKey());
                write(out, property.getValue());
            }
        } else {
            out.packString(node.asString());
        }
    }
}
