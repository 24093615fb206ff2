package com.vlaapi.customer.customer;

import com.vlaapi.servicecontract.LowerCaseId;

/** Whether the gateway should serve a customer's keys at all. */
public enum CustomerStatus implements LowerCaseId {
    ACTIVE,
    SUSPENDED
}
