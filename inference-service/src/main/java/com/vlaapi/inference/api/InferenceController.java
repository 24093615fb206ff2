package com.vlaapi.inference.api;

import com.vlaapi.inference.requestlog.RequestLogUnavailableException;
import com.vlaapi.inference.security.Caller;
import com.vlaapi.servicecontract.error.ApiException;
import com.vlaapi.servicecontract.error.PublicErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
class InferenceController {

    private final Inferences inferences;

    InferenceController(Inferences inferences) {
        this.inferences = inferences;
    }

    /**
     * No {@code consumes}: a wrong Content-Type is then detected while the body is read, inside
     * the handler, so the 415 is logged for the customer like every other rejected request.
     * The body is optional only so that an empty one gets our error instead of Spring's.
     */
    @PostMapping("/v1/inference")
    InferenceResponse infer(@RequestBody(required = false) InferenceRequestBody body,
                            @RequestAttribute(RequestContext.ATTRIBUTE) RequestContext context,
                            @RequestAttribute(InferenceExchange.ATTRIBUTE) InferenceExchange exchange,
                            @RequestAttribute(name = Caller.ATTRIBUTE, required = false) Caller caller,
                            HttpServletRequest request, HttpServletResponse response) {
        requireJsonAccepted(request);
        if (body == null) {
            throw new ApiException(PublicErrorCode.INVALID_REQUEST_BODY.error(
                    "The request body must be one JSON object."));
        }
        exchange.received(body);
        String primary = CameraImages.primary(body);
        return serve(body, () -> Base64Image.decode(primary), context, exchange, caller, response);
    }

    /**
     * {@link Inferences#serve} for an HTTP request: an answer that could not be recorded is a 503
     * that says when to retry.
     */
    InferenceResponse serve(InferenceRequestBody body, Supplier<byte[]> decodeImage, RequestContext context,
                            InferenceExchange exchange, Caller caller, HttpServletResponse response) {
        try {
            return inferences.serve(body, decodeImage, context, exchange, caller);
        } catch (RequestLogUnavailableException e) {
            ApiException unrecorded = Inferences.unrecorded(e);
            RetryAfter.set(response, unrecorded.error());
            throw unrecorded;
        }
    }

    /**
     * Checked before the model runs: left to Spring, a client that takes no JSON got its 406 only
     * once the answer was recorded as a 200, so it was billed for an action it never saw.
     */
    private static void requireJsonAccepted(HttpServletRequest request) {
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        if (accept == null || accept.isBlank()) {
            return;
        }
        List<MediaType> accepted;
        try {
            accepted = MediaType.parseMediaTypes(accept);
        } catch (InvalidMediaTypeException unreadable) {
            accepted = List.of();
        }
        if (accepted.stream().noneMatch(type -> type.getQualityValue() > 0 && type.isCompatibleWith(MediaType.APPLICATION_JSON))) {
            throw new ApiException(PublicErrorCode.NOT_ACCEPTABLE.error(
                    "The answer is JSON: accept application/json (or send no Accept header)."));
        }
    }
}
