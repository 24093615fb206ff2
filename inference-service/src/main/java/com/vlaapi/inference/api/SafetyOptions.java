package com.vlaapi.inference.api;

import com.vlaapi.servicecontract.error.ApiException;
import com.vlaapi.servicecontract.error.PublicErrorCode;

/**
 * The request's safety fields, checked before the image is decoded: a wrong one is a cheap 400.
 *
 * @param reject   on_unsafe = "reject": an unsafe action gets a 422 instead of being clipped
 * @param position the end effector's position, or null
 */
record SafetyOptions(boolean reject, double[] position) {

    static SafetyOptions of(InferenceRequestBody body) {
        String onUnsafe = body.onUnsafe();
        if (onUnsafe != null && !onUnsafe.equals("clip") && !onUnsafe.equals("reject")) {
            throw invalid("Field 'on_unsafe' must be \"clip\" (send the action held to the robot's limits) "
                    + "or \"reject\" (answer 422 instead).");
        }
        double[] position = body.position();
        if (position != null) {
            if (position.length != 3) {
                throw invalid("Field 'position' must be [x, y, z]: the end effector's position in metres.");
            }
            for (double coordinate : position) {
                if (!Double.isFinite(coordinate)) {
                    throw invalid("Field 'position' must hold finite numbers.");
                }
            }
        }
        return new SafetyOptions("reject".equals(onUnsafe), position);
    }

    private static ApiException invalid(String message) {
        return new ApiException(PublicErrorCode.INVALID_FIELD_VALUE.error(message));
    }
}
