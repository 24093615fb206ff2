package com.vlaapi.customer.customer;

import com.vlaapi.servicecontract.error.ApiException;
import java.util.List;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

@Service
public class CustomerService {

    private final CustomerRepository customers;

    CustomerService(CustomerRepository customers) {
        this.customers = customers;
    }

    public Customer create(NewCustomer customer) {
        try {
            return customers.insert(customer);
        } catch (DuplicateKeyException e) {
            // The unique index on lower(email) decides, so two concurrent requests cannot both win.
            throw ApiException.conflict("email_taken", "A customer with email " + customer.email() + " already exists.");
        }
    }

    public Customer update(UUID customerId, CustomerUpdate update) {
        return customers.update(customerId, update).orElseThrow(() -> notFound(customerId));
    }

    public Customer get(UUID customerId) {
        return customers.findById(customerId).orElseThrow(() -> notFound(customerId));
    }

    public List<Customer> list() {
        return customers.findAll();
    }

    public void requireExists(UUID customerId) {
        if (!customers.exists(customerId)) {
            throw notFound(customerId);
        }
    }

    private static ApiException notFound(UUID customerId) {
        return ApiException.notFound("customer_not_found", "No customer with customer_id " + customerId + ".");
    }
}
