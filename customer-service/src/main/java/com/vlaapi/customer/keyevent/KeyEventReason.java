package com.vlaapi.customer.keyevent;

import com.vlaapi.servicecontract.LowerCaseId;

/** Why cached lookups of a key are stale; the gateway drops them whatever the reason. */
public enum KeyEventReason implements LowerCaseId {
    REVOKED,
    ROTATED,
    EXPIRY_CHANGED,
    CUSTOMER_UPDATED
}
