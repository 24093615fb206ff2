package com.vlaapi.customer.admin;

import com.vlaapi.customer.apikey.ApiKeyService;
import com.vlaapi.customer.customer.Customer;
import com.vlaapi.customer.customer.CustomerService;
import com.vlaapi.customer.customer.CustomerUpdate;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** A customer's plan and status are cached with each of its keys by the gateways: a change invalidates them all. */
@Service
class CustomerUpdates {

    private static final Logger log = LoggerFactory.getLogger(CustomerUpdates.class);

    private final CustomerService customers;
    private final ApiKeyService apiKeys;

    CustomerUpdates(CustomerService customers, ApiKeyService apiKeys) {
        this.customers = customers;
        this.apiKeys = apiKeys;
    }

    @Transactional
    Customer apply(UUID customerId, CustomerUpdate update) {
        Customer updated = customers.update(customerId, update);
        apiKeys.customerUpdated(customerId);
        log.info("Updated customer {}: tier {}, monthly quota {}, rate limit {} per minute, status {}",
                customerId, updated.tier().id(), updated.monthlyQuota(), updated.rateLimitPerMinute(),
                updated.status().id());
        return updated;
    }
}
