package com.vlaapi.customer.customer;

import com.vlaapi.servicecontract.error.ApiException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

@Service
public class CustomerService {

    private final CustomerRepository customers;
    private final Clock clock;

    CustomerService(CustomerRepository customers, Clock clock) {
        this.customers = customers;
        this.clock = clock;
    }

    /**
     * created_at comes from the clock, not the column's default now(): billing decides by it which
     * customers a month's invoices include, and tests pin it. Truncated to what PostgreSQL keeps,
     * so the time answered now is the one read back later.
     */
    @Transactional
    public Customer create(NewCustomer customer) {
        try {
            return customers.saveAndFlush(new CustomerEntity(customer, clock.instant().truncatedTo(ChronoUnit.MICROS))).toCustomer();
        } catch (DataIntegrityViolationException e) {
            // The unique index on lower(email) decides, so two concurrent requests cannot both win.
            throw new ApiException(HttpStatus.CONFLICT, "email_taken",
                    "A customer with email " + customer.email() + " already exists.");
        }
    }

    @Transactional
    public Customer update(UUID customerId, CustomerUpdate update) {
        CustomerEntity customer = customers.findById(customerId).orElseThrow(() -> notFound(customerId));
        customer.apply(update);
        return customer.toCustomer();
    }

    /** Truncated like created_at, so the time answered is the one inference-service reads back. */
    @Transactional
    public Customer giveTrainingImagesConsent(UUID customerId) {
        CustomerEntity customer = customers.findById(customerId).orElseThrow(() -> notFound(customerId));
        customer.giveTrainingImagesConsent(clock.instant().truncatedTo(ChronoUnit.MICROS));
        return customer.toCustomer();
    }

    @Transactional
    public Customer withdrawTrainingImagesConsent(UUID customerId) {
        CustomerEntity customer = customers.findById(customerId).orElseThrow(() -> notFound(customerId));
        customer.withdrawTrainingImagesConsent();
        return customer.toCustomer();
    }

    @Transactional(readOnly = true)
    public Customer get(UUID customerId) {
        return customers.findById(customerId).map(CustomerEntity::toCustomer).orElseThrow(() -> notFound(customerId));
    }

    @Transactional(readOnly = true)
    public List<Customer> list() {
        return customers.findAllByOrderByCreatedAtAscCustomerIdAsc().stream().map(CustomerEntity::toCustomer).toList();
    }

    public void requireExists(UUID customerId) {
        if (!customers.existsById(customerId)) {
            throw notFound(customerId);
        }
    }

    private static ApiException notFound(UUID customerId) {
        return new ApiException(HttpStatus.NOT_FOUND, "customer_not_found",
                "No customer with customer_id " + customerId + ".");
    }
}
