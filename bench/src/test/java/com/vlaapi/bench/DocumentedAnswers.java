package com.vlaapi.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.vlaapi.testsupport.http.RawAnswer;
import com.vlaapi.testsupport.openapi.OpenApiDocument;
import com.vlaapi.testsupport.openapi.OpenApiDocument.ErrorCase;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Real answers held to the committed OpenAPI document (docs/openapi.json): the status is one the
 * operation documents, each documented header that is required is there and each one sent matches
 * its schema, and the body validates against the response's schema (JSON Schema 2020-12, formats
 * asserted). Bodies are held to the schemas as they are now: no field the document does not name
 * (the document lets clients expect new fields; this test wants the document to name them first).
 */
final class DocumentedAnswers {

    /** The schemas whose objects get {@code additionalProperties: false} here. */
    private static final Set<String> EXACT = Set.of("InferenceResponse", "Action", "Timings", "Error", "ModelList",
            "ModelContract", "Camera", "ActionSpace", "UnnormKey", "ParityReport", "ParityFrameResult");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final OpenApiDocument document = OpenApiDocument.committed();
    private final ObjectNode components;
    private final SchemaRegistry schemas = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaRegistryConfig(
                    SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));

    DocumentedAnswers() {
        components = (ObjectNode) document.root().get("components").deepCopy();
        ObjectNode named = (ObjectNode) components.get("schemas");
        EXACT.forEach(name -> exact(named.get(name)));
    }

    OpenApiDocument document() {
        return document;
    }

    /** An answer of {@code POST /v1/inference} as the document describes it; returns its body. */
    JsonNode assertInference(HttpResponse<String> answer) {
        return assertInference(answer.statusCode(), answer.headers(), answer.body());
    }

    JsonNode assertInference(int status, HttpHeaders headers, String text) {
        return assertAnswer("/v1/inference", "post", status, headers, text);
    }

    /** An answer of {@code method} on {@code path} (as the document spells it) as the document describes it; returns its body. */
    JsonNode assertAnswer(String path, String method, HttpResponse<String> answer) {
        return assertAnswer(path, method, answer.statusCode(), answer.headers(), answer.body());
    }

    JsonNode assertAnswer(String path, String method, RawAnswer answer) {
        return assertAnswer(path, method, answer.status(), answer.headers(), answer.body());
    }

    private JsonNode assertAnswer(String path, String method, int status, HttpHeaders headers, String text) {
        JsonNode response = document.responses(path, method).get(status);
        assertNotNull(response, method + " " + path + ": status " + status + " is not documented: " + text);
        for (Map.Entry<String, JsonNode> header : response.path("headers").properties()) {
            JsonNode definition = document.resolve(header.getValue());
            Optional<String> value = headers.firstValue(header.getKey());
            if (definition.path("required").asBoolean(false)) {
                assertTrue(value.isPresent(), status + " without its header " + header.getKey());
            }
            value.ifPresent(v -> assertValid(definition.get("schema"), headerValue(definition.get("schema"), v),
                    "header " + header.getKey()));
        }
        if (!response.has("content")) {
            assertEquals("", text, "status " + status + " has no body");
            return null;
        }
        JsonNode body = JSON.readTree(text);
        assertValid(response.at("/content/application~1json/schema"), body, "body of " + status);
        if (status >= 400) {
            JsonNode error = body.get("error");
            ErrorCase answered = new ErrorCase(status, error.get("type").asString(), error.get("code").asString());
            assertTrue(document.errorCases(path, method).contains(answered), answered + " is not documented");
        }
        return body;
    }

    /** An error as the document's one error shape describes it (any path); returns its body. */
    JsonNode assertError(HttpResponse<String> answer) {
        JsonNode body = JSON.readTree(answer.body());
        assertValid(JSON.readTree("{\"$ref\": \"#/components/schemas/Error\"}"), body, "error body");
        assertEquals(answer.headers().firstValue("X-Request-Id").orElseThrow(), body.at("/error/request_id").asString());
        return body;
    }

    private void assertValid(JsonNode schema, JsonNode instance, String what) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.setAll((ObjectNode) schema.deepCopy());
        root.set("components", components);
        Schema compiled = schemas.getSchema(root);
        List<com.networknt.schema.Error> errors = compiled.validate(instance);
        assertTrue(errors.isEmpty(), what + " does not match the document: " + errors + "\n" + instance);
    }

    /** A header's text as the JSON value its schema describes (an integer header is a number). */
    private static JsonNode headerValue(JsonNode schema, String text) {
        if ("integer".equals(schema.path("type").asString("")) && text.matches("-?[0-9]{1,18}")) {
            return JsonNodeFactory.instance.numberNode(Long.parseLong(text));
        }
        return JsonNodeFactory.instance.stringNode(text);
    }

    /** Every object of the schema that names its properties allows no others. */
    private static void exact(JsonNode schema) {
        if (!(schema instanceof ObjectNode object) || object.has("$ref")) {
            return;
        }
        if (object.has("properties")) {
            if (!object.has("additionalProperties")) {
                object.put("additionalProperties", false);
            }
            object.get("properties").forEach(DocumentedAnswers::exact);
        }
        if (object.has("items")) {
            exact(object.get("items"));
        }
    }
}
