package com.vlaapi.customer.apikey;

/** A key's metadata with its hash: the hash is what key events name, and it is never shown to operators. */
record StoredApiKey(ApiKey key, String hash) {
}
