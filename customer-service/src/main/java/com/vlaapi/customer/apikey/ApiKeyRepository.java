package com.vlaapi.customer.apikey;

import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;

/** Every lookup is scoped to one customer, so a key id from another customer is simply not found. */
interface ApiKeyRepository extends JpaRepository<ApiKeyEntity, UUID> {

    List<ApiKeyEntity> findByCustomerIdOrderByCreatedAtAscKeyIdAsc(UUID customerId);

    /** Locks the key's row until the transaction ends, so concurrent changes to it apply one after the other. */
    @Lock(LockModeType.PESSIMISTIC_WRITE)
    Optional<ApiKeyEntity> findByCustomerIdAndKeyId(UUID customerId, UUID keyId);

    /** Every key of the customer, whatever its status: what a change to the customer invalidates. */
    @Query("SELECT k.keyHash FROM ApiKeyEntity k WHERE k.customerId = :customerId ORDER BY k.createdAt, k.keyId")
    List<String> findHashesByCustomerId(UUID customerId);
}
