package com.vlaapi.inference.api;

import com.vlaapi.modelrunner.InferenceRequest;
import com.vlaapi.modelrunner.ModelRunner;
import com.vlaapi.modelrunner.Prediction;
import com.vlaapi.servicecontract.error.ApiException;
import java.time.Clock;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
class InferenceController {

    private final ModelRunner runner;
    private final Clock clock;

    InferenceController(ModelRunner runner, Clock clock) {
        this.runner = runner;
        this.clock = clock;
    }

    /**
     * No {@code consumes}: a wrong Content-Type is then detected while the body is read, inside
     * the handler, so the 415 is logged for the customer like every other rejected request.
     * The body is optional only so that an empty one gets our error instead of Spring's.
     */
    @PostMapping("/v1/inference")
    InferenceResponse infer(@RequestBody(required = false) InferenceRequestBody body,
                            @RequestAttribute(RequestContext.ATTRIBUTE) RequestContext context,
                            @RequestAttribute(InferenceExchange.ATTRIBUTE) InferenceExchange exchange) {
        if (body == null) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_request_body",
                    "The request body must be one JSON object.");
        }
        exchange.received(body);
        if (body.image() == null) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "missing_image",
                    "Field 'image' is required: the camera image as base64 PNG or JPEG.");
        }
        byte[] image = Base64Image.decode(body.image());
        exchange.decodedImage(image.length);
        Prediction prediction = runner.predict(
                new InferenceRequest(body.model(), image, body.instruction(), body.unnormKey()));
        exchange.predicted(prediction);
        return InferenceResponse.of(context, prediction, clock.instant());
    }
}
