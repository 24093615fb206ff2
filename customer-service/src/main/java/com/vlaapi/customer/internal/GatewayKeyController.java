package com.vlaapi.customer.internal;

import com.vlaapi.customer.apikey.ApiKeyHashes;
import com.vlaapi.customer.apikey.ApiKeyStatus;
import com.vlaapi.customer.web.ApiException;
import java.util.Locale;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * Key lookup for the gateway, by hash so the key itself never travels between services. Revoked
 * keys are answered, not hidden, so the gateway can tell "revoked" from "never existed".
 */
@RestController
class GatewayKeyController {

    private final GatewayKeyRepository keys;

    GatewayKeyController(GatewayKeyRepository keys) {
        this.keys = keys;
    }

    @GetMapping("/internal/v1/api-keys/{key_hash}")
    GatewayKey lookup(@PathVariable("key_hash") String keyHash) {
        String normalizedHash = keyHash.toLowerCase(Locale.ROOT);
        if (!ApiKeyHashes.isSha256Hex(normalizedHash)) {
            throw ApiException.invalidRequest("invalid_key_hash", "key_hash must be 64 hex characters (SHA-256).");
        }
        GatewayKey key = keys.findByHash(normalizedHash).orElseThrow(() ->
                ApiException.notFound("api_key_not_found", "No API key has this hash."));
        if (key.keyStatus() == ApiKeyStatus.ACTIVE) {
            // last_used_at tells operators which keys are still in use before they revoke one.
            keys.recordUse(key.keyId());
        }
        return key;
    }
}
