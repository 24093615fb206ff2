package com.vlaapi.customer.customer;

import jakarta.persistence.Converter;

@Converter
class CustomerStatusColumn extends LowerCaseIdColumn<CustomerStatus> {

    CustomerStatusColumn() {
        super(CustomerStatus.class);
    }
}
