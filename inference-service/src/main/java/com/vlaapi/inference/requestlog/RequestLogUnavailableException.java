package com.vlaapi.inference.requestlog;

/**
 * The request log cannot take a row (its journal is full or cannot be written), so the request
 * must not be answered as a success: a 200 that is not recorded could be lost from the bills.
 */
public class RequestLogUnavailableException extends RuntimeException {

    RequestLogUnavailableException(Throwable cause) {
        super("The request log cannot record requests right now, so this one was not answered; retry in a few seconds.",
                cause);
    }
}
