package com.vlaapi.client;

/** 429 {@code quota_exceeded}: the month's quota is used up. Never retried: {@link #retryAfter()} is the time until it resets (00:00 UTC on the 1st). */
public final class QuotaExceededException extends VlaException {

    QuotaExceededException(ErrorAnswer answer) {
        super(answer);
    }
}
