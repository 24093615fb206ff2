package com.vlaapi.customer.internal;

import com.vlaapi.servicecontract.apikey.ApiKeyHashes;
import com.vlaapi.servicecontract.error.ApiException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Key lookup for the gateway, by hash so the key itself never travels between services. Revoked
 * and expired keys are answered, not hidden, so the gateway can tell them from "never existed".
 * A lookup writes nothing: the gateway reports key use in batches instead.
 */
@RestController
@RequestMapping("/internal/v1/api-keys")
class GatewayKeyController {

    private final GatewayKeyRepository keys;
    private final Clock clock;

    GatewayKeyController(GatewayKeyRepository keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    @GetMapping("/{key_hash}")
    GatewayKey lookup(@PathVariable("key_hash") String keyHash) {
        String normalizedHash = keyHash.toLowerCase(Locale.ROOT);
        if (!ApiKeyHashes.isSha256Hex(normalizedHash)) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_key_hash",
                    "key_hash must be 64 hex characters (SHA-256).");
        }
        return keys.findByHash(normalizedHash).orElseThrow(() ->
                new ApiException(HttpStatus.NOT_FOUND, "api_key_not_found", "No API key has this hash."));
    }

    /** last_used_at tells operators which keys are still in use before they revoke one. */
    @PostMapping("/last-used")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void recordLastUsed(@RequestBody LastUsedReport report) {
        List<LastUsedReport.LastUse> uses = report.validate(clock.instant());
        if (!uses.isEmpty()) {
            keys.recordUses(uses);
        }
    }
}
