package com.vlaapi.inference.similarity;

import com.vlaapi.inference.similarity.SimilaritySearch.Basis;
import com.vlaapi.inference.similarity.SimilaritySearch.SimilarRequest;
import com.vlaapi.servicecontract.error.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The operators' similarity search over one customer's request log (admin token, checked by the
 * security filter): requests like a given request, by image or by instruction, and requests like
 * an instruction text. Scoped to the customer in the path, which is also why a request of another
 * customer is answered exactly like one that does not exist.
 */
@RestController
@RequestMapping("/admin/v1/customers/{customer_id}/requests")
class SimilarityAdminController {

    static final int DEFAULT_LIMIT = 10;
    static final int MAX_LIMIT = 100;
    static final int DEFAULT_DAYS = 7;
    static final int MAX_DAYS = 31;

    /** {@code request_id} is the request asked about; absent for an instruction text. */
    record SimilarRequests(UUID customerId, UUID requestId, String by, List<SimilarRequest> similar) {
    }

    private final SimilaritySearch search;
    private final Clock clock;

    SimilarityAdminController(SimilaritySearch search, Clock clock) {
        this.search = search;
        this.clock = clock;
    }

    @GetMapping("/{request_id}/similar")
    SimilarRequests likeRequest(@PathVariable("customer_id") UUID customerId,
                                @PathVariable("request_id") UUID requestId,
                                @RequestParam(name = "by", defaultValue = "image") String by,
                                @RequestParam(name = "limit", defaultValue = "" + DEFAULT_LIMIT) int limit,
                                @RequestParam(name = "days", defaultValue = "" + DEFAULT_DAYS) int days) {
        Basis basis = basis(by);
        if (days < 1 || days > MAX_DAYS) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_days",
                    "days (how far back an image search looks) must be between 1 and " + MAX_DAYS + ".");
        }
        Instant since = clock.instant().minus(Duration.ofDays(days));
        List<SimilarRequest> similar = search.likeRequest(customerId, requestId, basis, checked(limit), since)
                .orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND, "request_not_found",
                        "Customer " + customerId + " has no logged request " + requestId + "."));
        return new SimilarRequests(customerId, requestId, basis.name().toLowerCase(Locale.ROOT), similar);
    }

    @GetMapping("/similar")
    SimilarRequests likeInstruction(@PathVariable("customer_id") UUID customerId,
                                    @RequestParam(name = "instruction", required = false) String instruction,
                                    @RequestParam(name = "limit", defaultValue = "" + DEFAULT_LIMIT) int limit) {
        float[] embedding = InstructionEmbedding.of(instruction);
        if (embedding == null) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_instruction",
                    "instruction must be given and contain at least one word.");
        }
        return new SimilarRequests(customerId, null, "instruction",
                search.likeInstruction(customerId, embedding, checked(limit)));
    }

    private static Basis basis(String by) {
        return switch (by) {
            case "image" -> Basis.IMAGE;
            case "instruction" -> Basis.INSTRUCTION;
            default -> throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_by",
                    "by must be 'image' or 'instruction'.");
        };
    }

    private static int checked(int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_limit",
                    "limit must be between 1 and " + MAX_LIMIT + ".");
        }
        return limit;
    }
}
