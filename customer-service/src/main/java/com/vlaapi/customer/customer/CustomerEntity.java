package com.vlaapi.customer.customer;

import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A row of {@code customers}: what customer-service stores about a customer. */
@Entity
@Table(name = "customers")
class CustomerEntity {

    @Id
    private UUID customerId;
    private String companyName;
    private String email;
    @Convert(converter = TierColumn.class)
    private Tier tier;
    private long monthlyQuota;
    private int rateLimitPerMinute;
    @Convert(converter = CustomerStatusColumn.class)
    private CustomerStatus status;
    private Instant createdAt;
    private Instant trainingImagesConsentAt;

    protected CustomerEntity() {
    }

    CustomerEntity(NewCustomer customer, Instant createdAt) {
        this.customerId = UUID.randomUUID();
        this.companyName = customer.companyName();
        this.email = customer.email();
        this.tier = customer.tier();
        this.monthlyQuota = customer.limits().monthlyQuota();
        this.rateLimitPerMinute = customer.limits().rateLimitPerMinute();
        this.status = CustomerStatus.ACTIVE;
        this.createdAt = createdAt;
    }

    /** Applies the fields the update sets; a null field stays as it is. */
    void apply(CustomerUpdate update) {
        if (update.tier() != null) {
            tier = update.tier();
        }
        if (update.monthlyQuota() != null) {
            monthlyQuota = update.monthlyQuota();
        }
        if (update.rateLimitPerMinute() != null) {
            rateLimitPerMinute = update.rateLimitPerMinute();
        }
        if (update.status() != null) {
            status = update.status();
        }
    }

    /** A repeated consent keeps the time it was first given: that is when the customer agreed. */
    void giveTrainingImagesConsent(Instant at) {
        if (trainingImagesConsentAt == null) {
            trainingImagesConsentAt = at;
        }
    }

    void withdrawTrainingImagesConsent() {
        trainingImagesConsentAt = null;
    }

    Customer toCustomer() {
        return new Customer(customerId, companyName, email, tier, monthlyQuota, rateLimitPerMinute, status, createdAt,
                trainingImagesConsentAt);
    }
}
