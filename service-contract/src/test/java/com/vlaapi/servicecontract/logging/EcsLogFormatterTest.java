package com.vlaapi.servicecontract.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.MarkerFactory;
import org.slf4j.event.KeyValuePair;
import org.springframework.boot.logging.logback.StructuredLogEncoder;
import org.springframework.core.env.Environment;
import org.springframework.mock.env.MockEnvironment;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The services' log line is Spring Boot's ECS line, field for field, for every kind of event they log. */
class EcsLogFormatterTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static Stream<Arguments> events() {
        Environment named = new MockEnvironment().withProperty("spring.application.name", "gateway-service")
                .withProperty("spring.application.pid", "4242")
                .withProperty("spring.application.version", "1.2.3")
                .withProperty("logging.structured.ecs.service.environment", "production")
                .withProperty("logging.structured.ecs.service.node-name", "api-1");
        Environment unnamed = new MockEnvironment();
        Consumer<LoggingEvent> plain = event -> { };
        Consumer<LoggingEvent> accessLine = event -> {
            event.setMDCPropertyMap(Map.of("request_id", UUID.randomUUID().toString()));
            event.addKeyValuePair(new KeyValuePair("status", 200));
            event.addKeyValuePair(new KeyValuePair("duration_ms", 17.7));
            event.addKeyValuePair(new KeyValuePair("queue_wait_ms", 0.083598));
            event.addKeyValuePair(new KeyValuePair("bytes", 9_000_000_000L));
            event.addKeyValuePair(new KeyValuePair("cached", true));
            event.addKeyValuePair(new KeyValuePair("price", new BigDecimal("0.010")));
            event.addKeyValuePair(new KeyValuePair("customer_id", UUID.randomUUID()));
            event.addKeyValuePair(new KeyValuePair("upstream", null));
        };
        Consumer<LoggingEvent> failure = event -> {
            IllegalStateException thrown = new IllegalStateException("database \"vlaapi\" refused:\n\tno route",
                    new java.io.IOException("connect timed out"));
            event.setThrowableProxy(new ch.qos.logback.classic.spi.ThrowableProxy(thrown));
        };
        Consumer<LoggingEvent> tagged = event -> {
            var security = MarkerFactory.getDetachedMarker("SECURITY");
            security.add(MarkerFactory.getDetachedMarker("AUDIT"));
            event.addMarker(security);
            event.addMarker(MarkerFactory.getDetachedMarker("BILLING"));
        };
        String awkward = "quote \" backslash \\ newline \n tab \t bell \u0007 nul \u0000 e\u0301 \u00e9 \u4e2d \ud83e\udd16 </script>";
        return Stream.of(
                Arguments.of("a plain line", named, "Started GatewayServiceApplication in 4.2 seconds", plain),
                Arguments.of("an access line", named, "POST /v1/inference 200 17.7 ms", accessLine),
                Arguments.of("characters JSON must escape", named, awkward, plain),
                Arguments.of("an exception", named, "could not store the request log", failure),
                Arguments.of("markers", named, "key revoked", tagged),
                Arguments.of("no service settings", unnamed, "POST /v1/inference 200 17.7 ms", accessLine));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("events")
    void writesWhatSpringBootsEcsFormatWrites(String what, Environment environment, String message,
                                              Consumer<LoggingEvent> decorate) throws Exception {
        LoggerContext context = new LoggerContext();
        context.putObject(Environment.class.getName(), environment);
        context.setMDCAdapter(new LogbackMDCAdapter());
        LoggingEvent event = new LoggingEvent("com.example.Caller", context.getLogger("vla.access"), Level.WARN,
                message, null, null);
        event.setThreadName("reactor-http-epoll-2");
        event.setInstant(Instant.parse("2026-12-01T23:59:59.123456789Z"));
        decorate.accept(event);

        String ours = new String(encode(context, EcsLogFormatter.class.getName(), event), StandardCharsets.UTF_8);
        String springs = new String(encode(context, "ecs", event), StandardCharsets.UTF_8);

        assertTrue(ours.endsWith("\n") && ours.indexOf('\n') == ours.length() - 1, "one line: " + ours);
        assertEquals(withoutEmptyObjects(JSON.readTree(springs)), JSON.readTree(ours), ours);
    }

    private static byte[] encode(LoggerContext context, String format, LoggingEvent event) {
        StructuredLogEncoder encoder = new StructuredLogEncoder();
        encoder.setContext(context);
        encoder.setFormat(format);
        encoder.start();
        return encoder.encode(event);
    }

    /** Spring writes {@code "node":{}} when no node name is set; the services' line leaves it out. */
    private static JsonNode withoutEmptyObjects(JsonNode node) {
        if (!(node instanceof ObjectNode object)) {
            return node;
        }
        ObjectNode kept = JSON.createObjectNode();
        for (Map.Entry<String, JsonNode> member : object.properties()) {
            JsonNode value = withoutEmptyObjects(member.getValue());
            if (!(value instanceof ObjectNode nested && nested.isEmpty())) {
                kept.set(member.getKey(), value);
            }
        }
        return kept;
    }

}
