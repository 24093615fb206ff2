package com.vlaapi.client;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.Optional;

/**
 * A request the API refused or could not serve, or that never got an answer. Each error
 * {@code type} of the API (docs/VLA-API-README.md, "Errors") has its subclass; {@link VlaTimeoutException}
 * and {@link VlaConnectionException} are the ones without an answer ({@link #status()} 0).
 * Unchecked, as a robot's control loop rarely handles each kind apart.
 */
public class VlaException extends RuntimeException {

    private final int status;
    private final String type;
    private final String code;
    private final String errorMessage;
    private final String requestId;
    private final Duration retryAfter;
    private final RateLimitInfo rateLimit;

    VlaException(int status, String type, String code, String errorMessage, String requestId, Duration retryAfter,
                 RateLimitInfo rateLimit, Throwable cause) {
        super(describe(status, code, errorMessage, requestId), cause);
        this.status = status;
        this.type = type;
        this.code = code;
        this.errorMessage = errorMessage;
        this.requestId = requestId;
        this.retryAfter = retryAfter;
        this.rateLimit = rateLimit;
    }

    /** An error of the API: its answer's status, error body and headers. */
    VlaException(ErrorAnswer answer) {
        this(answer.status(), answer.type(), answer.code(), answer.message(), answer.requestId(), answer.retryAfter(),
                answer.rateLimit(), null);
    }

    /**
     * The exception an error answer of the API stands for, by its error {@code type} (by its status
     * where the body is not the API's, as from a proxy): for code that sends some requests itself and
     * wants the client's typed errors for them.
     */
    public static VlaException fromResponse(int status, HttpHeaders headers, String body) {
        ErrorAnswer answer = ErrorAnswer.parse(status, headers, body);
        String type = answer.type() != null ? answer.type() : typeOfStatus(status);
        return switch (type) {
            case "invalid_request_error" -> new InvalidRequestException(answer);
            case "authentication_error" -> new AuthenticationException(answer);
            case "permission_error" -> new PermissionException(answer);
            case "not_found_error" -> new NotFoundException(answer);
            case "conflict_error" -> new ConflictException(answer);
            case "rate_limit_exceeded" -> new RateLimitException(answer);
            case "quota_exceeded" -> new QuotaExceededException(answer);
            case "api_error" -> new ApiErrorException(answer);
            case "overloaded_error" -> new OverloadedException(answer);
            default -> new VlaException(answer);
        };
    }

    /** The type the API gives this status, for answers without the API's error body. */
    private static String typeOfStatus(int status) {
        return switch (status) {
            case 400, 408, 413, 415, 422 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 409 -> "conflict_error";
            case 429 -> "rate_limit_exceeded";
            case 503 -> "overloaded_error";
            default -> status >= 500 ? "api_error" : "";
        };
    }

    private static String describe(int status, String code, String message, String requestId) {
        StringBuilder text = new StringBuilder();
        if (code != null) {
            text.append(code).append(": ");
        }
        text.append(message);
        if (status > 0) {
            text.append(" (HTTP ").append(status);
            if (requestId != null) {
                text.append(", request ").append(requestId);
            }
            text.append(')');
        }
        return text.toString();
    }

    /** The answer's HTTP status; 0 when there was no answer (timeout, connection failure). */
    public int status() {
        return status;
    }

    /** The API's error type ({@code invalid_request_error}, ...), or null without the API's error body. */
    public String type() {
        return type;
    }

    /** The API's error code ({@code not_an_image}, {@code invalid_api_key}, ...), or null. */
    public String code() {
        return code;
    }

    /** The API's own message, or what went wrong on the way. */
    public String errorMessage() {
        return errorMessage;
    }

    /** The request's id (quote it to support), or null when no answer came. */
    public String requestId() {
        return requestId;
    }

    /** How long the API asked to wait before trying again ({@code Retry-After}). */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** The rate-limit headers of the answer (empty without an answer). */
    public RateLimitInfo rateLimit() {
        return rateLimit;
    }
}
