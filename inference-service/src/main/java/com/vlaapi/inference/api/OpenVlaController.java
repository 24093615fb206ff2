package com.vlaapi.inference.api;

import com.vlaapi.inference.security.Caller;
import com.vlaapi.modelrunner.RunnerConfig;
import com.vlaapi.servicecontract.error.ApiException;
import com.vlaapi.servicecontract.error.PublicErrorCode;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Map;
import java.util.Set;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.StringNode;

/**
 * OpenVLA's deployment endpoint, {@code POST /act}, so its clients switch by changing the URL and
 * adding the API key: the body is {@code {"image": <json_numpy uint8 [h, w, 3]>, "instruction": ...,
 * "unnorm_key": ...}} (or all of it as a JSON string in {@code "encoded"}), the answer the action as a
 * json_numpy float64 array (a JSON string of one, for an {@code "encoded"} request), as OpenVLA's
 * server answers. One call is one request, logged and billed like {@code /v1/inference}; errors are
 * this API's JSON errors.
 */
@RestController
class OpenVlaController {

    private static final Set<String> FIELDS = Set.of("image", "instruction", "unnorm_key");

    private final InferenceController inference;
    private final RunnerConfig limits;
    private final JsonMapper json;

    OpenVlaController(InferenceController inference, RunnerConfig limits, JsonMapper json) {
        this.inference = inference;
        this.limits = limits;
        this.json = json;
    }

    @PostMapping("/act")
    Object act(@RequestBody(required = false) JsonNode body,
               @RequestAttribute(RequestContext.ATTRIBUTE) RequestContext context,
               @RequestAttribute(InferenceExchange.ATTRIBUTE) InferenceExchange exchange,
               @RequestAttribute(name = Caller.ATTRIBUTE, required = false) Caller caller,
               HttpServletResponse response) {
        if (body == null || !body.isObject()) {
            throw invalidBody("The request body must be one JSON object: {\"image\": ..., \"instruction\": ...}.");
        }
        boolean encoded = body.has("encoded");
        JsonNode payload = encoded ? decoded(body) : body;
        for (String field : payload.propertyNames()) {
            if (!FIELDS.contains(field)) {
                throw invalidBody("Unknown field '" + field + "'; /act takes image, instruction and unnorm_key.");
            }
        }
        String instruction = text(payload, "instruction");
        String unnormKey = text(payload, "unnorm_key");
        InferenceRequestBody asked = InferenceRequestBody.of(instruction, unnormKey);
        exchange.received(asked);
        if (!payload.has("image")) {
            throw new ApiException(PublicErrorCode.MISSING_IMAGE.error(
                    "Field 'image' is required: the camera image as a json_numpy uint8 array [height, width, 3]."));
        }
        NumpyArray.RgbPixels pixels = NumpyArray.rgbImage(payload.get("image"), "image", limits.maxImageSide(),
                limits.maxImagePixels());
        InferenceResponse answer = inference.serve(asked, () -> RgbPng.encode(pixels), context, exchange, caller, response);
        Map<String, Object> action = NumpyArray.float64(answer.action().values());
        // OpenVLA answers an encoded request with the array's JSON as a JSON string, not as an object.
        return encoded ? StringNode.valueOf(json.writeValueAsString(action)) : action;
    }

    private JsonNode decoded(JsonNode body) {
        if (body.size() != 1 || !body.get("encoded").isString()) {
            throw invalidBody("An 'encoded' body holds that one field: the request as a JSON string.");
        }
        try {
            JsonNode inner = json.readTree(body.get("encoded").asString());
            if (!inner.isObject()) {
                throw invalidBody("Field 'encoded' must hold a JSON object.");
            }
            return inner;
        } catch (JacksonException e) {
            throw invalidBody("Field 'encoded' is not valid JSON.");
        }
    }

    private static String text(JsonNode payload, String field) {
        JsonNode value = payload.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw new ApiException(PublicErrorCode.INVALID_FIELD_VALUE.error("Field '" + field + "' must be a string."));
        }
        return value.asString();
    }

    private static ApiException invalidBody(String message) {
        return new ApiException(PublicErrorCode.INVALID_REQUEST_BODY.error(message));
    }
}
