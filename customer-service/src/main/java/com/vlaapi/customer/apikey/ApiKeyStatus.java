package com.vlaapi.customer.apikey;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

public enum ApiKeyStatus {
    ACTIVE,
    REVOKED;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ApiKeyStatus fromId(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
