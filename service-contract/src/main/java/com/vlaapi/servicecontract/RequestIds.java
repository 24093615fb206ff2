package com.vlaapi.servicecontract;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The request-id rule, the same in every service: a request id is a random UUID in its canonical
 * 36-character form. The gateway, the public edge, always mints a new one and replaces whatever a
 * client sent, because the id is the request log's primary key and one client must not collide
 * with another. Every service behind it keeps an incoming canonical UUID (so one id follows a
 * request through the fleet) and mints one for anything else, including no header at all.
 */
public final class RequestIds {

    private static final Pattern CANONICAL = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private RequestIds() {
    }

    /** For a service behind the gateway: the caller's id when it is a canonical UUID, else a new one. */
    public static UUID keepOrMint(String incoming) {
        return parseCanonical(incoming).orElseGet(RequestIds::mint);
    }

    /** For the public edge: always a new id. */
    public static UUID mint() {
        return UUID.randomUUID();
    }

    /** Only the 36-character form: {@link UUID#fromString} also accepts oddities like "1-2-3-4-5". */
    public static Optional<UUID> parseCanonical(String value) {
        return value != null && CANONICAL.matcher(value).matches() ? Optional.of(UUID.fromString(value)) : Optional.empty();
    }
}
