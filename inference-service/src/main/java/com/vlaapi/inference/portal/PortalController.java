package com.vlaapi.inference.portal;

import com.vlaapi.inference.trainingimages.TrainingImages;
import com.vlaapi.servicecontract.error.ApiException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * What customer-service's portal shows a customer of its own requests: the newest, one in full, its
 * stored image, and a safety summary. customer-service's credential only (the security filter);
 * customer-service has authenticated the customer and names it in the path. A request of another
 * customer is answered exactly like one that does not exist.
 */
@RestController
@RequestMapping("/internal/v1/customers/{customer_id}")
class PortalController {

    static final int MAX_LIMIT = 100;

    record RequestPage(List<RequestSummary> requests) {
    }

    private final CustomerRequests requests;
    private final SafetySummaries safety;
    private final TrainingImages images;

    PortalController(CustomerRequests requests, SafetySummaries safety, TrainingImages images) {
        this.requests = requests;
        this.safety = safety;
        this.images = images;
    }

    /**
     * Newest first; the next page is {@code before} the last row's {@code timestamp}, exclusive.
     * Timestamps have microseconds: two of a customer's requests that arrived in the same one could
     * only be parted by a page break, which would skip the second.
     */
    @GetMapping("/requests")
    RequestPage list(@PathVariable("customer_id") UUID customerId,
                     @RequestParam(name = "limit", defaultValue = "" + MAX_LIMIT) int limit,
                     @RequestParam(name = "status", defaultValue = "all") String status,
                     @RequestParam(name = "before", required = false) String before) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_limit",
                    "limit must be between 1 and " + MAX_LIMIT + ", not " + limit + ".");
        }
        StatusFilter filter = StatusFilter.of(status);
        return new RequestPage(requests.newest(customerId, filter, Optional.ofNullable(before).map(PortalController::instant),
                limit));
    }

    @GetMapping("/requests/{request_id}")
    RequestDetail request(@PathVariable("customer_id") UUID customerId, @PathVariable("request_id") UUID requestId) {
        return requests.find(customerId, requestId).orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND,
                "request_not_found", "Customer " + customerId + " has no logged request " + requestId + "."));
    }

    /** The request's image as it was sent, kept for training only if the customer consented. */
    @GetMapping("/requests/{request_id}/image")
    ResponseEntity<byte[]> image(@PathVariable("customer_id") UUID customerId,
                                 @PathVariable("request_id") UUID requestId) {
        images.requireEnabled();
        TrainingImages.StoredImage image = images.download(customerId, requestId).orElseThrow(() -> new ApiException(
                HttpStatus.NOT_FOUND, "training_image_not_found",
                "No stored image of customer " + customerId + " for request " + requestId + "."));
        return ResponseEntity.ok().contentType(MediaType.parseMediaType(image.contentType())).body(image.bytes());
    }

    @GetMapping("/safety-summary")
    SafetySummary safetySummary(@PathVariable("customer_id") UUID customerId) {
        return safety.of(customerId);
    }

    private static Instant instant(String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeException e) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_before",
                    "before must be an ISO-8601 instant such as 2026-11-27T22:27:15.618Z (a row's timestamp).");
        }
    }
}
