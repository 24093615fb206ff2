package com.vlaapi.billing.customer;

import java.time.Instant;
import java.util.UUID;

/** A customer as billing needs it, read from customer-service's table. */
public record BillableCustomer(UUID customerId, String companyName, String email, String tier, Instant createdAt) {
}
