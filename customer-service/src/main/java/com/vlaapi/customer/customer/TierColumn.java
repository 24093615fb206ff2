package com.vlaapi.customer.customer;

import jakarta.persistence.Converter;

@Converter
class TierColumn extends LowerCaseIdColumn<Tier> {

    TierColumn() {
        super(Tier.class);
    }
}
