package com.vlaapi.customer.admin;

import com.vlaapi.customer.apikey.IssuedApiKey;
import com.vlaapi.customer.customer.Customer;

record CreatedCustomer(Customer customer, IssuedApiKey apiKey) {
}
