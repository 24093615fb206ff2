package com.vlaapi.inference.portal;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code vla.inference.portal.*}: customer-service's portal reads of a customer's requests.
 *
 * @param safetySummaryRequests how many of the customer's latest requests the safety summary counts.
 *                              A window of requests rather than of time: its cost is the same for a
 *                              customer sending a request a day or a thousand a second (reading the
 *                              rows is most of it: docs/modules/inference-service.md#customer-portal)
 */
@ConfigurationProperties("vla.inference.portal")
public record PortalProperties(@DefaultValue("10000") int safetySummaryRequests) {

    static final int MAX_SAFETY_SUMMARY_REQUESTS = 100_000;

    public PortalProperties {
        if (safetySummaryRequests < 1 || safetySummaryRequests > MAX_SAFETY_SUMMARY_REQUESTS) {
            throw new IllegalArgumentException("vla.inference.portal.safety-summary-requests must be between 1 and "
                    + MAX_SAFETY_SUMMARY_REQUESTS + ", not " + safetySummaryRequests);
        }
    }
}
