package com.vlaapi.customer.customer;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Stored as its id ("free", "pro", "enterprise"), the spelling the column's CHECK allows. */
@Converter
class TierColumn implements AttributeConverter<Tier, String> {

    @Override
    public String convertToDatabaseColumn(Tier tier) {
        return tier.id();
    }

    @Override
    public Tier convertToEntityAttribute(String id) {
        return Tier.fromId(id).orElseThrow(() -> new IllegalStateException("unknown tier in the database: " + id));
    }
}
