package com.vlaapi.inference.api;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** Parses only the 36-character form: {@link UUID#fromString} also accepts oddities like "1-2-3-4-5". */
public final class CanonicalUuid {

    private static final Pattern FORM = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private CanonicalUuid() {
    }

    public static Optional<UUID> parse(String value) {
        return value != null && FORM.matcher(value).matches() ? Optional.of(UUID.fromString(value)) : Optional.empty();
    }
}
