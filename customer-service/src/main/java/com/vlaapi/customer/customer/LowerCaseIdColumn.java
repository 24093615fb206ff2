package com.vlaapi.customer.customer;

import com.vlaapi.servicecontract.LowerCaseId;
import jakarta.persistence.AttributeConverter;

/** Stores an enum as its id ("pro", "suspended"), the spelling the column's CHECK allows. */
abstract class LowerCaseIdColumn<E extends Enum<E> & LowerCaseId> implements AttributeConverter<E, String> {

    private final Class<E> type;

    LowerCaseIdColumn(Class<E> type) {
        this.type = type;
    }

    @Override
    public String convertToDatabaseColumn(E value) {
        return value.id();
    }

    @Override
    public E convertToEntityAttribute(String id) {
        return LowerCaseId.fromId(type, id).orElseThrow(() ->
                new IllegalStateException("unknown " + type.getSimpleName() + " in the database: " + id));
    }
}
