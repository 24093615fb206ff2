package com.vlaapi.inference.api;

import com.vlaapi.inference.safety.SafetyReview;
import com.vlaapi.modelrunner.Prediction;

/**
 * What one {@code POST /v1/inference} turned out to be, filled in as far as handling got: the
 * parsed body, the decoded image size, the prediction. {@link InferenceRequestInterceptor} turns
 * it into the request-log row and metrics once the response status is final, success or error.
 */
final class InferenceExchange {

    static final String ATTRIBUTE = "vla.inferenceExchange";

    private InferenceRequestBody request;
    private Integer imageBytes;
    private Prediction prediction;
    private SafetyReview review;
    private boolean recorded;

    void received(InferenceRequestBody body) {
        this.request = body;
    }

    void decodedImage(int bytes) {
        this.imageBytes = bytes;
    }

    void predicted(Prediction result) {
        this.prediction = result;
    }

    void reviewed(SafetyReview result) {
        this.review = result;
    }

    void markRecorded() {
        this.recorded = true;
    }

    /** Whether its request-log row is written (a success's is, before the response). */
    boolean recorded() {
        return recorded;
    }

    InferenceRequestBody request() {
        return request;
    }

    Integer imageBytes() {
        return imageBytes;
    }

    Prediction prediction() {
        return prediction;
    }

    /** The safety review of the prediction; null before (or without) one. */
    SafetyReview review() {
        return review;
    }
}
