package com.vlaapi.customer.admin;

import com.vlaapi.customer.apikey.ApiKeyService;
import com.vlaapi.customer.apikey.IssuedApiKey;
import com.vlaapi.customer.customer.Customer;
import com.vlaapi.customer.customer.CustomerService;
import com.vlaapi.customer.customer.NewCustomer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** A customer is only useful with a key, so both are created together or not at all. */
@Service
class CustomerOnboarding {

    private static final Logger log = LoggerFactory.getLogger(CustomerOnboarding.class);

    private final CustomerService customers;
    private final ApiKeyService apiKeys;

    CustomerOnboarding(CustomerService customers, ApiKeyService apiKeys) {
        this.customers = customers;
        this.apiKeys = apiKeys;
    }

    @Transactional
    CreatedCustomer onboard(NewCustomer newCustomer, String keyName, Long keyExpiresInSeconds) {
        Customer customer = customers.create(newCustomer);
        IssuedApiKey apiKey = apiKeys.issue(customer.customerId(), keyName, keyExpiresInSeconds);
        log.info("Created customer {} on tier {}", customer.customerId(), customer.tier().id());
        return new CreatedCustomer(customer, apiKey);
    }
}
