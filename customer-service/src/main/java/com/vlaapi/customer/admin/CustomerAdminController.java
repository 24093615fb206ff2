package com.vlaapi.customer.admin;

import com.vlaapi.customer.customer.Customer;
import com.vlaapi.customer.customer.CustomerService;
import com.vlaapi.customer.customer.TierProperties;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/admin/v1/customers")
class CustomerAdminController {

    record CustomerList(List<Customer> customers) {
    }

    private final CustomerAccounts accounts;
    private final CustomerService customers;
    private final TierProperties tiers;

    CustomerAdminController(CustomerAccounts accounts, CustomerService customers, TierProperties tiers) {
        this.accounts = accounts;
        this.customers = customers;
        this.tiers = tiers;
    }

    @PostMapping
    ResponseEntity<CreatedCustomer> create(@RequestBody CreateCustomerRequest request) {
        CreatedCustomer created = accounts.onboard(request.validate(tiers), request.keyName(),
                request.expiresInSeconds());
        return ResponseEntity.created(URI.create("/admin/v1/customers/" + created.customer().customerId()))
                .body(created);
    }

    @GetMapping
    CustomerList list() {
        return new CustomerList(customers.list());
    }

    @GetMapping("/{customer_id}")
    Customer get(@PathVariable("customer_id") UUID customerId) {
        return customers.get(customerId);
    }

    @PatchMapping("/{customer_id}")
    Customer update(@PathVariable("customer_id") UUID customerId, @RequestBody UpdateCustomerRequest request) {
        return accounts.update(customerId, request.validate(tiers));
    }

    /**
     * Consent to keep the customer's request images for training; idempotent, the first time
     * given stays. The images themselves are inference-service's: it reads the consent from
     * customers_v1 and erases them on its own admin API.
     */
    @PutMapping("/{customer_id}/training-image-consent")
    Customer giveTrainingImageConsent(@PathVariable("customer_id") UUID customerId) {
        return customers.giveTrainingImagesConsent(customerId);
    }

    /** From now on no image of the customer's is stored; those already stored stay until erased. */
    @DeleteMapping("/{customer_id}/training-image-consent")
    Customer withdrawTrainingImageConsent(@PathVariable("customer_id") UUID customerId) {
        return customers.withdrawTrainingImagesConsent(customerId);
    }
}
