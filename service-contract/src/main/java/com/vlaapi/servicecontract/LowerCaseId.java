package com.vlaapi.servicecontract;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * An enum whose constants leave Java as their names in lower case ("pro", "suspended",
 * "invalid_request_error"): the one spelling in JSON, in the database and for operators, so that
 * every service reads what another wrote.
 */
public interface LowerCaseId {

    /** {@link Enum#name()}, which every enum implementing this has. */
    String name();

    @JsonValue
    default String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The constant of {@code type} spelled {@code id}, exactly; empty for any other spelling. */
    static <E extends Enum<E> & LowerCaseId> Optional<E> fromId(Class<E> type, String id) {
        return Arrays.stream(type.getEnumConstants()).filter(constant -> constant.id().equals(id)).findFirst();
    }
}
