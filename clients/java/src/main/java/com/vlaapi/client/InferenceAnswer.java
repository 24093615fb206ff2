package com.vlaapi.client;

/** The fields of a 200 from {@code POST /v1/inference} this client reads (others are ignored). */
record InferenceAnswer(String requestId, String model, String modelVersion, Action action, Safety safety,
                       double latencyMs) {
}
