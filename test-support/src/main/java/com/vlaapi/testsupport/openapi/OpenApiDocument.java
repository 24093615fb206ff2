package com.vlaapi.testsupport.openapi;

import com.vlaapi.testsupport.repo.RepoPaths;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The public API's OpenAPI document as committed (docs/openapi.json), read the way the tests that
 * hold it to the code need: an operation's responses by status, local {@code $ref}s followed, and
 * the errors each status may carry. It knows the document's own layout: an error response's schema
 * is {@code allOf: [Error, narrowing]}, the narrowing giving {@code error.type} as a {@code const}
 * and {@code error.code} as an {@code enum}, or a {@code oneOf} of such narrowings.
 */
public final class OpenApiDocument {

    /** One error an operation may answer. */
    public record ErrorCase(int status, String type, String code) {
    }

    private final JsonNode root;

    private OpenApiDocument(JsonNode root) {
        this.root = root;
    }

    public static Path committedFile() {
        return RepoPaths.root().resolve("docs").resolve("openapi.json");
    }

    public static OpenApiDocument committed() {
        try {
            return new OpenApiDocument(JsonMapper.builder().build().readTree(Files.readString(committedFile())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public JsonNode root() {
        return root;
    }

    /** {@code node}, or what its {@code $ref} (a pointer into this document) names, followed to the end. */
    public JsonNode resolve(JsonNode node) {
        JsonNode current = node;
        while (current.has("$ref")) {
            String ref = current.get("$ref").asString();
            if (!ref.startsWith("#/")) {
                throw new IllegalArgumentException("only references into the document itself: " + ref);
            }
            current = root.at(ref.substring(1));
            if (current.isMissingNode()) {
                throw new IllegalArgumentException("the document has nothing at " + ref);
            }
        }
        return current;
    }

    /** The operation's responses by status, references followed. */
    public Map<Integer, JsonNode> responses(String path, String method) {
        JsonNode operation = root.path("paths").path(path).path(method);
        if (operation.isMissingNode()) {
            throw new IllegalArgumentException("no operation " + method + " " + path);
        }
        Map<Integer, JsonNode> responses = new TreeMap<>();
        for (Map.Entry<String, JsonNode> response : operation.get("responses").properties()) {
            responses.put(Integer.parseInt(response.getKey()), resolve(response.getValue()));
        }
        return responses;
    }

    /** Every (status, type, code) the operation's error responses allow. */
    public Set<ErrorCase> errorCases(String path, String method) {
        Set<ErrorCase> cases = new LinkedHashSet<>();
        responses(path, method).forEach((status, response) -> {
            if (status >= 400) {
                JsonNode schema = resolve(response.path("content").path("application/json").path("schema"));
                JsonNode narrowing = schema.path("allOf").path(1);
                Iterable<JsonNode> choices = narrowing.has("oneOf") ? narrowing.get("oneOf") : Set.of(narrowing);
                for (JsonNode choice : choices) {
                    JsonNode error = choice.path("properties").path("error").path("properties");
                    String type = error.path("type").path("const").asString();
                    for (JsonNode code : error.path("code").path("enum")) {
                        cases.add(new ErrorCase(status, type, code.asString()));
                    }
                }
            }
        });
        return cases;
    }
}
