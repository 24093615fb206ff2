package com.vlaapi.customer.customer;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** A customer's plan; its default limits come from {@link TierProperties}. */
public enum Tier {
    FREE,
    PRO,
    ENTERPRISE;

    /** The spelling used in the database, in JSON and by operators: "free", "pro", "enterprise". */
    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Tier> fromId(String id) {
        return Arrays.stream(values()).filter(tier -> tier.id().equals(id)).findFirst();
    }
}
