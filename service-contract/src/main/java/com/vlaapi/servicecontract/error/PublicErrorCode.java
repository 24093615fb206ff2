package com.vlaapi.servicecontract.error;

import com.vlaapi.servicecontract.LowerCaseId;
import org.springframework.http.HttpStatusCode;

/**
 * Every error {@code POST /v1/inference} can answer, with its status and type: the gateway's
 * refusals, inference-service's, the body errors every servlet service shares, and the codes
 * model-runner reports (which inference-service answers as 400, but {@code overloaded}). The
 * public API's document (docs/openapi.json) lists exactly these, and tests hold the two together:
 * a new code on that path belongs here, and then in the document.
 */
public enum PublicErrorCode implements LowerCaseId {

    // The body, as every servlet service reads it (servlet/RequestBodyErrors).
    INVALID_JSON(400, ErrorType.INVALID_REQUEST_ERROR),
    INVALID_REQUEST_BODY(400, ErrorType.INVALID_REQUEST_ERROR),
    INVALID_FIELD_TYPE(400, ErrorType.INVALID_REQUEST_ERROR),
    UNKNOWN_FIELD(400, ErrorType.INVALID_REQUEST_ERROR),
    // inference-service's own checks of the fields.
    MISSING_IMAGE(400, ErrorType.INVALID_REQUEST_ERROR),
    INVALID_BASE64(400, ErrorType.INVALID_REQUEST_ERROR),
    INVALID_FIELD_VALUE(400, ErrorType.INVALID_REQUEST_ERROR),
    UNKNOWN_ROBOT(400, ErrorType.INVALID_REQUEST_ERROR),
    // The action broke its robot profile's limits and the request asked on_unsafe = reject.
    UNSAFE_ACTION(422, ErrorType.INVALID_REQUEST_ERROR),
    // model-runner's, by the same name (ModelRunnerException.Code).
    EMPTY_IMAGE(400, ErrorType.INVALID_REQUEST_ERROR),
    NOT_AN_IMAGE(400, ErrorType.INVALID_REQUEST_ERROR),
    UNSUPPORTED_IMAGE_FORMAT(400, ErrorType.INVALID_REQUEST_ERROR),
    IMAGE_TOO_LARGE(400, ErrorType.INVALID_REQUEST_ERROR),
    TRUNCATED_IMAGE(400, ErrorType.INVALID_REQUEST_ERROR),
    EMPTY_INSTRUCTION(400, ErrorType.INVALID_REQUEST_ERROR),
    INSTRUCTION_TOO_LONG(400, ErrorType.INVALID_REQUEST_ERROR),
    UNKNOWN_MODEL(400, ErrorType.INVALID_REQUEST_ERROR),
    UNKNOWN_UNNORM_KEY(400, ErrorType.INVALID_REQUEST_ERROR),
    INVALID_STATE(400, ErrorType.INVALID_REQUEST_ERROR),
    OVERLOADED(503, ErrorType.OVERLOADED_ERROR),
    // The gateway's.
    INVALID_IDEMPOTENCY_KEY(400, ErrorType.INVALID_REQUEST_ERROR),
    MISSING_API_KEY(401, ErrorType.AUTHENTICATION_ERROR),
    MALFORMED_AUTHORIZATION(401, ErrorType.AUTHENTICATION_ERROR),
    MALFORMED_API_KEY(401, ErrorType.AUTHENTICATION_ERROR),
    INVALID_API_KEY(401, ErrorType.AUTHENTICATION_ERROR),
    REVOKED_API_KEY(401, ErrorType.AUTHENTICATION_ERROR),
    EXPIRED_API_KEY(401, ErrorType.AUTHENTICATION_ERROR),
    CUSTOMER_SUSPENDED(403, ErrorType.PERMISSION_ERROR),
    REQUEST_TIMEOUT(408, ErrorType.INVALID_REQUEST_ERROR),
    IDEMPOTENCY_KEY_IN_USE(409, ErrorType.CONFLICT_ERROR),
    IDEMPOTENCY_KEY_REUSED(422, ErrorType.INVALID_REQUEST_ERROR),
    RATE_LIMIT_EXCEEDED(429, ErrorType.RATE_LIMIT_EXCEEDED),
    TOO_MANY_FAILED_AUTHENTICATIONS(429, ErrorType.RATE_LIMIT_EXCEEDED),
    QUOTA_EXCEEDED(429, ErrorType.QUOTA_EXCEEDED),
    UPSTREAM_CONNECTION_LOST(502, ErrorType.API_ERROR),
    UPSTREAM_UNAVAILABLE(503, ErrorType.OVERLOADED_ERROR),
    UPSTREAM_TIMEOUT(504, ErrorType.API_ERROR),
    // inference-service's answer could not be recorded.
    REQUEST_LOG_UNAVAILABLE(503, ErrorType.OVERLOADED_ERROR),
    // The web stack's, in every service (ApiError.forStatus).
    NOT_ACCEPTABLE(406, ErrorType.INVALID_REQUEST_ERROR),
    REQUEST_TOO_LARGE(413, ErrorType.INVALID_REQUEST_ERROR),
    UNSUPPORTED_MEDIA_TYPE(415, ErrorType.INVALID_REQUEST_ERROR),
    INTERNAL_ERROR(500, ErrorType.API_ERROR);

    private final HttpStatusCode status;
    private final ErrorType type;

    PublicErrorCode(int status, ErrorType type) {
        this.status = HttpStatusCode.valueOf(status);
        this.type = type;
    }

    public HttpStatusCode status() {
        return status;
    }

    public ErrorType type() {
        return type;
    }

    /** This error, saying {@code message}. */
    public ApiError error(String message) {
        return new ApiError(status, type, id(), message);
    }
}
