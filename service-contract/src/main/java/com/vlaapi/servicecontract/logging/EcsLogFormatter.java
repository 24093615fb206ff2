package com.vlaapi.servicecontract.logging;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.Charset;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeSet;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;
import org.springframework.boot.logging.structured.ElasticCommonSchemaProperties;
import org.springframework.boot.logging.structured.StructuredLogFormatter;
import org.springframework.core.env.Environment;

/**
 * Spring Boot's Elastic Common Schema line ({@code logging.structured.format.console: ecs}), the
 * same fields in the same shape, written straight into one string. Spring's formatter composes
 * each line from lambdas and encodes it through a fresh {@code Writer}; with an access line per
 * request that was most of what structured logging cost the gateway (docs/benchmarks.md). The
 * services select it by class name ({@code LOGGING_STRUCTURED_FORMAT_CONSOLE}); {@code EcsLogFormatterTest}
 * holds it to Spring's output.
 *
 * <p>Key-value pairs and MDC entries are written at the top level under their own names (the
 * services' keys have no dots; Spring would nest a dotted key).
 */
public final class EcsLogFormatter implements StructuredLogFormatter<ILoggingEvent> {

    private static final String ECS_VERSION = "8.11";

    /** What is the same on every line: the process id, then (after the thread's name) the service. */
    private final String process;
    private final String service;
    private final ThrowableProxyConverter throwableConverter;

    public EcsLogFormatter(Environment environment, ThrowableProxyConverter throwableConverter) {
        this.throwableConverter = throwableConverter;
        Long pid = environment.getProperty("spring.application.pid", Long.class);
        this.process = ",\"process\":{" + (pid == null ? "" : "\"pid\":" + pid + ",") + "\"thread\":{\"name\":";
        ElasticCommonSchemaProperties.Service named = ElasticCommonSchemaProperties.get(environment).service();
        StringJoiner members = new StringJoiner(",", ",\"service\":{", "}").setEmptyValue("");
        addMember(members, "name", named.name());
        addMember(members, "version", named.version());
        addMember(members, "environment", named.environment());
        if (named.nodeName() != null) {
            StringBuilder node = new StringBuilder("\"node\":{\"name\":");
            JsonText.string(node, named.nodeName());
            members.add(node.append('}'));
        }
        this.service = "}}" + members;
    }

    @Override
    public String format(ILoggingEvent event) {
        StringBuilder json = new StringBuilder(384);
        json.append("{\"@timestamp\":\"").append(event.getInstant()).append("\",\"log\":{\"level\":\"")
                .append(event.getLevel()).append("\",\"logger\":");
        JsonText.string(json, event.getLoggerName());
        json.append('}').append(process);
        JsonText.string(json, event.getThreadName());
        json.append(service).append(",\"message\":");
        JsonText.string(json, event.getFormattedMessage());
        for (Map.Entry<String, String> entry : event.getMDCPropertyMap().entrySet()) {
            pair(json, entry.getKey(), entry.getValue());
        }
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        if (pairs != null) {
            for (KeyValuePair pair : pairs) {
                pair(json, pair.key, pair.value);
            }
        }
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            json.append(",\"error\":{\"type\":");
            JsonText.string(json, thrown.getClassName());
            json.append(",\"message\":");
            JsonText.string(json, thrown.getMessage());
            json.append(",\"stack_trace\":");
            JsonText.string(json, throwableConverter.convert(event));
            json.append('}');
        }
        appendTags(json, event.getMarkerList());
        return json.append(",\"ecs\":{\"version\":\"").append(ECS_VERSION).append("\"}}\n").toString();
    }

    @Override
    public byte[] formatAsBytes(ILoggingEvent event, Charset charset) {
        return format(event).getBytes(charset);
    }

    private static void addMember(StringJoiner members, String name, String value) {
        if (value != null) {
            StringBuilder member = new StringBuilder();
            JsonText.string(member, name);
            JsonText.string(member.append(':'), value);
            members.add(member);
        }
    }

    private static void pair(StringBuilder json, String key, Object value) {
        json.append(',');
        JsonText.string(json, key);
        json.append(':');
        JsonText.value(json, value);
    }

    private static void appendTags(StringBuilder json, List<Marker> markers) {
        if (markers == null || markers.isEmpty()) {
            return;
        }
        Set<String> names = new TreeSet<>();
        addMarkers(names, markers.iterator());
        json.append(",\"tags\":[");
        boolean first = true;
        for (String name : names) {
            if (!first) {
                json.append(',');
            }
            JsonText.string(json, name);
            first = false;
        }
        json.append(']');
    }

    private static void addMarkers(Set<String> names, Iterator<Marker> markers) {
        while (markers.hasNext()) {
            Marker marker = markers.next();
            names.add(marker.getName());
            if (marker.hasReferences()) {
                addMarkers(names, marker.iterator());
            }
        }
    }

    /** JSON text for the values a log line carries. */
    static final class JsonText {

        private static final char[] HEX = "0123456789abcdef".toCharArray();

        private JsonText() {
        }

        static void value(StringBuilder json, Object value) {
            if (value == null) {
                json.append("null");
            } else if (value instanceof Boolean || value instanceof Integer || value instanceof Long
                    || value instanceof Short || value instanceof Byte || value instanceof BigInteger) {
                json.append(value);
            } else if (value instanceof Double || value instanceof Float) {
                double number = ((Number) value).doubleValue();
                if (Double.isFinite(number)) {
                    json.append(value);
                } else {
                    string(json, value.toString());
                }
            } else if (value instanceof BigDecimal decimal) {
                json.append(decimal.toString());
            } else {
                string(json, value.toString());
            }
        }

        static void string(StringBuilder json, String text) {
            if (text == null) {
                json.append("null");
                return;
            }
            json.append('"');
            int clean = 0;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c >= 0x20 && c != '"' && c != '\\') {
                    continue;
                }
                json.append(text, clean, i);
                clean = i + 1;
                switch (c) {
                    case '"' -> json.append("\\\"");
                    case '\\' -> json.append("\\\\");
                    case '\n' -> json.append("\\n");
                    case '\r' -> json.append("\\r");
                    case '\t' -> json.append("\\t");
                    case '\b' -> json.append("\\b");
                    case '\f' -> json.append("\\f");
                    default -> json.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                }
            }
            json.append(text, clean, text.length()).append('"');
        }
    }
}
