package com.vlaapi.customer.keyevent;

import java.util.List;
import java.util.UUID;

/**
 * Something a gateway's cached key lookup depends on has changed, for these keys of one customer.
 * Published as JSON on {@code <prefix>key-events} once the change is committed:
 * {@code {"key_hashes": [...], "customer_id": "...", "reason": "revoked"}}.
 *
 * @param keyHashes hex SHA-256 of each affected key, the id the gateway caches lookups under
 */
public record KeyEvent(List<String> keyHashes, UUID customerId, KeyEventReason reason) {

    public KeyEvent {
        keyHashes = List.copyOf(keyHashes);
    }
}
