package com.vlaapi.customer.apikey;

/** The answer to a rotation: the replacement, shown once, and the old key with its new expiry. */
public record RotatedApiKey(IssuedApiKey newKey, ApiKey oldKey) {
}
