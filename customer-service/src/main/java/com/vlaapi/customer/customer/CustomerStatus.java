package com.vlaapi.customer.customer;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Whether the gateway should serve a customer's keys at all. */
public enum CustomerStatus {
    ACTIVE,
    SUSPENDED;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static CustomerStatus fromId(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
