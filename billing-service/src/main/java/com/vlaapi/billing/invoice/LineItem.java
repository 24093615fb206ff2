package com.vlaapi.billing.invoice;

import java.math.BigDecimal;

/**
 * One line of an invoice.
 *
 * @param kind     {@code base_fee} or {@code usage}
 * @param quantity months for the base fee; chargeable requests for usage
 */
public record LineItem(String kind, String description, long quantity, BigDecimal unitPrice, BigDecimal amount) {
}
