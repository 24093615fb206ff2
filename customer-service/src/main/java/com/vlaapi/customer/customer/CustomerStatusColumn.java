package com.vlaapi.customer.customer;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Stored as its id ("active", "suspended"), the spelling the column's CHECK allows. */
@Converter
class CustomerStatusColumn implements AttributeConverter<CustomerStatus, String> {

    @Override
    public String convertToDatabaseColumn(CustomerStatus status) {
        return status.id();
    }

    @Override
    public CustomerStatus convertToEntityAttribute(String id) {
        return CustomerStatus.fromId(id);
    }
}
