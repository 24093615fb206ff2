package com.vlaapi.client;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The body of {@code POST /v1/inference}; options left unset are not sent, so the API applies its defaults. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record InferenceRequest(String image, String instruction, String unnormKey, String model, String robot,
                        double[] position, String onUnsafe) {
}
