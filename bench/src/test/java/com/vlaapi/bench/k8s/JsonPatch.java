package com.vlaapi.bench.k8s;

import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The operations of RFC 6902 deploy/k8s/cpu's patch uses (remove, replace, add, test), applied as
 * kustomize applies them, so the test checks the object the variant really produces.
 */
final class JsonPatch {

    private JsonPatch() {
    }

    /** A patched copy of {@code document}; an operation whose path is missing or whose test fails throws. */
    static JsonNode apply(JsonNode document, List<Map<String, Object>> operations) {
        JsonNode patched = document.deepCopy();
        for (Map<String, Object> operation : operations) {
            String op = String.valueOf(operation.get("op"));
            JsonPointer path = JsonPointer.compile(String.valueOf(operation.get("path")));
            JsonNode value = operation.containsKey("value") ? StrictManifests.MAPPER.valueToTree(operation.get("value")) : null;
            JsonNode parent = patched.at(path.head());
            String last = path.last().getMatchingProperty();
            switch (op) {
                case "test" -> {
                    if (!patched.at(path).equals(value)) {
                        throw new IllegalStateException("test failed at " + path + ": " + patched.at(path) + " is not " + value);
                    }
                }
                case "remove" -> {
                    require(patched.at(path), path);
                    remove(parent, last);
                }
                case "replace" -> {
                    require(patched.at(path), path);
                    set(parent, last, value, false);
                }
                case "add" -> set(require(parent, path.head()), last, value, true);
                default -> throw new IllegalArgumentException("an operation this test does not apply: " + operation);
            }
        }
        return patched;
    }

    private static JsonNode require(JsonNode node, JsonPointer path) {
        if (node.isMissingNode()) {
            throw new IllegalStateException("nothing at " + path);
        }
        return node;
    }

    private static void remove(JsonNode parent, String name) {
        if (parent instanceof ObjectNode object) {
            object.remove(name);
        } else {
            ((ArrayNode) parent).remove(Integer.parseInt(name));
        }
    }

    private static void set(JsonNode parent, String name, JsonNode value, boolean insert) {
        if (parent instanceof ObjectNode object) {
            object.set(name, value);
        } else if (parent instanceof ArrayNode array) {
            if (name.equals("-")) {
                array.add(value);
            } else if (insert) {
                array.insert(Integer.parseInt(name), value);
            } else {
                array.set(Integer.parseInt(name), value);
            }
        } else {
            throw new IllegalStateException("neither an object nor an array: " + parent);
        }
    }
}
