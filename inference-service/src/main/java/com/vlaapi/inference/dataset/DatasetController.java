package com.vlaapi.inference.dataset;

import com.vlaapi.inference.trainingimages.TrainingImages;
import com.vlaapi.servicecontract.error.ApiException;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A customer's training dataset of one month, for {@code bin/vla export-dataset}: the requests
 * whose image is stored (the customer consented) and that succeeded, with what the log holds about
 * each, a page at a time. The images themselves come from the training-images download endpoint.
 * Admin token, checked by the security filter like all of {@code /admin/**}.
 */
@RestController
class DatasetController {

    static final int MAX_LIMIT = 1000;

    /**
     * {@code total} is counted on the first page only (no {@code after}): counting reads the whole
     * month, and an exporter needs it once for its progress. {@code next_after} is null on the last page.
     */
    record DatasetPage(UUID customerId, String month, Long total, List<DatasetStep> steps, String nextAfter) {
    }

    private final DatasetSteps steps;
    private final TrainingImages images;

    DatasetController(DatasetSteps steps, TrainingImages images) {
        this.steps = steps;
        this.images = images;
    }

    @GetMapping("/admin/v1/customers/{customer_id}/dataset")
    DatasetPage page(@PathVariable("customer_id") UUID customerId,
                     @RequestParam("month") YearMonth month,
                     @RequestParam(name = "after", required = false) String after,
                     @RequestParam(name = "limit", defaultValue = "500") int limit) {
        // Listing works from the database alone, but an instance without storage cannot serve the
        // images: refusing here stops an export before it writes anything.
        images.requireEnabled();
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_limit",
                    "limit must be between 1 and " + MAX_LIMIT + ", not " + limit + ".");
        }
        Optional<DatasetCursor> cursor = Optional.ofNullable(after).map(DatasetCursor::parse);
        List<DatasetStep> page = steps.page(customerId, month, cursor, limit + 1);
        String next = null;
        if (page.size() > limit) {
            page = page.subList(0, limit);
            next = page.get(limit - 1).cursor().toString();
        }
        Long total = cursor.isEmpty() ? steps.count(customerId, month) : null;
        return new DatasetPage(customerId, month.toString(), total, page, next);
    }
}
