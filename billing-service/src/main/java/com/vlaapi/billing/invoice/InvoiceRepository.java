package com.vlaapi.billing.invoice;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jpa.repository.EntityGraph;
import org.springframework.data.jpa.repository.JpaRepository;

interface InvoiceRepository extends JpaRepository<InvoiceEntity, UUID> {

    Optional<InvoiceEntity> findByCustomerIdAndPeriodStart(UUID customerId, LocalDate periodStart);

    @EntityGraph(attributePaths = "lines")
    List<InvoiceEntity> findByPeriodStartOrderByCompanyNameAscCustomerIdAsc(LocalDate periodStart);

    @EntityGraph(attributePaths = "lines")
    Optional<InvoiceEntity> findWithLinesByInvoiceId(UUID invoiceId);

    @EntityGraph(attributePaths = "lines")
    List<InvoiceEntity> findByCustomerIdOrderByPeriodStartDesc(UUID customerId);

    @EntityGraph(attributePaths = "lines")
    Optional<InvoiceEntity> findWithLinesByInvoiceIdAndCustomerId(UUID invoiceId, UUID customerId);

    default List<Invoice> invoicesOf(BillingMonth month) {
        return findByPeriodStartOrderByCompanyNameAscCustomerIdAsc(month.firstDay()).stream()
                .map(InvoiceEntity::toInvoice).toList();
    }
}
