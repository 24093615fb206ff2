package com.vlaapi.customer.keyevent;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Why cached lookups of a key are stale; the gateway drops them whatever the reason. */
public enum KeyEventReason {
    REVOKED,
    ROTATED,
    EXPIRY_CHANGED,
    CUSTOMER_UPDATED;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
