package com.vlaapi.client;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The limits an answer reported, from its {@code RateLimit-Policy} and {@code RateLimit} headers
 * (the IETF draft draft-ietf-httpapi-ratelimit-headers): one {@link Window} per policy, "burst"
 * (requests per minute) and "monthly" (the plan's quota; absent while the API decides without its
 * shared counters). The {@code x-ratelimit-*} headers the API also sends repeat the burst window.
 */
public record RateLimitInfo(Map<String, Window> windows) {

    /** What an exception without an answer carries. */
    public static final RateLimitInfo NONE = new RateLimitInfo(Map.of());

    /**
     * One policy's state.
     *
     * @param limit     requests the window allows ({@code q})
     * @param window    the window's length ({@code w})
     * @param remaining requests left in it now ({@code r}), or -1 when the answer did not say
     * @param reset     until the window is full again ({@code t}), or null when the answer did not say
     */
    public record Window(String name, long limit, Duration window, long remaining, Duration reset) {
    }

    public RateLimitInfo {
        windows = Map.copyOf(windows);
    }

    /** The per-minute burst limit. */
    public Optional<Window> burst() {
        return Optional.ofNullable(windows.get("burst"));
    }

    /** The monthly quota. */
    public Optional<Window> monthly() {
        return Optional.ofNullable(windows.get("monthly"));
    }

    static RateLimitInfo fromHeaders(HttpHeaders headers) {
        return parse(headers.firstValue("RateLimit-Policy").orElse(""), headers.firstValue("RateLimit").orElse(""));
    }

    /**
     * {@code "burst";q=600;w=60, "monthly";q=100000;w=2592000} and {@code "burst";r=599;t=1, ...}:
     * a policy the first names, with the state the second gives it. Items that do not parse are
     * left out: a successful answer must never fail over its headers.
     */
    static RateLimitInfo parse(String policyHeader, String stateHeader) {
        Map<String, Map<String, Long>> states = items(stateHeader);
        Map<String, Window> windows = new LinkedHashMap<>();
        items(policyHeader).forEach((name, policy) -> {
            if (policy.containsKey("q") && policy.containsKey("w")) {
                Map<String, Long> state = states.getOrDefault(name, Map.of());
                windows.put(name, new Window(name, policy.get("q"), Duration.ofSeconds(policy.get("w")),
                        state.getOrDefault("r", -1L), state.containsKey("t") ? Duration.ofSeconds(state.get("t")) : null));
            }
        });
        return new RateLimitInfo(windows);
    }

    /** A structured-field list of {@code "name";key=integer;...} items, by name. */
    private static Map<String, Map<String, Long>> items(String header) {
        Map<String, Map<String, Long>> items = new LinkedHashMap<>();
        for (String item : header.split(",")) {
            String[] parts = item.trim().split(";");
            String name = parts[0].trim();
            if (name.length() < 3 || !name.startsWith("\"") || !name.endsWith("\"")) {
                continue;
            }
            Map<String, Long> parameters = new LinkedHashMap<>();
            for (int i = 1; i < parts.length; i++) {
                String[] keyValue = parts[i].trim().split("=", 2);
                if (keyValue.length == 2) {
                    try {
                        parameters.put(keyValue[0].trim(), Long.parseLong(keyValue[1].trim()));
                    } catch (NumberFormatException notAnInteger) {
                        // a parameter this client does not know the form of
                    }
                }
            }
            items.put(name.substring(1, name.length() - 1), parameters);
        }
        return items;
    }
}
