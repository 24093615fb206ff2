package com.vlaapi.customer.portal;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code vla.customer.portal.*}: the customer portal's settings.
 *
 * @param publicUrl        where customers reach the portal (nginx in production): the base of invitation links
 * @param billingUrl       billing-service, whose internal API holds usage counts, costs and invoices
 * @param inferenceUrls    inference-service instances, whose internal API holds the request log; tried in turn
 * @param callTimeout      longest wait for billing- or inference-service before a page says it is unavailable
 * @param invitationTtl    how long a one-time link that sets a password stays valid
 * @param freeSignInFailures wrong passwords in a row before sign-in slows down
 * @param maxSignInDelay   the longest a user must wait after many wrong passwords (the wait doubles per failure)
 */
@ConfigurationProperties("vla.customer.portal")
public record PortalProperties(
        @DefaultValue("http://127.0.0.1:8082") URI publicUrl,
        @DefaultValue("http://127.0.0.1:8083") URI billingUrl,
        @DefaultValue("http://127.0.0.1:8081") List<URI> inferenceUrls,
        @DefaultValue("2s") Duration callTimeout,
        @DefaultValue("72h") Duration invitationTtl,
        @DefaultValue("5") int freeSignInFailures,
        @DefaultValue("15m") Duration maxSignInDelay) {
}
