package com.vlaapi.customer.customer;

/** A validated change to a customer; a null field stays as it is. */
public record CustomerUpdate(Tier tier, Long monthlyQuota, Integer rateLimitPerMinute, CustomerStatus status) {
}
