package com.vlaapi.bench.k8s;

import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The operations of RFC 6902 deploy/k8s/cpu's patch uses (remove, replace, test), applied as
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
                    replace(parent, last, value);
                }
                default -> throw new IllegalArgumentException("an operation this test does not apply: " + operation);
            }
        }
        return patched;
    }

    private static void require(JsonNode node, JsonPointer path) {
        if (node.isMissingNode()) {
            throw new IllegalStateException("nothing at " + path);
        }
    }

    private static void remove(JsonNode parent, String name) {
        if (parent instanceof ObjectNode object) {
            object.remove(name);
        } else {
            ((ArrayNode) parent).remove(Integer.parseInt(name));
        }
    }

    private static void replace(JsonNode parent, String name, JsonNode value) {
        if (parent instanceof ObjectNode object) {
            object.set(name, value);
        } else {
            ((ArrayNode) parent).set(Integer.parseInt(name), value);
        }
    }
}
