package com.vlaapi.inference.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.vlaapi.modelrunner.ModelRunnerException;
import com.vlaapi.modelrunner.ModelRunnerException.Code;
import com.vlaapi.modelrunner.batching.OverloadedException;
import com.vlaapi.testsupport.openapi.OpenApiDocument;
import com.vlaapi.testsupport.openapi.OpenApiDocument.ErrorCase;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * The public API's document (docs/openapi.json) against this service's code: the request schema
 * has the request body's fields, the answer's schema the response's, all the way down and with
 * their JSON types (the wire is snake_case, JsonConfiguration), and every code model-runner reports
 * for a request is documented with the status ModelErrorHandler answers it with.
 */
class OpenApiSchemasTest {

    private static final JsonName SNAKE_CASE = new JsonName();

    private final OpenApiDocument document = OpenApiDocument.committed();

    @Test
    void theRequestSchemaHasTheRequestBodysFieldsAndNoOthers() {
        JsonNode schema = document.resolve(document.root()
                .at("/paths/~1v1~1inference/post/requestBody/content/application~1json/schema"));

        assertSameFields(InferenceRequestBody.class, schema);
        // JsonConfiguration fails on unknown properties: the document must not invite them.
        assertThat(schema.get("additionalProperties").asBoolean(true)).isFalse();
    }

    @Test
    void theAnswersSchemaHasTheResponsesFieldsAllTheWayDown() {
        JsonNode answer = document.responses("/v1/inference", "post").get(200);
        JsonNode schema = document.resolve(answer.at("/content/application~1json/schema"));

        assertSameFields(InferenceResponse.class, schema);
    }

    @Test
    void everyCodeTheModelReportsForARequestIsDocumentedAsAnswered() throws Exception {
        Set<ErrorCase> documented = document.errorCases("/v1/inference", "post");
        for (Code code : Code.values()) {
            if (code == Code.INVALID_MANIFEST) {
                continue; // raised while the bundles load: the service does not start, no request sees it
            }
            ModelRunnerException refusal = code == Code.OVERLOADED
                    ? OverloadedException.queueFull("tabletop-v1", 1) : new Refusal(code);
            MockHttpServletResponse response = new MockHttpServletResponse();

            new ModelErrorHandler().modelRefused(refusal, new MockHttpServletRequest("POST", "/v1/inference"), response);

            JsonNode error = JsonMapper.builder().build().readTree(response.getContentAsString()).get("error");
            assertThat(documented).contains(new ErrorCase(response.getStatus(), error.get("type").asString(),
                    error.get("code").asString()));
        }
    }

    /** A Java name as the service's JSON spells it: Jackson's snake_case (JsonConfiguration). */
    private static final class JsonName extends PropertyNamingStrategies.SnakeCaseStrategy {
        String of(String javaName) {
            return translate(javaName);
        }
    }

    /** Any refusal of the runner with {@code code}: the handler answers by code (and overload by class). */
    private static final class Refusal extends ModelRunnerException {
        Refusal(Code code) {
            super(code, "refused");
        }
    }

    /** The record's components are the schema's properties, each of the JSON type the component is written as. */
    private void assertSameFields(Class<?> record, JsonNode schema) {
        List<String> fields = new ArrayList<>();
        for (RecordComponent component : record.getRecordComponents()) {
            fields.add(jsonName(component));
        }
        List<String> properties = new ArrayList<>(schema.get("properties").propertyNames());
        assertThat(properties).as(record.getSimpleName()).containsExactlyInAnyOrderElementsOf(fields);
        for (RecordComponent component : record.getRecordComponents()) {
            String name = jsonName(component);
            JsonNode property = document.resolve(schema.get("properties").get(name));
            assertSameType(record.getSimpleName() + "." + component.getName(), component.getGenericType(), property);
        }
    }

    /** A component's wire name: its {@code @JsonProperty} (which records carry to the accessor), else snake_case. */
    private static String jsonName(RecordComponent component) {
        JsonProperty named = component.getAccessor().getAnnotation(JsonProperty.class);
        return named != null ? named.value() : SNAKE_CASE.of(component.getName());
    }

    private void assertSameType(String field, Type type, JsonNode property) {
        if (type instanceof Class<?> c && c.isRecord()) {
            assertThat(typeOf(property)).as(field).isEqualTo("object");
            assertSameFields(c, property);
        } else if (type instanceof Class<?> c && c.isArray()) {
            assertThat(typeOf(property)).as(field).isEqualTo("array");
            assertSameType(field + "[]", c.getComponentType(), document.resolve(property.get("items")));
        } else if (type instanceof ParameterizedType map && map.getRawType() == Map.class) {
            assertThat(typeOf(property)).as(field).isEqualTo("object");
            assertSameType(field + "{}", map.getActualTypeArguments()[1], document.resolve(property.get("additionalProperties")));
        } else if (type instanceof ParameterizedType list && list.getRawType() == List.class) {
            assertThat(typeOf(property)).as(field).isEqualTo("array");
            assertSameType(field + "[]", list.getActualTypeArguments()[0], document.resolve(property.get("items")));
        } else {
            assertThat(typeOf(property)).as(field).isEqualTo(jsonType(field, type));
            if (type == UUID.class || type == Instant.class) {
                String format = type == UUID.class ? "uuid" : "date-time";
                assertThat(property.get("format").asString()).as(field).isEqualTo(format);
            }
        }
    }

    /** The property's JSON type; of a nullable one (["number", "null"]), the type besides null. */
    private static String typeOf(JsonNode property) {
        JsonNode type = property.get("type");
        if (!type.isArray()) {
            return type.asString();
        }
        List<String> types = new ArrayList<>();
        type.forEach(t -> types.add(t.asString()));
        assertThat(types).hasSize(2).contains("null");
        return types.get(types.get(0).equals("null") ? 1 : 0);
    }

    private static String jsonType(String field, Type type) {
        if (type == String.class || type == UUID.class || type == Instant.class) {
            return "string";
        }
        if (type == double.class || type == float.class || type == Double.class) {
            return "number";
        }
        if (type == int.class || type == long.class || type == Integer.class || type == Long.class) {
            return "integer";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "boolean";
        }
        throw new AssertionError(field + ": no JSON type known for " + type + "; teach this test");
    }
}
