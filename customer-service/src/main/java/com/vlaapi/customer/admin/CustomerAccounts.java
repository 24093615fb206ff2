package com.vlaapi.customer.admin;

import com.vlaapi.customer.apikey.ApiKeyService;
import com.vlaapi.customer.apikey.IssuedApiKey;
import com.vlaapi.customer.customer.Customer;
import com.vlaapi.customer.customer.CustomerService;
import com.vlaapi.customer.customer.CustomerUpdate;
import com.vlaapi.customer.customer.NewCustomer;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** The admin changes to a customer that its API keys must follow, in one transaction each. */
@Service
class CustomerAccounts {

    private static final Logger log = LoggerFactory.getLogger(CustomerAccounts.class);

    private final CustomerService customers;
    private final ApiKeyService apiKeys;

    CustomerAccounts(CustomerService customers, ApiKeyService apiKeys) {
        this.customers = customers;
        this.apiKeys = apiKeys;
    }

    /** A customer is only useful with a key, so both are created together or not at all. */
    @Transactional
    CreatedCustomer onboard(NewCustomer newCustomer, String keyName, Long keyExpiresInSeconds) {
        Customer customer = customers.create(newCustomer);
        IssuedApiKey apiKey = apiKeys.issue(customer.customerId(), keyName, keyExpiresInSeconds);
        log.info("Created customer {} on tier {}", customer.customerId(), customer.tier().id());
        return new CreatedCustomer(customer, apiKey);
    }

    /** A customer's plan and status are cached with each of its keys by the gateways: a change invalidates them all. */
    @Transactional
    Customer update(UUID customerId, CustomerUpdate update) {
        Customer updated = customers.update(customerId, update);
        apiKeys.customerUpdated(customerId);
        log.info("Updated customer {}: tier {}, monthly quota {}, rate limit {} per minute, status {}",
                customerId, updated.tier().id(), updated.monthlyQuota(), updated.rateLimitPerMinute(),
                updated.status().id());
        return updated;
    }
}
