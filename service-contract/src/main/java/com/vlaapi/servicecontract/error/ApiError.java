package com.vlaapi.servicecontract.error;

import java.util.Locale;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;

/**
 * One error as every service reports it: the status, the broad {@link ErrorType}, the stable
 * machine-readable {@code code} and a message that says what to do. The codes for failures every
 * service can meet are defined here once, so they cannot drift between services.
 */
public record ApiError(HttpStatusCode status, ErrorType type, String code, String message, Map<String, Object> details) {

    /** The error a service answered, kept as a request (or exchange) attribute for its request log and metrics. */
    public static final String ATTRIBUTE = ApiError.class.getName();

    public static final String ROUTE_NOT_FOUND = "route_not_found";
    public static final String METHOD_NOT_ALLOWED = "method_not_allowed";
    public static final String NOT_ACCEPTABLE = PublicErrorCode.NOT_ACCEPTABLE.id();
    public static final String UNSUPPORTED_MEDIA_TYPE = PublicErrorCode.UNSUPPORTED_MEDIA_TYPE.id();
    public static final String REQUEST_TOO_LARGE = PublicErrorCode.REQUEST_TOO_LARGE.id();
    public static final String INTERNAL_ERROR = PublicErrorCode.INTERNAL_ERROR.id();
    public static final String INTERNAL_ERROR_MESSAGE =
            "Something went wrong on our side. Retry with backoff; if it persists, report the request_id.";

    public ApiError(HttpStatusCode status, ErrorType type, String code, String message) {
        this(status, type, code, message, null);
    }

    /** The same error with machine-readable details, answered as the body's {@code details} object. */
    public ApiError withDetails(Map<String, Object> more) {
        return new ApiError(status, type, code, message, more);
    }

    /** An error whose type follows from its status ({@link ErrorType#forStatus}). */
    public ApiError(HttpStatusCode status, String code, String message) {
        this(status, ErrorType.forStatus(status), code, message);
    }

    public static ApiError internal() {
        return new ApiError(HttpStatus.INTERNAL_SERVER_ERROR, INTERNAL_ERROR, INTERNAL_ERROR_MESSAGE);
    }

    public static ApiError routeNotFound(String method, String path) {
        return new ApiError(HttpStatus.NOT_FOUND, ROUTE_NOT_FOUND, "No route for " + method + " " + path + ".");
    }

    public static ApiError methodNotAllowed(String method, String path) {
        return new ApiError(HttpStatus.METHOD_NOT_ALLOWED, METHOD_NOT_ALLOWED,
                method + " is not allowed on " + path + ".");
    }

    public static ApiError requestTooLarge(long maxBytes) {
        return new ApiError(HttpStatus.CONTENT_TOO_LARGE, REQUEST_TOO_LARGE,
                "The request body is larger than " + maxBytes + " bytes.");
    }

    /**
     * For a status the web stack or the container decided (not our code): the same code and
     * message in every service for the same status, method and path.
     */
    public static ApiError forStatus(HttpStatusCode status, String method, String path) {
        if (status.is5xxServerError()) {
            return internal();
        }
        return switch (status.value()) {
            case 404 -> routeNotFound(method, path);
            case 405 -> methodNotAllowed(method, path);
            case 406 -> new ApiError(status, NOT_ACCEPTABLE, "Responses are JSON; accept application/json.");
            case 413 -> new ApiError(status, REQUEST_TOO_LARGE, "The request body is too large.");
            case 415 -> new ApiError(status, UNSUPPORTED_MEDIA_TYPE,
                    "Send the request body as JSON (Content-Type: application/json).");
            default -> new ApiError(status, codeOf(status), reasonOf(status));
        };
    }

    private static String codeOf(HttpStatusCode status) {
        HttpStatus known = HttpStatus.resolve(status.value());
        return known != null ? known.name().toLowerCase(Locale.ROOT) : "http_" + status.value();
    }

    private static String reasonOf(HttpStatusCode status) {
        HttpStatus known = HttpStatus.resolve(status.value());
        return known != null ? known.getReasonPhrase() + "." : "Request rejected.";
    }
}
