package com.vlaapi.customer.apikey;

/** A fresh key: the secret for the customer, the hash and display prefix for the database. */
record GeneratedApiKey(String key, String hash, String prefix) {

    @Override
    public String toString() {
        return "GeneratedApiKey[prefix=" + prefix + ", key=<redacted>]";
    }
}
