package com.vlaapi.customer.apikey;

import com.vlaapi.customer.customer.CustomerService;
import com.vlaapi.customer.web.ApiException;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class ApiKeyService {

    private static final Logger log = LoggerFactory.getLogger(ApiKeyService.class);
    private static final int MAX_NAME_LENGTH = 100;

    private final ApiKeyRepository keys;
    private final CustomerService customers;
    private final ApiKeyGenerator generator;

    ApiKeyService(ApiKeyRepository keys, CustomerService customers, ApiKeyGenerator generator) {
        this.keys = keys;
        this.customers = customers;
        this.generator = generator;
    }

    /** @param name optional label chosen by the operator, e.g. "robot-fleet-a" */
    @Transactional
    public IssuedApiKey issue(UUID customerId, String name) {
        String label = validName(name);
        customers.requireExists(customerId);
        GeneratedApiKey key = generator.generate();
        ApiKey stored = keys.insert(customerId, key, label);
        log.info("Issued API key {} ({}) to customer {}", stored.keyId(), stored.prefix(), customerId);
        return new IssuedApiKey(stored.keyId(), key.key(), stored.prefix(), stored.name(), stored.createdAt());
    }

    public List<ApiKey> list(UUID customerId) {
        customers.requireExists(customerId);
        return keys.findByCustomer(customerId);
    }

    @Transactional
    public ApiKey revoke(UUID customerId, UUID keyId) {
        customers.requireExists(customerId);
        ApiKey revoked = keys.revoke(customerId, keyId).orElseThrow(() -> ApiException.notFound("api_key_not_found",
                "Customer " + customerId + " has no API key with key_id " + keyId + "."));
        log.info("Revoked API key {} ({}) of customer {}", keyId, revoked.prefix(), customerId);
        return revoked;
    }

    private static String validName(String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        String trimmed = name.strip();
        if (trimmed.length() > MAX_NAME_LENGTH) {
            throw ApiException.invalidRequest("invalid_key_name",
                    "The key name must be at most " + MAX_NAME_LENGTH + " characters.");
        }
        return trimmed;
    }
}
