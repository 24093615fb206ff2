package com.vlaapi.customer.customer;

/** A validated customer about to be created, with its limits already decided. */
public record NewCustomer(String companyName, String email, Tier tier, TierLimits limits) {
}
