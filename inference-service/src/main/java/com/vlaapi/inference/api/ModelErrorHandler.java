package com.vlaapi.inference.api;

import com.vlaapi.modelrunner.ModelRunnerException;
import com.vlaapi.modelrunner.batching.OverloadedException;
import com.vlaapi.servicecontract.error.ApiError;
import com.vlaapi.servicecontract.error.PublicErrorCode;
import com.vlaapi.servicecontract.servlet.ServletErrorWriter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The model's refusals: a full queue is a 503 to retry, anything else the model rejects (an image
 * it cannot read, an unknown model) names the problem. Ordered before the service contract's
 * handler, whose catch-all would otherwise answer them as 500s.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class ModelErrorHandler {

    @ExceptionHandler(ModelRunnerException.class)
    void modelRefused(ModelRunnerException e, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        ApiError error = error(e);
        RetryAfter.set(response, error);
        ServletErrorWriter.write(request, response, error);
    }

    static ApiError error(ModelRunnerException e) {
        return e instanceof OverloadedException ? PublicErrorCode.OVERLOADED.error(e.getMessage())
                : new ApiError(HttpStatus.BAD_REQUEST, e.code(), e.getMessage());
    }
}
