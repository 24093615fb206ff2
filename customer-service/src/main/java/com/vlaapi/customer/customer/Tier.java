package com.vlaapi.customer.customer;

import com.vlaapi.servicecontract.LowerCaseId;

/**
 * A customer's plan, spelled "free", "pro", "enterprise" in the database, in JSON and by operators;
 * its default limits come from {@link TierProperties}.
 */
public enum Tier implements LowerCaseId {
    FREE,
    PRO,
    ENTERPRISE
}
