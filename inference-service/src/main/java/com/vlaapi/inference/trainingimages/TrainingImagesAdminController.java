package com.vlaapi.inference.trainingimages;

import com.vlaapi.servicecontract.error.ApiException;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** The operators' access to stored training images (admin token, checked by the security filter). */
@RestController
@RequestMapping("/admin/v1/customers/{customer_id}/training-images")
class TrainingImagesAdminController {

    record Erased(UUID customerId, int imagesDeleted) {
    }

    private final TrainingImages images;

    TrainingImagesAdminController(TrainingImages images) {
        this.images = images;
    }

    /** Right to erasure: every stored image of the customer and its links. Idempotent. */
    @DeleteMapping
    Erased erase(@PathVariable("customer_id") UUID customerId) {
        images.requireEnabled();
        return new Erased(customerId, images.erase(customerId));
    }

    @GetMapping("/{request_id}")
    ResponseEntity<byte[]> download(@PathVariable("customer_id") UUID customerId,
                                    @PathVariable("request_id") UUID requestId) {
        images.requireEnabled();
        TrainingImages.StoredImage image = images.download(customerId, requestId).orElseThrow(() -> new ApiException(
                HttpStatus.NOT_FOUND, "training_image_not_found",
                "No stored training image of customer " + customerId + " for request " + requestId + "."));
        return ResponseEntity.ok().contentType(MediaType.parseMediaType(image.contentType())).body(image.bytes());
    }
}
